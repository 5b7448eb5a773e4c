//! The connection parameters of product.md §3: their names, typed values and defaults, the
//! admin's text parsed into values, values rendered back to text, and the plan limits.
//!
//! Every parameter goes through the same three steps. [`ParamValue::parse`] turns the text
//! the admin sent into a typed value or a [`ParamError`] naming what is wrong (the i18n layer
//! phrases it; `Display` is for logs). [`ParamValue::check_plan`] refuses what the plan does
//! not allow ([`PlanRefusal`]). [`Params::apply`] stores it. [`Params::set`] does all three
//! and changes nothing unless all succeed. [`ParamValue::render`] writes the canonical text,
//! which parses back to an equal value, so [`Params::to_pairs`] / [`Params::from_pairs`] are
//! all the store needs.
//!
//! Common syntax: lists are comma-separated, each item bare or quoted (`"a", "b"`, see
//! [`crate::keywords`] for quoting); `OFF` (any case) clears a list or disables an option;
//! blank text is refused ([`ParamError::Blank`]) rather than read as `OFF`.
//!
//! Decisions where product.md is silent:
//! - AUTOCLOSE also accepts `OFF` (never close automatically) and an `h` suffix (`24h`); its
//!   range is 1..=8760 hours (a year). The free plan allows at most 48, so `OFF` is paid.
//! - EXTENSIONS_ALLOWED: `OFF` means [`Members::Admin`] (only the connection's admins, who
//!   have every right anyway — the default); `.` anywhere in the list means
//!   [`Members::Everyone`]; user ids must be positive.
//! - IGNORE_CHATS / WHITE_LIST hold nonzero chat ids (negative for groups), as sets:
//!   duplicates collapse and the rendering is sorted.
//! - HIDE_INFO / LEAVE_CLOSED accept their words in any case, LEAVE_CLOSED also plurals
//!   (`groups`); they render in the product's order.
//! - WELCOME is trimmed, at most 4096 characters (Telegram's message limit; `{title}`
//!   substitution and the branding line may make the sent text longer — the sender splits or
//!   trims). Only `{title}` is a placeholder; other braces are literal text.
//! - WEBHOOKS: an empty object `{}` equals `OFF`; a URL listed twice or with no events is
//!   refused; URLs must be `http`/`https` with a host; duplicate triggers collapse.
//!   Typographic quotes are accepted as JSON quotes.
//! - CUSTOM_COMMANDS refuses Hotline's own topic commands ([`HOTLINE_COMMANDS`]): ignoring
//!   `/close` would break the dialog flow. Commands are lowercased.
//! - ICON_COLOR accepts only Telegram's six colours, by name or by their exact hex value.
//! - A value the plan no longer allows (after a downgrade) stays stored; [`Params::effective`]
//!   gives what the runtime must use on that plan.
//! - [`Params::from_pairs`] ignores unknown names (a newer or older version's parameters) and
//!   uses defaults for missing ones; a stored value that does not parse is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::ChatId;
use crate::dialog::{DialogKind, KindSet, Policy};
use crate::keywords::{Cursor, KeywordList, OFF, closers, fragment, is_off, split_list};
use crate::roles::UserId;

/// The default WELCOME (English; the UI layer offers localized ones).
pub const DEFAULT_WELCOME: &str =
    "Hello, {title}! Please describe your question and we will answer soon.";

/// WELCOME's placeholder for the customer's name.
pub const TITLE_PLACEHOLDER: &str = "{title}";

/// Telegram's limit on a text message, in characters.
pub const MAX_WELCOME_CHARS: usize = 4096;

/// The default AUTOCLOSE, and the most the free plan allows.
pub const FREE_AUTOCLOSE_MAX_HOURS: u32 = 48;

/// Telegram's service notifications chat, ignored by default.
pub const TELEGRAM_SERVICE_CHAT: ChatId = ChatId(777_000);

/// Commands Hotline handles in the backend group; CUSTOM_COMMANDS cannot take them over.
pub const HOTLINE_COMMANDS: [&str; 13] = [
    "close", "hold", "wait", "info", "ban", "unban", "help", "mark", "send", "new", "export",
    "stats", "del",
];

/// A connection's plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plan {
    Free,
    Paid,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Paid => "paid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "free" => Some(Plan::Free),
            "paid" => Some(Plan::Paid),
            _ => None,
        }
    }
}

/// The twenty parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamName {
    Welcome,
    Autoclose,
    AutoInfo,
    ExtensionsAllowed,
    SilentMode,
    IgnoreChats,
    WhiteList,
    HideInfo,
    ReplyOnly,
    LeaveClosed,
    PrivateKeywords,
    GroupsKeywords,
    ChannelsKeywords,
    RestrictedKeywordsFrontend,
    MonitorPrivate,
    MonitorGroups,
    MonitorChannels,
    Webhooks,
    CustomCommands,
    IconColor,
}

/// What kind of value a parameter takes (which help text and keyboard the UI shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamKind {
    /// WELCOME: text or `OFF`.
    Text,
    /// AUTOCLOSE: hours or `OFF`.
    Hours,
    /// on/off.
    Switch,
    /// EXTENSIONS_ALLOWED: user ids or `.`.
    Members,
    /// IGNORE_CHATS, WHITE_LIST.
    ChatIds,
    /// HIDE_INFO.
    HiddenInfo,
    /// LEAVE_CLOSED.
    DialogKinds,
    /// The four keyword lists.
    Keywords,
    /// WEBHOOKS: JSON.
    Webhooks,
    /// CUSTOM_COMMANDS.
    Commands,
    /// ICON_COLOR.
    Color,
}

impl ParamName {
    pub const ALL: [ParamName; 20] = [
        ParamName::Welcome,
        ParamName::Autoclose,
        ParamName::AutoInfo,
        ParamName::ExtensionsAllowed,
        ParamName::SilentMode,
        ParamName::IgnoreChats,
        ParamName::WhiteList,
        ParamName::HideInfo,
        ParamName::ReplyOnly,
        ParamName::LeaveClosed,
        ParamName::PrivateKeywords,
        ParamName::GroupsKeywords,
        ParamName::ChannelsKeywords,
        ParamName::RestrictedKeywordsFrontend,
        ParamName::MonitorPrivate,
        ParamName::MonitorGroups,
        ParamName::MonitorChannels,
        ParamName::Webhooks,
        ParamName::CustomCommands,
        ParamName::IconColor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ParamName::Welcome => "WELCOME",
            ParamName::Autoclose => "AUTOCLOSE",
            ParamName::AutoInfo => "AUTO_INFO",
            ParamName::ExtensionsAllowed => "EXTENSIONS_ALLOWED",
            ParamName::SilentMode => "SILENT_MODE",
            ParamName::IgnoreChats => "IGNORE_CHATS",
            ParamName::WhiteList => "WHITE_LIST",
            ParamName::HideInfo => "HIDE_INFO",
            ParamName::ReplyOnly => "REPLY_ONLY",
            ParamName::LeaveClosed => "LEAVE_CLOSED",
            ParamName::PrivateKeywords => "PRIVATE_KEYWORDS",
            ParamName::GroupsKeywords => "GROUPS_KEYWORDS",
            ParamName::ChannelsKeywords => "CHANNELS_KEYWORDS",
            ParamName::RestrictedKeywordsFrontend => "RESTRICTED_KEYWORDS_FRONTEND",
            ParamName::MonitorPrivate => "MONITOR_PRIVATE",
            ParamName::MonitorGroups => "MONITOR_GROUPS",
            ParamName::MonitorChannels => "MONITOR_CHANNELS",
            ParamName::Webhooks => "WEBHOOKS",
            ParamName::CustomCommands => "CUSTOM_COMMANDS",
            ParamName::IconColor => "ICON_COLOR",
        }
    }

    /// Case-insensitive; surrounding whitespace ignored.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        ParamName::ALL
            .into_iter()
            .find(|n| n.as_str().eq_ignore_ascii_case(s))
    }

    pub fn kind(self) -> ParamKind {
        match self {
            ParamName::Welcome => ParamKind::Text,
            ParamName::Autoclose => ParamKind::Hours,
            ParamName::AutoInfo
            | ParamName::SilentMode
            | ParamName::ReplyOnly
            | ParamName::MonitorPrivate
            | ParamName::MonitorGroups
            | ParamName::MonitorChannels => ParamKind::Switch,
            ParamName::ExtensionsAllowed => ParamKind::Members,
            ParamName::IgnoreChats | ParamName::WhiteList => ParamKind::ChatIds,
            ParamName::HideInfo => ParamKind::HiddenInfo,
            ParamName::LeaveClosed => ParamKind::DialogKinds,
            ParamName::PrivateKeywords
            | ParamName::GroupsKeywords
            | ParamName::ChannelsKeywords
            | ParamName::RestrictedKeywordsFrontend => ParamKind::Keywords,
            ParamName::Webhooks => ParamKind::Webhooks,
            ParamName::CustomCommands => ParamKind::Commands,
            ParamName::IconColor => ParamKind::Color,
        }
    }

    /// Only the empty value is allowed on the free plan.
    pub fn is_paid_only(self) -> bool {
        matches!(
            self,
            ParamName::HideInfo | ParamName::LeaveClosed | ParamName::Webhooks
        )
    }

    /// The *_KEYWORDS parameter gating `kind`.
    pub fn keywords_for(kind: DialogKind) -> Self {
        match kind {
            DialogKind::Private => ParamName::PrivateKeywords,
            DialogKind::Group => ParamName::GroupsKeywords,
            DialogKind::Channel => ParamName::ChannelsKeywords,
        }
    }
}

impl fmt::Display for ParamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for ParamName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// What is wrong with the admin's text. Fragments are the offending part of the input
/// (at most 40 characters), for the localized explanation to quote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamError {
    /// Nothing was sent (use `OFF` to clear).
    Blank,
    /// The text has `len` characters; at most `max` are allowed.
    TooLong { max: usize, len: usize },
    /// A quote that is never closed.
    UnclosedQuote(String),
    /// A quote in the middle of an unquoted word.
    StrayQuote(String),
    /// Something after a closing quote other than `,` (or `]`).
    TextAfterQuote(String),
    /// Nothing between two commas (or before the first / after the last); 1-based.
    EmptyItem { position: usize },
    /// A word with no text: `""`, `"~"`, `~`, or an empty place in a group.
    EmptyWord(String),
    /// `[` without its `]`.
    UnclosedBracket(String),
    /// `[]`.
    EmptyBracket(String),
    /// `[` inside a group.
    NestedBracket(String),
    /// Something after `]` other than `,`.
    TextAfterBracket(String),
    /// A bracket where none may be (inside a word, `]` without `[`, in a plain list).
    StrayBracket(String),
    /// Not one of on/off/yes/no/true/false/1/0.
    NotOnOff(String),
    /// Not a valid id (chat ids: nonzero integers; user ids: positive).
    NotAnId(String),
    /// Not a whole number of hours.
    NotHours(String),
    /// Hours outside `min..=max`.
    HoursOutOfRange {
        fragment: String,
        min: u32,
        max: u32,
    },
    /// Not one of the words `allowed` (HIDE_INFO, LEAVE_CLOSED).
    UnknownOption {
        fragment: String,
        allowed: &'static [&'static str],
    },
    /// A command name must be 1–32 of `a-z`, `0-9`, `_` (an optional leading `/`).
    NotACommand(String),
    /// CUSTOM_COMMANDS cannot take over one of Hotline's commands.
    ReservedCommand(String),
    /// Not one of Telegram's six topic colours.
    UnknownColor(String),
    /// WEBHOOKS is not the expected JSON: `expected` is what should have come at `fragment`.
    JsonSyntax {
        expected: JsonToken,
        fragment: String,
    },
    /// Not an `http`/`https` URL with a host.
    BadUrl(String),
    /// Not a webhook event nor a `/command`.
    UnknownEvent(String),
    /// The same URL twice in WEBHOOKS.
    DuplicateUrl(String),
    /// A WEBHOOKS URL with an empty list of events.
    NoEvents(String),
    /// A WELCOME text that reads as `OFF` (only from [`WelcomeText::new`]).
    ReservedWord(String),
}

/// What the WEBHOOKS JSON should have had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonToken {
    /// `{`
    ObjectStart,
    /// `:`
    Colon,
    /// `[`
    ArrayStart,
    /// `,` or `}`
    CommaOrObjectEnd,
    /// `,` or `]`
    CommaOrArrayEnd,
    /// A `"string"`.
    String,
    /// A valid `\` escape.
    Escape,
    /// Nothing more after the closing `}`.
    End,
}

impl fmt::Display for ParamError {
    /// For logs only; people see the localized explanation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Blank => write!(f, "empty value"),
            ParamError::TooLong { max, len } => write!(f, "too long: {len} > {max} characters"),
            ParamError::UnclosedQuote(s) => write!(f, "unclosed quote at {s:?}"),
            ParamError::StrayQuote(s) => write!(f, "quote inside a word at {s:?}"),
            ParamError::TextAfterQuote(s) => write!(f, "text after a closing quote at {s:?}"),
            ParamError::EmptyItem { position } => write!(f, "empty item #{position}"),
            ParamError::EmptyWord(s) => write!(f, "empty word at {s:?}"),
            ParamError::UnclosedBracket(s) => write!(f, "unclosed bracket at {s:?}"),
            ParamError::EmptyBracket(s) => write!(f, "empty brackets at {s:?}"),
            ParamError::NestedBracket(s) => write!(f, "nested brackets at {s:?}"),
            ParamError::TextAfterBracket(s) => write!(f, "text after a closing bracket at {s:?}"),
            ParamError::StrayBracket(s) => write!(f, "unexpected bracket at {s:?}"),
            ParamError::NotOnOff(s) => write!(f, "not on/off: {s:?}"),
            ParamError::NotAnId(s) => write!(f, "not an id: {s:?}"),
            ParamError::NotHours(s) => write!(f, "not a number of hours: {s:?}"),
            ParamError::HoursOutOfRange { fragment, min, max } => {
                write!(f, "hours {fragment:?} outside {min}..={max}")
            }
            ParamError::UnknownOption { fragment, allowed } => {
                write!(
                    f,
                    "unknown option {fragment:?}, expected one of {allowed:?}"
                )
            }
            ParamError::NotACommand(s) => write!(f, "not a command name: {s:?}"),
            ParamError::ReservedCommand(s) => write!(f, "command reserved by Hotline: {s:?}"),
            ParamError::UnknownColor(s) => write!(f, "not a topic colour: {s:?}"),
            ParamError::JsonSyntax { expected, fragment } => {
                write!(f, "bad JSON: expected {expected:?} at {fragment:?}")
            }
            ParamError::BadUrl(s) => write!(f, "not an http(s) URL: {s:?}"),
            ParamError::UnknownEvent(s) => write!(f, "unknown webhook event: {s:?}"),
            ParamError::DuplicateUrl(s) => write!(f, "URL listed twice: {s:?}"),
            ParamError::NoEvents(s) => write!(f, "no events for URL {s:?}"),
            ParamError::ReservedWord(s) => write!(f, "reserved word as text: {s:?}"),
        }
    }
}

impl std::error::Error for ParamError {}

/// A value the plan does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanRefusal {
    /// Free plan: WELCOME cannot be `OFF`.
    WelcomeRequired,
    /// Free plan: AUTOCLOSE at most `max` hours; `requested` is `None` for `OFF`.
    AutocloseTooLong { max: u32, requested: Option<u32> },
    /// Paid plans only; on the free plan only the empty value (`OFF`) is allowed.
    PaidOnly(ParamName),
}

impl PlanRefusal {
    pub fn param(self) -> ParamName {
        match self {
            PlanRefusal::WelcomeRequired => ParamName::Welcome,
            PlanRefusal::AutocloseTooLong { .. } => ParamName::Autoclose,
            PlanRefusal::PaidOnly(name) => name,
        }
    }
}

impl fmt::Display for PlanRefusal {
    /// For logs only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanRefusal::WelcomeRequired => write!(f, "free plan: WELCOME cannot be OFF"),
            PlanRefusal::AutocloseTooLong { max, requested } => match requested {
                Some(h) => write!(f, "free plan: AUTOCLOSE {h} > {max} hours"),
                None => write!(f, "free plan: AUTOCLOSE cannot be OFF (max {max} hours)"),
            },
            PlanRefusal::PaidOnly(name) => write!(f, "{name} needs a paid plan"),
        }
    }
}

impl std::error::Error for PlanRefusal {}

/// Why [`Params::set`] changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SetError {
    Invalid(ParamError),
    Plan(PlanRefusal),
}

impl From<ParamError> for SetError {
    fn from(e: ParamError) -> Self {
        SetError::Invalid(e)
    }
}

impl From<PlanRefusal> for SetError {
    fn from(e: PlanRefusal) -> Self {
        SetError::Plan(e)
    }
}

impl fmt::Display for SetError {
    /// For logs only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::Invalid(e) => e.fmt(f),
            SetError::Plan(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SetError::Invalid(e) => Some(e),
            SetError::Plan(e) => Some(e),
        }
    }
}

/// A stored value that did not parse ([`Params::from_pairs`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PairsError {
    pub name: ParamName,
    pub error: ParamError,
}

impl fmt::Display for PairsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stored {}: {}", self.name, self.error)
    }
}

impl std::error::Error for PairsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

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
pub struct AutocloseHours(u32);

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
    const WORDS: &'static [&'static str] = &["name", "command", "link", "title"];

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

fn json_error(c: &Cursor<'_>, at: usize, expected: JsonToken) -> ParamError {
    let fragment = c.fragment_from(at);
    ParamError::JsonSyntax { expected, fragment }
}

fn expect(c: &mut Cursor<'_>, want: char, token: JsonToken) -> Result<(), ParamError> {
    c.skip_ws();
    if c.peek() == Some(want) {
        c.bump();
        Ok(())
    } else {
        Err(json_error(c, c.pos(), token))
    }
}

/// A JSON string (typographic quotes accepted as its quotes), the cursor on its opening quote.
fn json_string(c: &mut Cursor<'_>) -> Result<String, ParamError> {
    let start = c.pos();
    let Some(close) = c.peek().and_then(closers) else {
        return Err(json_error(c, start, JsonToken::String));
    };
    c.bump();
    let mut out = String::new();
    loop {
        let Some(ch) = c.bump() else {
            return Err(ParamError::UnclosedQuote(c.fragment_from(start)));
        };
        if close.contains(&ch) {
            return Ok(out);
        }
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let at = c.pos();
        let escaped = match c.bump() {
            Some(e @ ('"' | '\\' | '/')) => e,
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => {
                let hi = hex4(c).ok_or_else(|| json_error(c, at, JsonToken::Escape))?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    let low = (c.bump() == Some('\\') && c.bump() == Some('u'))
                        .then(|| hex4(c))
                        .flatten()
                        .filter(|l| (0xDC00..0xE000).contains(l))
                        .ok_or_else(|| json_error(c, at, JsonToken::Escape))?;
                    0x10000 + ((hi - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    hi
                };
                char::from_u32(code).ok_or_else(|| json_error(c, at, JsonToken::Escape))?
            }
            _ => return Err(json_error(c, at, JsonToken::Escape)),
        };
        out.push(escaped);
    }
}

fn hex4(c: &mut Cursor<'_>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + c.bump()?.to_digit(16)?;
    }
    Some(v)
}

fn json_quote(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
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

    /// Whether `plan` allows this value.
    pub fn check_plan(&self, plan: Plan) -> Result<(), PlanRefusal> {
        if plan == Plan::Paid {
            return Ok(());
        }
        match self {
            ParamValue::Welcome(None) => Err(PlanRefusal::WelcomeRequired),
            ParamValue::Autoclose(h) if h.is_none_or(|h| h.get() > FREE_AUTOCLOSE_MAX_HOURS) => {
                Err(PlanRefusal::AutocloseTooLong {
                    max: FREE_AUTOCLOSE_MAX_HOURS,
                    requested: h.map(AutocloseHours::get),
                })
            }
            ParamValue::HideInfo(s) if !s.is_empty() => {
                Err(PlanRefusal::PaidOnly(ParamName::HideInfo))
            }
            ParamValue::LeaveClosed(k) if *k != KindSet::EMPTY => {
                Err(PlanRefusal::PaidOnly(ParamName::LeaveClosed))
            }
            ParamValue::Webhooks(w) if !w.is_empty() => {
                Err(PlanRefusal::PaidOnly(ParamName::Webhooks))
            }
            _ => Ok(()),
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

/// Every parameter of one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    pub welcome: Option<WelcomeText>,
    pub autoclose: Option<AutocloseHours>,
    pub auto_info: bool,
    pub extensions_allowed: Members,
    pub silent_mode: bool,
    pub ignore_chats: BTreeSet<ChatId>,
    pub white_list: BTreeSet<ChatId>,
    pub hide_info: BTreeSet<HiddenInfo>,
    pub reply_only: bool,
    pub leave_closed: KindSet,
    pub private_keywords: KeywordList,
    pub groups_keywords: KeywordList,
    pub channels_keywords: KeywordList,
    pub restricted_keywords_frontend: KeywordList,
    pub monitor_private: bool,
    pub monitor_groups: bool,
    pub monitor_channels: bool,
    pub webhooks: Webhooks,
    pub custom_commands: BTreeSet<CommandName>,
    pub icon_color: IconColor,
}

impl Default for Params {
    /// The product defaults of §3.
    fn default() -> Self {
        Params {
            welcome: Some(WelcomeText::default_greeting()),
            autoclose: Some(AutocloseHours(FREE_AUTOCLOSE_MAX_HOURS)),
            auto_info: false,
            extensions_allowed: Members::Admin,
            silent_mode: false,
            ignore_chats: BTreeSet::from([TELEGRAM_SERVICE_CHAT]),
            white_list: BTreeSet::new(),
            hide_info: BTreeSet::new(),
            reply_only: false,
            leave_closed: KindSet::EMPTY,
            private_keywords: KeywordList::off(),
            groups_keywords: KeywordList::off(),
            channels_keywords: KeywordList::off(),
            restricted_keywords_frontend: KeywordList::off(),
            monitor_private: true,
            monitor_groups: false,
            monitor_channels: false,
            webhooks: Webhooks::default(),
            custom_commands: BTreeSet::new(),
            icon_color: IconColor::Blue,
        }
    }
}

impl Params {
    /// One parameter's current value.
    pub fn get(&self, name: ParamName) -> ParamValue {
        match name {
            ParamName::Welcome => ParamValue::Welcome(self.welcome.clone()),
            ParamName::Autoclose => ParamValue::Autoclose(self.autoclose),
            ParamName::AutoInfo => ParamValue::AutoInfo(self.auto_info),
            ParamName::ExtensionsAllowed => {
                ParamValue::ExtensionsAllowed(self.extensions_allowed.clone())
            }
            ParamName::SilentMode => ParamValue::SilentMode(self.silent_mode),
            ParamName::IgnoreChats => ParamValue::IgnoreChats(self.ignore_chats.clone()),
            ParamName::WhiteList => ParamValue::WhiteList(self.white_list.clone()),
            ParamName::HideInfo => ParamValue::HideInfo(self.hide_info.clone()),
            ParamName::ReplyOnly => ParamValue::ReplyOnly(self.reply_only),
            ParamName::LeaveClosed => ParamValue::LeaveClosed(self.leave_closed),
            ParamName::PrivateKeywords => {
                ParamValue::PrivateKeywords(self.private_keywords.clone())
            }
            ParamName::GroupsKeywords => ParamValue::GroupsKeywords(self.groups_keywords.clone()),
            ParamName::ChannelsKeywords => {
                ParamValue::ChannelsKeywords(self.channels_keywords.clone())
            }
            ParamName::RestrictedKeywordsFrontend => {
                ParamValue::RestrictedKeywordsFrontend(self.restricted_keywords_frontend.clone())
            }
            ParamName::MonitorPrivate => ParamValue::MonitorPrivate(self.monitor_private),
            ParamName::MonitorGroups => ParamValue::MonitorGroups(self.monitor_groups),
            ParamName::MonitorChannels => ParamValue::MonitorChannels(self.monitor_channels),
            ParamName::Webhooks => ParamValue::Webhooks(self.webhooks.clone()),
            ParamName::CustomCommands => ParamValue::CustomCommands(self.custom_commands.clone()),
            ParamName::IconColor => ParamValue::IconColor(self.icon_color),
        }
    }

    /// Stores `value` without any check (see [`Params::set`]).
    pub fn apply(&mut self, value: ParamValue) {
        match value {
            ParamValue::Welcome(v) => self.welcome = v,
            ParamValue::Autoclose(v) => self.autoclose = v,
            ParamValue::AutoInfo(v) => self.auto_info = v,
            ParamValue::ExtensionsAllowed(v) => self.extensions_allowed = v,
            ParamValue::SilentMode(v) => self.silent_mode = v,
            ParamValue::IgnoreChats(v) => self.ignore_chats = v,
            ParamValue::WhiteList(v) => self.white_list = v,
            ParamValue::HideInfo(v) => self.hide_info = v,
            ParamValue::ReplyOnly(v) => self.reply_only = v,
            ParamValue::LeaveClosed(v) => self.leave_closed = v,
            ParamValue::PrivateKeywords(v) => self.private_keywords = v,
            ParamValue::GroupsKeywords(v) => self.groups_keywords = v,
            ParamValue::ChannelsKeywords(v) => self.channels_keywords = v,
            ParamValue::RestrictedKeywordsFrontend(v) => self.restricted_keywords_frontend = v,
            ParamValue::MonitorPrivate(v) => self.monitor_private = v,
            ParamValue::MonitorGroups(v) => self.monitor_groups = v,
            ParamValue::MonitorChannels(v) => self.monitor_channels = v,
            ParamValue::Webhooks(v) => self.webhooks = v,
            ParamValue::CustomCommands(v) => self.custom_commands = v,
            ParamValue::IconColor(v) => self.icon_color = v,
        }
    }

    /// Parses `text`, checks it against `plan`, and only then stores it. On error nothing
    /// changes.
    pub fn set(&mut self, name: ParamName, text: &str, plan: Plan) -> Result<(), SetError> {
        let value = ParamValue::parse(name, text)?;
        value.check_plan(plan)?;
        self.apply(value);
        Ok(())
    }

    /// One parameter's canonical text.
    pub fn render(&self, name: ParamName) -> String {
        self.get(name).render()
    }

    /// The stored values `plan` does not allow (e.g. after a downgrade), in [`ParamName::ALL`]
    /// order.
    pub fn plan_refusals(&self, plan: Plan) -> Vec<PlanRefusal> {
        ParamName::ALL
            .into_iter()
            .filter_map(|n| self.get(n).check_plan(plan).err())
            .collect()
    }

    /// What the runtime uses on `plan`: on the free plan an `OFF` WELCOME is the default
    /// greeting, AUTOCLOSE is at most 48 hours, and the paid-only parameters are empty. The
    /// stored values stay, so an upgrade brings them back.
    pub fn effective(&self, plan: Plan) -> Params {
        let mut p = self.clone();
        if plan == Plan::Free {
            if p.welcome.is_none() {
                p.welcome = Some(WelcomeText::default_greeting());
            }
            let max = AutocloseHours(FREE_AUTOCLOSE_MAX_HOURS);
            p.autoclose = Some(p.autoclose.map_or(max, |h| h.min(max)));
            p.hide_info.clear();
            p.leave_closed = KindSet::EMPTY;
            p.webhooks = Webhooks::default();
        }
        p
    }

    /// The WELCOME to send, or `None` when it is `OFF` (paid plans only). Every `{title}`
    /// becomes `title`, inserted verbatim — escape it for the parse mode used. On the free
    /// plan `branding_line` (localized by the caller, with the instance's link) is appended
    /// after a blank line.
    pub fn welcome_text(
        &self,
        plan: Plan,
        branding_line: Option<&str>,
        title: &str,
    ) -> Option<String> {
        let effective = self.effective(plan);
        let mut text = effective.welcome?.for_title(title);
        if plan == Plan::Free
            && let Some(line) = branding_line.filter(|l| !l.trim().is_empty())
        {
            text.push_str("\n\n");
            text.push_str(line);
        }
        Some(text)
    }

    /// The keyword list gating dialogs of `kind`.
    pub fn keywords(&self, kind: DialogKind) -> &KeywordList {
        match kind {
            DialogKind::Private => &self.private_keywords,
            DialogKind::Group => &self.groups_keywords,
            DialogKind::Channel => &self.channels_keywords,
        }
    }

    /// Whether dialogs of `kind` are relayed (MONITOR_*).
    pub fn monitors(&self, kind: DialogKind) -> bool {
        match kind {
            DialogKind::Private => self.monitor_private,
            DialogKind::Group => self.monitor_groups,
            DialogKind::Channel => self.monitor_channels,
        }
    }

    /// The state machine's [`Policy`] on `plan` (from [`Params::effective`]).
    pub fn policy(&self, plan: Plan) -> Policy {
        let p = self.effective(plan);
        Policy {
            autoclose_hours: p.autoclose.map(AutocloseHours::get),
            leave_closed: p.leave_closed,
            keyword_gated: DialogKind::ALL
                .into_iter()
                .filter(|k| !p.keywords(*k).is_empty())
                .collect(),
            welcome_enabled: p.welcome.is_some(),
        }
    }

    /// Every parameter as (name, canonical text), in [`ParamName::ALL`] order — what the
    /// store keeps.
    pub fn to_pairs(&self) -> Vec<(ParamName, String)> {
        ParamName::ALL
            .into_iter()
            .map(|n| (n, self.render(n)))
            .collect()
    }

    /// The inverse of [`Params::to_pairs`]: names are matched case-insensitively, unknown
    /// names are ignored, missing ones keep their defaults. No plan check: stored values
    /// were checked when set (see [`Params::effective`]).
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<Params, PairsError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut params = Params::default();
        for (k, v) in pairs {
            let Some(name) = ParamName::parse(k.as_ref()) else {
                continue;
            };
            let value =
                ParamValue::parse(name, v.as_ref()).map_err(|error| PairsError { name, error })?;
            params.apply(value);
        }
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(name: ParamName, text: &str) -> Result<ParamValue, ParamError> {
        ParamValue::parse(name, text)
    }

    fn chats(ids: &[i64]) -> BTreeSet<ChatId> {
        ids.iter().copied().map(ChatId).collect()
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(ParamName::ALL.len(), 20);
        for n in ParamName::ALL {
            assert_eq!(ParamName::parse(n.as_str()), Some(n));
            assert_eq!(ParamName::parse(&n.as_str().to_lowercase()), Some(n));
            assert_eq!(parse(n, " ").unwrap_err(), ParamError::Blank);
        }
        assert_eq!(ParamName::parse(" hide_Info "), Some(ParamName::HideInfo));
        assert_eq!(ParamName::parse("HIDE-INFO"), None);
        let unique: BTreeSet<_> = ParamName::ALL.into_iter().collect();
        assert_eq!(unique.len(), 20);
    }

    #[test]
    fn defaults_are_the_products() {
        let p = Params::default();
        assert_eq!(
            p.welcome.as_ref().map(WelcomeText::as_str),
            Some(DEFAULT_WELCOME)
        );
        assert_eq!(p.autoclose.map(AutocloseHours::get), Some(48));
        assert_eq!(p.extensions_allowed, Members::Admin);
        assert_eq!(p.ignore_chats, chats(&[777000]));
        assert!(p.monitor_private && !p.monitor_groups && !p.monitor_channels);
        assert_eq!(p.icon_color.rgb(), 0x6FB9F0);
        assert!(p.plan_refusals(Plan::Free).is_empty());
        let rendered: Vec<(ParamName, String)> = p.to_pairs();
        let text: Vec<(&str, &str)> = rendered
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            text,
            vec![
                ("WELCOME", DEFAULT_WELCOME),
                ("AUTOCLOSE", "48"),
                ("AUTO_INFO", "off"),
                ("EXTENSIONS_ALLOWED", "OFF"),
                ("SILENT_MODE", "off"),
                ("IGNORE_CHATS", "777000"),
                ("WHITE_LIST", "OFF"),
                ("HIDE_INFO", "OFF"),
                ("REPLY_ONLY", "off"),
                ("LEAVE_CLOSED", "OFF"),
                ("PRIVATE_KEYWORDS", "OFF"),
                ("GROUPS_KEYWORDS", "OFF"),
                ("CHANNELS_KEYWORDS", "OFF"),
                ("RESTRICTED_KEYWORDS_FRONTEND", "OFF"),
                ("MONITOR_PRIVATE", "on"),
                ("MONITOR_GROUPS", "off"),
                ("MONITOR_CHANNELS", "off"),
                ("WEBHOOKS", "OFF"),
                ("CUSTOM_COMMANDS", "OFF"),
                ("ICON_COLOR", "blue"),
            ]
        );
        assert_eq!(p.policy(Plan::Free), Policy::default());
    }

    #[test]
    fn switches() {
        for (text, want) in [
            ("on", true),
            ("ON", true),
            (" Yes ", true),
            ("true", true),
            ("1", true),
            ("off", false),
            ("No", false),
            ("FALSE", false),
            ("0", false),
        ] {
            assert_eq!(
                parse(ParamName::AutoInfo, text),
                Ok(ParamValue::AutoInfo(want))
            );
        }
        for bad in ["2", "onn", "да", "enable", "yes please"] {
            assert_eq!(
                parse(ParamName::SilentMode, bad),
                Err(ParamError::NotOnOff(bad.into()))
            );
        }
    }

    #[test]
    fn welcome() {
        let v = parse(
            ParamName::Welcome,
            "  Hi {title}, <b>welcome</b>!\nLine 2  ",
        )
        .unwrap();
        assert_eq!(v.render(), "Hi {title}, <b>welcome</b>!\nLine 2");
        assert_eq!(
            parse(ParamName::Welcome, "off"),
            Ok(ParamValue::Welcome(None))
        );
        let max = "я".repeat(MAX_WELCOME_CHARS);
        assert!(parse(ParamName::Welcome, &max).is_ok());
        assert_eq!(
            parse(ParamName::Welcome, &format!("{max}!")),
            Err(ParamError::TooLong {
                max: MAX_WELCOME_CHARS,
                len: MAX_WELCOME_CHARS + 1
            })
        );
        assert_eq!(
            WelcomeText::new(" Off "),
            Err(ParamError::ReservedWord("Off".into()))
        );
        // "OFF" with more text is a greeting.
        assert!(parse(ParamName::Welcome, "Off we go, {title}").is_ok());
    }

    #[test]
    fn autoclose() {
        let h = |n| Ok(ParamValue::Autoclose(AutocloseHours::new(n)));
        assert_eq!(parse(ParamName::Autoclose, "24"), h(24));
        assert_eq!(parse(ParamName::Autoclose, " 12 h"), h(12));
        assert_eq!(parse(ParamName::Autoclose, "1H"), h(1));
        assert_eq!(parse(ParamName::Autoclose, "8760"), h(8760));
        assert_eq!(
            parse(ParamName::Autoclose, "OFF"),
            Ok(ParamValue::Autoclose(None))
        );
        for bad in ["-5", "1.5", "abc", "h", "12 hours", "1e3", "0x10"] {
            assert_eq!(
                parse(ParamName::Autoclose, bad),
                Err(ParamError::NotHours(bad.into())),
                "{bad}"
            );
        }
        for bad in ["0", "8761", "99999999999999999999"] {
            assert!(
                matches!(
                    parse(ParamName::Autoclose, bad),
                    Err(ParamError::HoursOutOfRange {
                        min: 1,
                        max: 8760,
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn extensions_allowed() {
        let p = |t| parse(ParamName::ExtensionsAllowed, t);
        assert_eq!(p("."), Ok(ParamValue::ExtensionsAllowed(Members::Everyone)));
        assert_eq!(p("OFF"), Ok(ParamValue::ExtensionsAllowed(Members::Admin)));
        assert_eq!(
            p(r#"42, "7", 42"#),
            Ok(ParamValue::ExtensionsAllowed(Members::ids([
                UserId(7),
                UserId(42)
            ])))
        );
        assert_eq!(p("42, 7").unwrap().render(), "7, 42");
        assert_eq!(
            p("5, ."),
            Ok(ParamValue::ExtensionsAllowed(Members::Everyone))
        );
        assert_eq!(p("-100"), Err(ParamError::NotAnId("-100".into())));
        assert_eq!(p("@bob"), Err(ParamError::NotAnId("@bob".into())));
        assert_eq!(p("1,,2"), Err(ParamError::EmptyItem { position: 2 }));
        let m = Members::ids([UserId(5)]);
        assert!(m.allows(UserId(5), false) && !m.allows(UserId(6), false));
        assert!(m.allows(UserId(6), true));
        assert!(!Members::Admin.allows(UserId(5), false));
        assert!(Members::Everyone.allows(UserId(5), false));
        assert_eq!(Members::ids([]), Members::Admin);
    }

    #[test]
    fn chat_lists() {
        let p = |t| parse(ParamName::IgnoreChats, t);
        assert_eq!(
            p("777000, -1001234567890, \"5\""),
            Ok(ParamValue::IgnoreChats(chats(&[-1001234567890, 5, 777000])))
        );
        assert_eq!(p("off"), Ok(ParamValue::IgnoreChats(BTreeSet::new())));
        assert_eq!(p("1, 1, 1").unwrap().render(), "1");
        for bad in ["0", "12a", "1.0", "9223372036854775808", "@chan", "~5"] {
            assert_eq!(p(bad), Err(ParamError::NotAnId(bad.into())), "{bad}");
        }
        assert_eq!(
            parse(ParamName::WhiteList, "-5"),
            Ok(ParamValue::WhiteList(chats(&[-5])))
        );
        assert_eq!(
            parse(ParamName::WhiteList, "[1]"),
            Err(ParamError::StrayBracket("[1]".into()))
        );
    }

    #[test]
    fn sets() {
        let v = parse(ParamName::HideInfo, "Title, name, \"LINK\", name").unwrap();
        assert_eq!(v.render(), "name, link, title");
        assert_eq!(
            parse(ParamName::HideInfo, "name, phone"),
            Err(ParamError::UnknownOption {
                fragment: "phone".into(),
                allowed: HiddenInfo::WORDS
            })
        );
        let v = parse(ParamName::LeaveClosed, "channels, Private").unwrap();
        assert_eq!(
            v,
            ParamValue::LeaveClosed(
                [DialogKind::Channel, DialogKind::Private]
                    .into_iter()
                    .collect()
            )
        );
        assert_eq!(v.render(), "private, channel");
        assert_eq!(
            parse(ParamName::LeaveClosed, "OFF"),
            Ok(ParamValue::LeaveClosed(KindSet::EMPTY))
        );
        assert!(matches!(
            parse(ParamName::LeaveClosed, "supergroup"),
            Err(ParamError::UnknownOption { .. })
        ));
    }

    #[test]
    fn keyword_params() {
        for name in [
            ParamName::PrivateKeywords,
            ParamName::GroupsKeywords,
            ParamName::ChannelsKeywords,
            ParamName::RestrictedKeywordsFrontend,
        ] {
            let v = parse(name, r#""buy", ["order", "~cancel"]"#).unwrap();
            assert_eq!(v.render(), "buy, [order, ~cancel]");
            assert_eq!(parse(name, "OFF").unwrap().render(), "OFF");
            assert_eq!(
                parse(name, "\"open"),
                Err(ParamError::UnclosedQuote("\"open".into()))
            );
        }
    }

    #[test]
    fn custom_commands() {
        let v = parse(ParamName::CustomCommands, "/Price, faq_2, \"/track\"").unwrap();
        assert_eq!(v.render(), "/faq_2, /price, /track");
        assert_eq!(
            parse(ParamName::CustomCommands, "/close"),
            Err(ParamError::ReservedCommand("close".into()))
        );
        for bad in ["/", "a-b", "кмд", "/a b", &"x".repeat(33), "//x"] {
            assert_eq!(
                parse(ParamName::CustomCommands, bad),
                Err(ParamError::NotACommand(bad.to_string())),
                "{bad}"
            );
        }
        assert!(parse(ParamName::CustomCommands, &"x".repeat(32)).is_ok());
    }

    #[test]
    fn icon_color() {
        let c = IconColor::parse;
        assert_eq!(c("Blue"), Ok(IconColor::Blue));
        assert_eq!(c("purple"), Ok(IconColor::Violet));
        assert_eq!(c("PINK"), Ok(IconColor::Rose));
        assert_eq!(c("#6FB9F0"), Ok(IconColor::Blue));
        assert_eq!(c("0xfb6f5f"), Ok(IconColor::Red));
        assert_eq!(c("8EEE98"), Ok(IconColor::Green));
        assert_eq!(c("ffd67e"), Ok(IconColor::Yellow));
        assert_eq!(c("#CB86DB"), Ok(IconColor::Violet));
        assert_eq!(c("#FF93B2"), Ok(IconColor::Rose));
        for bad in ["#000000", "orange", "#6FB9F", "0x6FB9F0F", "синий"] {
            assert_eq!(c(bad), Err(ParamError::UnknownColor(bad.into())), "{bad}");
        }
        for color in IconColor::ALL {
            assert_eq!(c(&format!("#{:06X}", color.rgb())), Ok(color));
            assert_eq!(c(color.as_str()), Ok(color));
        }
    }

    #[test]
    fn webhooks_accepted() {
        let text = r#"{ "https://example.com/hook": ["dialog_created", "/Track", "dialog_created"],
                        "HTTP://10.0.0.1:8080/x?a=1": ["message_sent"] }"#;
        let ParamValue::Webhooks(w) = parse(ParamName::Webhooks, text).unwrap() else {
            panic!()
        };
        assert_eq!(
            w.render(),
            r#"{"http://10.0.0.1:8080/x?a=1": ["message_sent"], "https://example.com/hook": ["dialog_created", "/track"]}"#
        );
        let created = WebhookTrigger::Event(WebhookEvent::DialogCreated);
        let urls: Vec<&str> = w.urls_for(&created).map(WebhookUrl::as_str).collect();
        assert_eq!(urls, vec!["https://example.com/hook"]);
        assert!(parse(ParamName::Webhooks, "{}").unwrap().render() == "OFF");
        assert!(parse(ParamName::Webhooks, "off").unwrap().render() == "OFF");
        // Typographic quotes and JSON escapes.
        let v = parse(
            ParamName::Webhooks,
            "{“https://a.io/\\u0068”: [“dialog_closed”]}",
        )
        .unwrap();
        assert_eq!(v.render(), r#"{"https://a.io/h": ["dialog_closed"]}"#);
        assert!(WebhookUrl::parse("https://[::1]:443/x").is_ok());
        assert!(WebhookUrl::parse("https://user:pw@host.example").is_ok());
        assert!(WebhookUrl::parse("https://пример.рф/").is_ok());
    }

    #[test]
    fn webhooks_refused() {
        use JsonToken::*;
        let e = |t| parse(ParamName::Webhooks, t).unwrap_err();
        let syntax = |expected, fragment: &str| ParamError::JsonSyntax {
            expected,
            fragment: fragment.into(),
        };
        assert_eq!(e("https://a.io"), syntax(ObjectStart, "https://a.io"));
        assert_eq!(e(r#"{"https://a.io" ["x"]}"#), syntax(Colon, r#"["x"]}"#));
        assert_eq!(
            e(r#"{"https://a.io": "dialog_closed"}"#),
            syntax(ArrayStart, r#""dialog_closed"}"#)
        );
        assert_eq!(
            e(r#"{"https://a.io": ["dialog_closed" "x"]}"#),
            syntax(CommaOrArrayEnd, r#""x"]}"#)
        );
        assert_eq!(
            e(r#"{"https://a.io": ["dialog_closed"] "#),
            syntax(CommaOrObjectEnd, "")
        );
        assert_eq!(e(r#"{"https://a.io": [1]}"#), syntax(String, "1]}"));
        assert_eq!(
            e(r#"{"https://a.io": ["dialog_closed"]} x"#),
            syntax(End, "x")
        );
        assert_eq!(
            e(r#"{"https://a.io\q": ["dialog_closed"]}"#),
            syntax(Escape, r#"q": ["dialog_closed"]}"#)
        );
        assert_eq!(
            e(r#"{"https://a.io": ["dialog_closed]}"#),
            ParamError::UnclosedQuote(r#""dialog_closed]}"#.into())
        );
        assert_eq!(
            e(r#"{"https://a.io": ["dialog_opened"]}"#),
            ParamError::UnknownEvent("dialog_opened".into())
        );
        assert_eq!(
            e(r#"{"https://a.io": ["/bad-cmd"]}"#),
            ParamError::NotACommand("/bad-cmd".into())
        );
        assert_eq!(
            e(r#"{"https://a.io": []}"#),
            ParamError::NoEvents("https://a.io".into())
        );
        assert_eq!(
            e(r#"{"https://a.io": ["message_sent"], "HTTPS://a.io": ["dialog_closed"]}"#),
            ParamError::DuplicateUrl("https://a.io".into())
        );
        for bad in [
            "ftp://a.io",
            "https://",
            "https:///path",
            "a.io/hook",
            "https://a b.io",
            "https://a.io:0/",
            "https://a.io:99999/",
            "https://a.io:x/",
            "javascript://%0aalert(1)",
            "https://a.io/\"",
        ] {
            assert_eq!(
                WebhookUrl::parse(bad),
                Err(ParamError::BadUrl(fragment(bad))),
                "{bad}"
            );
        }
    }

    #[test]
    fn plan_limits() {
        let free = |name, text| parse(name, text).unwrap().check_plan(Plan::Free);
        let paid = |name, text| parse(name, text).unwrap().check_plan(Plan::Paid);
        assert_eq!(
            free(ParamName::Welcome, "OFF"),
            Err(PlanRefusal::WelcomeRequired)
        );
        assert_eq!(paid(ParamName::Welcome, "OFF"), Ok(()));
        assert_eq!(free(ParamName::Autoclose, "48"), Ok(()));
        assert_eq!(
            free(ParamName::Autoclose, "49"),
            Err(PlanRefusal::AutocloseTooLong {
                max: 48,
                requested: Some(49)
            })
        );
        assert_eq!(
            free(ParamName::Autoclose, "OFF"),
            Err(PlanRefusal::AutocloseTooLong {
                max: 48,
                requested: None
            })
        );
        assert_eq!(paid(ParamName::Autoclose, "500"), Ok(()));
        for (name, value) in [
            (ParamName::HideInfo, "name"),
            (ParamName::LeaveClosed, "group"),
            (
                ParamName::Webhooks,
                r#"{"https://a.io": ["dialog_closed"]}"#,
            ),
        ] {
            assert!(name.is_paid_only());
            let refusal = free(name, value).unwrap_err();
            assert_eq!(refusal, PlanRefusal::PaidOnly(name));
            assert_eq!(refusal.param(), name);
            assert_eq!(free(name, "OFF"), Ok(()));
            assert_eq!(paid(name, value), Ok(()));
        }
        assert_eq!(free(ParamName::IgnoreChats, "1, 2"), Ok(()));
    }

    #[test]
    fn set_changes_nothing_on_error() {
        let mut p = Params::default();
        let before = p.clone();
        for (name, text) in [
            (ParamName::Autoclose, "zero"),
            (ParamName::Autoclose, "72"),
            (ParamName::Welcome, "OFF"),
            (ParamName::HideInfo, "name"),
            (ParamName::IgnoreChats, "1, x"),
            (ParamName::PrivateKeywords, "\"buy"),
            (ParamName::Webhooks, "{"),
            (ParamName::IconColor, "black"),
            (ParamName::MonitorGroups, "maybe"),
            (ParamName::WhiteList, ""),
        ] {
            assert!(p.set(name, text, Plan::Free).is_err(), "{name} {text}");
            assert_eq!(p, before);
        }
        assert_eq!(
            p.set(ParamName::Autoclose, "72", Plan::Free),
            Err(SetError::Plan(PlanRefusal::AutocloseTooLong {
                max: 48,
                requested: Some(72)
            }))
        );
        assert_eq!(
            p.set(ParamName::IconColor, "black", Plan::Paid),
            Err(SetError::Invalid(ParamError::UnknownColor("black".into())))
        );
        p.set(ParamName::Autoclose, "72", Plan::Paid).unwrap();
        p.set(ParamName::MonitorGroups, "yes", Plan::Free).unwrap();
        p.set(ParamName::IgnoreChats, "OFF", Plan::Free).unwrap();
        assert_eq!(p.render(ParamName::Autoclose), "72");
        assert!(p.monitor_groups);
        assert!(p.ignore_chats.is_empty());
    }

    #[test]
    fn downgrade_keeps_values_but_not_their_effect() {
        let mut p = Params::default();
        p.set(ParamName::Welcome, "OFF", Plan::Paid).unwrap();
        p.set(ParamName::Autoclose, "OFF", Plan::Paid).unwrap();
        p.set(ParamName::HideInfo, "name", Plan::Paid).unwrap();
        p.set(ParamName::LeaveClosed, "group", Plan::Paid).unwrap();
        p.set(ParamName::PrivateKeywords, "buy", Plan::Paid)
            .unwrap();
        p.set(
            ParamName::Webhooks,
            r#"{"https://a.io": ["dialog_closed"]}"#,
            Plan::Paid,
        )
        .unwrap();
        let refused: Vec<ParamName> = p
            .plan_refusals(Plan::Free)
            .into_iter()
            .map(PlanRefusal::param)
            .collect();
        assert_eq!(
            refused,
            vec![
                ParamName::Welcome,
                ParamName::Autoclose,
                ParamName::HideInfo,
                ParamName::LeaveClosed,
                ParamName::Webhooks
            ]
        );
        let e = p.effective(Plan::Free);
        assert!(e.plan_refusals(Plan::Free).is_empty());
        assert_eq!(e.autoclose.map(AutocloseHours::get), Some(48));
        assert_eq!(p.effective(Plan::Paid), p);
        let policy = p.policy(Plan::Paid);
        assert_eq!(policy.autoclose_hours, None);
        assert!(!policy.welcome_enabled);
        assert_eq!(policy.leave_closed, KindSet::only(DialogKind::Group));
        assert_eq!(policy.keyword_gated, KindSet::only(DialogKind::Private));
        let policy = p.policy(Plan::Free);
        assert_eq!(policy.autoclose_hours, Some(48));
        assert!(policy.welcome_enabled);
        assert_eq!(policy.leave_closed, KindSet::EMPTY);
    }

    #[test]
    fn welcome_text_substitutes_and_brands() {
        let mut p = Params::default();
        p.set(ParamName::Welcome, "Hi {title}! {title}?", Plan::Free)
            .unwrap();
        assert_eq!(
            p.welcome_text(Plan::Paid, Some("Powered by X"), "Ann"),
            Some("Hi Ann! Ann?".into())
        );
        assert_eq!(
            p.welcome_text(Plan::Free, Some("Powered by X"), "Ann"),
            Some("Hi Ann! Ann?\n\nPowered by X".into())
        );
        assert_eq!(
            p.welcome_text(Plan::Free, None, "Ann"),
            Some("Hi Ann! Ann?".into())
        );
        p.set(ParamName::Welcome, "OFF", Plan::Paid).unwrap();
        assert_eq!(p.welcome_text(Plan::Paid, Some("B"), "Ann"), None);
        assert_eq!(
            p.welcome_text(Plan::Free, Some("B"), "Ann"),
            Some("Hello, Ann! Please describe your question and we will answer soon.\n\nB".into())
        );
    }

    #[test]
    fn pairs_round_trip_and_tolerate_unknown_names() {
        let mut p = Params::default();
        p.set(
            ParamName::Welcome,
            "Привет, {title}!\n\"Quotes\", commas",
            Plan::Paid,
        )
        .unwrap();
        p.set(ParamName::ExtensionsAllowed, ".", Plan::Paid)
            .unwrap();
        p.set(
            ParamName::GroupsKeywords,
            r#"["a,b", "~\"c\""]"#,
            Plan::Paid,
        )
        .unwrap();
        let pairs = p.to_pairs();
        assert_eq!(Params::from_pairs(pairs.clone()), Ok(p.clone()));
        let mut stored: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(n, v)| (n.as_str().to_lowercase(), v))
            .collect();
        stored.push(("SOME_FUTURE_PARAM".into(), "whatever".into()));
        assert_eq!(Params::from_pairs(stored), Ok(p));
        assert_eq!(
            Params::from_pairs([("AUTOCLOSE", "x")]),
            Err(PairsError {
                name: ParamName::Autoclose,
                error: ParamError::NotHours("x".into())
            })
        );
        assert_eq!(
            Params::from_pairs(Vec::<(String, String)>::new()),
            Ok(Params::default())
        );
    }

    #[test]
    fn errors_display_for_logs() {
        let e = SetError::from(ParamError::NotAnId("x".into()));
        assert_eq!(e.to_string(), "not an id: \"x\"");
        let e = SetError::from(PlanRefusal::PaidOnly(ParamName::Webhooks));
        assert_eq!(e.to_string(), "WEBHOOKS needs a paid plan");
    }

    // ---- property tests: parse(render(v)) == v for every kind ----

    fn any_keywords() -> impl Strategy<Value = KeywordList> {
        let word = (
            prop_oneof!["[a-z]{1,5}", "[a-zA-Zа-яЁß ,\"\\[\\]~\\\\“”«»😀]{1,8}",],
            any::<bool>(),
        )
            .prop_map(|(t, n)| crate::keywords::Keyword::new(t, n).unwrap());
        prop::collection::vec(prop::collection::vec(word, 1..3), 0..4).prop_map(|items| {
            KeywordList::new(
                items
                    .into_iter()
                    .map(|w| crate::keywords::KeywordItem::new(w).unwrap())
                    .collect(),
            )
        })
    }

    fn any_command() -> impl Strategy<Value = CommandName> {
        "[a-z0-9_]{1,32}".prop_map(|s| CommandName::parse(&s).unwrap())
    }

    fn any_webhooks() -> impl Strategy<Value = Webhooks> {
        let url = "https?://[a-z0-9-]{1,10}(\\.[a-z]{2,5})?(:[1-9][0-9]{0,3})?(/[a-zA-Z0-9_./?=&%-]{0,20})?"
            .prop_map(|s| WebhookUrl::parse(&s).unwrap());
        let trigger = prop_oneof![
            prop::sample::select(WebhookEvent::ALL.to_vec()).prop_map(WebhookTrigger::Event),
            any_command().prop_map(WebhookTrigger::Command),
        ];
        prop::collection::btree_map(url, prop::collection::btree_set(trigger, 1..4), 0..4)
            .prop_map(|m| Webhooks::new(m).unwrap())
    }

    fn any_kinds() -> impl Strategy<Value = KindSet> {
        (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(private, group, channel)| {
            KindSet {
                private,
                group,
                channel,
            }
        })
    }

    fn any_value() -> impl Strategy<Value = ParamValue> {
        let chat_ids = prop::collection::btree_set(
            any::<i64>()
                .prop_filter("nonzero", |i| *i != 0)
                .prop_map(ChatId),
            0..5,
        );
        prop_oneof![
            prop::option::of("\\PC{1,60}".prop_filter_map("valid", |s| WelcomeText::new(&s).ok()))
                .prop_map(ParamValue::Welcome),
            prop::option::of((1u32..=8760).prop_map(|h| AutocloseHours::new(h).unwrap()))
                .prop_map(ParamValue::Autoclose),
            any::<bool>().prop_map(ParamValue::AutoInfo),
            any::<bool>().prop_map(ParamValue::MonitorChannels),
            prop_oneof![
                Just(Members::Admin),
                Just(Members::Everyone),
                prop::collection::btree_set((1..i64::MAX).prop_map(UserId), 1..5)
                    .prop_map(Members::Ids),
            ]
            .prop_map(ParamValue::ExtensionsAllowed),
            chat_ids.clone().prop_map(ParamValue::IgnoreChats),
            chat_ids.prop_map(ParamValue::WhiteList),
            prop::collection::btree_set(prop::sample::select(HiddenInfo::ALL.to_vec()), 0..4)
                .prop_map(ParamValue::HideInfo),
            any_kinds().prop_map(ParamValue::LeaveClosed),
            any_keywords().prop_map(ParamValue::PrivateKeywords),
            any_keywords().prop_map(ParamValue::RestrictedKeywordsFrontend),
            any_webhooks().prop_map(ParamValue::Webhooks),
            prop::collection::btree_set(
                any_command().prop_filter("not reserved", |c| !c.is_hotline_command()),
                0..5
            )
            .prop_map(ParamValue::CustomCommands),
            prop::sample::select(IconColor::ALL.to_vec()).prop_map(ParamValue::IconColor),
        ]
    }

    proptest! {
        #[test]
        fn every_value_round_trips(v in any_value()) {
            let text = v.render();
            prop_assert_eq!(ParamValue::parse(v.name(), &text), Ok(v));
        }

        #[test]
        fn whole_params_round_trip(values in prop::collection::vec(any_value(), 0..12)) {
            let mut p = Params::default();
            for v in values {
                p.apply(v);
            }
            prop_assert_eq!(Params::from_pairs(p.to_pairs()), Ok(p));
        }

        #[test]
        fn set_is_all_or_nothing(
            name in prop::sample::select(ParamName::ALL.to_vec()),
            text in "\\PC{0,30}",
            free in any::<bool>(),
        ) {
            let plan = if free { Plan::Free } else { Plan::Paid };
            let mut p = Params::default();
            let before = p.clone();
            match p.set(name, &text, plan) {
                Ok(()) => {
                    let v = ParamValue::parse(name, &text).unwrap();
                    prop_assert_eq!(p.get(name), v.clone());
                    prop_assert_eq!(v.check_plan(plan), Ok(()));
                    // What was stored renders to text that parses back to it.
                    prop_assert_eq!(ParamValue::parse(name, &p.render(name)), Ok(v));
                }
                Err(_) => prop_assert_eq!(p, before),
            }
        }

        #[test]
        fn ids_parse_in_any_spelling(ids in prop::collection::vec(any::<i64>().prop_filter("nonzero", |i| *i != 0), 1..6)) {
            let text = ids.iter().map(|i| format!(" \"{i}\" ")).collect::<Vec<_>>().join(",");
            let want: BTreeSet<ChatId> = ids.iter().copied().map(ChatId).collect();
            prop_assert_eq!(parse(ParamName::WhiteList, &text), Ok(ParamValue::WhiteList(want)));
        }

        #[test]
        fn effective_always_fits_the_plan(values in prop::collection::vec(any_value(), 0..12)) {
            let mut p = Params::default();
            for v in values {
                p.apply(v);
            }
            prop_assert!(p.effective(Plan::Free).plan_refusals(Plan::Free).is_empty());
            prop_assert!(p.welcome_text(Plan::Free, None, "x").is_some());
        }
    }
}
