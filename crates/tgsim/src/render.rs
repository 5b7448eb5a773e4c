//! Rendering the world as Bot API JSON for one viewer.
//!
//! File ids are scoped to the bot that receives them, private chats are named after the other
//! party, and nested replies stop at one level, so every object is rendered for a viewer.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::world::{ChatKey, ChatType, Member, MemberStatus, Message, Sender, World};

const FILE_ID_TAG: u8 = 0x54;
const UNIQUE_ID_TAG: u8 = 0x55;

/// A file id as `viewer` receives it: opaque, and useless to any other bot.
pub fn encode_file_id(viewer: i64, index: u64) -> String {
    let mut b = Vec::with_capacity(20);
    b.push(FILE_ID_TAG);
    b.extend_from_slice(&viewer.to_le_bytes());
    b.extend_from_slice(&index.to_le_bytes());
    let check = b.iter().fold(0x5a_u8, |a, x| a.rotate_left(3) ^ x);
    b.push(check);
    format!("BQACAgI{}", URL_SAFE_NO_PAD.encode(b))
}

/// Decodes a file id into (viewer, file index); `None` for anything tgsim did not issue.
pub fn decode_file_id(id: &str) -> Option<(i64, u64)> {
    let raw = URL_SAFE_NO_PAD.decode(id.strip_prefix("BQACAgI")?).ok()?;
    if raw.len() != 18 || raw[0] != FILE_ID_TAG {
        return None;
    }
    let check = raw[..17].iter().fold(0x5a_u8, |a, x| a.rotate_left(3) ^ x);
    if check != raw[17] {
        return None;
    }
    let viewer = i64::from_le_bytes(raw[1..9].try_into().ok()?);
    let index = u64::from_le_bytes(raw[9..17].try_into().ok()?);
    Some((viewer, index))
}

/// The same for every bot, as on Telegram.
pub fn encode_unique_id(index: u64) -> String {
    let mut b = vec![UNIQUE_ID_TAG];
    b.extend_from_slice(&index.to_le_bytes());
    format!("AgAD{}", URL_SAFE_NO_PAD.encode(b))
}

pub fn user(w: &World, id: i64) -> Value {
    let Some(u) = w.users.get(&id) else {
        return json!({ "id": id, "is_bot": false, "first_name": "Deleted Account" });
    };
    let mut o = Map::new();
    o.insert("id".into(), json!(u.id));
    o.insert("is_bot".into(), json!(u.is_bot));
    let first = if u.deactivated {
        "Deleted Account"
    } else {
        u.first_name.as_str()
    };
    o.insert("first_name".into(), json!(first));
    if !u.deactivated {
        if let Some(l) = &u.last_name {
            o.insert("last_name".into(), json!(l));
        }
        if let Some(n) = &u.username {
            o.insert("username".into(), json!(n));
        }
    }
    if let Some(l) = &u.language_code {
        o.insert("language_code".into(), json!(l));
    }
    if u.is_premium {
        o.insert("is_premium".into(), json!(true));
    }
    Value::Object(o)
}

/// getMe's User, with the bot-only fields.
pub fn me(w: &World, bot: i64) -> Value {
    let mut v = user(w, bot);
    if let (Some(b), Some(o)) = (w.bots.get(&bot), v.as_object_mut()) {
        o.insert("can_join_groups".into(), json!(b.can_join_groups));
        o.insert(
            "can_read_all_group_messages".into(),
            json!(b.can_read_all_group_messages),
        );
        // Every other "returned only in getMe" field of the current Bot API.
        o.insert(
            "can_connect_to_business".into(),
            json!(b.can_connect_to_business),
        );
        for k in [
            "supports_inline_queries",
            "has_main_web_app",
            "has_topics_enabled",
            "allows_users_to_create_topics",
            "can_manage_bots",
            "supports_guest_queries",
            "supports_join_request_queries",
        ] {
            o.insert(k.into(), json!(false));
        }
    }
    v
}

/// The short Chat object that appears inside messages and updates.
pub fn chat(w: &World, key: ChatKey, viewer: i64) -> Value {
    match key {
        ChatKey::Private { .. } | ChatKey::Personal { .. } => {
            let other = w.chat_id_for(key, viewer);
            let mut o = Map::new();
            o.insert("id".into(), json!(other));
            o.insert("type".into(), json!("private"));
            if let Some(u) = w.users.get(&other) {
                let first = if u.deactivated {
                    "Deleted Account"
                } else {
                    u.first_name.as_str()
                };
                o.insert("first_name".into(), json!(first));
                if !u.deactivated {
                    if let Some(l) = &u.last_name {
                        o.insert("last_name".into(), json!(l));
                    }
                    if let Some(n) = &u.username {
                        o.insert("username".into(), json!(n));
                    }
                }
            }
            Value::Object(o)
        }
        ChatKey::Group(id) => {
            let mut o = Map::new();
            o.insert("id".into(), json!(id));
            if let Some(c) = w.chats.get(&key) {
                o.insert("type".into(), json!(c.kind.as_str()));
                if let Some(t) = &c.title {
                    o.insert("title".into(), json!(t));
                }
                if let Some(u) = &c.username {
                    o.insert("username".into(), json!(u));
                }
                if c.is_forum {
                    o.insert("is_forum".into(), json!(true));
                }
            }
            Value::Object(o)
        }
    }
}

/// getChat's ChatFullInfo.
pub fn chat_full(w: &World, key: ChatKey, viewer: i64) -> Value {
    let mut v = chat(w, key, viewer);
    if let Some(o) = v.as_object_mut() {
        o.insert("accent_color_id".into(), json!(0));
        o.insert("max_reaction_count".into(), json!(11));
        if let Some(c) = w.chats.get(&key) {
            if let Some(d) = &c.description {
                o.insert("description".into(), json!(d));
            }
            if let Some(p) = c.pinned.last().and_then(|id| c.message(*id)) {
                o.insert("pinned_message".into(), message_inner(w, p, viewer, false));
            }
            if c.kind != ChatType::Private {
                o.insert(
                    "permissions".into(),
                    json!({
                        "can_send_messages": true, "can_send_audios": true,
                        "can_send_documents": true, "can_send_photos": true,
                        "can_send_videos": true, "can_send_video_notes": true,
                        "can_send_voice_notes": true, "can_send_polls": true,
                        "can_send_other_messages": true, "can_add_web_page_previews": true,
                        "can_react_to_messages": true, "can_edit_tag": false,
                        "can_change_info": false, "can_invite_users": true,
                        "can_pin_messages": false, "can_manage_topics": false
                    }),
                );
            }
            if let Some(from) = c.migrated_from {
                o.insert("migrated_from_chat_id".into(), json!(from));
            }
        }
        o.insert(
            "accepted_gift_types".into(),
            json!({
                "unlimited_gifts": false, "limited_gifts": false,
                "unique_gifts": false, "premium_subscription": false,
                "gifts_from_channels": false
            }),
        );
    }
    v
}

/// Replaces `{"$file": n, ...}` placeholders with the viewer's file objects.
pub fn files_for(w: &World, v: &Value, viewer: i64) -> Value {
    match v {
        Value::Object(o) => {
            if let Some(idx) = o.get("$file").and_then(Value::as_u64) {
                let mut out = Map::new();
                out.insert("file_id".into(), json!(encode_file_id(viewer, idx)));
                out.insert("file_unique_id".into(), json!(encode_unique_id(idx)));
                if let Some(f) = w.file(idx) {
                    out.insert("file_size".into(), json!(f.bytes.len()));
                }
                for (k, x) in o {
                    if k != "$file" {
                        out.insert(k.clone(), files_for(w, x, viewer));
                    }
                }
                Value::Object(out)
            } else {
                Value::Object(
                    o.iter()
                        .map(|(k, x)| (k.clone(), files_for(w, x, viewer)))
                        .collect(),
                )
            }
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| files_for(w, x, viewer)).collect()),
        other => other.clone(),
    }
}

pub fn message(w: &World, m: &Message, viewer: i64) -> Value {
    message_inner(w, m, viewer, true)
}

fn message_inner(w: &World, m: &Message, viewer: i64, with_reply: bool) -> Value {
    let mut o = Map::new();
    o.insert("message_id".into(), json!(m.id));
    if let Some(t) = m.thread_id {
        o.insert("message_thread_id".into(), json!(t));
    }
    let is_channel = w
        .chats
        .get(&m.chat)
        .is_some_and(|c| c.kind == ChatType::Channel);
    match m.sender {
        Sender::User(u) => {
            o.insert("from".into(), user(w, u));
        }
        Sender::Chat(c) => {
            if !is_channel {
                // Anonymous administrators appear as GroupAnonymousBot plus sender_chat.
                o.insert("from".into(), user(w, crate::world::GROUP_ANONYMOUS_BOT_ID));
            }
            o.insert("sender_chat".into(), chat(w, ChatKey::Group(c), viewer));
        }
    }
    o.insert("date".into(), json!(m.date));
    o.insert("chat".into(), chat(w, m.chat, viewer));
    if let Some(f) = &m.forward_origin {
        o.insert("forward_origin".into(), f.clone());
    }
    if m.is_topic_message {
        o.insert("is_topic_message".into(), json!(true));
    }
    if with_reply {
        let reply = m.reply_to.or(if m.is_topic_message && !m.service {
            m.thread_id
        } else {
            None
        });
        if let Some(r) = reply.and_then(|id| w.message(m.chat, id))
            && r.id != m.id
        {
            o.insert(
                "reply_to_message".into(),
                message_inner(w, r, viewer, false),
            );
        }
        if let Some(q) = &m.quote {
            o.insert("quote".into(), q.clone());
        }
    }
    if let Some(d) = m.edit_date {
        o.insert("edit_date".into(), json!(d));
    }
    if m.has_protected_content {
        o.insert("has_protected_content".into(), json!(true));
    }
    if let Some(g) = &m.media_group_id {
        o.insert("media_group_id".into(), json!(g));
    }
    if let Some(s) = &m.author_signature {
        o.insert("author_signature".into(), json!(s));
    }
    if let Some((conn, _)) = w.business_view(viewer, m.chat) {
        o.insert("business_connection_id".into(), json!(conn.id));
    }
    if let Some(b) = m.business_bot {
        o.insert("sender_business_bot".into(), user(w, b));
    }
    for (k, v) in &m.content {
        if k == "pinned_message" {
            if let Some(p) = v.as_i64().and_then(|id| w.message(m.chat, id)) {
                o.insert(k.clone(), message_inner(w, p, viewer, false));
            }
            continue;
        }
        o.insert(k.clone(), files_for(w, v, viewer));
    }
    if let Some(rm) = &m.reply_markup
        && rm.get("inline_keyboard").is_some()
    {
        o.insert("reply_markup".into(), rm.clone());
    }
    Value::Object(o)
}

/// A BusinessConnection object (rights listed only where granted, as the Bot API does).
pub fn business_connection(w: &World, c: &crate::world::BusinessConnection) -> Value {
    let rights: Map<String, Value> = c.rights.iter().map(|r| (r.clone(), json!(true))).collect();
    json!({
        "id": c.id,
        "user": user(w, c.owner),
        "user_chat_id": c.owner,
        "date": c.date,
        "rights": rights,
        "is_enabled": c.enabled,
    })
}

/// A message the viewer can no longer access (callback queries on old messages).
pub fn inaccessible_message(w: &World, m: &Message, viewer: i64) -> Value {
    json!({ "chat": chat(w, m.chat, viewer), "message_id": m.id, "date": 0 })
}

pub fn chat_member(w: &World, key: ChatKey, user_id: i64, m: &Member) -> Value {
    let is_channel = w
        .chats
        .get(&key)
        .is_some_and(|c| c.kind == ChatType::Channel);
    let mut o = Map::new();
    o.insert("status".into(), json!(m.status.as_str()));
    o.insert("user".into(), user(w, user_id));
    match m.status {
        MemberStatus::Creator => {
            o.insert("is_anonymous".into(), json!(m.rights.is_anonymous));
        }
        MemberStatus::Administrator => {
            o.insert("can_be_edited".into(), json!(false));
            o.insert("is_anonymous".into(), json!(m.rights.is_anonymous));
            for r in crate::world::ADMIN_RIGHTS {
                let channel_only = matches!(*r, "can_post_messages" | "can_edit_messages");
                let group_only = matches!(*r, "can_pin_messages" | "can_manage_topics");
                if (channel_only && !is_channel) || (group_only && is_channel) {
                    continue;
                }
                if *r == "can_manage_direct_messages" && !is_channel {
                    continue;
                }
                o.insert((*r).into(), json!(m.rights.has(r)));
            }
        }
        MemberStatus::Member => {
            if m.until_date != 0 {
                o.insert("until_date".into(), json!(m.until_date));
            }
        }
        MemberStatus::Restricted => {
            o.insert("is_member".into(), json!(true));
            for r in [
                "can_send_messages",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
                "can_send_polls",
                "can_send_other_messages",
                "can_add_web_page_previews",
                "can_react_to_messages",
                "can_edit_tag",
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
                "can_manage_topics",
            ] {
                o.insert(r.into(), json!(false));
            }
            o.insert("until_date".into(), json!(m.until_date));
        }
        MemberStatus::Kicked => {
            o.insert("until_date".into(), json!(m.until_date));
        }
        MemberStatus::Left => {}
    }
    if let Some(t) = &m.custom_title
        && m.status.is_admin()
    {
        o.insert("custom_title".into(), json!(t));
    }
    Value::Object(o)
}
