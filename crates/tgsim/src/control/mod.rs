//! The control API (`/control/…`): JSON endpoints through which tests and the sandbox act as
//! the people in the world, inspect what they see, and steer time, limits and faults.
//!
//! Answers are `{"ok": true, "result": …}` or `{"ok": false, "error": "…"}` with status 400/404.
//! In requests, `chat` is a chat as the acting user sees it: a bot's user id for the private
//! chat with that bot, or a (negative) group id.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::Sim;
use crate::error::ApiError;
use crate::world::{ChatKey, MemberStatus, World};

mod business;
mod callbacks;
mod chats;
mod edits;
mod ops;
mod people;
mod send;
mod views;

use callbacks::{callback_answer, forge_callback, press};
use chats::{add_bot, create_chat, kick, migrate, set_member, share_chat, topics};
use edits::{delete, edit, react};
use ops::{
    clock, clock_get, faults_clear, faults_get, faults_set, limits_get, limits_set, stats,
    world_summary,
};
use people::{
    block, create_bot, create_user, deactivate, get_user, patch_user, peek_updates, revoke_token,
    start,
};
use send::send;
use views::{timeline, wait};

type Shared = State<Arc<Sim>>;

#[derive(Debug)]
pub struct ControlError(StatusCode, String);

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "ok": false, "error": self.1 }))).into_response()
    }
}

impl From<ApiError> for ControlError {
    fn from(e: ApiError) -> Self {
        ControlError(StatusCode::BAD_REQUEST, e.description)
    }
}

fn bad(msg: impl Into<String>) -> ControlError {
    ControlError(StatusCode::BAD_REQUEST, msg.into())
}

type CResult = Result<Json<Value>, ControlError>;

/// A message with `date_ms` added: the emulator's millisecond clock at sending (Telegram's
/// `date` has whole seconds), so that benchmarks can time a copy against its original.
/// Only when asked (`ms`): otherwise the control API shows the Bot API's Message as is.
fn with_date_ms(mut message: Value, date_ms: i64) -> Value {
    if let Some(o) = message.as_object_mut() {
        o.insert("date_ms".into(), json!(date_ms));
    }
    message
}

fn ok(v: Value) -> CResult {
    Ok(Json(json!({ "ok": true, "result": v })))
}

pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/users", post(create_user))
        .route("/users/{id}", get(get_user).patch(patch_user))
        .route("/bots", post(create_bot))
        .route("/bots/{id}/updates", get(peek_updates))
        .route("/bots/{id}/revoke", post(revoke_token))
        .route("/chats", post(create_chat))
        .route("/chats/{id}/members", post(set_member))
        .route("/start", post(start))
        .route("/send", post(send))
        .route("/edit", post(edit))
        .route("/delete", post(delete))
        .route("/press", post(press))
        .route("/forge_callback", post(forge_callback))
        .route("/callbacks/{id}", get(callback_answer))
        .route("/share_chat", post(share_chat))
        .route("/add_bot", post(add_bot))
        .route("/block", post(block))
        .route("/deactivate", post(deactivate))
        .route("/kick", post(kick))
        .route("/migrate", post(migrate))
        .route("/topics", post(topics))
        .route("/react", post(react))
        .route("/business/connect", post(business::connect))
        .route("/business/disconnect", post(business::disconnect))
        .route("/contacts", post(business::contacts))
        .route("/timeline", get(timeline))
        .route("/wait", get(wait))
        .route("/clock", get(clock_get).post(clock))
        .route(
            "/faults",
            get(faults_get).post(faults_set).delete(faults_clear),
        )
        .route("/limits", get(limits_get).post(limits_set))
        .route("/stats", get(stats))
        .route("/world", get(world_summary))
        // The sandbox UI's helpers: live events, the host panel, a person's chat list.
        .merge(crate::ui::control_routes())
}

// ----- helpers shared by the areas --------------------------------------------------------

fn yes() -> bool {
    true
}

fn group_key(w: &World, id: i64) -> Result<ChatKey, ControlError> {
    let key = ChatKey::Group(id);
    if w.chats.contains_key(&key) {
        Ok(key)
    } else {
        Err(bad("no such chat"))
    }
}

fn creator_of(w: &World, key: ChatKey) -> i64 {
    w.chats
        .get(&key)
        .and_then(|c| {
            c.members
                .iter()
                .find(|(_, m)| m.status == MemberStatus::Creator)
                .map(|(id, _)| *id)
        })
        .unwrap_or(0)
}

/// The chat `chat` as user `user` addresses it: a bot's id (the chat with that bot), a
/// person's id (the private chat with that person: bots see it only through a business
/// connection) or a group id.
fn user_chat(w: &World, user: i64, chat: i64) -> Result<ChatKey, ControlError> {
    if chat > 0 {
        if w.is_bot(chat) {
            return Ok(ChatKey::Private { bot: chat, user });
        }
        let other = w.users.get(&chat).ok_or_else(|| bad("no such user"))?;
        if chat == user {
            return Err(bad("Saved Messages are not emulated"));
        }
        if other.deactivated {
            return Err(bad("this account is deleted"));
        }
        Ok(ChatKey::personal(user, chat))
    } else {
        group_key(w, chat)
    }
}

fn active_user(w: &World, id: i64) -> Result<(), ControlError> {
    let u = w.users.get(&id).ok_or_else(|| bad("no such user"))?;
    if u.is_bot {
        return Err(bad("bots act through the Bot API, not the control API"));
    }
    if u.deactivated {
        return Err(bad("this account is deleted"));
    }
    Ok(())
}
