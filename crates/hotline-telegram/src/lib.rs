//! hotline-telegram: the Bot API adapter. The only crate that knows Bot API JSON.
//!
//! Calls go through [`BotApi::call`] with a method name and JSON parameters, because the
//! durable outbox stores exactly that; answers are mapped to [`TgError`] variants that say
//! what the caller does next (wait, follow a migrated group, recreate a topic, mark a
//! customer unreachable, retry later, or report). Updates are fetched as raw JSON and parsed
//! one at a time into frankenstein's types, so one unknown update kind cannot poison a batch.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use std::time::Duration;

use serde_json::{Value, json};

pub mod business;
pub mod carry;
pub mod requests;
pub mod resend;

pub use frankenstein::types::{Chat, ChatType, Message, User};
pub use frankenstein::updates::{Update, UpdateContent};

/// What went wrong with a call, phrased as what to do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TgError {
    #[error("flood limit: retry after {0} s")]
    RetryAfter(u64),
    #[error("the group was upgraded; its new id is {0}")]
    Migrated(i64),
    #[error("the forum topic no longer exists")]
    ThreadNotFound,
    #[error("the topic is closed")]
    TopicClosed,
    #[error("the customer blocked the bot")]
    BotBlocked,
    #[error("the customer deleted their account")]
    UserDeactivated,
    #[error("the bot cannot write first to this user")]
    CannotInitiate,
    #[error("chat not found")]
    ChatNotFound,
    #[error("the bot was removed from the chat: {0}")]
    Kicked(String),
    #[error("message is not modified")]
    NotModified,
    #[error("message not found: {0}")]
    MessageNotFound(String),
    #[error("not allowed: {0}")]
    NotAllowed(String),
    #[error("message is too long")]
    TooLong,
    /// A business connection may answer only people who wrote in the last 24 hours
    /// (`BUSINESS_PEER_USAGE_MISSING`).
    #[error("the customer has not written in the last 24 hours")]
    ReplyWindowClosed,
    /// The business connection is unknown, not this bot's, or ended.
    #[error("the business connection is no longer valid")]
    BusinessConnectionInvalid,
    /// The chat is not one the business account lets the bot work in.
    #[error("the business account does not let the bot into this chat")]
    BusinessPeerInvalid,
    /// The business account did not grant the right this call needs.
    #[error("the business account did not grant the bot this right")]
    BusinessRightMissing,
    #[error("the token was rejected (revoked or wrong)")]
    Unauthorized,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("rejected: {0}")]
    BadRequest(String),
    #[error("temporary failure: {0}")]
    Transient(String),
}

impl TgError {
    /// Worth retrying the same call later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            TgError::Transient(_) | TgError::RetryAfter(_) | TgError::Conflict(_)
        )
    }

    /// Maps a Bot API error answer.
    pub fn from_answer(code: i64, description: &str, parameters: Option<&Value>) -> Self {
        let retry_after = parameters
            .and_then(|p| p.get("retry_after"))
            .and_then(Value::as_u64);
        let migrate = parameters
            .and_then(|p| p.get("migrate_to_chat_id"))
            .and_then(Value::as_i64);
        let d = description.to_ascii_lowercase();
        if let Some(s) = retry_after {
            return TgError::RetryAfter(s);
        }
        if code == 429 {
            return TgError::RetryAfter(1);
        }
        if let Some(to) = migrate {
            return TgError::Migrated(to);
        }
        if code == 401 || code == 404 {
            return TgError::Unauthorized;
        }
        if code == 409 {
            return TgError::Conflict(description.to_string());
        }
        if code >= 500 {
            return TgError::Transient(description.to_string());
        }
        if d.contains("business_peer_usage_missing") {
            return TgError::ReplyWindowClosed;
        }
        if d.contains("business_connection_invalid") {
            return TgError::BusinessConnectionInvalid;
        }
        if d.contains("business_peer_invalid") {
            return TgError::BusinessPeerInvalid;
        }
        if d.contains("bot_access_forbidden") {
            return TgError::BusinessRightMissing;
        }
        if d.contains("message thread not found")
            || d.contains("topic_deleted")
            || d.contains("topic_id_invalid")
        {
            return TgError::ThreadNotFound;
        }
        if d.contains("topic_closed") {
            return TgError::TopicClosed;
        }
        if d.contains("bot was blocked by the user") {
            return TgError::BotBlocked;
        }
        if d.contains("user is deactivated") {
            return TgError::UserDeactivated;
        }
        if d.contains("can't initiate conversation") {
            return TgError::CannotInitiate;
        }
        if d.contains("chat not found") {
            return TgError::ChatNotFound;
        }
        if d.contains("bot was kicked") || d.contains("bot is not a member") {
            return TgError::Kicked(description.to_string());
        }
        // An edit, a rename or a topic close/reopen that would change nothing.
        if d.contains("message is not modified") || d.contains("topic_not_modified") {
            return TgError::NotModified;
        }
        if d.contains("not found") {
            return TgError::MessageNotFound(description.to_string());
        }
        if d.contains("message is too long") || d.contains("caption is too long") {
            return TgError::TooLong;
        }
        if d.contains("can't be")
            || d.contains("not enough rights")
            || d.contains("need administrator rights")
        {
            return TgError::NotAllowed(description.to_string());
        }
        TgError::BadRequest(description.to_string())
    }
}

/// One bot's Bot API endpoint. Its Debug output never shows the token.
#[derive(Clone)]
pub struct BotApi {
    http: reqwest::Client,
    url: String,
    /// Where files are downloaded from: `{base}/file/bot{token}`.
    file_url: String,
    observer: Option<Observer>,
}

/// How a Bot API call ended, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    /// 429 Too Many Requests.
    Flood,
    /// Any other 4xx answer.
    ClientError,
    /// A 5xx answer.
    ServerError,
    /// No answer: connection refused, reset, timed out, or unreadable.
    Transport,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Flood => "429",
            Outcome::ClientError => "4xx",
            Outcome::ServerError => "5xx",
            Outcome::Transport => "transport",
        }
    }

    fn of_status(code: i64) -> Self {
        match code {
            429 => Outcome::Flood,
            500.. => Outcome::ServerError,
            _ => Outcome::ClientError,
        }
    }
}

/// A file uploaded with a call ([`BotApi::call_upload`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    /// The parameter that takes the file (`document`, `photo`, …).
    pub field: String,
    pub file_name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A call's body.
enum Payload<'a> {
    Json(&'a Value),
    Form(reqwest::multipart::Form),
}

/// Told about every call a [`BotApi`] makes: its method and how it ended.
pub type Observer = std::sync::Arc<dyn Fn(&str, Outcome) + Send + Sync>;

impl std::fmt::Debug for BotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotApi(**token redacted**)")
    }
}

/// The bot behind a token, as getMe tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    /// `false` when @BotFather's "Allow Groups" is off: the bot cannot join a backend group.
    pub can_join_groups: bool,
    /// `true` when @BotFather's Business Mode is on: a Premium user can connect the bot to
    /// their account (Settings → Telegram Business → Chatbots).
    pub can_connect_to_business: bool,
}

/// A token looks like `123456:ABC-def…`.
pub fn token_looks_valid(token: &str) -> bool {
    match token.split_once(':') {
        Some((id, secret)) => {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && secret.len() >= 30
                && secret
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => false,
    }
}

impl BotApi {
    /// `base` is the Bot API server (`https://api.telegram.org`, a local server, or tgsim);
    /// `http` is shared by all bots (one connection pool).
    pub fn new(http: reqwest::Client, base: &str, token: &str) -> Self {
        Self {
            http,
            url: format!("{}/bot{token}", base.trim_end_matches('/')),
            file_url: format!("{}/file/bot{token}", base.trim_end_matches('/')),
            observer: None,
        }
    }

    /// The same endpoint, reporting every call to `observer`.
    pub fn observed(mut self, observer: Observer) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Calls `method` with JSON parameters; `timeout` bounds the whole request.
    pub async fn call_with_timeout(
        &self,
        method: &str,
        params: &Value,
        timeout: Duration,
    ) -> Result<Value, TgError> {
        let (result, outcome) = self.exchange(method, Payload::Json(params), timeout).await;
        if let Some(observe) = &self.observer {
            observe(method, outcome);
        }
        result
    }

    /// Downloads a file the bot received (`getFile`, then the file itself), refusing one
    /// larger than `max_bytes` (before and while downloading).
    pub async fn download(&self, file_id: &str, max_bytes: usize) -> Result<Vec<u8>, TgError> {
        let too_big = || TgError::BadRequest(format!("the file is larger than {max_bytes} bytes"));
        let f = self.call("getFile", &json!({ "file_id": file_id })).await?;
        if f.get("file_size")
            .and_then(Value::as_u64)
            .is_some_and(|n| n > max_bytes as u64)
        {
            return Err(too_big());
        }
        let Some(path) = f.get("file_path").and_then(Value::as_str) else {
            return Err(TgError::BadRequest("getFile gave no file_path".into()));
        };
        let mut resp = self
            .http
            .get(format!("{}/{path}", self.file_url))
            .timeout(Duration::from_secs(120))
            .send()
            .await
            .map_err(|e| TgError::Transient(format!("download: {e}")))?;
        if !resp.status().is_success() {
            let code = resp.status().as_u16();
            return Err(if code >= 500 {
                TgError::Transient(format!("download: HTTP {code}"))
            } else {
                TgError::BadRequest(format!("download: HTTP {code}"))
            });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| TgError::Transient(format!("download: {e}")))?
        {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > max_bytes {
                return Err(too_big());
            }
        }
        Ok(bytes)
    }

    /// Calls `method` uploading `file` (multipart/form-data, as the Bot API takes new
    /// files); `params` are sent as form fields, objects and lists as JSON text.
    pub async fn call_upload(
        &self,
        method: &str,
        params: &Value,
        file: Upload,
    ) -> Result<Value, TgError> {
        let mut form = reqwest::multipart::Form::new();
        if let Some(fields) = params.as_object() {
            for (k, v) in fields {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                form = form.text(k.clone(), text);
            }
        }
        let part = reqwest::multipart::Part::bytes(file.bytes)
            .file_name(file.file_name)
            .mime_str(&file.mime)
            .map_err(|e| TgError::BadRequest(format!("bad file type: {e}")))?;
        form = form.part(file.field, part);
        let (result, outcome) = self
            .exchange(method, Payload::Form(form), Duration::from_secs(120))
            .await;
        if let Some(observe) = &self.observer {
            observe(method, outcome);
        }
        result
    }

    async fn exchange(
        &self,
        method: &str,
        payload: Payload<'_>,
        timeout: Duration,
    ) -> (Result<Value, TgError>, Outcome) {
        let request = self.http.post(format!("{}/{method}", self.url));
        let request = match payload {
            Payload::Json(params) => request.json(params),
            Payload::Form(form) => request.multipart(form),
        };
        let resp = match request.timeout(timeout).send().await {
            Ok(r) => r,
            Err(e) => {
                return (
                    Err(TgError::Transient(describe_transport(&e))),
                    Outcome::Transport,
                );
            }
        };
        let status = resp.status().as_u16();
        let body = match resp.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return (
                    Err(TgError::Transient(describe_transport(&e))),
                    Outcome::Transport,
                );
            }
        };
        let v: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            // Gateways answer 5xx with HTML.
            Err(_) if status >= 500 || status == 429 => {
                return (
                    Err(TgError::Transient(format!("HTTP {status}"))),
                    Outcome::of_status(i64::from(status)),
                );
            }
            Err(_) => {
                return (
                    Err(TgError::Transient(format!(
                        "unreadable answer (HTTP {status})"
                    ))),
                    Outcome::Transport,
                );
            }
        };
        if v.get("ok").and_then(Value::as_bool) == Some(true) {
            return (
                Ok(v.get("result").cloned().unwrap_or(Value::Null)),
                Outcome::Ok,
            );
        }
        let code = v
            .get("error_code")
            .and_then(Value::as_i64)
            .unwrap_or(i64::from(status));
        let description = v
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("unknown error");
        (
            Err(TgError::from_answer(code, description, v.get("parameters"))),
            Outcome::of_status(code),
        )
    }

    /// Sends a [`requests::Request`].
    pub async fn send(&self, r: &requests::Request) -> Result<Value, TgError> {
        self.call(&r.method, &r.params).await
    }

    pub async fn call(&self, method: &str, params: &Value) -> Result<Value, TgError> {
        self.call_with_timeout(method, params, Duration::from_secs(30))
            .await
    }

    pub async fn get_me(&self) -> Result<Me, TgError> {
        let v = self.call("getMe", &json!({})).await?;
        Ok(Me {
            id: v.get("id").and_then(Value::as_i64).unwrap_or_default(),
            username: v
                .get("username")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            first_name: v
                .get("first_name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            can_join_groups: v
                .get("can_join_groups")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            can_connect_to_business: v
                .get("can_connect_to_business")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }

    /// Long polling: raw updates after `offset`, waiting up to `timeout_s`.
    pub async fn get_updates(
        &self,
        offset: i64,
        timeout_s: u64,
        allowed: &[&str],
    ) -> Result<Vec<Value>, TgError> {
        let params = json!({ "offset": offset, "timeout": timeout_s, "allowed_updates": allowed, "limit": 100 });
        let v = self
            .call_with_timeout("getUpdates", &params, Duration::from_secs(timeout_s + 15))
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }
}

fn describe_transport(e: &reqwest::Error) -> String {
    // Never include the URL: it carries the token.
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else {
        "connection dropped".into()
    }
}

/// Parses one raw update; `None` for kinds this build does not know (they are skipped).
pub fn parse_update(raw: &Value) -> Option<Update> {
    serde_json::from_value(raw.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_what_to_do() {
        let e = |code, d: &str| TgError::from_answer(code, d, None);
        assert_eq!(
            e(400, "Bad Request: message thread not found"),
            TgError::ThreadNotFound
        );
        assert_eq!(
            e(403, "Forbidden: bot was blocked by the user"),
            TgError::BotBlocked
        );
        assert_eq!(
            e(403, "Forbidden: user is deactivated"),
            TgError::UserDeactivated
        );
        assert_eq!(e(400, "Bad Request: TOPIC_CLOSED"), TgError::TopicClosed);
        assert_eq!(
            e(502, "Bad Gateway"),
            TgError::Transient("Bad Gateway".into())
        );
        assert_eq!(e(401, "Unauthorized"), TgError::Unauthorized);
        assert_eq!(
            TgError::from_answer(
                429,
                "Too Many Requests: retry after 7",
                Some(&json!({"retry_after": 7}))
            ),
            TgError::RetryAfter(7)
        );
        assert_eq!(
            TgError::from_answer(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                Some(&json!({"migrate_to_chat_id": -1001}))
            ),
            TgError::Migrated(-1001)
        );
        assert!(e(400, "Bad Request: message is not modified: x").eq(&TgError::NotModified));
        assert!(e(400, "Bad Request: TOPIC_NOT_MODIFIED").eq(&TgError::NotModified));
        assert_eq!(
            e(400, "Bad Request: BUSINESS_PEER_USAGE_MISSING"),
            TgError::ReplyWindowClosed
        );
        assert_eq!(
            e(400, "Bad Request: BUSINESS_CONNECTION_INVALID"),
            TgError::BusinessConnectionInvalid
        );
        assert_eq!(
            e(400, "Bad Request: BUSINESS_PEER_INVALID"),
            TgError::BusinessPeerInvalid
        );
        assert_eq!(
            e(403, "Forbidden: BOT_ACCESS_FORBIDDEN"),
            TgError::BusinessRightMissing
        );
    }

    #[test]
    fn token_format() {
        assert!(token_looks_valid(
            "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789"
        ));
        assert!(!token_looks_valid("123456ABC"));
        assert!(!token_looks_valid(
            "12a:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789"
        ));
        assert!(!token_looks_valid("1:short"));
    }
}
