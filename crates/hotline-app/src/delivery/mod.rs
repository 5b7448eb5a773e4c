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
mod pacer;
mod private;
mod topics;

pub use pacer::Pacer;

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use hotline_core::DialogId;
use hotline_store::{Dialog, Job as StoredJob};
use hotline_telegram::TgError;
use hotline_telegram::requests::Request;

use classify::classify;
use copies::{copy, edit_later, mirror};
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

/// Runs until cancelled.
pub async fn run(ctx: &ConnCtx, cancel: CancellationToken) -> anyhow::Result<()> {
    let mut pacer = Pacer::new(ctx.settings.pacing);
    loop {
        if cancel.is_cancelled() {
            return Ok(());
        }
        let heads = ctx.store.outbox().heads(ctx.id).await?;
        let mut next_wake: Option<Duration> = None;
        let mut ran = 0;
        for stored in heads {
            if cancel.is_cancelled() {
                return Ok(());
            }
            let now_ms = ctx.now();
            if stored.not_before > now_ms {
                let d = Duration::from_millis((stored.not_before - now_ms).unsigned_abs());
                next_wake = Some(next_wake.map_or(d, |w| w.min(d)));
                continue;
            }
            let job: Job = match serde_json::from_str(&stored.payload) {
                Ok(j) => j,
                Err(e) => {
                    tracing::error!(
                        connection = %ctx.id,
                        job = %stored.id.0,
                        "unreadable job dropped: {e}"
                    );
                    ctx.store.outbox().done(stored.id).await?;
                    continue;
                }
            };
            let chat = target_chat(ctx, &job);
            if let Some(d) = pacer.wait(chat, Instant::now()) {
                next_wake = Some(next_wake.map_or(d, |w| w.min(d)));
                continue;
            }
            ran += 1;
            execute(ctx, &mut pacer, &stored, job).await?;
        }
        if ran > 0 {
            continue;
        }
        let wait = next_wake.unwrap_or(Duration::from_secs(3600));
        tokio::select! {
            () = ctx.work.notified() => {}
            () = tokio::time::sleep(wait) => {}
            () = cancel.cancelled() => return Ok(()),
        }
    }
}

pub(super) async fn execute(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    stored: &StoredJob,
    job: Job,
) -> anyhow::Result<()> {
    let chat = target_chat(ctx, &job);
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
        Err(e) => match classify(ctx, pacer, chat, stored, &e).await? {
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
    pacer: &mut Pacer,
    chat: i64,
    r: &Request,
) -> Result<Value, TgError> {
    paced_call(&ctx.api, pacer, chat, r).await
}

/// [`call`] through any bot (the setup bot sends private cards).
pub(super) async fn paced_call(
    api: &hotline_telegram::BotApi,
    pacer: &mut Pacer,
    chat: i64,
    r: &Request,
) -> Result<Value, TgError> {
    if let Some(d) = pacer.wait(chat, Instant::now()) {
        tokio::time::sleep(d).await;
    }
    pacer.charge(chat, Instant::now());
    api.send(r).await
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
