//! Building an outgoing message: reply markup, formatted text and its length limits, and
//! storing and delivering the message.

use serde_json::{Map, Value, json};

use super::checks::{check_can_send, reply_target, thread_for_send};
use crate::error::{ApiError, ApiResult};
use crate::format;
use crate::params::Params;
use crate::render;
use crate::world::{ChatKey, ChatType, Message, Sender, World};

const INLINE_ACTIONS: &[&str] = &[
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

fn bad_markup() -> ApiError {
    ApiError::bad_request("can't parse reply keyboard markup JSON object")
}

/// Validates `reply_markup`. Reply keyboards are allowed only where `allow_reply_keyboard`.
pub fn markup(key: ChatKey, p: &Params, allow_reply_keyboard: bool) -> ApiResult<Option<Value>> {
    let Some(m) = p.json("reply_markup")? else {
        return Ok(None);
    };
    let obj = m.as_object().ok_or_else(bad_markup)?;
    if let Some(rows) = obj.get("inline_keyboard") {
        let rows = rows.as_array().ok_or_else(bad_markup)?;
        for row in rows {
            for b in row.as_array().ok_or_else(bad_markup)? {
                let text = b.get("text").and_then(Value::as_str).unwrap_or("");
                if text.is_empty() {
                    return Err(ApiError::bad_request(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                    ));
                }
                let actions: Vec<&str> = INLINE_ACTIONS
                    .iter()
                    .copied()
                    .filter(|a| b.get(*a).is_some())
                    .collect();
                if actions.is_empty() {
                    return Err(ApiError::bad_request(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                    ));
                }
                if actions.len() > 1 {
                    return Err(ApiError::bad_request(
                        "can't parse inline keyboard button: exactly one of the optional fields must be used",
                    ));
                }
                if let Some(d) = b.get("callback_data") {
                    let d = d.as_str().unwrap_or("");
                    if d.is_empty() || d.len() > 64 {
                        return Err(ApiError::bad_request("BUTTON_DATA_INVALID"));
                    }
                }
                if let Some(u) = b.get("url") {
                    let u = u.as_str().unwrap_or("");
                    let ok = ["http://", "https://", "tg://"]
                        .iter()
                        .any(|s| u.starts_with(s))
                        && u.len() > 8;
                    if !ok {
                        return Err(ApiError::bad_request(format!(
                            "inline keyboard button URL '{u}' is invalid: Wrong HTTP URL"
                        )));
                    }
                }
            }
        }
        return Ok(Some(m));
    }
    if !allow_reply_keyboard {
        return Err(ApiError::bad_request("inline keyboard expected"));
    }
    if let Some(rows) = obj.get("keyboard") {
        let private = matches!(key, ChatKey::Private { .. });
        for row in rows.as_array().ok_or_else(bad_markup)? {
            for b in row.as_array().ok_or_else(bad_markup)? {
                if b.is_string() {
                    continue;
                }
                let text = b.get("text").and_then(Value::as_str).unwrap_or("");
                if text.is_empty() {
                    return Err(bad_markup());
                }
                for special in [
                    "request_chat",
                    "request_users",
                    "request_contact",
                    "request_location",
                ] {
                    if b.get(special).is_some() && !private {
                        return Err(ApiError::bad_request(format!(
                            "{special} buttons are allowed only in private chats"
                        )));
                    }
                }
                if let Some(rc) = b.get("request_chat") {
                    let ok = rc.get("request_id").is_some_and(Value::is_i64)
                        && rc.get("chat_is_channel").is_some_and(Value::is_boolean);
                    if !ok {
                        return Err(ApiError::bad_request(
                            "can't parse keyboard button: request_chat needs request_id and chat_is_channel",
                        ));
                    }
                }
            }
        }
        return Ok(Some(m));
    }
    if obj.get("remove_keyboard").and_then(Value::as_bool) == Some(true)
        || obj.get("force_reply").and_then(Value::as_bool) == Some(true)
    {
        return Ok(Some(m));
    }
    Err(bad_markup())
}

/// Text plus entities from `text_key`, honouring `parse_mode` or explicit entities, trimmed
/// the way Telegram trims message text.
pub fn formatted(
    p: &Params,
    text_key: &str,
    mode_key: &str,
    entities_key: &str,
) -> ApiResult<Option<(String, Vec<Value>)>> {
    let Some(raw) = p.str(text_key)? else {
        return Ok(None);
    };
    let mode = p.str(mode_key)?.unwrap_or_default();
    let (text, entities) = if !mode.is_empty() {
        format::parse(&raw, &mode)?
    } else {
        let ents = match p.json(entities_key)? {
            Some(Value::Array(a)) => a,
            Some(_) => {
                return Err(ApiError::bad_request(format!(
                    "can't parse {entities_key} JSON object"
                )));
            }
            None => Vec::new(),
        };
        (raw, ents)
    };
    Ok(Some(trim(text, entities)))
}

/// Strips leading and trailing white space, shifting entity offsets to match.
fn trim(text: String, entities: Vec<Value>) -> (String, Vec<Value>) {
    let lead = text.len() - text.trim_start().len();
    let lead16 = format::utf16_len(&text[..lead]) as i64;
    let trimmed = text.trim().to_string();
    let len16 = format::utf16_len(&trimmed) as i64;
    let ents = entities
        .into_iter()
        .filter_map(|mut e| {
            let off = e.get("offset")?.as_i64()? - lead16;
            let end = (off + e.get("length")?.as_i64()?).min(len16);
            let off = off.max(0);
            if end <= off {
                return None;
            }
            e["offset"] = json!(off);
            e["length"] = json!(end - off);
            Some(e)
        })
        .collect();
    (trimmed, ents)
}

pub fn check_text_len(text: &str) -> ApiResult<()> {
    if text.is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if text.chars().count() > 4096 {
        return Err(ApiError::bad_request("message is too long"));
    }
    Ok(())
}

pub fn check_caption_len(caption: &str) -> ApiResult<()> {
    if caption.chars().count() > 1024 {
        return Err(ApiError::bad_request("message caption is too long"));
    }
    Ok(())
}

/// A new outgoing message from `bot` into `key`, with thread, reply and markup resolved.
pub fn outgoing(
    w: &World,
    bot: i64,
    key: ChatKey,
    p: &Params,
    content: Map<String, Value>,
    allow_markup: bool,
) -> ApiResult<Message> {
    check_can_send(w, bot, key)?;
    let (mut thread, mut is_topic) = thread_for_send(w, bot, key, p.i64("message_thread_id")?)?;
    let reply = reply_target(w, key, p)?;
    if let Some((_, reply_thread)) = reply
        && thread.is_none()
        && reply_thread.is_some()
    {
        // A reply lands in the topic of the message it answers.
        (thread, is_topic) = thread_for_send(w, bot, key, reply_thread)?;
    }
    let markup = if allow_markup {
        markup(key, p, true)?
    } else {
        None
    };
    let is_channel = w.chat(key)?.kind == ChatType::Channel;
    // On behalf of a business account: the account is the sender, the bot is named.
    let business_owner = w.business_view(bot, key).map(|(c, _)| c.owner);
    let sender = match key {
        ChatKey::Group(id) if is_channel => Sender::Chat(id),
        _ => Sender::User(business_owner.unwrap_or(bot)),
    };
    let mut m = w.new_message(key, sender, content);
    if is_channel {
        m.posted_by = Some(bot);
    }
    if business_owner.is_some() {
        m.business_bot = Some(bot);
    }
    m.thread_id = thread;
    m.is_topic_message = is_topic;
    m.reply_to = reply.map(|r| r.0);
    m.reply_markup = markup;
    m.has_protected_content = p.flag("protect_content")?;
    Ok(m)
}

/// Stores a message, tells the other bots, and renders it for the sender.
pub fn deliver(w: &mut World, bot: i64, msg: Message) -> ApiResult<Value> {
    let key = msg.chat;
    let id = w.insert_message(msg)?;
    crate::updates::fan_out_message(w, key, id, false);
    let m = w
        .message(key, id)
        .ok_or_else(|| ApiError::new(500, "Internal Server Error"))?;
    Ok(render::message(w, m, bot))
}
