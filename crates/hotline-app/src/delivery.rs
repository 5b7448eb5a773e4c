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

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use hotline_core::title::topic_title;
use hotline_core::{ChatId, ConnectionStatus, DialogId, Direction, MessageId, Status, ThreadId};
use hotline_store::{Dialog, Job as StoredJob, JobId, MapEntry};
use hotline_telegram::TgError;

use hotline_core::dialog::Event;
use hotline_i18n::{Key, Lang};

use crate::jobs::Job;
use crate::relay::ConnCtx;
use crate::{card, lifecycle, notices};

/// Spacing-based pacing (GCRA with a burst of one) over several keys at once: a call is
/// admitted only when every key it touches is free, and then all of them are charged. That
/// keeps us inside sliding-window limits like Telegram's without ever over-consuming.
///
/// A 429's `retry_after` is kept apart from the spacing and holds whether pacing is on or
/// off: with pacing off (a local Bot API server, tests) Telegram's word still applies to
/// every call into that chat.
#[derive(Debug, Default)]
pub struct Pacer {
    next: HashMap<PaceKey, Instant>,
    blocked: HashMap<PaceKey, Instant>,
    enabled: bool,
}

/// The longest `retry_after` honoured as given (Telegram's are seconds to minutes); a
/// larger one (a broken proxy) is capped rather than overflowing the clock.
const MAX_BLOCK: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaceKey {
    Bot,
    Chat(i64),
    Group(i64),
}

impl PaceKey {
    fn interval(self) -> Duration {
        match self {
            // ≈30/s per bot, with a margin for clock jitter.
            PaceKey::Bot => Duration::from_millis(36),
            // ≈1/s per chat.
            PaceKey::Chat(_) => Duration::from_millis(1_050),
            // 20/min per group: one every 3 s, plus a margin (≈95% of the budget).
            PaceKey::Group(_) => Duration::from_millis(3_150),
        }
    }
}

impl Pacer {
    pub fn new(enabled: bool) -> Self {
        Self {
            next: HashMap::new(),
            blocked: HashMap::new(),
            enabled,
        }
    }

    fn keys(chat: i64) -> Vec<PaceKey> {
        if chat < 0 {
            vec![PaceKey::Bot, PaceKey::Group(chat)]
        } else {
            vec![PaceKey::Bot, PaceKey::Chat(chat)]
        }
    }

    /// `None` when a call into `chat` may go now; otherwise how long to wait.
    pub fn wait(&self, chat: i64, now: Instant) -> Option<Duration> {
        Self::keys(chat)
            .iter()
            .flat_map(|k| {
                let spaced = if self.enabled { self.next.get(k) } else { None };
                [self.blocked.get(k), spaced]
            })
            .flatten()
            .filter(|t| **t > now)
            .map(|t| *t - now)
            .max()
    }

    pub fn charge(&mut self, chat: i64, now: Instant) {
        if !self.enabled {
            return;
        }
        for k in Self::keys(chat) {
            let at = self
                .next
                .get(&k)
                .copied()
                .filter(|t| *t > now)
                .unwrap_or(now);
            self.next.insert(k, at + k.interval());
        }
    }

    /// Telegram said 429 for `chat`: nothing goes there for `secs`.
    pub fn block(&mut self, chat: i64, secs: u64, now: Instant) {
        let d = Duration::from_secs(secs).min(MAX_BLOCK);
        let until = now.checked_add(d).unwrap_or(now);
        // Blocks that ran out are forgotten, so the map holds only chats blocked now.
        self.blocked.retain(|_, t| *t > now);
        for k in Self::keys(chat).into_iter().skip(1) {
            let at = self.blocked.get(&k).copied().unwrap_or(now).max(until);
            self.blocked.insert(k, at);
        }
    }
}

enum Outcome {
    Done,
    /// Done, and the job is already removed.
    Finished,
}

/// The chat a job writes into (its flood-limit budget).
fn target_chat(ctx: &ConnCtx, job: &Job) -> i64 {
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

fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 7) as u32;
    (500_i64 * 2_i64.pow(exp)).min(60_000)
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

async fn execute(
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

/// What to do about an error that escaped a job: `Some(ms)` to retry, `None` when handled.
async fn classify(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    chat: i64,
    stored: &StoredJob,
    e: &TgError,
) -> anyhow::Result<Option<i64>> {
    Ok(match e {
        TgError::RetryAfter(s) => {
            pacer.block(chat, *s, Instant::now());
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

/// Calls the Bot API after the pacer admits it (waiting if needed).
async fn call(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    chat: i64,
    method: &str,
    params: &Value,
) -> Result<Value, TgError> {
    paced_call(&ctx.api, pacer, chat, method, params).await
}

/// [`call`] through any bot (the setup bot sends private cards).
async fn paced_call(
    api: &hotline_telegram::BotApi,
    pacer: &mut Pacer,
    chat: i64,
    method: &str,
    params: &Value,
) -> Result<Value, TgError> {
    if let Some(d) = pacer.wait(chat, Instant::now()) {
        tokio::time::sleep(d).await;
    }
    pacer.charge(chat, Instant::now());
    api.call(method, params).await
}

/// The dialog's topic, created if it has none yet.
async fn ensure_topic(ctx: &ConnCtx, pacer: &mut Pacer, d: &Dialog) -> Result<i64, TgError> {
    if let Some(t) = d.thread_id {
        return Ok(t.0);
    }
    let cfg = ctx.cfg();
    let status = d.status;
    let name = topic_title(status, &card::shown_name(&cfg, d), &[]);
    let group = ctx.group().0;
    let created = call(
        ctx,
        pacer,
        group,
        "createForumTopic",
        &json!({ "chat_id": group, "name": name, "icon_color": cfg.params.icon_color.rgb() }),
    )
    .await;
    let v = match created {
        Ok(v) => v,
        Err(e) => {
            if e.is_transient() {
                // The topic may exist though the answer was lost: remember its exact title, so
                // an operator who writes there is recognised (relay.rs, orphan topics).
                ctx.store
                    .dialogs()
                    .topic_doubt(ctx.id, d.id, &name, ctx.now())
                    .await
                    .map_err(db)?;
            }
            return Err(e);
        }
    };
    let thread = v
        .get("message_thread_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| TgError::Transient("no thread id".into()))?;
    ctx.store
        .dialogs()
        .set_thread(d.id, Some(ThreadId(thread)), ctx.now())
        .await
        .map_err(|e| TgError::Transient(e.to_string()))?;
    ctx.store
        .dialogs()
        .set_shown_title(d.id, &name)
        .await
        .map_err(db)?;
    if status == Status::Closed {
        // A closed dialog's topic is closed too (LEAVE_CLOSED creates topics closed).
        let params = json!({ "chat_id": group, "message_thread_id": thread });
        match call(ctx, pacer, group, "closeForumTopic", &params).await {
            Ok(_) | Err(TgError::NotModified) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(thread)
}

async fn dialog(ctx: &ConnCtx, id: i64) -> Result<Option<Dialog>, TgError> {
    ctx.store
        .dialogs()
        .get(DialogId(id))
        .await
        .map_err(|e| TgError::Transient(e.to_string()))
}

fn db(e: hotline_store::StoreError) -> TgError {
    TgError::Transient(e.to_string())
}

/// Copies a message (or a whole album) across, in either direction.
async fn copy(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    stored: &StoredJob,
    job: &Job,
) -> Result<Outcome, TgError> {
    let (dialog_id, inbound, reply_to, album, silent) = match job {
        Job::CopyIn {
            dialog,
            reply_to,
            album,
            silent,
            ..
        } => (*dialog, true, *reply_to, album.clone(), *silent),
        Job::CopyOut {
            dialog,
            reply_to,
            album,
            ..
        } => (*dialog, false, *reply_to, album.clone(), false),
        _ => return Ok(Outcome::Done),
    };
    let Some(d) = dialog(ctx, dialog_id).await? else {
        return Ok(Outcome::Done);
    };
    // An album: every queued item of it in this lane goes in one copyMessages call.
    let mut batch = vec![(stored.id, job.message_id().unwrap_or_default())];
    if let Some(a) = &album {
        let lane = ctx
            .store
            .outbox()
            .lane(ctx.id, &stored.lane, 20)
            .await
            .map_err(db)?;
        for j in lane.iter().skip(1) {
            match serde_json::from_str::<Job>(&j.payload) {
                Ok(next) if next.album() == Some(a.as_str()) => {
                    batch.push((j.id, next.message_id().unwrap_or_default()))
                }
                _ => break,
            }
        }
    }
    let mut ids: Vec<i64> = batch.iter().map(|b| b.1).collect();
    ids.sort_unstable();
    ids.dedup();
    let result = if inbound {
        copy_in(ctx, pacer, &d, &ids, reply_to, silent).await
    } else {
        copy_out(ctx, pacer, &d, &ids, reply_to).await
    };
    match result {
        Ok(new_ids) => {
            let now = ctx.now();
            let group = ctx.group().0;
            // copyMessages skips items it cannot copy (deleted meanwhile) and says nothing
            // about which: when the counts differ, any pairing would be a guess that sends
            // later edits, replies and /del to another item's copy. Record none instead.
            let paired: &[i64] = if new_ids.len() == ids.len() {
                &new_ids
            } else {
                tracing::warn!(
                    connection = %ctx.id,
                    dialog = %d.id,
                    asked = ids.len(),
                    copied = new_ids.len(),
                    "copyMessages skipped items; their copies are not paired"
                );
                &[]
            };
            let maps: Vec<MapEntry> = ids
                .iter()
                .zip(paired.iter())
                .map(|(src, dst)| {
                    let (customer_message_id, group_message_id, direction) = if inbound {
                        (*src, *dst, Direction::In)
                    } else {
                        (*dst, *src, Direction::Out)
                    };
                    MapEntry {
                        dialog_id: d.id,
                        customer_chat_id: d.customer_chat_id,
                        customer_message_id: MessageId(customer_message_id),
                        group_chat_id: ChatId(group),
                        group_message_id: MessageId(group_message_id),
                        direction,
                    }
                })
                .collect();
            let jobs: Vec<JobId> = batch.iter().map(|b| b.0).collect();
            ctx.store
                .outbox()
                .complete(ctx.id, &maps, &jobs, now)
                .await
                .map_err(db)?;
            if !inbound {
                if ctx
                    .store
                    .customers()
                    .get(ctx.id, d.customer_chat_id)
                    .await
                    .map_err(db)?
                    .is_some_and(|c| c.unreachable.is_some())
                {
                    ctx.store
                        .customers()
                        .set_unreachable(ctx.id, d.customer_chat_id, None)
                        .await
                        .map_err(db)?;
                }
                answered(ctx, d.id.0, now).await?;
            }
            Ok(Outcome::Finished)
        }
        Err(e) if inbound && matches!(e, TgError::MessageNotFound(_)) => {
            // The customer deleted it before we copied it: nothing left to show.
            Ok(Outcome::Done)
        }
        Err(
            e @ (TgError::BotBlocked
            | TgError::UserDeactivated
            | TgError::CannotInitiate
            | TgError::ChatNotFound),
        ) if !inbound => {
            ctx.store
                .customers()
                .set_unreachable(ctx.id, d.customer_chat_id, Some(&e.to_string()))
                .await
                .map_err(db)?;
            notice_after(ctx, &d, &notices::not_delivered(ctx.cfg().lang, &e)).await?;
            finish_batch(ctx, &batch).await
        }
        Err(e) if e.is_transient() || matches!(e, TgError::Migrated(_) | TgError::Unauthorized) => {
            Err(e)
        }
        Err(e) => {
            let cfg = ctx.cfg();
            let text = if inbound {
                notices::not_relayed(cfg.lang, &e)
            } else {
                notices::not_delivered(cfg.lang, &e)
            };
            notice_after(ctx, &d, &text).await?;
            if inbound && !cfg.params.silent_mode {
                // The customer learns their message did not get through (not SILENT_MODE).
                let lang = customer_lang(ctx, d.customer_chat_id.0).await?;
                let job = Job::SendCustomer {
                    dialog: d.id.0,
                    customer: d.customer_chat_id.0,
                    text: hotline_i18n::tr(lang, Key::CustomerNotDelivered),
                    html: false,
                };
                queue(ctx, job).await?;
            }
            finish_batch(ctx, &batch).await
        }
    }
}

/// An operator message reached the customer: the state machine marks the dialog answered
/// (reopening it if it was closed).
async fn answered(ctx: &ConnCtx, dialog_id: i64, now: i64) -> Result<(), TgError> {
    let cfg = ctx.cfg();
    let run = async {
        let mut tx = ctx.store.begin().await?;
        if let Some(row) = tx.dialogs().get(DialogId(dialog_id)).await? {
            let event = Event::OperatorMessageDelivered { now };
            lifecycle::apply(ctx, &mut tx, &cfg, &row, event, Default::default(), now).await?;
        }
        tx.commit().await?;
        anyhow::Ok(())
    };
    run.await
        .map_err(|e| TgError::Transient(format!("{e:#}")))?;
    ctx.work.notify_one();
    Ok(())
}

async fn customer_lang(ctx: &ConnCtx, chat: i64) -> Result<Lang, TgError> {
    let c = ctx
        .store
        .customers()
        .get(ctx.id, ChatId(chat))
        .await
        .map_err(db)?;
    Ok(Lang::from_telegram(
        c.as_ref().and_then(|c| c.language_code.as_deref()),
    ))
}

async fn finish_batch(ctx: &ConnCtx, batch: &[(JobId, i64)]) -> Result<Outcome, TgError> {
    for (job_id, _) in batch.iter().skip(1) {
        ctx.store.outbox().done(*job_id).await.map_err(db)?;
    }
    Ok(Outcome::Done)
}

async fn queue(ctx: &ConnCtx, job: Job) -> Result<(), TgError> {
    let now = ctx.now();
    ctx.store
        .outbox()
        .push(ctx.id, &job.to_new(now), now)
        .await
        .map_err(db)?;
    ctx.work.notify_one();
    Ok(())
}

fn copy_params(
    chat: i64,
    from: i64,
    ids: &[i64],
    thread: Option<i64>,
    reply: Option<i64>,
) -> (String, Value) {
    let mut p = match ids {
        [one] => json!({ "chat_id": chat, "from_chat_id": from, "message_id": one }),
        _ => json!({ "chat_id": chat, "from_chat_id": from, "message_ids": ids }),
    };
    if let Some(t) = thread {
        crate::put(&mut p, "message_thread_id", json!(t));
    }
    if let (Some(r), 1) = (reply, ids.len()) {
        crate::put(
            &mut p,
            "reply_parameters",
            json!({ "message_id": r, "allow_sending_without_reply": true }),
        );
    }
    let method = if ids.len() == 1 {
        "copyMessage"
    } else {
        "copyMessages"
    };
    (method.to_string(), p)
}

fn new_ids(v: &Value) -> Vec<i64> {
    match v {
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.get("message_id").and_then(Value::as_i64))
            .collect(),
        other => other
            .get("message_id")
            .and_then(Value::as_i64)
            .into_iter()
            .collect(),
    }
}

async fn copy_in(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    d: &Dialog,
    ids: &[i64],
    reply_to: Option<i64>,
    silent: bool,
) -> Result<Vec<i64>, TgError> {
    let reply = match reply_to {
        Some(r) => ctx
            .store
            .maps()
            .by_customer(ctx.id, d.customer_chat_id, MessageId(r))
            .await
            .map_err(db)?
            .map(|e| e.group_message_id.0),
        None => None,
    };
    let v = call_in_topic(ctx, pacer, d, |group, thread| {
        let (method, mut params) =
            copy_params(group, d.customer_chat_id.0, ids, Some(thread), reply);
        if silent {
            crate::put(&mut params, "disable_notification", json!(true));
        }
        (method, params)
    })
    .await?;
    Ok(new_ids(&v))
}

/// Makes a call into the dialog's topic. A topic that is gone (deleted, archived) gets a
/// new one and the call is repeated there, so nothing meant for the topic is lost.
async fn call_in_topic(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    d: &Dialog,
    build: impl Fn(i64, i64) -> (String, Value),
) -> Result<Value, TgError> {
    let mut d = d.clone();
    for _ in 0..2 {
        let thread = ensure_topic(ctx, pacer, &d).await?;
        let group = ctx.group().0;
        let (method, params) = build(group, thread);
        match call(ctx, pacer, group, &method, &params).await {
            Err(TgError::ThreadNotFound) => {
                tracing::info!(
                    connection = %ctx.id,
                    dialog = %d.id,
                    "topic {thread} is gone; creating a new one"
                );
                ctx.store
                    .dialogs()
                    .set_thread(d.id, None, ctx.now())
                    .await
                    .map_err(db)?;
                d.thread_id = None;
            }
            other => return other,
        }
    }
    Err(TgError::Transient(
        "topic recreated twice without success".into(),
    ))
}

async fn copy_out(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    d: &Dialog,
    ids: &[i64],
    reply_to: Option<i64>,
) -> Result<Vec<i64>, TgError> {
    let reply = match reply_to {
        Some(r) => ctx
            .store
            .maps()
            .by_group(ctx.id, ctx.group(), MessageId(r))
            .await
            .map_err(db)?
            .map(|e| e.customer_message_id.0),
        None => None,
    };
    let (method, params) = copy_params(d.customer_chat_id.0, ctx.group().0, ids, None, reply);
    let v = call(ctx, pacer, d.customer_chat_id.0, &method, &params).await?;
    Ok(new_ids(&v))
}

/// Mirrors an edit onto the copy its message got meanwhile; nothing if there is no copy (the
/// message was never relayed).
async fn edit_later(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    dialog_id: i64,
    customer: i64,
    inbound: bool,
    message_id: i64,
    raw: &Value,
) -> Result<Outcome, TgError> {
    let found = if inbound {
        ctx.store
            .maps()
            .by_customer(ctx.id, ChatId(customer), MessageId(message_id))
            .await
            .map_err(db)?
            .map(|m| (m.group_chat_id.0, m.group_message_id.0))
    } else {
        ctx.store
            .maps()
            .by_group(ctx.id, ctx.group(), MessageId(message_id))
            .await
            .map_err(db)?
            .filter(|m| m.direction == Direction::Out)
            .map(|m| (m.customer_chat_id.0, m.customer_message_id.0))
    };
    let Some((chat, copy)) = found else {
        return Ok(Outcome::Done);
    };
    match crate::relay::edit_call(raw, chat, copy) {
        Some((method, params)) => mirror(ctx, pacer, dialog_id, chat, &method, &params).await,
        None => Ok(Outcome::Done),
    }
}

async fn mirror(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    dialog_id: i64,
    chat: i64,
    method: &str,
    params: &Value,
) -> Result<Outcome, TgError> {
    match call(ctx, pacer, chat, method, params).await {
        Ok(_) | Err(TgError::NotModified) => {
            if method == "deleteMessage"
                && let Some(d) = dialog(ctx, dialog_id).await?
            {
                notice_after(ctx, &d, &notices::retracted(ctx.cfg().lang)).await?;
            }
            Ok(Outcome::Done)
        }
        Err(e) if e.is_transient() || matches!(e, TgError::Migrated(_) | TgError::Unauthorized) => {
            Err(e)
        }
        Err(e) => {
            if let Some(d) = dialog(ctx, dialog_id).await? {
                let lang = ctx.cfg().lang;
                let text = if method == "deleteMessage" {
                    notices::not_retracted(lang, &e)
                } else {
                    notices::edit_not_mirrored(lang, &e)
                };
                notice_after(ctx, &d, &text).await?;
            }
            Ok(Outcome::Done)
        }
    }
}

/// Queues a notice behind the current job (it goes out in the topic's order).
async fn notice_after(ctx: &ConnCtx, d: &Dialog, text: &str) -> Result<(), TgError> {
    queue(
        ctx,
        Job::Notice {
            dialog: d.id.0,
            text: text.to_string(),
        },
    )
    .await
}

async fn notice_now(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    dialog_id: i64,
    text: &str,
) -> Result<Outcome, TgError> {
    let Some(d) = dialog(ctx, dialog_id).await? else {
        return Ok(Outcome::Done);
    };
    call_in_topic(ctx, pacer, &d, |group, thread| {
        (
            "sendMessage".to_string(),
            json!({ "chat_id": group, "message_thread_id": thread, "text": text }),
        )
    })
    .await?;
    Ok(Outcome::Done)
}

/// A notice in a topic no dialog owns; a topic that is gone meanwhile needs none.
async fn thread_notice(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    thread: i64,
    text: &str,
    close: bool,
) -> Result<Outcome, TgError> {
    let group = ctx.group().0;
    let sent = call(
        ctx,
        pacer,
        group,
        "sendMessage",
        &json!({ "chat_id": group, "message_thread_id": thread, "text": text }),
    )
    .await;
    match sent {
        Ok(_) => {}
        Err(TgError::ThreadNotFound | TgError::TopicClosed) => return Ok(Outcome::Done),
        Err(e) => return Err(e),
    }
    if close {
        let params = json!({ "chat_id": group, "message_thread_id": thread });
        match call(ctx, pacer, group, "closeForumTopic", &params).await {
            Ok(_) | Err(TgError::NotModified | TgError::ThreadNotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Outcome::Done)
}

async fn rename(ctx: &ConnCtx, pacer: &mut Pacer, dialog_id: i64) -> Result<Outcome, TgError> {
    let Some(d) = dialog(ctx, dialog_id).await? else {
        return Ok(Outcome::Done);
    };
    let Some(ThreadId(thread)) = d.thread_id else {
        return Ok(Outcome::Done);
    };
    let status = d.status;
    let group = ctx.group().0;
    let name = topic_title(status, &card::shown_name(&ctx.cfg(), &d), &[]);
    // A burst of status changes that ends where it started: the topic already shows it.
    if ctx
        .store
        .dialogs()
        .shown_title(d.id)
        .await
        .map_err(db)?
        .as_deref()
        == Some(name.as_str())
    {
        return Ok(Outcome::Done);
    }
    let params = json!({ "chat_id": group, "message_thread_id": thread, "name": name });
    match call(ctx, pacer, group, "editForumTopic", &params).await {
        Ok(_) | Err(TgError::NotModified) => {
            ctx.store
                .dialogs()
                .set_shown_title(d.id, &name)
                .await
                .map_err(db)?;
            Ok(Outcome::Done)
        }
        Err(TgError::ThreadNotFound) => Ok(Outcome::Done),
        Err(e) => Err(e),
    }
}

/// Closes or reopens the topic to match the dialog's status.
async fn topic_state(ctx: &ConnCtx, pacer: &mut Pacer, dialog_id: i64) -> Result<Outcome, TgError> {
    let Some(d) = dialog(ctx, dialog_id).await? else {
        return Ok(Outcome::Done);
    };
    let Some(ThreadId(thread)) = d.thread_id else {
        // No topic yet: it is created in the right state.
        return Ok(Outcome::Done);
    };
    let method = if d.status == Status::Closed {
        "closeForumTopic"
    } else {
        "reopenForumTopic"
    };
    let group = ctx.group().0;
    let params = json!({ "chat_id": group, "message_thread_id": thread });
    match call(ctx, pacer, group, method, &params).await {
        // Already in that state, or gone (the next message recreates an open dialog's topic).
        Ok(_) | Err(TgError::NotModified | TgError::ThreadNotFound) => Ok(Outcome::Done),
        Err(e) => Err(e),
    }
}

/// A message from Hotline to the customer. HTML that Telegram cannot parse goes as plain
/// text rather than not at all.
async fn send_customer(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    dialog_id: i64,
    customer: i64,
    text: &str,
    html: bool,
) -> Result<Outcome, TgError> {
    let mut params = json!({ "chat_id": customer, "text": text });
    if html {
        crate::put(&mut params, "parse_mode", json!("HTML"));
    }
    let mut result = call(ctx, pacer, customer, "sendMessage", &params).await;
    if html && matches!(&result, Err(TgError::BadRequest(m)) if m.contains("parse entities")) {
        tracing::warn!(
            connection = %ctx.id,
            "WELCOME is not valid HTML; sent as plain text"
        );
        let plain = json!({ "chat_id": customer, "text": text });
        result = call(ctx, pacer, customer, "sendMessage", &plain).await;
    }
    match result {
        Ok(_) => Ok(Outcome::Done),
        Err(e) if e.is_transient() || matches!(e, TgError::Migrated(_) | TgError::Unauthorized) => {
            Err(e)
        }
        Err(e) => {
            // Blocked, deactivated, too long: the team hears about it; the text is dropped.
            if let Some(d) = dialog(ctx, dialog_id).await? {
                notice_after(ctx, &d, &notices::not_delivered(ctx.cfg().lang, &e)).await?;
            }
            Ok(Outcome::Done)
        }
    }
}

/// A card sent privately by the setup bot to each allowed member; the topic is told how
/// many received it.
/// The setup bot tells the connection's admins something unasked; an admin who never
/// started the setup bot (or blocked it) is skipped.
async fn admin_alert(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    users: &[i64],
    text: &str,
) -> Result<Outcome, TgError> {
    let Some(setup) = &ctx.setup_api else {
        return Ok(Outcome::Done);
    };
    for user in users {
        let params = json!({ "chat_id": user, "text": text });
        match paced_call(setup, pacer, *user, "sendMessage", &params).await {
            Ok(_) => {}
            Err(e) if e.is_transient() => return Err(e),
            Err(e) => tracing::info!(connection = %ctx.id, user, "admin alert not sent: {e}"),
        }
    }
    Ok(Outcome::Done)
}

async fn private_card(
    ctx: &ConnCtx,
    pacer: &mut Pacer,
    dialog_id: i64,
    users: &[i64],
    text: &str,
) -> Result<Outcome, TgError> {
    let mut sent = 0i64;
    if let Some(setup) = &ctx.setup_api {
        for user in users {
            let params = json!({ "chat_id": user, "text": text });
            match paced_call(setup, pacer, *user, "sendMessage", &params).await {
                Ok(_) => sent += 1,
                Err(e) if e.is_transient() => return Err(e),
                // Never started the setup bot, blocked it: skip this member.
                Err(e) => tracing::info!(connection = %ctx.id, user, "private card not sent: {e}"),
            }
        }
    }
    if let Some(d) = dialog(ctx, dialog_id).await? {
        let lang = ctx.cfg().lang;
        let text = if sent > 0 {
            hotline_i18n::tr_args(
                lang,
                Key::CardSentPrivately,
                &hotline_i18n::Args::new().num("count", sent),
            )
        } else {
            hotline_i18n::tr(lang, Key::CardNotSent)
        };
        notice_after(ctx, &d, &text).await?;
    }
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacer_spaces_calls_per_group_and_blocks_after_429() {
        let mut p = Pacer::new(true);
        let t0 = Instant::now();
        assert_eq!(p.wait(-100, t0), None);
        p.charge(-100, t0);
        assert_eq!(p.wait(-100, t0), Some(Duration::from_millis(3_150)));
        // Another chat only waits for the bot-wide spacing.
        assert_eq!(p.wait(42, t0), Some(Duration::from_millis(36)));
        p.block(42, 5, t0);
        assert_eq!(p.wait(42, t0), Some(Duration::from_secs(5)));
        let mut off = Pacer::new(false);
        off.charge(-100, t0);
        assert_eq!(off.wait(-100, t0), None);
        // A 429 holds with pacing off too, for every call into that chat, and only there.
        off.block(-100, 2, t0);
        assert_eq!(off.wait(-100, t0), Some(Duration::from_secs(2)));
        assert_eq!(off.wait(42, t0), None);
        assert_eq!(off.wait(-100, t0 + Duration::from_secs(2)), None);
        // An absurd retry_after is capped, never an overflow.
        off.block(-7, u64::MAX, t0);
        assert_eq!(off.wait(-7, t0), Some(MAX_BLOCK));
    }

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff_ms(0), 500);
        assert_eq!(backoff_ms(3), 4_000);
        assert_eq!(backoff_ms(50), 60_000);
    }
}
