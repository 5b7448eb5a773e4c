//! World operations on chats: creating groups, resolving and naming chats per viewer.

use serde_json::json;

use super::{Chat, ChatKey, ChatType, Member, MemberStatus, Sender, World};
use crate::error::{ApiError, ApiResult};
use crate::params::ChatRef;

impl World {
    pub fn create_chat(
        &mut self,
        kind: ChatType,
        title: &str,
        username: Option<String>,
        is_forum: bool,
        creator: i64,
    ) -> Result<i64, String> {
        if let Some(u) = &username
            && self.username_taken(u)
        {
            return Err(format!("username @{u} is taken"));
        }
        if !self.users.contains_key(&creator) || self.is_bot(creator) {
            return Err("the creator must be an existing non-bot user".into());
        }
        let id = match kind {
            ChatType::Group => {
                let id = -self.next_group_id;
                self.next_group_id += 1;
                id
            }
            ChatType::Supergroup | ChatType::Channel => {
                let id = -(1_000_000_000_000 + self.next_supergroup_id);
                self.next_supergroup_id += 1;
                id
            }
            ChatType::Private => return Err("private chats exist implicitly".into()),
        };
        let mut chat = Chat::new(ChatKey::Group(id), kind);
        chat.title = Some(title.to_string());
        chat.username = username;
        chat.is_forum = is_forum && kind == ChatType::Supergroup;
        chat.members
            .insert(creator, Member::new(MemberStatus::Creator));
        self.chats.insert(chat.key, chat);
        let service = match kind {
            ChatType::Group => json!({ "group_chat_created": true }),
            ChatType::Supergroup => json!({ "supergroup_chat_created": true }),
            _ => json!({ "channel_chat_created": true }),
        };
        let key = ChatKey::Group(id);
        let sender = if kind == ChatType::Channel {
            Sender::Chat(id)
        } else {
            Sender::User(creator)
        };
        self.post_service(key, sender, None, service);
        Ok(id)
    }

    pub fn chat(&self, key: ChatKey) -> ApiResult<&Chat> {
        self.chats.get(&key).ok_or_else(ApiError::chat_not_found)
    }

    pub fn chat_mut(&mut self, key: ChatKey) -> ApiResult<&mut Chat> {
        self.chats
            .get_mut(&key)
            .ok_or_else(ApiError::chat_not_found)
    }

    /// Resolves a chat id as the given bot addresses it. Private chats are addressed by the
    /// user's id; they exist for the bot once the user has written to it.
    pub fn resolve_for_bot(&self, bot: i64, chat: &ChatRef) -> ApiResult<ChatKey> {
        match chat {
            ChatRef::Id(id) if *id > 0 => {
                let key = ChatKey::Private { bot, user: *id };
                if self.chats.contains_key(&key) {
                    Ok(key)
                } else {
                    Err(ApiError::chat_not_found())
                }
            }
            ChatRef::Id(id) => {
                let key = ChatKey::Group(*id);
                let c = self.chat(key)?;
                if let Some(to) = c.migrated_to {
                    return Err(ApiError::migrated(to));
                }
                Ok(key)
            }
            ChatRef::Username(name) => {
                let lname = name.to_lowercase();
                self.chats
                    .values()
                    .find(|c| c.username.as_deref().map(str::to_lowercase) == Some(lname.clone()))
                    .map(|c| c.key)
                    .ok_or_else(ApiError::chat_not_found)
            }
        }
    }

    /// The private chat between `bot` and `user`, created on first use.
    pub fn private_chat(&mut self, bot: i64, user: i64) -> &mut Chat {
        let key = ChatKey::Private { bot, user };
        self.chats.entry(key).or_insert_with(|| {
            let mut c = Chat::new(key, ChatType::Private);
            c.members.insert(user, Member::new(MemberStatus::Member));
            c.members.insert(bot, Member::new(MemberStatus::Member));
            c
        })
    }

    /// The id a viewer uses for a chat: private chats are named after the other party.
    pub fn chat_id_for(&self, key: ChatKey, viewer: i64) -> i64 {
        match key {
            ChatKey::Private { bot, user } => {
                if viewer == bot {
                    user
                } else {
                    bot
                }
            }
            ChatKey::Group(id) => id,
            ChatKey::Personal { a, b } => {
                if viewer == a {
                    b
                } else if viewer == b {
                    a
                } else {
                    // A bot sees the chat through a business connection: it is named after
                    // the person the business account talks to.
                    self.business_view(viewer, key)
                        .map_or(b, |(_, other)| other)
                }
            }
        }
    }

    /// The private chat between two people, created on first use.
    pub fn personal_chat(&mut self, x: i64, y: i64) -> ChatKey {
        let key = ChatKey::personal(x, y);
        self.chats.entry(key).or_insert_with(|| {
            let mut c = Chat::new(key, ChatType::Private);
            c.members.insert(x, Member::new(MemberStatus::Member));
            c.members.insert(y, Member::new(MemberStatus::Member));
            c.started = true;
            c
        });
        key
    }
}
