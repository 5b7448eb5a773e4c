//! World operations on messages, forum topics, files and the bots' update queues.

use std::collections::BTreeMap;

use bytes::Bytes;
use rand::Rng;
use serde_json::{Map, Value, json};

use super::{
    ChatKey, ChatType, Message, PendingUpdate, Sender, StoredFile, Topic, UPDATE_ID_RESET_MS, World,
};
use crate::error::ApiResult;

impl World {
    pub fn message(&self, key: ChatKey, id: i64) -> Option<&Message> {
        self.chats.get(&key).and_then(|c| c.message(id))
    }

    /// Appends a message to a chat and returns its id. Fan-out of updates is separate
    /// ([`crate::updates::fan_out_message`]).
    pub fn insert_message(&mut self, mut msg: Message) -> ApiResult<i64> {
        // A user account numbers the messages of all its private chats in one sequence, so
        // a business bot's message ids never repeat across the account's chats.
        let personal = matches!(msg.chat, ChatKey::Personal { .. });
        let personal_id = personal.then(|| self.next_personal_message_id());
        let chat = self.chat_mut(msg.chat)?;
        let id = match personal_id {
            Some(id) => {
                chat.next_message_id = id + 1;
                id
            }
            None => chat.alloc_message_id(),
        };
        msg.id = id;
        if let Sender::User(u) = msg.sender
            && chat.kind != ChatType::Private
            && self.bots.contains_key(&u)
            && let Some(c) = self.chats.get_mut(&msg.chat)
        {
            c.last_bot_sender = Some(u);
        }
        if let Some(c) = self.chats.get_mut(&msg.chat) {
            c.messages.insert(id, msg);
        }
        self.touch();
        Ok(id)
    }

    pub fn new_message(
        &self,
        chat: ChatKey,
        sender: Sender,
        content: Map<String, Value>,
    ) -> Message {
        Message {
            id: 0,
            chat,
            sender,
            date: self.now_s(),
            date_ms: self.now_ms(),
            edit_date: None,
            thread_id: None,
            is_topic_message: false,
            reply_to: None,
            quote: None,
            media_group_id: None,
            forward_origin: None,
            content,
            service: false,
            reply_markup: None,
            has_protected_content: false,
            deleted: false,
            author_signature: None,
            posted_by: None,
            business_bot: None,
            reactions: BTreeMap::new(),
        }
    }

    /// Posts a service message and fans it out; returns its id.
    pub fn post_service(
        &mut self,
        chat: ChatKey,
        sender: Sender,
        thread: Option<i64>,
        content: Value,
    ) -> i64 {
        let Value::Object(content) = content else {
            return 0;
        };
        let mut msg = self.new_message(chat, sender, content);
        msg.service = true;
        if let Some(t) = thread {
            msg.thread_id = Some(t);
            msg.is_topic_message = true;
        }
        match self.insert_message(msg) {
            Ok(id) => {
                crate::updates::fan_out_message(self, chat, id, false);
                id
            }
            Err(_) => 0,
        }
    }

    /// Opens a forum topic: its id is the id of its `forum_topic_created` service message.
    pub fn open_topic(
        &mut self,
        key: ChatKey,
        name: &str,
        color: i64,
        emoji: Option<String>,
        creator: i64,
    ) -> i64 {
        let Ok(chat) = self.chat_mut(key) else {
            return 0;
        };
        let id = chat.next_message_id;
        chat.topics.insert(
            id,
            Topic {
                id,
                name: name.to_string(),
                icon_color: color,
                icon_custom_emoji_id: emoji.clone(),
                creator,
                closed: false,
                deleted: false,
                archived: false,
            },
        );
        let mut created = json!({ "name": name, "icon_color": color });
        if let Some(e) = &emoji {
            created["icon_custom_emoji_id"] = json!(e);
        }
        self.post_service(
            key,
            Sender::User(creator),
            Some(id),
            json!({ "forum_topic_created": created }),
        )
    }

    /// The next message id of personal chats.
    fn next_personal_message_id(&mut self) -> i64 {
        let id = self.next_personal_message;
        self.next_personal_message += 1;
        id
    }

    /// After loading a saved world: one past the highest id any personal chat holds.
    pub(crate) fn resume_personal_ids(&mut self) {
        self.next_personal_message = self
            .chats
            .values()
            .filter(|c| matches!(c.key, ChatKey::Personal { .. }))
            .map(|c| c.next_message_id)
            .max()
            .unwrap_or(1);
    }

    pub fn new_media_group_id(&mut self) -> String {
        let id = self.next_media_group;
        self.next_media_group += 1;
        id.to_string()
    }

    // ----- files -------------------------------------------------------------------------

    pub fn store_file(
        &mut self,
        kind: &str,
        bytes: Bytes,
        file_name: Option<String>,
        mime_type: Option<String>,
    ) -> u64 {
        let index = self.files.len() as u64;
        let unique_id = crate::render::encode_unique_id(index);
        self.files.push(StoredFile {
            index,
            unique_id,
            kind: kind.to_string(),
            bytes,
            file_name,
            mime_type,
        });
        index
    }

    /// Files behind the topic icon stickers, stored on first use.
    pub fn icon_sticker_file(&mut self, n: usize) -> u64 {
        while self.icon_files.len() <= n {
            let idx = self.store_file(
                "sticker",
                Bytes::from_static(b"RIFF\0\0\0\0WEBPVP8 "),
                None,
                Some("image/webp".into()),
            );
            self.icon_files.push(idx);
        }
        self.icon_files.get(n).copied().unwrap_or_default()
    }

    pub fn file(&self, index: u64) -> Option<&StoredFile> {
        usize::try_from(index).ok().and_then(|i| self.files.get(i))
    }

    // ----- updates -----------------------------------------------------------------------

    /// Queues an update for a bot if its `allowed_updates` accept the kind.
    pub fn push_update(&mut self, bot: i64, kind: &'static str, payload: Value) {
        let now = self.now_ms();
        let fresh_id = self.rng.random_range(100_000_000..900_000_000);
        let Some(b) = self.bots.get_mut(&bot) else {
            return;
        };
        if !b.accepts(kind) {
            return;
        }
        if b.last_update_ms
            .is_some_and(|last| now.saturating_sub(last) >= UPDATE_ID_RESET_MS)
        {
            b.next_update_id = fresh_id;
        }
        b.last_update_ms = Some(now);
        let update_id = b.next_update_id;
        b.next_update_id += 1;
        let mut body = Map::new();
        body.insert("update_id".into(), json!(update_id));
        body.insert(kind.into(), payload);
        b.pending.push_back(PendingUpdate {
            update_id,
            kind,
            body: Value::Object(body),
        });
        // Telegram keeps at most about a day of updates; a bounded queue stands in for that.
        while b.pending.len() > 100_000 {
            b.pending.pop_front();
        }
        b.signal.send_modify(|v| *v += 1);
    }
}
