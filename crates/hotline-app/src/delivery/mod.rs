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

mod broadcast;
mod chains;
mod classify;
mod copies;
mod lanes;
mod pacer;
mod private;
mod topics;
mod worker;

pub use pacer::Pacer;
pub(crate) use worker::Worker;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::OwnedSemaphorePermit;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use hotline_core::DialogId;
use hotline_store::{Dialog, Job as StoredJob, JobId};
use hotline_telegram::TgError;
use hotline_telegram::requests::Request;

use classify::classify;
use copies::{copy, edit_later, mirror};
use lanes::Lanes;
use private::{admin_alert, private_card, send_customer};
use topics::{
    ensure_topic, export, general_notice, notice_now, rename, thread_notice, topic_state,
};

use crate::ctx::ConnCtx;
use crate::jobs::Job;

pub(super) enum Outcome {
    Done,
    /// Done, and these jobs (the head, and an album's other items) are already removed.
    Finished(Vec<JobId>),
    /// Not done: the job stays at its lane's head and runs again (a broadcast's next
    /// recipient).
    Again,
}

/// The chat a job writes into (its flood-limit budget).
pub(super) fn target_chat(ctx: &ConnCtx, job: &Job) -> i64 {
    match job {
        Job::CopyOut { customer, .. }
        | Job::SendCustomer { customer, .. }
        | Job::SendTemplate { customer, .. } => *customer,
        Job::Mirror { chat, .. } => *chat,
        Job::EditLater {
            customer,
            inbound: false,
            ..
        } => *customer,
        Job::PrivateCard { users, .. } | Job::AdminAlert { users, .. } => {
            users.first().copied().unwrap_or_default()
        }
        // No chat of their own: the bot-wide budget paces them (a broadcast's recipient is
        // only known once the job runs, and its call is paced for that chat then).
        Job::Broadcast { .. } | Job::AnswerCallback { .. } => 0,
        _ => ctx.group().0,
    }
}

/// How soon after new work the worker re-reads every lane, while the backlog is small
/// ([`lanes`]: what the incremental read cannot see is always written with a wake-up).
const RESYNC_EVERY: Duration = Duration::from_secs(5);

/// How often it re-reads every lane when nothing woke it: a safety net only, kept rare so
/// that thousands of idle connections cost no reads (`bench load --phases idle`: a re-read
/// every 5 s per bot was most of an idle instance's CPU).
const QUIET_RESYNC_EVERY: Duration = Duration::from_secs(600);

/// Runs until cancelled: the due heads of different lanes run at once, up to
/// `delivery_concurrency` calls for this connection and `delivery_concurrency_total` for the
/// instance, each lane strictly one job after another. At a stop, calls in flight finish.
pub async fn run(ctx: &Arc<ConnCtx>, cancel: CancellationToken) -> anyhow::Result<()> {
    let worker = Arc::new(Worker::new(Pacer::new(ctx.settings.pacing)));
    let limit = ctx.settings.delivery_concurrency.max(1);
    let mut view = Lanes::default();
    view.resync(ctx).await?;
    let mut resync_at = Instant::now() + RESYNC_EVERY;
    let mut quiet_resync_at = Instant::now() + QUIET_RESYNC_EVERY;
    // Woken for new work since the last full re-read.
    let mut stirred = false;
    // Calls run as tasks of their own, not as futures this loop polls: a call holding a
    // database connection must finish while the loop awaits the database itself.
    let mut inflight: JoinSet<(String, anyhow::Result<Vec<JobId>>)> = JoinSet::new();
    let mut spare: Option<OwnedSemaphorePermit> = None;
    let mut fresh = true;
    let mut failure = None;
    while failure.is_none() && !cancel.is_cancelled() {
        let now = Instant::now();
        if now >= resync_at && (stirred || now >= quiet_resync_at) {
            if view.len() < lanes::RESYNC_MAX_LANES {
                view.resync(ctx).await?;
                (stirred, fresh) = (false, true);
                quiet_resync_at = now + QUIET_RESYNC_EVERY;
            }
            resync_at = now + RESYNC_EVERY;
        }
        if !fresh {
            view.load_new(ctx).await?;
            fresh = true;
        }
        let now_ms = ctx.now();
        let now = Instant::now();
        let resync_due = if stirred {
            resync_at
        } else {
            resync_at.max(quiet_resync_at)
        };
        let mut next_wake = resync_due.saturating_duration_since(now);
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
                        .and_then(|job| worker.pacer.wait(target_chat(ctx, &job), now))
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
            let (ctx, w) = (ctx.clone(), worker.clone());
            inflight.spawn(
                async move {
                    let r = run_one(&ctx, &w, &stored).await;
                    drop(permit);
                    (stored.lane, r)
                }
                .instrument(tracing::Span::current()),
            );
        }
        tokio::select! {
            Some(joined) = inflight.join_next(), if !inflight.is_empty() => match joined {
                Ok((lane, Ok(removed))) => {
                    if view.finished(&lane, &removed) {
                        let next = ctx.store.outbox().lane(ctx.id, &lane, 1).await?;
                        view.finished_read(&lane, next.into_iter().next());
                    }
                }
                Ok((_, Err(e))) => failure = Some(e),
                Err(e) => failure = Some(anyhow::anyhow!("a delivery call failed: {e}")),
            },
            () = ctx.work.notified() => (fresh, stirred) = (false, true),
            p = ctx.delivery_slots.clone().acquire_owned(), if starved => spare = p.ok(),
            () = tokio::time::sleep(next_wake) => {}
            () = cancel.cancelled() => {}
        }
    }
    // A stop or a failure: what is in flight finishes (its outcome is recorded), nothing new
    // starts.
    while let Some(joined) = inflight.join_next().await {
        let r = joined
            .map_err(|e| anyhow::anyhow!("a delivery call failed: {e}"))
            .and_then(|(_, r)| r);
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

/// Runs one lane head; returns the jobs its call removed from the outbox (none when the
/// head stays for a retry).
async fn run_one(ctx: &ConnCtx, w: &Worker, stored: &StoredJob) -> anyhow::Result<Vec<JobId>> {
    match parse(stored) {
        Ok(job) => execute(ctx, w, stored, job).await,
        Err(e) => {
            tracing::error!(
                connection = %ctx.id,
                job = %stored.id.0,
                "unreadable job dropped: {e}"
            );
            ctx.store.outbox().done(stored.id).await?;
            Ok(vec![stored.id])
        }
    }
}

pub(super) async fn execute(
    ctx: &ConnCtx,
    w: &Worker,
    stored: &StoredJob,
    job: Job,
) -> anyhow::Result<Vec<JobId>> {
    let outcome = match &job {
        Job::CreateTopic { dialog } => match ctx.store.dialogs().get(DialogId(*dialog)).await? {
            Some(d) => ensure_topic(ctx, w, &d).await.map(|_| Outcome::Done),
            None => Ok(Outcome::Done),
        },
        Job::CopyIn { .. } | Job::CopyOut { .. } => copy(ctx, w, stored, &job).await,
        Job::Mirror {
            dialog,
            chat,
            method,
            params,
        } => mirror(ctx, w, *dialog, *chat, method, params).await,
        Job::EditLater {
            dialog,
            customer,
            inbound,
            message_id,
            raw,
        } => edit_later(ctx, w, *dialog, *customer, *inbound, *message_id, raw).await,
        Job::Notice { dialog, text } => notice_now(ctx, w, *dialog, text, None).await,
        Job::ReplyNotice {
            dialog,
            text,
            reply_to,
        } => notice_now(ctx, w, *dialog, text, Some(*reply_to)).await,
        Job::Rename { dialog } => rename(ctx, w, *dialog).await,
        Job::TopicState { dialog } => topic_state(ctx, w, *dialog).await,
        Job::SendCustomer {
            dialog,
            customer,
            text,
            html,
        } => send_customer(ctx, w, *dialog, *customer, text, *html).await,
        Job::PrivateCard {
            dialog,
            users,
            text,
        } => private_card(ctx, w, *dialog, users, text).await,
        Job::ThreadNotice {
            thread,
            text,
            close,
        } => thread_notice(ctx, w, *thread, text, *close).await,
        Job::GeneralNotice { text, reply_to } => general_notice(ctx, w, text, *reply_to).await,
        Job::Export {
            tag,
            tag_name,
            file,
            reply_to,
        } => export(ctx, w, *tag, tag_name.as_deref(), file, *reply_to).await,
        Job::AdminAlert { users, text } => admin_alert(ctx, w, users, text).await,
        Job::SendTemplate { .. } | Job::GeneralChain { .. } => {
            chains::send(ctx, w, stored, &job).await
        }
        Job::BroadcastFile {
            file_id,
            items,
            content_label,
            created_by,
            command,
        } => broadcast::file(ctx, w, file_id, items, content_label, *created_by, *command).await,
        Job::BroadcastControl { broadcast } => broadcast::control(ctx, w, *broadcast).await,
        Job::Broadcast { broadcast } => broadcast::step(ctx, w, *broadcast).await,
        Job::BroadcastReport { broadcast } => broadcast::report(ctx, w, *broadcast).await,
        Job::AnswerCallback { id, text } => broadcast::answer(ctx, w, id, text.as_deref()).await,
    };
    match outcome {
        Ok(Outcome::Done) => finish(ctx, w, stored).await?,
        Ok(Outcome::Again) => {
            ctx.store.outbox().again(stored.id, ctx.now()).await?;
            return Ok(Vec::new());
        }
        Ok(Outcome::Finished(removed)) => return Ok(removed),
        Err(e) => match classify(ctx, stored, &e).await? {
            Some(retry) => {
                ctx.store
                    .outbox()
                    .retry(stored.id, ctx.now() + retry, &e.to_string())
                    .await?;
                return Ok(Vec::new());
            }
            None => finish(ctx, w, stored).await?,
        },
    }
    Ok(vec![stored.id])
}

/// Calls the Bot API after the pacer admits it (waiting if needed). A call into a customer's
/// chat (a positive chat id: a person) goes as the frontend makes it
/// ([`crate::frontend::Frontend::to_customer`]: on behalf of a business account, or refused).
pub(super) async fn call(
    ctx: &ConnCtx,
    w: &Worker,
    chat: i64,
    r: &Request,
) -> Result<Value, TgError> {
    if chat > 0 {
        let adapted = ctx.frontend().to_customer(r.clone())?;
        return paced_call(&ctx.api, w, chat, &adapted).await;
    }
    paced_call(&ctx.api, w, chat, r).await
}

/// [`call`] through any bot (the setup bot sends private cards).
pub(super) async fn paced_call(
    api: &hotline_telegram::BotApi,
    w: &Worker,
    chat: i64,
    r: &Request,
) -> Result<Value, TgError> {
    while let Err(wait) = w.pacer.admit(chat, Instant::now()) {
        tokio::time::sleep(wait).await;
    }
    let answer = api.send(r).await;
    if let Err(TgError::RetryAfter(secs)) = &answer {
        // At once, before the job's outcome is worked out: other calls into this chat are
        // being dispatched meanwhile.
        w.pacer.block(chat, *secs, Instant::now());
    }
    answer
}

/// A file upload through the pacer ([`paced_call`]).
pub(super) async fn paced_upload(
    ctx: &ConnCtx,
    w: &Worker,
    chat: i64,
    r: &Request,
    file: hotline_telegram::Upload,
) -> Result<Value, TgError> {
    while let Err(wait) = w.pacer.admit(chat, Instant::now()) {
        tokio::time::sleep(wait).await;
    }
    let answer = ctx.api.call_upload(&r.method, &r.params, file).await;
    if let Err(TgError::RetryAfter(secs)) = &answer {
        w.pacer.block(chat, *secs, Instant::now());
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

/// The job is done (or given up on): removed, in a commit shared with other calls.
async fn finish(ctx: &ConnCtx, w: &Worker, stored: &StoredJob) -> anyhow::Result<()> {
    w.complete(ctx, Vec::new(), vec![stored.id])
        .await
        .map_err(anyhow::Error::msg)
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
