//! Routing: classifies one stored update and hands it to exactly one flow — the backend
//! group's membership ([`crate::rights`]), a customer's message ([`crate::relay`]), an
//! operator's message, a topic command ([`crate::commands`]), a command in General
//! ([`crate::general`]) — none of which calls back here. Malformed and unknown updates are logged and skipped.

use serde_json::Value;

use hotline_core::route::{Incoming, Route, route};
use hotline_store::{InboxItem, Tx};
use hotline_telegram::{ChatType, Message, UpdateContent, parse_update};

use crate::commands;
use crate::ctx::ConnCtx;
use crate::relay;

fn raw_message(raw: &Value) -> Option<&Value> {
    ["message", "edited_message"]
        .iter()
        .find_map(|k| raw.get(*k))
}

/// Applies one update (already marked processed in `tx`); returns (jobs were queued, the
/// group migrated to).
pub(crate) async fn process(
    ctx: &ConnCtx,
    tx: &mut Tx,
    item: &InboxItem,
    now: i64,
) -> anyhow::Result<(bool, Option<i64>)> {
    let raw: Value = match serde_json::from_str(&item.payload) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(
                connection = %ctx.id,
                update = %item.update_id,
                "a stored update is not JSON; skipped: {e}"
            );
            Value::Null
        }
    };
    let mut pushed = false;
    let mut migrate_to = None;
    if let Some(cm) = raw.get("my_chat_member")
        && cm.pointer("/chat/id").and_then(Value::as_i64) == Some(ctx.group().0)
        && let Some(member) = cm.get("new_chat_member")
    {
        pushed = crate::rights::on_member_update(ctx, tx, member, now).await?;
        return Ok((pushed, None));
    }
    if let Some(bc) = raw.get("business_connection") {
        pushed = crate::business::on_connection(ctx, tx, bc, now).await?;
        return Ok((pushed, None));
    }
    for (kind, edited) in [
        ("business_message", false),
        ("edited_business_message", true),
    ] {
        if let Some(m) = raw.get(kind) {
            pushed = crate::business::on_message(ctx, tx, m, edited, now).await?;
            return Ok((pushed, None));
        }
    }
    if let Some(d) = raw.get("deleted_business_messages") {
        pushed = crate::business::on_deleted(ctx, tx, d, now).await?;
        return Ok((pushed, None));
    }
    if let Some(q) = raw.get("callback_query") {
        // Buttons under our messages in the backend group (a broadcast's control message).
        pushed = crate::broadcast::on_button(ctx, tx, q, now).await?;
        return Ok((pushed, None));
    }
    match parse_update(&raw).map(|u| u.content) {
        Some(UpdateContent::Message(m)) => {
            migrate_to = m.migrate_to_chat_id;
            let rm = raw_message(&raw).cloned().unwrap_or(Value::Null);
            pushed = on_message(ctx, tx, &m, &rm, false, now).await?;
        }
        Some(UpdateContent::EditedMessage(m)) => {
            let rm = raw_message(&raw).cloned().unwrap_or(Value::Null);
            pushed = on_message(ctx, tx, &m, &rm, true, now).await?;
        }
        Some(_) => {}
        None if KNOWN_KINDS.iter().any(|k| raw.get(*k).is_some()) => tracing::warn!(
            connection = %ctx.id,
            update = %item.update_id,
            "a malformed update was skipped: {}",
            truncated(&item.payload, 300)
        ),
        None => tracing::debug!(
            connection = %ctx.id,
            update = %item.update_id,
            "skipping an update kind this build does not know"
        ),
    }
    Ok((pushed, migrate_to))
}

/// Update kinds this build parses: one of them that does not parse is malformed.
const KNOWN_KINDS: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "callback_query",
    "my_chat_member",
    "chat_member",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
];

/// At most `max` characters of `s`, for a log line.
fn truncated(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

async fn on_message(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    raw: &Value,
    edited: bool,
    now: i64,
) -> anyhow::Result<bool> {
    let group = ctx.group();
    let is_private = matches!(m.chat.type_field, ChatType::Private);
    let text = m.text.as_deref().or(m.caption.as_deref());
    let incoming = Incoming {
        from_customer_chat: is_private && m.chat.id > 0,
        in_backend_group: m.chat.id == group.0,
        sender_is_bot: m.from.as_ref().is_some_and(|u| u.is_bot) && m.sender_chat.is_none(),
        sender_is_chat: m.sender_chat.is_some(),
        is_topic_message: m.is_topic_message == Some(true),
        is_service: !relay::CONTENT_KEYS.iter().any(|k| raw.get(*k).is_some()),
        text,
    };
    if incoming.in_backend_group
        && !incoming.sender_is_chat
        && let Some(u) = m.from.as_ref().filter(|u| !u.is_bot)
    {
        crate::ctx::remember_member(ctx, tx, u, now).await?;
    }
    if incoming.from_customer_chat && ctx.frontend().business().is_some() {
        // Customers of a business frontend write to the account, not to the bot: a message
        // to the bot itself has no topic here (its chat id would be the customer's chat
        // with the account).
        tracing::debug!(connection = %ctx.id, "a message to the business bot itself; ignored");
        return Ok(false);
    }
    match route(&incoming) {
        Route::ToTopic => relay::customer_message(ctx, tx, m, raw, edited, now).await,
        Route::ToCustomer => relay::operator_message(ctx, tx, m, raw, edited, now).await,
        Route::Command if !edited => commands::command(ctx, tx, m, now).await,
        Route::GeneralCommand if !edited => crate::general::command(ctx, tx, m, raw, now).await,
        Route::Ignore("General topic") if !edited && !incoming.sender_is_chat => {
            // A member recording a template (`/template new NAME`): the message is kept.
            let Some(sender) = m.from.as_ref().filter(|u| !u.is_bot) else {
                return Ok(false);
            };
            let lang = ctx.cfg().lang;
            match crate::templates::record(ctx, tx, lang, sender.id as i64, raw).await? {
                Some(text) => {
                    let job = crate::jobs::Job::GeneralNotice {
                        text,
                        reply_to: Some(i64::from(m.message_id)),
                    };
                    crate::ctx::push(ctx, tx, job, now, now).await?;
                    Ok(true)
                }
                None => Ok(false),
            }
        }
        Route::Ignore("anonymous administrator") if !edited => {
            commands::refuse_anonymous(ctx, tx, m, now).await
        }
        Route::Command | Route::GeneralCommand | Route::InternalComment | Route::Ignore(_) => {
            Ok(false)
        }
    }
}
