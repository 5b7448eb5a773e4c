//! What people see: a chat's timeline, and waiting until it shows enough messages.

use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use super::{CResult, ControlError, Shared, bad, ok, user_chat};
use crate::render;
use crate::world::{ChatKey, World};

#[derive(Deserialize)]
pub(super) struct TimelineQuery {
    /// The viewing user.
    #[serde(rename = "as")]
    viewer: i64,
    chat: i64,
    /// Only this forum topic; `0` for General.
    thread: Option<i64>,
    /// Only messages with a larger id.
    after: Option<i64>,
    /// `1`: add each message's `date_ms` (see `with_date_ms`).
    ms: Option<i64>,
}

fn timeline_of(w: &World, q: &TimelineQuery) -> Result<Vec<Value>, ControlError> {
    let key = user_chat(w, q.viewer, q.chat)?;
    let chat = w.chat(key)?;
    if matches!(key, ChatKey::Group(_)) && !chat.is_present(q.viewer) && chat.username.is_none() {
        return Err(bad("the viewer is not a member of this chat"));
    }
    Ok(chat
        .messages
        .values()
        .filter(|m| !m.deleted)
        .filter(|m| q.after.is_none_or(|a| m.id > a))
        .filter(|m| match q.thread {
            None => true,
            Some(0) => !m.is_topic_message,
            Some(t) => m.is_topic_message && m.thread_id == Some(t),
        })
        .map(|m| {
            let mut v = render::message(w, m, q.viewer);
            if q.ms == Some(1) {
                v = super::with_date_ms(v, m.date_ms);
            }
            // Reply keyboards are part of what the user sees, though not of the Message.
            if let (Some(rm), Some(o)) = (&m.reply_markup, v.as_object_mut())
                && rm.get("inline_keyboard").is_none()
            {
                o.insert("reply_keyboard".into(), rm.clone());
            }
            v
        })
        .collect())
}

pub(super) async fn timeline(State(sim): Shared, Query(q): Query<TimelineQuery>) -> CResult {
    let w = sim.world();
    ok(Value::Array(timeline_of(&w, &q)?))
}

#[derive(Deserialize)]
pub(super) struct WaitQuery {
    #[serde(rename = "as")]
    viewer: i64,
    chat: i64,
    thread: Option<i64>,
    after: Option<i64>,
    ms: Option<i64>,
    /// Wait until the (filtered) timeline holds at least this many messages.
    count: usize,
    timeout_ms: Option<u64>,
}

/// Long-polls until a chat shows at least `count` messages, so tests never sleep.
pub(super) async fn wait(State(sim): Shared, Query(q): Query<WaitQuery>) -> CResult {
    let deadline =
        tokio::time::Instant::now() + Duration::from_millis(q.timeout_ms.unwrap_or(10_000));
    let tq = TimelineQuery {
        viewer: q.viewer,
        chat: q.chat,
        thread: q.thread,
        after: q.after,
        ms: q.ms,
    };
    loop {
        let mut rx = {
            let w = sim.world();
            let items = timeline_of(&w, &tq)?;
            if items.len() >= q.count {
                return ok(Value::Array(items));
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(ControlError(
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "timed out: chat {} shows {} of {} messages: {}",
                        q.chat,
                        items.len(),
                        q.count,
                        Value::Array(items)
                    ),
                ));
            }
            w.changes.subscribe()
        };
        tokio::select! {
            _ = rx.changed() => {}
            () = tokio::time::sleep_until(deadline) => {}
        }
    }
}
