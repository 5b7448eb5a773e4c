//! The emulated Telegram world: users, bots, chats, memberships, messages, topics and files.
//!
//! Everything here is plain data behind one mutex (see [`crate::Sim`]). Method handlers in
//! [`crate::methods`] and the control API in [`crate::control`] mutate it; rendering to Bot API
//! JSON happens per viewing bot in [`crate::render`], because file ids are scoped to a bot.

mod business;
mod chat;
mod message;
mod ops_chats;
mod ops_messages;
mod ops_users;
mod user;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rand::rngs::SmallRng;
use tokio::sync::watch;

pub use business::{
    BUSINESS_RIGHTS, BusinessConnection, ConnectRefusal, REPLY_WINDOW_MS, Recipients,
};
pub use chat::{ADMIN_RIGHTS, Chat, ChatKey, ChatType, Member, MemberStatus, Rights, Topic};
pub use message::{CallbackQuery, MEDIA_KINDS, Message, Sender, StoredFile};
pub use user::{Bot, PendingUpdate, UPDATE_ID_RESET_MS, User, Webhook};

use crate::clock::Clock;
use crate::config::Config;
use crate::limits::Limiter;

/// The user id Telegram shows for anonymous group administrators.
pub const GROUP_ANONYMOUS_BOT_ID: i64 = 1_087_968_824;
/// Telegram's service-notifications account.
pub const SERVICE_NOTIFICATIONS_ID: i64 = 777_000;
/// 48 hours, the documented delete window.
pub const WINDOW_48H_MS: i64 = 48 * 3600 * 1000;

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
    /// Telegram Business connections by id (disabled ones kept: their id stays invalid).
    pub business: BTreeMap<String, BusinessConnection>,
    pub limiter: Limiter,
    next_user_id: i64,
    next_bot_id: i64,
    next_group_id: i64,
    next_supergroup_id: i64,
    next_media_group: u64,
    /// Message ids of personal chats (one sequence, as a user account has).
    next_personal_message: i64,
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
            business: BTreeMap::new(),
            limiter,
            next_user_id: 100_000_001,
            next_bot_id: 7_000_000_001,
            next_group_id: 4_000_000_001,
            next_supergroup_id: 1_000_000_001,
            next_media_group: 13_000_000_000_000_001,
            next_personal_message: 1,
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
                contacts: Default::default(),
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
                contacts: Default::default(),
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
}
