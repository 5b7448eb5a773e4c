//! Telegram Business updates for a connection whose frontend is a business account
//! ([`crate::frontend::Frontend::Business`]): the connection itself (`business_connection`:
//! rights changed, disconnected, reconnected), the account's chats (`business_message`,
//! `edited_business_message`: a customer's message goes through the relay exactly like one
//! sent to a bot; one the owner wrote from their own Telegram app is shown in the topic as
//! theirs) and deletions (`deleted_business_messages`: a notice under the copy in the topic).
//!
//! Only the connection the frontend was set up with counts: anyone with Telegram Premium can
//! connect a bot that has Business Mode to *their* account, and such a connection, its
//! chats and its deletions are ignored (never relayed, never stored).

use serde_json::{Value, json};

use hotline_core::dialog::Event;
use hotline_core::title::display_name;
use hotline_core::{ChatId, MessageId};
use hotline_i18n::{Args, Key, tr, tr_args};
use hotline_store::Tx;
use hotline_telegram::Message;
use hotline_telegram::business::Link;

use crate::ctx::{ConnCtx, push};
use crate::frontend::Frontend;
use crate::jobs::{Job, Kept};
use crate::{lifecycle, relay};

/// The frontend's business connection when `id` is it.
fn ours(ctx: &ConnCtx, id: Option<&str>) -> Option<Link> {
    let f = ctx.frontend();
    let link = f.business()?;
    (Some(link.id.as_str()) == id).then(|| link.clone())
}

/// A `business_connection` update. The account that was connected may change its rights,
/// disconnect the bot (`is_enabled: false`) or connect it again (a new connection id): the
/// stored connection follows, and the connection's admins are told.
pub async fn on_connection(
    ctx: &ConnCtx,
    tx: &mut Tx,
    raw: &Value,
    now: i64,
) -> anyhow::Result<bool> {
    let Some(link) = Link::from_json(raw) else {
        tracing::warn!(connection = %ctx.id, "a business_connection update does not read; skipped");
        return Ok(false);
    };
    let frontend = ctx.frontend();
    let Some(before) = frontend.business() else {
        tracing::info!(
            connection = %ctx.id,
            "someone connected this bot to a Telegram Business account; this connection's frontend is the bot itself, so it is ignored"
        );
        return Ok(false);
    };
    if link.owner != before.owner {
        tracing::warn!(
            connection = %ctx.id,
            "another Telegram Business account connected this bot; ignored (the connection serves account {})",
            before.owner.0
        );
        return Ok(false);
    }
    if link == *before {
        return Ok(false);
    }
    tx.connections()
        .set_business(ctx.id, &raw.to_string())
        .await?;
    let alert = change_alert(ctx, before, &link);
    tracing::info!(
        connection = %ctx.id,
        enabled = link.enabled,
        "the Telegram Business connection changed"
    );
    ctx.set_frontend(Frontend::Business(link));
    match alert {
        Some(text) => {
            let job = Job::AdminAlert {
                users: crate::rights::admins(&ctx.cfg()),
                text,
            };
            push(ctx, tx, job, now, now).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// What the admins hear about a change of the business connection, if anything.
fn change_alert(ctx: &ConnCtx, before: &Link, after: &Link) -> Option<String> {
    let lang = ctx.cfg().lang;
    let args = Args::new()
        .str("account", after.owner_name.clone())
        .str("bot", ctx.bot_username.clone());
    match (before.enabled, after.enabled) {
        (true, false) => Some(tr_args(lang, Key::AlertBusinessDisabled, &args)),
        (false, true) => Some(tr_args(
            lang,
            Key::AlertBusinessEnabled,
            &args.str(
                "rights",
                crate::notices::business_rights(lang, after.rights),
            ),
        )),
        (true, true) if before.rights != after.rights => Some(tr_args(
            lang,
            Key::AlertBusinessRights,
            &args.str(
                "rights",
                crate::notices::business_rights(lang, after.rights),
            ),
        )),
        _ => None,
    }
}

/// A `business_message` or `edited_business_message` update.
pub async fn on_message(
    ctx: &ConnCtx,
    tx: &mut Tx,
    raw: &Value,
    edited: bool,
    now: i64,
) -> anyhow::Result<bool> {
    let id = raw.get("business_connection_id").and_then(Value::as_str);
    let Some(link) = ours(ctx, id) else {
        tracing::debug!(connection = %ctx.id, "a message of another business connection; ignored");
        return Ok(false);
    };
    if raw.get("sender_business_bot").is_some() {
        // Sent by a bot on behalf of the account: ours (a copy of an answer), or another
        // chatbot's.
        return Ok(false);
    }
    let m: Message = match serde_json::from_value(raw.clone()) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(connection = %ctx.id, "a business message does not read; skipped: {e}");
            return Ok(false);
        }
    };
    if m.chat.id <= 0 {
        return Ok(false);
    }
    let from = m.from.as_ref().map(|u| u.id as i64);
    if from == Some(link.owner.0) {
        return owner_message(ctx, tx, &m, raw, &link, edited, now).await;
    }
    relay::customer_message(ctx, tx, &m, raw, edited, now).await
}

/// The account's owner wrote to the customer from their own Telegram app: shown in the
/// customer's topic as theirs (an answer: the dialog counts as answered). Their edits are
/// not followed (the topic copy is ours, the original is theirs).
async fn owner_message(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    raw: &Value,
    link: &Link,
    edited: bool,
    now: i64,
) -> anyhow::Result<bool> {
    if edited {
        return Ok(false);
    }
    let chat = &m.chat;
    let name = display_name(
        chat.first_name.as_deref().unwrap_or(""),
        chat.last_name.as_deref(),
        chat.username.as_deref(),
    );
    let dialog = crate::ctx::customer_dialog(ctx, tx, ChatId(chat.id), &name, now).await?;
    let lang = ctx.cfg().lang;
    let label = tr_args(
        lang,
        Key::NoticeOwnerWrote,
        &Args::new().str("account", link.owner_name.clone()),
    );
    let kept = match Kept::of(raw) {
        Kept::Content(v) => Kept::Content(labelled(&v, &label)),
        other => other,
    };
    let copy = Job::CopyIn {
        dialog: dialog.id.0,
        from_chat: chat.id,
        message_id: i64::from(m.message_id),
        reply_to: crate::ctx::reply_target(m),
        album: m.media_group_id.clone(),
        silent: true,
        content: Some(relay::content_kind(raw).to_string()),
        kept: Some(kept),
    };
    let due = relay::copy_due(ctx, m.media_group_id.is_some(), now);
    push(ctx, tx, copy, due, now).await?;
    let cfg = ctx.cfg();
    let event = Event::OperatorMessageDelivered { now };
    lifecycle::apply(ctx, tx, &cfg, &dialog, event, Default::default(), now).await?;
    Ok(true)
}

/// UTF-16 length, the unit of Telegram's entity offsets.
fn utf16_len(s: &str) -> i64 {
    s.encode_utf16().count() as i64
}

/// A kept message with `label` on a line of its own before its text or caption (entity
/// offsets shifted to match); kinds without a caption stay as they are.
fn labelled(item: &Value, label: &str) -> Value {
    let mut out = item.clone();
    let (text_key, entities_key) = match hotline_telegram::resend::kind(item) {
        "text" => ("text", "entities"),
        "photo" | "video" | "animation" | "document" | "audio" | "voice" => {
            ("caption", "caption_entities")
        }
        _ => return out,
    };
    let Some(o) = out.as_object_mut() else {
        return out;
    };
    let old = o.get(text_key).and_then(Value::as_str).unwrap_or("");
    let (text, shift) = if old.is_empty() {
        (label.to_string(), 0)
    } else {
        let prefix = format!("{label}\n");
        (format!("{prefix}{old}"), utf16_len(&prefix))
    };
    o.insert(text_key.into(), json!(text));
    if let Some(Value::Array(entities)) = o.get_mut(entities_key) {
        for e in entities.iter_mut() {
            if let Some(off) = e.get("offset").and_then(Value::as_i64)
                && let Some(eo) = e.as_object_mut()
            {
                eo.insert("offset".into(), json!(off + shift));
            }
        }
    }
    out
}

/// A `deleted_business_messages` update: every deleted message that has a copy in a topic
/// gets a notice under that copy (the copy itself stays, so the team still reads it).
pub async fn on_deleted(ctx: &ConnCtx, tx: &mut Tx, raw: &Value, now: i64) -> anyhow::Result<bool> {
    let id = raw.get("business_connection_id").and_then(Value::as_str);
    if ours(ctx, id).is_none() {
        return Ok(false);
    }
    let Some(chat) = raw.pointer("/chat/id").and_then(Value::as_i64) else {
        return Ok(false);
    };
    let ids: Vec<i64> = raw
        .get("message_ids")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let text = tr(ctx.cfg().lang, Key::NoticeDeletedInChat);
    let mut pushed = false;
    for m in ids {
        let Some(map) = tx
            .maps()
            .by_customer(ctx.id, ChatId(chat), MessageId(m))
            .await?
        else {
            continue;
        };
        let job = Job::ReplyNotice {
            dialog: map.dialog_id.0,
            text: text.clone(),
            reply_to: map.group_message_id.0,
        };
        push(ctx, tx, job, now, now).await?;
        pushed = true;
    }
    Ok(pushed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_goes_before_the_text_and_entities_follow_it() {
        let item = json!({ "kind": "text", "text": "hi there",
            "entities": [{ "type": "bold", "offset": 3, "length": 5 }] });
        let out = labelled(&item, "👤 Olga:");
        assert_eq!(out["text"], "👤 Olga:\nhi there");
        // "👤" is two UTF-16 units: "👤 Olga:\n" is nine.
        assert_eq!(out["entities"][0]["offset"], 3 + 9);
        let photo = json!({ "kind": "photo", "file_id": "f" });
        assert_eq!(labelled(&photo, "L")["caption"], "L");
        let sticker = json!({ "kind": "sticker", "file_id": "s" });
        assert_eq!(labelled(&sticker, "L"), sticker);
    }
}
