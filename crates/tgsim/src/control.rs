//! The control API (`/control/…`): JSON endpoints through which tests and the sandbox act as
//! the people in the world, inspect what they see, and steer time, limits and faults.
//!
//! Answers are `{"ok": true, "result": …}` or `{"ok": false, "error": "…"}` with status 400/404.
//! In requests, `chat` is a chat as the acting user sees it: a bot's user id for the private
//! chat with that bot, or a (negative) group id.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use rand::Rng;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::faults::FaultRule;
use crate::methods::edit::REACTION_EMOJI;
use crate::methods::send::{dice_range, media_content};
use crate::methods::topics::{ICON_COLORS, remove_topic};
use crate::render;
use crate::updates;
use crate::world::{
    CallbackQuery, ChatKey, ChatType, Member, MemberStatus, Rights, Sender, User, WINDOW_48H_MS,
    World,
};
use crate::{LimitsConfig, Sim};

type Shared = State<Arc<Sim>>;

#[derive(Debug)]
pub struct ControlError(StatusCode, String);

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "ok": false, "error": self.1 }))).into_response()
    }
}

impl From<ApiError> for ControlError {
    fn from(e: ApiError) -> Self {
        ControlError(StatusCode::BAD_REQUEST, e.description)
    }
}

fn bad(msg: impl Into<String>) -> ControlError {
    ControlError(StatusCode::BAD_REQUEST, msg.into())
}

type CResult = Result<Json<Value>, ControlError>;

fn ok(v: Value) -> CResult {
    Ok(Json(json!({ "ok": true, "result": v })))
}

pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/users", post(create_user))
        .route("/users/{id}", get(get_user).patch(patch_user))
        .route("/bots", post(create_bot))
        .route("/bots/{id}/updates", get(peek_updates))
        .route("/bots/{id}/revoke", post(revoke_token))
        .route("/chats", post(create_chat))
        .route("/chats/{id}/members", post(set_member))
        .route("/start", post(start))
        .route("/send", post(send))
        .route("/edit", post(edit))
        .route("/delete", post(delete))
        .route("/press", post(press))
        .route("/forge_callback", post(forge_callback))
        .route("/callbacks/{id}", get(callback_answer))
        .route("/share_chat", post(share_chat))
        .route("/add_bot", post(add_bot))
        .route("/block", post(block))
        .route("/deactivate", post(deactivate))
        .route("/kick", post(kick))
        .route("/migrate", post(migrate))
        .route("/topics", post(topics))
        .route("/react", post(react))
        .route("/timeline", get(timeline))
        .route("/wait", get(wait))
        .route("/clock", get(clock_get).post(clock))
        .route(
            "/faults",
            get(faults_get).post(faults_set).delete(faults_clear),
        )
        .route("/limits", get(limits_get).post(limits_set))
        .route("/stats", get(stats))
        .route("/world", get(world_summary))
        // The sandbox UI's helpers: live events, the host panel, a person's chat list.
        .merge(crate::ui::control_routes())
}

// ----- people ----------------------------------------------------------------------------

#[derive(Deserialize)]
struct NewUser {
    first_name: String,
    last_name: Option<String>,
    username: Option<String>,
    language_code: Option<String>,
    #[serde(default)]
    is_premium: bool,
    #[serde(default)]
    hides_forwards: bool,
}

async fn create_user(State(sim): Shared, Json(b): Json<NewUser>) -> CResult {
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
        })
        .map_err(bad)?;
    w.touch();
    ok(render::user(&w, id))
}

async fn get_user(State(sim): Shared, Path(id): Path<i64>) -> CResult {
    let w = sim.world();
    w.user(id)?;
    ok(render::user(&w, id))
}

#[derive(Deserialize)]
struct PatchUser {
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
    language_code: Option<String>,
    hides_forwards: Option<bool>,
}

async fn patch_user(State(sim): Shared, Path(id): Path<i64>, Json(b): Json<PatchUser>) -> CResult {
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
    w.touch();
    ok(render::user(&w, id))
}

#[derive(Deserialize)]
struct NewBot {
    username: String,
    first_name: Option<String>,
    token: Option<String>,
    /// Privacy mode (on by default, as BotFather creates bots).
    #[serde(default = "yes")]
    privacy: bool,
    #[serde(default = "yes")]
    can_join_groups: bool,
}

fn yes() -> bool {
    true
}

async fn create_bot(State(sim): Shared, Json(b): Json<NewBot>) -> CResult {
    let mut w = sim.world();
    let first = b.first_name.unwrap_or_else(|| b.username.clone());
    let (id, token) = w
        .create_bot(&b.username, &first, b.token, !b.privacy, b.can_join_groups)
        .map_err(bad)?;
    w.touch();
    ok(json!({ "id": id, "token": token, "username": b.username, "user": render::user(&w, id) }))
}

/// The owner revokes the token in @BotFather: the old one answers 401 from now on.
async fn revoke_token(State(sim): Shared, Path(id): Path<i64>) -> CResult {
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

async fn peek_updates(State(sim): Shared, Path(id): Path<i64>) -> CResult {
    let w = sim.world();
    let b = w.bots.get(&id).ok_or_else(|| bad("no such bot"))?;
    ok(Value::Array(
        b.pending.iter().map(|u| u.body.clone()).collect(),
    ))
}

// ----- chats and members -----------------------------------------------------------------

#[derive(Deserialize)]
struct NewChat {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    creator: i64,
    username: Option<String>,
    #[serde(default)]
    is_forum: bool,
}

async fn create_chat(State(sim): Shared, Json(b): Json<NewChat>) -> CResult {
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
struct SetMember {
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

fn group_key(w: &World, id: i64) -> Result<ChatKey, ControlError> {
    let key = ChatKey::Group(id);
    if w.chats.contains_key(&key) {
        Ok(key)
    } else {
        Err(bad("no such chat"))
    }
}

fn creator_of(w: &World, key: ChatKey) -> i64 {
    w.chats
        .get(&key)
        .and_then(|c| {
            c.members
                .iter()
                .find(|(_, m)| m.status == MemberStatus::Creator)
                .map(|(id, _)| *id)
        })
        .unwrap_or(0)
}

async fn set_member(
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

// ----- acting as a user ------------------------------------------------------------------

/// The chat `chat` as user `user` addresses it.
fn user_chat(w: &World, user: i64, chat: i64) -> Result<ChatKey, ControlError> {
    if chat > 0 {
        if !w.is_bot(chat) {
            return Err(bad(
                "tgsim emulates the Bot API: private chats exist only between a user and a bot",
            ));
        }
        Ok(ChatKey::Private { bot: chat, user })
    } else {
        group_key(w, chat)
    }
}

fn active_user(w: &World, id: i64) -> Result<(), ControlError> {
    let u = w.users.get(&id).ok_or_else(|| bad("no such user"))?;
    if u.is_bot {
        return Err(bad("bots act through the Bot API, not the control API"));
    }
    if u.deactivated {
        return Err(bad("this account is deleted"));
    }
    Ok(())
}

#[derive(Deserialize)]
struct Start {
    user: i64,
    bot: i64,
    payload: Option<String>,
}

/// The user presses Start (or Restart) in the bot's chat, optionally through a deep link.
async fn start(State(sim): Shared, Json(b): Json<Start>) -> CResult {
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

#[derive(Deserialize, Clone)]
struct MediaSpec {
    #[serde(rename = "type")]
    kind: String,
    file_name: Option<String>,
    mime_type: Option<String>,
    /// File content; when absent, `size` bytes of filler (default 1 KiB).
    data_base64: Option<String>,
    size: Option<usize>,
    caption: Option<String>,
    caption_entities: Option<Vec<Value>>,
    duration: Option<i64>,
    width: Option<i64>,
    height: Option<i64>,
    performer: Option<String>,
    title: Option<String>,
    emoji: Option<String>,
}

#[derive(Deserialize)]
struct Send {
    from: i64,
    chat: i64,
    thread_id: Option<i64>,
    reply_to: Option<i64>,
    text: Option<String>,
    entities: Option<Vec<Value>>,
    /// Format `text` like a Telegram app would (HTML, MarkdownV2, Markdown) into entities.
    parse_mode: Option<String>,
    media: Option<MediaSpec>,
    album: Option<Vec<MediaSpec>>,
    location: Option<Value>,
    venue: Option<Value>,
    contact: Option<Value>,
    poll: Option<Value>,
    dice: Option<String>,
    /// Forward this message (chat as the user sees it, message id) instead of writing one.
    forward_from: Option<(i64, i64)>,
    /// Post as the chat: anonymous group admin, or a channel post.
    #[serde(default)]
    as_chat: bool,
    author_signature: Option<String>,
}

fn store_media(w: &mut World, spec: &MediaSpec) -> Result<Map<String, Value>, ControlError> {
    const KINDS: &[&str] = &[
        "photo",
        "video",
        "audio",
        "voice",
        "document",
        "animation",
        "sticker",
        "video_note",
    ];
    if !KINDS.contains(&spec.kind.as_str()) {
        return Err(bad(format!("unknown media type {}", spec.kind)));
    }
    let bytes = match &spec.data_base64 {
        Some(d) => Bytes::from(
            STANDARD
                .decode(d)
                .map_err(|_| bad("data_base64 is not base64"))?,
        ),
        None => {
            let n = spec.size.unwrap_or(1024).max(1);
            let seed: u8 = w.rng.random();
            Bytes::from(
                (0..n)
                    .map(|i| (i as u8).wrapping_add(seed))
                    .collect::<Vec<u8>>(),
            )
        }
    };
    let name = spec.file_name.clone().or_else(|| match spec.kind.as_str() {
        "document" => Some("file.bin".into()),
        "audio" => Some("track.mp3".into()),
        _ => None,
    });
    let idx = w.store_file(&spec.kind, bytes, name, spec.mime_type.clone());
    let s = spec.clone();
    let meta = move |k: &str| -> Option<Value> {
        match k {
            "duration" => s.duration.map(Value::from),
            "width" => s.width.map(Value::from),
            "height" => s.height.map(Value::from),
            "performer" => s.performer.clone().map(Value::from),
            "title" => s.title.clone().map(Value::from),
            "emoji" => s.emoji.clone().map(Value::from),
            _ => None,
        }
    };
    let mut content = media_content(w, &spec.kind, idx, &meta);
    if let Some(c) = &spec.caption {
        if c.chars().count() > 1024 {
            return Err(bad("caption is longer than 1024 characters"));
        }
        content.insert("caption".into(), json!(c));
        if let Some(e) = &spec.caption_entities {
            content.insert("caption_entities".into(), json!(e));
        }
    }
    Ok(content)
}

/// Checks that `user` may post into `key` and returns (sender, posted_by, thread, is_topic).
fn user_can_post(
    w: &World,
    user: i64,
    key: ChatKey,
    thread: Option<i64>,
    as_chat: bool,
) -> Result<(Sender, Option<i64>, Option<i64>, bool), ControlError> {
    let chat = w.chat(key)?;
    match key {
        ChatKey::Private { .. } => {
            if chat.blocked {
                return Err(bad(
                    "the user blocked this bot; unblock (or press Restart) first",
                ));
            }
            if !chat.started {
                return Err(bad(
                    "the user has not started this bot: press Start first (POST /control/start)",
                ));
            }
            if thread.is_some() {
                return Err(bad("private chats have no topics"));
            }
            Ok((Sender::User(user), None, None, false))
        }
        ChatKey::Group(id) => {
            let status = chat.status_of(user);
            if !status.is_present() {
                return Err(bad("the user is not a member of this chat"));
            }
            if chat.kind == ChatType::Channel {
                if !chat
                    .member(user)
                    .is_some_and(|m| m.can("can_post_messages"))
                {
                    return Err(bad(
                        "only administrators with can_post_messages post in a channel",
                    ));
                }
                return Ok((Sender::Chat(id), Some(user), None, false));
            }
            let sender = if as_chat {
                if !chat
                    .member(user)
                    .is_some_and(|m| m.status.is_admin() && m.rights.is_anonymous)
                {
                    return Err(bad("only anonymous administrators post as the group"));
                }
                Sender::Chat(id)
            } else {
                Sender::User(user)
            };
            let can_manage = chat
                .member(user)
                .is_some_and(|m| m.can("can_manage_topics"));
            if chat.is_forum {
                match thread {
                    None => {
                        if chat.general_closed && !can_manage {
                            return Err(bad("TOPIC_CLOSED: the General topic is closed"));
                        }
                        Ok((sender, as_chat.then_some(user), None, false))
                    }
                    Some(t) => {
                        let topic = chat
                            .topics
                            .get(&t)
                            .filter(|x| !x.deleted && !x.archived)
                            .ok_or_else(|| bad("message thread not found"))?;
                        if topic.closed && !can_manage {
                            return Err(bad(
                                "TOPIC_CLOSED: only topic managers write in a closed topic",
                            ));
                        }
                        Ok((sender, as_chat.then_some(user), Some(t), true))
                    }
                }
            } else {
                Ok((sender, as_chat.then_some(user), thread, false))
            }
        }
    }
}

async fn send(State(sim): Shared, Json(b): Json<Send>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    let (sender, posted_by, mut thread, mut is_topic) =
        user_can_post(&w, b.from, key, b.thread_id, b.as_chat)?;
    if let Some(r) = b.reply_to {
        let target = w
            .message(key, r)
            .ok_or_else(|| bad("message to be replied not found"))?;
        if thread.is_none() && target.is_topic_message {
            thread = target.thread_id;
            is_topic = true;
        }
    }
    let mut contents: Vec<Map<String, Value>> = Vec::new();
    let mut forward_origin = None;
    if let Some(album) = &b.album {
        if !(2..=10).contains(&album.len()) {
            return Err(bad("an album has 2-10 items"));
        }
        for item in album {
            contents.push(store_media(&mut w, item)?);
        }
    } else {
        let mut c = Map::new();
        if let Some((from_chat, id)) = b.forward_from {
            let src_key = user_chat(&w, b.from, from_chat)?;
            let src = w
                .message(src_key, id)
                .cloned()
                .ok_or_else(|| bad("message to forward not found"))?;
            if src.service || src.has_protected_content {
                return Err(bad("message can't be forwarded"));
            }
            c = src.content.clone();
            forward_origin = Some(crate::methods::send::forward_origin(&w, &src));
        }
        if let Some(m) = &b.media {
            c.extend(store_media(&mut w, m)?);
        }
        if let Some(t) = &b.text {
            let (text, ents) = match &b.parse_mode {
                Some(mode) => crate::format::parse(t, mode)?,
                None => (t.clone(), b.entities.clone().unwrap_or_default()),
            };
            if text.trim().is_empty() {
                return Err(bad("message text is empty"));
            }
            if text.chars().count() > 4096 {
                return Err(bad("message is too long"));
            }
            if c.keys()
                .any(|k| crate::world::MEDIA_KINDS.contains(&k.as_str()))
            {
                return Err(bad("use media.caption for a caption"));
            }
            c.insert("text".into(), json!(text));
            let ents = crate::format::clean_entities(&text, ents);
            let ents = with_command_entity(&text, ents);
            if !ents.is_empty() {
                c.insert("entities".into(), json!(ents));
            }
        }
        if let Some(l) = &b.location {
            c.insert("location".into(), l.clone());
        }
        if let Some(v) = &b.venue {
            c.insert("venue".into(), v.clone());
            if let Some(l) = v.get("location") {
                c.insert("location".into(), l.clone());
            }
        }
        if let Some(ct) = &b.contact {
            c.insert("contact".into(), ct.clone());
        }
        if let Some(poll) = &b.poll {
            let mut poll = poll.clone();
            let id: u64 = w
                .rng
                .random_range(1_000_000_000_000_000..9_000_000_000_000_000);
            poll["id"] = json!(id.to_string());
            poll.as_object_mut()
                .map(|o| o.entry("total_voter_count").or_insert(json!(0)));
            c.insert("poll".into(), poll);
        }
        if let Some(emoji) = &b.dice {
            let max = dice_range(emoji).ok_or_else(|| bad("unknown dice emoji"))?;
            let value = w.rng.random_range(1..=max);
            c.insert("dice".into(), json!({ "emoji": emoji, "value": value }));
        }
        if c.is_empty() {
            return Err(bad(
                "nothing to send: give text, media, album, location, venue, contact, poll, dice or forward_from",
            ));
        }
        contents.push(c);
    }
    let group = if contents.len() > 1 {
        Some(w.new_media_group_id())
    } else {
        None
    };
    let mut out = Vec::new();
    for content in contents {
        let mut msg = w.new_message(key, sender, content);
        msg.posted_by = posted_by;
        msg.thread_id = thread;
        msg.is_topic_message = is_topic;
        msg.reply_to = b.reply_to;
        msg.media_group_id = group.clone();
        msg.forward_origin = forward_origin.clone();
        msg.author_signature = b.author_signature.clone();
        let id = w.insert_message(msg)?;
        updates::fan_out_message(&mut w, key, id, false);
        if let Some(m) = w.message(key, id) {
            out.push(render::message(&w, m, b.from));
        }
    }
    ok(Value::Array(out))
}

/// Telegram apps mark a leading `/command` as a bot_command entity.
fn with_command_entity(text: &str, mut ents: Vec<Value>) -> Vec<Value> {
    if text.starts_with('/') && !ents.iter().any(|e| e["type"] == "bot_command") {
        let word = text.split_whitespace().next().unwrap_or("");
        if word.len() > 1
            && word[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@')
        {
            ents.insert(0, json!({ "type": "bot_command", "offset": 0, "length": crate::format::utf16_len(word) }));
        }
    }
    ents
}

#[derive(Deserialize)]
struct Edit {
    from: i64,
    chat: i64,
    message_id: i64,
    text: Option<String>,
    entities: Option<Vec<Value>>,
    caption: Option<String>,
}

async fn edit(State(sim): Shared, Json(b): Json<Edit>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    let mut m = w
        .message(key, b.message_id)
        .cloned()
        .ok_or_else(|| bad("message to edit not found"))?;
    let own = m.sender == Sender::User(b.from) || m.posted_by == Some(b.from);
    if !own {
        return Err(bad("users can edit only their own messages"));
    }
    if w.now_ms() - m.date_ms > WINDOW_48H_MS && key_is_private(key) {
        return Err(bad("message can't be edited"));
    }
    if let Some(t) = b.text {
        if m.text().is_none() {
            return Err(bad("there is no text in the message to edit"));
        }
        m.content.insert("text".into(), json!(t));
        match b.entities {
            Some(e) if !e.is_empty() => {
                m.content.insert("entities".into(), json!(e));
            }
            _ => {
                m.content.remove("entities");
            }
        }
    }
    if let Some(c) = b.caption {
        if m.media_kind().is_none() {
            return Err(bad("there is no caption in the message to edit"));
        }
        m.content.insert("caption".into(), json!(c));
        m.content.remove("caption_entities");
    }
    m.edit_date = Some(w.now_s());
    let id = m.id;
    w.chat_mut(key)?.messages.insert(id, m);
    w.touch();
    updates::fan_out_message(&mut w, key, id, true);
    let m = w.message(key, id).ok_or_else(|| bad("message vanished"))?;
    ok(render::message(&w, m, b.from))
}

fn key_is_private(key: ChatKey) -> bool {
    matches!(key, ChatKey::Private { .. })
}

#[derive(Deserialize)]
struct Delete {
    from: i64,
    chat: i64,
    message_ids: Vec<i64>,
}

/// A user deletes messages. Telegram sends bots no update about it.
async fn delete(State(sim): Shared, Json(b): Json<Delete>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    let is_admin = w
        .chat(key)?
        .member(b.from)
        .is_some_and(|m| m.can("can_delete_messages"));
    let mut deleted = Vec::new();
    for id in b.message_ids {
        let Some(m) = w.message(key, id) else {
            continue;
        };
        let own = m.sender == Sender::User(b.from) || m.posted_by == Some(b.from);
        let private = key_is_private(key);
        if !(own || private || is_admin) {
            return Err(bad(format!("the user may not delete message {id}")));
        }
        if m.service && m.content.contains_key("forum_topic_created") {
            return Err(bad("delete the topic instead of its first message"));
        }
        if let Some(c) = w.chats.get_mut(&key) {
            if let Some(m) = c.messages.get_mut(&id) {
                m.deleted = true;
            }
            c.pinned.retain(|x| *x != id);
        }
        deleted.push(id);
    }
    w.touch();
    ok(json!(deleted))
}

#[derive(Deserialize)]
struct Press {
    from: i64,
    chat: i64,
    message_id: i64,
    data: String,
}

/// A person presses an inline button of a bot's message.
async fn press(State(sim): Shared, Json(b): Json<Press>) -> CResult {
    callback(&sim, &b, false)
}

/// A forged button press: the callback data is whatever the person chose, not one of the
/// message's buttons. Telegram's clients send `messages.getBotCallbackAnswer` with any data
/// for any bot message the user can see, so bots must treat callback data as untrusted
/// input; this is how tests act as that attacker.
async fn forge_callback(State(sim): Shared, Json(b): Json<Press>) -> CResult {
    callback(&sim, &b, true)
}

fn callback(sim: &Sim, b: &Press, forged: bool) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    if !w.chat(key)?.is_present(b.from) {
        return Err(bad("the user is not in this chat"));
    }
    let m = w
        .message(key, b.message_id)
        .cloned()
        .ok_or_else(|| bad("no such message"))?;
    let bot = match m.sender {
        Sender::User(u) if w.is_bot(u) => u,
        _ => m
            .posted_by
            .filter(|u| w.is_bot(*u))
            .ok_or_else(|| bad("the message was not sent by a bot"))?,
    };
    let has_button = m
        .reply_markup
        .as_ref()
        .and_then(|r| r.get("inline_keyboard"))
        .and_then(Value::as_array)
        .is_some_and(|rows| {
            rows.iter()
                .filter_map(Value::as_array)
                .flatten()
                .any(|btn| btn.get("callback_data").and_then(Value::as_str) == Some(&b.data))
        });
    if !forged && !has_button {
        return Err(bad(
            "the message has no inline button with that callback_data",
        ));
    }
    // Telegram refuses callback data longer than 64 bytes (BUTTON_DATA_INVALID).
    if b.data.is_empty() || b.data.len() > 64 {
        return Err(bad("callback data must be 1-64 bytes"));
    }
    let id: u64 = w
        .rng
        .random_range(1_000_000_000_000_000_000..9_000_000_000_000_000_000);
    let id = id.to_string();
    let old = w.now_ms() - m.date_ms > WINDOW_48H_MS;
    let message = if old {
        render::inaccessible_message(&w, &m, bot)
    } else {
        render::message(&w, &m, bot)
    };
    let chat_instance = format!(
        "{}",
        (w.chat_id_for(key, bot).unsigned_abs() ^ 0x5bd1_e995) % 1_000_000_000_000_000_000
    );
    let payload = json!({
        "id": id,
        "from": render::user(&w, b.from),
        "message": message,
        "chat_instance": chat_instance,
        "data": b.data,
    });
    let now = w.now_ms();
    w.callbacks.insert(
        id.clone(),
        CallbackQuery {
            id: id.clone(),
            bot,
            from: b.from,
            created_ms: now,
            answer: None,
        },
    );
    w.push_update(bot, "callback_query", payload);
    w.touch();
    ok(json!({ "callback_query_id": id }))
}

#[derive(Deserialize)]
struct WaitParams {
    timeout_ms: Option<u64>,
}

async fn callback_answer(
    State(sim): Shared,
    Path(id): Path<String>,
    Query(q): Query<WaitParams>,
) -> CResult {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(q.timeout_ms.unwrap_or(0));
    loop {
        let mut rx = {
            let w = sim.world();
            let cb = w
                .callbacks
                .get(&id)
                .ok_or_else(|| bad("no such callback query"))?;
            if cb.answer.is_some() || tokio::time::Instant::now() >= deadline {
                return ok(json!({ "answer": cb.answer }));
            }
            w.changes.subscribe()
        };
        tokio::select! {
            _ = rx.changed() => {}
            () = tokio::time::sleep_until(deadline) => {}
        }
    }
}

#[derive(Deserialize)]
struct ShareChat {
    from: i64,
    bot: i64,
    /// The bot's message whose reply keyboard holds the request_chat button.
    message_id: i64,
    request_id: i64,
    chat_id: i64,
}

/// The user picks a chat through a `KeyboardButtonRequestChat` button.
async fn share_chat(State(sim): Shared, Json(b): Json<ShareChat>) -> CResult {
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
struct AddBot {
    from: i64,
    bot: i64,
    chat: i64,
    /// Administrator rights (the `?startgroup=…&admin=…` deep link); absent: plain member.
    rights: Option<Value>,
    /// The deep link's startgroup payload: Telegram then sends `/start@bot payload`.
    start_payload: Option<String>,
}

async fn add_bot(State(sim): Shared, Json(b): Json<AddBot>) -> CResult {
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
struct Block {
    user: i64,
    bot: i64,
    #[serde(default = "yes")]
    blocked: bool,
}

async fn block(State(sim): Shared, Json(b): Json<Block>) -> CResult {
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
struct UserOnly {
    user: i64,
}

async fn deactivate(State(sim): Shared, Json(b): Json<UserOnly>) -> CResult {
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

#[derive(Deserialize)]
struct Kick {
    chat: i64,
    user: i64,
    actor: Option<i64>,
}

async fn kick(State(sim): Shared, Json(b): Json<Kick>) -> CResult {
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
struct Migrate {
    chat: i64,
}

/// Upgrades a basic group to a supergroup: a new chat id, and the old one answers
/// `migrate_to_chat_id` from then on.
async fn migrate(State(sim): Shared, Json(b): Json<Migrate>) -> CResult {
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
struct TopicOp {
    chat: i64,
    action: String,
    thread_id: Option<i64>,
    name: Option<String>,
    icon_color: Option<i64>,
    /// The user doing it (defaults to the creator); must manage topics.
    actor: Option<i64>,
}

/// People's topic operations: create, close, reopen, delete, and Telegram archiving a topic.
async fn topics(State(sim): Shared, Json(b): Json<TopicOp>) -> CResult {
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

#[derive(Deserialize)]
struct React {
    from: i64,
    chat: i64,
    message_id: i64,
    /// An emoji, or null to remove the reaction.
    emoji: Option<String>,
}

async fn react(State(sim): Shared, Json(b): Json<React>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    if let Some(e) = &b.emoji
        && !REACTION_EMOJI.contains(&e.as_str())
    {
        return Err(bad("REACTION_INVALID"));
    }
    let new: Vec<Value> = b
        .emoji
        .iter()
        .map(|e| json!({ "type": "emoji", "emoji": e }))
        .collect();
    let old = {
        let m = w
            .chat_mut(key)?
            .messages
            .get_mut(&b.message_id)
            .filter(|m| !m.deleted)
            .ok_or_else(|| bad("no such message"))?;
        let old = m.reactions.get(&b.from).cloned().unwrap_or_default();
        if new.is_empty() {
            m.reactions.remove(&b.from);
        } else {
            m.reactions.insert(b.from, new.clone());
        }
        old
    };
    let receivers: Vec<i64> = match key {
        ChatKey::Private { bot, .. } => vec![bot],
        ChatKey::Group(_) => {
            let c = w.chat(key)?;
            c.members
                .iter()
                .filter(|(id, m)| m.status.is_admin() && w.is_bot(**id))
                .map(|(id, _)| *id)
                .collect()
        }
    };
    let date = w.now_s();
    for bot in receivers {
        let payload = json!({
            "chat": render::chat(&w, key, bot),
            "message_id": b.message_id,
            "user": render::user(&w, b.from),
            "date": date,
            "old_reaction": old,
            "new_reaction": new,
        });
        w.push_update(bot, "message_reaction", payload);
    }
    w.touch();
    ok(json!(true))
}

// ----- what people see -------------------------------------------------------------------

#[derive(Deserialize)]
struct TimelineQuery {
    /// The viewing user.
    #[serde(rename = "as")]
    viewer: i64,
    chat: i64,
    /// Only this forum topic; `0` for General.
    thread: Option<i64>,
    /// Only messages with a larger id.
    after: Option<i64>,
}

fn timeline_of(w: &World, q: &TimelineQuery) -> Result<Vec<Value>, ControlError> {
    let key = user_chat(w, q.viewer, q.chat)?;
    let chat = w.chat(key)?;
    if matches!(key, ChatKey::Group(_)) && !chat.is_present(q.viewer) && chat.username.is_none() {
        return Err(bad("the viewer is not a member of this chat"));
    }
    Ok(chat
        .messages
        .values()
        .filter(|m| !m.deleted)
        .filter(|m| q.after.is_none_or(|a| m.id > a))
        .filter(|m| match q.thread {
            None => true,
            Some(0) => !m.is_topic_message,
            Some(t) => m.is_topic_message && m.thread_id == Some(t),
        })
        .map(|m| {
            let mut v = render::message(w, m, q.viewer);
            // Reply keyboards are part of what the user sees, though not of the Message.
            if let (Some(rm), Some(o)) = (&m.reply_markup, v.as_object_mut())
                && rm.get("inline_keyboard").is_none()
            {
                o.insert("reply_keyboard".into(), rm.clone());
            }
            v
        })
        .collect())
}

async fn timeline(State(sim): Shared, Query(q): Query<TimelineQuery>) -> CResult {
    let w = sim.world();
    ok(Value::Array(timeline_of(&w, &q)?))
}

#[derive(Deserialize)]
struct WaitQuery {
    #[serde(rename = "as")]
    viewer: i64,
    chat: i64,
    thread: Option<i64>,
    after: Option<i64>,
    /// Wait until the (filtered) timeline holds at least this many messages.
    count: usize,
    timeout_ms: Option<u64>,
}

/// Long-polls until a chat shows at least `count` messages, so tests never sleep.
async fn wait(State(sim): Shared, Query(q): Query<WaitQuery>) -> CResult {
    let deadline =
        tokio::time::Instant::now() + Duration::from_millis(q.timeout_ms.unwrap_or(10_000));
    let tq = TimelineQuery {
        viewer: q.viewer,
        chat: q.chat,
        thread: q.thread,
        after: q.after,
    };
    loop {
        let mut rx = {
            let w = sim.world();
            let items = timeline_of(&w, &tq)?;
            if items.len() >= q.count {
                return ok(Value::Array(items));
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(ControlError(
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "timed out: chat {} shows {} of {} messages: {}",
                        q.chat,
                        items.len(),
                        q.count,
                        Value::Array(items)
                    ),
                ));
            }
            w.changes.subscribe()
        };
        tokio::select! {
            _ = rx.changed() => {}
            () = tokio::time::sleep_until(deadline) => {}
        }
    }
}

// ----- time, limits, faults, statistics ---------------------------------------------------

#[derive(Deserialize)]
struct ClockOp {
    advance_ms: Option<i64>,
    advance_hours: Option<i64>,
    freeze: Option<bool>,
}

async fn clock(State(sim): Shared, Json(b): Json<ClockOp>) -> CResult {
    if let Some(f) = b.freeze {
        sim.clock.set_frozen(f);
    }
    let ms = b.advance_ms.unwrap_or(0) + b.advance_hours.unwrap_or(0) * 3_600_000;
    if ms < 0 {
        return Err(bad("time only moves forward"));
    }
    sim.clock.advance_ms(ms);
    sim.world().touch();
    clock_get(State(sim)).await
}

async fn clock_get(State(sim): Shared) -> CResult {
    ok(
        json!({ "now_ms": sim.clock.now_ms(), "now": sim.clock.now_s(), "frozen": sim.clock.is_frozen() }),
    )
}

#[derive(Deserialize)]
struct FaultSet {
    rules: Vec<FaultRule>,
    /// Add to the existing rules instead of replacing them.
    #[serde(default)]
    append: bool,
}

async fn faults_set(State(sim): Shared, Json(b): Json<FaultSet>) -> CResult {
    for r in &b.rules {
        if !(0.0..=1.0).contains(&r.rate) {
            return Err(bad("rate is a probability between 0 and 1"));
        }
    }
    let mut f = sim
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !b.append {
        f.rules.clear();
    }
    f.rules.extend(b.rules);
    ok(json!(f.rules))
}

async fn faults_get(State(sim): Shared) -> CResult {
    let f = sim
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    ok(json!({ "rules": f.rules, "fired": f.fired }))
}

async fn faults_clear(State(sim): Shared) -> CResult {
    sim.faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .rules
        .clear();
    ok(json!(true))
}

async fn limits_set(State(sim): Shared, Json(b): Json<LimitsConfig>) -> CResult {
    let mut w = sim.world();
    w.limiter.config = b.clone();
    w.config.limits = b;
    ok(json!(w.limiter.config))
}

async fn limits_get(State(sim): Shared) -> CResult {
    let w = sim.world();
    ok(
        json!({ "config": w.limiter.config, "counted": w.limiter.counted, "refused": w.limiter.refused }),
    )
}

async fn stats(State(sim): Shared) -> CResult {
    let s = sim.stats();
    let (counted, refused) = {
        let w = sim.world();
        (w.limiter.counted, w.limiter.refused)
    };
    let fired = sim
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .fired;
    ok(
        json!({ "calls": s.calls, "statuses": s.statuses, "limited": { "counted": counted, "refused": refused }, "faults_fired": fired }),
    )
}

async fn world_summary(State(sim): Shared) -> CResult {
    let w = sim.world();
    let users: Vec<Value> = w
        .users
        .values()
        .filter(|u| !u.is_bot && u.id > 1_000_000)
        .map(|u| render::user(&w, u.id))
        .collect();
    let bots: Vec<Value> = w
        .bots
        .values()
        .map(|b| json!({ "user": render::user(&w, b.id), "token": b.token }))
        .collect();
    let chats: Vec<Value> = w
        .chats
        .values()
        .filter(|c| matches!(c.key, ChatKey::Group(_)) && c.migrated_to.is_none())
        .map(|c| {
            let mut v = render::chat(&w, c.key, 0);
            v["members"] = json!(c.members.iter().filter(|(_, m)| m.status.is_present()).map(|(id, m)| json!({ "id": id, "status": m.status.as_str() })).collect::<Vec<_>>());
            v["topics"] = json!(c.topics.values().filter(|t| !t.deleted).map(|t| json!({ "id": t.id, "name": t.name, "closed": t.closed, "icon_color": t.icon_color })).collect::<Vec<_>>());
            v
        })
        .collect();
    ok(json!({ "users": users, "bots": bots, "chats": chats }))
}
