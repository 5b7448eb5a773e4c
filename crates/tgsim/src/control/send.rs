//! A person sends a message: text, media, albums, locations, polls, dice and forwards.

use axum::Json;
use axum::extract::State;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use rand::Rng;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{CResult, ControlError, Shared, active_user, bad, ok, user_chat};
use crate::methods::send::{dice_range, media_content};
use crate::render;
use crate::updates;
use crate::world::{ChatKey, ChatType, Sender, World};

#[derive(Deserialize, Clone)]
pub(super) struct MediaSpec {
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
pub(super) struct Send {
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
    /// Add each message's `date_ms` to the answer (see `with_date_ms`).
    #[serde(default)]
    ms: bool,
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
        ChatKey::Personal { .. } => {
            if thread.is_some() {
                return Err(bad("private chats have no topics"));
            }
            Ok((Sender::User(user), None, None, false))
        }
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

pub(super) async fn send(State(sim): Shared, Json(b): Json<Send>) -> CResult {
    let mut w = sim.world();
    active_user(&w, b.from)?;
    let key = user_chat(&w, b.from, b.chat)?;
    if let ChatKey::Personal { .. } = key {
        w.personal_chat(b.from, b.chat);
    }
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
            // A Poll as the Bot API shows it: options written as plain strings become
            // PollOption objects, and the required fields get a client's defaults.
            if let Some(options) = poll.get_mut("options").and_then(Value::as_array_mut) {
                for o in options.iter_mut() {
                    if let Some(text) = o.as_str().map(str::to_string) {
                        *o = json!({ "text": text, "voter_count": 0 });
                    }
                }
            }
            if let Some(o) = poll.as_object_mut() {
                for (k, v) in [
                    ("total_voter_count", json!(0)),
                    ("is_closed", json!(false)),
                    ("is_anonymous", json!(true)),
                    ("type", json!("regular")),
                    ("allows_multiple_answers", json!(false)),
                ] {
                    o.entry(k).or_insert(v);
                }
            }
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
            let v = render::message(&w, m, b.from);
            out.push(if b.ms {
                super::with_date_ms(v, m.date_ms)
            } else {
                v
            });
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
