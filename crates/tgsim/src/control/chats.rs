//! Chats and members: creating groups and channels, setting members, sharing a chat with a
//! bot, adding bots, kicking, migrating to a supergroup, and people's forum topic operations.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{CResult, Shared, active_user, bad, creator_of, group_key, ok};
use crate::methods::topics::{ICON_COLORS, remove_topic};
use crate::render;
use crate::updates;
use crate::world::{ChatKey, ChatType, Member, MemberStatus, Rights, Sender};

#[derive(Deserialize)]
pub(super) struct NewChat {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    creator: i64,
    username: Option<String>,
    #[serde(default)]
    is_forum: bool,
}

pub(super) async fn create_chat(State(sim): Shared, Json(b): Json<NewChat>) -> CResult {
    let kind =
        ChatType::parse(&b.kind).ok_or_else(|| bad("type must be group, supergroup or channel"))?;
    if b.is_forum && kind != ChatType::Supergroup {
        return Err(bad("only supergroups can be forums"));
    }
    let mut w = sim.world();
    let id = w
        .create_chat(kind, &b.title, b.username, b.is_forum, b.creator)
        .map_err(bad)?;
    ok(json!({ "chat_id": id, "chat": render::chat(&w, ChatKey::Group(id), b.creator) }))
}

#[derive(Deserialize)]
pub(super) struct SetMember {
    user_id: i64,
    #[serde(default = "member")]
    status: String,
    rights: Option<Value>,
    custom_title: Option<String>,
    /// Who makes the change (defaults to the chat's creator).
    actor: Option<i64>,
}

fn member() -> String {
    "member".into()
}

pub(super) async fn set_member(
    State(sim): Shared,
    Path(chat): Path<i64>,
    Json(b): Json<SetMember>,
) -> CResult {
    let mut w = sim.world();
    let key = group_key(&w, chat)?;
    w.user(b.user_id)?;
    let status = MemberStatus::parse(&b.status).ok_or_else(|| bad("unknown status"))?;
    if status == MemberStatus::Creator {
        return Err(bad("a chat has one creator, set when it is created"));
    }
    if w.bots.get(&b.user_id).is_some_and(|x| !x.can_join_groups) && status.is_present() {
        return Err(bad(
            "this bot can't be added to groups (can_join_groups is off)",
        ));
    }
    let kind = w.chat(key)?.kind;
    if kind == ChatType::Channel && w.is_bot(b.user_id) && status == MemberStatus::Member {
        return Err(bad("bots can only be added to channels as administrators"));
    }
    let actor = b.actor.unwrap_or_else(|| creator_of(&w, key));
    let mut m = Member::new(status);
    if status == MemberStatus::Administrator {
        m.rights = b
            .rights
            .as_ref()
            .map(Rights::from_json)
            .unwrap_or_else(Rights::all);
    }
    m.custom_title = b.custom_title;
    m.added_by = Some(actor);
    match status {
        s if s.is_present() => updates::join(&mut w, key, b.user_id, m, actor),
        s => updates::leave(&mut w, key, b.user_id, s, 0, actor),
    }
    let member = w
        .chat(key)?
        .members
        .get(&b.user_id)
        .cloned()
        .unwrap_or(Member::new(MemberStatus::Left));
    ok(render::chat_member(&w, key, b.user_id, &member))
}

#[derive(Deserialize)]
pub(super) struct ShareChat {
    from: i64,
    bot: i64,
    /// The bot's message whose reply keyboard holds the request_chat button.
    message_id: i64,
    request_id: i64,
    chat_id: i64,
}

/// The user picks a chat through a `KeyboardButtonRequestChat` button.
pub(super) async fn share_chat(State(sim): Shared, Json(b): Json<ShareChat>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let pkey = ChatKey::Private {
        bot: b.bot,
        user: b.from,
    };
    let m = w
        .message(pkey, b.message_id)
        .cloned()
        .ok_or_else(|| bad("no such message in the chat with this bot"))?;
    let req = m
        .reply_markup
        .as_ref()
        .and_then(|r| r.get("keyboard"))
        .and_then(Value::as_array)
        .and_then(|rows| {
            rows.iter()
                .filter_map(Value::as_array)
                .flatten()
                .filter_map(|btn| btn.get("request_chat"))
                .find(|rc| rc.get("request_id").and_then(Value::as_i64) == Some(b.request_id))
                .cloned()
        })
        .ok_or_else(|| bad("the message has no request_chat button with that request_id"))?;
    let key = group_key(&w, b.chat_id)?;
    let chat = w.chat(key)?.clone();
    let flag = |k: &str| req.get(k).and_then(Value::as_bool);
    let is_channel = chat.kind == ChatType::Channel;
    if flag("chat_is_channel") != Some(is_channel) {
        return Err(bad(
            "the chat's type does not match the button's chat_is_channel",
        ));
    }
    if let Some(f) = flag("chat_is_forum")
        && f != chat.is_forum
    {
        return Err(bad("the chat does not match the button's chat_is_forum"));
    }
    if flag("chat_has_username").is_some_and(|f| f != chat.username.is_some()) {
        return Err(bad(
            "the chat does not match the button's chat_has_username",
        ));
    }
    if flag("chat_is_created") == Some(true) && chat.status_of(b.from) != MemberStatus::Creator {
        return Err(bad("the button asks for a chat the user created"));
    }
    let user_member = chat.member(b.from).cloned();
    if let Some(rights) = req.get("user_administrator_rights") {
        let need = Rights::from_json(rights);
        let has = user_member
            .as_ref()
            .is_some_and(|m| need.flags.iter().all(|r| m.can(r)));
        if !has {
            return Err(bad(
                "the user lacks the administrator rights the button asks for",
            ));
        }
    }
    if flag("bot_is_member") == Some(true)
        && !chat.is_present(b.bot)
        && req.get("bot_administrator_rights").is_none()
    {
        return Err(bad("the button asks for a chat the bot is a member of"));
    }
    if let Some(rights) = req.get("bot_administrator_rights") {
        // Telegram adds (or promotes) the bot with the requested rights; the user must be able to.
        let can_promote = user_member
            .as_ref()
            .is_some_and(|m| m.can("can_promote_members"));
        if !can_promote {
            return Err(bad("the user cannot add administrators to this chat"));
        }
        let mut m = Member::new(MemberStatus::Administrator);
        m.rights = Rights::from_json(rights);
        m.added_by = Some(b.from);
        if !w.bots.get(&b.bot).is_some_and(|x| x.can_join_groups) {
            return Err(bad("this bot can't be added to groups"));
        }
        updates::join(&mut w, key, b.bot, m, b.from);
    }
    let mut shared = json!({ "request_id": b.request_id, "chat_id": b.chat_id });
    if flag("request_title") == Some(true) {
        shared["title"] = json!(chat.title);
    }
    if flag("request_username") == Some(true)
        && let Some(u) = &chat.username
    {
        shared["username"] = json!(u);
    }
    let id = w.post_service(
        pkey,
        Sender::User(b.from),
        None,
        json!({ "chat_shared": shared }),
    );
    let m = w.message(pkey, id).ok_or_else(|| bad("message vanished"))?;
    ok(render::message(&w, m, b.from))
}

#[derive(Deserialize)]
pub(super) struct AddBot {
    from: i64,
    bot: i64,
    chat: i64,
    /// Administrator rights (the `?startgroup=…&admin=…` deep link); absent: plain member.
    rights: Option<Value>,
    /// The deep link's startgroup payload: Telegram then sends `/start@bot payload`.
    start_payload: Option<String>,
}

pub(super) async fn add_bot(State(sim): Shared, Json(b): Json<AddBot>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = group_key(&w, b.chat)?;
    if !w.bots.get(&b.bot).is_some_and(|x| x.can_join_groups) {
        return Err(bad("no such bot, or it can't be added to groups"));
    }
    let chat = w.chat(key)?.clone();
    let actor = chat
        .member(b.from)
        .cloned()
        .ok_or_else(|| bad("the user is not in this chat"))?;
    let member = match &b.rights {
        Some(r) => {
            if !actor.can("can_promote_members") {
                return Err(bad("the user cannot add administrators to this chat"));
            }
            let mut m = Member::new(MemberStatus::Administrator);
            m.rights = Rights::from_json(r);
            m
        }
        None => {
            if chat.kind == ChatType::Channel {
                return Err(bad("bots join channels only as administrators"));
            }
            Member::new(MemberStatus::Member)
        }
    };
    updates::join(
        &mut w,
        key,
        b.bot,
        Member {
            added_by: Some(b.from),
            ..member
        },
        b.from,
    );
    if let Some(p) = &b.start_payload
        && chat.kind != ChatType::Channel
    {
        let username = w
            .users
            .get(&b.bot)
            .and_then(|u| u.username.clone())
            .unwrap_or_default();
        let text = format!("/start@{username} {p}");
        let mut content = Map::new();
        let cmd_len = crate::format::utf16_len(&format!("/start@{username}"));
        content.insert("text".into(), json!(text));
        content.insert(
            "entities".into(),
            json!([{ "type": "bot_command", "offset": 0, "length": cmd_len }]),
        );
        let msg = w.new_message(key, Sender::User(b.from), content);
        let id = w.insert_message(msg)?;
        updates::fan_out_message(&mut w, key, id, false);
    }
    let m = w
        .chat(key)?
        .members
        .get(&b.bot)
        .cloned()
        .unwrap_or(Member::new(MemberStatus::Left));
    ok(render::chat_member(&w, key, b.bot, &m))
}

#[derive(Deserialize)]
pub(super) struct Kick {
    chat: i64,
    user: i64,
    actor: Option<i64>,
}

pub(super) async fn kick(State(sim): Shared, Json(b): Json<Kick>) -> CResult {
    let mut w = sim.world();
    let key = group_key(&w, b.chat)?;
    if w.chat(key)?.status_of(b.user) == MemberStatus::Creator {
        return Err(bad("the creator cannot be removed"));
    }
    let actor = b.actor.unwrap_or_else(|| creator_of(&w, key));
    updates::leave(&mut w, key, b.user, MemberStatus::Kicked, 0, actor);
    ok(json!(true))
}

#[derive(Deserialize)]
pub(super) struct Migrate {
    chat: i64,
}

/// Upgrades a basic group to a supergroup: a new chat id, and the old one answers
/// `migrate_to_chat_id` from then on.
pub(super) async fn migrate(State(sim): Shared, Json(b): Json<Migrate>) -> CResult {
    let mut w = sim.world();
    let old_key = group_key(&w, b.chat)?;
    let old = w.chat(old_key)?.clone();
    if old.kind != ChatType::Group {
        return Err(bad("only basic groups are upgraded"));
    }
    let creator = creator_of(&w, old_key);
    let new_id = w
        .create_chat(
            ChatType::Supergroup,
            old.title.as_deref().unwrap_or("Group"),
            None,
            false,
            creator,
        )
        .map_err(bad)?;
    let new_key = ChatKey::Group(new_id);
    if let Ok(c) = w.chat_mut(new_key) {
        c.members = old.members.clone();
        c.migrated_from = Some(b.chat);
    }
    w.post_service(
        old_key,
        Sender::User(creator),
        None,
        json!({ "migrate_to_chat_id": new_id }),
    );
    w.post_service(
        new_key,
        Sender::Chat(b.chat),
        None,
        json!({ "migrate_from_chat_id": b.chat }),
    );
    w.chat_mut(old_key)?.migrated_to = Some(new_id);
    ok(json!({ "new_chat_id": new_id }))
}

#[derive(Deserialize)]
pub(super) struct TopicOp {
    chat: i64,
    action: String,
    thread_id: Option<i64>,
    name: Option<String>,
    icon_color: Option<i64>,
    /// The user doing it (defaults to the creator); must manage topics.
    actor: Option<i64>,
}

/// People's topic operations: create, close, reopen, delete, and Telegram archiving a topic.
pub(super) async fn topics(State(sim): Shared, Json(b): Json<TopicOp>) -> CResult {
    let mut w = sim.world();
    let key = group_key(&w, b.chat)?;
    if !w.chat(key)?.is_forum {
        return Err(bad("the chat is not a forum"));
    }
    let actor = b.actor.unwrap_or_else(|| creator_of(&w, key));
    let can = w
        .chat(key)?
        .member(actor)
        .is_some_and(|m| m.can("can_manage_topics"));
    if b.action != "archive" && !can {
        return Err(bad("the actor cannot manage topics"));
    }
    if b.action == "create" {
        let name = b.name.unwrap_or_default();
        if name.trim().is_empty() || name.chars().count() > 128 {
            return Err(bad("a topic name is 1-128 characters"));
        }
        let color = b.icon_color.unwrap_or(ICON_COLORS[0]);
        let id = w.open_topic(key, &name, color, None, actor);
        return ok(json!({ "message_thread_id": id }));
    }
    let t = b.thread_id.ok_or_else(|| bad("thread_id is required"))?;
    let exists = w.chat(key)?.topics.get(&t).is_some_and(|x| !x.deleted);
    if !exists {
        return Err(bad("message thread not found"));
    }
    match b.action.as_str() {
        "delete" => remove_topic(&mut w, key, t),
        "archive" => {
            if let Some(x) = w.chat_mut(key)?.topics.get_mut(&t) {
                x.archived = true;
            }
            w.touch();
        }
        "close" | "reopen" => {
            let closed = b.action == "close";
            if let Some(x) = w.chat_mut(key)?.topics.get_mut(&t) {
                x.closed = closed;
            }
            let service = if closed {
                "forum_topic_closed"
            } else {
                "forum_topic_reopened"
            };
            w.post_service(key, Sender::User(actor), Some(t), json!({ service: {} }));
        }
        other => {
            return Err(bad(format!(
                "unknown topic action {other}: create, close, reopen, delete or archive"
            )));
        }
    }
    ok(json!(true))
}
