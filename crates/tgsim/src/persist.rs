//! Saving the world to a file and loading it back (the sandbox resumes where it stopped).
//!
//! Everything a person or bot could observe is kept: users, bots (tokens, pending updates,
//! webhook settings, commands, descriptions), chats with their members, messages and topics,
//! stored files, the id counters and the clock's lead over real time. Not kept: answered
//! callback queries (they expire after 15 s anyway), running long polls, webhook delivery
//! tasks and flood-limit windows — they start afresh, as after a Telegram restart.

use std::collections::{BTreeMap, VecDeque};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::watch;

use crate::world::{
    Bot, BusinessConnection, Chat, PendingUpdate, StoredFile, User, Webhook, World,
};

/// The file format's version; a file of another version is refused, not misread.
const VERSION: u32 = 1;

/// Update kinds the world ever queues (a stored kind must be one of them).
const UPDATE_KINDS: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
];

#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    /// Emulated time when saved; loading moves the clock so it does not run backwards.
    now_ms: i64,
    users: Vec<User>,
    bots: Vec<BotSnap>,
    chats: Vec<Chat>,
    files: Vec<FileSnap>,
    counters: [i64; 4],
    next_media_group: u64,
    icon_files: Vec<u64>,
    /// Telegram Business connections (older files have none).
    #[serde(default)]
    business: Vec<BusinessConnection>,
}

#[derive(Serialize, Deserialize)]
struct BotSnap {
    id: i64,
    token: String,
    can_join_groups: bool,
    can_read_all_group_messages: bool,
    pending: Vec<(i64, String, Value)>,
    next_update_id: i64,
    allowed_updates: Option<Vec<String>>,
    webhook: Option<Webhook>,
    commands: Vec<(String, String, Value)>,
    descriptions: BTreeMap<String, String>,
    short_descriptions: BTreeMap<String, String>,
    /// Older snapshots have none: the week without updates counts from the next one.
    #[serde(default)]
    last_update_ms: Option<i64>,
    #[serde(default)]
    can_connect_to_business: bool,
}

#[derive(Serialize, Deserialize)]
struct FileSnap {
    index: u64,
    unique_id: String,
    kind: String,
    bytes_b64: String,
    file_name: Option<String>,
    mime_type: Option<String>,
}

/// Why a saved world could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("not a saved tgsim world: {0}")]
    Format(String),
    #[error("saved by another tgsim version (file version {0}, this build reads {VERSION})")]
    Version(u32),
}

impl World {
    /// The world as JSON text.
    pub fn save(&self) -> String {
        let (
            next_user_id,
            next_bot_id,
            next_group_id,
            next_supergroup_id,
            next_media_group,
            icon_files,
        ) = self.counters();
        let snap = Snapshot {
            version: VERSION,
            now_ms: self.now_ms(),
            users: self.users.values().cloned().collect(),
            bots: self
                .bots
                .values()
                .map(|b| BotSnap {
                    id: b.id,
                    token: b.token.clone(),
                    can_join_groups: b.can_join_groups,
                    can_read_all_group_messages: b.can_read_all_group_messages,
                    can_connect_to_business: b.can_connect_to_business,
                    pending: b
                        .pending
                        .iter()
                        .map(|u| (u.update_id, u.kind.to_string(), u.body.clone()))
                        .collect(),
                    next_update_id: b.next_update_id,
                    last_update_ms: b.last_update_ms,
                    allowed_updates: b.allowed_updates.clone(),
                    webhook: b.webhook.clone(),
                    commands: b
                        .commands
                        .iter()
                        .map(|((scope, lang), v)| (scope.clone(), lang.clone(), v.clone()))
                        .collect(),
                    descriptions: b.descriptions.clone(),
                    short_descriptions: b.short_descriptions.clone(),
                })
                .collect(),
            chats: self.chats.values().cloned().collect(),
            files: self
                .files
                .iter()
                .map(|f| FileSnap {
                    index: f.index,
                    unique_id: f.unique_id.clone(),
                    kind: f.kind.clone(),
                    bytes_b64: B64.encode(&f.bytes),
                    file_name: f.file_name.clone(),
                    mime_type: f.mime_type.clone(),
                })
                .collect(),
            counters: [next_user_id, next_bot_id, next_group_id, next_supergroup_id],
            next_media_group,
            icon_files,
            business: self.business.values().cloned().collect(),
        };
        serde_json::to_string(&snap).unwrap_or_default()
    }

    /// Replaces this (fresh) world's contents with a saved one. The clock moves forward to
    /// the saved time if it is behind, so message dates never run backwards.
    pub fn load(&mut self, text: &str) -> Result<(), LoadError> {
        let probe: Value =
            serde_json::from_str(text).map_err(|e| LoadError::Format(e.to_string()))?;
        let version = probe
            .get("version")
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        if version != VERSION {
            return Err(LoadError::Version(version));
        }
        let snap: Snapshot =
            serde_json::from_value(probe).map_err(|e| LoadError::Format(e.to_string()))?;
        let behind = snap.now_ms - self.now_ms();
        if behind > 0 {
            self.clock.advance_ms(behind);
        }
        self.users = snap.users.into_iter().map(|u| (u.id, u)).collect();
        self.tokens.clear();
        self.bots.clear();
        for b in snap.bots {
            let mut pending = VecDeque::new();
            for (update_id, kind, body) in b.pending {
                let kind = UPDATE_KINDS
                    .iter()
                    .copied()
                    .find(|k| *k == kind)
                    .ok_or_else(|| LoadError::Format(format!("unknown update kind {kind}")))?;
                pending.push_back(PendingUpdate {
                    update_id,
                    kind,
                    body,
                });
            }
            self.tokens.insert(b.token.clone(), b.id);
            self.bots.insert(
                b.id,
                Bot {
                    id: b.id,
                    token: b.token,
                    can_join_groups: b.can_join_groups,
                    can_read_all_group_messages: b.can_read_all_group_messages,
                    can_connect_to_business: b.can_connect_to_business,
                    pending,
                    next_update_id: b.next_update_id,
                    allowed_updates: b.allowed_updates,
                    webhook: b.webhook,
                    signal: watch::channel(0).0,
                    poll_generation: 0,
                    commands: b
                        .commands
                        .into_iter()
                        .map(|(scope, lang, v)| ((scope, lang), v))
                        .collect(),
                    descriptions: b.descriptions,
                    short_descriptions: b.short_descriptions,
                    launched_at_ms: None,
                    logged_out_until_ms: None,
                    last_update_ms: b.last_update_ms,
                },
            );
        }
        self.chats = snap.chats.into_iter().map(|c| (c.key, c)).collect();
        self.resume_personal_ids();
        let mut files = Vec::with_capacity(snap.files.len());
        for f in snap.files {
            let bytes = B64
                .decode(f.bytes_b64.as_bytes())
                .map_err(|e| LoadError::Format(format!("file {}: {e}", f.index)))?;
            files.push(StoredFile {
                index: f.index,
                unique_id: f.unique_id,
                kind: f.kind,
                bytes: Bytes::from(bytes),
                file_name: f.file_name,
                mime_type: f.mime_type,
            });
        }
        self.files = files;
        self.business = snap
            .business
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
        self.callbacks.clear();
        let [u, b, g, s] = snap.counters;
        self.set_counters(u, b, g, s, snap.next_media_group, snap.icon_files);
        self.touch();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rand::SeedableRng;
    use rand::rngs::SmallRng;
    use serde_json::json;

    use super::*;
    use crate::clock::Clock;
    use crate::config::Config;
    use crate::world::{ChatKey, ChatType, Sender};

    fn world() -> World {
        World::new(
            Config::default(),
            Arc::new(Clock::default()),
            SmallRng::seed_from_u64(1),
        )
    }

    fn user(name: &str) -> User {
        User {
            id: 0,
            is_bot: false,
            first_name: name.into(),
            last_name: None,
            username: Some(name.to_lowercase()),
            language_code: Some("en".into()),
            is_premium: false,
            hides_forwards: false,
            deactivated: false,
            contacts: Default::default(),
        }
    }

    #[test]
    fn a_saved_world_loads_back_and_goes_on() {
        let mut w = world();
        let ann = w.create_user(user("Ann")).unwrap();
        let (bot, token) = w
            .create_bot("support_bot", "Support", None, false, true)
            .unwrap();
        let forum = w
            .create_chat(ChatType::Supergroup, "Team", None, true, ann)
            .unwrap();
        let id = w.post_service(
            ChatKey::Group(forum),
            Sender::User(ann),
            None,
            json!({ "text": "hello" }),
        );
        w.push_update(bot, "message", json!({ "message_id": 1 }));
        // A business account, its chatbot and a personal chat.
        let mut shop = user("Olga");
        shop.is_premium = true;
        let olga = w.create_user(shop).unwrap();
        w.bot_mut(bot).can_connect_to_business = true;
        let recipients = crate::world::Recipients {
            new_chats: true,
            ..Default::default()
        };
        let (conn, _) = w
            .connect_business(olga, bot, recipients, ["can_reply".to_string()].into())
            .unwrap();
        let personal = w.personal_chat(ann, olga);
        let mut m = w.new_message(personal, Sender::User(ann), Default::default());
        m.content.insert("text".into(), json!("hi Olga"));
        let first = w.insert_message(m).unwrap();
        w.clock.advance_ms(3_600_000);
        let saved = w.save();

        let mut back = world();
        back.load(&saved).unwrap();
        let without_time = |text: &str| {
            let mut v: Value = serde_json::from_str(text).unwrap();
            v.as_object_mut().unwrap().remove("now_ms");
            v
        };
        assert_eq!(
            without_time(&back.save()),
            without_time(&saved),
            "nothing lost or changed"
        );
        assert!(
            back.now_ms() >= w.now_ms() - 1000,
            "the clock did not run backwards"
        );
        assert_eq!(back.tokens.get(&token), Some(&bot));
        assert_eq!(
            back.chats[&ChatKey::Group(forum)].messages[&id].text(),
            Some("hello")
        );
        assert_eq!(back.bots[&bot].pending.len(), 1);
        assert!(
            back.business
                .get(&conn)
                .is_some_and(|c| c.enabled && c.can("can_reply"))
        );
        assert_eq!(back.business_view(bot, personal).map(|(_, p)| p), Some(ann));
        let mut m = back.new_message(personal, Sender::User(olga), Default::default());
        m.content.insert("text".into(), json!("hello"));
        assert_eq!(
            back.insert_message(m).unwrap(),
            first + 1,
            "personal message ids go on"
        );
        let next = back.create_user(user("Bob")).unwrap();
        assert_eq!(next, olga + 1, "ids continue after the saved ones");
    }

    #[test]
    fn foreign_or_future_files_are_refused() {
        let mut w = world();
        assert!(matches!(w.load("not json"), Err(LoadError::Format(_))));
        assert!(matches!(
            w.load(r#"{"version": 99}"#),
            Err(LoadError::Version(99))
        ));
        assert!(matches!(
            w.load(r#"{"version": 1}"#),
            Err(LoadError::Format(_))
        ));
    }
}
