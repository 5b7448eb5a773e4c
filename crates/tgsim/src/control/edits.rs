//! A person edits, deletes and reacts to messages.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{CResult, Shared, active_user, bad, ok, user_chat};
use crate::methods::edit::REACTION_EMOJI;
use crate::render;
use crate::updates;
use crate::world::{ChatKey, Sender, WINDOW_48H_MS};

#[derive(Deserialize)]
pub(super) struct Edit {
    from: i64,
    chat: i64,
    message_id: i64,
    text: Option<String>,
    entities: Option<Vec<Value>>,
    caption: Option<String>,
}

pub(super) async fn edit(State(sim): Shared, Json(b): Json<Edit>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    let mut m = w
        .message(key, b.message_id)
        .cloned()
        .ok_or_else(|| bad("message to edit not found"))?;
    let own = m.sender == Sender::User(b.from) || m.posted_by == Some(b.from);
    if !own {
        return Err(bad("users can edit only their own messages"));
    }
    if w.now_ms() - m.date_ms > WINDOW_48H_MS && key_is_private(key) {
        return Err(bad("message can't be edited"));
    }
    if let Some(t) = b.text {
        if m.text().is_none() {
            return Err(bad("there is no text in the message to edit"));
        }
        m.content.insert("text".into(), json!(t));
        match b.entities {
            Some(e) if !e.is_empty() => {
                m.content.insert("entities".into(), json!(e));
            }
            _ => {
                m.content.remove("entities");
            }
        }
    }
    if let Some(c) = b.caption {
        if m.media_kind().is_none() {
            return Err(bad("there is no caption in the message to edit"));
        }
        m.content.insert("caption".into(), json!(c));
        m.content.remove("caption_entities");
    }
    m.edit_date = Some(w.now_s());
    let id = m.id;
    w.chat_mut(key)?.messages.insert(id, m);
    w.touch();
    updates::fan_out_message(&mut w, key, id, true);
    let m = w.message(key, id).ok_or_else(|| bad("message vanished"))?;
    ok(render::message(&w, m, b.from))
}

fn key_is_private(key: ChatKey) -> bool {
    matches!(key, ChatKey::Private { .. } | ChatKey::Personal { .. })
}

#[derive(Deserialize)]
pub(super) struct Delete {
    from: i64,
    chat: i64,
    message_ids: Vec<i64>,
}

/// A user deletes messages. Telegram sends bots no update about it, except business bots
/// about the account's private chats.
pub(super) async fn delete(State(sim): Shared, Json(b): Json<Delete>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    let is_admin = w
        .chat(key)?
        .member(b.from)
        .is_some_and(|m| m.can("can_delete_messages"));
    let mut deleted = Vec::new();
    for id in b.message_ids {
        let Some(m) = w.message(key, id) else {
            continue;
        };
        let own = m.sender == Sender::User(b.from) || m.posted_by == Some(b.from);
        let private = key_is_private(key);
        if !(own || private || is_admin) {
            return Err(bad(format!("the user may not delete message {id}")));
        }
        if m.service && m.content.contains_key("forum_topic_created") {
            return Err(bad("delete the topic instead of its first message"));
        }
        if let Some(c) = w.chats.get_mut(&key) {
            if let Some(m) = c.messages.get_mut(&id) {
                m.deleted = true;
            }
            c.pinned.retain(|x| *x != id);
        }
        deleted.push(id);
    }
    updates::fan_out_deletion(&mut w, key, &deleted);
    w.touch();
    ok(json!(deleted))
}

#[derive(Deserialize)]
pub(super) struct React {
    from: i64,
    chat: i64,
    message_id: i64,
    /// An emoji, or null to remove the reaction.
    emoji: Option<String>,
}

pub(super) async fn react(State(sim): Shared, Json(b): Json<React>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    if let Some(e) = &b.emoji
        && !REACTION_EMOJI.contains(&e.as_str())
    {
        return Err(bad("REACTION_INVALID"));
    }
    let new: Vec<Value> = b
        .emoji
        .iter()
        .map(|e| json!({ "type": "emoji", "emoji": e }))
        .collect();
    let old = {
        let m = w
            .chat_mut(key)?
            .messages
            .get_mut(&b.message_id)
            .filter(|m| !m.deleted)
            .ok_or_else(|| bad("no such message"))?;
        let old = m.reactions.get(&b.from).cloned().unwrap_or_default();
        if new.is_empty() {
            m.reactions.remove(&b.from);
        } else {
            m.reactions.insert(b.from, new.clone());
        }
        old
    };
    let receivers: Vec<i64> = match key {
        ChatKey::Private { bot, .. } => vec![bot],
        // Business bots get no reaction updates (not listed among the business updates).
        ChatKey::Personal { .. } => Vec::new(),
        ChatKey::Group(_) => {
            let c = w.chat(key)?;
            c.members
                .iter()
                .filter(|(id, m)| m.status.is_admin() && w.is_bot(**id))
                .map(|(id, _)| *id)
                .collect()
        }
    };
    let date = w.now_s();
    for bot in receivers {
        let payload = json!({
            "chat": render::chat(&w, key, bot),
            "message_id": b.message_id,
            "user": render::user(&w, b.from),
            "date": date,
            "old_reaction": old,
            "new_reaction": new,
        });
        w.push_update(bot, "message_reaction", payload);
    }
    w.touch();
    ok(json!(true))
}
