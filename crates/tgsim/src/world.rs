//! The emulated Telegram world: users, bots, chats, memberships, messages, topics and files.
//!
//! Everything here is plain data behind one mutex (see [`crate::Sim`]). Method handlers in
//! [`crate::methods`] and the control API in [`crate::control`] mutate it; rendering to Bot API
//! JSON happens per viewing bot in [`crate::render`], because file ids are scoped to a bot.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use bytes::Bytes;
use rand::Rng;
use rand::rngs::SmallRng;
use serde_json::{Map, Value, json};
use tokio::sync::watch;

use crate::clock::Clock;
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::limits::Limiter;
use crate::params::ChatRef;

/// The user id Telegram shows for anonymous group administrators.
pub const GROUP_ANONYMOUS_BOT_ID: i64 = 1_087_968_824;
/// Telegram's service-notifications account.
pub const SERVICE_NOTIFICATIONS_ID: i64 = 777_000;
/// 48 hours, the documented delete window.
pub const WINDOW_48H_MS: i64 = 48 * 3600 * 1000;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ChatKey {
    /// The private chat between a bot and a user.
    Private { bot: i64, user: i64 },
    /// A group, supergroup or channel, by its (negative) chat id.
    Group(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ChatType {
    Private,
    Group,
    Supergroup,
    Channel,
}

impl ChatType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatType::Private => "private",
            ChatType::Group => "group",
            ChatType::Supergroup => "supergroup",
            ChatType::Channel => "channel",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "group" => ChatType::Group,
            "supergroup" => ChatType::Supergroup,
            "channel" => ChatType::Channel,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct User {
    pub id: i64,
    pub is_bot: bool,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
    pub is_premium: bool,
    /// Forwards from this user show as `hidden_user` (privacy setting).
    pub hides_forwards: bool,
    pub deactivated: bool,
}

impl User {
    pub fn full_name(&self) -> String {
        match &self.last_name {
            Some(l) if !l.is_empty() => format!("{} {}", self.first_name, l),
            _ => self.first_name.clone(),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Webhook {
    pub url: String,
    pub secret_token: Option<String>,
    pub max_connections: i64,
    pub ip_address: Option<String>,
    pub has_custom_certificate: bool,
    pub last_error_date: Option<i64>,
    pub last_error_message: Option<String>,
    /// Bumped on every change so a running delivery task notices it is stale.
    pub generation: u64,
}

#[derive(Debug, Clone)]
pub struct PendingUpdate {
    pub update_id: i64,
    pub kind: &'static str,
    pub body: Value,
}

#[derive(Debug)]
pub struct Bot {
    pub id: i64,
    pub token: String,
    pub can_join_groups: bool,
    /// Privacy mode off: reads every group message even when not an administrator.
    pub can_read_all_group_messages: bool,
    pub pending: VecDeque<PendingUpdate>,
    pub next_update_id: i64,
    /// `None`: Telegram's default (every kind except chat_member, message_reaction and
    /// message_reaction_count).
    pub allowed_updates: Option<Vec<String>>,
    pub webhook: Option<Webhook>,
    /// Wakes long polls and webhook senders: bumped on every new update and every new poll.
    pub signal: watch::Sender<u64>,
    /// Incremented by each getUpdates call; an older waiting call that sees a newer value
    /// ends with 409.
    pub poll_generation: u64,
    pub commands: BTreeMap<(String, String), Value>,
    pub descriptions: BTreeMap<String, String>,
    pub short_descriptions: BTreeMap<String, String>,
    /// First request seen; `close` answers 429 during the first 10 minutes.
    pub launched_at_ms: Option<i64>,
    /// `logOut` forbids requests until this time.
    pub logged_out_until_ms: Option<i64>,
    /// When the bot's newest update was created: after a week without one, the next
    /// update id is chosen at random instead of sequentially (Bot API, `Update.update_id`).
    pub last_update_ms: Option<i64>,
}

/// "If there are no new updates for at least a week, then identifier of the next update
/// will be chosen randomly instead of sequentially."
pub const UPDATE_ID_RESET_MS: i64 = 7 * 24 * 3600 * 1000;

impl Bot {
    pub fn accepts(&self, kind: &str) -> bool {
        match &self.allowed_updates {
            Some(list) if !list.is_empty() => list.iter().any(|k| k == kind),
            _ => !matches!(
                kind,
                "chat_member" | "message_reaction" | "message_reaction_count"
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MemberStatus {
    Creator,
    Administrator,
    Member,
    Restricted,
    Left,
    Kicked,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Creator => "creator",
            MemberStatus::Administrator => "administrator",
            MemberStatus::Member => "member",
            MemberStatus::Restricted => "restricted",
            MemberStatus::Left => "left",
            MemberStatus::Kicked => "kicked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "creator" => MemberStatus::Creator,
            "administrator" => MemberStatus::Administrator,
            "member" => MemberStatus::Member,
            "restricted" => MemberStatus::Restricted,
            "left" => MemberStatus::Left,
            "kicked" => MemberStatus::Kicked,
            _ => return None,
        })
    }

    pub fn is_present(self) -> bool {
        matches!(
            self,
            MemberStatus::Creator
                | MemberStatus::Administrator
                | MemberStatus::Member
                | MemberStatus::Restricted
        )
    }

    pub fn is_admin(self) -> bool {
        matches!(self, MemberStatus::Creator | MemberStatus::Administrator)
    }
}

/// Administrator rights, as in ChatAdministratorRights. Creators hold all of them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rights {
    pub flags: BTreeSet<String>,
    pub is_anonymous: bool,
}

pub const ADMIN_RIGHTS: &[&str] = &[
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_post_messages",
    "can_edit_messages",
    "can_pin_messages",
    "can_manage_topics",
    "can_manage_direct_messages",
    "can_send_welcome_messages",
];

impl Rights {
    pub fn all() -> Self {
        Self {
            flags: ADMIN_RIGHTS.iter().map(|s| s.to_string()).collect(),
            is_anonymous: false,
        }
    }

    /// Reads a ChatAdministratorRights-shaped JSON object (unknown keys ignored).
    pub fn from_json(v: &Value) -> Self {
        let mut r = Rights::default();
        if let Some(obj) = v.as_object() {
            for (k, val) in obj {
                if k == "is_anonymous" {
                    r.is_anonymous = val.as_bool().unwrap_or(false);
                } else if ADMIN_RIGHTS.contains(&k.as_str()) && val.as_bool() == Some(true) {
                    r.flags.insert(k.clone());
                }
            }
        }
        // Any administrator can manage the chat.
        r.flags.insert("can_manage_chat".into());
        r
    }

    pub fn has(&self, right: &str) -> bool {
        self.flags.contains(right)
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Member {
    pub status: MemberStatus,
    pub rights: Rights,
    pub custom_title: Option<String>,
    pub until_date: i64,
    /// Who added the member (for the chat_member update's `from`).
    pub added_by: Option<i64>,
}

impl Member {
    pub fn new(status: MemberStatus) -> Self {
        let rights = if status == MemberStatus::Creator {
            Rights::all()
        } else {
            Rights::default()
        };
        Self {
            status,
            rights,
            custom_title: None,
            until_date: 0,
            added_by: None,
        }
    }

    pub fn can(&self, right: &str) -> bool {
        match self.status {
            MemberStatus::Creator => true,
            MemberStatus::Administrator => self.rights.has(right),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Topic {
    pub id: i64,
    pub name: String,
    pub icon_color: i64,
    pub icon_custom_emoji_id: Option<String>,
    pub creator: i64,
    pub closed: bool,
    pub deleted: bool,
    /// Archived by Telegram (very large forums): refuses sends like a deleted topic.
    pub archived: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Chat {
    pub key: ChatKey,
    pub kind: ChatType,
    pub title: Option<String>,
    pub username: Option<String>,
    pub is_forum: bool,
    pub description: Option<String>,
    pub members: BTreeMap<i64, Member>,
    pub messages: BTreeMap<i64, Message>,
    pub next_message_id: i64,
    pub topics: BTreeMap<i64, Topic>,
    pub general_closed: bool,
    pub pinned: Vec<i64>,
    pub migrated_to: Option<i64>,
    pub migrated_from: Option<i64>,
    /// Private chats: the user pressed Start at least once.
    pub started: bool,
    /// Private chats: the user blocked the bot.
    pub blocked: bool,
    /// The last bot that posted here (privacy mode: bare commands go to it).
    pub last_bot_sender: Option<i64>,
    pub invite_links: Vec<Value>,
}

impl Chat {
    pub fn new(key: ChatKey, kind: ChatType) -> Self {
        Self {
            key,
            kind,
            title: None,
            username: None,
            is_forum: false,
            description: None,
            members: BTreeMap::new(),
            messages: BTreeMap::new(),
            next_message_id: 1,
            topics: BTreeMap::new(),
            general_closed: false,
            pinned: Vec::new(),
            migrated_to: None,
            migrated_from: None,
            started: false,
            blocked: false,
            last_bot_sender: None,
            invite_links: Vec::new(),
        }
    }

    pub fn member(&self, user: i64) -> Option<&Member> {
        self.members.get(&user)
    }

    pub fn status_of(&self, user: i64) -> MemberStatus {
        self.members
            .get(&user)
            .map_or(MemberStatus::Left, |m| m.status)
    }

    pub fn is_present(&self, user: i64) -> bool {
        self.status_of(user).is_present()
    }

    pub fn message(&self, id: i64) -> Option<&Message> {
        self.messages.get(&id).filter(|m| !m.deleted)
    }

    pub fn alloc_message_id(&mut self) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }
}

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

/// The whole emulated world.
#[derive(Debug)]
pub struct World {
    pub config: Config,
    pub clock: Arc<Clock>,
    pub rng: SmallRng,
    pub users: BTreeMap<i64, User>,
    pub bots: BTreeMap<i64, Bot>,
    pub tokens: HashMap<String, i64>,
    pub chats: BTreeMap<ChatKey, Chat>,
    pub files: Vec<StoredFile>,
    pub callbacks: HashMap<String, CallbackQuery>,
    pub limiter: Limiter,
    next_user_id: i64,
    next_bot_id: i64,
    next_group_id: i64,
    next_supergroup_id: i64,
    next_media_group: u64,
    icon_files: Vec<u64>,
    /// Bumped on every change a viewer could see; the control API's wait endpoint watches it.
    pub changes: watch::Sender<u64>,
}

impl World {
    pub fn new(config: Config, clock: Arc<Clock>, rng: SmallRng) -> Self {
        let limiter = Limiter::new(config.limits.clone());
        let mut w = Self {
            config,
            clock,
            rng,
            users: BTreeMap::new(),
            bots: BTreeMap::new(),
            tokens: HashMap::new(),
            chats: BTreeMap::new(),
            files: Vec::new(),
            callbacks: HashMap::new(),
            limiter,
            next_user_id: 100_000_001,
            next_bot_id: 7_000_000_001,
            next_group_id: 4_000_000_001,
            next_supergroup_id: 1_000_000_001,
            next_media_group: 13_000_000_000_000_001,
            icon_files: Vec::new(),
            changes: watch::channel(0).0,
        };
        // Telegram's own accounts that show up in updates.
        w.users.insert(
            SERVICE_NOTIFICATIONS_ID,
            User {
                id: SERVICE_NOTIFICATIONS_ID,
                is_bot: false,
                first_name: "Telegram".into(),
                last_name: None,
                username: None,
                language_code: None,
                is_premium: false,
                hides_forwards: false,
                deactivated: false,
            },
        );
        w.users.insert(
            GROUP_ANONYMOUS_BOT_ID,
            User {
                id: GROUP_ANONYMOUS_BOT_ID,
                is_bot: true,
                first_name: "Group".into(),
                last_name: None,
                username: Some("GroupAnonymousBot".into()),
                language_code: None,
                is_premium: false,
                hides_forwards: false,
                deactivated: false,
            },
        );
        w
    }

    pub fn now_s(&self) -> i64 {
        self.clock.now_s()
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The id counters and the icon files (for [`World::save`]).
    pub(crate) fn counters(&self) -> (i64, i64, i64, i64, u64, Vec<u64>) {
        (
            self.next_user_id,
            self.next_bot_id,
            self.next_group_id,
            self.next_supergroup_id,
            self.next_media_group,
            self.icon_files.clone(),
        )
    }

    pub(crate) fn set_counters(
        &mut self,
        user: i64,
        bot: i64,
        group: i64,
        supergroup: i64,
        media_group: u64,
        icon_files: Vec<u64>,
    ) {
        self.next_user_id = user;
        self.next_bot_id = bot;
        self.next_group_id = group;
        self.next_supergroup_id = supergroup;
        self.next_media_group = media_group;
        self.icon_files = icon_files;
    }

    /// Tells waiters (control API `wait`) that something visible changed.
    pub fn touch(&self) {
        self.changes.send_modify(|v| *v += 1);
    }

    // ----- people and bots ---------------------------------------------------------------

    pub fn username_taken(&self, username: &str) -> bool {
        let u = username.to_lowercase();
        self.users
            .values()
            .any(|x| x.username.as_deref().map(str::to_lowercase) == Some(u.clone()))
            || self
                .chats
                .values()
                .any(|c| c.username.as_deref().map(str::to_lowercase) == Some(u.clone()))
    }

    pub fn create_user(&mut self, mut user: User) -> Result<i64, String> {
        if let Some(u) = &user.username
            && self.username_taken(u)
        {
            return Err(format!("username @{u} is taken"));
        }
        user.id = self.next_user_id;
        user.is_bot = false;
        self.next_user_id += 1;
        let id = user.id;
        self.users.insert(id, user);
        Ok(id)
    }

    pub fn create_bot(
        &mut self,
        username: &str,
        first_name: &str,
        token: Option<String>,
        privacy_off: bool,
        can_join_groups: bool,
    ) -> Result<(i64, String), String> {
        if !username.to_lowercase().ends_with("bot") {
            return Err("a bot's username must end in 'bot'".into());
        }
        if self.username_taken(username) {
            return Err(format!("username @{username} is taken"));
        }
        let id = match &token {
            Some(t) => {
                let (id, secret) = t
                    .split_once(':')
                    .ok_or("a token looks like 123456:ABC-def")?;
                let id: i64 = id
                    .parse()
                    .map_err(|_| "a token starts with the bot's numeric id")?;
                if id <= 0 || secret.len() < 30 || self.users.contains_key(&id) {
                    return Err("the token's bot id is taken or the secret is too short".into());
                }
                id
            }
            None => {
                let id = self.next_bot_id;
                self.next_bot_id += 1;
                id
            }
        };
        let token = match token {
            Some(t) => t,
            None => {
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
                let secret: String = (0..35)
                    .map(|_| ALPHABET[self.rng.random_range(0..ALPHABET.len())] as char)
                    .collect();
                format!("{id}:{secret}")
            }
        };
        if self.tokens.contains_key(&token) {
            return Err("token already exists".into());
        }
        self.users.insert(
            id,
            User {
                id,
                is_bot: true,
                first_name: first_name.to_string(),
                last_name: None,
                username: Some(username.to_string()),
                language_code: None,
                is_premium: false,
                hides_forwards: false,
                deactivated: false,
            },
        );
        // Update ids start at an arbitrary positive number, as on Telegram.
        let first_update = self.rng.random_range(100_000_000..900_000_000);
        self.bots.insert(
            id,
            Bot {
                id,
                token: token.clone(),
                can_join_groups,
                can_read_all_group_messages: privacy_off,
                pending: VecDeque::new(),
                next_update_id: first_update,
                allowed_updates: None,
                webhook: None,
                signal: watch::channel(0).0,
                poll_generation: 0,
                commands: BTreeMap::new(),
                descriptions: BTreeMap::new(),
                short_descriptions: BTreeMap::new(),
                launched_at_ms: None,
                last_update_ms: None,
                logged_out_until_ms: None,
            },
        );
        self.tokens.insert(token.clone(), id);
        Ok((id, token))
    }

    pub fn user(&self, id: i64) -> ApiResult<&User> {
        self.users
            .get(&id)
            .ok_or_else(|| ApiError::bad_request("user not found"))
    }

    pub fn bot_mut(&mut self, id: i64) -> &mut Bot {
        // Handlers only run for authenticated bots, which are never removed.
        self.bots.entry(id).or_insert_with(|| Bot {
            id,
            token: String::new(),
            can_join_groups: false,
            can_read_all_group_messages: false,
            pending: VecDeque::new(),
            next_update_id: 1,
            allowed_updates: None,
            webhook: None,
            signal: watch::channel(0).0,
            poll_generation: 0,
            commands: BTreeMap::new(),
            descriptions: BTreeMap::new(),
            short_descriptions: BTreeMap::new(),
            launched_at_ms: None,
            logged_out_until_ms: None,
            last_update_ms: None,
        })
    }

    pub fn is_bot(&self, id: i64) -> bool {
        self.bots.contains_key(&id)
    }

    // ----- chats -------------------------------------------------------------------------

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
        }
    }

    // ----- messages ----------------------------------------------------------------------

    pub fn message(&self, key: ChatKey, id: i64) -> Option<&Message> {
        self.chats.get(&key).and_then(|c| c.message(id))
    }

    /// Appends a message to a chat and returns its id. Fan-out of updates is separate
    /// ([`crate::updates::fan_out_message`]).
    pub fn insert_message(&mut self, mut msg: Message) -> ApiResult<i64> {
        let chat = self.chat_mut(msg.chat)?;
        let id = chat.alloc_message_id();
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
