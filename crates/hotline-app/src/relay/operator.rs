//! An operator's message in a topic: who may answer (observers comment), REPLY_ONLY, the
//! copy to the customer, edits mirrored, and topics no dialog owns (orphans).

use serde_json::Value;

use hotline_core::roles::{Action, check};
use hotline_core::{Direction, MessageId};
use hotline_i18n::{Args, Key, tr, tr_args};
use hotline_store::{Dialog, Tx};
use hotline_telegram::Message;
use hotline_telegram::requests;

use super::copy_due;
use crate::ctx::{ConnCtx, push, reply_target};
use crate::jobs::Job;
use crate::{card, lock};

/// Someone wrote (or edited a message) in a topic of the backend group.
pub async fn operator_message(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    raw: &Value,
    edited: bool,
    now: i64,
) -> anyhow::Result<bool> {
    let Some(thread) = m.message_thread_id.map(i64::from) else {
        return Ok(false);
    };
    let dialog = match ctx.dialog_in_topic(tx, thread).await? {
        Some(d) => d,
        None => match orphan_topic(ctx, tx, raw, thread, edited, now).await? {
            (Some(d), _) => d,
            (None, told) => return Ok(told),
        },
    };
    let cfg = ctx.cfg();
    let sender = m.from.as_ref().map_or(0, |u| u.id as i64);
    if check(cfg.role_of(sender), Action::AnswerCustomer).is_err() {
        // An observer's message stays in the topic as a comment.
        return Ok(false);
    }
    let message_id = i64::from(m.message_id);
    if edited {
        let Some(map) = tx
            .maps()
            .by_group(ctx.id, ctx.group(), MessageId(message_id))
            .await?
        else {
            // Not recorded yet (the copy to the customer may be in flight): mirror behind it.
            let job = Job::EditLater {
                dialog: dialog.id.0,
                customer: dialog.customer_chat_id.0,
                inbound: false,
                message_id,
                raw: raw.clone(),
            };
            push(ctx, tx, job, now, now).await?;
            return Ok(true);
        };
        if map.direction != Direction::Out {
            return Ok(false);
        }
        let Some(r) = requests::mirror_edit(raw, map.customer_chat_id, map.customer_message_id)
        else {
            return Ok(false);
        };
        let job = Job::Mirror {
            dialog: dialog.id.0,
            chat: map.customer_chat_id.0,
            method: r.method,
            params: r.params,
        };
        push(ctx, tx, job, now, now).await?;
        return Ok(true);
    }
    let reply_to = reply_target(m);
    if cfg.params.reply_only {
        // Only replies to the customer's messages are delivered; the rest are comments.
        let replies_to_customer = match reply_to {
            Some(r) => tx
                .maps()
                .by_group(ctx.id, ctx.group(), MessageId(r))
                .await?
                .is_some_and(|e| e.direction == Direction::In),
            None => false,
        };
        if !replies_to_customer {
            return Ok(false);
        }
    }
    let album = m.media_group_id.clone();
    let not_before = copy_due(ctx, album.is_some(), now);
    let job = Job::CopyOut {
        dialog: dialog.id.0,
        customer: dialog.customer_chat_id.0,
        message_id,
        reply_to,
        album,
        content: Some(super::content_kind(raw).to_string()),
        kept: super::kept(ctx, raw),
    };
    push(ctx, tx, job, not_before, now).await?;
    Ok(true)
}

/// An operator wrote in a topic no dialog owns. A topic this bot created under a title it
/// is in doubt about (its createForumTopic answer was lost, see `delivery::ensure_topic`)
/// belongs to that dialog: the message is delivered as if written in the customer's topic,
/// and the orphan gets a notice pointing there (and is closed). Any other topic this bot
/// made (its dialog deleted meanwhile) gets a notice that nothing written there is
/// delivered; topics made by people or other bots are left alone (several connections may
/// share one group). Each topic is told once per process.
/// Returns the dialog to deliver to, and whether a notice was queued.
async fn orphan_topic(
    ctx: &ConnCtx,
    tx: &mut Tx,
    raw: &Value,
    thread: i64,
    edited: bool,
    now: i64,
) -> anyhow::Result<(Option<Dialog>, bool)> {
    if edited {
        return Ok((None, false));
    }
    // Every topic message replies to the topic's creation message, which carries the title.
    let created = raw.pointer("/reply_to_message/forum_topic_created/name");
    let by_us = raw
        .pointer("/reply_to_message/from/id")
        .and_then(Value::as_i64)
        == Some(ctx.bot_id);
    if !by_us {
        // Made by hand, or by another connection's bot sharing this group: not ours to judge.
        return Ok((None, false));
    }
    let mut dialog = None;
    if let Some(name) = created.and_then(Value::as_str) {
        let ids = tx.dialogs().doubted_by_name(ctx.id, name).await?;
        if let [only] = ids.as_slice() {
            dialog = tx.dialogs().get(*only).await?;
        } else if ids.len() > 1 {
            tracing::warn!(
                connection = %ctx.id,
                thread,
                "an orphan topic matches {} dialogs; not delivered",
                ids.len()
            );
        }
    }
    let first_time = lock(&ctx.told_threads).put(thread, ()).is_none();
    if !first_time {
        return Ok((dialog, false));
    }
    let cfg = ctx.cfg();
    let job = match &dialog {
        Some(d) => {
            let link = match d.thread_id {
                Some(t) => topic_link(ctx.group().0, t.0),
                None => String::new(),
            };
            let text = tr_args(
                cfg.lang,
                Key::NoticeOrphanTopic,
                &Args::new()
                    .str("name", card::shown_name(&cfg, d))
                    .str("link", link),
            );
            tracing::warn!(
                connection = %ctx.id,
                thread,
                dialog = %d.id,
                "an operator wrote in an orphan topic; delivered to its dialog"
            );
            Job::ThreadNotice {
                thread,
                text,
                close: true,
            }
        }
        None => Job::ThreadNotice {
            thread,
            text: tr(cfg.lang, Key::NoticeUnknownTopic),
            close: false,
        },
    };
    push(ctx, tx, job, now, now).await?;
    Ok((dialog, true))
}

/// A link to a topic of a supergroup (`-100…` ids), for the team.
fn topic_link(group: i64, thread: i64) -> String {
    let id = group.to_string();
    match id.strip_prefix("-100") {
        Some(internal) => format!("https://t.me/c/{internal}/{thread}"),
        None => String::new(),
    }
}
