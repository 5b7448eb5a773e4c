//! Types: messages, their senders, stored files and callback queries.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde_json::{Map, Value};

use super::ChatKey;

/// The author of a message.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Sender {
    User(i64),
    /// Posted on behalf of a chat: channel posts, anonymous admins (`sender_chat`).
    Chat(i64),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Message {
    pub id: i64,
    pub chat: ChatKey,
    pub sender: Sender,
    pub date: i64,
    pub date_ms: i64,
    pub edit_date: Option<i64>,
    /// Forum topic (or reply thread) this message belongs to.
    pub thread_id: Option<i64>,
    pub is_topic_message: bool,
    pub reply_to: Option<i64>,
    pub quote: Option<Value>,
    pub media_group_id: Option<String>,
    pub forward_origin: Option<Value>,
    /// Content fields of the Bot API Message object (`text`, `entities`, `photo`, …); file
    /// objects carry a `$file` index instead of ids until rendered for a bot.
    pub content: Map<String, Value>,
    pub service: bool,
    /// Inline keyboard (rendered in the message) or reply keyboard (shown to the user only).
    pub reply_markup: Option<Value>,
    pub has_protected_content: bool,
    pub deleted: bool,
    pub author_signature: Option<String>,
    /// Who actually posted a message shown as `Sender::Chat` (a channel admin or bot, an
    /// anonymous group admin); bots never receive updates about their own posts.
    pub posted_by: Option<i64>,
    /// The bot that sent this message on behalf of a business account
    /// (`sender_business_bot`).
    #[serde(default)]
    pub business_bot: Option<i64>,
    /// Reactions by actor (user id) → list of ReactionType objects.
    pub reactions: BTreeMap<i64, Vec<Value>>,
}

impl Message {
    pub fn text(&self) -> Option<&str> {
        self.content.get("text").and_then(Value::as_str)
    }

    pub fn caption(&self) -> Option<&str> {
        self.content.get("caption").and_then(Value::as_str)
    }

    pub fn sender_user(&self) -> Option<i64> {
        match self.sender {
            Sender::User(u) => Some(u),
            Sender::Chat(_) => None,
        }
    }

    pub fn media_kind(&self) -> Option<&'static str> {
        MEDIA_KINDS
            .iter()
            .copied()
            .find(|k| self.content.contains_key(*k))
    }
}

/// Content keys that hold a file, in the order Telegram checks them.
pub const MEDIA_KINDS: &[&str] = &[
    "animation",
    "photo",
    "video",
    "audio",
    "voice",
    "document",
    "sticker",
    "video_note",
];

#[derive(Debug, Clone)]
pub struct StoredFile {
    pub index: u64,
    pub unique_id: String,
    pub kind: String,
    pub bytes: Bytes,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CallbackQuery {
    pub id: String,
    pub bot: i64,
    pub from: i64,
    pub created_ms: i64,
    pub answer: Option<Value>,
}
