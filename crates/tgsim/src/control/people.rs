//! People and bots: creating and editing users, creating bots, revoking tokens, peeking at
//! a bot's queue, and a user's Start, block and account deletion.

use axum::Json;
use axum::extract::{Path, State};
use rand::Rng;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{CResult, Shared, active_user, bad, ok, yes};
use crate::render;
use crate::updates;
use crate::world::{ChatKey, Member, MemberStatus, Sender, User, World};

#[derive(Deserialize)]
pub(super) struct NewUser {
    first_name: String,
    last_name: Option<String>,
    username: Option<String>,
    language_code: Option<String>,
    #[serde(default)]
    is_premium: bool,
    #[serde(default)]
    hides_forwards: bool,
}

pub(super) async fn create_user(State(sim): Shared, Json(b): Json<NewUser>) -> CResult {
    if b.first_name.trim().is_empty() {
        return Err(bad("first_name must not be empty"));
    }
    let mut w = sim.world();
    let id = w
        .create_user(User {
            id: 0,
            is_bot: false,
            first_name: b.first_name,
            last_name: b.last_name,
            username: b.username,
            language_code: b.language_code,
            is_premium: b.is_premium,
            hides_forwards: b.hides_forwards,
            deactivated: false,
            contacts: Default::default(),
        })
        .map_err(bad)?;
    w.touch();
    ok(render::user(&w, id))
}

pub(super) async fn get_user(State(sim): Shared, Path(id): Path<i64>) -> CResult {
    let w = sim.world();
    w.user(id)?;
    ok(render::user(&w, id))
}

#[derive(Deserialize)]
pub(super) struct PatchUser {
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
    language_code: Option<String>,
    hides_forwards: Option<bool>,
    /// Telegram Premium bought or lapsed (a lapse does not end a business connection here:
    /// Telegram's behaviour then is not documented).
    is_premium: Option<bool>,
}

pub(super) async fn patch_user(
    State(sim): Shared,
    Path(id): Path<i64>,
    Json(b): Json<PatchUser>,
) -> CResult {
    let mut w = sim.world();
    let u = w.users.get_mut(&id).ok_or_else(|| bad("no such user"))?;
    if let Some(v) = b.first_name {
        u.first_name = v;
    }
    if let Some(v) = b.last_name {
        u.last_name = Some(v).filter(|s| !s.is_empty());
    }
    if let Some(v) = b.username {
        u.username = Some(v).filter(|s| !s.is_empty());
    }
    if let Some(v) = b.language_code {
        u.language_code = Some(v).filter(|s| !s.is_empty());
    }
    if let Some(v) = b.hides_forwards {
        u.hides_forwards = v;
    }
    if let Some(v) = b.is_premium {
        u.is_premium = v;
    }
    w.touch();
    ok(render::user(&w, id))
}

#[derive(Deserialize)]
pub(super) struct NewBot {
    username: String,
    first_name: Option<String>,
    token: Option<String>,
    /// Privacy mode (on by default, as BotFather creates bots).
    #[serde(default = "yes")]
    privacy: bool,
    #[serde(default = "yes")]
    can_join_groups: bool,
    /// Business Mode enabled in @BotFather.
    #[serde(default)]
    business: bool,
}

pub(super) async fn create_bot(State(sim): Shared, Json(b): Json<NewBot>) -> CResult {
    let mut w = sim.world();
    let first = b.first_name.unwrap_or_else(|| b.username.clone());
    let (id, token) = w
        .create_bot(&b.username, &first, b.token, !b.privacy, b.can_join_groups)
        .map_err(bad)?;
    w.bot_mut(id).can_connect_to_business = b.business;
    w.touch();
    ok(json!({ "id": id, "token": token, "username": b.username, "user": render::user(&w, id) }))
}

/// The owner revokes the token in @BotFather: the old one answers 401 from now on.
pub(super) async fn revoke_token(State(sim): Shared, Path(id): Path<i64>) -> CResult {
    let mut w = sim.world();
    let old = w
        .bots
        .get(&id)
        .map(|b| b.token.clone())
        .ok_or_else(|| bad("no such bot"))?;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let secret: String = (0..35)
        .map(|_| ALPHABET[w.rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    let token = format!("{id}:{secret}");
    w.tokens.remove(&old);
    w.tokens.insert(token.clone(), id);
    w.bot_mut(id).token = token.clone();
    w.touch();
    ok(json!({ "token": token }))
}

pub(super) async fn peek_updates(State(sim): Shared, Path(id): Path<i64>) -> CResult {
    let w = sim.world();
    let b = w.bots.get(&id).ok_or_else(|| bad("no such bot"))?;
    ok(Value::Array(
        b.pending.iter().map(|u| u.body.clone()).collect(),
    ))
}

#[derive(Deserialize)]
pub(super) struct Start {
    user: i64,
    bot: i64,
    payload: Option<String>,
}

/// The user presses Start (or Restart) in the bot's chat, optionally through a deep link.
pub(super) async fn start(State(sim): Shared, Json(b): Json<Start>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.user)?;
    if !w.is_bot(b.bot) {
        return Err(bad("no such bot"));
    }
    if let Some(p) = &b.payload {
        let valid = !p.is_empty()
            && p.len() <= 64
            && p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
        if !valid {
            return Err(bad(
                "a start payload is 1-64 characters of A-Z, a-z, 0-9, _ and -",
            ));
        }
    }
    let was_blocked = w.private_chat(b.bot, b.user).blocked;
    {
        let c = w.private_chat(b.bot, b.user);
        c.started = true;
        c.blocked = false;
    }
    if was_blocked {
        block_update(&mut w, b.bot, b.user, false);
    }
    let text = match &b.payload {
        Some(p) => format!("/start {p}"),
        None => "/start".to_string(),
    };
    let mut content = Map::new();
    content.insert("text".into(), json!(text));
    content.insert(
        "entities".into(),
        json!([{ "type": "bot_command", "offset": 0, "length": 6 }]),
    );
    let key = ChatKey::Private {
        bot: b.bot,
        user: b.user,
    };
    let msg = w.new_message(key, Sender::User(b.user), content);
    let id = w.insert_message(msg)?;
    updates::fan_out_message(&mut w, key, id, false);
    let m = w.message(key, id).ok_or_else(|| bad("message vanished"))?;
    ok(render::message(&w, m, b.user))
}

fn block_update(w: &mut World, bot: i64, user: i64, blocked: bool) {
    let key = ChatKey::Private { bot, user };
    let (old, new) = if blocked {
        (MemberStatus::Member, MemberStatus::Kicked)
    } else {
        (MemberStatus::Kicked, MemberStatus::Member)
    };
    let date = w.now_s();
    let payload = json!({
        "chat": render::chat(w, key, bot),
        "from": render::user(w, user),
        "date": date,
        "old_chat_member": render::chat_member(w, key, bot, &Member::new(old)),
        "new_chat_member": render::chat_member(w, key, bot, &Member::new(new)),
    });
    w.push_update(bot, "my_chat_member", payload);
    w.touch();
}

#[derive(Deserialize)]
pub(super) struct Block {
    user: i64,
    bot: i64,
    #[serde(default = "yes")]
    blocked: bool,
}

pub(super) async fn block(State(sim): Shared, Json(b): Json<Block>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.user)?;
    if !w.is_bot(b.bot) {
        return Err(bad("no such bot"));
    }
    let c = w.private_chat(b.bot, b.user);
    if c.blocked == b.blocked {
        return ok(json!(false));
    }
    c.blocked = b.blocked;
    block_update(&mut w, b.bot, b.user, b.blocked);
    ok(json!(true))
}

#[derive(Deserialize)]
pub(super) struct UserOnly {
    user: i64,
}

pub(super) async fn deactivate(State(sim): Shared, Json(b): Json<UserOnly>) -> CResult {
    let mut w = sim.world();
    let u = w
        .users
        .get_mut(&b.user)
        .ok_or_else(|| bad("no such user"))?;
    if u.is_bot {
        return Err(bad("bots are not deactivated"));
    }
    u.deactivated = true;
    w.touch();
    ok(json!(true))
}
