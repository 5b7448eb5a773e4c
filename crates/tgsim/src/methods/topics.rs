//! Forum topics. A topic's id is the id of its `forum_topic_created` service message; the
//! General topic has no id and is addressed by leaving `message_thread_id` out.

use serde_json::{Value, json};

use super::{admit, check_can_send, target};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::render;
use crate::world::{ChatKey, Sender, Topic, World};

/// The six colours Telegram allows for topic icons.
pub const ICON_COLORS: [i64; 6] = [0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F];

fn forum(w: &World, bot: i64, p: &Params) -> ApiResult<ChatKey> {
    let key = target(w, bot, p, "chat_id")?;
    check_can_send(w, bot, key)?;
    if !w.chat(key)?.is_forum {
        return Err(ApiError::bad_request("the chat is not a forum"));
    }
    Ok(key)
}

fn topic(w: &World, key: ChatKey, p: &Params) -> ApiResult<Topic> {
    let id = p.req_i64("message_thread_id")?;
    w.chat(key)?
        .topics
        .get(&id)
        .filter(|t| !t.deleted && !t.archived)
        .cloned()
        .ok_or_else(ApiError::thread_not_found)
}

fn can(w: &World, bot: i64, key: ChatKey, right: &str) -> bool {
    w.chat(key)
        .ok()
        .and_then(|c| c.member(bot))
        .is_some_and(|m| m.can(right))
}

fn valid_name(name: &str) -> ApiResult<()> {
    let n = name.chars().count();
    if n == 0 || n > 128 || name.trim().is_empty() {
        return Err(ApiError::bad_request("TOPIC_TITLE_EMPTY"));
    }
    Ok(())
}

pub fn create_forum_topic(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = forum(w, bot, p)?;
    if !can(w, bot, key, "can_manage_topics") {
        return Err(ApiError::bad_request("not enough rights to create a topic"));
    }
    let name = p.req_str("name")?;
    valid_name(&name)?;
    let color = p.i64("icon_color")?.unwrap_or(ICON_COLORS[0]);
    if !ICON_COLORS.contains(&color) {
        return Err(ApiError::bad_request("TOPIC_ICON_COLOR_INVALID"));
    }
    let emoji = p.str("icon_custom_emoji_id")?.filter(|s| !s.is_empty());
    admit(w, bot, key, 1)?;
    let id = w.open_topic(key, &name, color, emoji.clone(), bot);
    let mut out = json!({ "message_thread_id": id, "name": name, "icon_color": color });
    if let Some(e) = emoji {
        out["icon_custom_emoji_id"] = json!(e);
    }
    Ok(out)
}

fn manage_own_or_right(w: &World, bot: i64, key: ChatKey, t: &Topic) -> ApiResult<()> {
    if t.creator == bot || can(w, bot, key, "can_manage_topics") {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "not enough rights to manage the topic",
        ))
    }
}

pub fn edit_forum_topic(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = forum(w, bot, p)?;
    let t = topic(w, key, p)?;
    manage_own_or_right(w, bot, key, &t)?;
    let name = p.str("name")?;
    if let Some(n) = &name {
        valid_name(n)?;
    }
    let emoji = p.str("icon_custom_emoji_id")?;
    let name_changes = name.as_ref().is_some_and(|n| *n != t.name);
    let emoji_changes = emoji.as_ref().is_some_and(|e| {
        Some(e) != t.icon_custom_emoji_id.as_ref()
            && !(e.is_empty() && t.icon_custom_emoji_id.is_none())
    });
    if !name_changes && !emoji_changes {
        return Err(ApiError::bad_request("TOPIC_NOT_MODIFIED"));
    }
    admit(w, bot, key, 1)?;
    let mut edited = json!({});
    if let Some(topic) = w.chat_mut(key)?.topics.get_mut(&t.id) {
        if name_changes && let Some(n) = &name {
            topic.name = n.clone();
            edited["name"] = json!(n);
        }
        if emoji_changes {
            let e = emoji.clone().unwrap_or_default();
            topic.icon_custom_emoji_id = if e.is_empty() { None } else { Some(e.clone()) };
            edited["icon_custom_emoji_id"] = json!(e);
        }
    }
    w.post_service(
        key,
        Sender::User(bot),
        Some(t.id),
        json!({ "forum_topic_edited": edited }),
    );
    Ok(json!(true))
}

fn set_closed(w: &mut World, bot: i64, p: &Params, closed: bool) -> ApiResult<Value> {
    let key = forum(w, bot, p)?;
    let t = topic(w, key, p)?;
    manage_own_or_right(w, bot, key, &t)?;
    if t.closed == closed {
        return Err(ApiError::bad_request("TOPIC_NOT_MODIFIED"));
    }
    admit(w, bot, key, 1)?;
    if let Some(topic) = w.chat_mut(key)?.topics.get_mut(&t.id) {
        topic.closed = closed;
    }
    let service = if closed {
        "forum_topic_closed"
    } else {
        "forum_topic_reopened"
    };
    w.post_service(key, Sender::User(bot), Some(t.id), json!({ service: {} }));
    Ok(json!(true))
}

pub fn close_forum_topic(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    set_closed(w, bot, p, true)
}

pub fn reopen_forum_topic(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    set_closed(w, bot, p, false)
}

/// Marks a topic and everything in it deleted (also used by the control API).
pub fn remove_topic(w: &mut World, key: ChatKey, id: i64) {
    if let Ok(chat) = w.chat_mut(key) {
        if let Some(t) = chat.topics.get_mut(&id) {
            t.deleted = true;
        }
        let ids: Vec<i64> = chat
            .messages
            .values()
            .filter(|m| m.thread_id == Some(id))
            .map(|m| m.id)
            .collect();
        for mid in &ids {
            if let Some(m) = chat.messages.get_mut(mid) {
                m.deleted = true;
            }
        }
        chat.pinned.retain(|x| !ids.contains(x));
    }
    w.touch();
}

pub fn delete_forum_topic(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = forum(w, bot, p)?;
    let t = topic(w, key, p)?;
    if !can(w, bot, key, "can_delete_messages") {
        return Err(ApiError::bad_request(
            "not enough rights to delete the topic",
        ));
    }
    admit(w, bot, key, 1)?;
    remove_topic(w, key, t.id);
    Ok(json!(true))
}

pub fn unpin_all_forum_topic_messages(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = forum(w, bot, p)?;
    let t = topic(w, key, p)?;
    if !can(w, bot, key, "can_pin_messages") {
        return Err(ApiError::bad_request(
            "not enough rights to manage pinned messages in the chat",
        ));
    }
    let chat = w.chat_mut(key)?;
    let in_topic: Vec<i64> = chat
        .messages
        .values()
        .filter(|m| m.thread_id == Some(t.id))
        .map(|m| m.id)
        .collect();
    chat.pinned.retain(|x| !in_topic.contains(x));
    w.touch();
    Ok(json!(true))
}

fn set_general_closed(w: &mut World, bot: i64, p: &Params, closed: bool) -> ApiResult<Value> {
    let key = forum(w, bot, p)?;
    if !can(w, bot, key, "can_manage_topics") {
        return Err(ApiError::bad_request(
            "not enough rights to manage the topic",
        ));
    }
    let chat = w.chat_mut(key)?;
    if chat.general_closed == closed {
        return Err(ApiError::bad_request("TOPIC_NOT_MODIFIED"));
    }
    chat.general_closed = closed;
    let service = if closed {
        "forum_topic_closed"
    } else {
        "forum_topic_reopened"
    };
    w.post_service(key, Sender::User(bot), None, json!({ service: {} }));
    Ok(json!(true))
}

pub fn close_general(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    set_general_closed(w, bot, p, true)
}

pub fn reopen_general(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    set_general_closed(w, bot, p, false)
}

/// Custom emoji stickers usable as topic icons.
pub fn get_icon_stickers(w: &mut World, bot: i64, _: &Params) -> ApiResult<Value> {
    let icons = [
        ("5420216386448270341", "📰"),
        ("5312536423851630001", "💡"),
        ("5377544228505134960", "❗️"),
    ];
    let mut out = Vec::new();
    for (n, (id, emoji)) in icons.iter().enumerate() {
        let idx = w.icon_sticker_file(n);
        out.push(json!({
            "file_id": render::encode_file_id(bot, idx),
            "file_unique_id": render::encode_unique_id(idx),
            "type": "custom_emoji",
            "width": 512,
            "height": 512,
            "is_animated": false,
            "is_video": false,
            "emoji": emoji,
            "custom_emoji_id": id,
        }));
    }
    Ok(Value::Array(out))
}
