//! Kept messages sent again: a template to a customer (`/send NAME`, a tag that sends one),
//! or into General as a preview. Each call's success is written into the job (`done`), so a
//! retry after a failure mid-chain goes on from there instead of repeating the start.

use hotline_core::{ChatId, DialogId, MessageId};
use hotline_store::Job as StoredJob;
use hotline_telegram::TgError;
use hotline_telegram::resend;

use super::copies::{answered, cannot_reach, unreachable};
use super::topics::notice_after;
use super::worker::Worker;
use super::{Outcome, call, db};
use crate::ctx::ConnCtx;
use crate::jobs::Job;
use crate::notices;

pub(super) async fn send(
    ctx: &ConnCtx,
    w: &Worker,
    stored: &StoredJob,
    job: &Job,
) -> Result<Outcome, TgError> {
    let (chat, items, reply_to, done, dialog) = match job {
        Job::SendTemplate {
            dialog,
            customer,
            items,
            done,
            ..
        } => (*customer, items, None, *done, Some(*dialog)),
        Job::GeneralChain {
            items,
            reply_to,
            done,
        } => (ctx.group().0, items, *reply_to, *done, None),
        _ => return Ok(Outcome::Done),
    };
    let calls = resend::calls(items, ChatId(chat));
    for (i, mut r) in calls.into_iter().enumerate().skip(done) {
        if let Some(m) = reply_to {
            r = r.reply_to(MessageId(m));
        }
        match call(ctx, w, chat, &r).await {
            Ok(_) => {
                let mut next = job.clone();
                if let Job::SendTemplate { done, .. } | Job::GeneralChain { done, .. } = &mut next {
                    *done = i + 1;
                }
                let payload =
                    serde_json::to_string(&next).map_err(|e| TgError::Transient(e.to_string()))?;
                ctx.store
                    .outbox()
                    .update_payload(stored.id, &payload)
                    .await
                    .map_err(db)?;
            }
            Err(e) => return failed(ctx, dialog, e).await,
        }
    }
    if let Some(d) = dialog {
        answered(ctx, d, ctx.now()).await?;
    }
    Ok(Outcome::Done)
}

/// A call of the chain failed: retried (transient, a flood wait, a migration), or reported
/// in the topic (the customer blocked the bot, Telegram refused the content).
async fn failed(ctx: &ConnCtx, dialog: Option<i64>, e: TgError) -> Result<Outcome, TgError> {
    if e.is_transient() || matches!(e, TgError::Migrated(_) | TgError::Unauthorized) {
        return Err(e);
    }
    let Some(id) = dialog else {
        tracing::warn!(connection = %ctx.id, "a template could not be shown in General: {e}");
        return Ok(Outcome::Done);
    };
    let Some(d) = ctx.store.dialogs().get(DialogId(id)).await.map_err(db)? else {
        return Ok(Outcome::Done);
    };
    if cannot_reach(&e) {
        unreachable(ctx, &d, &e).await?;
    } else {
        notice_after(ctx, &d, &notices::not_delivered(ctx.cfg().lang, &e)).await?;
    }
    Ok(Outcome::Done)
}
