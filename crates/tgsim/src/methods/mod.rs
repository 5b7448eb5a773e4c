//! Bot API methods: the dispatch table. The checks every sending method shares live in
//! `checks` (who may send where) and `compose` (building the message), re-exported here.
//!
//! To add a method: write `fn(&mut World, bot_id, &Params) -> ApiResult<Value>` in the family
//! module it belongs to, list it in [`METHODS`] with every parameter the official
//! documentation names (strict mode rejects the rest), and test it through HTTP in
//! hotline-testkit.

pub mod business;
pub mod chat;
pub mod edit;
pub mod files;
pub mod meta;
pub mod send;
pub mod topics;

mod checks;
mod compose;

pub use checks::{
    admit, bot_chat_target, business_connection, business_right_missing, business_target,
    check_can_read, check_can_send, message_ids, reply_target, send_target, target,
    thread_for_send,
};
pub use compose::{check_caption_len, check_text_len, deliver, formatted, markup, outgoing};

use serde_json::Value;

use crate::error::ApiResult;
use crate::params::Params;
use crate::world::World;

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
        name: "getBusinessConnection",
        params: &["business_connection_id"],
        handler: Handler::Sync(business::get_business_connection),
    },
    MethodSpec {
        name: "deleteBusinessMessages",
        params: &["business_connection_id", "message_ids"],
        handler: Handler::Sync(business::delete_business_messages),
    },
    MethodSpec {
        name: "readBusinessMessage",
        params: &["business_connection_id", "chat_id", "message_id"],
        handler: Handler::Sync(business::read_business_message),
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
