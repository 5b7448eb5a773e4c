//! Telegram Business: a Premium user connects a bot (Settings → Telegram Business →
//! Chatbots), choosing the chats it may work in and the rights it has; the bot then receives
//! the private chats of that account and answers in them as the account.
//!
//! Facts (Bot API: BusinessConnection, BusinessBotRights, getBusinessConnection,
//! deleteBusinessMessages; MTProto: account.updateConnectedBot, businessBotRecipients,
//! messages.sendMessage's errors): one chatbot per account (connecting another replaces it);
//! recipients are existing chats, new chats, contacts, non-contacts and include / exclude
//! lists; sending needs `can_reply` and a message from the person in the last 24 hours
//! (`BUSINESS_PEER_USAGE_MISSING`). Not documented, chosen here and named in the README of
//! tgsim's tests: reconnecting after a disconnect gets a new connection id; a disabled or
//! foreign connection id is `BUSINESS_CONNECTION_INVALID`; a missing right is
//! `403 BOT_ACCESS_FORBIDDEN`.

use std::collections::BTreeSet;

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{ChatKey, Sender, World};

/// The rights a business bot can be granted (BusinessBotRights), in the documented order.
pub const BUSINESS_RIGHTS: &[&str] = &[
    "can_reply",
    "can_read_messages",
    "can_delete_sent_messages",
    "can_delete_all_messages",
    "can_edit_name",
    "can_edit_bio",
    "can_edit_profile_photo",
    "can_edit_username",
    "can_change_gift_settings",
    "can_view_gifts_and_stars",
    "can_convert_gifts_to_stars",
    "can_transfer_and_upgrade_gifts",
    "can_transfer_stars",
    "can_manage_stories",
];

/// 24 hours: a business bot may answer a person who wrote within this window.
pub const REPLY_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// Which private chats of the account the bot works in (businessBotRecipients).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recipients {
    #[serde(default)]
    pub existing_chats: bool,
    #[serde(default)]
    pub new_chats: bool,
    #[serde(default)]
    pub contacts: bool,
    #[serde(default)]
    pub non_contacts: bool,
    /// Always included.
    #[serde(default)]
    pub users: Vec<i64>,
    /// Always excluded (wins over everything else).
    #[serde(default)]
    pub exclude_users: Vec<i64>,
}

impl Recipients {
    pub fn is_empty(&self) -> bool {
        !(self.existing_chats || self.new_chats || self.contacts || self.non_contacts)
            && self.users.is_empty()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BusinessConnection {
    pub id: String,
    pub bot: i64,
    /// The business account (a Premium user).
    pub owner: i64,
    /// When the connection was established (Unix seconds); chats with messages before it are
    /// "existing chats".
    pub date: i64,
    pub date_ms: i64,
    pub enabled: bool,
    pub rights: BTreeSet<String>,
    pub recipients: Recipients,
    /// The people whose chat with the owner had messages when the bot was connected: the
    /// "existing chats" (taken at that moment, so the same millisecond cannot blur it).
    #[serde(default)]
    pub existing: BTreeSet<i64>,
}

impl BusinessConnection {
    pub fn can(&self, right: &str) -> bool {
        self.rights.contains(right)
    }
}

/// Why Telegram refuses to connect a bot (the MTProto errors of account.updateConnectedBot).
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectRefusal {
    PremiumRequired,
    NotBusinessBot,
    RecipientsEmpty,
}

impl ConnectRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            ConnectRefusal::PremiumRequired => "PREMIUM_ACCOUNT_REQUIRED",
            ConnectRefusal::NotBusinessBot => "BOT_BUSINESS_MISSING",
            ConnectRefusal::RecipientsEmpty => "BUSINESS_RECIPIENTS_EMPTY",
        }
    }
}

impl World {
    /// Connects `bot` to `owner`'s account, or changes the connection's rights and
    /// recipients. Returns the connection id and whether it is a new connection (the bot
    /// previously connected to this account, if any other, is disconnected).
    pub fn connect_business(
        &mut self,
        owner: i64,
        bot: i64,
        recipients: Recipients,
        rights: BTreeSet<String>,
    ) -> Result<(String, Option<String>), ConnectRefusal> {
        let premium = self
            .users
            .get(&owner)
            .is_some_and(|u| u.is_premium && !u.is_bot);
        if !premium {
            return Err(ConnectRefusal::PremiumRequired);
        }
        if !self
            .bots
            .get(&bot)
            .is_some_and(|b| b.can_connect_to_business)
        {
            return Err(ConnectRefusal::NotBusinessBot);
        }
        if recipients.is_empty() {
            return Err(ConnectRefusal::RecipientsEmpty);
        }
        let rights: BTreeSet<String> = rights
            .into_iter()
            .filter(|r| BUSINESS_RIGHTS.contains(&r.as_str()))
            .collect();
        // One chatbot per account: another bot's connection ends.
        let replaced = self
            .business
            .values_mut()
            .find(|c| c.owner == owner && c.enabled && c.bot != bot)
            .map(|c| {
                c.enabled = false;
                c.id.clone()
            });
        if let Some(c) = self
            .business
            .values_mut()
            .find(|c| c.owner == owner && c.bot == bot && c.enabled)
        {
            c.rights = rights;
            c.recipients = recipients;
            return Ok((c.id.clone(), replaced));
        }
        let id = self.new_business_id();
        let existing: BTreeSet<i64> = self
            .chats
            .iter()
            .filter(|(_, c)| !c.messages.is_empty())
            .filter_map(|(k, _)| match *k {
                ChatKey::Personal { a, b } if a == owner => Some(b),
                ChatKey::Personal { a, b } if b == owner => Some(a),
                _ => None,
            })
            .collect();
        let conn = BusinessConnection {
            id: id.clone(),
            bot,
            owner,
            date: self.now_s(),
            date_ms: self.now_ms(),
            enabled: true,
            rights,
            recipients,
            existing,
        };
        self.business.insert(id.clone(), conn);
        self.touch();
        Ok((id, replaced))
    }

    /// Ends `owner`'s connection with its bot; returns its id.
    pub fn disconnect_business(&mut self, owner: i64) -> Option<String> {
        let c = self
            .business
            .values_mut()
            .find(|c| c.owner == owner && c.enabled)?;
        c.enabled = false;
        let id = c.id.clone();
        self.touch();
        Some(id)
    }

    fn new_business_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        loop {
            let id: String = (0..22)
                .map(|_| ALPHABET[self.rng.random_range(0..ALPHABET.len())] as char)
                .collect();
            if !self.business.contains_key(&id) {
                return id;
            }
        }
    }

    /// The enabled connection of `owner`, if any.
    pub fn business_of(&self, owner: i64) -> Option<&BusinessConnection> {
        self.business
            .values()
            .find(|c| c.owner == owner && c.enabled)
    }

    /// Whether `owner`'s connection covers the private chat with `person`.
    pub fn business_covers(&self, conn: &BusinessConnection, person: i64) -> bool {
        let r = &conn.recipients;
        if r.exclude_users.contains(&person) {
            return false;
        }
        if r.users.contains(&person) {
            return true;
        }
        if self.users.get(&person).is_none_or(|u| u.is_bot) {
            return false;
        }
        let existing = conn.existing.contains(&person);
        let contact = self
            .users
            .get(&conn.owner)
            .is_some_and(|u| u.contacts.contains(&person));
        (r.existing_chats && existing)
            || (r.new_chats && !existing)
            || (r.contacts && contact)
            || (r.non_contacts && !contact)
    }

    /// The connection through which `bot` sees the personal chat `key`, and the person on the
    /// other side (the customer, as the chat is named for the bot).
    pub fn business_view(&self, bot: i64, key: ChatKey) -> Option<(&BusinessConnection, i64)> {
        let ChatKey::Personal { a, b } = key else {
            return None;
        };
        [(a, b), (b, a)].into_iter().find_map(|(owner, other)| {
            self.business_of(owner)
                .filter(|c| c.bot == bot && self.business_covers(c, other))
                .map(|c| (c, other))
        })
    }

    /// Every bot that sees the personal chat `key` through a business connection.
    pub fn business_viewers(&self, key: ChatKey) -> Vec<i64> {
        let ChatKey::Personal { a, b } = key else {
            return Vec::new();
        };
        [(a, b), (b, a)]
            .into_iter()
            .filter_map(|(owner, other)| {
                self.business_of(owner)
                    .filter(|c| self.business_covers(c, other))
                    .map(|c| c.bot)
            })
            .collect()
    }

    /// Whether `person` wrote in `key` within the last 24 hours.
    pub fn wrote_recently(&self, key: ChatKey, person: i64) -> bool {
        let since = self.now_ms() - REPLY_WINDOW_MS;
        self.chats.get(&key).is_some_and(|c| {
            c.messages
                .values()
                .rev()
                .any(|m| m.date_ms >= since && !m.service && m.sender == Sender::User(person))
        })
    }
}
