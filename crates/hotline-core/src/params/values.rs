//! Parameter values: the validated value types ([`WelcomeText`], [`AutocloseHours`],
//! [`Members`], [`HiddenInfo`], [`IconColor`], [`CommandName`]), [`ParamValue`] (one
//! parameter's typed value) and the parsing and rendering of the admin's text.

use std::collections::BTreeSet;
use std::fmt;

use crate::ChatId;
use crate::dialog::{DialogKind, KindSet};
use crate::keywords::{KeywordList, OFF, fragment, is_off, split_list};
use crate::roles::UserId;

use super::errors::ParamError;
use super::names::ParamName;
use super::webhooks::Webhooks;

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

/// One parameter's value, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// `None` is `OFF`.
    Welcome(Option<WelcomeText>),
    /// `None` is `OFF`: never close automatically.
    Autoclose(Option<AutocloseHours>),
    AutoInfo(bool),
    ExtensionsAllowed(Members),
    SilentMode(bool),
    IgnoreChats(BTreeSet<ChatId>),
    WhiteList(BTreeSet<ChatId>),
    HideInfo(BTreeSet<HiddenInfo>),
    ReplyOnly(bool),
    LeaveClosed(KindSet),
    PrivateKeywords(KeywordList),
    GroupsKeywords(KeywordList),
    ChannelsKeywords(KeywordList),
    RestrictedKeywordsFrontend(KeywordList),
    MonitorPrivate(bool),
    MonitorGroups(bool),
    MonitorChannels(bool),
    Webhooks(Webhooks),
    CustomCommands(BTreeSet<CommandName>),
    IconColor(IconColor),
}

impl ParamValue {
    /// Parses the admin's text for `name`. Blank text is always refused.
    pub fn parse(name: ParamName, text: &str) -> Result<Self, ParamError> {
        if text.trim().is_empty() {
            return Err(ParamError::Blank);
        }
        Ok(match name {
            ParamName::Welcome => ParamValue::Welcome(parse_welcome(text)?),
            ParamName::Autoclose => ParamValue::Autoclose(parse_hours(text)?),
            ParamName::AutoInfo => ParamValue::AutoInfo(parse_switch(text)?),
            ParamName::ExtensionsAllowed => ParamValue::ExtensionsAllowed(parse_members(text)?),
            ParamName::SilentMode => ParamValue::SilentMode(parse_switch(text)?),
            ParamName::IgnoreChats => ParamValue::IgnoreChats(parse_chats(text)?),
            ParamName::WhiteList => ParamValue::WhiteList(parse_chats(text)?),
            ParamName::HideInfo => ParamValue::HideInfo(parse_hidden(text)?),
            ParamName::ReplyOnly => ParamValue::ReplyOnly(parse_switch(text)?),
            ParamName::LeaveClosed => ParamValue::LeaveClosed(parse_kinds(text)?),
            ParamName::PrivateKeywords => ParamValue::PrivateKeywords(KeywordList::parse(text)?),
            ParamName::GroupsKeywords => ParamValue::GroupsKeywords(KeywordList::parse(text)?),
            ParamName::ChannelsKeywords => ParamValue::ChannelsKeywords(KeywordList::parse(text)?),
            ParamName::RestrictedKeywordsFrontend => {
                ParamValue::RestrictedKeywordsFrontend(KeywordList::parse(text)?)
            }
            ParamName::MonitorPrivate => ParamValue::MonitorPrivate(parse_switch(text)?),
            ParamName::MonitorGroups => ParamValue::MonitorGroups(parse_switch(text)?),
            ParamName::MonitorChannels => ParamValue::MonitorChannels(parse_switch(text)?),
            ParamName::Webhooks => ParamValue::Webhooks(Webhooks::parse(text)?),
            ParamName::CustomCommands => ParamValue::CustomCommands(parse_commands(text)?),
            ParamName::IconColor => ParamValue::IconColor(IconColor::parse(text)?),
        })
    }

    pub fn name(&self) -> ParamName {
        match self {
            ParamValue::Welcome(_) => ParamName::Welcome,
            ParamValue::Autoclose(_) => ParamName::Autoclose,
            ParamValue::AutoInfo(_) => ParamName::AutoInfo,
            ParamValue::ExtensionsAllowed(_) => ParamName::ExtensionsAllowed,
            ParamValue::SilentMode(_) => ParamName::SilentMode,
            ParamValue::IgnoreChats(_) => ParamName::IgnoreChats,
            ParamValue::WhiteList(_) => ParamName::WhiteList,
            ParamValue::HideInfo(_) => ParamName::HideInfo,
            ParamValue::ReplyOnly(_) => ParamName::ReplyOnly,
            ParamValue::LeaveClosed(_) => ParamName::LeaveClosed,
            ParamValue::PrivateKeywords(_) => ParamName::PrivateKeywords,
            ParamValue::GroupsKeywords(_) => ParamName::GroupsKeywords,
            ParamValue::ChannelsKeywords(_) => ParamName::ChannelsKeywords,
            ParamValue::RestrictedKeywordsFrontend(_) => ParamName::RestrictedKeywordsFrontend,
            ParamValue::MonitorPrivate(_) => ParamName::MonitorPrivate,
            ParamValue::MonitorGroups(_) => ParamName::MonitorGroups,
            ParamValue::MonitorChannels(_) => ParamName::MonitorChannels,
            ParamValue::Webhooks(_) => ParamName::Webhooks,
            ParamValue::CustomCommands(_) => ParamName::CustomCommands,
            ParamValue::IconColor(_) => ParamName::IconColor,
        }
    }

    /// The canonical text; `parse(self.name(), &self.render())` gives back `self`.
    pub fn render(&self) -> String {
        match self {
            ParamValue::Welcome(w) => w
                .as_ref()
                .map_or_else(|| OFF.to_string(), |w| w.as_str().to_string()),
            ParamValue::Autoclose(h) => h.map_or_else(|| OFF.to_string(), |h| h.get().to_string()),
            ParamValue::AutoInfo(b)
            | ParamValue::SilentMode(b)
            | ParamValue::ReplyOnly(b)
            | ParamValue::MonitorPrivate(b)
            | ParamValue::MonitorGroups(b)
            | ParamValue::MonitorChannels(b) => if *b { "on" } else { "off" }.to_string(),
            ParamValue::ExtensionsAllowed(m) => match m {
                Members::Admin => OFF.to_string(),
                Members::Everyone => ".".to_string(),
                Members::Ids(ids) => join(ids.iter().map(|u| u.0.to_string())),
            },
            ParamValue::IgnoreChats(ids) | ParamValue::WhiteList(ids) => {
                join(ids.iter().map(|c| c.0.to_string()))
            }
            ParamValue::HideInfo(set) => join(set.iter().map(|h| h.as_str().to_string())),
            ParamValue::LeaveClosed(kinds) => join(
                DialogKind::ALL
                    .into_iter()
                    .filter(|k| kinds.contains(*k))
                    .map(|k| k.as_str().to_string()),
            ),
            ParamValue::PrivateKeywords(k)
            | ParamValue::GroupsKeywords(k)
            | ParamValue::ChannelsKeywords(k)
            | ParamValue::RestrictedKeywordsFrontend(k) => k.render(),
            ParamValue::Webhooks(w) => w.render(),
            ParamValue::CustomCommands(set) => join(set.iter().map(CommandName::to_string)),
            ParamValue::IconColor(c) => c.as_str().to_string(),
        }
    }
}

/// Items joined with `, `, or `OFF` for none.
fn join(items: impl Iterator<Item = String>) -> String {
    let joined = items.collect::<Vec<_>>().join(", ");
    if joined.is_empty() {
        OFF.to_string()
    } else {
        joined
    }
}

fn parse_welcome(text: &str) -> Result<Option<WelcomeText>, ParamError> {
    if is_off(text) {
        return Ok(None);
    }
    WelcomeText::new(text).map(Some)
}

fn parse_hours(text: &str) -> Result<Option<AutocloseHours>, ParamError> {
    if is_off(text) {
        return Ok(None);
    }
    let t = text.trim();
    let digits = t
        .strip_suffix(['h', 'H'])
        .map_or(t, str::trim_end)
        .trim_start_matches('+');
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(ParamError::NotHours(fragment(t)));
    }
    let out_of_range = || ParamError::HoursOutOfRange {
        fragment: fragment(t),
        min: AutocloseHours::MIN,
        max: AutocloseHours::MAX,
    };
    let hours = digits.parse::<u32>().map_err(|_| out_of_range())?;
    AutocloseHours::new(hours)
        .map(Some)
        .ok_or_else(out_of_range)
}

/// on/off/yes/no/true/false/1/0, any case.
pub fn parse_switch(text: &str) -> Result<bool, ParamError> {
    let t = text.trim();
    match t.to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" | "1" => Ok(true),
        "off" | "no" | "false" | "0" => Ok(false),
        _ => Err(ParamError::NotOnOff(fragment(t))),
    }
}

fn parse_id(item: &str) -> Option<i64> {
    item.trim().parse::<i64>().ok().filter(|id| *id != 0)
}

fn parse_chats(text: &str) -> Result<BTreeSet<ChatId>, ParamError> {
    if is_off(text) {
        return Ok(BTreeSet::new());
    }
    split_list(text)?
        .iter()
        .map(|item| {
            parse_id(item)
                .map(ChatId)
                .ok_or_else(|| ParamError::NotAnId(fragment(item)))
        })
        .collect()
}

fn parse_members(text: &str) -> Result<Members, ParamError> {
    if is_off(text) {
        return Ok(Members::Admin);
    }
    let mut ids = BTreeSet::new();
    let mut everyone = false;
    for item in split_list(text)? {
        if item.trim() == "." {
            everyone = true;
            continue;
        }
        match parse_id(&item).filter(|id| *id > 0) {
            Some(id) => ids.insert(UserId(id)),
            None => return Err(ParamError::NotAnId(fragment(&item))),
        };
    }
    Ok(if everyone {
        Members::Everyone
    } else {
        Members::ids(ids)
    })
}

fn parse_hidden(text: &str) -> Result<BTreeSet<HiddenInfo>, ParamError> {
    if is_off(text) {
        return Ok(BTreeSet::new());
    }
    split_list(text)?
        .iter()
        .map(|item| {
            HiddenInfo::parse(item).ok_or_else(|| ParamError::UnknownOption {
                fragment: fragment(item),
                allowed: HiddenInfo::WORDS,
            })
        })
        .collect()
}

const KIND_WORDS: &[&str] = &["private", "group", "channel"];

fn parse_kinds(text: &str) -> Result<KindSet, ParamError> {
    if is_off(text) {
        return Ok(KindSet::EMPTY);
    }
    split_list(text)?
        .iter()
        .map(|item| {
            match item.trim().to_lowercase().as_str() {
                "private" => Some(DialogKind::Private),
                "group" | "groups" => Some(DialogKind::Group),
                "channel" | "channels" => Some(DialogKind::Channel),
                _ => None,
            }
            .ok_or_else(|| ParamError::UnknownOption {
                fragment: fragment(item),
                allowed: KIND_WORDS,
            })
        })
        .collect()
}

fn parse_commands(text: &str) -> Result<BTreeSet<CommandName>, ParamError> {
    if is_off(text) {
        return Ok(BTreeSet::new());
    }
    split_list(text)?
        .iter()
        .map(|item| {
            let c = CommandName::parse(item)?;
            if c.is_hotline_command() {
                return Err(ParamError::ReservedCommand(c.as_str().to_string()));
            }
            Ok(c)
        })
        .collect()
}
