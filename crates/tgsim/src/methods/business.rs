//! Methods only business bots use: re-reading a connection, deleting and reading messages
//! in the business account's chats. Sending and editing there are the usual methods with
//! `business_connection_id` (see `checks::business_target`).

use serde_json::{Value, json};

use super::{business_connection, business_right_missing, business_target, message_ids};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::render;
use crate::world::{ChatKey, Message, World};

/// getBusinessConnection: this bot's connection, enabled or not.
pub fn get_business_connection(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let id = p.req_str("business_connection_id")?;
    let c = w
        .business
        .get(&id)
        .filter(|c| c.bot == bot)
        .ok_or_else(|| ApiError::bad_request("BUSINESS_CONNECTION_INVALID"))?;
    Ok(render::business_connection(w, c))
}

/// deleteBusinessMessages: messages of one of the account's chats; the bot's own with
/// `can_delete_sent_messages`, any with `can_delete_all_messages`. The deleting bot gets no
/// `deleted_business_messages` about its own deletion.
pub fn delete_business_messages(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let id = p.req_str("business_connection_id")?;
    let conn = business_connection(w, bot, &id)?.clone();
    let ids = message_ids(p)?;
    let mut found: Vec<Message> = Vec::new();
    for chat in w.chats.values() {
        let ChatKey::Personal { a, b } = chat.key else {
            continue;
        };
        if a != conn.owner && b != conn.owner {
            continue;
        }
        found.extend(ids.iter().filter_map(|i| chat.message(*i).cloned()));
    }
    let Some(first) = found.first() else {
        return Err(ApiError::bad_request("message to delete not found"));
    };
    let key = first.chat;
    if found.iter().any(|m| m.chat != key) {
        return Err(ApiError::bad_request("messages must be from the same chat"));
    }
    if w.business_view(bot, key).is_none() {
        return Err(ApiError::bad_request("BUSINESS_PEER_INVALID"));
    }
    for m in &found {
        let own = m.business_bot == Some(bot);
        let allowed =
            conn.can("can_delete_all_messages") || (own && conn.can("can_delete_sent_messages"));
        if !allowed {
            return Err(business_right_missing());
        }
    }
    if let Some(c) = w.chats.get_mut(&key) {
        for m in &found {
            if let Some(x) = c.messages.get_mut(&m.id) {
                x.deleted = true;
            }
        }
    }
    w.touch();
    Ok(json!(true))
}

/// readBusinessMessage: marks an incoming message read (`can_read_messages`). tgsim keeps
/// no read state, so only the checks are real.
pub fn read_business_message(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key =
        business_target(w, bot, p)?.ok_or_else(|| ApiError::missing("business_connection_id"))?;
    let (conn, person) = w
        .business_view(bot, key)
        .ok_or_else(|| ApiError::bad_request("BUSINESS_PEER_INVALID"))?;
    if !conn.can("can_read_messages") {
        return Err(business_right_missing());
    }
    let id = p.req_i64("message_id")?;
    let m = w
        .message(key, id)
        .ok_or_else(|| ApiError::bad_request("message not found"))?;
    if m.sender_user() != Some(person) {
        return Err(ApiError::bad_request("message not found"));
    }
    Ok(json!(true))
}
