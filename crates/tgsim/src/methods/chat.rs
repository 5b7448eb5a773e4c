//! Chats and members: lookups, bans, leaving, pins, invite links.

use rand::Rng;
use serde_json::{Value, json};

use super::{check_can_read, target};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::render;
use crate::updates;
use crate::world::{ChatKey, ChatType, Member, MemberStatus, Sender, World};

fn group_only(w: &World, key: ChatKey, what: &str) -> ApiResult<()> {
    if matches!(key, ChatKey::Private { .. }) || w.chat(key)?.kind == ChatType::Private {
        return Err(ApiError::bad_request(what));
    }
    Ok(())
}

pub fn get_chat(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    let public = w.chat(key)?.username.is_some();
    if !public {
        check_can_read(w, bot, key)?;
    }
    Ok(render::chat_full(w, key, bot))
}

pub fn get_chat_member(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    check_can_read(w, bot, key)?;
    let user = p.req_i64("user_id")?;
    w.user(user)?;
    let chat = w.chat(key)?;
    let member = chat
        .members
        .get(&user)
        .cloned()
        .unwrap_or_else(|| Member::new(MemberStatus::Left));
    Ok(render::chat_member(w, key, user, &member))
}

/// Telegram lists only the human administrators.
pub fn get_chat_administrators(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    group_only(w, key, "there are no administrators in the private chat")?;
    check_can_read(w, bot, key)?;
    let chat = w.chat(key)?;
    let list: Vec<Value> = chat
        .members
        .iter()
        .filter(|(id, m)| m.status.is_admin() && !w.is_bot(**id))
        .map(|(id, m)| render::chat_member(w, key, *id, m))
        .collect();
    Ok(Value::Array(list))
}

pub fn get_chat_member_count(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    check_can_read(w, bot, key)?;
    let chat = w.chat(key)?;
    Ok(json!(
        chat.members
            .values()
            .filter(|m| m.status.is_present())
            .count()
    ))
}

fn restrict_checks(w: &World, bot: i64, key: ChatKey, user: i64) -> ApiResult<()> {
    group_only(
        w,
        key,
        "method is available only for supergroups and channel",
    )?;
    let chat = w.chat(key)?;
    if !chat.is_present(bot) {
        return Err(ApiError::forbidden("bot is not a member of the chat"));
    }
    if !chat
        .member(bot)
        .is_some_and(|m| m.can("can_restrict_members"))
    {
        return Err(ApiError::bad_request(
            "not enough rights to restrict/unrestrict chat member",
        ));
    }
    w.user(user)?;
    match chat.status_of(user) {
        MemberStatus::Creator => Err(ApiError::bad_request("can't remove chat owner")),
        MemberStatus::Administrator => Err(ApiError::bad_request(
            "user is an administrator of the chat",
        )),
        _ if user == bot => Err(ApiError::bad_request("can't restrict self")),
        _ => Ok(()),
    }
}

pub fn ban_chat_member(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    let user = p.req_i64("user_id")?;
    restrict_checks(w, bot, key, user)?;
    let until = p.i64("until_date")?.unwrap_or(0);
    // `revoke_messages` takes the chat's history away from the removed user (always so in
    // supergroups and channels); everyone else keeps seeing what they wrote. A removed user
    // sees nothing of the chat in tgsim anyway, so the flag is only validated.
    p.flag("revoke_messages")?;
    updates::leave(w, key, user, MemberStatus::Kicked, until, bot);
    Ok(json!(true))
}

pub fn unban_chat_member(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    let user = p.req_i64("user_id")?;
    restrict_checks(w, bot, key, user)?;
    let only_if_banned = p.flag("only_if_banned")?;
    let status = w.chat(key)?.status_of(user);
    match status {
        MemberStatus::Kicked => {
            updates::set_member(w, key, user, Member::new(MemberStatus::Left), bot)
        }
        // Without only_if_banned, Telegram guarantees the user is not a member afterwards.
        s if s.is_present() && !only_if_banned => {
            updates::leave(w, key, user, MemberStatus::Left, 0, bot)
        }
        _ => {}
    }
    Ok(json!(true))
}

pub fn leave_chat(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    group_only(
        w,
        key,
        "chat member status can't be changed in private chats",
    )?;
    if !w.chat(key)?.is_present(bot) {
        return Err(ApiError::forbidden("bot is not a member of the chat"));
    }
    updates::leave(w, key, bot, MemberStatus::Left, 0, bot);
    Ok(json!(true))
}

fn can_pin(w: &World, bot: i64, key: ChatKey) -> ApiResult<()> {
    let chat = w.chat(key)?;
    let ok = match chat.kind {
        ChatType::Private => true,
        ChatType::Group => chat.status_of(bot).is_admin(),
        ChatType::Supergroup => chat.member(bot).is_some_and(|m| m.can("can_pin_messages")),
        ChatType::Channel => chat.member(bot).is_some_and(|m| m.can("can_edit_messages")),
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "not enough rights to manage pinned messages in the chat",
        ))
    }
}

pub fn pin_chat_message(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    check_can_read(w, bot, key)?;
    can_pin(w, bot, key)?;
    let id = p.req_i64("message_id")?;
    let m = w
        .message(key, id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("message to pin not found"))?;
    if let Some(c) = w.chats.get_mut(&key) {
        c.pinned.retain(|x| *x != id);
        c.pinned.push(id);
        // "The most recent pinned message (by sending date)" is the last one: keep them in
        // message order, whatever order they were pinned in.
        c.pinned.sort_unstable();
    }
    let sender = match w.chat(key)?.kind {
        ChatType::Channel => Sender::Chat(w.chat_id_for(key, bot)),
        _ => Sender::User(bot),
    };
    let thread = if m.is_topic_message {
        m.thread_id
    } else {
        None
    };
    w.post_service(key, sender, thread, json!({ "pinned_message": id }));
    Ok(json!(true))
}

pub fn unpin_chat_message(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    check_can_read(w, bot, key)?;
    can_pin(w, bot, key)?;
    let id = p.i64("message_id")?;
    if let Some(c) = w.chats.get_mut(&key) {
        match id {
            Some(id) => c.pinned.retain(|x| *x != id),
            None => {
                c.pinned.pop();
            }
        }
    }
    w.touch();
    Ok(json!(true))
}

pub fn create_chat_invite_link(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = target(w, bot, p, "chat_id")?;
    group_only(w, key, "can't invite members to a private chat")?;
    if !w
        .chat(key)?
        .member(bot)
        .is_some_and(|m| m.can("can_invite_users"))
    {
        return Err(ApiError::bad_request(
            "not enough rights to manage chat invite link",
        ));
    }
    let name = p.str("name")?;
    if name.as_ref().is_some_and(|n| n.chars().count() > 32) {
        return Err(ApiError::bad_request("invite link name is too long"));
    }
    let member_limit = p.i64("member_limit")?;
    if member_limit.is_some_and(|l| !(1..=99_999).contains(&l)) {
        return Err(ApiError::bad_request(
            "member limit must be between 1 and 99999",
        ));
    }
    let join_request = p.flag("creates_join_request")?;
    if join_request && member_limit.is_some() {
        return Err(ApiError::bad_request(
            "member limit can't be specified for links requiring administrator approval",
        ));
    }
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let code: String = (0..16)
        .map(|_| ALPHABET[w.rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    let mut link = json!({
        "invite_link": format!("https://t.me/+{code}"),
        "creator": render::user(w, bot),
        "creates_join_request": join_request,
        "is_primary": false,
        "is_revoked": false,
    });
    if let Some(n) = name {
        link["name"] = json!(n);
    }
    if let Some(d) = p.i64("expire_date")? {
        link["expire_date"] = json!(d);
    }
    if let Some(l) = member_limit {
        link["member_limit"] = json!(l);
    }
    w.chat_mut(key)?.invite_links.push(link.clone());
    Ok(link)
}
