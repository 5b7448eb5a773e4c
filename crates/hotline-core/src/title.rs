//! Topic titles: status square, the customer's name, tag tickers — at most 128 characters,
//! whatever the name contains.

use crate::Status;

/// Telegram's limit on a topic name, in characters.
pub const MAX_TITLE_CHARS: usize = 128;

/// A display name from Telegram's name parts, cleaned of anything that would break a title
/// (control characters, line breaks, direction overrides, zero-width characters).
pub fn display_name(first: &str, last: Option<&str>, username: Option<&str>) -> String {
    let joined = match last.filter(|l| !l.trim().is_empty()) {
        Some(l) => format!("{first} {l}"),
        None => first.to_string(),
    };
    let name = clean(&joined);
    if !name.is_empty() {
        return name;
    }
    match username.map(clean).filter(|u| !u.is_empty()) {
        Some(u) => format!("@{u}"),
        None => "Customer".to_string(),
    }
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' // zero-width and direction marks
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{FEFF}')
}

fn clean(s: &str) -> String {
    let mut out = String::new();
    let mut last_space = true;
    for c in s.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if is_unsafe(c) {
            continue;
        }
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// `🟪 Name [TAG] [VIP]`, the name shortened (with …) so the whole fits 128 characters.
pub fn topic_title(status: Status, name: &str, tickers: &[&str]) -> String {
    let square = status.square();
    let tags: String = tickers.iter().map(|t| format!(" [{}]", clean(t))).collect();
    let fixed = square.chars().count() + 1 + tags.chars().count();
    let room = MAX_TITLE_CHARS.saturating_sub(fixed).max(1);
    let name = clean(name);
    let name = if name.chars().count() > room {
        let mut cut: String = name.chars().take(room.saturating_sub(1)).collect();
        cut = cut.trim_end().to_string();
        cut.push('…');
        cut
    } else if name.is_empty() {
        "Customer".to_string()
    } else {
        name
    };
    let mut title = format!("{square} {name}{tags}");
    if title.chars().count() > MAX_TITLE_CHARS {
        title = title.chars().take(MAX_TITLE_CHARS).collect();
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hostile_names_become_safe_titles() {
        assert_eq!(
            display_name("Ann\u{202E}a", Some("  B\nC "), None),
            "Anna B C"
        );
        assert_eq!(display_name("\u{200B}", None, Some("zed")), "@zed");
        assert_eq!(display_name("", None, None), "Customer");
        assert_eq!(
            topic_title(Status::Waiting, "<b>Bob</b> & *co*", &[]),
            "🟪 <b>Bob</b> & *co*"
        );
        let long = "x".repeat(300);
        let t = topic_title(Status::Answered, &long, &["VIP"]);
        assert_eq!(t.chars().count(), MAX_TITLE_CHARS);
        assert!(t.starts_with("🟨 xxx") && t.ends_with("… [VIP]"));
    }

    proptest! {
        #[test]
        fn titles_always_fit_and_keep_their_status(name in ".{0,400}", tag in "[A-Z]{0,10}") {
            for status in [Status::Waiting, Status::Answered, Status::Closed] {
                let t = topic_title(status, &name, &[&tag]);
                prop_assert!(t.chars().count() <= MAX_TITLE_CHARS);
                prop_assert!(t.starts_with(status.square()));
                let bad = t.chars().any(|c| c.is_control() || c == '\u{202E}');
                prop_assert!(!bad);
            }
        }
    }
}
