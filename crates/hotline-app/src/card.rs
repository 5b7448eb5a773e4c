//! The customer card (`/info`, AUTO_INFO): who the team is talking to, shaped by HIDE_INFO.

use hotline_core::params::HiddenInfo;
use hotline_core::title::display_name;
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Customer, Dialog};
use sha2::{Digest, Sha256};

use crate::config::ConnConfig;
use crate::jobs::Job;

/// A stable pseudonym for a customer (HIDE_INFO `name`): the same customer always gets the
/// same one within a connection, and it reveals nothing about them.
pub fn pseudonym(connection: i64, customer_chat: i64) -> String {
    let digest = Sha256::digest(format!("hotline-pseudonym:{connection}:{customer_chat}"));
    let code: String = digest.iter().take(3).map(|b| format!("{b:02X}")).collect();
    format!("#{code}")
}

/// The name the team sees for a dialog's customer (titles, cards, notices).
pub fn shown_name(cfg: &ConnConfig, d: &Dialog) -> String {
    if cfg.hides(HiddenInfo::Name) {
        pseudonym(d.connection_id.0, d.customer_chat_id.0)
    } else {
        d.title.clone()
    }
}

/// Formats unix milliseconds as a UTC date and time.
pub fn date_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

/// The card's text in `lang`. `private`: the full card, for the setup bot's private message
/// to an allowed member (HIDE_INFO `command`); otherwise HIDE_INFO `name` and `link` apply.
pub fn text(
    cfg: &ConnConfig,
    lang: Lang,
    d: &Dialog,
    c: &Customer,
    tags: &[String],
    private: bool,
) -> String {
    let hide_name = !private && cfg.hides(HiddenInfo::Name);
    let hide_link = !private && (cfg.hides(HiddenInfo::Link) || hide_name);
    let line =
        |key: Key, name: &str, value: String| tr_args(lang, key, &Args::new().str(name, value));
    let mut lines = Vec::new();
    if private {
        lines.push(line(Key::CardPrivateHeader, "topic", shown_name(cfg, d)));
    } else {
        lines.push(tr(lang, Key::CardHeader));
    }
    let name = if hide_name {
        pseudonym(d.connection_id.0, d.customer_chat_id.0)
    } else {
        display_name(&c.first_name, c.last_name.as_deref(), None)
    };
    lines.push(line(Key::CardName, "name", name));
    if !hide_link && let Some(u) = &c.username {
        lines.push(line(Key::CardUsername, "username", format!("@{u}")));
    }
    if !hide_name {
        lines.push(line(Key::CardId, "id", c.chat_id.to_string()));
    }
    if let Some(l) = &c.language_code {
        lines.push(line(Key::CardLanguage, "language", l.clone()));
    }
    if !hide_name && let Some(p) = &c.phone {
        lines.push(line(Key::CardPhone, "phone", p.clone()));
    }
    lines.push(line(Key::CardFirstContact, "date", date_time(c.first_seen)));
    if let Some(p) = &c.start_payload {
        lines.push(line(Key::CardStartPayload, "payload", p.clone()));
    }
    lines.push(tr_args(
        lang,
        Key::CardDialogs,
        &Args::new().num("count", d.openings.max(1)),
    ));
    if tags.is_empty() {
        lines.push(tr(lang, Key::CardTagsNone));
    } else {
        lines.push(line(Key::CardTags, "tags", tags.join(", ")));
    }
    lines.join("\n")
}

/// The jobs that show a card for dialog `d`: in the topic, or — with HIDE_INFO `command` —
/// privately to the members allowed to see it.
pub fn jobs(cfg: &ConnConfig, d: &Dialog, c: &Customer, tags: &[String]) -> Vec<Job> {
    if cfg.hides(HiddenInfo::Command) {
        return vec![Job::PrivateCard {
            dialog: d.id.0,
            users: cfg.card_recipients(),
            text: text(cfg, cfg.lang, d, c, tags, true),
        }];
    }
    vec![Job::Notice {
        dialog: d.id.0,
        text: text(cfg, cfg.lang, d, c, tags, false),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_and_distinct() {
        assert_eq!(pseudonym(1, 42), pseudonym(1, 42));
        assert_ne!(pseudonym(1, 42), pseudonym(1, 43));
        assert_ne!(pseudonym(1, 42), pseudonym(2, 42));
        let p = pseudonym(1, 42);
        assert_eq!(p.len(), 7);
        assert!(p.starts_with('#'));
        assert!(!p.contains("42"));
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(date_time(1_795_000_000_000), "2026-11-18 11:06 UTC");
    }
}
