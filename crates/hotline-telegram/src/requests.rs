//! Bot API requests as values: the only place in Hotline that spells Bot API method
//! parameters and markup. The app builds a [`Request`] from typed ids and text, and either
//! sends it ([`crate::BotApi::send`]) or stores it in the outbox to send later (it
//! serializes as method + parameters). Optional parameters are added with the builder
//! methods (`in_thread`, `reply_to`, `silent`, `html`, `markup`).

use hotline_core::{ChatId, MessageId, ThreadId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One Bot API call: the method and its parameters (a JSON object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub method: String,
    pub params: Value,
}

impl Request {
    fn new(method: &str, params: Value) -> Self {
        Request {
            method: method.to_string(),
            params,
        }
    }

    fn with(mut self, key: &str, value: Value) -> Self {
        if let Some(o) = self.params.as_object_mut() {
            o.insert(key.to_string(), value);
        }
        self
    }

    /// Into a forum topic.
    #[must_use]
    pub fn in_thread(self, thread: ThreadId) -> Self {
        self.with("message_thread_id", json!(thread.0))
    }

    /// As a reply to `message`, sent even if that message is gone.
    #[must_use]
    pub fn reply_to(self, message: MessageId) -> Self {
        self.with(
            "reply_parameters",
            json!({ "message_id": message.0, "allow_sending_without_reply": true }),
        )
    }

    /// Without a notification sound.
    #[must_use]
    pub fn silent(self) -> Self {
        self.with("disable_notification", json!(true))
    }

    /// Text formatted as Bot API HTML.
    #[must_use]
    pub fn html(self) -> Self {
        self.with("parse_mode", json!("HTML"))
    }

    /// Links in the text show no preview.
    #[must_use]
    pub fn no_preview(self) -> Self {
        self.with("link_preview_options", json!({ "is_disabled": true }))
    }

    /// With a keyboard under the message (or a reply keyboard, or one taken away).
    #[must_use]
    pub fn markup(self, markup: &Markup) -> Self {
        self.with("reply_markup", markup.to_json())
    }
}

// ----- messages -----------------------------------------------------------------------------

/// `sendMessage` with plain text.
pub fn send_message(chat: ChatId, text: &str) -> Request {
    Request::new("sendMessage", json!({ "chat_id": chat.0, "text": text }))
}

/// `sendDocument`; the file goes with the call ([`crate::BotApi::call_upload`], field
/// `document`).
pub fn send_document(chat: ChatId, caption: &str) -> Request {
    Request::new(
        "sendDocument",
        json!({ "chat_id": chat.0, "caption": caption }),
    )
}

/// `editMessageText` of a bot's own message.
pub fn edit_message_text(chat: ChatId, message: MessageId, text: &str) -> Request {
    Request::new(
        "editMessageText",
        json!({ "chat_id": chat.0, "message_id": message.0, "text": text }),
    )
}

/// `deleteMessage`.
pub fn delete_message(chat: ChatId, message: MessageId) -> Request {
    Request::new(
        "deleteMessage",
        json!({ "chat_id": chat.0, "message_id": message.0 }),
    )
}

/// `copyMessage` for one message, `copyMessages` for several (an album keeps its grouping).
pub fn copy_messages(to: ChatId, from: ChatId, ids: &[MessageId]) -> Request {
    match ids {
        [one] => Request::new(
            "copyMessage",
            json!({ "chat_id": to.0, "from_chat_id": from.0, "message_id": one.0 }),
        ),
        _ => Request::new(
            "copyMessages",
            json!({
                "chat_id": to.0,
                "from_chat_id": from.0,
                "message_ids": ids.iter().map(|m| m.0).collect::<Vec<_>>(),
            }),
        ),
    }
}

/// The call that mirrors an edit of `raw` (a message as Telegram sent it) onto its copy
/// `message` in `chat`: the new text with its entities, or the new caption of a media
/// message. `None` for edits a copy cannot follow.
pub fn mirror_edit(raw: &Value, chat: ChatId, message: MessageId) -> Option<Request> {
    if let Some(text) = raw.get("text") {
        let mut r = Request::new(
            "editMessageText",
            json!({ "chat_id": chat.0, "message_id": message.0, "text": text }),
        );
        if let Some(e) = raw.get("entities") {
            r = r.with("entities", e.clone());
        }
        return Some(r);
    }
    let has_media = ["photo", "video", "audio", "document", "animation"]
        .iter()
        .any(|k| raw.get(*k).is_some());
    if has_media {
        let caption = raw.get("caption").cloned().unwrap_or(json!(""));
        let mut r = Request::new(
            "editMessageCaption",
            json!({ "chat_id": chat.0, "message_id": message.0, "caption": caption }),
        );
        if let Some(e) = raw.get("caption_entities") {
            r = r.with("caption_entities", e.clone());
        }
        return Some(r);
    }
    None
}

/// `answerCallbackQuery`, with an alert when `alert` is set.
pub fn answer_callback(callback_id: &str, alert: Option<&str>) -> Request {
    let r = Request::new(
        "answerCallbackQuery",
        json!({ "callback_query_id": callback_id }),
    );
    match alert {
        Some(text) => r.with("text", json!(text)).with("show_alert", json!(true)),
        None => r,
    }
}

// ----- forum topics ---------------------------------------------------------------------------

/// `createForumTopic` with an icon colour (one of Telegram's six, as RGB).
pub fn create_topic(group: ChatId, name: &str, icon_color: u32) -> Request {
    Request::new(
        "createForumTopic",
        json!({ "chat_id": group.0, "name": name, "icon_color": icon_color }),
    )
}

/// `editForumTopic`: a new name.
pub fn rename_topic(group: ChatId, thread: ThreadId, name: &str) -> Request {
    Request::new(
        "editForumTopic",
        json!({ "chat_id": group.0, "message_thread_id": thread.0, "name": name }),
    )
}

/// `closeForumTopic`.
pub fn close_topic(group: ChatId, thread: ThreadId) -> Request {
    Request::new(
        "closeForumTopic",
        json!({ "chat_id": group.0, "message_thread_id": thread.0 }),
    )
}

/// `reopenForumTopic`.
pub fn reopen_topic(group: ChatId, thread: ThreadId) -> Request {
    Request::new(
        "reopenForumTopic",
        json!({ "chat_id": group.0, "message_thread_id": thread.0 }),
    )
}

// ----- chats, members, webhooks -------------------------------------------------------------

/// `getChat`.
pub fn get_chat(chat: ChatId) -> Request {
    Request::new("getChat", json!({ "chat_id": chat.0 }))
}

/// `getChatMember`.
pub fn get_chat_member(chat: ChatId, user: UserId) -> Request {
    Request::new(
        "getChatMember",
        json!({ "chat_id": chat.0, "user_id": user.0 }),
    )
}

/// `setWebhook` with Telegram's secret-token header and the update types wanted.
pub fn set_webhook(url: &str, secret: &str, allowed_updates: &[&str]) -> Request {
    Request::new(
        "setWebhook",
        json!({ "url": url, "secret_token": secret, "allowed_updates": allowed_updates }),
    )
}

/// `deleteWebhook` (updates stay queued for getUpdates).
pub fn delete_webhook() -> Request {
    Request::new("deleteWebhook", json!({}))
}

pub fn get_webhook_info() -> Request {
    Request::new("getWebhookInfo", json!({}))
}

// ----- markup -------------------------------------------------------------------------------

/// One inline button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InlineButton {
    /// Sends `data` back as a callback query (at most 64 bytes).
    Callback { text: String, data: String },
    /// Opens a URL (deep links included).
    Url { text: String, url: String },
}

/// Administrator rights, as asked for in a chat picker or a `startgroup` link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AdminRights {
    pub manage_chat: bool,
    pub delete_messages: bool,
    pub restrict_members: bool,
    pub promote_members: bool,
    pub invite_users: bool,
    pub pin_messages: bool,
    pub manage_topics: bool,
}

impl AdminRights {
    /// The Bot API `ChatAdministratorRights` object (every field spelled out).
    pub fn to_json(&self) -> Value {
        json!({
            "is_anonymous": false,
            "can_manage_chat": self.manage_chat,
            "can_delete_messages": self.delete_messages,
            "can_manage_video_chats": false,
            "can_restrict_members": self.restrict_members,
            "can_promote_members": self.promote_members,
            "can_change_info": false,
            "can_invite_users": self.invite_users,
            "can_post_stories": false,
            "can_edit_stories": false,
            "can_delete_stories": false,
            "can_pin_messages": self.pin_messages,
            "can_manage_topics": self.manage_topics,
        })
    }
}

/// A button that asks the user to pick a forum supergroup to share with the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatPicker {
    pub text: String,
    pub request_id: i64,
    /// Rights the user must have there.
    pub user_rights: AdminRights,
    /// Rights the bot gets there.
    pub bot_rights: AdminRights,
}

/// What goes under a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Markup {
    /// Rows of inline buttons (no rows: the keyboard is taken away on an edit).
    Inline(Vec<Vec<InlineButton>>),
    /// A one-button reply keyboard with a chat picker.
    Picker(ChatPicker),
    /// Takes a reply keyboard away.
    RemoveKeyboard,
}

impl Markup {
    pub fn to_json(&self) -> Value {
        match self {
            Markup::Inline(rows) => {
                let rows: Vec<Vec<Value>> = rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|b| match b {
                                InlineButton::Callback { text, data } => {
                                    json!({ "text": text, "callback_data": data })
                                }
                                InlineButton::Url { text, url } => {
                                    json!({ "text": text, "url": url })
                                }
                            })
                            .collect()
                    })
                    .collect();
                json!({ "inline_keyboard": rows })
            }
            Markup::Picker(p) => json!({
                "keyboard": [[{
                    "text": p.text,
                    "request_chat": {
                        "request_id": p.request_id,
                        "chat_is_channel": false,
                        "chat_is_forum": true,
                        "user_administrator_rights": p.user_rights.to_json(),
                        "bot_administrator_rights": p.bot_rights.to_json(),
                        "request_title": true,
                    },
                }]],
                "resize_keyboard": true,
                "one_time_keyboard": true,
            }),
            Markup::RemoveKeyboard => json!({ "remove_keyboard": true }),
        }
    }
}
