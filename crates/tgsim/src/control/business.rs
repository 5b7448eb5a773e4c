//! Telegram Business from the person's side: connecting a bot to one's account
//! (Settings → Telegram Business → Chatbots), changing or ending the connection, and the
//! contact list that the recipients "contacts" and "non-contacts" refer to.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{CResult, Shared, active_user, bad, ok};
use crate::render;
use crate::updates;
use crate::world::{BUSINESS_RIGHTS, Recipients};

#[derive(Deserialize)]
pub(super) struct Connect {
    /// The business account (a Premium user).
    owner: i64,
    /// The bot's user id.
    bot: i64,
    recipients: Recipients,
    /// BusinessBotRights names granted (`can_reply`, `can_delete_sent_messages`, …).
    #[serde(default)]
    rights: Vec<String>,
}

/// Connects a bot, or changes the rights and recipients of the connected one. The bot gets
/// `business_connection`; a bot it replaces gets one with `is_enabled: false`.
pub(super) async fn connect(State(sim): Shared, Json(b): Json<Connect>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.owner)?;
    if let Some(r) = b
        .rights
        .iter()
        .find(|r| !BUSINESS_RIGHTS.contains(&r.as_str()))
    {
        return Err(bad(format!("unknown business bot right {r}")));
    }
    let rights: BTreeSet<String> = b.rights.into_iter().collect();
    let (id, replaced) = w
        .connect_business(b.owner, b.bot, b.recipients, rights)
        .map_err(|e| bad(e.code()))?;
    if let Some(old) = replaced {
        updates::business_connection(&mut w, &old);
    }
    updates::business_connection(&mut w, &id);
    w.touch();
    let c = w
        .business
        .get(&id)
        .ok_or_else(|| bad("connection vanished"))?;
    ok(render::business_connection(&w, c))
}

#[derive(Deserialize)]
pub(super) struct Disconnect {
    owner: i64,
}

/// The owner removes the chatbot: the bot gets `business_connection` with `is_enabled: false`.
pub(super) async fn disconnect(State(sim): Shared, Json(b): Json<Disconnect>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.owner)?;
    let id = w
        .disconnect_business(b.owner)
        .ok_or_else(|| bad("BOT_NOT_CONNECTED_YET"))?;
    updates::business_connection(&mut w, &id);
    let c = w
        .business
        .get(&id)
        .ok_or_else(|| bad("connection vanished"))?;
    ok(render::business_connection(&w, c))
}

#[derive(Deserialize)]
pub(super) struct Contact {
    user: i64,
    contact: i64,
    /// Remove instead of add.
    #[serde(default)]
    remove: bool,
}

/// Adds a person to a user's contacts (or removes them).
pub(super) async fn contacts(State(sim): Shared, Json(b): Json<Contact>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.user)?;
    if !w.users.contains_key(&b.contact) || b.contact == b.user {
        return Err(bad("no such person to add"));
    }
    let u = w
        .users
        .get_mut(&b.user)
        .ok_or_else(|| bad("no such user"))?;
    if b.remove {
        u.contacts.remove(&b.contact);
    } else {
        u.contacts.insert(b.contact);
    }
    let list: Vec<Value> = u.contacts.iter().map(|c| json!(c)).collect();
    w.touch();
    ok(Value::Array(list))
}
