//! Connecting a bot frontend to a backend group, with every check Telegram allows us to make
//! up front. The steps are separate because the setup bot takes them minutes apart (the
//! token first, the group later); `hotline connection add` and the tests run them in one go.

use serde_json::Value;

use hotline_core::{ChatId, ConnectionId, UserId};
use hotline_store::{NewConnection, SecretBox, Store, StoreError};
use hotline_telegram::requests::{self, AdminRights};
use hotline_telegram::{BotApi, Me, TgError, token_looks_valid};

/// Why a connection could not be made; each says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("that does not look like a bot token (it looks like 123456:ABC-def…)")]
    TokenFormat,
    #[error("Telegram rejected the token: it is wrong or was revoked in @BotFather")]
    TokenRejected,
    #[error("this bot (@{bot}) is already connected (connection {id})")]
    AlreadyConnected { bot: String, id: i64 },
    #[error("@{0} cannot be added to groups: turn on Allow Groups in @BotFather")]
    NoGroups(String),
    #[error("the bot cannot see the group {0}: add the bot to the group as an administrator")]
    GroupNotFound(i64),
    #[error("the group “{0}” is not a forum: turn on Topics in the group's settings")]
    NotAForum(String),
    #[error("the bot is not an administrator of the group “{0}”")]
    NotAdmin(String),
    #[error("the bot lacks administrator rights in “{title}”: {}", .missing.iter().map(|r| r.label()).collect::<Vec<_>>().join(", "))]
    MissingRights { title: String, missing: Vec<Right> },
    #[error("Telegram did not answer: {0}")]
    Telegram(TgError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An administrator right the frontend bot needs in its backend group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    ManageTopics,
    DeleteMessages,
    PinMessages,
}

impl Right {
    pub const ALL: [Right; 3] = [
        Right::ManageTopics,
        Right::DeleteMessages,
        Right::PinMessages,
    ];

    /// The field of `ChatMemberAdministrator` / `ChatAdministratorRights`.
    pub fn field(self) -> &'static str {
        match self {
            Right::ManageTopics => "can_manage_topics",
            Right::DeleteMessages => "can_delete_messages",
            Right::PinMessages => "can_pin_messages",
        }
    }

    /// For logs and the CLI (people in Telegram see the localized name).
    pub fn label(self) -> &'static str {
        match self {
            Right::ManageTopics => "manage topics",
            Right::DeleteMessages => "delete messages",
            Right::PinMessages => "pin messages",
        }
    }
}

/// What is wrong with the frontend bot's place in its backend group, as stored in the
/// connection's `status_error` (readable in logs and the CLI; [`GroupProblem::parse`] reads
/// it back for the card).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupProblem {
    /// Removed (kicked or left).
    NotInGroup,
    /// In the group, but without these rights (all of them when not an administrator).
    Missing(Vec<Right>),
}

const MISSING_PREFIX: &str = "missing rights in the backend group: ";
const NOT_IN_GROUP: &str = "the bot is not in the backend group";

impl GroupProblem {
    /// From a `ChatMember` object of the bot (`my_chat_member.new_chat_member`, or
    /// `getChatMember`): `None` when everything Hotline needs is there.
    pub fn of_member(member: &Value) -> Option<GroupProblem> {
        let status = member.get("status").and_then(Value::as_str).unwrap_or("");
        match status {
            "creator" => None,
            "left" | "kicked" => Some(GroupProblem::NotInGroup),
            "administrator" => {
                let missing: Vec<Right> = Right::ALL
                    .into_iter()
                    .filter(|r| member.get(r.field()).and_then(Value::as_bool) != Some(true))
                    .collect();
                (!missing.is_empty()).then_some(GroupProblem::Missing(missing))
            }
            _ => Some(GroupProblem::Missing(Right::ALL.to_vec())),
        }
    }

    /// The stored form.
    pub fn to_status_error(&self) -> String {
        match self {
            GroupProblem::NotInGroup => NOT_IN_GROUP.to_string(),
            GroupProblem::Missing(rights) => {
                let fields: Vec<&str> = rights.iter().map(|r| r.field()).collect();
                format!("{MISSING_PREFIX}{}", fields.join(", "))
            }
        }
    }

    /// Reads a stored `status_error` back; `None` for any other error.
    pub fn parse(error: &str) -> Option<GroupProblem> {
        if error == NOT_IN_GROUP {
            return Some(GroupProblem::NotInGroup);
        }
        let list = error.strip_prefix(MISSING_PREFIX)?;
        let rights: Vec<Right> = list
            .split(", ")
            .filter_map(|f| Right::ALL.into_iter().find(|r| r.field() == f))
            .collect();
        (!rights.is_empty()).then_some(GroupProblem::Missing(rights))
    }
}

/// The rights to ask for in the chat picker and the `startgroup` deep link: the required
/// ones, plus banning (for removing spammers from the group).
pub const REQUESTED_RIGHTS: AdminRights = AdminRights {
    manage_chat: true,
    delete_messages: true,
    restrict_members: true,
    promote_members: false,
    invite_users: true,
    pin_messages: true,
    manage_topics: true,
};

/// The same rights in the `?startgroup=…&admin=…` deep link's syntax.
pub const DEEP_LINK_RIGHTS: &str =
    "manage_topics+delete_messages+pin_messages+restrict_members+invite_users";

/// A group that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupOk {
    pub id: i64,
    pub title: String,
    /// The bot may ban users (optional).
    pub can_ban: bool,
}

/// What to connect.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The Bot API server.
    pub api_base: &'a str,
    pub token: &'a str,
    /// The backend forum group.
    pub group: i64,
    pub plan: &'a str,
    /// The Telegram user who owns the connection (admin role, default EXTENSIONS_ALLOWED).
    pub admin: Option<i64>,
}

/// Step 1: the token is well-formed, Telegram knows it, the bot may join groups, and no
/// connection has it yet.
pub async fn check_token(store: &Store, api: &BotApi, token: &str) -> Result<Me, ConnectError> {
    if !token_looks_valid(token) {
        return Err(ConnectError::TokenFormat);
    }
    let me = api.get_me().await.map_err(|e| match e {
        TgError::Unauthorized => ConnectError::TokenRejected,
        other => ConnectError::Telegram(other),
    })?;
    if let Some(existing) = store.connections().by_bot(UserId(me.id)).await? {
        return Err(ConnectError::AlreadyConnected {
            bot: me.username,
            id: existing.id.0,
        });
    }
    if !me.can_join_groups {
        return Err(ConnectError::NoGroups(me.username));
    }
    Ok(me)
}

/// Step 2: the group is a forum and the bot (`bot_id`, called through `api`) administers it
/// with the rights it needs.
pub async fn check_group(api: &BotApi, bot_id: i64, group: i64) -> Result<GroupOk, ConnectError> {
    let chat = api
        .send(&requests::get_chat(ChatId(group)))
        .await
        .map_err(|e| match e {
            TgError::ChatNotFound | TgError::Kicked(_) => ConnectError::GroupNotFound(group),
            other => ConnectError::Telegram(other),
        })?;
    let title = chat
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("group")
        .to_string();
    if chat.get("is_forum").and_then(Value::as_bool) != Some(true) {
        return Err(ConnectError::NotAForum(title));
    }
    let member = api
        .send(&requests::get_chat_member(ChatId(group), UserId(bot_id)))
        .await
        .map_err(ConnectError::Telegram)?;
    let status = member.get("status").and_then(Value::as_str).unwrap_or("");
    if status != "administrator" && status != "creator" {
        return Err(ConnectError::NotAdmin(title));
    }
    let has = |r: &str| status == "creator" || member.get(r).and_then(Value::as_bool) == Some(true);
    let missing: Vec<Right> = Right::ALL.into_iter().filter(|r| !has(r.field())).collect();
    if !missing.is_empty() {
        return Err(ConnectError::MissingRights { title, missing });
    }
    Ok(GroupOk {
        id: group,
        title,
        can_ban: has("can_restrict_members"),
    })
}

/// `len` random characters of `A-Za-z0-9` (API keys, deep-link codes).
pub fn random_alphanumeric(len: usize) -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// A fresh API key: 32 random URL-safe characters.
pub fn new_api_key() -> String {
    random_alphanumeric(32)
}

/// Who a new connection belongs to and on which plan.
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a> {
    pub plan: &'a str,
    pub admin: Option<i64>,
}

/// Step 3: stores the connection (token and API key encrypted).
pub async fn create_connection(
    store: &Store,
    secrets: &SecretBox,
    me: &Me,
    token: &str,
    group: &GroupOk,
    owner: Owner<'_>,
    now_ms: i64,
) -> Result<ConnectionId, ConnectError> {
    let id = store
        .connections()
        .add(&NewConnection {
            name: format!("@{} → {}", me.username, group.title),
            bot_user_id: UserId(me.id),
            bot_username: me.username.clone(),
            token_enc: secrets.seal(token),
            group_chat_id: ChatId(group.id),
            plan: owner.plan.to_string(),
            admin_user_id: owner.admin.map(UserId),
            group_title: Some(group.title.clone()),
            api_key_enc: Some(secrets.seal(&new_api_key())),
            now_ms,
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ConnectError::AlreadyConnected {
                bot: me.username.clone(),
                id: 0,
            },
            other => ConnectError::Store(other),
        })?;
    Ok(id)
}

/// All three steps at once. Returns the connection id and warnings (missing optional rights).
pub async fn add_bot_connection(
    store: &Store,
    secrets: &SecretBox,
    http: reqwest::Client,
    target: &Target<'_>,
    now_ms: i64,
) -> Result<(ConnectionId, Vec<String>), ConnectError> {
    let api = BotApi::new(http, target.api_base, target.token);
    let me = check_token(store, &api, target.token).await?;
    let group = check_group(&api, me.id, target.group).await?;
    let mut warnings = Vec::new();
    if !group.can_ban {
        warnings.push(
            "the bot cannot ban users in the group (grant \"ban users\" to remove spammers)"
                .to_string(),
        );
    }
    let id = create_connection(
        store,
        secrets,
        &me,
        target.token,
        &group,
        Owner {
            plan: target.plan,
            admin: target.admin,
        },
        now_ms,
    )
    .await?;
    Ok((id, warnings))
}
