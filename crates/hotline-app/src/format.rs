//! Telegram message entities → Bot API HTML, so a text an admin formatted in Telegram (a
//! WELCOME with bold words and links) is stored and later sent with that formatting; and
//! answers kept within one message ([`fit`]).

use serde_json::Value;

/// The longest answer sent, in characters (Telegram's limit is 4,096).
pub(crate) const MAX_ANSWER_CHARS: usize = 4_000;

/// At most [`MAX_ANSWER_CHARS`], cut at a line end when there is one.
pub(crate) fn fit(text: String) -> String {
    if text.chars().count() <= MAX_ANSWER_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_ANSWER_CHARS).collect();
    let kept = cut
        .rfind('\n')
        .map_or(cut.as_str(), |i| cut.get(..i).unwrap_or(&cut));
    format!("{kept}\n…")
}

/// `a, b, c`: the first `max` names, then `…` when there are more.
pub(crate) fn listed(names: impl IntoIterator<Item = String>, max: usize) -> String {
    let mut shown = Vec::new();
    for (i, n) in names.into_iter().enumerate() {
        if i == max {
            shown.push("…".to_string());
            break;
        }
        shown.push(n);
    }
    shown.join(", ")
}

/// Escapes the three characters Bot API HTML reserves.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML tags of one entity kind; `None` for kinds that are not formatting (mentions,
/// hashtags, commands: Telegram recognises those again by itself).
fn tags(e: &Value) -> Option<(String, String)> {
    let kind = e.get("type").and_then(Value::as_str)?;
    let simple = |t: &str| Some((format!("<{t}>"), format!("</{t}>")));
    match kind {
        "bold" => simple("b"),
        "italic" => simple("i"),
        "underline" => simple("u"),
        "strikethrough" => simple("s"),
        "code" => simple("code"),
        "spoiler" => Some(("<tg-spoiler>".into(), "</tg-spoiler>".into())),
        "blockquote" => simple("blockquote"),
        "expandable_blockquote" => Some(("<blockquote expandable>".into(), "</blockquote>".into())),
        "pre" => match e.get("language").and_then(Value::as_str) {
            Some(lang) => Some((
                format!(
                    "<pre><code class=\"language-{}\">",
                    escape_html(lang).replace('"', "&quot;")
                ),
                "</code></pre>".into(),
            )),
            None => simple("pre"),
        },
        "text_link" => {
            let url = e.get("url").and_then(Value::as_str)?;
            Some((
                format!("<a href=\"{}\">", escape_html(url).replace('"', "&quot;")),
                "</a>".into(),
            ))
        }
        "text_mention" => {
            let id = e.pointer("/user/id").and_then(Value::as_i64)?;
            Some((format!("<a href=\"tg://user?id={id}\">"), "</a>".into()))
        }
        _ => None,
    }
}

/// `text` with its `entities` (UTF-16 offsets, as Telegram sends them) as HTML. Entities
/// that do not fit the text are ignored rather than trusted.
pub fn entities_to_html(text: &str, entities: Option<&Value>) -> String {
    let units = text.encode_utf16().count();
    // (utf16 start, utf16 end, open, close)
    let mut spans: Vec<(usize, usize, String, String)> = entities
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|e| {
                    let offset = usize::try_from(e.get("offset")?.as_u64()?).ok()?;
                    let length = usize::try_from(e.get("length")?.as_u64()?).ok()?;
                    let end = offset.checked_add(length)?;
                    if length == 0 || end > units {
                        return None;
                    }
                    let (open, close) = tags(e)?;
                    Some((offset, end, open, close))
                })
                .collect()
        })
        .unwrap_or_default();
    // Outer entities first: earlier start, then longer.
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = String::with_capacity(text.len() + spans.len() * 8);
    let mut open: Vec<usize> = Vec::new(); // indexes into spans, innermost last
    let mut next = 0;
    let mut pos = 0usize;
    let close_until = |out: &mut String, open: &mut Vec<usize>, pos: usize| {
        while let Some(span) = open.last().and_then(|&i| spans.get(i)) {
            if span.1 <= pos {
                out.push_str(&span.3);
                open.pop();
            } else {
                break;
            }
        }
    };
    for c in text.chars() {
        close_until(&mut out, &mut open, pos);
        while let Some(span) = spans.get(next).filter(|s| s.0 <= pos) {
            // An entity that would cross an open one is dropped (Telegram nests them).
            let fits = open
                .last()
                .and_then(|&o| spans.get(o))
                .is_none_or(|outer| span.1 <= outer.1);
            if span.0 == pos && fits {
                out.push_str(&span.2);
                open.push(next);
            }
            next += 1;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
        pos += c.len_utf16();
    }
    close_until(&mut out, &mut open, usize::MAX);
    out
}

/// A name a member typed (a tag's, a template's), as an answer repeats it: one longer than
/// any name can be is cut, so an answer never outgrows a message.
pub fn typed_name(typed: &str) -> String {
    if typed.chars().count() <= hotline_core::tags::MAX_NAME_CHARS {
        return typed.to_string();
    }
    let mut cut: String = typed
        .chars()
        .take(hotline_core::tags::MAX_NAME_CHARS)
        .collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_names_the_first_few_then_an_ellipsis() {
        let names = |n: usize| (0..n).map(|i| format!("t{i}"));
        assert_eq!(listed(names(3), 3), "t0, t1, t2");
        assert_eq!(listed(names(4), 3), "t0, t1, t2, …");
        assert_eq!(listed(names(0), 3), "");
    }

    #[test]
    fn long_answers_are_cut_at_a_line_end() {
        let text = (0..1_000)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let cut = fit(text);
        assert!(cut.chars().count() <= MAX_ANSWER_CHARS + 2);
        assert!(cut.ends_with("\n…"));
        assert!(
            cut.lines()
                .rev()
                .nth(1)
                .is_some_and(|l| l.starts_with("line "))
        );
        assert_eq!(fit("short".into()), "short");
    }
    use serde_json::json;

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(entities_to_html("a < b & c", None), "a &lt; b &amp; c");
    }

    #[test]
    fn nested_entities_and_utf16_offsets() {
        // "👋 Hello {title}, see docs" — the emoji is two UTF-16 units.
        let text = "👋 Hello {title}, see docs";
        let entities = json!([
            {"type": "bold", "offset": 3, "length": 13},
            {"type": "italic", "offset": 9, "length": 7},
            {"type": "text_link", "offset": 22, "length": 4, "url": "https://example.com/?a=1&b=\"2\""},
            {"type": "mention", "offset": 0, "length": 2},
        ]);
        assert_eq!(
            entities_to_html(text, Some(&entities)),
            "👋 <b>Hello <i>{title}</i></b>, see <a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\">docs</a>"
        );
    }

    #[test]
    fn entities_that_do_not_fit_are_ignored() {
        let entities = json!([
            {"type": "bold", "offset": 2, "length": 50},
            {"type": "italic", "offset": 0, "length": 0},
            {"type": "bold", "offset": 0, "length": 2},
            {"type": "italic", "offset": 1, "length": 2},
        ]);
        assert_eq!(entities_to_html("abc", Some(&entities)), "<b>ab</b>c");
    }
}
