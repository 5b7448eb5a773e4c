//! WEBHOOKS' value: [`WebhookEvent`], [`WebhookTrigger`], [`WebhookUrl`] and [`Webhooks`]
//! (parsed from and rendered to JSON).

use std::collections::{BTreeMap, BTreeSet};

use crate::params::keywords::{Cursor, OFF, fragment, is_off};

use super::errors::JsonToken;
use super::errors::ParamError;
use super::json::{expect, json_error, json_quote, json_string};
use super::values::CommandName;

/// A webhook event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WebhookEvent {
    DialogCreated,
    DialogReopened,
    DialogClosed,
    MessageReceived,
    MessageSent,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 5] = [
        WebhookEvent::DialogCreated,
        WebhookEvent::DialogReopened,
        WebhookEvent::DialogClosed,
        WebhookEvent::MessageReceived,
        WebhookEvent::MessageSent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::DialogCreated => "dialog_created",
            WebhookEvent::DialogReopened => "dialog_reopened",
            WebhookEvent::DialogClosed => "dialog_closed",
            WebhookEvent::MessageReceived => "message_received",
            WebhookEvent::MessageSent => "message_sent",
        }
    }

    /// Case-insensitive.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        WebhookEvent::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(s))
    }
}

/// What makes a webhook fire: an event, or a slash command typed in a topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WebhookTrigger {
    Event(WebhookEvent),
    Command(CommandName),
}

impl WebhookTrigger {
    /// `dialog_closed`… or `/command`.
    pub fn parse(text: &str) -> Result<Self, ParamError> {
        let t = text.trim();
        if t.starts_with('/') {
            return CommandName::parse(t).map(WebhookTrigger::Command);
        }
        WebhookEvent::parse(t)
            .map(WebhookTrigger::Event)
            .ok_or_else(|| ParamError::UnknownEvent(fragment(t)))
    }

    pub fn render(&self) -> String {
        match self {
            WebhookTrigger::Event(e) => e.as_str().to_string(),
            WebhookTrigger::Command(c) => c.to_string(),
        }
    }
}

/// An `http`/`https` URL with a host (scheme lowercased, otherwise as written).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub const MAX_CHARS: usize = 2048;

    pub fn parse(text: &str) -> Result<Self, ParamError> {
        let t = text.trim();
        let bad = || ParamError::BadUrl(fragment(t));
        if t.chars().count() > Self::MAX_CHARS
            || t.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`')
            })
        {
            return Err(bad());
        }
        let (scheme, rest) = t.split_once("://").ok_or_else(bad)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(bad());
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
            let (inside, after) = v6.split_once(']').ok_or_else(bad)?;
            if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
                return Err(bad());
            }
            match after {
                "" => (inside, None),
                p => (inside, Some(p.strip_prefix(':').ok_or_else(bad)?)),
            }
        } else {
            match host_port.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (host_port, None),
            }
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'));
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
        if !host_ok || !port_ok {
            return Err(bad());
        }
        Ok(WebhookUrl(format!("{scheme}://{rest}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// WEBHOOKS: each URL with what makes it fire (never an empty set).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Webhooks(BTreeMap<WebhookUrl, BTreeSet<WebhookTrigger>>);

impl Webhooks {
    /// Refuses a URL with no triggers.
    pub fn new(map: BTreeMap<WebhookUrl, BTreeSet<WebhookTrigger>>) -> Result<Self, ParamError> {
        if let Some((url, _)) = map.iter().find(|(_, t)| t.is_empty()) {
            return Err(ParamError::NoEvents(fragment(url.as_str())));
        }
        Ok(Webhooks(map))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&WebhookUrl, &BTreeSet<WebhookTrigger>)> {
        self.0.iter()
    }

    /// The URLs to POST `event` to.
    pub fn urls_for(&self, trigger: &WebhookTrigger) -> impl Iterator<Item = &WebhookUrl> {
        self.0
            .iter()
            .filter(move |(_, t)| t.contains(trigger))
            .map(|(u, _)| u)
    }

    /// JSON, or `{ "url": [ … ] }`; `OFF` and `{}` are empty.
    pub fn parse(text: &str) -> Result<Self, ParamError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(ParamError::Blank);
        }
        if is_off(t) {
            return Ok(Webhooks::default());
        }
        let mut c = Cursor::new(t);
        expect(&mut c, '{', JsonToken::ObjectStart)?;
        let mut map = BTreeMap::new();
        c.skip_ws();
        if c.peek() == Some('}') {
            c.bump();
        } else {
            loop {
                c.skip_ws();
                let key = json_string(&mut c)?;
                let url = WebhookUrl::parse(&key)?;
                expect(&mut c, ':', JsonToken::Colon)?;
                expect(&mut c, '[', JsonToken::ArrayStart)?;
                let mut triggers = BTreeSet::new();
                c.skip_ws();
                if c.peek() == Some(']') {
                    c.bump();
                } else {
                    loop {
                        c.skip_ws();
                        triggers.insert(WebhookTrigger::parse(&json_string(&mut c)?)?);
                        c.skip_ws();
                        let at = c.pos();
                        match c.bump() {
                            Some(',') => {}
                            Some(']') => break,
                            _ => return Err(json_error(&c, at, JsonToken::CommaOrArrayEnd)),
                        }
                    }
                }
                if triggers.is_empty() {
                    return Err(ParamError::NoEvents(fragment(url.as_str())));
                }
                if map.contains_key(&url) {
                    return Err(ParamError::DuplicateUrl(fragment(url.as_str())));
                }
                map.insert(url, triggers);
                c.skip_ws();
                let at = c.pos();
                match c.bump() {
                    Some(',') => {}
                    Some('}') => break,
                    _ => return Err(json_error(&c, at, JsonToken::CommaOrObjectEnd)),
                }
            }
        }
        c.skip_ws();
        if !c.at_end() {
            return Err(json_error(&c, c.pos(), JsonToken::End));
        }
        Ok(Webhooks(map))
    }

    /// `{"https://…": ["dialog_created", "/cmd"]}`, or `OFF` when empty.
    pub fn render(&self) -> String {
        if self.0.is_empty() {
            return OFF.to_string();
        }
        let mut out = String::from("{");
        for (i, (url, triggers)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            json_quote(url.as_str(), &mut out);
            out.push_str(": [");
            for (j, t) in triggers.iter().enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                json_quote(&t.render(), &mut out);
            }
            out.push(']');
        }
        out.push('}');
        out
    }
}
