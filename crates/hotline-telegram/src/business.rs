//! Telegram Business: a connection between this bot and a Premium user's account
//! (BusinessConnection), and the calls that act on behalf of that account.
//!
//! On a business connection the bot answers as the account with `business_connection_id`
//! on the sending and editing methods ([`Request::on_behalf`]); `copyMessage` and
//! `forwardMessage` take no such parameter and cannot read the account's chats, so messages
//! travel as kept content ([`crate::resend`]) with the bot's own file ids.

use hotline_core::{MessageId, UserId};
use serde_json::{Value, json};

use crate::requests::Request;

/// Methods that act on behalf of a business account when given `business_connection_id`
/// (Bot API: the sending methods, `sendMediaGroup`, `sendChatAction`, the edit methods,
/// `stopPoll`, pinning).
pub const ON_BEHALF: &[&str] = &[
    "sendMessage",
    "sendPhoto",
    "sendVideo",
    "sendAnimation",
    "sendDocument",
    "sendAudio",
    "sendVoice",
    "sendVideoNote",
    "sendSticker",
    "sendLocation",
    "sendVenue",
    "sendContact",
    "sendPoll",
    "sendDice",
    "sendMediaGroup",
    "sendChatAction",
    "editMessageText",
    "editMessageCaption",
    "editMessageMedia",
    "editMessageReplyMarkup",
    "stopPoll",
    "pinChatMessage",
    "unpinChatMessage",
];

/// What the business account allows the bot (BusinessBotRights; only those Hotline uses).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rights {
    /// Send and edit in chats with a message from the person in the last 24 hours.
    pub reply: bool,
    pub read_messages: bool,
    pub delete_sent_messages: bool,
    pub delete_all_messages: bool,
}

/// A business connection as Telegram describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub id: String,
    /// The business account.
    pub owner: UserId,
    /// Its name as Telegram shows it (first and last name).
    pub owner_name: String,
    pub owner_username: Option<String>,
    pub enabled: bool,
    pub rights: Rights,
}

impl Link {
    /// Reads a BusinessConnection object (an update's `business_connection`, or
    /// `getBusinessConnection`'s answer); `None` when it is not one.
    pub fn from_json(v: &Value) -> Option<Link> {
        let id = v.get("id")?.as_str()?.to_string();
        let user = v.get("user")?;
        let owner = UserId(user.get("id")?.as_i64()?);
        let first = user.get("first_name").and_then(Value::as_str).unwrap_or("");
        let owner_name = match user.get("last_name").and_then(Value::as_str) {
            Some(last) if !last.is_empty() => format!("{first} {last}"),
            _ => first.to_string(),
        };
        let right = |name: &str| {
            v.get("rights")
                .and_then(|r| r.get(name))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        Some(Link {
            id,
            owner,
            owner_name,
            owner_username: user
                .get("username")
                .and_then(Value::as_str)
                .map(str::to_string),
            enabled: v.get("is_enabled")?.as_bool()?,
            rights: Rights {
                reply: right("can_reply"),
                read_messages: right("can_read_messages"),
                delete_sent_messages: right("can_delete_sent_messages"),
                delete_all_messages: right("can_delete_all_messages"),
            },
        })
    }
}

impl Request {
    /// On behalf of the business account of connection `id`; `None` for a method that
    /// cannot act on behalf of one (a copy, a forward): such a call would reach the bot's
    /// own chat with the person instead.
    pub fn on_behalf(self, id: &str) -> Option<Self> {
        if !ON_BEHALF.contains(&self.method.as_str()) {
            return None;
        }
        let mut r = self;
        if let Some(o) = r.params.as_object_mut() {
            o.insert("business_connection_id".into(), json!(id));
        }
        Some(r)
    }
}

/// `getBusinessConnection`: the connection re-read (after a restart, or on a message from a
/// connection not seen yet).
pub fn get_connection(id: &str) -> Request {
    Request {
        method: "getBusinessConnection".into(),
        params: json!({ "business_connection_id": id }),
    }
}

/// `deleteBusinessMessages`: messages of one of the account's chats (1–100 ids).
pub fn delete_messages(id: &str, messages: &[MessageId]) -> Request {
    let ids: Vec<i64> = messages.iter().map(|m| m.0).collect();
    Request {
        method: "deleteBusinessMessages".into(),
        params: json!({ "business_connection_id": id, "message_ids": ids }),
    }
}

#[cfg(test)]
mod tests {
    use hotline_core::ChatId;

    use super::*;
    use crate::requests::{copy_messages, send_message};

    #[test]
    fn a_connection_reads_with_its_owner_and_rights() {
        let v = json!({
            "id": "abc", "user_chat_id": 5, "date": 1, "is_enabled": true,
            "user": { "id": 5, "is_bot": false, "first_name": "Olga", "last_name": "K", "username": "olga" },
            "rights": { "can_reply": true, "can_delete_sent_messages": true }
        });
        let l = Link::from_json(&v).expect("a BusinessConnection");
        assert_eq!(l.owner, UserId(5));
        assert_eq!(l.owner_name, "Olga K");
        assert_eq!(l.owner_username.as_deref(), Some("olga"));
        assert!(l.enabled);
        assert_eq!(
            l.rights,
            Rights {
                reply: true,
                delete_sent_messages: true,
                ..Rights::default()
            }
        );
        assert_eq!(Link::from_json(&json!({ "id": "abc" })), None);
    }

    #[test]
    fn only_methods_that_take_a_business_connection_get_one() {
        let r = send_message(ChatId(7), "hi")
            .on_behalf("abc")
            .expect("sendMessage takes it");
        assert_eq!(r.params["business_connection_id"], "abc");
        assert_eq!(
            copy_messages(ChatId(7), ChatId(8), &[MessageId(1)]).on_behalf("abc"),
            None,
            "a copy would reach the bot's own chat with the person"
        );
    }
}
