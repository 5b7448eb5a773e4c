//! What a failed call means for its job: wait out a 429, retry later with backoff, follow
//! a migrated group, recreate a deleted topic, stop the connection on a revoked token, or
//! give up with a notice.

use hotline_core::{ChatId, ConnectionStatus};
use hotline_telegram::TgError;

use super::pacer::MAX_BLOCK;
use crate::ctx::ConnCtx;
use hotline_store::Job as StoredJob;

pub(super) fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 7) as u32;
    (500_i64 * 2_i64.pow(exp)).min(60_000)
}

/// What to do about an error that escaped a job: `Some(ms)` to retry, `None` when handled.
pub(super) async fn classify(
    ctx: &ConnCtx,
    stored: &StoredJob,
    e: &TgError,
) -> anyhow::Result<Option<i64>> {
    Ok(match e {
        TgError::RetryAfter(s) => {
            // The pacer was told at the call (`paced_call`); the job waits as long.
            let ms = u64::try_from(MAX_BLOCK.as_millis()).unwrap_or(u64::MAX);
            Some(i64::try_from(s.saturating_mul(1000).min(ms)).unwrap_or(60_000))
        }
        TgError::Migrated(to) => {
            ctx.move_group(ChatId(*to)).await?;
            Some(0)
        }
        e if e.is_transient() => Some(backoff_ms(stored.attempts)),
        TgError::Unauthorized => {
            // The token was revoked: the supervisor marks the connection and stops it.
            return Err(anyhow::anyhow!("bot token rejected by Telegram"));
        }
        other => {
            // Permanent for this call as it stands (missing rights, a misconfigured group):
            // say so on the connection and keep the job, so nothing is lost once it is fixed.
            tracing::warn!(connection = %ctx.id, job = %stored.id.0, "job blocked: {other}");
            // A known cause (the bot's rights in the group) stays on the card: it says more
            // than the raw error it causes.
            let known = ctx
                .store
                .connections()
                .get(ctx.id)
                .await?
                .and_then(|c| c.status_error)
                .is_some_and(|e| crate::connect::GroupProblem::parse(&e).is_some());
            if !known {
                ctx.store
                    .connections()
                    .set_status(ctx.id, ConnectionStatus::Error, Some(&other.to_string()))
                    .await?;
            }
            Some(backoff_ms(stored.attempts))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff_ms(0), 500);
        assert_eq!(backoff_ms(3), 4_000);
        assert_eq!(backoff_ms(50), 60_000);
    }
}
