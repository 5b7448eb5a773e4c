//! Types: users, bots, their webhooks and pending updates.

use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;
use tokio::sync::watch;

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
    /// The people in this user's contact list (business recipients: contacts, non-contacts).
    #[serde(default)]
    pub contacts: std::collections::BTreeSet<i64>,
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
    /// Business Mode enabled in @BotFather (getMe's `can_connect_to_business`).
    pub can_connect_to_business: bool,
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
