//! Bot API methods: the dispatch table and the checks every sending method shares.
//!
//! To add a method: write `fn(&mut World, bot_id, &Params) -> ApiResult<Value>` in the family
//! module it belongs to, list it in [`METHODS`] with every parameter the official
//! documentation names (strict mode rejects the rest), and test it through HTTP in
//! hotline-testkit.

pub mod chat;
pub mod edit;
pub mod files;
pub mod meta;
pub mod send;
pub mod topics;

use serde_json::{Map, Value, json};

use crate::error::{ApiError, ApiResult};
use crate::format;
use crate::params::{ChatRef, Params};
use crate::render;
use crate::world::{ChatKey, ChatType, MemberStatus, Message, Sender, World};

pub type SyncHandler = fn(&mut World, i64, &Params) -> ApiResult<Value>;

#[derive(Clone, Copy)]
pub enum Handler {
    Sync(SyncHandler),
    /// Long polling needs to wait without holding the world.
    GetUpdates,
}

pub struct MethodSpec {
    pub name: &'static str,
    pub params: &'static [&'static str],
    pub handler: Handler,
}

macro_rules! params {
    ($($base:expr),* ; $($extra:literal),* $(,)?) => {{
        const P: &[&str] = &concat_arrays!($($base),* ; $($extra),*);
        P
    }};
}

// `concat_arrays!` builds a fixed list from shared bases plus extras at compile time.
macro_rules! concat_arrays {
    ($($base:expr),* ; $($extra:literal),*) => {{
        const LEN: usize = 0 $(+ $base.len())* + [$($extra),*].len();
        const fn build() -> [&'static str; LEN] {
            let mut out = [""; LEN];
            let mut n = 0;
            $(
                let b: &[&str] = $base;
                let mut i = 0;
                while i < b.len() {
                    out[n] = b[i];
                    n += 1;
                    i += 1;
                }
            )*
            let extra: &[&str] = &[$($extra),*];
            let mut i = 0;
            while i < extra.len() {
                out[n] = extra[i];
                n += 1;
                i += 1;
            }
            out
        }
        build()
    }};
}

const SEND: &[&str] = &[
    "business_connection_id",
    "chat_id",
    "message_thread_id",
    "direct_messages_topic_id",
    "disable_notification",
    "protect_content",
    "allow_paid_broadcast",
    "message_effect_id",
    "suggested_post_parameters",
    "reply_parameters",
    "reply_markup",
];
const CAPTION: &[&str] = &["caption", "parse_mode", "caption_entities"];

pub static METHODS: &[MethodSpec] = &[
    MethodSpec {
        name: "getMe",
        params: &[],
        handler: Handler::Sync(meta::get_me),
    },
    MethodSpec {
        name: "logOut",
        params: &[],
        handler: Handler::Sync(meta::log_out),
    },
    MethodSpec {
        name: "close",
        params: &[],
        handler: Handler::Sync(meta::close),
    },
    MethodSpec {
        name: "getUpdates",
        params: crate::updates::GET_UPDATES_PARAMS,
        handler: Handler::GetUpdates,
    },
    MethodSpec {
        name: "setWebhook",
        params: &[
            "url",
            "certificate",
            "ip_address",
            "max_connections",
            "allowed_updates",
            "drop_pending_updates",
            "secret_token",
        ],
        handler: Handler::Sync(meta::set_webhook),
    },
    MethodSpec {
        name: "deleteWebhook",
        params: &["drop_pending_updates"],
        handler: Handler::Sync(meta::delete_webhook),
    },
    MethodSpec {
        name: "getWebhookInfo",
        params: &[],
        handler: Handler::Sync(meta::get_webhook_info),
    },
    MethodSpec {
        name: "sendMessage",
        params: params!(SEND; "text", "parse_mode", "entities", "link_preview_options"),
        handler: Handler::Sync(send::send_message),
    },
    MethodSpec {
        name: "sendPhoto",
        params: params!(SEND, CAPTION; "photo", "show_caption_above_media", "has_spoiler"),
        handler: Handler::Sync(send::send_photo),
    },
    MethodSpec {
        name: "sendAudio",
        params: params!(SEND, CAPTION; "audio", "duration", "performer", "title", "thumbnail"),
        handler: Handler::Sync(send::send_audio),
    },
    MethodSpec {
        name: "sendDocument",
        params: params!(SEND, CAPTION; "document", "thumbnail", "disable_content_type_detection"),
        handler: Handler::Sync(send::send_document),
    },
    MethodSpec {
        name: "sendVideo",
        params: params!(SEND, CAPTION; "video", "duration", "width", "height", "thumbnail", "cover", "start_timestamp", "show_caption_above_media", "has_spoiler", "supports_streaming"),
        handler: Handler::Sync(send::send_video),
    },
    MethodSpec {
        name: "sendAnimation",
        params: params!(SEND, CAPTION; "animation", "duration", "width", "height", "thumbnail", "show_caption_above_media", "has_spoiler"),
        handler: Handler::Sync(send::send_animation),
    },
    MethodSpec {
        name: "sendVoice",
        params: params!(SEND, CAPTION; "voice", "duration"),
        handler: Handler::Sync(send::send_voice),
    },
    MethodSpec {
        name: "sendVideoNote",
        params: params!(SEND; "video_note", "duration", "length", "thumbnail"),
        handler: Handler::Sync(send::send_video_note),
    },
    MethodSpec {
        name: "sendSticker",
        params: params!(SEND; "sticker", "emoji"),
        handler: Handler::Sync(send::send_sticker),
    },
    MethodSpec {
        name: "sendLocation",
        params: params!(SEND; "latitude", "longitude", "horizontal_accuracy", "live_period", "heading", "proximity_alert_radius"),
        handler: Handler::Sync(send::send_location),
    },
    MethodSpec {
        name: "sendVenue",
        params: params!(SEND; "latitude", "longitude", "title", "address", "foursquare_id", "foursquare_type", "google_place_id", "google_place_type"),
        handler: Handler::Sync(send::send_venue),
    },
    MethodSpec {
        name: "sendContact",
        params: params!(SEND; "phone_number", "first_name", "last_name", "vcard"),
        handler: Handler::Sync(send::send_contact),
    },
    MethodSpec {
        name: "sendPoll",
        params: params!(SEND; "question", "question_parse_mode", "question_entities", "options", "is_anonymous", "type", "allows_multiple_answers", "correct_option_id", "explanation", "explanation_parse_mode", "explanation_entities", "open_period", "close_date", "is_closed"),
        handler: Handler::Sync(send::send_poll),
    },
    MethodSpec {
        name: "sendDice",
        params: params!(SEND; "emoji"),
        handler: Handler::Sync(send::send_dice),
    },
    MethodSpec {
        name: "sendMediaGroup",
        params: &[
            "business_connection_id",
            "chat_id",
            "message_thread_id",
            "direct_messages_topic_id",
            "media",
            "disable_notification",
            "protect_content",
            "allow_paid_broadcast",
            "message_effect_id",
            "reply_parameters",
        ],
        handler: Handler::Sync(send::send_media_group),
    },
    MethodSpec {
        name: "sendChatAction",
        params: &[
            "business_connection_id",
            "chat_id",
            "message_thread_id",
            "action",
        ],
        handler: Handler::Sync(send::send_chat_action),
    },
    MethodSpec {
        name: "forwardMessage",
        params: &[
            "chat_id",
            "message_thread_id",
            "direct_messages_topic_id",
            "from_chat_id",
            "video_start_timestamp",
            "disable_notification",
            "protect_content",
            "suggested_post_parameters",
            "message_id",
        ],
        handler: Handler::Sync(send::forward_message),
    },
    MethodSpec {
        name: "forwardMessages",
        params: &[
            "chat_id",
            "message_thread_id",
            "direct_messages_topic_id",
            "from_chat_id",
            "message_ids",
            "disable_notification",
            "protect_content",
        ],
        handler: Handler::Sync(send::forward_messages),
    },
    MethodSpec {
        name: "copyMessage",
        params: &[
            "chat_id",
            "message_thread_id",
            "direct_messages_topic_id",
            "from_chat_id",
            "message_id",
            "video_start_timestamp",
            "caption",
            "parse_mode",
            "caption_entities",
            "show_caption_above_media",
            "disable_notification",
            "protect_content",
            "allow_paid_broadcast",
            "suggested_post_parameters",
            "reply_parameters",
            "reply_markup",
        ],
        handler: Handler::Sync(send::copy_message),
    },
    MethodSpec {
        name: "copyMessages",
        params: &[
            "chat_id",
            "message_thread_id",
            "direct_messages_topic_id",
            "from_chat_id",
            "message_ids",
            "disable_notification",
            "protect_content",
            "remove_caption",
        ],
        handler: Handler::Sync(send::copy_messages),
    },
    MethodSpec {
        name: "editMessageText",
        params: &[
            "business_connection_id",
            "chat_id",
            "message_id",
            "inline_message_id",
            "text",
            "parse_mode",
            "entities",
            "link_preview_options",
            "reply_markup",
        ],
        handler: Handler::Sync(edit::edit_message_text),
    },
    MethodSpec {
        name: "editMessageCaption",
        params: &[
            "business_connection_id",
            "chat_id",
            "message_id",
            "inline_message_id",
            "caption",
            "parse_mode",
            "caption_entities",
            "show_caption_above_media",
            "reply_markup",
        ],
        handler: Handler::Sync(edit::edit_message_caption),
    },
    MethodSpec {
        name: "editMessageMedia",
        params: &[
            "business_connection_id",
            "chat_id",
            "message_id",
            "inline_message_id",
            "media",
            "reply_markup",
        ],
        handler: Handler::Sync(edit::edit_message_media),
    },
    MethodSpec {
        name: "editMessageReplyMarkup",
        params: &[
            "business_connection_id",
            "chat_id",
            "message_id",
            "inline_message_id",
            "reply_markup",
        ],
        handler: Handler::Sync(edit::edit_message_reply_markup),
    },
    MethodSpec {
        name: "deleteMessage",
        params: &["chat_id", "message_id"],
        handler: Handler::Sync(edit::delete_message),
    },
    MethodSpec {
        name: "deleteMessages",
        params: &["chat_id", "message_ids"],
        handler: Handler::Sync(edit::delete_messages),
    },
    MethodSpec {
        name: "setMessageReaction",
        params: &["chat_id", "message_id", "reaction", "is_big"],
        handler: Handler::Sync(edit::set_message_reaction),
    },
    MethodSpec {
        name: "answerCallbackQuery",
        params: &[
            "callback_query_id",
            "text",
            "show_alert",
            "url",
            "cache_time",
        ],
        handler: Handler::Sync(edit::answer_callback_query),
    },
    MethodSpec {
        name: "getFile",
        params: &["file_id"],
        handler: Handler::Sync(files::get_file),
    },
    MethodSpec {
        name: "getChat",
        params: &["chat_id"],
        handler: Handler::Sync(chat::get_chat),
    },
    MethodSpec {
        name: "getChatMember",
        params: &["chat_id", "user_id"],
        handler: Handler::Sync(chat::get_chat_member),
    },
    MethodSpec {
        name: "getChatAdministrators",
        params: &["chat_id"],
        handler: Handler::Sync(chat::get_chat_administrators),
    },
    MethodSpec {
        name: "getChatMemberCount",
        params: &["chat_id"],
        handler: Handler::Sync(chat::get_chat_member_count),
    },
    MethodSpec {
        name: "banChatMember",
        params: &["chat_id", "user_id", "until_date", "revoke_messages"],
        handler: Handler::Sync(chat::ban_chat_member),
    },
    MethodSpec {
        name: "unbanChatMember",
        params: &["chat_id", "user_id", "only_if_banned"],
        handler: Handler::Sync(chat::unban_chat_member),
    },
    MethodSpec {
        name: "leaveChat",
        params: &["chat_id"],
        handler: Handler::Sync(chat::leave_chat),
    },
    MethodSpec {
        name: "pinChatMessage",
        params: &[
            "business_connection_id",
            "chat_id",
            "message_id",
            "disable_notification",
        ],
        handler: Handler::Sync(chat::pin_chat_message),
    },
    MethodSpec {
        name: "unpinChatMessage",
        params: &["business_connection_id", "chat_id", "message_id"],
        handler: Handler::Sync(chat::unpin_chat_message),
    },
    MethodSpec {
        name: "createChatInviteLink",
        params: &[
            "chat_id",
            "name",
            "expire_date",
            "member_limit",
            "creates_join_request",
        ],
        handler: Handler::Sync(chat::create_chat_invite_link),
    },
    MethodSpec {
        name: "createForumTopic",
        params: &["chat_id", "name", "icon_color", "icon_custom_emoji_id"],
        handler: Handler::Sync(topics::create_forum_topic),
    },
    MethodSpec {
        name: "editForumTopic",
        params: &[
            "chat_id",
            "message_thread_id",
            "name",
            "icon_custom_emoji_id",
        ],
        handler: Handler::Sync(topics::edit_forum_topic),
    },
    MethodSpec {
        name: "closeForumTopic",
        params: &["chat_id", "message_thread_id"],
        handler: Handler::Sync(topics::close_forum_topic),
    },
    MethodSpec {
        name: "reopenForumTopic",
        params: &["chat_id", "message_thread_id"],
        handler: Handler::Sync(topics::reopen_forum_topic),
    },
    MethodSpec {
        name: "deleteForumTopic",
        params: &["chat_id", "message_thread_id"],
        handler: Handler::Sync(topics::delete_forum_topic),
    },
    MethodSpec {
        name: "unpinAllForumTopicMessages",
        params: &["chat_id", "message_thread_id"],
        handler: Handler::Sync(topics::unpin_all_forum_topic_messages),
    },
    MethodSpec {
        name: "closeGeneralForumTopic",
        params: &["chat_id"],
        handler: Handler::Sync(topics::close_general),
    },
    MethodSpec {
        name: "reopenGeneralForumTopic",
        params: &["chat_id"],
        handler: Handler::Sync(topics::reopen_general),
    },
    MethodSpec {
        name: "getForumTopicIconStickers",
        params: &[],
        handler: Handler::Sync(topics::get_icon_stickers),
    },
    MethodSpec {
        name: "setMyCommands",
        params: &["commands", "scope", "language_code"],
        handler: Handler::Sync(meta::set_my_commands),
    },
    MethodSpec {
        name: "getMyCommands",
        params: &["scope", "language_code"],
        handler: Handler::Sync(meta::get_my_commands),
    },
    MethodSpec {
        name: "deleteMyCommands",
        params: &["scope", "language_code"],
        handler: Handler::Sync(meta::delete_my_commands),
    },
    MethodSpec {
        name: "setMyDescription",
        params: &["description", "language_code"],
        handler: Handler::Sync(meta::set_my_description),
    },
    MethodSpec {
        name: "getMyDescription",
        params: &["language_code"],
        handler: Handler::Sync(meta::get_my_description),
    },
    MethodSpec {
        name: "setMyShortDescription",
        params: &["short_description", "language_code"],
        handler: Handler::Sync(meta::set_my_short_description),
    },
    MethodSpec {
        name: "getMyShortDescription",
        params: &["language_code"],
        handler: Handler::Sync(meta::get_my_short_description),
    },
];

/// Finds a method by name, case-insensitively (as Telegram does).
pub fn lookup(name: &str) -> Option<&'static MethodSpec> {
    METHODS.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

// ----- shared checks ---------------------------------------------------------------------

/// The `chat_id` parameter, resolved as this bot addresses chats.
pub fn target(w: &World, bot: i64, p: &Params, name: &str) -> ApiResult<ChatKey> {
    let chat = p.req_chat(name)?;
    w.resolve_for_bot(bot, &chat)
}

/// The `chat_id` a message is sent to. A user the bot has met in a group but who never
/// pressed Start gives 403; a user the bot has never seen stays "chat not found".
pub fn send_target(w: &World, bot: i64, p: &Params) -> ApiResult<ChatKey> {
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
        ChatKey::Private { .. } => Err(ApiError::chat_not_found()),
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
    let sender = match key {
        ChatKey::Group(id) if is_channel => Sender::Chat(id),
        _ => Sender::User(bot),
    };
    let mut m = w.new_message(key, sender, content);
    if is_channel {
        m.posted_by = Some(bot);
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
