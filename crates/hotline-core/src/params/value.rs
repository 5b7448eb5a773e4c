//! [`ParamValue`]: one parameter's value of any kind, parsed from an admin's text (the
//! `parse_*` readers) and rendered back in canonical form.

use std::collections::BTreeSet;

use crate::ChatId;
use crate::dialog::{DialogKind, KindSet};
use crate::params::keywords::{KeywordList, OFF, fragment, is_off, split_list};
use crate::roles::UserId;

use super::errors::ParamError;
use super::names::ParamName;
use super::values::{AutocloseHours, CommandName, HiddenInfo, IconColor, Members, WelcomeText};
use super::webhooks::Webhooks;

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
