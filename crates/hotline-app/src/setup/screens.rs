//! Every screen of the setup bot as data: text plus inline keyboard, in the chat's
//! language. Pure (no IO), so each screen is snapshot-tested in all four languages.

use hotline_core::params::{
    JsonToken, ParamError, ParamKind, ParamName, ParamValue, Plan, PlanRefusal, SetError,
};
use hotline_core::roles::Role;
use hotline_i18n::{Args, Key, Lang, tr, tr_args};

use crate::config::ChangeError;
use crate::connect::{ConnectError, DEEP_LINK_RIGHTS, REQUESTED_RIGHTS, Right};
use hotline_telegram::business::Link;
use hotline_telegram::requests::{AdminRights, ChatPicker, Markup};

use super::callback::Cb;

pub use super::screen::{Button, Screen};
pub(super) use super::screen::{back, cb};

/// A connection as lists and cards show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnView {
    pub id: i64,
    pub name: String,
    pub bot: String,
    pub group: String,
    pub status: Status,
    /// The stored status error (trimmed, at most a few hundred characters), shown on the
    /// card while the status is an error.
    pub error: Option<String>,
    pub api_key: String,
    pub plan: Plan,
    /// A Telegram Business frontend: the account as Telegram last described it.
    pub business: Option<Link>,
}

/// A connection's state as its card shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Running,
    Stopped,
    Starting,
    Error(Failure),
}

/// Why a connection is failing, in words an admin can act on (the exact error is logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Telegram rejects the token (revoked in @BotFather).
    Token,
    /// The instance key does not open the stored token (the key changed).
    Key,
    /// The frontend bot was removed from the backend group.
    NotInGroup,
    /// The frontend bot lacks these rights in the backend group (in [`Right::ALL`] order).
    Rights {
        manage_topics: bool,
        delete_messages: bool,
        pin_messages: bool,
    },
    /// Anything else: the supervisor keeps retrying with backoff.
    Other,
}

impl Failure {
    /// Classifies the stored `status_error`.
    pub fn of(error: &str) -> Failure {
        match crate::connect::GroupProblem::parse(error) {
            Some(crate::connect::GroupProblem::NotInGroup) => return Failure::NotInGroup,
            Some(crate::connect::GroupProblem::Missing(rights)) => {
                return Failure::Rights {
                    manage_topics: rights.contains(&Right::ManageTopics),
                    delete_messages: rights.contains(&Right::DeleteMessages),
                    pin_messages: rights.contains(&Right::PinMessages),
                };
            }
            None => {}
        }
        if error.starts_with(crate::keys::UNDECRYPTABLE_TOKEN) {
            Failure::Key
        } else if error.contains("rejected the bot token") || error.contains("Unauthorized") {
            Failure::Token
        } else {
            Failure::Other
        }
    }

    /// The missing rights, in [`Right::ALL`] order.
    pub fn rights(self) -> Vec<Right> {
        match self {
            Failure::Rights {
                manage_topics,
                delete_messages,
                pin_messages,
            } => [
                (manage_topics, Right::ManageTopics),
                (delete_messages, Right::DeleteMessages),
                (pin_messages, Right::PinMessages),
            ]
            .into_iter()
            .filter_map(|(m, r)| m.then_some(r))
            .collect(),
            _ => Vec::new(),
        }
    }
}

/// The missing rights in the admin's words, comma-separated.
pub fn rights_list(lang: Lang, rights: &[Right]) -> String {
    rights
        .iter()
        .map(|r| right_name(lang, *r))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Status {
    fn emoji(&self) -> &'static str {
        match self {
            Status::Running => "🟢",
            Status::Stopped => "⏸",
            Status::Starting => "⏳",
            Status::Error(_) => "🔴",
        }
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            Status::Running => tr(lang, Key::StatusRunning),
            Status::Stopped => tr(lang, Key::StatusStopped),
            Status::Starting => tr(lang, Key::StatusStarting),
            Status::Error(Failure::Token) => tr(lang, Key::StatusErrorToken),
            Status::Error(Failure::Key) => tr(lang, Key::StatusErrorKey),
            Status::Error(Failure::NotInGroup) => tr(lang, Key::StatusErrorNotInGroup),
            Status::Error(f @ Failure::Rights { .. }) => tr_args(
                lang,
                Key::StatusErrorRights,
                &Args::new().str("rights", rights_list(lang, &f.rights())),
            ),
            Status::Error(Failure::Other) => tr(lang, Key::StatusErrorOther),
        }
    }
}

fn conn_buttons(conns: &[ConnView]) -> Vec<Vec<Button>> {
    conns
        .iter()
        .map(|c| {
            vec![Button::Callback(
                format!("{} {}", c.status.emoji(), c.name),
                Cb::Card(c.id),
            )]
        })
        .collect()
}

/// `/start`: the admin's connections, New connection, Language (and All connections for
/// superadmins).
pub fn main(lang: Lang, conns: &[ConnView], superadmin: bool) -> Screen {
    let count = i64::try_from(conns.len()).unwrap_or(i64::MAX);
    let mut s = Screen::new(tr_args(
        lang,
        Key::SetupStart,
        &Args::new().num("count", count),
    ));
    s.keyboard = conn_buttons(conns);
    let mut last = vec![cb(lang, Key::ButtonNewConnection, Cb::New)];
    if superadmin {
        last.push(cb(lang, Key::ButtonAllConnections, Cb::All));
    }
    s.row(last)
        .row(vec![cb(lang, Key::ButtonLanguage, Cb::Language)])
}

pub fn help(lang: Lang) -> Screen {
    Screen::new(tr(lang, Key::SetupHelp))
}

/// The language picker: each language in its own name.
pub fn language(lang: Lang) -> Screen {
    let names = |l: Lang| match l {
        Lang::En => "🇬🇧 English",
        Lang::Ru => "🇷🇺 Русский",
        Lang::Es => "🇪🇸 Español",
        Lang::De => "🇩🇪 Deutsch",
    };
    let buttons = Lang::ALL
        .into_iter()
        .map(|l| Button::Callback(names(l).to_string(), Cb::SetLanguage(l)))
        .collect::<Vec<_>>();
    Screen::new(tr(lang, Key::SetupLanguageChoose))
        .row(buttons.iter().take(2).cloned().collect())
        .row(buttons.iter().skip(2).cloned().collect())
        .row(back(lang, Cb::Main))
}

/// The language's own name, in `lang`'s words where it matters (team language confirmations).
pub fn language_name(l: Lang) -> &'static str {
    match l {
        Lang::En => "English",
        Lang::Ru => "Русский",
        Lang::Es => "Español",
        Lang::De => "Deutsch",
    }
}

pub fn new_connection(lang: Lang) -> Screen {
    Screen::new(tr(lang, Key::SetupNewType))
        .row(vec![
            cb(lang, Key::ButtonConnectBot, Cb::NewBot),
            cb(lang, Key::ButtonConnectAccount, Cb::NewAccount),
        ])
        .row(back(lang, Cb::Main))
}

pub fn ask_token(lang: Lang) -> Screen {
    Screen::new(tr(lang, Key::SetupAskToken)).row(vec![cb(lang, Key::ButtonCancel, Cb::Cancel)])
}

/// After the token: how to link the group (the chat picker through the frontend bot, or the
/// `startgroup` deep link).
pub fn link_group(lang: Lang, bot: &str, code: &str, token_deleted: bool) -> Screen {
    let mut text = tr_args(lang, Key::SetupLinkGroup, &Args::new().str("bot", bot));
    if token_deleted {
        text = format!("{}\n\n{text}", tr(lang, Key::SetupTokenDeleted));
    }
    Screen::new(text)
        .row(vec![Button::Url(
            tr(lang, Key::ButtonPickGroup),
            format!("https://t.me/{bot}?start={code}"),
        )])
        .row(vec![Button::Url(
            tr(lang, Key::ButtonAddToGroup),
            format!("https://t.me/{bot}?startgroup={code}&admin={DEEP_LINK_RIGHTS}"),
        )])
        .row(vec![cb(lang, Key::ButtonCancel, Cb::Cancel)])
}

pub fn connected(lang: Lang, bot: &str, group: &str, no_ban: bool) -> String {
    let args = Args::new().str("bot", bot).str("group", group);
    let mut text = tr_args(lang, Key::SetupConnected, &args);
    if no_ban {
        text.push_str("\n\n");
        text.push_str(&tr_args(lang, Key::SetupGroupNoBan, &args));
    }
    text
}

/// The connection card.
pub fn card(lang: Lang, c: &ConnView, superadmin: bool) -> Screen {
    // While failing, the stored error follows the status on a line of its own.
    let status = match (&c.status, &c.error) {
        (Status::Error(_), Some(e)) => {
            let e = tr_args(lang, Key::SetupCardError, &Args::new().str("error", e));
            format!("{}\n{e}", c.status.text(lang))
        }
        _ => c.status.text(lang),
    };
    let plan = match c.plan {
        Plan::Free => tr(lang, Key::PlanFree),
        Plan::Paid => tr(lang, Key::PlanPaid),
    };
    let args = Args::new()
        .str("name", &c.name)
        .str("bot", &c.bot)
        .str("group", &c.group)
        .str("status", status)
        .str("id", c.id.to_string())
        .str("key", &c.api_key)
        .str("plan", plan);
    let running = c.status != Status::Stopped;
    let toggle = if running {
        cb(lang, Key::ButtonStop, Cb::Stop(c.id))
    } else {
        cb(lang, Key::ButtonStart, Cb::Start(c.id))
    };
    let mut text = tr_args(lang, Key::SetupCard, &args);
    if let Some(link) = &c.business {
        text.push_str("\n\n");
        text.push_str(&super::business_screens::card_lines(lang, &c.bot, link));
    }
    let mut s = Screen::new(text)
        .row(vec![
            cb(lang, Key::ButtonParams, Cb::Params(c.id)),
            cb(lang, Key::ButtonRoles, Cb::Roles(c.id)),
        ])
        .row(vec![
            cb(lang, Key::ButtonTeamLanguage, Cb::TeamLanguage(c.id)),
            toggle,
        ])
        .row(vec![cb(lang, Key::ButtonTemplates, Cb::Templates(c.id))])
        .row(vec![
            cb(lang, Key::ButtonResetKey, Cb::ResetKey(c.id)),
            cb(lang, Key::ButtonDelete, Cb::Delete(c.id)),
        ]);
    if superadmin {
        let plan_button = match c.plan {
            Plan::Free => cb(lang, Key::ButtonGrantPaid, Cb::SetPlan(c.id, Plan::Paid)),
            Plan::Paid => cb(lang, Key::ButtonSetFree, Cb::SetPlan(c.id, Plan::Free)),
        };
        s = s.row(vec![plan_button]);
    }
    s.row(back(lang, Cb::Main))
}

pub fn delete_confirm(lang: Lang, id: i64, name: &str) -> Screen {
    Screen::new(tr_args(
        lang,
        Key::SetupDeleteConfirm,
        &Args::new().str("name", name),
    ))
    .row(vec![
        cb(lang, Key::ButtonDeleteConfirm, Cb::DeleteYes(id)),
        cb(lang, Key::ButtonCancel, Cb::Card(id)),
    ])
}

pub fn team_language(lang: Lang, id: i64) -> Screen {
    let buttons: Vec<Button> = Lang::ALL
        .into_iter()
        .map(|l| Button::Callback(language_name(l).to_string(), Cb::SetTeamLanguage(id, l)))
        .collect();
    Screen::new(tr(lang, Key::SetupTeamLanguageChoose))
        .row(buttons.iter().take(2).cloned().collect())
        .row(buttons.iter().skip(2).cloned().collect())
        .row(back(lang, Cb::Card(id)))
}

/// Every connection of the instance (superadmins).
pub fn all_connections(lang: Lang, conns: &[ConnView]) -> Screen {
    let count = i64::try_from(conns.len()).unwrap_or(i64::MAX);
    let mut s = Screen::new(tr_args(
        lang,
        Key::SetupAll,
        &Args::new().num("count", count),
    ));
    s.keyboard = conn_buttons(conns);
    s.row(back(lang, Cb::Main))
}

/// The list of parameters, two per row.
pub fn params(lang: Lang, id: i64, name: &str) -> Screen {
    let mut s = Screen::new(tr_args(
        lang,
        Key::SetupParams,
        &Args::new().str("name", name),
    ));
    for pair in ParamName::ALL.chunks(2) {
        s = s.row(
            pair.iter()
                .map(|p| Button::Callback(p.as_str().to_string(), Cb::Param(id, *p)))
                .collect(),
        );
    }
    s.row(back(lang, Cb::Card(id)))
}

fn describe(name: ParamName) -> Key {
    match name {
        ParamName::Welcome => Key::ParamWelcome,
        ParamName::Autoclose => Key::ParamAutoclose,
        ParamName::AutoInfo => Key::ParamAutoInfo,
        ParamName::ExtensionsAllowed => Key::ParamExtensionsAllowed,
        ParamName::SilentMode => Key::ParamSilentMode,
        ParamName::IgnoreChats => Key::ParamIgnoreChats,
        ParamName::WhiteList => Key::ParamWhiteList,
        ParamName::HideInfo => Key::ParamHideInfo,
        ParamName::ReplyOnly => Key::ParamReplyOnly,
        ParamName::LeaveClosed => Key::ParamLeaveClosed,
        ParamName::PrivateKeywords => Key::ParamPrivateKeywords,
        ParamName::GroupsKeywords => Key::ParamGroupsKeywords,
        ParamName::ChannelsKeywords => Key::ParamChannelsKeywords,
        ParamName::RestrictedKeywordsFrontend => Key::ParamRestrictedKeywordsFrontend,
        ParamName::MonitorPrivate => Key::ParamMonitorPrivate,
        ParamName::MonitorGroups => Key::ParamMonitorGroups,
        ParamName::MonitorChannels => Key::ParamMonitorChannels,
        ParamName::Webhooks => Key::ParamWebhooks,
        ParamName::CustomCommands => Key::ParamCustomCommands,
        ParamName::IconColor => Key::ParamIconColor,
    }
}

/// Parameters this build stores and checks but does not act on yet (their modules are
/// later issues); the screen says so rather than pretend.
pub fn inactive(name: ParamName) -> bool {
    matches!(
        name,
        ParamName::GroupsKeywords
            | ParamName::ChannelsKeywords
            | ParamName::MonitorGroups
            | ParamName::MonitorChannels
            | ParamName::Webhooks
    )
}

/// One parameter: meaning, current value, quick buttons.
/// A parameter's value as the screens show it: "(none)" for an empty one.
fn shown_value(lang: Lang, value: &str) -> String {
    if value.is_empty() {
        tr(lang, Key::SetupParamEmpty)
    } else {
        value.to_string()
    }
}

pub fn param(lang: Lang, id: i64, name: ParamName, value: &str) -> Screen {
    let shown = shown_value(lang, value);
    let mut description = tr(lang, describe(name));
    if name.is_paid_only() {
        description = format!("{description}\n{}", tr(lang, Key::SetupParamPaid));
    }
    if inactive(name) {
        description = format!("{description}\n{}", tr(lang, Key::SetupParamInactive));
    }
    let args = Args::new()
        .str("param", name.as_str())
        .str("description", description)
        .str("value", shown);
    let quick = match name.kind() {
        ParamKind::Switch => vec![
            Button::Callback("on".into(), Cb::ParamSet(id, name, true)),
            Button::Callback("off".into(), Cb::ParamSet(id, name, false)),
        ],
        _ if ParamValue::parse(name, "OFF").is_ok() => {
            vec![cb(lang, Key::ButtonOff, Cb::ParamSet(id, name, false))]
        }
        _ => Vec::new(),
    };
    Screen::new(tr_args(lang, Key::SetupParam, &args))
        .row(quick)
        .row(back(lang, Cb::Params(id)))
}

pub fn param_changed(lang: Lang, name: ParamName, value: &str) -> String {
    let shown = shown_value(lang, value);
    tr_args(
        lang,
        Key::SetupParamChanged,
        &Args::new().str("param", name.as_str()).str("value", shown),
    )
}

/// Why a parameter value was refused, in the admin's language.
pub fn param_error(lang: Lang, e: &ParamError) -> String {
    let frag = |k: Key, f: &str| tr_args(lang, k, &Args::new().str("fragment", f));
    match e {
        ParamError::Blank => tr(lang, Key::ErrorBlank),
        ParamError::TooLong { max, len } => tr_args(
            lang,
            Key::ErrorTooLong,
            &Args::new()
                .num("max", i64::try_from(*max).unwrap_or(i64::MAX))
                .num("len", i64::try_from(*len).unwrap_or(i64::MAX)),
        ),
        ParamError::UnclosedQuote(f) => frag(Key::ErrorUnclosedQuote, f),
        ParamError::StrayQuote(f) => frag(Key::ErrorStrayQuote, f),
        ParamError::TextAfterQuote(f) => frag(Key::ErrorTextAfterQuote, f),
        ParamError::EmptyItem { position } => tr_args(
            lang,
            Key::ErrorEmptyItem,
            &Args::new().num("position", i64::try_from(*position).unwrap_or(i64::MAX)),
        ),
        ParamError::EmptyWord(f) => frag(Key::ErrorEmptyWord, f),
        ParamError::UnclosedBracket(f) => frag(Key::ErrorUnclosedBracket, f),
        ParamError::EmptyBracket(f) => frag(Key::ErrorEmptyBracket, f),
        ParamError::NestedBracket(f) => frag(Key::ErrorNestedBracket, f),
        ParamError::TextAfterBracket(f) => frag(Key::ErrorTextAfterBracket, f),
        ParamError::StrayBracket(f) => frag(Key::ErrorStrayBracket, f),
        ParamError::NotOnOff(f) => frag(Key::ErrorNotOnOff, f),
        ParamError::NotAnId(f) => frag(Key::ErrorNotAnId, f),
        ParamError::NotHours(f) => frag(Key::ErrorNotHours, f),
        ParamError::HoursOutOfRange { fragment, min, max } => tr_args(
            lang,
            Key::ErrorHoursRange,
            &Args::new()
                .str("fragment", fragment)
                .num("min", i64::from(*min))
                .num("max", i64::from(*max)),
        ),
        ParamError::UnknownOption { fragment, allowed } => tr_args(
            lang,
            Key::ErrorUnknownOption,
            &Args::new()
                .str("fragment", fragment)
                .str("allowed", allowed.join(", ")),
        ),
        ParamError::NotACommand(f) => frag(Key::ErrorNotACommand, f),
        ParamError::ReservedCommand(f) => frag(Key::ErrorReservedCommand, f),
        ParamError::UnknownColor(f) => frag(Key::ErrorUnknownColor, f),
        ParamError::JsonSyntax { expected, fragment } => {
            let expected = match expected {
                JsonToken::ObjectStart => "{".to_string(),
                JsonToken::Colon => ":".to_string(),
                JsonToken::ArrayStart => "[".to_string(),
                JsonToken::CommaOrObjectEnd => ", }".to_string(),
                JsonToken::CommaOrArrayEnd => ", ]".to_string(),
                JsonToken::String => tr(lang, Key::JsonString),
                JsonToken::Escape => tr(lang, Key::JsonEscape),
                JsonToken::End => tr(lang, Key::JsonEnd),
            };
            tr_args(
                lang,
                Key::ErrorJson,
                &Args::new()
                    .str("fragment", fragment)
                    .str("expected", expected),
            )
        }
        ParamError::BadUrl(f) => frag(Key::ErrorBadUrl, f),
        ParamError::UnknownEvent(f) => frag(Key::ErrorUnknownEvent, f),
        ParamError::DuplicateUrl(f) => frag(Key::ErrorDuplicateUrl, f),
        ParamError::NoEvents(f) => frag(Key::ErrorNoEvents, f),
        ParamError::ReservedWord(f) => frag(Key::ErrorReservedWord, f),
    }
}

/// Why the plan refused a value.
pub fn plan_refusal(lang: Lang, r: PlanRefusal) -> String {
    match r {
        PlanRefusal::WelcomeRequired => tr(lang, Key::RefusedWelcomeOff),
        PlanRefusal::AutocloseTooLong { max, .. } => tr_args(
            lang,
            Key::RefusedAutoclose,
            &Args::new().num("max", i64::from(max)),
        ),
        PlanRefusal::PaidOnly(name) => tr_args(
            lang,
            Key::RefusedPaidOnly,
            &Args::new().str("param", name.as_str()),
        ),
    }
}

/// A refused settings change; `None` for failures people cannot fix (logged instead).
pub fn change_error(lang: Lang, e: &ChangeError) -> Option<String> {
    match e {
        ChangeError::Value(SetError::Invalid(p)) => Some(param_error(lang, p)),
        ChangeError::Value(SetError::Plan(r)) => Some(plan_refusal(lang, *r)),
        ChangeError::LastAdmin => Some(tr(lang, Key::SetupLastAdmin)),
        ChangeError::DefaultAdmin => Some(tr(lang, Key::SetupDefaultAdmin)),
        ChangeError::Contended => Some(tr(lang, Key::SetupContended)),
        ChangeError::NoConnection(_) => Some(tr(lang, Key::SetupGone)),
        ChangeError::UnknownParam(_)
        | ChangeError::UnknownPlan(_)
        | ChangeError::UnknownRole(_)
        | ChangeError::UnknownLanguage(_)
        | ChangeError::Load(_)
        | ChangeError::Store(_) => None,
    }
}

/// Why the token or the group was refused.
pub fn connect_error(lang: Lang, e: &ConnectError, bot: &str) -> String {
    let args = Args::new().str("bot", bot);
    match e {
        ConnectError::TokenFormat => tr(lang, Key::SetupTokenFormat),
        ConnectError::TokenRejected => tr(lang, Key::SetupTokenRejected),
        ConnectError::AlreadyConnected { bot, id } => tr_args(
            lang,
            Key::SetupTokenTaken,
            &Args::new().str("bot", bot).str("id", id.to_string()),
        ),
        ConnectError::NoGroups(bot) => {
            tr_args(lang, Key::SetupTokenNoGroups, &Args::new().str("bot", bot))
        }
        ConnectError::GroupNotFound(_) => tr_args(lang, Key::SetupGroupNotFound, &args),
        ConnectError::NotAForum(title) => {
            tr_args(lang, Key::SetupGroupNotForum, &args.str("group", title))
        }
        ConnectError::NotAdmin(title) => {
            tr_args(lang, Key::SetupGroupNotAdmin, &args.str("group", title))
        }
        ConnectError::MissingRights { title, missing } => {
            let rights: Vec<String> = missing.iter().map(|r| right_name(lang, *r)).collect();
            tr_args(
                lang,
                Key::SetupGroupMissingRights,
                &args.str("group", title).str("rights", rights.join(", ")),
            )
        }
        ConnectError::Telegram(e) => tr_args(
            lang,
            Key::SetupTelegramError,
            &Args::new().str("error", e.to_string()),
        ),
        ConnectError::Store(_) => tr_args(
            lang,
            Key::SetupTelegramError,
            &Args::new().str("error", "storage"),
        ),
    }
}

pub fn right_name(lang: Lang, r: Right) -> String {
    tr(
        lang,
        match r {
            Right::ManageTopics => Key::RightManageTopics,
            Right::DeleteMessages => Key::RightDeleteMessages,
            Right::PinMessages => Key::RightPinMessages,
        },
    )
}

/// The picker message the frontend bot sends its admin (a reply keyboard with the
/// `request_chat` button): (text, reply_markup). The Bot API wants the bot's rights to be a
/// subset of the user's, and only someone who may add administrators can grant them.
pub fn picker(lang: Lang) -> (String, Markup) {
    let markup = Markup::Picker(ChatPicker {
        text: tr(lang, Key::ButtonPicker),
        request_id: PICKER_REQUEST_ID,
        user_rights: AdminRights {
            promote_members: true,
            ..REQUESTED_RIGHTS
        },
        bot_rights: REQUESTED_RIGHTS,
    });
    (tr(lang, Key::SetupPickerPrompt), markup)
}

/// The `request_id` of the group picker button.
pub const PICKER_REQUEST_ID: i64 = 1;

pub fn role_name(lang: Lang, r: Role) -> String {
    crate::commands::role_name(lang, r)
}

/// A member as the roles screen names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleEntry {
    pub user: i64,
    pub who: String,
    pub role: Role,
    /// The connection's creator: always an admin, no revoke button.
    pub creator: bool,
}

pub fn roles(lang: Lang, id: i64, name: &str, entries: &[RoleEntry], default: Role) -> Screen {
    let list: Vec<String> = entries
        .iter()
        .map(|e| {
            tr_args(
                lang,
                Key::SetupRoleLine,
                &Args::new()
                    .str("who", &e.who)
                    .str("role", role_name(lang, e.role)),
            )
        })
        .collect();
    let args = Args::new()
        .str("name", name)
        .str("list", list.join("\n"))
        .str("default", role_name(lang, default));
    let mut s = Screen::new(tr_args(lang, Key::SetupRoles, &args));
    for e in entries.iter().filter(|e| !e.creator) {
        s = s.row(vec![Button::Callback(
            tr_args(lang, Key::ButtonRevoke, &Args::new().str("who", &e.who)),
            Cb::Revoke(id, e.user),
        )]);
    }
    s.row(vec![cb(lang, Key::ButtonAddMember, Cb::AddMember(id))])
        .row(vec![Button::Callback(
            tr_args(
                lang,
                Key::ButtonDefaultRole,
                &Args::new().str("role", role_name(lang, default)),
            ),
            Cb::DefaultRoleMenu(id),
        )])
        .row(back(lang, Cb::Card(id)))
}

pub fn add_member(lang: Lang, id: i64) -> Screen {
    Screen::new(tr(lang, Key::SetupAddMember)).row(vec![cb(lang, Key::ButtonCancel, Cb::Roles(id))])
}

fn role_buttons(lang: Lang, roles: &[Role], make: impl Fn(Role) -> Cb) -> Vec<Vec<Button>> {
    roles
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|r| Button::Callback(role_name(lang, *r), make(*r)))
                .collect()
        })
        .collect()
}

pub fn pick_role(lang: Lang, id: i64, user: i64, who: &str) -> Screen {
    let mut s = Screen::new(tr_args(
        lang,
        Key::SetupMemberPickRole,
        &Args::new().str("who", who),
    ));
    for row in role_buttons(lang, &Role::ALL, |r| Cb::SetRole(id, user, r)) {
        s = s.row(row);
    }
    s.row(vec![cb(lang, Key::ButtonCancel, Cb::Roles(id))])
}

pub fn default_role(lang: Lang, id: i64) -> Screen {
    let mut s = Screen::new(tr(lang, Key::SetupDefaultRoleChoose));
    // Admin is never a default (see `RoleBook::set_default_role`).
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Admin)
        .collect();
    for row in role_buttons(lang, &roles, |r| Cb::DefaultRole(id, r)) {
        s = s.row(row);
    }
    s.row(back(lang, Cb::Roles(id)))
}
