//! Bot API errors as Telegram phrases them.

use serde_json::{Value, json};

/// One failed Bot API call: the HTTP status doubles as `error_code`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub description: String,
    pub parameters: Option<Value>,
}

impl ApiError {
    pub fn new(code: u16, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            parameters: None,
        }
    }

    /// 400 `Bad Request: {what}`.
    pub fn bad_request(what: impl AsRef<str>) -> Self {
        Self::new(400, format!("Bad Request: {}", what.as_ref()))
    }

    /// 403 `Forbidden: {what}`.
    pub fn forbidden(what: impl AsRef<str>) -> Self {
        Self::new(403, format!("Forbidden: {}", what.as_ref()))
    }

    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }

    pub fn not_found() -> Self {
        Self::new(404, "Not Found")
    }

    pub fn conflict(what: impl AsRef<str>) -> Self {
        Self::new(409, format!("Conflict: {}", what.as_ref()))
    }

    pub fn too_many_requests(retry_after: i64) -> Self {
        let retry_after = retry_after.max(1);
        Self {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            parameters: Some(json!({ "retry_after": retry_after })),
        }
    }

    pub fn migrated(to: i64) -> Self {
        Self {
            code: 400,
            description: "Bad Request: group chat was upgraded to a supergroup chat".into(),
            parameters: Some(json!({ "migrate_to_chat_id": to })),
        }
    }

    pub fn chat_not_found() -> Self {
        Self::bad_request("chat not found")
    }

    pub fn thread_not_found() -> Self {
        Self::bad_request("message thread not found")
    }

    pub fn missing(param: &str) -> Self {
        Self::bad_request(format!("parameter \"{param}\" is required"))
    }

    /// The response body Telegram sends for this error.
    pub fn body(&self) -> Value {
        let mut v =
            json!({ "ok": false, "error_code": self.code, "description": self.description });
        if let (Some(p), Some(obj)) = (&self.parameters, v.as_object_mut()) {
            obj.insert("parameters".into(), p.clone());
        }
        v
    }
}

pub type ApiResult<T = Value> = Result<T, ApiError>;
