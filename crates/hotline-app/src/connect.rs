//! Connecting a bot frontend to a backend group, with every check Telegram allows us to make
//! up front (used by `hotline connection add`, the tests and, later, the setup bot).

use serde_json::{Value, json};

use hotline_store::{NewConnection, SecretBox, Store, StoreError};
use hotline_telegram::{BotApi, TgError, token_looks_valid};

/// Why a connection could not be made; each says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("that does not look like a bot token (it looks like 123456:ABC-def…)")]
    TokenFormat,
    #[error("Telegram rejected the token: it is wrong or was revoked in @BotFather")]
    TokenRejected,
    #[error("this bot is already connected (connection {0})")]
    AlreadyConnected(i64),
    #[error("the bot cannot see the group {0}: add the bot to the group as an administrator")]
    GroupNotFound(i64),
    #[error("the group is not a forum: turn on Topics in the group's settings")]
    NotAForum,
    #[error("the bot is not an administrator of the group")]
    NotAdmin,
    #[error("the bot lacks administrator rights: {}", .0.join(", "))]
    MissingRights(Vec<&'static str>),
    #[error("Telegram did not answer: {0}")]
    Telegram(TgError),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

/// Rights the frontend bot needs in its backend group.
pub const REQUIRED_RIGHTS: &[(&str, &str)] = &[
    ("can_manage_topics", "manage topics"),
    ("can_delete_messages", "delete messages"),
    ("can_pin_messages", "pin messages"),
];

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

/// Checks the token and the group, then stores the connection (token encrypted). Returns its
/// id and a list of warnings (missing optional rights).
pub async fn add_bot_connection(
    store: &Store,
    secrets: &SecretBox,
    http: reqwest::Client,
    target: &Target<'_>,
    now_ms: i64,
) -> Result<(i64, Vec<String>), ConnectError> {
    let Target {
        api_base,
        token,
        group,
        plan,
        admin,
    } = *target;
    if !token_looks_valid(token) {
        return Err(ConnectError::TokenFormat);
    }
    let api = BotApi::new(http, api_base, token);
    let me = api.get_me().await.map_err(|e| match e {
        TgError::Unauthorized => ConnectError::TokenRejected,
        other => ConnectError::Telegram(other),
    })?;
    if let Some(existing) = store.connection_by_bot(me.id).await? {
        return Err(ConnectError::AlreadyConnected(existing.id));
    }
    let chat = api
        .call("getChat", &json!({ "chat_id": group }))
        .await
        .map_err(|e| match e {
            TgError::ChatNotFound | TgError::Kicked(_) => ConnectError::GroupNotFound(group),
            other => ConnectError::Telegram(other),
        })?;
    if chat.get("is_forum").and_then(Value::as_bool) != Some(true) {
        return Err(ConnectError::NotAForum);
    }
    let member = api
        .call(
            "getChatMember",
            &json!({ "chat_id": group, "user_id": me.id }),
        )
        .await
        .map_err(ConnectError::Telegram)?;
    let status = member.get("status").and_then(Value::as_str).unwrap_or("");
    if status != "administrator" && status != "creator" {
        return Err(ConnectError::NotAdmin);
    }
    let has = |r: &str| status == "creator" || member.get(r).and_then(Value::as_bool) == Some(true);
    let missing: Vec<&'static str> = REQUIRED_RIGHTS
        .iter()
        .filter(|(r, _)| !has(r))
        .map(|(_, label)| *label)
        .collect();
    if !missing.is_empty() {
        return Err(ConnectError::MissingRights(missing));
    }
    let mut warnings = Vec::new();
    if !has("can_restrict_members") {
        warnings.push("the bot cannot ban users (/ban needs the \"ban users\" right)".to_string());
    }
    let title = chat.get("title").and_then(Value::as_str).unwrap_or("group");
    let id = store
        .add_connection(&NewConnection {
            name: format!("@{} → {title}", me.username),
            bot_user_id: me.id,
            bot_username: me.username.clone(),
            token_enc: secrets.seal(token),
            group_chat_id: group,
            plan: plan.to_string(),
            admin_user_id: admin,
            now_ms,
        })
        .await?;
    Ok((id, warnings))
}
