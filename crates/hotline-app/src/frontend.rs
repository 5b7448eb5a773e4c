//! The frontend port: what customers write to, and what it can do. A connection's customers
//! reach either its **bot** (the bot's own private chats) or a **Telegram Business** account
//! (a Premium user's private chats, which the connection's bot works in on the account's
//! behalf). The relay, the lifecycle, the commands and the modules are written once against
//! this port: they ask [`Frontend::abilities`] what the frontend allows (writing first,
//! seeing deletions, a reply window) and send every call into a customer's chat through
//! [`Frontend::to_customer`], which adapts it (on behalf of the account) or refuses it.
//!
//! The MTProto account frontend (a later issue) becomes a third variant translating the same
//! calls into MTProto.

use serde_json::Value;

use hotline_core::MessageId;
use hotline_store::Connection;
use hotline_telegram::TgError;
use hotline_telegram::business::{self, Link};
use hotline_telegram::requests::Request;

/// A connection's frontend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frontend {
    /// A bot: customers write to it directly.
    Bot,
    /// A Telegram Business account, worked by the connection's bot through this connection
    /// (as Telegram last described it).
    Business(Link),
}

/// What a frontend can do; the product adapts to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abilities {
    /// May write to someone who has not written (`/new`, broadcasts).
    pub write_first: bool,
    /// Telegram reports a customer's deletions.
    pub sees_deletions: bool,
    /// Answers are accepted only this long after the customer's last message.
    pub reply_window_ms: Option<i64>,
    /// Messages can be copied from and into the customer's chat by id (`copyMessage`);
    /// otherwise they travel as kept content ([`hotline_telegram::resend`]).
    pub copies: bool,
}

/// 24 hours: a business bot may answer a person who wrote within this window (Bot API,
/// BusinessBotRights.can_reply).
pub const BUSINESS_REPLY_WINDOW_MS: i64 = 24 * 3600 * 1000;

impl Frontend {
    /// The frontend a stored connection has: a business connection whose stored link does
    /// not read is an error (the connection cannot run without knowing whose chats it
    /// serves).
    pub fn of(conn: &Connection) -> anyhow::Result<Frontend> {
        if conn.kind != "business" {
            return Ok(Frontend::Bot);
        }
        let link = conn
            .business
            .as_deref()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .as_ref()
            .and_then(Link::from_json)
            .ok_or_else(|| {
                anyhow::anyhow!("the stored Telegram Business connection is unreadable")
            })?;
        Ok(Frontend::Business(link))
    }

    pub fn abilities(&self) -> Abilities {
        match self {
            Frontend::Bot => Abilities {
                write_first: true,
                sees_deletions: false,
                reply_window_ms: None,
                copies: true,
            },
            Frontend::Business(_) => Abilities {
                write_first: false,
                sees_deletions: true,
                reply_window_ms: Some(BUSINESS_REPLY_WINDOW_MS),
                copies: false,
            },
        }
    }

    /// The business connection, for a business frontend.
    pub fn business(&self) -> Option<&Link> {
        match self {
            Frontend::Business(l) => Some(l),
            Frontend::Bot => None,
        }
    }

    /// The call `r` (written for a bot's private chat) as the frontend makes it: unchanged
    /// for a bot; on behalf of the account for a business frontend (`deleteMessage` becomes
    /// `deleteBusinessMessages`). A call the frontend cannot make is refused without
    /// reaching Telegram.
    pub fn to_customer(&self, r: Request) -> Result<Request, TgError> {
        let Frontend::Business(link) = self else {
            return Ok(r);
        };
        if !link.enabled {
            return Err(TgError::BusinessConnectionInvalid);
        }
        if r.method == "deleteMessage" {
            let id = r.params.get("message_id").and_then(Value::as_i64);
            return match id {
                Some(m) => Ok(business::delete_messages(&link.id, &[MessageId(m)])),
                None => Err(TgError::BadRequest("no message to delete".into())),
            };
        }
        let method = r.method.clone();
        r.on_behalf(&link.id).ok_or_else(|| {
            TgError::NotAllowed(format!(
                "{method} cannot act on behalf of a business account"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use hotline_core::ChatId;
    use hotline_telegram::requests::{copy_messages, delete_message, send_message};
    use serde_json::json;

    use super::*;

    fn business(enabled: bool) -> Frontend {
        let v = json!({
            "id": "bc1", "user_chat_id": 5, "date": 1, "is_enabled": enabled,
            "user": { "id": 5, "is_bot": false, "first_name": "Olga" },
            "rights": { "can_reply": true }
        });
        Frontend::Business(Link::from_json(&v).expect("a BusinessConnection"))
    }

    #[test]
    fn a_bot_sends_as_itself_and_may_write_first() {
        let r = send_message(ChatId(7), "hi");
        assert_eq!(Frontend::Bot.to_customer(r.clone()), Ok(r));
        assert!(Frontend::Bot.abilities().write_first);
    }

    #[test]
    fn a_business_account_sends_on_its_own_behalf_and_never_copies() {
        let f = business(true);
        assert!(!f.abilities().write_first && f.abilities().sees_deletions);
        let r = f.to_customer(send_message(ChatId(7), "hi")).expect("sent");
        assert_eq!(r.params["business_connection_id"], "bc1");
        let d = f
            .to_customer(delete_message(ChatId(7), MessageId(3)))
            .expect("deleted");
        assert_eq!(
            (d.method.as_str(), &d.params["message_ids"]),
            ("deleteBusinessMessages", &json!([3]))
        );
        assert!(matches!(
            f.to_customer(copy_messages(ChatId(7), ChatId(8), &[MessageId(1)])),
            Err(TgError::NotAllowed(_))
        ));
        assert_eq!(
            business(false).to_customer(send_message(ChatId(7), "hi")),
            Err(TgError::BusinessConnectionInvalid)
        );
    }
}
