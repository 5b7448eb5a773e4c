//! Copies: customer → topic and topic → customer, albums sent as one, replies mapped, the
//! message pairs recorded with the job's completion, edits mirrored once the copy exists.

use serde_json::Value;

use hotline_core::dialog::Event;
use hotline_core::{ChatId, DialogId, Direction, MessageId, ThreadId};
use hotline_i18n::{Key, Lang};
use hotline_store::{Dialog, JobId, MapEntry};
use hotline_telegram::TgError;
use hotline_telegram::requests::{self, Request};
use hotline_telegram::resend;

use super::topics::{call_in_topic, notice_after};
use super::{Outcome, Worker, call, db, dialog, queue};
use crate::ctx::ConnCtx;
use crate::jobs::{Job, Kept};
use crate::{lifecycle, notices};
use hotline_store::Job as StoredJob;

/// Copies a message (or a whole album) across, in either direction.
pub(super) async fn copy(
    ctx: &ConnCtx,
    w: &Worker,
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
    let mut kept: Vec<(i64, Option<Kept>)> =
        vec![(job.message_id().unwrap_or_default(), job.kept().cloned())];
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
                    let id = next.message_id().unwrap_or_default();
                    batch.push((j.id, id));
                    kept.push((id, next.kept().cloned()));
                }
                _ => break,
            }
        }
    }
    let mut ids: Vec<i64> = batch.iter().map(|b| b.1).collect();
    ids.sort_unstable();
    ids.dedup();
    kept.sort_by_key(|k| k.0);
    kept.dedup_by_key(|k| k.0);
    // A frontend that cannot copy by id (Telegram Business) sends the kept content.
    let content: Option<Vec<Value>> = match kept.iter().map(|k| k.1.clone()).collect() {
        Some(items) => match as_content(items) {
            Ok(items) => Some(items),
            Err(what) => {
                let lang = ctx.cfg().lang;
                let text = hotline_i18n::tr_args(
                    lang,
                    Key::NoticeNotRelayedKind,
                    &hotline_i18n::Args::new().str("kind", what),
                );
                notice_after(ctx, &d, &text).await?;
                return finish_batch(ctx, &batch).await;
            }
        },
        None => None,
    };
    let result = match (inbound, &content) {
        (true, Some(items)) => send_in(ctx, w, &d, items, reply_to, silent).await,
        (true, None) => copy_in(ctx, w, &d, &ids, reply_to, silent).await,
        (false, Some(items)) => send_out(ctx, w, &d, items, reply_to).await,
        (false, None) => copy_out(ctx, w, &d, &ids, reply_to).await,
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
            w.complete(ctx, maps, jobs.clone())
                .await
                .map_err(TgError::Transient)?;
            let direction = if inbound {
                Direction::In
            } else {
                Direction::Out
            };
            ctx.metrics
                .relayed(ctx.id, direction, job.content(), new_ids.len());
            ctx.metrics.relay_latency(now - stored.created_at);
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
            Ok(Outcome::Finished(jobs))
        }
        Err(e) if inbound && matches!(e, TgError::MessageNotFound(_)) => {
            // The customer deleted it before we copied it: nothing left to show.
            Ok(Outcome::Done)
        }
        Err(e) if !inbound && cannot_reach(&e) => {
            unreachable(ctx, &d, &e).await?;
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
pub(super) async fn answered(ctx: &ConnCtx, dialog_id: i64, now: i64) -> Result<(), TgError> {
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

pub(super) async fn customer_lang(ctx: &ConnCtx, chat: i64) -> Result<Lang, TgError> {
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

pub(super) async fn finish_batch(
    ctx: &ConnCtx,
    batch: &[(JobId, i64)],
) -> Result<Outcome, TgError> {
    for (job_id, _) in batch.iter().skip(1) {
        ctx.store.outbox().done(*job_id).await.map_err(db)?;
    }
    Ok(Outcome::Done)
}

/// The copy of `ids` from `from` into `chat` (a topic when `thread` is set), replying to
/// `reply` when a single message is copied.
pub(super) fn copy_request(
    chat: i64,
    from: i64,
    ids: &[i64],
    thread: Option<i64>,
    reply: Option<i64>,
) -> Request {
    let ids: Vec<MessageId> = ids.iter().copied().map(MessageId).collect();
    let mut r = requests::copy_messages(ChatId(chat), ChatId(from), &ids);
    if let Some(t) = thread {
        r = r.in_thread(ThreadId(t));
    }
    if let (Some(m), 1) = (reply, ids.len()) {
        r = r.reply_to(MessageId(m));
    }
    r
}

pub(super) fn new_ids(v: &Value) -> Vec<i64> {
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

pub(super) async fn copy_in(
    ctx: &ConnCtx,
    w: &Worker,
    d: &Dialog,
    ids: &[i64],
    reply_to: Option<i64>,
    silent: bool,
) -> Result<Vec<i64>, TgError> {
    let reply = reply_in_topic(ctx, d, reply_to).await?;
    let v = call_in_topic(ctx, w, d, |group, thread| {
        let r = copy_request(group, d.customer_chat_id.0, ids, Some(thread), reply);
        if silent { r.silent() } else { r }
    })
    .await?;
    Ok(new_ids(&v))
}

pub(super) async fn copy_out(
    ctx: &ConnCtx,
    w: &Worker,
    d: &Dialog,
    ids: &[i64],
    reply_to: Option<i64>,
) -> Result<Vec<i64>, TgError> {
    let reply = reply_for_customer(ctx, reply_to).await?;
    let r = copy_request(d.customer_chat_id.0, ctx.group().0, ids, None, reply);
    let v = call(ctx, w, d.customer_chat_id.0, &r).await?;
    Ok(new_ids(&v))
}

/// The kept messages' content, or the kind of the first one that cannot be sent again.
fn as_content(items: Vec<Kept>) -> Result<Vec<Value>, String> {
    items
        .into_iter()
        .map(|k| match k {
            Kept::Content(v) => Ok(v),
            Kept::Unsupported(what) => Err(what),
        })
        .collect()
}

async fn reply_in_topic(
    ctx: &ConnCtx,
    d: &Dialog,
    reply_to: Option<i64>,
) -> Result<Option<i64>, TgError> {
    Ok(match reply_to {
        Some(r) => ctx
            .store
            .maps()
            .by_customer(ctx.id, d.customer_chat_id, MessageId(r))
            .await
            .map_err(db)?
            .map(|e| e.group_message_id.0),
        None => None,
    })
}

async fn reply_for_customer(ctx: &ConnCtx, reply_to: Option<i64>) -> Result<Option<i64>, TgError> {
    Ok(match reply_to {
        Some(r) => ctx
            .store
            .maps()
            .by_group(ctx.id, ctx.group(), MessageId(r))
            .await
            .map_err(db)?
            .map(|e| e.customer_message_id.0),
        None => None,
    })
}

/// Kept messages (one, or one album) sent into the topic as new messages.
async fn send_in(
    ctx: &ConnCtx,
    w: &Worker,
    d: &Dialog,
    items: &[Value],
    reply_to: Option<i64>,
    silent: bool,
) -> Result<Vec<i64>, TgError> {
    let reply = reply_in_topic(ctx, d, reply_to).await?;
    let mut out = Vec::new();
    for (i, each) in resend::calls(items, ChatId(0)).iter().enumerate() {
        let v = call_in_topic(ctx, w, d, |group, thread| {
            let mut r = each.clone();
            if let Some(p) = r.params.as_object_mut() {
                p.insert("chat_id".into(), serde_json::json!(group));
            }
            let mut r = r.in_thread(ThreadId(thread));
            if let (Some(m), 0) = (reply, i) {
                r = r.reply_to(MessageId(m));
            }
            if silent { r.silent() } else { r }
        })
        .await?;
        out.extend(new_ids(&v));
    }
    Ok(out)
}

/// Kept messages sent to the customer (on behalf of a business account: [`super::call`]).
async fn send_out(
    ctx: &ConnCtx,
    w: &Worker,
    d: &Dialog,
    items: &[Value],
    reply_to: Option<i64>,
) -> Result<Vec<i64>, TgError> {
    let reply = reply_for_customer(ctx, reply_to).await?;
    let mut out = Vec::new();
    for (i, r) in resend::calls(items, d.customer_chat_id)
        .into_iter()
        .enumerate()
    {
        let r = match (reply, i) {
            (Some(m), 0) => r.reply_to(MessageId(m)),
            _ => r,
        };
        let v = call(ctx, w, d.customer_chat_id.0, &r).await?;
        out.extend(new_ids(&v));
    }
    Ok(out)
}

/// Mirrors an edit onto the copy its message got meanwhile; nothing if there is no copy (the
/// message was never relayed).
pub(super) async fn edit_later(
    ctx: &ConnCtx,
    w: &Worker,
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
    match requests::mirror_edit(raw, ChatId(chat), MessageId(copy)) {
        Some(r) => mirror(ctx, w, dialog_id, chat, &r.method, &r.params).await,
        None => Ok(Outcome::Done),
    }
}

pub(super) async fn mirror(
    ctx: &ConnCtx,
    w: &Worker,
    dialog_id: i64,
    chat: i64,
    method: &str,
    params: &Value,
) -> Result<Outcome, TgError> {
    let r = Request {
        method: method.to_string(),
        params: params.clone(),
    };
    match call(ctx, w, chat, &r).await {
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

/// Telegram's answers that mean the customer cannot be written to now: blocked the bot,
/// deleted their account, never started it.
pub(super) fn cannot_reach(e: &TgError) -> bool {
    matches!(
        e,
        TgError::BotBlocked
            | TgError::UserDeactivated
            | TgError::CannotInitiate
            | TgError::ChatNotFound
    )
}

/// After such an answer: the customer marked unreachable (broadcasts and `/new` leave
/// them out until they write again) and the topic told why.
pub(super) async fn unreachable(ctx: &ConnCtx, d: &Dialog, e: &TgError) -> Result<(), TgError> {
    ctx.store
        .customers()
        .set_unreachable(ctx.id, d.customer_chat_id, Some(&e.to_string()))
        .await
        .map_err(db)?;
    notice_after(ctx, d, &notices::not_delivered(ctx.cfg().lang, e)).await
}
