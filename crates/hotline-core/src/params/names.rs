//! Parameter names: [`ParamName`], the kind of value each takes ([`ParamKind`]), and the
//! name tables (canonical spelling, paid-only, the *_KEYWORDS parameter of a dialog kind).

use std::fmt;

use crate::dialog::DialogKind;

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
