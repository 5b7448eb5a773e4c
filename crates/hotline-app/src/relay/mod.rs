//! The relay: a customer's message becomes a copy in their topic ([`customer`]), an
//! operator's message in a topic becomes a copy to the customer ([`operator`]), and edits
//! follow on both sides. The dialog's status changes go through [`crate::lifecycle`].

mod customer;
mod operator;

pub use customer::customer_message;
pub use operator::operator_message;

use serde_json::Value;

use crate::ctx::ConnCtx;
use crate::jobs::Kept;

/// The message itself, kept with its copy job when the frontend cannot copy by id
/// (Telegram Business: the bot cannot read the account's chats by message id).
pub(crate) fn kept(ctx: &ConnCtx, raw: &Value) -> Option<Kept> {
    (!ctx.frontend().abilities().copies).then(|| Kept::of(raw))
}

/// When a copy may go: at once, or after the album window so every item of an album is
/// queued before the album is sent as one.
pub(crate) fn copy_due(ctx: &ConnCtx, in_album: bool, now: i64) -> i64 {
    if in_album {
        now + i64::try_from(ctx.settings.album_window_ms).unwrap_or(i64::MAX / 2)
    } else {
        now
    }
}

/// Message fields that carry content; a message with none of them is a service message.
pub(crate) const CONTENT_KEYS: &[&str] = &[
    "text",
    "caption",
    "photo",
    "video",
    "audio",
    "voice",
    "document",
    "animation",
    "sticker",
    "video_note",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
    "game",
    "invoice",
];

/// What a message carries, for the metrics: its first content field (a caption goes with
/// its media), `other` for anything else.
pub(crate) fn content_kind(message: &Value) -> &'static str {
    CONTENT_KEYS
        .iter()
        .filter(|k| **k != "caption" && **k != "text")
        .chain(std::iter::once(&"text"))
        .find(|k| message.get(**k).is_some())
        .copied()
        .unwrap_or("other")
}
