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
//! [`crate::params::keywords`] for quoting); `OFF` (any case) clears a list or disables an option;
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

mod errors;
mod json;
pub mod keywords;
mod names;
mod plan;
mod value;
mod values;
mod webhooks;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crate::ChatId;
use crate::dialog::{DialogKind, KindSet, Policy};
use crate::params::keywords::KeywordList;

pub use errors::{JsonToken, PairsError, ParamError, PlanRefusal, SetError};
pub use names::{ParamKind, ParamName};
pub use plan::{FREE_AUTOCLOSE_MAX_HOURS, Plan};
pub use value::{ParamValue, parse_switch};
pub use values::{
    AutocloseHours, CommandName, DEFAULT_WELCOME, HOTLINE_COMMANDS, HiddenInfo, IconColor,
    MAX_WELCOME_CHARS, Members, TITLE_PLACEHOLDER, WelcomeText,
};
pub use webhooks::{WebhookEvent, WebhookTrigger, WebhookUrl, Webhooks};

/// Telegram's service notifications chat, ignored by default.
pub const TELEGRAM_SERVICE_CHAT: ChatId = ChatId(777_000);

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
