//! The bot itself: identity, sessions, webhooks, commands and descriptions.

use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::render;
use crate::world::{Webhook, World};

pub fn get_me(w: &mut World, bot: i64, _: &Params) -> ApiResult<Value> {
    Ok(render::me(w, bot))
}

/// After logOut the cloud server refuses the bot for 10 minutes.
pub fn log_out(w: &mut World, bot: i64, _: &Params) -> ApiResult<Value> {
    let until = w.now_ms() + 10 * 60 * 1000;
    w.bot_mut(bot).logged_out_until_ms = Some(until);
    Ok(json!(true))
}

/// close answers 429 during the first 10 minutes after the bot was launched.
pub fn close(w: &mut World, bot: i64, _: &Params) -> ApiResult<Value> {
    let now = w.now_ms();
    let launched = w.bot_mut(bot).launched_at_ms.unwrap_or(now);
    let ready_at = launched + 10 * 60 * 1000;
    if now < ready_at {
        return Err(ApiError::too_many_requests((ready_at - now + 999) / 1000));
    }
    Ok(json!(true))
}

fn valid_secret(s: &str) -> bool {
    (1..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub fn set_webhook(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let url = p.req_str("url")?;
    if url.is_empty() {
        return delete_webhook(w, bot, p);
    }
    let local = w.config.local_server;
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://").filter(|_| local) {
        r
    } else {
        return Err(ApiError::bad_request(
            "bad webhook: An HTTPS URL must be provided for webhook",
        ));
    };
    let host_port = rest.split('/').next().unwrap_or("");
    if host_port.is_empty() {
        return Err(ApiError::bad_request(
            "bad webhook: Failed to resolve host: Name or service not known",
        ));
    }
    if !local {
        let port = host_port.rsplit_once(':').map(|(_, p)| p).unwrap_or("443");
        if !matches!(port, "443" | "80" | "88" | "8443") {
            return Err(ApiError::bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            ));
        }
    }
    let secret = p.str("secret_token")?;
    if let Some(s) = &secret
        && !valid_secret(s)
    {
        return Err(ApiError::bad_request(
            "secret token contains unallowed characters",
        ));
    }
    let max_connections = p.i64("max_connections")?.unwrap_or(40);
    if !(1..=100).contains(&max_connections) {
        return Err(ApiError::bad_request(
            "bad webhook: max_connections must be between 1 and 100",
        ));
    }
    let allowed = match p.json("allowed_updates")? {
        None => None,
        Some(Value::Array(a)) => Some(
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
        ),
        Some(_) => {
            return Err(ApiError::bad_request(
                "can't parse allowed_updates JSON array",
            ));
        }
    };
    let drop = p.flag("drop_pending_updates")?;
    let has_cert = p.contains("certificate");
    let ip = p.str("ip_address")?;
    let b = w.bot_mut(bot);
    let generation = b.webhook.as_ref().map_or(0, |h| h.generation) + 1;
    if drop {
        b.pending.clear();
    }
    if let Some(a) = allowed {
        b.allowed_updates = Some(a);
    }
    b.webhook = Some(Webhook {
        url,
        secret_token: secret,
        max_connections,
        ip_address: ip,
        has_custom_certificate: has_cert,
        last_error_date: None,
        last_error_message: None,
        generation,
    });
    // End any waiting getUpdates call with 409.
    b.signal.send_modify(|v| *v += 1);
    Ok(json!(true))
}

pub fn delete_webhook(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let drop = p.flag("drop_pending_updates")?;
    let b = w.bot_mut(bot);
    b.webhook = None;
    if drop {
        b.pending.clear();
    }
    b.signal.send_modify(|v| *v += 1);
    Ok(json!(true))
}

pub fn get_webhook_info(w: &mut World, bot: i64, _: &Params) -> ApiResult<Value> {
    let b = w.bot_mut(bot);
    let pending = b.pending.len();
    Ok(match &b.webhook {
        None => {
            json!({ "url": "", "has_custom_certificate": false, "pending_update_count": pending })
        }
        Some(h) => {
            let mut v = json!({
                "url": h.url,
                "has_custom_certificate": h.has_custom_certificate,
                "pending_update_count": pending,
                "max_connections": h.max_connections,
            });
            if let Some(ip) = &h.ip_address {
                v["ip_address"] = json!(ip);
            }
            if let Some(d) = h.last_error_date {
                v["last_error_date"] = json!(d);
            }
            if let Some(m) = &h.last_error_message {
                v["last_error_message"] = json!(m);
            }
            if let Some(a) = &b.allowed_updates {
                v["allowed_updates"] = json!(a);
            }
            v
        }
    })
}

const SCOPES: &[&str] = &[
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
];

/// (scope, language) key under which commands are stored.
fn command_key(p: &Params) -> ApiResult<(String, String)> {
    let scope = match p.json("scope")? {
        None => json!({ "type": "default" }),
        Some(s) => s,
    };
    let ty = scope.get("type").and_then(Value::as_str).unwrap_or("");
    if !SCOPES.contains(&ty) {
        return Err(ApiError::bad_request(
            "can't parse BotCommandScope JSON object",
        ));
    }
    if matches!(ty, "chat" | "chat_administrators" | "chat_member")
        && scope.get("chat_id").is_none()
    {
        return Err(ApiError::bad_request(
            "can't parse BotCommandScope JSON object: chat_id is required",
        ));
    }
    if ty == "chat_member" && scope.get("user_id").is_none() {
        return Err(ApiError::bad_request(
            "can't parse BotCommandScope JSON object: user_id is required",
        ));
    }
    let lang = p.str("language_code")?.unwrap_or_default();
    if !lang.is_empty() && (lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase())) {
        return Err(ApiError::bad_request("invalid language code specified"));
    }
    Ok((scope.to_string(), lang))
}

pub fn set_my_commands(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let commands = p
        .json("commands")?
        .ok_or_else(|| ApiError::missing("commands"))?;
    let list = commands
        .as_array()
        .ok_or_else(|| ApiError::bad_request("can't parse commands JSON object"))?;
    if list.len() > 100 {
        return Err(ApiError::bad_request("too many commands specified"));
    }
    for c in list {
        let cmd = c.get("command").and_then(Value::as_str).unwrap_or("");
        let desc = c.get("description").and_then(Value::as_str).unwrap_or("");
        if cmd.is_empty()
            || cmd.len() > 32
            || !cmd
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
        }
        if desc.is_empty() || desc.chars().count() > 256 {
            return Err(ApiError::bad_request("BOT_COMMAND_DESCRIPTION_INVALID"));
        }
    }
    let key = command_key(p)?;
    let clean: Vec<Value> = list
        .iter()
        .map(|c| json!({ "command": c["command"], "description": c["description"] }))
        .collect();
    let b = w.bot_mut(bot);
    if clean.is_empty() {
        b.commands.remove(&key);
    } else {
        b.commands.insert(key, Value::Array(clean));
    }
    Ok(json!(true))
}

pub fn get_my_commands(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = command_key(p)?;
    Ok(w.bot_mut(bot)
        .commands
        .get(&key)
        .cloned()
        .unwrap_or(json!([])))
}

pub fn delete_my_commands(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = command_key(p)?;
    w.bot_mut(bot).commands.remove(&key);
    Ok(json!(true))
}

fn lang(p: &Params) -> ApiResult<String> {
    let l = p.str("language_code")?.unwrap_or_default();
    if !l.is_empty() && (l.len() != 2 || !l.bytes().all(|b| b.is_ascii_lowercase())) {
        return Err(ApiError::bad_request("invalid language code specified"));
    }
    Ok(l)
}

pub fn set_my_description(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let l = lang(p)?;
    let d = p.str("description")?.unwrap_or_default();
    if d.chars().count() > 512 {
        return Err(ApiError::bad_request("description is too long"));
    }
    let b = w.bot_mut(bot);
    if d.is_empty() {
        b.descriptions.remove(&l);
    } else {
        b.descriptions.insert(l, d);
    }
    Ok(json!(true))
}

pub fn get_my_description(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let l = lang(p)?;
    let b = w.bot_mut(bot);
    let d = b
        .descriptions
        .get(&l)
        .or_else(|| b.descriptions.get(""))
        .cloned()
        .unwrap_or_default();
    Ok(json!({ "description": d }))
}

pub fn set_my_short_description(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let l = lang(p)?;
    let d = p.str("short_description")?.unwrap_or_default();
    if d.chars().count() > 120 {
        return Err(ApiError::bad_request("short description is too long"));
    }
    let b = w.bot_mut(bot);
    if d.is_empty() {
        b.short_descriptions.remove(&l);
    } else {
        b.short_descriptions.insert(l, d);
    }
    Ok(json!(true))
}

pub fn get_my_short_description(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let l = lang(p)?;
    let b = w.bot_mut(bot);
    let d = b
        .short_descriptions
        .get(&l)
        .or_else(|| b.short_descriptions.get(""))
        .cloned()
        .unwrap_or_default();
    Ok(json!({ "short_description": d }))
}
