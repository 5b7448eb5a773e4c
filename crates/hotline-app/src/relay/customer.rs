//! A customer's message: the filters (IGNORE_CHATS, WHITE_LIST, MONITOR_PRIVATE,
//! RESTRICTED_KEYWORDS_FRONTEND), the customer's record, their dialog (created on the first
//! message), the copy into the topic through the state machine, and edits mirrored.

use serde_json::Value;

use hotline_core::dialog::{DialogKind, Event};
use hotline_core::title::display_name;
use hotline_core::{ChatId, MessageId};
use hotline_i18n::{Key, Lang};
use hotline_store::{Customer, Tx};
use hotline_telegram::Message;
use hotline_telegram::requests;

use super::copy_due;
use crate::config::ConnConfig;
use crate::ctx::{ConnCtx, CustomerKey, LAST_SEEN_PRECISION_MS, push, reply_target};
use crate::jobs::Job;
use crate::{lifecycle, lock};

/// Why a customer's message is dropped before it reaches the state machine.
#[derive(Debug, PartialEq, Eq)]
enum Gate {
    Pass,
    /// IGNORE_CHATS, WHITE_LIST, MONITOR_PRIVATE: dropped without a word.
    Drop(&'static str),
    /// RESTRICTED_KEYWORDS_FRONTEND: not forwarded; the customer is told unless SILENT_MODE.
    Restricted,
}

fn gate(cfg: &ConnConfig, chat: i64, text: Option<&str>) -> Gate {
    let p = &cfg.params;
    if p.ignore_chats.contains(&ChatId(chat)) {
        return Gate::Drop("IGNORE_CHATS");
    }
    if !p.white_list.is_empty() && !p.white_list.contains(&ChatId(chat)) {
        return Gate::Drop("not in WHITE_LIST");
    }
    if !p.monitors(DialogKind::Private) {
        return Gate::Drop("MONITOR_PRIVATE is off");
    }
    if text.is_some_and(|t| p.restricted_keywords_frontend.matches(t)) {
        return Gate::Restricted;
    }
    Gate::Pass
}

/// The `/start` parameter of a deep link (`t.me/bot?start=PAYLOAD`).
fn start_payload(text: Option<&str>) -> Option<&str> {
    let rest = text?.strip_prefix("/start")?;
    let rest = rest.strip_prefix(' ')?.trim();
    (!rest.is_empty()).then_some(rest)
}

/// A customer wrote (or edited a message) in their private chat with the frontend bot.
pub async fn customer_message(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    raw: &Value,
    edited: bool,
    now: i64,
) -> anyhow::Result<bool> {
    let cfg = ctx.cfg();
    let chat = m.chat.id;
    let text = m.text.as_deref().or(m.caption.as_deref());
    let from = m.from.as_deref();
    let language = from.and_then(|u| u.language_code.clone());
    match gate(&cfg, chat, text) {
        Gate::Pass => {}
        Gate::Drop(why) => {
            tracing::debug!(connection = %ctx.id, chat, "customer message dropped: {why}");
            return Ok(false);
        }
        Gate::Restricted => {
            if edited || cfg.params.silent_mode {
                return Ok(false);
            }
            let lang = Lang::from_telegram(language.as_deref());
            let job = Job::SendCustomer {
                dialog: 0,
                customer: chat,
                text: hotline_i18n::tr(lang, Key::CustomerRestricted),
                html: false,
            };
            push(ctx, tx, job, now, now).await?;
            return Ok(true);
        }
    }
    let first = from
        .map(|u| u.first_name.clone())
        .or_else(|| m.chat.first_name.clone())
        .unwrap_or_default();
    let last = from
        .and_then(|u| u.last_name.clone())
        .or_else(|| m.chat.last_name.clone());
    let username = from
        .and_then(|u| u.username.clone())
        .or_else(|| m.chat.username.clone());
    let key: CustomerKey = (
        first.clone(),
        last.clone(),
        username.clone(),
        language.clone(),
    );
    let fresh = {
        lock(&ctx.customers)
            .get(&chat)
            .is_some_and(|(k, at)| *k == key && now - at < LAST_SEEN_PRECISION_MS)
    };
    if !fresh {
        tx.customers()
            .upsert(&Customer {
                connection_id: ctx.id,
                chat_id: ChatId(chat),
                first_name: first.clone(),
                last_name: last.clone(),
                username: username.clone(),
                language_code: language.clone(),
                first_seen: now,
                last_seen: now,
                unreachable: None,
                phone: None,
                start_payload: None,
            })
            .await?;
        lock(&ctx.customers).put(chat, (key, now));
    }
    // What the customer shares about themselves, for the card.
    let own_phone = m
        .contact
        .as_ref()
        .filter(|c| {
            c.user_id
                .is_some_and(|u| Some(u as i64) == from.map(|f| f.id as i64))
        })
        .map(|c| c.phone_number.clone());
    let payload = start_payload(m.text.as_deref());
    if !edited && (own_phone.is_some() || payload.is_some()) {
        tx.customers()
            .set_extra(ctx.id, ChatId(chat), own_phone.as_deref(), payload)
            .await?;
    }
    let name = display_name(&first, last.as_deref(), username.as_deref());
    let dialog = crate::ctx::customer_dialog(ctx, tx, ChatId(chat), &name, now).await?;
    let message_id = i64::from(m.message_id);
    if edited {
        if let Some(map) = tx
            .maps()
            .by_customer(ctx.id, ChatId(chat), MessageId(message_id))
            .await?
            && let Some(r) = requests::mirror_edit(raw, map.group_chat_id, map.group_message_id)
        {
            let job = Job::Mirror {
                dialog: dialog.id.0,
                chat: map.group_chat_id.0,
                method: r.method,
                params: r.params,
            };
            push(ctx, tx, job, now, now).await?;
            return Ok(true);
        }
        // No copy recorded yet: the copy may be queued (it will carry the new content) or in
        // flight (it carries the old one). Mirror behind it, once it is recorded.
        let job = Job::EditLater {
            dialog: dialog.id.0,
            customer: chat,
            inbound: true,
            message_id,
            raw: raw.clone(),
        };
        push(ctx, tx, job, now, now).await?;
        return Ok(true);
    }
    let album = m.media_group_id.clone();
    let copy = Job::CopyIn {
        dialog: dialog.id.0,
        from_chat: chat,
        message_id,
        reply_to: reply_target(m),
        album: album.clone(),
        silent: false,
        content: Some(super::content_kind(raw).to_string()),
        kept: super::kept(ctx, raw),
    };
    let matches_keywords =
        text.is_some_and(|t| cfg.params.keywords(DialogKind::Private).matches(t));
    let event = Event::CustomerMessage {
        now,
        matches_keywords,
    };
    let extras = lifecycle::Extras {
        copy: Some((copy, copy_due(ctx, album.is_some(), now))),
        customer_name: Some(first),
        customer_lang: language,
        ..Default::default()
    };
    let effects = lifecycle::apply(ctx, tx, &cfg, &dialog, event, extras, now).await?;
    Ok(!effects.is_empty())
}
