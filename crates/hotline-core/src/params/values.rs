//! Parameter values: the validated value types ([`WelcomeText`], [`AutocloseHours`],
//! [`Members`], [`HiddenInfo`], [`IconColor`], [`CommandName`]), [`ParamValue`] (one
//! parameter's typed value) and the parsing and rendering of the admin's text.

use std::collections::BTreeSet;
use std::fmt;

use crate::params::keywords::{fragment, is_off};
use crate::roles::UserId;

use super::errors::ParamError;
/// The default WELCOME (English; the UI layer offers localized ones).
pub const DEFAULT_WELCOME: &str =
    "Hello, {title}! Please describe your question and we will answer soon.";

/// WELCOME's placeholder for the customer's name.
pub const TITLE_PLACEHOLDER: &str = "{title}";

/// Telegram's limit on a text message, in characters.
pub const MAX_WELCOME_CHARS: usize = 4096;

/// Commands Hotline handles in the backend group; CUSTOM_COMMANDS cannot take them over.
pub const HOTLINE_COMMANDS: [&str; 13] = [
    "close", "hold", "wait", "info", "ban", "unban", "help", "mark", "send", "new", "export",
    "stats", "del",
];

/// WELCOME's text: trimmed, not blank, at most [`MAX_WELCOME_CHARS`], not the word `OFF`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WelcomeText(String);

impl WelcomeText {
    pub fn new(text: &str) -> Result<Self, ParamError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ParamError::Blank);
        }
        if is_off(text) {
            return Err(ParamError::ReservedWord(text.to_string()));
        }
        let len = text.chars().count();
        if len > MAX_WELCOME_CHARS {
            return Err(ParamError::TooLong {
                max: MAX_WELCOME_CHARS,
                len,
            });
        }
        Ok(WelcomeText(text.to_string()))
    }

    /// The product's default greeting.
    pub fn default_greeting() -> Self {
        WelcomeText(DEFAULT_WELCOME.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text with every `{title}` replaced by `title` (inserted verbatim: escape it for
    /// the parse mode the text is sent with).
    pub fn for_title(&self, title: &str) -> String {
        self.0.replace(TITLE_PLACEHOLDER, title)
    }
}

/// AUTOCLOSE hours, within `MIN..=MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AutocloseHours(pub(super) u32);

impl AutocloseHours {
    pub const MIN: u32 = 1;
    /// A year; beyond that, use `OFF`.
    pub const MAX: u32 = 8760;

    pub fn new(hours: u32) -> Option<Self> {
        (Self::MIN..=Self::MAX)
            .contains(&hours)
            .then_some(AutocloseHours(hours))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Who may use the modules (EXTENSIONS_ALLOWED), besides admins who always may.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Members {
    /// Only the connection's admins (the default; `OFF`).
    Admin,
    /// Every member of the backend group (`.`).
    Everyone,
    /// These users (never empty: an empty set is [`Members::Admin`], see [`Members::ids`]).
    Ids(BTreeSet<UserId>),
}

impl Members {
    /// These users; none means [`Members::Admin`].
    pub fn ids(ids: impl IntoIterator<Item = UserId>) -> Self {
        let ids: BTreeSet<UserId> = ids.into_iter().collect();
        if ids.is_empty() {
            Members::Admin
        } else {
            Members::Ids(ids)
        }
    }

    /// Whether `user` is allowed, `is_admin` telling whether they administer the connection.
    pub fn allows(&self, user: UserId, is_admin: bool) -> bool {
        is_admin
            || match self {
                Members::Admin => false,
                Members::Everyone => true,
                Members::Ids(ids) => ids.contains(&user),
            }
    }
}

/// What HIDE_INFO can hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HiddenInfo {
    /// Topic titles use a stable pseudonym.
    Name,
    /// `/info` goes privately to EXTENSIONS_ALLOWED users only.
    Command,
    /// No username or profile link.
    Link,
    /// Group titles hidden.
    Title,
}

impl HiddenInfo {
    pub const ALL: [HiddenInfo; 4] = [
        HiddenInfo::Name,
        HiddenInfo::Command,
        HiddenInfo::Link,
        HiddenInfo::Title,
    ];
    pub(super) const WORDS: &'static [&'static str] = &["name", "command", "link", "title"];

    pub fn as_str(self) -> &'static str {
        match self {
            HiddenInfo::Name => "name",
            HiddenInfo::Command => "command",
            HiddenInfo::Link => "link",
            HiddenInfo::Title => "title",
        }
    }

    /// Case-insensitive.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        HiddenInfo::ALL
            .into_iter()
            .find(|h| h.as_str().eq_ignore_ascii_case(s))
    }
}

/// Telegram's six forum topic icon colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IconColor {
    Blue,
    Yellow,
    Violet,
    Green,
    Rose,
    Red,
}

impl IconColor {
    pub const ALL: [IconColor; 6] = [
        IconColor::Blue,
        IconColor::Yellow,
        IconColor::Violet,
        IconColor::Green,
        IconColor::Rose,
        IconColor::Red,
    ];

    /// The `icon_color` value `createForumTopic` takes.
    pub fn rgb(self) -> u32 {
        match self {
            IconColor::Blue => 0x6FB9F0,
            IconColor::Yellow => 0xFFD67E,
            IconColor::Violet => 0xCB86DB,
            IconColor::Green => 0x8EEE98,
            IconColor::Rose => 0xFF93B2,
            IconColor::Red => 0xFB6F5F,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IconColor::Blue => "blue",
            IconColor::Yellow => "yellow",
            IconColor::Violet => "violet",
            IconColor::Green => "green",
            IconColor::Rose => "rose",
            IconColor::Red => "red",
        }
    }

    pub fn from_rgb(rgb: u32) -> Option<Self> {
        IconColor::ALL.into_iter().find(|c| c.rgb() == rgb)
    }

    /// A name (`violet`/`purple`, `rose`/`pink`, any case) or a hex value (`#6FB9F0`,
    /// `0x6FB9F0`, `6FB9F0`) of one of the six.
    pub fn parse(text: &str) -> Result<Self, ParamError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(ParamError::Blank);
        }
        let lower = t.to_ascii_lowercase();
        let by_name = match lower.as_str() {
            "blue" => Some(IconColor::Blue),
            "yellow" => Some(IconColor::Yellow),
            "violet" | "purple" => Some(IconColor::Violet),
            "green" => Some(IconColor::Green),
            "rose" | "pink" => Some(IconColor::Rose),
            "red" => Some(IconColor::Red),
            _ => None,
        };
        if let Some(c) = by_name {
            return Ok(c);
        }
        let hex = lower
            .strip_prefix('#')
            .or_else(|| lower.strip_prefix("0x"))
            .unwrap_or(&lower);
        if hex.len() == 6
            && hex.chars().all(|c| c.is_ascii_hexdigit())
            && let Some(c) = u32::from_str_radix(hex, 16)
                .ok()
                .and_then(IconColor::from_rgb)
        {
            return Ok(c);
        }
        Err(ParamError::UnknownColor(fragment(t)))
    }
}

/// A bot command name: 1–32 of `a-z`, `0-9`, `_`, stored without the slash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommandName(String);

impl CommandName {
    /// With or without a leading `/`; uppercase ASCII is lowercased.
    pub fn parse(text: &str) -> Result<Self, ParamError> {
        let t = text.trim();
        let name = t.strip_prefix('/').unwrap_or(t).to_ascii_lowercase();
        let ok = (1..=32).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(CommandName(name))
        } else {
            Err(ParamError::NotACommand(fragment(t)))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// One of [`HOTLINE_COMMANDS`].
    pub fn is_hotline_command(&self) -> bool {
        HOTLINE_COMMANDS.contains(&self.0.as_str())
    }
}

impl fmt::Display for CommandName {
    /// With its slash.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0)
    }
}
