//! Changing what was sent: edits, deletes, reactions, and answering callback queries.

use serde_json::{Value, json};

use super::send::{media_content, resolve_input};
use super::{
    admit, business_right_missing, business_target, check_caption_len, check_text_len, formatted,
    markup, message_ids, target,
};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::render;
use crate::world::{ChatKey, ChatType, MEDIA_KINDS, Message, Sender, WINDOW_48H_MS, World};

const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/// Resolves the message an edit method targets and checks that the bot may edit it.
fn editable(w: &World, bot: i64, p: &Params) -> ApiResult<(ChatKey, Message)> {
    if p.contains("inline_message_id") && !p.contains("chat_id") {
        // tgsim has no inline mode, so no inline message exists.
        return Err(ApiError::bad_request("MESSAGE_ID_INVALID"));
    }
    let key = match business_target(w, bot, p)? {
        Some(key) => key,
        None => target(w, bot, p, "chat_id")?,
    };
    let id = p.req_i64("message_id")?;
    let m = w
        .message(key, id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if let Some((conn, _)) = w.business_view(bot, key) {
        // On behalf of the account: what the bot sent, and the account's other messages
        // within 48 hours (Bot API, editMessageText).
        if !conn.can("can_reply") {
            return Err(business_right_missing());
        }
        let by_bot = m.business_bot == Some(bot);
        let by_owner =
            m.sender == Sender::User(conn.owner) && w.now_ms() - m.date_ms <= WINDOW_48H_MS;
        if m.service || !(by_bot || by_owner) {
            return Err(ApiError::bad_request("message can't be edited"));
        }
        return Ok((key, m));
    }
    let chat = w.chat(key)?;
    let own = m.sender == Sender::User(bot)
        || (chat.kind == ChatType::Channel
            && (m.posted_by == Some(bot)
                || chat.member(bot).is_some_and(|x| x.can("can_edit_messages"))));
    if !own || m.service {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    if let Some(h) = w.config.edit_window_hours
        && w.now_ms() - m.date_ms > h * 3600 * 1000
    {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    Ok((key, m))
}

fn store_edit(w: &mut World, bot: i64, key: ChatKey, mut m: Message) -> ApiResult<Value> {
    admit(w, bot, key, 1)?;
    m.edit_date = Some(w.now_s());
    let id = m.id;
    if let Some(c) = w.chats.get_mut(&key) {
        c.messages.insert(id, m);
    }
    w.touch();
    crate::updates::fan_out_message(w, key, id, true);
    let m = w
        .message(key, id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    Ok(render::message(w, m, bot))
}

pub fn edit_message_text(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let (key, mut m) = editable(w, bot, p)?;
    let (text, entities) =
        formatted(p, "text", "parse_mode", "entities")?.ok_or_else(|| ApiError::missing("text"))?;
    check_text_len(&text)?;
    if m.text().is_none() {
        return Err(ApiError::bad_request(
            "there is no text in the message to edit",
        ));
    }
    let new_markup = markup(key, p, false)?;
    let old_entities = m.content.get("entities").cloned().unwrap_or(json!([]));
    if m.text() == Some(text.as_str())
        && old_entities == json!(entities)
        && m.reply_markup == new_markup
    {
        return Err(ApiError::bad_request(NOT_MODIFIED));
    }
    m.content.insert("text".into(), json!(text));
    if entities.is_empty() {
        m.content.remove("entities");
    } else {
        m.content.insert("entities".into(), Value::Array(entities));
    }
    if let Some(lp) = p.json("link_preview_options")? {
        m.content.insert("link_preview_options".into(), lp);
    }
    m.reply_markup = new_markup;
    store_edit(w, bot, key, m)
}

pub fn edit_message_caption(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let (key, mut m) = editable(w, bot, p)?;
    if m.media_kind().is_none() || matches!(m.media_kind(), Some("sticker" | "video_note")) {
        return Err(ApiError::bad_request(
            "there is no caption in the message to edit",
        ));
    }
    let caption = formatted(p, "caption", "parse_mode", "caption_entities")?;
    if let Some((c, _)) = &caption {
        check_caption_len(c)?;
    }
    let new_markup = markup(key, p, false)?;
    let (text, ents) = caption.unwrap_or_default();
    let same_caption = m.caption().unwrap_or("") == text
        && m.content
            .get("caption_entities")
            .cloned()
            .unwrap_or(json!([]))
            == json!(ents);
    if same_caption && m.reply_markup == new_markup {
        return Err(ApiError::bad_request(NOT_MODIFIED));
    }
    m.content.remove("caption");
    m.content.remove("caption_entities");
    if !text.is_empty() {
        m.content.insert("caption".into(), json!(text));
        if !ents.is_empty() {
            m.content
                .insert("caption_entities".into(), Value::Array(ents));
        }
    }
    if p.flag("show_caption_above_media")? {
        m.content
            .insert("show_caption_above_media".into(), json!(true));
    }
    m.reply_markup = new_markup;
    store_edit(w, bot, key, m)
}

pub fn edit_message_media(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let (key, mut m) = editable(w, bot, p)?;
    let old_kind = m
        .media_kind()
        .ok_or_else(|| ApiError::bad_request("there is no media in the message to edit"))?;
    if matches!(old_kind, "sticker" | "video_note" | "voice") {
        return Err(ApiError::bad_request(
            "there is no media in the message to edit",
        ));
    }
    let media = p.json("media")?.ok_or_else(|| ApiError::missing("media"))?;
    let kind = media
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !matches!(
        kind.as_str(),
        "photo" | "video" | "audio" | "document" | "animation"
    ) {
        return Err(ApiError::bad_request(
            "can't parse InputMedia: unsupported media type",
        ));
    }
    if m.media_group_id.is_some() {
        let visual = |k: &str| matches!(k, "photo" | "video");
        let ok = (visual(old_kind) && visual(&kind)) || old_kind == kind;
        if !ok {
            return Err(ApiError::bad_request(
                "can't change the type of media in an album",
            ));
        }
    }
    let r = media
        .get("media")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request("can't parse InputMedia: media not found"))?;
    let input = p.resolve_file_ref(r)?;
    let new_markup = markup(key, p, false)?;
    let idx = resolve_input(w, bot, input, &kind)?;
    let meta = |k: &str| media.get(k).cloned();
    let content = media_content(w, &kind, idx, &meta);
    for k in MEDIA_KINDS {
        m.content.remove(*k);
    }
    m.content.remove("caption");
    m.content.remove("caption_entities");
    m.content.extend(content);
    if let Some(c) = media.get("caption").and_then(Value::as_str) {
        let mode = media
            .get("parse_mode")
            .and_then(Value::as_str)
            .unwrap_or("");
        let (t, e) = if mode.is_empty() {
            (
                c.to_string(),
                media
                    .get("caption_entities")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            )
        } else {
            crate::format::parse(c, mode)?
        };
        check_caption_len(&t)?;
        if !t.is_empty() {
            m.content.insert("caption".into(), json!(t));
            if !e.is_empty() {
                m.content.insert("caption_entities".into(), Value::Array(e));
            }
        }
    }
    m.reply_markup = new_markup;
    store_edit(w, bot, key, m)
}

pub fn edit_message_reply_markup(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let (key, mut m) = editable(w, bot, p)?;
    let new_markup = markup(key, p, false)?;
    let old_inline = m
        .reply_markup
        .clone()
        .filter(|x| x.get("inline_keyboard").is_some());
    if old_inline == new_markup {
        return Err(ApiError::bad_request(NOT_MODIFIED));
    }
    m.reply_markup = new_markup;
    store_edit(w, bot, key, m)
}

/// Why `bot` may not delete message `m`, if it may not.
fn delete_refusal(w: &World, bot: i64, key: ChatKey, m: &Message) -> Option<&'static str> {
    let creation = [
        "forum_topic_created",
        "group_chat_created",
        "supergroup_chat_created",
        "channel_chat_created",
    ];
    if m.service && creation.iter().any(|k| m.content.contains_key(*k)) {
        return Some("message can't be deleted");
    }
    if w.now_ms() - m.date_ms > WINDOW_48H_MS {
        return Some("message can't be deleted for everyone");
    }
    let chat = w.chats.get(&key)?;
    let own = m.sender == Sender::User(bot) || m.posted_by == Some(bot);
    let allowed = match chat.kind {
        ChatType::Private => true,
        ChatType::Group => own || chat.status_of(bot).is_admin(),
        ChatType::Supergroup => {
            own || chat
                .member(bot)
                .is_some_and(|x| x.can("can_delete_messages"))
        }
        ChatType::Channel => {
            let me = chat.member(bot);
            me.is_some_and(|x| x.can("can_delete_messages"))
                || (own && me.is_some_and(|x| x.can("can_post_messages")))
        }
    };
    if allowed {
        None
    } else {
        Some("message can't be deleted")
    }
}

fn mark_deleted(w: &mut World, key: ChatKey, id: i64) {
    if let Some(c) = w.chats.get_mut(&key) {
        if let Some(m) = c.messages.get_mut(&id) {
            m.deleted = true;
        }
        c.pinned.retain(|x| *x != id);
    }
    w.touch();
}

pub fn delete_message(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    let id = p.req_i64("message_id")?;
    let m = w
        .message(key, id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("message to delete not found"))?;
    if let Some(why) = delete_refusal(w, bot, key, &m) {
        return Err(ApiError::bad_request(why));
    }
    mark_deleted(w, key, id);
    Ok(json!(true))
}

pub fn delete_messages(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    let ids = message_ids(p)?;
    let found: Vec<Message> = ids
        .iter()
        .filter_map(|id| w.message(key, *id).cloned())
        .collect();
    if found.is_empty() {
        return Err(ApiError::bad_request("message to delete not found"));
    }
    for m in &found {
        if let Some(why) = delete_refusal(w, bot, key, m) {
            return Err(ApiError::bad_request(why));
        }
    }
    for m in found {
        mark_deleted(w, key, m.id);
    }
    Ok(json!(true))
}

/// The emoji the Bot API documents for ReactionTypeEmoji.
pub const REACTION_EMOJI: &[&str] = &[
    "❤",
    "👍",
    "👎",
    "🔥",
    "🥰",
    "👏",
    "😁",
    "🤔",
    "🤯",
    "😱",
    "🤬",
    "😢",
    "🎉",
    "🤩",
    "🤮",
    "💩",
    "🙏",
    "👌",
    "🕊",
    "🤡",
    "🥱",
    "🥴",
    "😍",
    "🐳",
    "❤‍🔥",
    "🌚",
    "🌭",
    "💯",
    "🤣",
    "⚡",
    "🍌",
    "🏆",
    "💔",
    "🤨",
    "😐",
    "🍓",
    "🍾",
    "💋",
    "🖕",
    "😈",
    "😴",
    "😭",
    "🤓",
    "👻",
    "👨‍💻",
    "👀",
    "🎃",
    "🙈",
    "😇",
    "😨",
    "🤝",
    "✍",
    "🤗",
    "🫡",
    "🎅",
    "🎄",
    "☃",
    "💅",
    "🤪",
    "🗿",
    "🆒",
    "💘",
    "🙉",
    "🦄",
    "😘",
    "💊",
    "🙊",
    "😎",
    "👾",
    "🤷‍♂",
    "🤷",
    "🤷‍♀",
    "😡",
];

pub fn set_message_reaction(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    super::check_can_read(w, bot, key)?;
    let id = p.req_i64("message_id")?;
    if w.message(key, id).is_none() {
        return Err(ApiError::bad_request("MESSAGE_ID_INVALID"));
    }
    let reactions = match p.json("reaction")? {
        None => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(ApiError::bad_request(
                "can't parse reaction types JSON object",
            ));
        }
    };
    if reactions.len() > 1 {
        return Err(ApiError::bad_request("REACTIONS_TOO_MANY"));
    }
    for r in &reactions {
        let ok = match r.get("type").and_then(Value::as_str) {
            Some("emoji") => r
                .get("emoji")
                .and_then(Value::as_str)
                .is_some_and(|e| REACTION_EMOJI.contains(&e)),
            Some("custom_emoji") => r.get("custom_emoji_id").is_some_and(Value::is_string),
            _ => false,
        };
        if !ok {
            return Err(ApiError::bad_request("REACTION_INVALID"));
        }
    }
    if let Some(m) = w.chats.get_mut(&key).and_then(|c| c.messages.get_mut(&id)) {
        if reactions.is_empty() {
            m.reactions.remove(&bot);
        } else {
            m.reactions.insert(bot, reactions);
        }
    }
    w.touch();
    Ok(json!(true))
}

/// Callback queries must be answered within this many seconds.
pub const CALLBACK_ANSWER_WINDOW_MS: i64 = 15_000;

pub fn answer_callback_query(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let id = p.req_str("callback_query_id")?;
    let text = p.str("text")?;
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
    }
    let now = w.now_ms();
    let invalid = || {
        ApiError::bad_request(
            "query is too old and response timeout expired or query ID is invalid",
        )
    };
    let q = w
        .callbacks
        .get_mut(&id)
        .filter(|q| q.bot == bot)
        .ok_or_else(invalid)?;
    if q.answer.is_some() || now - q.created_ms > CALLBACK_ANSWER_WINDOW_MS {
        return Err(invalid());
    }
    q.answer = Some(json!({
        "text": text,
        "show_alert": p.flag("show_alert")?,
        "url": p.str("url")?,
        "cache_time": p.i64("cache_time")?.unwrap_or(0),
    }));
    w.touch();
    Ok(json!(true))
}
