//! Shared send checks: resolving the target chat, read and send rights, flood admission,
//! the thread and reply target of a new message, and `message_ids` lists.

use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::params::{ChatRef, Params};
use crate::world::{BusinessConnection, ChatKey, ChatType, MemberStatus, World};

/// The `chat_id` parameter, resolved as this bot addresses chats.
pub fn target(w: &World, bot: i64, p: &Params, name: &str) -> ApiResult<ChatKey> {
    let chat = p.req_chat(name)?;
    w.resolve_for_bot(bot, &chat)
}

/// The `chat_id` a message is sent to: with `business_connection_id`, the business
/// account's private chat with that person; otherwise as [`bot_chat_target`].
pub fn send_target(w: &World, bot: i64, p: &Params) -> ApiResult<ChatKey> {
    match business_target(w, bot, p)? {
        Some(key) => Ok(key),
        None => bot_chat_target(w, bot, p),
    }
}

/// The business account's chat a call with `business_connection_id` names (`None` without
/// one). The connection must be this bot's and enabled, and the person among its recipients.
pub fn business_target(w: &World, bot: i64, p: &Params) -> ApiResult<Option<ChatKey>> {
    let Some(id) = p.str("business_connection_id")?.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let conn = business_connection(w, bot, &id)?;
    let person = match p.req_chat("chat_id")? {
        ChatRef::Id(id) if id > 0 => id,
        _ => return Err(ApiError::bad_request("BUSINESS_PEER_INVALID")),
    };
    if person == conn.owner || !w.business_covers(conn, person) {
        return Err(ApiError::bad_request("BUSINESS_PEER_INVALID"));
    }
    let key = ChatKey::personal(conn.owner, person);
    if !w.chats.contains_key(&key) {
        // The person never wrote to the account: nothing to answer.
        return Err(ApiError::bad_request("BUSINESS_PEER_USAGE_MISSING"));
    }
    Ok(Some(key))
}

/// This bot's enabled business connection `id`.
pub fn business_connection<'w>(
    w: &'w World,
    bot: i64,
    id: &str,
) -> ApiResult<&'w BusinessConnection> {
    w.business
        .get(id)
        .filter(|c| c.bot == bot && c.enabled)
        .ok_or_else(|| ApiError::bad_request("BUSINESS_CONNECTION_INVALID"))
}

/// A business bot acting in an account's chat without the right it needs.
pub fn business_right_missing() -> ApiError {
    ApiError::forbidden("BOT_ACCESS_FORBIDDEN")
}

/// The `chat_id` a message is sent to as the bot itself. A user the bot has met in a group
/// but who never pressed Start gives 403; a user the bot has never seen stays "chat not
/// found".
pub fn bot_chat_target(w: &World, bot: i64, p: &Params) -> ApiResult<ChatKey> {
    let chat = p.req_chat("chat_id")?;
    w.resolve_for_bot(bot, &chat).map_err(|e| match chat {
        ChatRef::Id(user) if user > 0 && w.users.get(&user).is_some_and(|u| !u.is_bot) => {
            let met = w.chats.values().any(|c| {
                matches!(c.key, ChatKey::Group(_)) && c.is_present(bot) && c.is_present(user)
            });
            if met {
                ApiError::forbidden("bot can't initiate conversation with a user")
            } else {
                e
            }
        }
        _ => e,
    })
}

fn group_word(kind: ChatType) -> &'static str {
    match kind {
        ChatType::Group => "group",
        ChatType::Supergroup => "supergroup",
        ChatType::Channel => "channel",
        ChatType::Private => "private",
    }
}

/// May `bot` read `key` (the source of a forward or copy)?
pub fn check_can_read(w: &World, bot: i64, key: ChatKey) -> ApiResult<()> {
    let chat = w.chat(key)?;
    match key {
        ChatKey::Private { bot: b, .. } if b == bot => Ok(()),
        ChatKey::Private { .. } | ChatKey::Personal { .. } => Err(ApiError::chat_not_found()),
        ChatKey::Group(_) => {
            if chat.is_present(bot) {
                Ok(())
            } else {
                Err(ApiError::chat_not_found())
            }
        }
    }
}

/// May `bot` post into `key` at all?
pub fn check_can_send(w: &World, bot: i64, key: ChatKey) -> ApiResult<()> {
    let chat = w.chat(key)?;
    match key {
        ChatKey::Personal { .. } => {
            let (conn, person) = w
                .business_view(bot, key)
                .ok_or_else(|| ApiError::bad_request("BUSINESS_PEER_INVALID"))?;
            if !conn.can("can_reply") {
                return Err(business_right_missing());
            }
            if w.user(person)?.deactivated {
                return Err(ApiError::forbidden("user is deactivated"));
            }
            if !w.wrote_recently(key, person) {
                return Err(ApiError::bad_request("BUSINESS_PEER_USAGE_MISSING"));
            }
            Ok(())
        }
        ChatKey::Private { user, .. } => {
            let u = w.user(user)?;
            if u.deactivated {
                return Err(ApiError::forbidden("user is deactivated"));
            }
            if chat.blocked {
                return Err(ApiError::forbidden("bot was blocked by the user"));
            }
            if !chat.started {
                return Err(ApiError::forbidden(
                    "bot can't initiate conversation with a user",
                ));
            }
            Ok(())
        }
        ChatKey::Group(_) => {
            let word = group_word(chat.kind);
            match chat.status_of(bot) {
                MemberStatus::Kicked => Err(ApiError::forbidden(format!(
                    "bot was kicked from the {word} chat"
                ))),
                MemberStatus::Left => Err(ApiError::forbidden(format!(
                    "bot is not a member of the {word} chat"
                ))),
                MemberStatus::Restricted => Err(ApiError::bad_request(
                    "not enough rights to send text messages to the chat",
                )),
                _ if chat.kind == ChatType::Channel => {
                    if chat.member(bot).is_some_and(|m| m.can("can_post_messages")) {
                        Ok(())
                    } else {
                        Err(ApiError::bad_request(
                            "need administrator rights in the channel chat",
                        ))
                    }
                }
                _ => Ok(()),
            }
        }
    }
}

/// Flood limits for `n` messages from `bot` into `key`.
pub fn admit(w: &mut World, bot: i64, key: ChatKey, n: u32) -> ApiResult<()> {
    let now = w.now_ms();
    let (id, is_group) = match key {
        ChatKey::Private { user, .. } => (user, false),
        ChatKey::Personal { .. } => (w.chat_id_for(key, bot), false),
        ChatKey::Group(id) => (id, true),
    };
    w.limiter
        .admit(bot, id, is_group, n, now)
        .map_err(ApiError::too_many_requests)
}

/// Where a new message goes: `(message_thread_id, is_topic_message)`.
pub fn thread_for_send(
    w: &World,
    bot: i64,
    key: ChatKey,
    thread: Option<i64>,
) -> ApiResult<(Option<i64>, bool)> {
    let chat = w.chat(key)?;
    let can_manage = chat.member(bot).is_some_and(|m| m.can("can_manage_topics"));
    if chat.kind == ChatType::Private {
        return match thread {
            None => Ok((None, false)),
            Some(_) => Err(ApiError::thread_not_found()),
        };
    }
    if chat.is_forum {
        return match thread {
            None => {
                if chat.general_closed && !can_manage {
                    Err(ApiError::bad_request("TOPIC_CLOSED"))
                } else {
                    Ok((None, false))
                }
            }
            Some(t) => {
                let topic = chat
                    .topics
                    .get(&t)
                    .filter(|x| !x.deleted && !x.archived)
                    .ok_or_else(ApiError::thread_not_found)?;
                if topic.closed && !can_manage {
                    return Err(ApiError::bad_request("TOPIC_CLOSED"));
                }
                Ok((Some(t), true))
            }
        };
    }
    match thread {
        None => Ok((None, false)),
        Some(t) if chat.message(t).is_some() => Ok((Some(t), false)),
        Some(_) => Err(ApiError::thread_not_found()),
    }
}

/// The reply target from `reply_parameters`, if any.
pub fn reply_target(w: &World, key: ChatKey, p: &Params) -> ApiResult<Option<(i64, Option<i64>)>> {
    let Some(rp) = p.json("reply_parameters")? else {
        return Ok(None);
    };
    let id = rp
        .get("message_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| {
            ApiError::bad_request(
                "can't parse reply parameters: field \"message_id\" must be an integer",
            )
        })?;
    let allow = rp
        .get("allow_sending_without_reply")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match w.message(key, id) {
        Some(m) => Ok(Some((
            id,
            if m.is_topic_message {
                m.thread_id
            } else {
                None
            },
        ))),
        None if allow => Ok(None),
        None => Err(ApiError::bad_request("message to be replied not found")),
    }
}

/// The 1–100 strictly increasing ids of `message_ids`.
pub fn message_ids(p: &Params) -> ApiResult<Vec<i64>> {
    let v = p
        .json("message_ids")?
        .ok_or_else(|| ApiError::missing("message_ids"))?;
    let ids: Vec<i64> = v
        .as_array()
        .ok_or_else(|| ApiError::bad_request("can't parse message identifiers JSON object"))?
        .iter()
        .map(|x| {
            x.as_i64()
                .ok_or_else(|| ApiError::bad_request("can't parse message identifiers JSON object"))
        })
        .collect::<ApiResult<_>>()?;
    if ids.is_empty() || ids.len() > 100 {
        return Err(ApiError::bad_request("too many messages specified"));
    }
    if ids.windows(2).any(|w| w[0] >= w[1]) {
        return Err(ApiError::bad_request(
            "message identifiers must be in strictly increasing order",
        ));
    }
    Ok(ids)
}
