//! The delivery worker: executes a connection's outbox jobs.
//!
//! Order: jobs of one lane (one topic, one customer) run strictly in order; among lanes whose
//! head is due, relayed messages go before notices and notices before cosmetic renames.
//! Pace: every call is admitted by a [`Pacer`] keyed per bot, per chat and per group, so our
//! own pace never provokes a 429. Failures: 429 → wait `retry_after` (the lane's head is
//! kept, so order holds); 5xx, timeouts, dropped connections → retry with backoff; a deleted
//! topic → a new topic and redelivery there; an upgraded group → follow it; a blocked or
//! deleted customer → marked unreachable, with a notice in the topic; anything permanent →
//! a notice in the topic. Nothing is dropped silently.
//!
//! Rooms: [`pacer`] (spacing per bot, chat and group; 429 blocks), [`classify`] (what a
//! failed call means for its job), [`topics`] (creating, naming, closing and reopening
//! topics; notices), [`copies`] (copies both ways, albums, edits mirrored) and [`private`]
//! (messages to customers, customer cards and admin alerts through the setup bot).

mod classify;
mod copies;
mod lanes;
mod pacer;
mod private;
mod topics;

pub use pacer::Pacer;

use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::Value;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use hotline_core::DialogId;
use hotline_store::{Dialog, Job as StoredJob};
use hotline_telegram::TgError;
use hotline_telegram::requests::Request;

use classify::classify;
use copies::{copy, edit_later, mirror};
use lanes::Lanes;
use private::{admin_alert, private_card, send_customer};
use topics::{ensure_topic, notice_now, rename, thread_notice, topic_state};

use crate::ctx::ConnCtx;
use crate::jobs::Job;

pub(super) enum Outcome {
    Done,
    /// Done, and the job is already removed.
    Finished,
}

/// The chat a job writes into (its flood-limit budget).
pub(super) fn target_chat(ctx: &ConnCtx, job: &Job) -> i64 {
    match job {
        Job::CopyOut { customer, .. } | Job::SendCustomer { customer, .. } => *customer,
        Job::Mirror { chat, .. } => *chat,
        Job::EditLater {
            customer,
            inbound: false,
            ..
        } => *customer,
        Job::PrivateCard { users, .. } | Job::AdminAlert { users, .. } => {
            users.first().copied().unwrap_or_default()
        }
        _ => ctx.group().0,
    }
}

/// How often the worker re-reads every lane while the backlog is small ([`lanes`]).
const RESYNC_EVERY: Duration = Duration::from_secs(5);

/// Runs until cancelled: the due heads of different lanes run at once, up to
/// `delivery_concurrency` calls for this connection and `delivery_concurrency_total` for the
/// instance, each lane strictly one job after another. At a stop, calls in flight finish.
pub async fn run(ctx: &ConnCtx, cancel: CancellationToken) -> anyhow::Result<()> {
    let pacer = Pacer::new(ctx.settings.pacing);
    let limit = ctx.settings.delivery_concurrency.max(1);
    let mut view = Lanes::default();
    view.resync(ctx).await?;
    let mut resync_at = Instant::now() + RESYNC_EVERY;
    let mut inflight = FuturesUnordered::new();
    let mut spare: Option<OwnedSemaphorePermit> = None;
    let mut fresh = true;
    let mut failure = None;
    while failure.is_none() && !cancel.is_cancelled() {
        if !fresh {
            if Instant::now() >= resync_at && view.len() < lanes::RESYNC_MAX_LANES {
                view.resync(ctx).await?;
                resync_at = Instant::now() + RESYNC_EVERY;
            } else {
                view.load_new(ctx).await?;
            }
            fresh = true;
        }
        let now_ms = ctx.now();
        let now = Instant::now();
        let mut next_wake = resync_at.saturating_duration_since(now);
        let mut starved = false;
        while inflight.len() < limit {
            let permit = match spare.take() {
                Some(p) => p,
                None => match ctx.delivery_slots.clone().try_acquire_owned() {
                    Ok(p) => p,
                    Err(_) => {
                        starved = true;
                        break;
                    }
                },
            };
            let head = view.take(|j| {
                let wait = if j.not_before > now_ms {
                    Some(Duration::from_millis(
                        (j.not_before - now_ms).unsigned_abs(),
                    ))
                } else {
                    parse(j)
                        .ok()
                        .and_then(|job| pacer.wait(target_chat(ctx, &job), now))
                };
                if let Some(d) = wait {
                    next_wake = next_wake.min(d);
                }
                wait.is_none()
            });
            let Some(stored) = head else {
                spare = Some(permit);
                break;
            };
            let pacer = &pacer;
            inflight.push(async move {
                let r = run_one(ctx, pacer, &stored).await;
                drop(permit);
                (stored.lane, r)
            });
        }
        tokio::select! {
            Some((lane, r)) = inflight.next(), if !inflight.is_empty() => match r {
                Ok(next) => view.finished(&lane, next),
                Err(e) => failure = Some(e),
            },
            () = ctx.work.notified() => fresh = false,
            p = ctx.delivery_slots.clone().acquire_owned(), if starved => spare = p.ok(),
            () = tokio::time::sleep(next_wake) => fresh = false,
            () = cancel.cancelled() => {}
        }
    }
    // A stop or a failure: what is in flight finishes (its outcome is recorded), nothing new
    // starts.
    while let Some((_, r)) = inflight.next().await {
        if let Err(e) = r
            && failure.is_none()
        {
            failure = Some(e);
        }
    }
    failure.map_or(Ok(()), Err)
}

fn parse(stored: &StoredJob) -> serde_json::Result<Job> {
    serde_json::from_str(&stored.payload)
}

/// Runs one lane head and reads the lane's next head afterwards.
async fn run_one(
    ctx: &ConnCtx,
    pacer: &Pacer,
    stored: &StoredJob,
) -> anyhow::Result<Option<StoredJob>> {
    match parse(stored) {
        Ok(job) => execute(ctx, pacer, stored, job).await?,
        Err(e) => {
            tracing::error!(
                connection = %ctx.id,
                job = %stored.id.0,
                "unreadable job dropped: {e}"
            );
            ctx.store.outbox().done(stored.id).await?;
        }
    }
    let next = ctx.store.outbox().lane(ctx.id, &stored.lane, 1).await?;
    Ok(next.into_iter().next())
}

pub(super) async fn execute(
    ctx: &ConnCtx,
    pacer: &Pacer,
    stored: &StoredJob,
    job: Job,
) -> anyhow::Result<()> {
    let outcome = match &job {
        Job::CreateTopic { dialog } => match ctx.store.dialogs().get(DialogId(*dialog)).await? {
            Some(d) => ensure_topic(ctx, pacer, &d).await.map(|_| Outcome::Done),
            None => Ok(Outcome::Done),
        },
        Job::CopyIn { .. } | Job::CopyOut { .. } => copy(ctx, pacer, stored, &job).await,
        Job::Mirror {
            dialog,
            chat,
            method,
            params,
        } => mirror(ctx, pacer, *dialog, *chat, method, params).await,
        Job::EditLater {
            dialog,
            customer,
            inbound,
            message_id,
            raw,
        } => edit_later(ctx, pacer, *dialog, *customer, *inbound, *message_id, raw).await,
        Job::Notice { dialog, text } => notice_now(ctx, pacer, *dialog, text).await,
        Job::Rename { dialog } => rename(ctx, pacer, *dialog).await,
        Job::TopicState { dialog } => topic_state(ctx, pacer, *dialog).await,
        Job::SendCustomer {
            dialog,
            customer,
            text,
            html,
        } => send_customer(ctx, pacer, *dialog, *customer, text, *html).await,
        Job::PrivateCard {
            dialog,
            users,
            text,
        } => private_card(ctx, pacer, *dialog, users, text).await,
        Job::ThreadNotice {
            thread,
            text,
            close,
        } => thread_notice(ctx, pacer, *thread, text, *close).await,
        Job::AdminAlert { users, text } => admin_alert(ctx, pacer, users, text).await,
    };
    match outcome {
        Ok(Outcome::Done) => ctx.store.outbox().done(stored.id).await?,
        Ok(Outcome::Finished) => {}
        Err(e) => match classify(ctx, stored, &e).await? {
            Some(retry) => {
                ctx.store
                    .outbox()
                    .retry(stored.id, ctx.now() + retry, &e.to_string())
                    .await?
            }
            None => ctx.store.outbox().done(stored.id).await?,
        },
    }
    Ok(())
}

/// Calls the Bot API after the pacer admits it (waiting if needed).
pub(super) async fn call(
    ctx: &ConnCtx,
    pacer: &Pacer,
    chat: i64,
    r: &Request,
) -> Result<Value, TgError> {
    paced_call(&ctx.api, pacer, chat, r).await
}

/// [`call`] through any bot (the setup bot sends private cards).
pub(super) async fn paced_call(
    api: &hotline_telegram::BotApi,
    pacer: &Pacer,
    chat: i64,
    r: &Request,
) -> Result<Value, TgError> {
    while let Err(wait) = pacer.admit(chat, Instant::now()) {
        tokio::time::sleep(wait).await;
    }
    let answer = api.send(r).await;
    if let Err(TgError::RetryAfter(secs)) = &answer {
        // At once, before the job's outcome is worked out: other calls into this chat are
        // being dispatched meanwhile.
        pacer.block(chat, *secs, Instant::now());
    }
    answer
}

pub(super) async fn dialog(ctx: &ConnCtx, id: i64) -> Result<Option<Dialog>, TgError> {
    ctx.store
        .dialogs()
        .get(DialogId(id))
        .await
        .map_err(|e| TgError::Transient(e.to_string()))
}

pub(super) fn db(e: hotline_store::StoreError) -> TgError {
    TgError::Transient(e.to_string())
}

pub(super) async fn queue(ctx: &ConnCtx, job: Job) -> Result<(), TgError> {
    let now = ctx.now();
    ctx.store
        .outbox()
        .push(ctx.id, &job.to_new(now), now)
        .await
        .map_err(db)?;
    ctx.work.notify_one();
    Ok(())
}
