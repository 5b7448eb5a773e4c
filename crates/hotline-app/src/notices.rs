//! Notices the delivery worker posts into a topic for the team, in the team's language.

use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_telegram::TgError;
use hotline_telegram::business::Rights;

fn with_error(lang: Lang, key: Key, e: &TgError) -> String {
    tr_args(lang, key, &Args::new().str("error", e.to_string()))
}

/// Why a message to the customer was not delivered, in words for the team.
pub fn not_delivered(lang: Lang, e: &TgError) -> String {
    match e {
        TgError::BotBlocked => tr(lang, Key::NoticeNotDeliveredBlocked),
        TgError::UserDeactivated => tr(lang, Key::NoticeNotDeliveredDeactivated),
        TgError::CannotInitiate | TgError::ChatNotFound => {
            tr(lang, Key::NoticeNotDeliveredNotStarted)
        }
        TgError::TooLong => tr(lang, Key::NoticeNotDeliveredTooLong),
        TgError::ReplyWindowClosed => tr(lang, Key::NoticeNotDeliveredWindow),
        TgError::BusinessRightMissing => tr(lang, Key::NoticeNotDeliveredNoRight),
        TgError::BusinessConnectionInvalid => tr(lang, Key::NoticeNotDeliveredDisconnected),
        TgError::BusinessPeerInvalid => tr(lang, Key::NoticeNotDeliveredNotRecipient),
        other => with_error(lang, Key::NoticeNotDeliveredOther, other),
    }
}

pub fn not_relayed(lang: Lang, e: &TgError) -> String {
    with_error(lang, Key::NoticeNotRelayed, e)
}

pub fn edit_not_mirrored(lang: Lang, e: &TgError) -> String {
    with_error(lang, Key::NoticeEditNotMirrored, e)
}

pub fn retracted(lang: Lang) -> String {
    tr(lang, Key::NoticeRetracted)
}

pub fn not_retracted(lang: Lang, e: &TgError) -> String {
    with_error(lang, Key::NoticeNotRetracted, e)
}

/// The rights Hotline uses, as the admins read them; saying so when replying is not allowed.
pub fn business_rights(lang: Lang, r: Rights) -> String {
    let mut names = Vec::new();
    for (granted, key) in [
        (r.reply, Key::AlertBusinessRightReply),
        (r.read_messages, Key::AlertBusinessRightRead),
        (r.delete_sent_messages, Key::AlertBusinessRightDeleteSent),
        (r.delete_all_messages, Key::AlertBusinessRightDeleteAll),
    ] {
        if granted {
            names.push(tr(lang, key));
        }
    }
    let mut out = if names.is_empty() {
        tr(lang, Key::AlertBusinessRightsNone)
    } else {
        names.join(", ")
    };
    if !r.reply {
        out.push_str(". ");
        out.push_str(&tr(lang, Key::AlertBusinessNoReply));
    }
    out
}
