//! The relay: a customer's message becomes a copy in their topic ([`customer`]), an
//! operator's message in a topic becomes a copy to the customer ([`operator`]), and edits
//! follow on both sides. The dialog's status changes go through [`crate::lifecycle`].

mod customer;
mod operator;

pub use customer::customer_message;
pub use operator::operator_message;

use crate::ctx::ConnCtx;

/// When a copy may go: at once, or after the album window so every item of an album is
/// queued before the album is sent as one.
pub(crate) fn copy_due(ctx: &ConnCtx, in_album: bool, now: i64) -> i64 {
    if in_album {
        now + i64::try_from(ctx.settings.album_window_ms).unwrap_or(i64::MAX / 2)
    } else {
        now
    }
}
