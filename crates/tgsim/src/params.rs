//! Bot API parameters, decoded from wherever Telegram accepts them.
//!
//! Telegram reads parameters from the URL query string and from a JSON,
//! `application/x-www-form-urlencoded` or `multipart/form-data` body, on GET and POST alike.
//! In form and multipart bodies nested objects arrive as JSON text and booleans as
//! `true`/`True`/`1`. [`Params`] hides those differences from the method handlers.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::error::{ApiError, ApiResult};

/// One received parameter value.
#[derive(Debug, Clone)]
pub enum Param {
    /// From the query string, a form body or a multipart text field.
    Text(String),
    /// From a JSON body.
    Json(Value),
    /// A multipart file part.
    File(Upload),
}

#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// Where a file parameter points.
#[derive(Debug, Clone)]
pub enum InputFile {
    /// Uploaded in this request (directly or through `attach://name`).
    Upload(Upload),
    /// A file_id the calling bot received earlier.
    FileId(String),
    /// An HTTP URL for Telegram to download.
    Url(String),
}

/// A chat reference: a numeric id or `@username` (for public groups and channels).
#[derive(Debug, Clone, PartialEq)]
pub enum ChatRef {
    Id(i64),
    Username(String),
}

#[derive(Debug, Clone, Default)]
pub struct Params {
    values: BTreeMap<String, Param>,
}

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, name: impl Into<String>, value: Param) {
        self.values.insert(name.into(), value);
    }

    /// Adds query-string pairs; body values win over query values with the same name.
    pub fn add_query(&mut self, query: &str) {
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            self.values
                .entry(k.into_owned())
                .or_insert(Param::Text(v.into_owned()));
        }
    }

    pub fn add_form(&mut self, body: &[u8]) {
        for (k, v) in form_urlencoded::parse(body) {
            self.values
                .insert(k.into_owned(), Param::Text(v.into_owned()));
        }
    }

    pub fn add_json_object(&mut self, obj: Map<String, Value>) {
        for (k, v) in obj {
            // Telegram treats a JSON null like an absent parameter.
            if !v.is_null() {
                self.values.insert(k, Param::Json(v));
            }
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    pub fn raw(&self, name: &str) -> Option<&Param> {
        self.values.get(name)
    }

    /// Names present in the request that `known` does not list.
    /// Multipart parts that another parameter references as `attach://name` are not unknown.
    pub fn unknown<'a>(&'a self, known: &[&str]) -> Vec<&'a str> {
        self.names()
            .filter(|n| !known.contains(n) && !self.is_attached(n))
            .collect()
    }

    /// Is `name` an uploaded part that some parameter points at with `attach://name`?
    fn is_attached(&self, name: &str) -> bool {
        if !matches!(self.values.get(name), Some(Param::File(_))) {
            return false;
        }
        let target = format!("attach://{name}");
        fn refers(v: &Value, target: &str) -> bool {
            match v {
                Value::String(s) => s == target,
                Value::Array(a) => a.iter().any(|x| refers(x, target)),
                Value::Object(o) => o.values().any(|x| refers(x, target)),
                _ => false,
            }
        }
        self.values.values().any(|v| match v {
            Param::Text(s) => {
                *s == target || serde_json::from_str::<Value>(s).is_ok_and(|j| refers(&j, &target))
            }
            Param::Json(j) => refers(j, &target),
            Param::File(_) => false,
        })
    }

    /// The decoded parameters as JSON, uploads replaced by a short descriptor (traffic log).
    pub fn to_log_json(&self) -> Value {
        let mut out = Map::new();
        for (k, v) in &self.values {
            let value = match v {
                Param::Text(s) => match serde_json::from_str::<Value>(s) {
                    Ok(j @ (Value::Object(_) | Value::Array(_))) => j,
                    _ => Value::String(s.clone()),
                },
                Param::Json(j) => j.clone(),
                Param::File(u) => json!({
                    "upload": u.file_name.clone().unwrap_or_default(),
                    "size": u.bytes.len(),
                }),
            };
            out.insert(k.clone(), value);
        }
        Value::Object(out)
    }

    pub fn str(&self, name: &str) -> ApiResult<Option<String>> {
        Ok(match self.values.get(name) {
            None => None,
            Some(Param::Text(s)) => Some(s.clone()),
            Some(Param::Json(Value::String(s))) => Some(s.clone()),
            Some(Param::Json(Value::Number(n))) => Some(n.to_string()),
            Some(Param::Json(Value::Bool(b))) => Some(b.to_string()),
            Some(_) => return Err(invalid(name, "a string")),
        })
    }

    pub fn req_str(&self, name: &str) -> ApiResult<String> {
        self.str(name)?.ok_or_else(|| ApiError::missing(name))
    }

    pub fn i64(&self, name: &str) -> ApiResult<Option<i64>> {
        Ok(match self.values.get(name) {
            None => None,
            Some(Param::Json(Value::Number(n))) => {
                Some(n.as_i64().ok_or_else(|| invalid(name, "an integer"))?)
            }
            Some(Param::Text(s)) | Some(Param::Json(Value::String(s))) => {
                Some(s.trim().parse().map_err(|_| invalid(name, "an integer"))?)
            }
            Some(_) => return Err(invalid(name, "an integer")),
        })
    }

    pub fn req_i64(&self, name: &str) -> ApiResult<i64> {
        self.i64(name)?.ok_or_else(|| ApiError::missing(name))
    }

    pub fn f64(&self, name: &str) -> ApiResult<Option<f64>> {
        Ok(match self.values.get(name) {
            None => None,
            Some(Param::Json(Value::Number(n))) => n.as_f64(),
            Some(Param::Text(s)) | Some(Param::Json(Value::String(s))) => {
                Some(s.trim().parse().map_err(|_| invalid(name, "a number"))?)
            }
            Some(_) => return Err(invalid(name, "a number")),
        })
    }

    pub fn req_f64(&self, name: &str) -> ApiResult<f64> {
        self.f64(name)?.ok_or_else(|| ApiError::missing(name))
    }

    pub fn bool(&self, name: &str) -> ApiResult<Option<bool>> {
        Ok(match self.values.get(name) {
            None => None,
            Some(Param::Json(Value::Bool(b))) => Some(*b),
            Some(Param::Json(Value::Number(n))) => Some(n.as_i64() != Some(0)),
            Some(Param::Text(s)) | Some(Param::Json(Value::String(s))) => match s.trim() {
                "true" | "True" | "TRUE" | "1" => Some(true),
                "false" | "False" | "FALSE" | "0" | "" => Some(false),
                _ => return Err(invalid(name, "a boolean")),
            },
            Some(_) => return Err(invalid(name, "a boolean")),
        })
    }

    pub fn flag(&self, name: &str) -> ApiResult<bool> {
        Ok(self.bool(name)?.unwrap_or(false))
    }

    /// A nested object or list: native in JSON bodies, JSON text elsewhere.
    pub fn json(&self, name: &str) -> ApiResult<Option<Value>> {
        Ok(match self.values.get(name) {
            None => None,
            Some(Param::Json(Value::String(s))) | Some(Param::Text(s)) => {
                Some(serde_json::from_str(s).map_err(|_| {
                    ApiError::bad_request(format!("can't parse {name} JSON object"))
                })?)
            }
            Some(Param::Json(v)) => Some(v.clone()),
            Some(Param::File(_)) => return Err(invalid(name, "a JSON object")),
        })
    }

    pub fn chat(&self, name: &str) -> ApiResult<Option<ChatRef>> {
        let Some(raw) = self.str(name)? else {
            return Ok(None);
        };
        let raw = raw.trim();
        if let Ok(id) = raw.parse::<i64>() {
            return Ok(Some(ChatRef::Id(id)));
        }
        match raw.strip_prefix('@') {
            Some(u) if !u.is_empty() => Ok(Some(ChatRef::Username(u.to_string()))),
            _ => Err(ApiError::chat_not_found()),
        }
    }

    pub fn req_chat(&self, name: &str) -> ApiResult<ChatRef> {
        self.chat(name)?.ok_or_else(|| ApiError::missing(name))
    }

    /// A file parameter: an upload in this request, `attach://name`, a file_id or a URL.
    pub fn file(&self, name: &str) -> ApiResult<Option<InputFile>> {
        match self.values.get(name) {
            None => Ok(None),
            Some(Param::File(u)) => Ok(Some(InputFile::Upload(u.clone()))),
            Some(_) => {
                let s = self.req_str(name)?;
                self.resolve_file_ref(&s).map(Some)
            }
        }
    }

    /// Resolves a string file reference (as found inside InputMedia objects).
    pub fn resolve_file_ref(&self, s: &str) -> ApiResult<InputFile> {
        if let Some(part) = s.strip_prefix("attach://") {
            return match self.values.get(part) {
                Some(Param::File(u)) => Ok(InputFile::Upload(u.clone())),
                _ => Err(ApiError::bad_request(format!(
                    "wrong HTTP URL specified: attached file \"{part}\" not found"
                ))),
            };
        }
        if s.starts_with("http://") || s.starts_with("https://") {
            return Ok(InputFile::Url(s.to_string()));
        }
        if s.trim().is_empty() {
            return Err(ApiError::bad_request(
                "wrong file identifier/HTTP URL specified",
            ));
        }
        Ok(InputFile::FileId(s.to_string()))
    }
}

fn invalid(name: &str, expected: &str) -> ApiError {
    ApiError::bad_request(format!("invalid parameter \"{name}\": expected {expected}"))
}
