//! The keyword engine (product.md §3, "Keyword list syntax"), used by PRIVATE_KEYWORDS,
//! GROUPS_KEYWORDS, CHANNELS_KEYWORDS and RESTRICTED_KEYWORDS_FRONTEND.
//!
//! A [`KeywordList`] is a list of items, OR-ed. An item is one word (`buy` or `"buy"`) or a
//! bracketed group that needs all of its words (`["buy", "now"]`). A word marked with `~`
//! (`~sell`, `"~sell"`, `~"sell"`) must *not* be contained, so `["buy", "~sell"]` matches
//! text containing buy and not sell, and a bare `"~spam"` item matches every text without
//! spam. `OFF` is the empty list.
//!
//! Matching is a case-insensitive substring test: both sides are lowercased with
//! [`str::to_lowercase`] (Unicode-aware: `ẞ` finds `ß`, `Ñ` finds `ñ`, Cyrillic and Greek
//! fold too; Greek final sigma `ς` is folded to `σ`). There is no Unicode normalization (core
//! has no dependencies), so a precomposed `é` does not find a decomposed `e` + `◌́`; Telegram
//! clients send precomposed text.
//!
//! Quoting: inside quotes `\"`, `\\` and `\~` escape; any other backslash is literal. A `~`
//! right after the opening quote is the negation mark, so a word that really starts with a
//! tilde is written `"\~word"`. Typographic quotes that phone keyboards substitute (`“…”`,
//! `„…“`, `«…»`) are accepted as quotes. [`KeywordList::render`] writes the canonical form:
//! words bare when that is unambiguous, otherwise `"…"` with the escapes above.
//!
//! The same lexer splits the plain comma-separated lists of [`crate::params`].

use crate::params::ParamError;

/// The word that means "empty / disabled" in every list parameter.
pub(crate) const OFF: &str = "OFF";

/// Whether `text` is the `OFF` word (case-insensitive, surrounding whitespace ignored).
pub(crate) fn is_off(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case(OFF)
}

/// At most this many characters of the input are quoted back in an error.
const FRAGMENT_CHARS: usize = 40;

/// The offending part of the input, shortened for an error.
pub(crate) fn fragment(s: &str) -> String {
    s.trim().chars().take(FRAGMENT_CHARS).collect()
}

/// The closing quotes that end a string opened with `open`, if `open` opens one.
pub(crate) fn closers(open: char) -> Option<&'static [char]> {
    match open {
        '"' => Some(&['"']),
        '“' | '”' | '„' => Some(&['”', '“']),
        '«' => Some(&['»']),
        _ => None,
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

/// Lowercases for matching: `to_lowercase`, plus Greek final sigma folded to `σ`.
pub fn fold(text: &str) -> String {
    text.to_lowercase().replace('ς', "σ")
}

/// A position in the text being parsed.
pub(crate) struct Cursor<'a> {
    src: &'a str,
    pos: usize,
}

/// One word as written: its unescaped text and whether it was marked with `~`.
pub(crate) struct RawWord {
    pub text: String,
    pub tilde: bool,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Cursor { src, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(crate) fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// The input from byte `from`, shortened, for an error.
    pub(crate) fn fragment_from(&self, from: usize) -> String {
        fragment(&self.src[from..])
    }

    /// Reads one word and stops before the `,` (or, in a group, the `]`) that ends it, or at
    /// the end. `None` when there is no word at all (an empty item).
    pub(crate) fn word(&mut self, in_group: bool) -> Result<Option<RawWord>, ParamError> {
        self.skip_ws();
        let start = self.pos;
        let mut tilde = false;
        if self.peek() == Some('~') {
            self.bump();
            tilde = true;
            self.skip_ws();
        }
        if let Some(close) = self.peek().and_then(closers) {
            self.bump();
            let (text, inner_tilde) = self.quoted(close, start, !tilde)?;
            let raw = &self.src[start..self.pos];
            self.skip_ws();
            match self.peek() {
                None | Some(',') => {}
                Some(']') if in_group => {}
                Some(_) => return Err(ParamError::TextAfterQuote(self.fragment_from(start))),
            }
            if text.is_empty() {
                return Err(ParamError::EmptyWord(fragment(raw)));
            }
            return Ok(Some(RawWord {
                text,
                tilde: tilde || inner_tilde,
            }));
        }
        let body = self.pos;
        loop {
            match self.peek() {
                None | Some(',') => break,
                Some(']') if in_group => break,
                Some('[' | ']') => return Err(ParamError::StrayBracket(self.fragment_from(start))),
                Some(c) if is_quote(c) => {
                    return Err(ParamError::StrayQuote(self.fragment_from(start)));
                }
                Some(_) => {
                    self.bump();
                }
            }
        }
        let text = self.src[body..self.pos].trim();
        if text.is_empty() {
            return if tilde {
                Err(ParamError::EmptyWord(fragment(&self.src[start..self.pos])))
            } else {
                Ok(None)
            };
        }
        Ok(Some(RawWord {
            text: text.to_string(),
            tilde,
        }))
    }

    /// The rest of a quoted word, after its opening quote. A `~` first thing inside marks a
    /// negation when `allow_tilde`.
    fn quoted(
        &mut self,
        close: &[char],
        start: usize,
        allow_tilde: bool,
    ) -> Result<(String, bool), ParamError> {
        let mut out = String::new();
        let mut tilde = false;
        let mut first = true;
        loop {
            let Some(c) = self.bump() else {
                return Err(ParamError::UnclosedQuote(self.fragment_from(start)));
            };
            if close.contains(&c) {
                return Ok((out, tilde));
            }
            if c == '\\' {
                match self.peek() {
                    Some(n) if n == '\\' || n == '~' || is_quote(n) => {
                        self.bump();
                        out.push(n);
                    }
                    _ => out.push('\\'),
                }
            } else if c == '~' && first && allow_tilde {
                tilde = true;
            } else {
                out.push(c);
            }
            first = false;
        }
    }
}

/// Splits a plain comma-separated list (ids, option names, commands): each item bare or
/// quoted, no groups. A `~` stays part of the item's text. The caller handles `OFF`.
pub(crate) fn split_list(text: &str) -> Result<Vec<String>, ParamError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ParamError::Blank);
    }
    let mut c = Cursor::new(text);
    let mut out = Vec::new();
    loop {
        let position = out.len() + 1;
        match c.word(false)? {
            Some(w) if w.tilde => out.push(format!("~{}", w.text)),
            Some(w) => out.push(w.text),
            None => return Err(ParamError::EmptyItem { position }),
        }
        match c.bump() {
            None => return Ok(out),
            Some(',') => {}
            Some(_) => return Err(ParamError::StrayBracket(c.fragment_from(c.pos()))),
        }
    }
}

/// Writes `text` as a list item: bare when that parses back unchanged, else quoted.
pub(crate) fn render_word(text: &str, negated: bool, out: &mut String) {
    let bare = !text.is_empty()
        && text.trim() == text
        && !text.starts_with('~')
        && !text.eq_ignore_ascii_case(OFF)
        && !text
            .chars()
            .any(|c| matches!(c, ',' | '[' | ']' | '\\') || is_quote(c) || c.is_control());
    if negated {
        if bare {
            out.push('~');
            out.push_str(text);
            return;
        }
        out.push_str("\"~");
    } else if bare {
        out.push_str(text);
        return;
    } else {
        out.push('"');
    }
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' | '"' => out.push('\\'),
            '~' if i == 0 => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out.push('"');
}

/// One word of an item: contained, or (negated) not contained.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keyword {
    text: String,
    negated: bool,
    folded: String,
}

impl Keyword {
    /// A word as the admin wrote it (case kept for display). Empty text is refused.
    pub fn new(text: impl Into<String>, negated: bool) -> Result<Self, ParamError> {
        let text = text.into();
        if text.is_empty() {
            return Err(ParamError::EmptyWord(if negated { "~" } else { "" }.into()));
        }
        let folded = fold(&text);
        Ok(Keyword {
            text,
            negated,
            folded,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// A `~` word: the text must not contain it.
    pub fn is_negated(&self) -> bool {
        self.negated
    }

    /// Whether this word alone accepts `text`.
    pub fn matches(&self, text: &str) -> bool {
        self.accepts_folded(&fold(text))
    }

    fn accepts_folded(&self, folded_text: &str) -> bool {
        folded_text.contains(self.folded.as_str()) != self.negated
    }

    fn from_raw(raw: RawWord) -> Result<Self, ParamError> {
        Keyword::new(raw.text, raw.tilde)
    }
}

/// One item of a list: all of its words must be satisfied.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeywordItem {
    words: Vec<Keyword>,
}

impl KeywordItem {
    /// An item of one word or more; an empty item is refused.
    pub fn new(words: Vec<Keyword>) -> Result<Self, ParamError> {
        if words.is_empty() {
            return Err(ParamError::EmptyBracket("[]".into()));
        }
        Ok(KeywordItem { words })
    }

    pub fn words(&self) -> &[Keyword] {
        &self.words
    }

    pub fn matches(&self, text: &str) -> bool {
        self.accepts_folded(&fold(text))
    }

    fn accepts_folded(&self, folded_text: &str) -> bool {
        self.words.iter().all(|w| w.accepts_folded(folded_text))
    }

    fn render(&self, out: &mut String) {
        if let [word] = self.words.as_slice() {
            render_word(&word.text, word.negated, out);
            return;
        }
        out.push('[');
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            render_word(&w.text, w.negated, out);
        }
        out.push(']');
    }
}

/// A keyword list parameter; empty means `OFF`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct KeywordList {
    items: Vec<KeywordItem>,
}

impl KeywordList {
    pub fn new(items: Vec<KeywordItem>) -> Self {
        KeywordList { items }
    }

    /// The empty list (`OFF`).
    pub fn off() -> Self {
        KeywordList::default()
    }

    pub fn items(&self) -> &[KeywordItem] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Parses the admin's text. Blank text is refused; `OFF` is the empty list.
    pub fn parse(text: &str) -> Result<Self, ParamError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ParamError::Blank);
        }
        if is_off(text) {
            return Ok(KeywordList::off());
        }
        let mut c = Cursor::new(text);
        let mut items = Vec::new();
        loop {
            c.skip_ws();
            let position = items.len() + 1;
            let words = if c.peek() == Some('[') {
                group(&mut c)?
            } else {
                match c.word(false)? {
                    Some(w) => vec![Keyword::from_raw(w)?],
                    None => return Err(ParamError::EmptyItem { position }),
                }
            };
            items.push(KeywordItem { words });
            match c.bump() {
                None => return Ok(KeywordList { items }),
                Some(',') => {}
                Some(_) => return Err(ParamError::StrayBracket(c.fragment_from(c.pos()))),
            }
        }
    }

    /// The canonical text: parses back to an equal list. `OFF` when empty.
    pub fn render(&self) -> String {
        if self.items.is_empty() {
            return OFF.to_string();
        }
        let mut out = String::new();
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            item.render(&mut out);
        }
        out
    }

    /// Whether some item matches `text` (OR of the items). The empty list matches nothing,
    /// which is what a blocklist (RESTRICTED_KEYWORDS_FRONTEND) wants.
    pub fn matches(&self, text: &str) -> bool {
        if self.items.is_empty() {
            return false;
        }
        let folded = fold(text);
        self.items.iter().any(|i| i.accepts_folded(&folded))
    }

    /// Whether `text` activates a dialog gated by this list (*_KEYWORDS): when the list is
    /// `OFF` there is no gate and everything activates; otherwise as [`Self::matches`].
    pub fn activates(&self, text: &str) -> bool {
        self.items.is_empty() || self.matches(text)
    }
}

impl std::fmt::Display for KeywordList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

/// A bracketed item, the cursor on its `[`.
fn group(c: &mut Cursor<'_>) -> Result<Vec<Keyword>, ParamError> {
    let start = c.pos();
    c.bump();
    let mut words = Vec::new();
    loop {
        c.skip_ws();
        match c.peek() {
            None => return Err(ParamError::UnclosedBracket(c.fragment_from(start))),
            Some('[') => return Err(ParamError::NestedBracket(c.fragment_from(start))),
            Some(']') if words.is_empty() => {
                return Err(ParamError::EmptyBracket(c.fragment_from(start)));
            }
            _ => {}
        }
        match c.word(true)? {
            Some(w) => words.push(Keyword::from_raw(w)?),
            None => return Err(ParamError::EmptyWord(c.fragment_from(start))),
        }
        match c.bump() {
            Some(',') => {}
            Some(']') => break,
            None => return Err(ParamError::UnclosedBracket(c.fragment_from(start))),
            Some(_) => return Err(ParamError::StrayBracket(c.fragment_from(start))),
        }
    }
    c.skip_ws();
    match c.peek() {
        None | Some(',') => Ok(words),
        Some(_) => Err(ParamError::TextAfterBracket(c.fragment_from(start))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kw(text: &str) -> KeywordList {
        KeywordList::parse(text).unwrap()
    }

    fn word(text: &str, negated: bool) -> Keyword {
        Keyword::new(text, negated).unwrap()
    }

    fn single(text: &str, negated: bool) -> KeywordItem {
        KeywordItem::new(vec![word(text, negated)]).unwrap()
    }

    #[test]
    fn parses_the_documented_forms() {
        let l = kw(r#""buy", ["buy","~sell"], "~spam", plain words , ~ugly, ~"neg""#);
        let expected = KeywordList::new(vec![
            single("buy", false),
            KeywordItem::new(vec![word("buy", false), word("sell", true)]).unwrap(),
            single("spam", true),
            single("plain words", false),
            single("ugly", true),
            single("neg", true),
        ]);
        assert_eq!(l, expected);
        assert_eq!(
            l.render(),
            "buy, [buy, ~sell], ~spam, plain words, ~ugly, ~neg"
        );
    }

    #[test]
    fn off_and_blank() {
        assert!(kw("OFF").is_empty());
        assert!(kw("  off ").is_empty());
        assert_eq!(kw("OFF").render(), "OFF");
        assert_eq!(KeywordList::parse("   "), Err(ParamError::Blank));
        // The word "off" inside a list is a word, and is quoted back.
        let l = kw(r#""off""#);
        assert_eq!(l.items().len(), 1);
        assert_eq!(l.render(), r#""off""#);
        assert_eq!(kw("off, on").render(), r#""off", on"#);
    }

    #[test]
    fn escapes_and_literal_tildes() {
        let l = kw(r#""say \"hi\"", "\~tilde", "a\b", "back\\slash", "x~y""#);
        let texts: Vec<(&str, bool)> = l
            .items()
            .iter()
            .map(|i| (i.words()[0].text(), i.words()[0].is_negated()))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("say \"hi\"", false),
                ("~tilde", false),
                ("a\\b", false),
                ("back\\slash", false),
                ("x~y", false),
            ]
        );
        assert_eq!(KeywordList::parse(&l.render()).unwrap(), l);
        assert!(l.matches("I said ~TILDE here"));
        assert!(!kw(r#""\~tilde""#).matches("tilde"));
    }

    #[test]
    fn typographic_quotes_are_quotes() {
        assert_eq!(kw("“buy, now”, «купить»"), kw(r#""buy, now", "купить""#));
        assert_eq!(kw("„kaufen“"), kw("kaufen"));
        assert_eq!(kw(r#"["a", “~b”]"#), kw("[a, ~b]"));
    }

    #[test]
    fn precise_errors() {
        use ParamError::*;
        let cases: &[(&str, ParamError)] = &[
            (r#""buy, sell"#, UnclosedQuote(r#""buy, sell"#.into())),
            ("a,,b", EmptyItem { position: 2 }),
            (",a", EmptyItem { position: 1 }),
            ("a,", EmptyItem { position: 2 }),
            (r#""""#, EmptyWord(r#""""#.into())),
            (r#""~""#, EmptyWord(r#""~""#.into())),
            ("~ , a", EmptyWord("~".into())),
            ("[a, b", UnclosedBracket("[a, b".into())),
            (r#"["a", "b""#, UnclosedBracket(r#"["a", "b""#.into())),
            ("[]", EmptyBracket("[]".into())),
            ("[a,]", EmptyWord("[a,]".into())),
            ("[a, [b]]", NestedBracket("[a, [b]]".into())),
            ("[a] b", TextAfterBracket("[a] b".into())),
            (r#""a" b"#, TextAfterQuote(r#""a" b"#.into())),
            (r#"say "hi""#, StrayQuote(r#"say "hi""#.into())),
            ("a]", StrayBracket("a]".into())),
            ("a[b]", StrayBracket("a[b]".into())),
            ("~[a]", StrayBracket("~[a]".into())),
        ];
        for (text, err) in cases {
            assert_eq!(KeywordList::parse(text).as_ref(), Err(err), "{text}");
        }
    }

    #[test]
    fn fragments_are_short() {
        let long = format!("\"{}", "x".repeat(500));
        match KeywordList::parse(&long) {
            Err(ParamError::UnclosedQuote(f)) => assert_eq!(f.chars().count(), FRAGMENT_CHARS),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn matching_follows_the_spec() {
        let l = kw(r#"["buy","~sell"]"#);
        assert!(l.matches("I want to BUY"));
        assert!(!l.matches("buy or sell?"));
        assert!(!l.matches("hello"));
        let not_spam = kw(r#""~spam""#);
        assert!(not_spam.matches("hello"));
        assert!(not_spam.matches(""));
        assert!(!not_spam.matches("SPAM offer"));
        let any = kw("price, cost");
        assert!(any.matches("What does it cost?"));
        assert!(!any.matches("hi"));
    }

    #[test]
    fn matching_is_unicode_case_insensitive() {
        assert!(kw("привет").matches("ПРИВЕТ, как дела?"));
        assert!(kw("ЗАКАЗ").matches("мой заказ не пришёл"));
        assert!(kw("ёлка").matches("ЁЛКА"));
        assert!(kw("straße").matches("STRAẞE 5"));
        assert!(kw("STRAẞE").matches("die straße"));
        assert!(kw("Grüße").matches("VIELE GRÜẞE"));
        assert!(kw("canción").matches("UNA CANCIÓN"));
        assert!(kw("NIÑO").matches("el niño"));
        assert!(!kw("nino").matches("el niño"));
        assert!(kw("🔥").matches("hot 🔥 deal"));
        assert!(kw(r#"["🔥", "~❄️"]"#).matches("🔥"));
        assert!(!kw(r#"["🔥", "~❄️"]"#).matches("🔥❄️"));
        // Greek final sigma folds to sigma: ΟΔΟΣ inside a longer word still matches.
        assert!(kw("ΟΔΟΣ").matches("οδοσημανση"));
        assert!(kw("οδος").matches("ΟΔΟΣ"));
    }

    #[test]
    fn off_matches_nothing_but_activates_everything() {
        let off = KeywordList::off();
        assert!(!off.matches("anything"));
        assert!(off.activates("anything"));
        assert!(kw("x").activates("x"));
        assert!(!kw("x").activates("y"));
    }

    #[test]
    fn constructors_refuse_empty() {
        assert!(Keyword::new("", false).is_err());
        assert!(KeywordItem::new(vec![]).is_err());
    }

    #[test]
    fn plain_lists_split() {
        assert_eq!(
            split_list(r#" 1, "2", ~x , "a,b" "#).unwrap(),
            vec!["1", "2", "~x", "a,b"]
        );
        assert_eq!(
            split_list("1,,2"),
            Err(ParamError::EmptyItem { position: 2 })
        );
        assert_eq!(
            split_list("[1]"),
            Err(ParamError::StrayBracket("[1]".into()))
        );
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{1,6}",
            "[a-zA-Z0-9 ,\"\\[\\]~\\\\«»“”„ßẞñéÉЁёЖж😀🔥_-]{1,10}",
            prop::collection::vec(any::<char>(), 1..8).prop_map(|v| v.into_iter().collect()),
            Just("off".to_string()),
            Just("OFF".to_string()),
            Just(" ".to_string()),
        ]
    }

    fn any_keyword() -> impl Strategy<Value = Keyword> {
        (any_text(), any::<bool>()).prop_map(|(t, n)| Keyword::new(t, n).unwrap())
    }

    fn any_list() -> impl Strategy<Value = KeywordList> {
        prop::collection::vec(prop::collection::vec(any_keyword(), 1..4), 0..5).prop_map(|items| {
            KeywordList::new(
                items
                    .into_iter()
                    .map(|w| KeywordItem::new(w).unwrap())
                    .collect(),
            )
        })
    }

    /// Letters whose case mapping is a simple bijection.
    fn simple_word() -> impl Strategy<Value = String> {
        "[a-zа-яñéü]{1,4}"
    }

    proptest! {
        #[test]
        fn render_parses_back(list in any_list()) {
            let text = list.render();
            prop_assert_eq!(KeywordList::parse(&text), Ok(list));
        }

        #[test]
        fn rendering_is_stable(list in any_list()) {
            let once = list.render();
            let twice = KeywordList::parse(&once).unwrap().render();
            prop_assert_eq!(once, twice);
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            let _ = KeywordList::parse(&text);
        }

        #[test]
        fn group_is_and_of_its_words(a in any_keyword(), b in any_keyword(), text in "\\PC{0,20}") {
            let group = KeywordList::new(vec![KeywordItem::new(vec![a.clone(), b.clone()]).unwrap()]);
            prop_assert_eq!(group.matches(&text), a.matches(&text) && b.matches(&text));
        }

        #[test]
        fn list_is_or_of_its_items(list in any_list(), text in "\\PC{0,20}") {
            let any = list.items().iter().any(|i| i.matches(&text));
            prop_assert_eq!(list.matches(&text), any);
        }

        #[test]
        fn tilde_negates(w in any_text(), text in "\\PC{0,20}") {
            let pos = Keyword::new(w.clone(), false).unwrap();
            let neg = Keyword::new(w, true).unwrap();
            prop_assert_eq!(neg.matches(&text), !pos.matches(&text));
        }

        #[test]
        fn a_word_finds_itself_in_any_case(w in simple_word(), pre in "\\PC{0,8}", post in "\\PC{0,8}") {
            let list = KeywordList::parse(&format!("\"{w}\"")).unwrap();
            let plain = format!("{pre}{w}{post}");
            let shouted = format!("{pre}{}{post}", w.to_uppercase());
            prop_assert!(list.matches(&plain));
            prop_assert!(list.matches(&shouted));
            let upper = KeywordList::parse(&format!("\"{}\"", w.to_uppercase())).unwrap();
            prop_assert!(upper.matches(&plain));
        }
    }
}
