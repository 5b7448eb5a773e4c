//! Assertions shared by the tests: exact Bot API errors, parsing through two independent
//! typed Bot API crates, and the texts of a timeline.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::BotError;

/// The texts (or captions) of a timeline, in order; messages with neither are skipped.
pub fn texts(msgs: &[Value]) -> Vec<String> {
    msgs.iter()
        .filter_map(|m| {
            m["text"]
                .as_str()
                .or(m["caption"].as_str())
                .map(str::to_string)
        })
        .collect()
}

/// The error of a call that must fail.
pub fn refused(r: Result<Value, BotError>) -> BotError {
    match r {
        Ok(v) => panic!("expected an error, got {v}"),
        Err(e) => e,
    }
}

/// Asserts an exact Bot API error: HTTP status, `error_code` and description.
#[track_caller]
pub fn assert_error(r: Result<Value, BotError>, code: u16, description: &str) -> BotError {
    let e = refused(r);
    assert_eq!(e.status, code, "HTTP status of {e:?}");
    assert_eq!(e.code, i64::from(code), "error_code of {e:?}");
    assert_eq!(e.description, description, "description of {e:?}");
    e
}

/// Asserts a 400 whose description starts with `prefix`.
#[track_caller]
pub fn assert_bad_request(r: Result<Value, BotError>, prefix: &str) -> BotError {
    let e = refused(r);
    assert_eq!(e.status, 400, "HTTP status of {e:?}");
    assert_eq!(e.code, 400, "error_code of {e:?}");
    assert!(
        e.description.starts_with(prefix),
        "expected a description starting with {prefix:?}, got {:?}",
        e.description
    );
    e
}

/// Parses a Bot API object through frankenstein and tgbot types.
#[track_caller]
pub fn both<F: DeserializeOwned, T: DeserializeOwned>(v: &Value) -> (F, T) {
    let f = serde_json::from_value::<F>(v.clone()).unwrap_or_else(|e| {
        panic!(
            "frankenstein {} does not parse: {e}\n{v:#}",
            std::any::type_name::<F>()
        )
    });
    let t = serde_json::from_value::<T>(v.clone()).unwrap_or_else(|e| {
        panic!(
            "tgbot {} does not parse: {e}\n{v:#}",
            std::any::type_name::<T>()
        )
    });
    (f, t)
}

pub fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}
