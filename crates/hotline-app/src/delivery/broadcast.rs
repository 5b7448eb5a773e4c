//! Broadcasts on the wire: one recipient per run of the broadcast's job (its lane has the
//! lowest priority, so every relayed message that is ready goes first, and the bot-wide
//! pacer keeps the two together within Telegram's budget), the control message kept up to
//! date, the file of ids read, the report uploaded, button presses answered.
//!
//! Exactly once: a recipient is marked `sending` (committed) before the call and `sent` or
//! `failed` after it; a `sending` one found later was interrupted by a crash mid-call and
//! becomes `unknown`, never sent again. A flood wait or a transient failure before the
//! first message of the chain went out puts the recipient back (`pending`) and the job
//! waits; a permanent refusal (blocked, deactivated, never started the bot) fails them
//! without retries.

use hotline_core::{ChatId, MessageId};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Broadcast, BroadcastState, RecipientState};
use hotline_telegram::requests;
use hotline_telegram::resend;
use hotline_telegram::{TgError, Upload};
use serde_json::Value;

use super::worker::Worker;
use super::{Outcome, call, db, paced_upload, queue};
use crate::broadcast::{MAX_FILE_BYTES, PROGRESS_EVERY_MS, allowance, control_text, ids_of};
use crate::ctx::ConnCtx;
use crate::jobs::Job;

fn internal(e: impl std::fmt::Display) -> TgError {
    TgError::Transient(e.to_string())
}

async fn load(ctx: &ConnCtx, id: i64) -> Result<Option<Broadcast>, TgError> {
    ctx.store.broadcasts().get(ctx.id, id).await.map_err(db)
}

/// One recipient of a running broadcast.
pub(super) async fn step(ctx: &ConnCtx, w: &Worker, id: i64) -> Result<Outcome, TgError> {
    let Some(b) = load(ctx, id).await? else {
        return Ok(Outcome::Done);
    };
    // Paused or cancelled: this job ends; Resume queues a new one.
    if b.state != BroadcastState::Running {
        return Ok(Outcome::Done);
    }
    let now = ctx.now();
    let next = ctx
        .store
        .broadcasts()
        .claim_next(id, now)
        .await
        .map_err(db)?;
    let Some((position, user)) = next else {
        let moved = ctx
            .store
            .broadcasts()
            .transition(id, &[BroadcastState::Running], BroadcastState::Done, now)
            .await
            .map_err(db)?;
        if moved {
            queue(ctx, Job::BroadcastControl { broadcast: id }).await?;
            queue(ctx, Job::BroadcastReport { broadcast: id }).await?;
        }
        return Ok(Outcome::Done);
    };
    let items: Vec<Value> = serde_json::from_str(&b.items).unwrap_or_default();
    let calls = resend::calls(&items, ChatId(user));
    let mut outcome = (RecipientState::Sent, None);
    for (i, r) in calls.iter().enumerate() {
        match call(ctx, w, user, r).await {
            Ok(_) => {}
            Err(e) if i == 0 && (e.is_transient() || matches!(e, TgError::Unauthorized)) => {
                // Nothing went out: the recipient waits for the next try.
                ctx.store
                    .broadcasts()
                    .record(id, position, RecipientState::Pending, None, ctx.now())
                    .await
                    .map_err(db)?;
                return Err(e);
            }
            Err(e) => {
                if matches!(
                    e,
                    TgError::BotBlocked | TgError::UserDeactivated | TgError::CannotInitiate
                ) {
                    ctx.store
                        .customers()
                        .set_unreachable(ctx.id, ChatId(user), Some(&e.to_string()))
                        .await
                        .map_err(db)?;
                }
                let why = if i == 0 {
                    e.to_string()
                } else {
                    format!("{e} (after {i} of {} messages)", calls.len())
                };
                outcome = (RecipientState::Failed, Some(why));
                break;
            }
        }
    }
    let now = ctx.now();
    ctx.store
        .broadcasts()
        .record(id, position, outcome.0, outcome.1.as_deref(), now)
        .await
        .map_err(db)?;
    if now - b.progress_at.unwrap_or(0) >= PROGRESS_EVERY_MS {
        ctx.store
            .broadcasts()
            .set_progress_at(id, now)
            .await
            .map_err(db)?;
        queue(ctx, Job::BroadcastControl { broadcast: id }).await?;
    }
    Ok(Outcome::Again)
}

/// The control message, sent the first time and edited after.
pub(super) async fn control(ctx: &ConnCtx, w: &Worker, id: i64) -> Result<Outcome, TgError> {
    let Some(b) = load(ctx, id).await? else {
        return Ok(Outcome::Done);
    };
    let cfg = ctx.cfg();
    let now = ctx.now();
    let counts = ctx.store.broadcasts().counts(id).await.map_err(db)?;
    let quota = allowance(
        &mut ctx.store.broadcasts(),
        ctx.id,
        cfg.plan.broadcast_limit(),
        now,
    )
    .await
    .map_err(internal)?;
    let (text, markup) = control_text(cfg.lang, &b, &counts, quota, now);
    let group = ctx.group();
    if let Some(m) = b.control_message {
        let r = requests::edit_message_text(group, MessageId(m), &text).markup(&markup);
        match call(ctx, w, group.0, &r).await {
            Ok(_) | Err(TgError::NotModified) => return Ok(Outcome::Done),
            // Deleted by someone: a new one takes its place.
            Err(TgError::MessageNotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let mut r = requests::send_message(group, &text).markup(&markup);
    if let Some(c) = b.command_message {
        r = r.reply_to(MessageId(c));
    }
    let sent = call(ctx, w, group.0, &r).await?;
    if let Some(m) = sent.get("message_id").and_then(Value::as_i64) {
        ctx.store
            .broadcasts()
            .set_control_message(id, m)
            .await
            .map_err(db)?;
    }
    Ok(Outcome::Done)
}

/// The file of ids of a `/send` with a document: read, then a draft as for any audience.
pub(super) async fn file(
    ctx: &ConnCtx,
    w: &Worker,
    file_id: &str,
    items: &[Value],
    label: &str,
    created_by: i64,
    command: i64,
) -> Result<Outcome, TgError> {
    let lang = ctx.cfg().lang;
    let group = ctx.group().0;
    while let Err(wait) = w.pacer.admit(0, tokio::time::Instant::now()) {
        tokio::time::sleep(wait).await;
    }
    let ids = match ctx.api.download(file_id, MAX_FILE_BYTES).await {
        Ok(bytes) => ids_of(lang, &bytes),
        Err(e) if e.is_transient() => return Err(e),
        Err(e) => Err(tr_args(
            lang,
            Key::BcFileUnreadable,
            &Args::new().str("error", e.to_string()),
        )),
    };
    let answer = match ids {
        Err(text) => Some(text),
        Ok(ids) => {
            let run = async {
                let mut tx = ctx.store.begin().await?;
                let a = crate::broadcast::draft(
                    ctx,
                    &mut tx,
                    lang,
                    created_by,
                    command,
                    items,
                    label,
                    &ids,
                    "file",
                    ctx.now(),
                )
                .await?;
                tx.commit().await?;
                anyhow::Ok(a)
            };
            let a = run.await.map_err(internal)?;
            ctx.work.notify_one();
            a
        }
    };
    if let Some(text) = answer {
        let r = requests::send_message(ChatId(group), &text).reply_to(MessageId(command));
        call(ctx, w, group, &r).await?;
    }
    Ok(Outcome::Done)
}

fn status(lang: Lang, s: RecipientState) -> String {
    tr(
        lang,
        match s {
            RecipientState::Pending => Key::BcStatusPending,
            RecipientState::Sending => Key::BcStatusSending,
            RecipientState::Sent => Key::BcStatusSent,
            RecipientState::Failed => Key::BcStatusFailed,
            RecipientState::Unknown => Key::BcStatusUnknown,
            RecipientState::OverQuota => Key::BcStatusOverQuota,
            RecipientState::Cancelled => Key::BcStatusCancelled,
        },
    )
}

/// Report rows read per statement.
const REPORT_PAGE: i64 = 1_000;

/// The report: every recipient with their outcome, as a CSV in General.
pub(super) async fn report(ctx: &ConnCtx, w: &Worker, id: i64) -> Result<Outcome, TgError> {
    let Some(b) = load(ctx, id).await? else {
        return Ok(Outcome::Done);
    };
    let lang = ctx.cfg().lang;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record([
        tr(lang, Key::BcColUser),
        tr(lang, Key::BcColName),
        tr(lang, Key::BcColUsername),
        tr(lang, Key::BcColStatus),
        tr(lang, Key::BcColError),
    ])
    .map_err(internal)?;
    let mut after = -1;
    loop {
        let page = ctx
            .store
            .broadcasts()
            .page(id, after, REPORT_PAGE)
            .await
            .map_err(db)?;
        let Some(last) = page.last() else { break };
        after = last.position;
        for r in &page {
            let name = r.first_name.as_deref().map_or_else(String::new, |f| {
                hotline_core::title::display_name(f, r.last_name.as_deref(), None)
            });
            out.write_record([
                r.user_id.to_string(),
                crate::export::neutralised(&name),
                crate::export::neutralised(r.username.as_deref().unwrap_or("")),
                status(lang, r.state),
                crate::export::neutralised(r.error.as_deref().unwrap_or("")),
            ])
            .map_err(internal)?;
        }
    }
    let bytes = out.into_inner().map_err(internal)?;
    let counts = ctx.store.broadcasts().counts(id).await.map_err(db)?;
    let caption = tr_args(
        lang,
        Key::BcReportCaption,
        &Args::new()
            .num("id", id)
            .num("sent", counts.sent)
            .num("failed", counts.failed)
            .num(
                "unsent",
                counts.unknown + counts.over_quota + counts.cancelled + counts.pending,
            ),
    );
    let group = ctx.group();
    let mut r = requests::send_document(group, &caption);
    if let Some(c) = b.command_message {
        r = r.reply_to(MessageId(c));
    }
    let upload = Upload {
        field: "document".into(),
        file_name: format!("broadcast-{id}.csv"),
        mime: "text/csv".into(),
        bytes,
    };
    paced_upload(ctx, w, group.0, &r, upload).await?;
    Ok(Outcome::Done)
}

/// Answers a button press; an expired or unknown query is nothing to retry.
pub(super) async fn answer(
    ctx: &ConnCtx,
    w: &Worker,
    query: &str,
    text: Option<&str>,
) -> Result<Outcome, TgError> {
    let r = requests::answer_callback(query, text);
    match call(ctx, w, 0, &r).await {
        Ok(_) => Ok(Outcome::Done),
        Err(e) if e.is_transient() => Err(e),
        Err(e) => {
            tracing::debug!(connection = %ctx.id, "answerCallbackQuery refused: {e}");
            Ok(Outcome::Done)
        }
    }
}
