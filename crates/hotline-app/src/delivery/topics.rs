//! Topics: created on demand (closed when the dialog is), renamed to show the status,
//! closed and reopened with the dialog, and notices in them.

use serde_json::Value;

use hotline_core::title::topic_title;
use hotline_core::{ChatId, MessageId, Status, ThreadId};
use hotline_store::Dialog;
use hotline_telegram::TgError;
use hotline_telegram::requests::{self, Request};

use super::{Outcome, Worker, call, db, dialog, queue};
use crate::card;
use crate::ctx::ConnCtx;
use crate::jobs::Job;

/// The title the dialog's topic should have: status, name, and its tags' tickers.
async fn title(ctx: &ConnCtx, d: &Dialog) -> Result<String, TgError> {
    let tags = ctx.store.tags().of_dialog(d.id).await.map_err(db)?;
    let tickers: Vec<&str> = tags.iter().filter_map(|t| t.ticker.as_deref()).collect();
    Ok(topic_title(
        d.status,
        &card::shown_name(&ctx.cfg(), d),
        &tickers,
    ))
}

/// An answer in General (the team's commands there), as a reply to the command when given.
pub(super) async fn general_notice(
    ctx: &ConnCtx,
    w: &Worker,
    text: &str,
    reply_to: Option<i64>,
) -> Result<Outcome, TgError> {
    let group = ctx.group().0;
    let mut r = requests::send_message(ChatId(group), text);
    if let Some(m) = reply_to {
        r = r.reply_to(hotline_core::MessageId(m));
    }
    match call(ctx, w, group, &r).await {
        Ok(_) => Ok(Outcome::Done),
        Err(TgError::TopicClosed) => {
            tracing::warn!(connection = %ctx.id, "General is closed: an answer there was dropped");
            Ok(Outcome::Done)
        }
        Err(e) => Err(e),
    }
}

/// `/export`: one file of the customers, built now, uploaded into General.
pub(super) async fn export(
    ctx: &ConnCtx,
    w: &Worker,
    tag: Option<i64>,
    tag_name: Option<&str>,
    file: &str,
    reply_to: Option<i64>,
) -> Result<Outcome, TgError> {
    use crate::export::{Kind, MAX_ROWS, build};
    use hotline_i18n::{Args, Key, tr_args};
    let Some(kind) = Kind::parse(file) else {
        tracing::warn!(connection = %ctx.id, "an export job for an unknown file kind {file:?}; dropped");
        return Ok(Outcome::Done);
    };
    let lang = ctx.cfg().lang;
    let built = build(&ctx.store, ctx.id, tag, lang, kind)
        .await
        .map_err(|e| TgError::Transient(format!("export: {e}")))?;
    let count = i64::try_from(built.rows).unwrap_or(i64::MAX);
    let mut caption = match tag_name {
        Some(t) => tr_args(
            lang,
            Key::ExportCaptionTag,
            &Args::new().str("tag", t).num("count", count),
        ),
        None => tr_args(lang, Key::ExportCaption, &Args::new().num("count", count)),
    };
    if built.truncated {
        caption.push('\n');
        caption.push_str(&tr_args(
            lang,
            Key::ExportTruncated,
            &Args::new().num("count", i64::try_from(MAX_ROWS).unwrap_or(i64::MAX)),
        ));
    }
    let day = jiff::Timestamp::from_millisecond(ctx.now())
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let stem = match tag_name {
        Some(t) => format!("customers-{t}-{day}"),
        None => format!("customers-{day}"),
    };
    let group = ctx.group().0;
    let mut r = requests::send_document(ChatId(group), &caption);
    if let Some(m) = reply_to {
        r = r.reply_to(hotline_core::MessageId(m));
    }
    let upload = hotline_telegram::Upload {
        field: "document".into(),
        file_name: format!("{stem}.{}", kind.extension()),
        mime: kind.mime().into(),
        bytes: built.bytes,
    };
    match super::paced_upload(ctx, w, group, &r, upload).await {
        Ok(_) => Ok(Outcome::Done),
        Err(TgError::TopicClosed) => {
            tracing::warn!(connection = %ctx.id, "General is closed: an export there was dropped");
            Ok(Outcome::Done)
        }
        Err(e) => Err(e),
    }
}

/// The dialog's topic, created if it has none yet.
pub(super) async fn ensure_topic(ctx: &ConnCtx, w: &Worker, d: &Dialog) -> Result<i64, TgError> {
    if let Some(t) = d.thread_id {
        return Ok(t.0);
    }
    let cfg = ctx.cfg();
    let status = d.status;
    let name = title(ctx, d).await?;
    let group = ctx.group().0;
    let create = requests::create_topic(ChatId(group), &name, cfg.params.icon_color.rgb());
    let created = call(ctx, w, group, &create).await;
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
        let close = requests::close_topic(ChatId(group), ThreadId(thread));
        match call(ctx, w, group, &close).await {
            Ok(_) | Err(TgError::NotModified) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(thread)
}

/// Queues a notice behind the current job (it goes out in the topic's order).
pub(super) async fn notice_after(ctx: &ConnCtx, d: &Dialog, text: &str) -> Result<(), TgError> {
    queue(
        ctx,
        Job::Notice {
            dialog: d.id.0,
            text: text.to_string(),
        },
    )
    .await
}

pub(super) async fn notice_now(
    ctx: &ConnCtx,
    w: &Worker,
    dialog_id: i64,
    text: &str,
    reply_to: Option<i64>,
) -> Result<Outcome, TgError> {
    let Some(d) = dialog(ctx, dialog_id).await? else {
        return Ok(Outcome::Done);
    };
    call_in_topic(ctx, w, &d, |group, thread| {
        let r = requests::send_message(ChatId(group), text).in_thread(ThreadId(thread));
        match reply_to {
            Some(m) => r.reply_to(MessageId(m)),
            None => r,
        }
    })
    .await?;
    Ok(Outcome::Done)
}

/// A notice in a topic no dialog owns; a topic that is gone meanwhile needs none.
pub(super) async fn thread_notice(
    ctx: &ConnCtx,
    w: &Worker,
    thread: i64,
    text: &str,
    close: bool,
) -> Result<Outcome, TgError> {
    let group = ctx.group().0;
    let notice = requests::send_message(ChatId(group), text).in_thread(ThreadId(thread));
    let sent = call(ctx, w, group, &notice).await;
    match sent {
        Ok(_) => {}
        Err(TgError::ThreadNotFound | TgError::TopicClosed) => return Ok(Outcome::Done),
        Err(e) => return Err(e),
    }
    if close {
        let close = requests::close_topic(ChatId(group), ThreadId(thread));
        match call(ctx, w, group, &close).await {
            Ok(_) | Err(TgError::NotModified | TgError::ThreadNotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Outcome::Done)
}

pub(super) async fn rename(ctx: &ConnCtx, w: &Worker, dialog_id: i64) -> Result<Outcome, TgError> {
    let Some(d) = dialog(ctx, dialog_id).await? else {
        return Ok(Outcome::Done);
    };
    let Some(ThreadId(thread)) = d.thread_id else {
        return Ok(Outcome::Done);
    };
    let group = ctx.group().0;
    let name = title(ctx, &d).await?;
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
    let r = requests::rename_topic(ChatId(group), ThreadId(thread), &name);
    match call(ctx, w, group, &r).await {
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
pub(super) async fn topic_state(
    ctx: &ConnCtx,
    w: &Worker,
    dialog_id: i64,
) -> Result<Outcome, TgError> {
    let Some(d) = dialog(ctx, dialog_id).await? else {
        return Ok(Outcome::Done);
    };
    let Some(ThreadId(thread)) = d.thread_id else {
        // No topic yet: it is created in the right state.
        return Ok(Outcome::Done);
    };
    let group = ctx.group().0;
    let r = if d.status == Status::Closed {
        requests::close_topic(ChatId(group), ThreadId(thread))
    } else {
        requests::reopen_topic(ChatId(group), ThreadId(thread))
    };
    match call(ctx, w, group, &r).await {
        // Already in that state, or gone (the next message recreates an open dialog's topic).
        Ok(_) | Err(TgError::NotModified | TgError::ThreadNotFound) => Ok(Outcome::Done),
        Err(e) => Err(e),
    }
}

/// Makes a call into the dialog's topic. A topic that is gone (deleted, archived) gets a
/// new one and the call is repeated there, so nothing meant for the topic is lost.
pub(super) async fn call_in_topic(
    ctx: &ConnCtx,
    w: &Worker,
    d: &Dialog,
    build: impl Fn(i64, i64) -> Request,
) -> Result<Value, TgError> {
    let mut d = d.clone();
    for _ in 0..2 {
        let thread = ensure_topic(ctx, w, &d).await?;
        let group = ctx.group().0;
        let r = build(group, thread);
        match call(ctx, w, group, &r).await {
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
