//! The Telegram Business screens: which account, the bot's token with Business Mode, waiting
//! for the account to connect the bot, and what a business connection's card adds. Pure,
//! like [`super::screens`].

use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_telegram::business::Link;

use super::callback::Cb;
use super::screen::{Screen, back, cb};
use crate::notices::business_rights;

/// Connect account: the kinds of account this instance can connect.
pub fn account_kinds(lang: Lang) -> Screen {
    Screen::new(tr(lang, Key::SetupAccountKinds))
        .row(vec![cb(lang, Key::ButtonConnectBusiness, Cb::NewBusiness)])
        .row(back(lang, Cb::New))
}

/// The steps, and the token of a bot with Business Mode.
pub fn ask_token(lang: Lang) -> Screen {
    Screen::new(tr(lang, Key::SetupBusinessAskToken)).row(vec![cb(
        lang,
        Key::ButtonCancel,
        Cb::Cancel,
    )])
}

/// A token whose bot has Business Mode off.
pub fn mode_off(lang: Lang, bot: &str) -> Screen {
    ask_token(lang).under(&tr_args(
        lang,
        Key::SetupBusinessModeOff,
        &Args::new().str("bot", bot),
    ))
}

/// The bot passed: now the account connects it in Telegram.
pub fn connect(lang: Lang, bot: &str, token_deleted: bool) -> Screen {
    let mut text = tr_args(
        lang,
        Key::SetupBusinessConnect,
        &Args::new().str("bot", bot),
    );
    if token_deleted {
        text = format!("{}\n\n{text}", tr(lang, Key::SetupTokenDeleted));
    }
    Screen::new(text).row(vec![cb(lang, Key::ButtonCancel, Cb::Cancel)])
}

fn args(lang: Lang, bot: &str, link: &Link) -> Args {
    Args::new()
        .str("bot", bot)
        .str("account", link.owner_name.clone())
        .str("rights", business_rights(lang, link.rights))
}

/// The account connected the bot (said above the group-linking screen).
pub fn connected(lang: Lang, bot: &str, link: &Link) -> String {
    tr_args(lang, Key::SetupBusinessConnected, &args(lang, bot, link))
}

/// The account turned the bot off while the admin was setting up.
pub fn turned_off(lang: Lang, bot: &str, link: &Link) -> String {
    tr_args(lang, Key::SetupBusinessOff, &args(lang, bot, link))
}

/// A group arrived before the account connected the bot.
pub fn connect_first(lang: Lang, bot: &str) -> Screen {
    Screen::new(tr_args(
        lang,
        Key::SetupBusinessFirst,
        &Args::new().str("bot", bot),
    ))
}

/// What a business connection's card says about the account: its name and the rights
/// granted, or that it disconnected the bot.
pub fn card_lines(lang: Lang, bot: &str, link: &Link) -> String {
    let a = args(lang, bot, link);
    let mut text = tr_args(lang, Key::SetupCardBusiness, &a);
    if !link.enabled {
        text.push('\n');
        text.push_str(&tr_args(lang, Key::SetupCardBusinessOff, &a));
    }
    text
}

/// The connection runs: customers write to the account (not to the bot).
pub fn ready(lang: Lang, bot: &str, group: &str, link: &Link, no_ban: bool) -> String {
    let a = args(lang, bot, link).str("group", group);
    let mut text = tr_args(lang, Key::SetupBusinessReady, &a);
    if no_ban {
        text.push_str("\n\n");
        text.push_str(&tr_args(lang, Key::SetupGroupNoBan, &a));
    }
    text
}
