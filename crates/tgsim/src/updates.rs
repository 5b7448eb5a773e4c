//! Who receives which update, and how: fan-out rules, getUpdates long polling, webhooks.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::Sim;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::render;
use crate::world::{ChatKey, ChatType, Member, MemberStatus, Sender, World};

/// Membership service messages: delivered even when another bot caused them.
const MEMBERSHIP_SERVICE: &[&str] = &[
    "new_chat_members",
    "left_chat_member",
    "group_chat_created",
    "supergroup_chat_created",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "chat_shared",
    "users_shared",
];

/// Whether `bot` receives an update about message `msg_id` in `key`.
fn bot_sees(w: &World, bot: i64, key: ChatKey, msg_id: i64) -> bool {
    let (Some(chat), Some(m)) = (w.chats.get(&key), w.message(key, msg_id)) else {
        return false;
    };
    if m.sender == Sender::User(bot) || m.posted_by == Some(bot) {
        return false;
    }
    if matches!(key, ChatKey::Private { .. }) {
        return true;
    }
    if matches!(key, ChatKey::Personal { .. }) {
        // A business bot hears both sides of the account's chats, but not what it sent.
        return m.business_bot != Some(bot) && !m.service;
    }
    if !chat.is_present(bot) {
        return false;
    }
    let membership_service = m.service
        && MEMBERSHIP_SERVICE
            .iter()
            .any(|k| m.content.contains_key(*k));
    // Bots do not see other bots' messages (Telegram's loop protection).
    if let Sender::User(u) = m.sender
        && w.is_bot(u)
        && !membership_service
    {
        return false;
    }
    if chat.kind == ChatType::Channel {
        return chat.status_of(bot).is_admin();
    }
    let privacy_off = w
        .bots
        .get(&bot)
        .is_some_and(|b| b.can_read_all_group_messages);
    // Bots FAQ: "All bots, regardless of settings, will receive: All service messages."
    if chat.status_of(bot).is_admin() || privacy_off || m.service {
        return true;
    }
    // Privacy mode: commands meant for this bot, and replies to its messages.
    let replied_to_bot = m
        .reply_to
        .and_then(|r| w.message(key, r))
        .is_some_and(|r| r.sender == Sender::User(bot));
    if replied_to_bot {
        return true;
    }
    let Some(text) = m.text().or(m.caption()) else {
        return false;
    };
    let Some(cmd) = text.strip_prefix('/') else {
        return false;
    };
    let word = cmd.split_whitespace().next().unwrap_or("");
    match word.split_once('@') {
        Some((_, target)) => w
            .users
            .get(&bot)
            .and_then(|u| u.username.as_deref())
            .is_some_and(|name| name.eq_ignore_ascii_case(target)),
        None => chat.last_bot_sender == Some(bot),
    }
}

/// Queues `message` (or `edited_message`, `channel_post`, `edited_channel_post`) updates for
/// every bot that sees the message.
pub fn fan_out_message(w: &mut World, key: ChatKey, msg_id: i64, edited: bool) {
    let Some(chat) = w.chats.get(&key) else {
        return;
    };
    let is_channel = chat.kind == ChatType::Channel;
    let business = matches!(key, ChatKey::Personal { .. });
    let kind: &'static str = match (is_channel, business, edited) {
        (_, true, false) => "business_message",
        (_, true, true) => "edited_business_message",
        (false, false, false) => "message",
        (false, false, true) => "edited_message",
        (true, false, false) => "channel_post",
        (true, false, true) => "edited_channel_post",
    };
    let receivers: Vec<i64> = match key {
        ChatKey::Private { bot, .. } => vec![bot],
        ChatKey::Personal { .. } => w.business_viewers(key),
        ChatKey::Group(_) => chat
            .members
            .keys()
            .copied()
            .filter(|id| w.is_bot(*id))
            .collect(),
    };
    for bot in receivers {
        if bot_sees(w, bot, key, msg_id)
            && let Some(m) = w.message(key, msg_id)
        {
            let payload = render::message(w, m, bot);
            w.push_update(bot, kind, payload);
        }
    }
}

/// Tells the business bots of a personal chat that messages were deleted there
/// (`deleted_business_messages`; plain bot chats get no such update).
pub fn fan_out_deletion(w: &mut World, key: ChatKey, ids: &[i64]) {
    if ids.is_empty() {
        return;
    }
    for bot in w.business_viewers(key) {
        let Some((conn, _)) = w.business_view(bot, key) else {
            continue;
        };
        let payload = json!({
            "business_connection_id": conn.id,
            "chat": render::chat(w, key, bot),
            "message_ids": ids,
        });
        w.push_update(bot, "deleted_business_messages", payload);
    }
}

/// Tells a bot that a business connection was made, changed or ended.
pub fn business_connection(w: &mut World, id: &str) {
    let Some(c) = w.business.get(id) else {
        return;
    };
    let (bot, payload) = (c.bot, render::business_connection(w, c));
    w.push_update(bot, "business_connection", payload);
}

/// Changes a membership and tells the bots: `my_chat_member` to the bot whose membership
/// changed, `chat_member` to administrator bots that asked for it.
pub fn set_member(w: &mut World, key: ChatKey, user: i64, new: Member, actor: i64) {
    let old = w
        .chats
        .get(&key)
        .and_then(|c| c.members.get(&user).cloned())
        .unwrap_or_else(|| Member::new(MemberStatus::Left));
    if let Some(c) = w.chats.get_mut(&key) {
        c.members.insert(user, new.clone());
    }
    w.touch();
    let date = w.now_s();
    let admins: Vec<i64> = w
        .chats
        .get(&key)
        .map(|c| {
            c.members
                .iter()
                .filter(|(id, m)| m.status.is_admin() && w.is_bot(**id))
                .map(|(id, _)| *id)
                .collect()
        })
        .unwrap_or_default();
    let payload_for = |w: &World, viewer: i64| {
        json!({
            "chat": render::chat(w, key, viewer),
            "from": render::user(w, actor),
            "date": date,
            "old_chat_member": render::chat_member(w, key, user, &old),
            "new_chat_member": render::chat_member(w, key, user, &new),
        })
    };
    if w.is_bot(user) {
        let p = payload_for(w, user);
        w.push_update(user, "my_chat_member", p);
    }
    if matches!(key, ChatKey::Group(_)) {
        for bot in admins {
            if bot != user {
                let p = payload_for(w, bot);
                w.push_update(bot, "chat_member", p);
            }
        }
    }
}

/// Adds a user or bot to a group, with the `new_chat_members` service message.
pub fn join(w: &mut World, key: ChatKey, user: i64, member: Member, actor: i64) {
    let was_present = w.chats.get(&key).is_some_and(|c| c.is_present(user));
    set_member(w, key, user, member, actor);
    let is_channel = w
        .chats
        .get(&key)
        .is_some_and(|c| c.kind == ChatType::Channel);
    if !was_present && !is_channel {
        let joined = render::user(w, user);
        w.post_service(
            key,
            Sender::User(actor),
            None,
            json!({
                "new_chat_members": [joined.clone()],
                "new_chat_member": joined,
                "new_chat_participant": render::user(w, user),
            }),
        );
    }
}

/// Removes a user or bot from a group (left or kicked), with the service message.
pub fn leave(w: &mut World, key: ChatKey, user: i64, status: MemberStatus, until: i64, actor: i64) {
    let was_present = w.chats.get(&key).is_some_and(|c| c.is_present(user));
    let mut m = Member::new(status);
    m.until_date = until;
    set_member(w, key, user, m, actor);
    let is_channel = w
        .chats
        .get(&key)
        .is_some_and(|c| c.kind == ChatType::Channel);
    if was_present && !is_channel {
        let left = render::user(w, user);
        w.post_service(
            key,
            Sender::User(actor),
            None,
            json!({
                "left_chat_member": left.clone(),
                "left_chat_participant": left,
            }),
        );
    }
}

// ----- getUpdates ------------------------------------------------------------------------

const WEBHOOK_ACTIVE: &str = "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const OTHER_POLL: &str =
    "terminated by other getUpdates request; make sure that only one bot instance is running";

pub const GET_UPDATES_PARAMS: &[&str] = &["offset", "limit", "timeout", "allowed_updates"];

fn parse_allowed(p: &Params) -> ApiResult<Option<Vec<String>>> {
    let Some(v) = p.json("allowed_updates")? else {
        return Ok(None);
    };
    let list = v
        .as_array()
        .ok_or_else(|| ApiError::bad_request("can't parse allowed_updates JSON array"))?;
    Ok(Some(
        list.iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
    ))
}

/// Pending updates with an id of at least `from` (the call's offset; 0: all): an update
/// that arrives while a long poll waits, with an id below that poll's offset (update ids
/// restart at random after a quiet week), is not returned to it.
fn take(w: &World, bot: i64, limit: usize, from: i64) -> Vec<Value> {
    w.bots
        .get(&bot)
        .map(|b| {
            b.pending
                .iter()
                .filter(|u| from <= 0 || u.update_id >= from)
                .take(limit)
                .map(|u| u.body.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// getUpdates: confirms updates below `offset`, then returns at most `limit` pending ones,
/// waiting up to `timeout` seconds for the first. A newer call ends an older waiting one
/// with 409.
pub async fn get_updates(sim: &Arc<Sim>, bot: i64, p: &Params) -> ApiResult<Value> {
    let offset = p.i64("offset")?.unwrap_or(0);
    let limit = p.i64("limit")?.unwrap_or(100).clamp(1, 100) as usize;
    let timeout = p.i64("timeout")?.unwrap_or(0).max(0);
    let allowed = parse_allowed(p)?;
    let (generation, mut rx) = {
        let mut w = sim.world();
        let b = w.bot_mut(bot);
        if b.webhook.is_some() {
            return Err(ApiError::conflict(WEBHOOK_ACTIVE));
        }
        if let Some(a) = allowed {
            b.allowed_updates = Some(a);
        }
        if offset > 0 {
            b.pending.retain(|u| u.update_id >= offset);
        } else if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            while b.pending.len() > keep {
                b.pending.pop_front();
            }
        }
        b.poll_generation += 1;
        let generation = b.poll_generation;
        // Wake an older waiting call so it can end with 409.
        b.signal.send_modify(|v| *v += 1);
        let rx = b.signal.subscribe();
        let ready = take(&w, bot, limit, offset);
        if !ready.is_empty() || timeout == 0 {
            return Ok(Value::Array(ready));
        }
        (generation, rx)
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout.unsigned_abs());
    loop {
        tokio::select! {
            changed = rx.changed() => {
                if changed.is_err() {
                    return Ok(json!([]));
                }
                let w = sim.world();
                let Some(b) = w.bots.get(&bot) else { return Ok(json!([])) };
                if b.poll_generation != generation {
                    return Err(ApiError::conflict(OTHER_POLL));
                }
                if b.webhook.is_some() {
                    return Err(ApiError::conflict(WEBHOOK_ACTIVE));
                }
                let ready = take(&w, bot, limit, offset);
                if !ready.is_empty() {
                    return Ok(Value::Array(ready));
                }
            }
            () = tokio::time::sleep_until(deadline) => return Ok(json!([])),
            () = sim.shutdown.cancelled() => return Ok(json!([])),
        }
    }
}

// ----- webhooks --------------------------------------------------------------------------

/// Delivers a bot's pending updates to its webhook, one at a time and in order, retrying a
/// failed delivery with exponential backoff until it is accepted or the webhook changes.
pub async fn webhook_sender(sim: Arc<Sim>, bot: i64, generation: u64) {
    let cfg = sim.world().config.clone();
    let mut backoff = cfg.webhook_retry_ms.max(1);
    loop {
        let next = {
            let w = sim.world();
            let Some(b) = w.bots.get(&bot) else { return };
            let Some(hook) = b.webhook.as_ref().filter(|h| h.generation == generation) else {
                return;
            };
            match b.pending.front() {
                Some(u) => Ok((
                    u.update_id,
                    u.body.clone(),
                    hook.url.clone(),
                    hook.secret_token.clone(),
                )),
                None => Err(b.signal.subscribe()),
            }
        };
        let (update_id, body, url, secret) = match next {
            Ok(x) => x,
            Err(mut rx) => {
                tokio::select! {
                    r = rx.changed() => if r.is_err() { return },
                    () = sim.shutdown.cancelled() => return,
                }
                continue;
            }
        };
        let mut req = sim
            .http
            .post(&url)
            .json(&body)
            .timeout(Duration::from_secs(60));
        if let Some(s) = &secret {
            req = req.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        let outcome = tokio::select! {
            r = req.send() => r,
            () = sim.shutdown.cancelled() => return,
        };
        let error = match outcome {
            Ok(resp) if resp.status().is_success() => None,
            Ok(resp) => Some(format!(
                "Wrong response from the webhook: {} {}",
                resp.status().as_u16(),
                resp.status().canonical_reason().unwrap_or("")
            )),
            Err(e) if e.is_timeout() => Some("Read timeout expired".to_string()),
            Err(e) if e.is_connect() => Some("Connection refused".to_string()),
            Err(_) => Some("Connection reset by peer".to_string()),
        };
        {
            let mut w = sim.world();
            let now = w.now_s();
            let b = w.bot_mut(bot);
            match &error {
                None => {
                    if b.pending.front().is_some_and(|u| u.update_id == update_id) {
                        b.pending.pop_front();
                    }
                }
                Some(msg) => {
                    // A delivery to a URL that was replaced meanwhile does not mark the new one.
                    if let Some(h) = b.webhook.as_mut().filter(|h| h.generation == generation) {
                        h.last_error_date = Some(now);
                        h.last_error_message = Some(msg.clone());
                    }
                }
            }
            w.touch();
        }
        if error.is_none() {
            backoff = cfg.webhook_retry_ms.max(1);
            continue;
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(backoff)) => {}
            () = sim.shutdown.cancelled() => return,
        }
        backoff = (backoff * 2).min(cfg.webhook_retry_max_ms.max(1));
    }
}
