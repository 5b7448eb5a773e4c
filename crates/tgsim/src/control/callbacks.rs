//! Inline button presses (real and forged, `/control/forge_callback`) and reading the bot's
//! answer to a callback query.

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use rand::Rng;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{CResult, Shared, active_user, bad, ok, user_chat};
use crate::Sim;
use crate::render;
use crate::world::{CallbackQuery, Sender, WINDOW_48H_MS};

#[derive(Deserialize)]
pub(super) struct Press {
    from: i64,
    chat: i64,
    message_id: i64,
    data: String,
}

/// A person presses an inline button of a bot's message.
pub(super) async fn press(State(sim): Shared, Json(b): Json<Press>) -> CResult {
    callback(&sim, &b, false)
}

/// A forged button press: the callback data is whatever the person chose, not one of the
/// message's buttons. Telegram's clients send `messages.getBotCallbackAnswer` with any data
/// for any bot message the user can see, so bots must treat callback data as untrusted
/// input; this is how tests act as that attacker.
pub(super) async fn forge_callback(State(sim): Shared, Json(b): Json<Press>) -> CResult {
    callback(&sim, &b, true)
}

fn callback(sim: &Sim, b: &Press, forged: bool) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    if !w.chat(key)?.is_present(b.from) {
        return Err(bad("the user is not in this chat"));
    }
    let m = w
        .message(key, b.message_id)
        .cloned()
        .ok_or_else(|| bad("no such message"))?;
    let bot = match m.sender {
        Sender::User(u) if w.is_bot(u) => u,
        _ => m
            .posted_by
            .filter(|u| w.is_bot(*u))
            .ok_or_else(|| bad("the message was not sent by a bot"))?,
    };
    let has_button = m
        .reply_markup
        .as_ref()
        .and_then(|r| r.get("inline_keyboard"))
        .and_then(Value::as_array)
        .is_some_and(|rows| {
            rows.iter()
                .filter_map(Value::as_array)
                .flatten()
                .any(|btn| btn.get("callback_data").and_then(Value::as_str) == Some(&b.data))
        });
    if !forged && !has_button {
        return Err(bad(
            "the message has no inline button with that callback_data",
        ));
    }
    // Telegram refuses callback data longer than 64 bytes (BUTTON_DATA_INVALID).
    if b.data.is_empty() || b.data.len() > 64 {
        return Err(bad("callback data must be 1-64 bytes"));
    }
    let id: u64 = w
        .rng
        .random_range(1_000_000_000_000_000_000..9_000_000_000_000_000_000);
    let id = id.to_string();
    let old = w.now_ms() - m.date_ms > WINDOW_48H_MS;
    let message = if old {
        render::inaccessible_message(&w, &m, bot)
    } else {
        render::message(&w, &m, bot)
    };
    let chat_instance = format!(
        "{}",
        (w.chat_id_for(key, bot).unsigned_abs() ^ 0x5bd1_e995) % 1_000_000_000_000_000_000
    );
    let payload = json!({
        "id": id,
        "from": render::user(&w, b.from),
        "message": message,
        "chat_instance": chat_instance,
        "data": b.data,
    });
    let now = w.now_ms();
    w.callbacks.insert(
        id.clone(),
        CallbackQuery {
            id: id.clone(),
            bot,
            from: b.from,
            created_ms: now,
            answer: None,
        },
    );
    w.push_update(bot, "callback_query", payload);
    w.touch();
    ok(json!({ "callback_query_id": id }))
}

#[derive(Deserialize)]
pub(super) struct WaitParams {
    timeout_ms: Option<u64>,
}

pub(super) async fn callback_answer(
    State(sim): Shared,
    Path(id): Path<String>,
    Query(q): Query<WaitParams>,
) -> CResult {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(q.timeout_ms.unwrap_or(0));
    loop {
        let mut rx = {
            let w = sim.world();
            let cb = w
                .callbacks
                .get(&id)
                .ok_or_else(|| bad("no such callback query"))?;
            if cb.answer.is_some() || tokio::time::Instant::now() >= deadline {
                return ok(json!({ "answer": cb.answer }));
            }
            w.changes.subscribe()
        };
        tokio::select! {
            _ = rx.changed() => {}
            () = tokio::time::sleep_until(deadline) => {}
        }
    }
}
