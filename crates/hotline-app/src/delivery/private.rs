//! Private messages: to a customer (notices in their language, with HTML falling back to
//! plain text), customer cards and admin alerts sent by the setup bot.

use hotline_core::ChatId;
use hotline_i18n::Key;
use hotline_telegram::{TgError, requests};

use super::topics::notice_after;
use super::{Outcome, Worker, call, dialog, paced_call};
use crate::ctx::ConnCtx;
use crate::notices;

/// A message from Hotline to the customer. HTML that Telegram cannot parse goes as plain
/// text rather than not at all.
pub(super) async fn send_customer(
    ctx: &ConnCtx,
    w: &Worker,
    dialog_id: i64,
    customer: i64,
    text: &str,
    html: bool,
) -> Result<Outcome, TgError> {
    let plain = requests::send_message(ChatId(customer), text);
    let first = if html {
        plain.clone().html()
    } else {
        plain.clone()
    };
    let mut result = call(ctx, w, customer, &first).await;
    if html && matches!(&result, Err(TgError::BadRequest(m)) if m.contains("parse entities")) {
        tracing::warn!(
            connection = %ctx.id,
            "WELCOME is not valid HTML; sent as plain text"
        );
        result = call(ctx, w, customer, &plain).await;
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

/// The setup bot tells the connection's admins something unasked; an admin who never
/// started the setup bot (or blocked it) is skipped.
pub(super) async fn admin_alert(
    ctx: &ConnCtx,
    w: &Worker,
    users: &[i64],
    text: &str,
) -> Result<Outcome, TgError> {
    let Some(setup) = &ctx.setup_api else {
        return Ok(Outcome::Done);
    };
    for user in users {
        let r = requests::send_message(ChatId(*user), text);
        match paced_call(setup, w, *user, &r).await {
            Ok(_) => {}
            Err(e) if e.is_transient() => return Err(e),
            Err(e) => tracing::info!(connection = %ctx.id, user, "admin alert not sent: {e}"),
        }
    }
    Ok(Outcome::Done)
}

/// A card sent privately by the setup bot to each allowed member; the topic is told how
/// many received it.
pub(super) async fn private_card(
    ctx: &ConnCtx,
    w: &Worker,
    dialog_id: i64,
    users: &[i64],
    text: &str,
) -> Result<Outcome, TgError> {
    let mut sent = 0i64;
    if let Some(setup) = &ctx.setup_api {
        for user in users {
            let r = requests::send_message(ChatId(*user), text);
            match paced_call(setup, w, *user, &r).await {
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
