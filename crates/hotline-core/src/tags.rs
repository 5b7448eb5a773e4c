//! Tags (`/mark`, product.md §6): the names and tickers allowed, and what a `/mark` command
//! asks for. Pure: the caller stores and applies it.
//!
//! A name starts with a Latin letter, then letters, digits, `-` and `_`, at most
//! [`MAX_NAME_CHARS`]; names are compared without regard to case. `new`, `del` and the
//! property words cannot be names (they would make commands ambiguous). A ticker is a short
//! text or emoji shown at the end of topic titles, at most [`MAX_TICKER_CHARS`].

/// The longest tag name, in characters.
pub const MAX_NAME_CHARS: usize = 32;
/// The longest ticker, in characters.
pub const MAX_TICKER_CHARS: usize = 12;

/// Words with a meaning of their own in `/mark` commands.
const RESERVED: [&str; 7] = ["new", "del", "name", "ticker", "after", "sends", "clear"];

/// Why a tag name or ticker was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagError {
    /// Not a valid name (first character, characters, length).
    BadName,
    /// A word `/mark` uses itself.
    ReservedName,
    /// Empty, too long, or with characters a title cannot show.
    BadTicker,
}

/// A valid tag name, as typed (its case is kept for display).
pub fn check_name(name: &str) -> Result<&str, TagError> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !first_ok || !rest_ok || name.chars().count() > MAX_NAME_CHARS {
        return Err(TagError::BadName);
    }
    if RESERVED.iter().any(|w| w.eq_ignore_ascii_case(name)) {
        return Err(TagError::ReservedName);
    }
    Ok(name)
}

/// A valid ticker: trimmed, one line, nothing invisible, at most [`MAX_TICKER_CHARS`].
pub fn check_ticker(ticker: &str) -> Result<&str, TagError> {
    let t = ticker.trim();
    let shown = |c: char| {
        !c.is_control()
            && !matches!(c, '[' | ']')
            && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    };
    if t.is_empty() || t.chars().count() > MAX_TICKER_CHARS || !t.chars().all(shown) {
        return Err(TagError::BadTicker);
    }
    Ok(t)
}

/// A tag's property set with `/mark NAME PROPERTY VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Property {
    /// `name NEW`.
    Name(String),
    /// `ticker TEXT`; `None`: `ticker CLEAR`.
    Ticker(Option<String>),
    /// `after A,B`; empty: `after CLEAR`.
    After(Vec<String>),
    /// `sends TEMPLATE`; `None`: `sends CLEAR`.
    Sends(Option<String>),
}

/// What a `/mark` command asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// `/mark`: in General every tag with its count, in a topic the topic's tags.
    List,
    /// `/mark new NAME` (General).
    Create(String),
    /// `/mark del NAME`: in General deletes the tag, in a topic takes it from the topic.
    Delete(String),
    /// `/mark NAME`: in General shows the tag, in a topic gives it to the topic.
    Name(String),
    /// `/mark NAME PROPERTY VALUE` (General).
    Set(String, Property),
    /// Anything else: the usage is shown.
    Malformed,
}

/// Parses the arguments after `/mark` (the command word removed).
pub fn parse_mark(args: &str) -> Mark {
    let args = args.trim();
    if args.is_empty() {
        return Mark::List;
    }
    let (first, rest) = split_word(args);
    let (second, tail) = split_word(rest);
    match first.to_lowercase().as_str() {
        "new" if !second.is_empty() && tail.is_empty() => return Mark::Create(second.into()),
        "del" if !second.is_empty() && tail.is_empty() => return Mark::Delete(second.into()),
        "new" | "del" => return Mark::Malformed,
        _ => {}
    }
    if second.is_empty() {
        return Mark::Name(first.into());
    }
    let clear = tail.eq_ignore_ascii_case("clear");
    let property = match second.to_lowercase().as_str() {
        "name" if !tail.is_empty() && !tail.contains(char::is_whitespace) => {
            Property::Name(tail.into())
        }
        "ticker" if clear => Property::Ticker(None),
        "ticker" if !tail.is_empty() => Property::Ticker(Some(tail.into())),
        "after" if clear => Property::After(Vec::new()),
        "after" if !tail.is_empty() => Property::After(
            tail.split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        ),
        "sends" if clear => Property::Sends(None),
        "sends" if !tail.is_empty() && !tail.contains(char::is_whitespace) => {
            Property::Sends(Some(tail.into()))
        }
        _ => return Mark::Malformed,
    };
    Mark::Set(first.into(), property)
}

/// The first word and the rest, trimmed.
fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim();
    match s.split_once(char::is_whitespace) {
        Some((w, rest)) => (w, rest.trim()),
        None => (s, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_start_with_a_latin_letter_and_are_short() {
        assert_eq!(check_name("vip"), Ok("vip"));
        assert_eq!(check_name("Lead-2_b"), Ok("Lead-2_b"));
        assert_eq!(check_name("vipКлиент"), Ok("vipКлиент"));
        for bad in [
            "",
            "2fa",
            "-x",
            "клиент",
            "a b",
            "a,b",
            "a#",
            &"a".repeat(33),
        ] {
            assert_eq!(check_name(bad), Err(TagError::BadName), "{bad:?}");
        }
        assert_eq!(check_name(&"a".repeat(32)).map(str::len), Ok(32));
        assert_eq!(check_name("New"), Err(TagError::ReservedName));
        assert_eq!(check_name("CLEAR"), Err(TagError::ReservedName));
    }

    #[test]
    fn tickers_are_short_visible_text() {
        assert_eq!(check_ticker(" 🔥 "), Ok("🔥"));
        assert_eq!(check_ticker("VIP"), Ok("VIP"));
        for bad in ["", "   ", "a\nb", "[x]", "\u{202E}abc", &"x".repeat(13)] {
            assert_eq!(check_ticker(bad), Err(TagError::BadTicker), "{bad:?}");
        }
    }

    #[test]
    fn mark_commands_parse() {
        assert_eq!(parse_mark(""), Mark::List);
        assert_eq!(parse_mark("  "), Mark::List);
        assert_eq!(parse_mark("new vip"), Mark::Create("vip".into()));
        assert_eq!(parse_mark("NEW vip"), Mark::Create("vip".into()));
        assert_eq!(parse_mark("new"), Mark::Malformed);
        assert_eq!(parse_mark("new a b"), Mark::Malformed);
        assert_eq!(parse_mark("del vip"), Mark::Delete("vip".into()));
        assert_eq!(parse_mark("vip"), Mark::Name("vip".into()));
        assert_eq!(
            parse_mark("vip name gold"),
            Mark::Set("vip".into(), Property::Name("gold".into()))
        );
        assert_eq!(parse_mark("vip name gold x"), Mark::Malformed);
        assert_eq!(
            parse_mark("vip ticker ⭐ VIP"),
            Mark::Set("vip".into(), Property::Ticker(Some("⭐ VIP".into())))
        );
        assert_eq!(
            parse_mark("vip ticker clear"),
            Mark::Set("vip".into(), Property::Ticker(None))
        );
        assert_eq!(
            parse_mark("won after lead, trial"),
            Mark::Set(
                "won".into(),
                Property::After(vec!["lead".into(), "trial".into()])
            )
        );
        assert_eq!(
            parse_mark("won after CLEAR"),
            Mark::Set("won".into(), Property::After(vec![]))
        );
        assert_eq!(parse_mark("won color red"), Mark::Malformed);
        assert_eq!(parse_mark("won ticker"), Mark::Malformed);
    }
}
