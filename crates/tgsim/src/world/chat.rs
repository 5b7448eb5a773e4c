//! Types: chats, chat kinds, memberships, administrator rights and forum topics.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Message;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ChatKey {
    /// The private chat between a bot and a user.
    Private { bot: i64, user: i64 },
    /// A group, supergroup or channel, by its (negative) chat id.
    Group(i64),
    /// The private chat between two people (`a < b`): bots see it only through a Telegram
    /// Business connection of one of them. One message id sequence serves both sides (on
    /// Telegram each account numbers its own copy; bots only ever see the business
    /// account's numbers).
    Personal { a: i64, b: i64 },
}

impl ChatKey {
    /// The personal chat between two people, whichever order they are named in.
    pub fn personal(x: i64, y: i64) -> Self {
        ChatKey::Personal {
            a: x.min(y),
            b: x.max(y),
        }
    }
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
