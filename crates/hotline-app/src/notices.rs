//! Notices the relay posts into a topic for the team.
//!
//! English only for now: the localized catalogs (en, ru, es, de) arrive with the setup-bot
//! issue, which moves these texts into them.

use hotline_telegram::TgError;

/// Why a message to the customer was not delivered, in words for the team.
pub fn not_delivered(e: &TgError) -> String {
    let why = match e {
        TgError::BotBlocked => "the customer blocked the bot",
        TgError::UserDeactivated => "the customer deleted their Telegram account",
        TgError::CannotInitiate | TgError::ChatNotFound => "the customer has not started the bot",
        TgError::TooLong => "the message is too long for Telegram",
        _ => "Telegram refused it",
    };
    match e {
        TgError::BotBlocked
        | TgError::UserDeactivated
        | TgError::CannotInitiate
        | TgError::ChatNotFound
        | TgError::TooLong => {
            format!("⚠️ Not delivered: {why}.")
        }
        other => format!("⚠️ Not delivered: {why} ({other})."),
    }
}

pub fn not_relayed(e: &TgError) -> String {
    format!("⚠️ A message from the customer could not be shown here: {e}.")
}

pub fn edit_not_mirrored(e: &TgError) -> String {
    format!("⚠️ The edit did not reach the customer: {e}.")
}

pub const RETRACTED: &str = "🗑 Retracted: the customer's copy was deleted.";

pub fn not_retracted(e: &TgError) -> String {
    format!("⚠️ Could not retract the message: {e} (Telegram allows deleting for 48 hours).")
}

pub const DEL_NEEDS_REPLY: &str =
    "ℹ️ Reply to a message you sent to the customer with /del to retract it.";
