//! Sending: text, media, albums, locations and friends, chat actions, forwards and copies.

use std::collections::HashMap;

use rand::Rng;
use serde_json::{Map, Value, json};

use super::{
    admit, bot_chat_target, check_can_read, check_can_send, check_caption_len, check_text_len,
    deliver, formatted, message_ids, outgoing, send_target, target, thread_for_send,
};
use crate::error::{ApiError, ApiResult};
use crate::params::{InputFile, Params};
use crate::render;
use crate::world::{ChatKey, ChatType, Message, Sender, World};

pub fn send_message(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = send_target(w, bot, p)?;
    let (text, entities) =
        formatted(p, "text", "parse_mode", "entities")?.ok_or_else(|| ApiError::missing("text"))?;
    check_text_len(&text)?;
    let mut content = Map::new();
    content.insert("text".into(), json!(text));
    if !entities.is_empty() {
        content.insert("entities".into(), Value::Array(entities));
    }
    if let Some(lp) = p.json("link_preview_options")? {
        content.insert("link_preview_options".into(), lp);
    }
    let msg = outgoing(w, bot, key, p, content, true)?;
    admit(w, bot, key, 1)?;
    deliver(w, bot, msg)
}

fn title_case(kind: &str) -> String {
    match kind {
        "video_note" => "VideoNote".into(),
        k => {
            let mut c = k.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn default_mime(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "photo" => "image/jpeg",
        "video" | "animation" | "video_note" => "video/mp4",
        "voice" => "audio/ogg",
        "audio" => "audio/mpeg",
        "sticker" => "image/webp",
        _ => return None,
    })
}

/// Resolves a file parameter into a stored file index, checking scope and type.
pub fn resolve_input(w: &mut World, bot: i64, input: InputFile, kind: &str) -> ApiResult<u64> {
    match input {
        InputFile::Upload(u) => {
            if u.bytes.len() > w.config.max_upload_bytes() {
                return Err(ApiError::new(413, "Request Entity Too Large"));
            }
            if u.bytes.is_empty() {
                return Err(ApiError::bad_request("file must be non-empty"));
            }
            let mime = u
                .content_type
                .filter(|c| c != "application/octet-stream")
                .or(default_mime(kind).map(str::to_string));
            Ok(w.store_file(kind, u.bytes, u.file_name, mime))
        }
        InputFile::FileId(id) => {
            let (owner, idx) = render::decode_file_id(&id)
                .ok_or_else(|| ApiError::bad_request("wrong file identifier/HTTP URL specified"))?;
            let f = w
                .file(idx)
                .ok_or_else(|| ApiError::bad_request("wrong file identifier/HTTP URL specified"))?;
            if owner != bot {
                return Err(ApiError::bad_request(
                    "wrong file identifier/HTTP URL specified",
                ));
            }
            let compatible = f.kind == kind
                || (kind == "document"
                    && matches!(f.kind.as_str(), "animation" | "audio" | "video"))
                || (kind == "animation" && f.kind == "document");
            if !compatible {
                return Err(ApiError::bad_request(format!(
                    "can't use file of type {} as {}",
                    title_case(&f.kind),
                    title_case(kind)
                )));
            }
            Ok(idx)
        }
        // tgsim is offline: it cannot download what Telegram would fetch.
        InputFile::Url(_) => Err(ApiError::bad_request("failed to get HTTP URL content")),
    }
}

/// The content object for one media kind, from its stored file and the call's metadata.
pub fn media_object(
    w: &mut World,
    kind: &str,
    idx: u64,
    meta: &dyn Fn(&str) -> Option<Value>,
) -> Value {
    let (file_name, mime) = w
        .file(idx)
        .map(|f| (f.file_name.clone(), f.mime_type.clone()))
        .unwrap_or_default();
    let num = |k: &str, d: i64| meta(k).and_then(|v| v.as_i64()).unwrap_or(d);
    let mut o = Map::new();
    o.insert("$file".into(), json!(idx));
    match kind {
        "photo" => {
            // Telegram keeps several sizes; the original comes last.
            let bytes = w.file(idx).map(|f| f.bytes.clone()).unwrap_or_default();
            let thumb = w.store_file(
                "photo",
                bytes.slice(..bytes.len().min(1024)),
                None,
                Some("image/jpeg".into()),
            );
            return json!([
                { "$file": thumb, "width": 90, "height": 68 },
                { "$file": idx, "width": num("width", 1280), "height": num("height", 960) },
            ]);
        }
        "video" | "animation" => {
            o.insert("width".into(), json!(num("width", 640)));
            o.insert("height".into(), json!(num("height", 360)));
            o.insert("duration".into(), json!(num("duration", 5)));
        }
        "audio" => {
            o.insert("duration".into(), json!(num("duration", 30)));
            for k in ["performer", "title"] {
                if let Some(v) = meta(k) {
                    o.insert(k.into(), v);
                }
            }
        }
        "voice" => {
            o.insert("duration".into(), json!(num("duration", 3)));
        }
        "video_note" => {
            o.insert("length".into(), json!(num("length", 240)));
            o.insert("duration".into(), json!(num("duration", 3)));
        }
        "sticker" => {
            o.insert("type".into(), json!("regular"));
            o.insert("width".into(), json!(512));
            o.insert("height".into(), json!(512));
            o.insert("is_animated".into(), json!(false));
            o.insert("is_video".into(), json!(false));
            o.insert("emoji".into(), meta("emoji").unwrap_or(json!("🙂")));
        }
        _ => {}
    }
    if matches!(kind, "video" | "animation" | "audio" | "document")
        && let Some(n) = file_name
    {
        o.insert("file_name".into(), json!(n));
    }
    if !matches!(kind, "sticker" | "video_note")
        && let Some(m) = mime
    {
        o.insert("mime_type".into(), json!(m));
    }
    Value::Object(o)
}

/// Content fields for a media message (without caption).
pub fn media_content(
    w: &mut World,
    kind: &str,
    idx: u64,
    meta: &dyn Fn(&str) -> Option<Value>,
) -> Map<String, Value> {
    let obj = media_object(w, kind, idx, meta);
    let mut content = Map::new();
    if kind == "animation" {
        // Animations also appear as documents, for old clients.
        let mut doc = obj.clone();
        if let Some(d) = doc.as_object_mut() {
            for k in ["width", "height", "duration"] {
                d.remove(k);
            }
        }
        content.insert("document".into(), doc);
    }
    content.insert(kind.into(), obj);
    content
}

fn apply_caption(
    content: &mut Map<String, Value>,
    caption: Option<(String, Vec<Value>)>,
) -> ApiResult<()> {
    content.remove("caption");
    content.remove("caption_entities");
    if let Some((text, ents)) = caption {
        check_caption_len(&text)?;
        if !text.is_empty() {
            content.insert("caption".into(), json!(text));
            if !ents.is_empty() {
                content.insert("caption_entities".into(), Value::Array(ents));
            }
        }
    }
    Ok(())
}

fn send_media(w: &mut World, bot: i64, p: &Params, kind: &str) -> ApiResult<Value> {
    let key = send_target(w, bot, p)?;
    check_can_send(w, bot, key)?;
    let input = p.file(kind)?.ok_or_else(|| ApiError::missing(kind))?;
    let caption = formatted(p, "caption", "parse_mode", "caption_entities")?;
    if let Some((c, _)) = &caption {
        check_caption_len(c)?;
    }
    // Validate everything before storing the upload.
    let probe = outgoing(w, bot, key, p, Map::new(), true)?;
    let idx = resolve_input(w, bot, input, kind)?;
    let meta = |k: &str| -> Option<Value> {
        match p.raw(k) {
            None => None,
            Some(_) => p.str(k).ok().flatten().map(|s| {
                s.parse::<i64>()
                    .map(Value::from)
                    .unwrap_or(Value::String(s))
            }),
        }
    };
    let mut content = media_content(w, kind, idx, &meta);
    if kind != "sticker" && kind != "video_note" {
        apply_caption(&mut content, caption)?;
    }
    for flag in ["show_caption_above_media", "has_spoiler"] {
        if p.flag(flag)? {
            content.insert(
                if flag == "has_spoiler" {
                    "has_media_spoiler".into()
                } else {
                    flag.into()
                },
                json!(true),
            );
        }
    }
    let msg = Message { content, ..probe };
    admit(w, bot, key, 1)?;
    deliver(w, bot, msg)
}

pub fn send_photo(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    send_media(w, bot, p, "photo")
}
pub fn send_audio(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    send_media(w, bot, p, "audio")
}
pub fn send_document(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    send_media(w, bot, p, "document")
}
pub fn send_video(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    send_media(w, bot, p, "video")
}
pub fn send_animation(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    send_media(w, bot, p, "animation")
}
pub fn send_voice(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    send_media(w, bot, p, "voice")
}
pub fn send_video_note(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    send_media(w, bot, p, "video_note")
}
pub fn send_sticker(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    send_media(w, bot, p, "sticker")
}

fn send_content(
    w: &mut World,
    bot: i64,
    p: &Params,
    content: Map<String, Value>,
) -> ApiResult<Value> {
    let key = send_target(w, bot, p)?;
    let msg = outgoing(w, bot, key, p, content, true)?;
    admit(w, bot, key, 1)?;
    deliver(w, bot, msg)
}

fn location_from(p: &Params) -> ApiResult<Value> {
    let lat = p.req_f64("latitude")?;
    let lon = p.req_f64("longitude")?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(ApiError::bad_request(
            "wrong latitude or longitude specified",
        ));
    }
    let mut loc = Map::new();
    loc.insert("latitude".into(), json!(lat));
    loc.insert("longitude".into(), json!(lon));
    for k in ["horizontal_accuracy"] {
        if let Some(v) = p.f64(k)? {
            loc.insert(k.into(), json!(v));
        }
    }
    for k in ["live_period", "heading", "proximity_alert_radius"] {
        if let Some(v) = p.i64(k)? {
            loc.insert(k.into(), json!(v));
        }
    }
    Ok(Value::Object(loc))
}

pub fn send_location(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let mut c = Map::new();
    c.insert("location".into(), location_from(p)?);
    send_content(w, bot, p, c)
}

pub fn send_venue(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let loc = location_from(p)?;
    let mut venue = Map::new();
    venue.insert("location".into(), loc.clone());
    venue.insert("title".into(), json!(p.req_str("title")?));
    venue.insert("address".into(), json!(p.req_str("address")?));
    for k in [
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
    ] {
        if let Some(v) = p.str(k)? {
            venue.insert(k.into(), json!(v));
        }
    }
    let mut c = Map::new();
    c.insert("venue".into(), Value::Object(venue));
    c.insert("location".into(), loc);
    send_content(w, bot, p, c)
}

pub fn send_contact(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let mut contact = Map::new();
    let phone = p.req_str("phone_number")?;
    let first = p.req_str("first_name")?;
    if first.trim().is_empty() {
        return Err(ApiError::bad_request("CONTACT_NAME_EMPTY"));
    }
    contact.insert("phone_number".into(), json!(phone));
    contact.insert("first_name".into(), json!(first));
    for k in ["last_name", "vcard"] {
        if let Some(v) = p.str(k)? {
            contact.insert(k.into(), json!(v));
        }
    }
    let mut c = Map::new();
    c.insert("contact".into(), Value::Object(contact));
    send_content(w, bot, p, c)
}

pub fn send_poll(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let question = p.req_str("question")?;
    if question.trim().is_empty() || question.chars().count() > 300 {
        return Err(ApiError::bad_request(
            "poll question length must be 1-300 characters",
        ));
    }
    let options = p
        .json("options")?
        .ok_or_else(|| ApiError::missing("options"))?;
    let options: Vec<String> = options
        .as_array()
        .ok_or_else(|| ApiError::bad_request("can't parse options JSON object"))?
        .iter()
        .map(|o| match o {
            Value::String(s) => Some(s.clone()),
            Value::Object(_) => o.get("text").and_then(Value::as_str).map(str::to_string),
            _ => None,
        })
        .collect::<Option<_>>()
        .ok_or_else(|| ApiError::bad_request("can't parse options JSON object"))?;
    if options.len() < 2 {
        return Err(ApiError::bad_request("poll must have at least 2 option"));
    }
    if options.len() > 12 {
        return Err(ApiError::bad_request(
            "poll can't have more than 12 options",
        ));
    }
    if options
        .iter()
        .any(|o| o.trim().is_empty() || o.chars().count() > 100)
    {
        return Err(ApiError::bad_request(
            "poll options length must not exceed 100",
        ));
    }
    let kind = p.str("type")?.unwrap_or_else(|| "regular".into());
    if kind != "regular" && kind != "quiz" {
        return Err(ApiError::bad_request("wrong poll type specified"));
    }
    let correct = p.i64("correct_option_id")?;
    if kind == "quiz" && !correct.is_some_and(|c| c >= 0 && (c as usize) < options.len()) {
        return Err(ApiError::bad_request("wrong correct option ID specified"));
    }
    let id: u64 = w
        .rng
        .random_range(1_000_000_000_000_000..9_000_000_000_000_000);
    let mut poll = Map::new();
    poll.insert("id".into(), json!(id.to_string()));
    poll.insert("question".into(), json!(question));
    poll.insert(
        "options".into(),
        options
            .iter()
            .map(|o| json!({ "text": o, "voter_count": 0 }))
            .collect(),
    );
    poll.insert("total_voter_count".into(), json!(0));
    poll.insert("is_closed".into(), json!(p.flag("is_closed")?));
    poll.insert(
        "is_anonymous".into(),
        json!(p.bool("is_anonymous")?.unwrap_or(true)),
    );
    poll.insert("type".into(), json!(kind));
    poll.insert(
        "allows_multiple_answers".into(),
        json!(p.flag("allows_multiple_answers")?),
    );
    if let Some(c) = correct {
        poll.insert("correct_option_id".into(), json!(c));
    }
    let mut c = Map::new();
    c.insert("poll".into(), Value::Object(poll));
    send_content(w, bot, p, c)
}

pub fn dice_range(emoji: &str) -> Option<i64> {
    Some(match emoji {
        "🎲" | "🎯" | "🎳" => 6,
        "🏀" | "⚽" => 5,
        "🎰" => 64,
        _ => return None,
    })
}

pub fn send_dice(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let emoji = p.str("emoji")?.unwrap_or_else(|| "🎲".into());
    let max =
        dice_range(&emoji).ok_or_else(|| ApiError::bad_request("wrong dice emoji specified"))?;
    let value = w.rng.random_range(1..=max);
    let mut c = Map::new();
    c.insert("dice".into(), json!({ "emoji": emoji, "value": value }));
    send_content(w, bot, p, c)
}

pub fn send_media_group(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = send_target(w, bot, p)?;
    let media = p.json("media")?.ok_or_else(|| ApiError::missing("media"))?;
    let items = media
        .as_array()
        .ok_or_else(|| ApiError::bad_request("can't parse media JSON object"))?
        .clone();
    if items.len() > 10 {
        return Err(ApiError::bad_request(
            "too many messages to send as an album",
        ));
    }
    if items.len() < 2 {
        return Err(ApiError::bad_request("media group must contain 2-10 items"));
    }
    let kinds: Vec<String> = items
        .iter()
        .map(|i| {
            i.get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    for k in &kinds {
        if !matches!(k.as_str(), "photo" | "video" | "audio" | "document") {
            return Err(ApiError::bad_request(format!(
                "can't use the media of type \"{k}\" in an album"
            )));
        }
    }
    let visual = kinds.iter().all(|k| k == "photo" || k == "video");
    let uniform = kinds.iter().all(|k| *k == kinds[0]);
    if !visual && !uniform {
        return Err(ApiError::bad_request(
            "audio and documents can't be mixed with other media types in an album",
        ));
    }
    let probe = outgoing(w, bot, key, p, Map::new(), false)?;
    admit(w, bot, key, items.len() as u32)?;
    let mut resolved = Vec::new();
    for (item, kind) in items.iter().zip(&kinds) {
        let r = item
            .get("media")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::bad_request("can't parse InputMedia: media not found"))?;
        let input = p.resolve_file_ref(r)?;
        let caption = match item.get("caption").and_then(Value::as_str) {
            None => None,
            Some(c) => {
                let mode = item.get("parse_mode").and_then(Value::as_str).unwrap_or("");
                let (t, e) = if mode.is_empty() {
                    let ents = item
                        .get("caption_entities")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    (c.to_string(), ents)
                } else {
                    crate::format::parse(c, mode)?
                };
                check_caption_len(&t)?;
                Some((t, e))
            }
        };
        resolved.push((input, kind.clone(), caption, item.clone()));
    }
    // Every file must resolve before the first item goes out: an album is all or nothing.
    let mut files = Vec::new();
    for (input, kind, caption, item) in resolved {
        files.push((resolve_input(w, bot, input, &kind)?, kind, caption, item));
    }
    let group = w.new_media_group_id();
    let mut out = Vec::new();
    for (idx, kind, caption, item) in files {
        let meta = |k: &str| item.get(k).cloned();
        let mut content = media_content(w, &kind, idx, &meta);
        apply_caption(&mut content, caption)?;
        if item.get("has_spoiler").and_then(Value::as_bool) == Some(true) {
            content.insert("has_media_spoiler".into(), json!(true));
        }
        let mut msg = Message {
            content,
            ..probe.clone()
        };
        msg.media_group_id = Some(group.clone());
        out.push(deliver(w, bot, msg)?);
    }
    Ok(Value::Array(out))
}

const CHAT_ACTIONS: &[&str] = &[
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
];

pub fn send_chat_action(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = send_target(w, bot, p)?;
    let action = p.req_str("action")?;
    if !CHAT_ACTIONS.contains(&action.as_str()) {
        return Err(ApiError::bad_request("wrong parameter action in request"));
    }
    check_can_send(w, bot, key)?;
    thread_for_send(w, bot, key, p.i64("message_thread_id")?)?;
    Ok(json!(true))
}

/// The origin a forward of `src` shows.
pub fn forward_origin(w: &World, src: &Message) -> Value {
    if let Some(o) = &src.forward_origin {
        return o.clone();
    }
    match src.sender {
        Sender::User(u) => match w.users.get(&u) {
            Some(user) if user.hides_forwards => {
                json!({ "type": "hidden_user", "date": src.date, "sender_user_name": user.full_name() })
            }
            _ => json!({ "type": "user", "date": src.date, "sender_user": render::user(w, u) }),
        },
        Sender::Chat(c) => {
            let key = ChatKey::Group(c);
            if w.chats
                .get(&key)
                .is_some_and(|x| x.kind == ChatType::Channel)
            {
                let mut o = json!({ "type": "channel", "date": src.date, "chat": render::chat(w, key, 0), "message_id": src.id });
                if let Some(s) = &src.author_signature {
                    o["author_signature"] = json!(s);
                }
                o
            } else {
                json!({ "type": "chat", "date": src.date, "sender_chat": render::chat(w, key, 0) })
            }
        }
    }
}

fn copyable(m: &Message) -> bool {
    if m.service || m.has_protected_content {
        return false;
    }
    // A quiz can be copied only when the bot knows the right answer.
    !m.content.get("poll").is_some_and(|poll| {
        poll.get("type").and_then(Value::as_str) == Some("quiz")
            && poll.get("correct_option_id").is_none()
    })
}

fn source(w: &World, bot: i64, p: &Params) -> ApiResult<ChatKey> {
    let key = target(w, bot, p, "from_chat_id")?;
    check_can_read(w, bot, key)?;
    Ok(key)
}

pub fn forward_message(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = bot_chat_target(w, bot, p)?;
    let src_key = source(w, bot, p)?;
    let id = p.req_i64("message_id")?;
    let src = w
        .message(src_key, id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("message to forward not found"))?;
    if src.service || src.has_protected_content {
        return Err(ApiError::bad_request("message can't be forwarded"));
    }
    let mut msg = outgoing(w, bot, key, p, src.content.clone(), false)?;
    msg.forward_origin = Some(forward_origin(w, &src));
    admit(w, bot, key, 1)?;
    deliver(w, bot, msg)
}

/// forwardMessages and copyMessages: skip what cannot be found, keep albums together.
fn batch(w: &mut World, bot: i64, p: &Params, forward: bool) -> ApiResult<Value> {
    let key = bot_chat_target(w, bot, p)?;
    let src_key = source(w, bot, p)?;
    let ids = message_ids(p)?;
    let remove_caption = !forward && p.flag("remove_caption")?;
    let sources: Vec<Message> = ids
        .iter()
        .filter_map(|id| w.message(src_key, *id).cloned())
        .filter(copyable)
        .collect();
    if sources.is_empty() {
        return Err(ApiError::bad_request(if forward {
            "there are no messages to forward"
        } else {
            "there are no messages to copy"
        }));
    }
    let probe = outgoing(w, bot, key, p, Map::new(), false)?;
    admit(w, bot, key, sources.len() as u32)?;
    let mut groups: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for src in sources {
        let mut content = src.content.clone();
        if remove_caption {
            content.remove("caption");
            content.remove("caption_entities");
        }
        let mut msg = Message {
            content,
            ..probe.clone()
        };
        if let Some(g) = &src.media_group_id {
            let next = match groups.get(g) {
                Some(n) => n.clone(),
                None => {
                    let n = w.new_media_group_id();
                    groups.insert(g.clone(), n.clone());
                    n
                }
            };
            msg.media_group_id = Some(next);
        }
        if forward {
            msg.forward_origin = Some(forward_origin(w, &src));
        }
        let key = msg.chat;
        let id = w.insert_message(msg)?;
        crate::updates::fan_out_message(w, key, id, false);
        out.push(json!({ "message_id": id }));
    }
    Ok(Value::Array(out))
}

pub fn forward_messages(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    batch(w, bot, p, true)
}

pub fn copy_messages(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    batch(w, bot, p, false)
}

pub fn copy_message(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let key = bot_chat_target(w, bot, p)?;
    let src_key = source(w, bot, p)?;
    let id = p.req_i64("message_id")?;
    let src = w
        .message(src_key, id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("message to copy not found"))?;
    if !copyable(&src) {
        return Err(ApiError::bad_request("message can't be copied"));
    }
    let mut content = src.content.clone();
    if src.media_kind().is_some() {
        if let Some(caption) = formatted(p, "caption", "parse_mode", "caption_entities")? {
            apply_caption(&mut content, Some(caption))?;
        }
        if p.flag("show_caption_above_media")? {
            content.insert("show_caption_above_media".into(), json!(true));
        }
    }
    let msg = outgoing(w, bot, key, p, content, true)?;
    admit(w, bot, key, 1)?;
    let key = msg.chat;
    let id = w.insert_message(msg)?;
    crate::updates::fan_out_message(w, key, id, false);
    Ok(json!({ "message_id": id }))
}
