//! Messages kept to be sent again (templates, broadcasts): a received Bot API message is
//! reduced to what resending it needs ([`keep`]: content, formatting, the file id of the bot
//! that received it — never who sent it), and sent again with the matching method
//! ([`calls`]: `sendMessage`, `sendPhoto`, …, `sendMediaGroup` for an album).
//!
//! A file id is valid only for the bot that received it, so a kept message can only be
//! resent by that bot.

use hotline_core::ChatId;
use serde_json::{Map, Value, json};

use crate::requests::Request;

/// Media kinds: (field in a message, method that sends it).
const MEDIA: [(&str, &str); 8] = [
    ("photo", "sendPhoto"),
    ("video", "sendVideo"),
    ("animation", "sendAnimation"),
    ("document", "sendDocument"),
    ("audio", "sendAudio"),
    ("voice", "sendVoice"),
    ("video_note", "sendVideoNote"),
    ("sticker", "sendSticker"),
];

/// Kinds `sendMediaGroup` takes.
const ALBUM_KINDS: [&str; 4] = ["photo", "video", "document", "audio"];

/// The most items one album holds.
pub const ALBUM_MAX: usize = 10;

/// Why a message cannot be kept: what it is (`poll`, `service`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

fn copy_fields(from: &Value, to: &mut Map<String, Value>, fields: &[&str]) {
    for f in fields {
        if let Some(v) = from.get(*f) {
            to.insert((*f).to_string(), v.clone());
        }
    }
}

/// What `raw` (a message as Telegram sent it) is made of, kept to be sent again.
pub fn keep(raw: &Value) -> Result<Value, Unsupported> {
    let mut out = Map::new();
    if let Some(text) = raw.get("text") {
        out.insert("kind".into(), json!("text"));
        out.insert("text".into(), text.clone());
        copy_fields(raw, &mut out, &["entities", "link_preview_options"]);
        return Ok(Value::Object(out));
    }
    for (field, _) in MEDIA {
        let Some(media) = raw.get(field) else {
            continue;
        };
        // A photo comes in several sizes, the largest last.
        let file = match media {
            Value::Array(sizes) => sizes.last().and_then(|s| s.get("file_id")),
            other => other.get("file_id"),
        };
        let Some(file) = file.filter(|f| f.is_string()) else {
            return Err(Unsupported(field.to_string()));
        };
        out.insert("kind".into(), json!(field));
        out.insert("file_id".into(), file.clone());
        copy_fields(
            raw,
            &mut out,
            &[
                "caption",
                "caption_entities",
                "has_media_spoiler",
                "show_caption_above_media",
                "media_group_id",
            ],
        );
        if let Some(emoji) = media.get("emoji").filter(|_| field == "sticker") {
            out.insert("emoji".into(), emoji.clone());
        }
        // What an upload of the file to another bot needs (see `carry`).
        copy_fields(media, &mut out, &["file_name", "mime_type"]);
        return Ok(Value::Object(out));
    }
    if let Some(v) = raw.get("venue") {
        out.insert("kind".into(), json!("venue"));
        if let Some(l) = v.get("location") {
            copy_fields(l, &mut out, &["latitude", "longitude"]);
        }
        copy_fields(v, &mut out, &["title", "address"]);
        return Ok(Value::Object(out));
    }
    if let Some(l) = raw.get("location") {
        out.insert("kind".into(), json!("location"));
        copy_fields(l, &mut out, &["latitude", "longitude"]);
        return Ok(Value::Object(out));
    }
    if let Some(c) = raw.get("contact") {
        out.insert("kind".into(), json!("contact"));
        copy_fields(c, &mut out, &["phone_number", "first_name", "last_name"]);
        return Ok(Value::Object(out));
    }
    if let Some(d) = raw.get("dice") {
        out.insert("kind".into(), json!("dice"));
        copy_fields(d, &mut out, &["emoji"]);
        return Ok(Value::Object(out));
    }
    let what = ["poll", "game", "invoice", "story", "paid_media", "giveaway"]
        .into_iter()
        .find(|k| raw.get(*k).is_some())
        .unwrap_or("service");
    Err(Unsupported(what.to_string()))
}

/// A plain text message, as [`keep`] keeps one (seeded templates).
pub fn plain(text: &str) -> Value {
    json!({ "kind": "text", "text": text })
}

/// A kept message's kind (`text`, `photo`, …).
pub fn kind(item: &Value) -> &str {
    item.get("kind").and_then(Value::as_str).unwrap_or("text")
}

/// The album a kept message belongs to, if any.
pub fn album(item: &Value) -> Option<&str> {
    item.get("media_group_id").and_then(Value::as_str)
}

/// The text or caption of a kept message (previews).
pub fn text(item: &Value) -> &str {
    item.get("text")
        .or_else(|| item.get("caption"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The calls that send `items` to `chat`, in order: consecutive items of one album go as
/// one `sendMediaGroup` (up to ten), everything else one call each.
pub fn calls(items: &[Value], chat: ChatId) -> Vec<Request> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(item) = items.get(i) {
        let group: Vec<&Value> = match album(item) {
            Some(a) if ALBUM_KINDS.contains(&kind(item)) => items
                .iter()
                .skip(i)
                .take_while(|x| album(x) == Some(a) && ALBUM_KINDS.contains(&kind(x)))
                .take(ALBUM_MAX)
                .collect(),
            _ => vec![item],
        };
        i += group.len().max(1);
        match group.as_slice() {
            [one] => out.push(single(one, chat)),
            many => out.push(media_group(many, chat)),
        }
    }
    out
}

/// The call that sends one kept message on its own (albums included).
pub(crate) fn single(item: &Value, chat: ChatId) -> Request {
    let mut p = Map::new();
    p.insert("chat_id".into(), json!(chat.0));
    let k = kind(item);
    let method = match k {
        "text" => {
            copy_fields(item, &mut p, &["text", "entities", "link_preview_options"]);
            "sendMessage"
        }
        "location" => {
            copy_fields(item, &mut p, &["latitude", "longitude"]);
            "sendLocation"
        }
        "venue" => {
            copy_fields(item, &mut p, &["latitude", "longitude", "title", "address"]);
            "sendVenue"
        }
        "contact" => {
            copy_fields(item, &mut p, &["phone_number", "first_name", "last_name"]);
            "sendContact"
        }
        "dice" => {
            copy_fields(item, &mut p, &["emoji"]);
            "sendDice"
        }
        media => {
            let method = MEDIA
                .iter()
                .find(|(f, _)| *f == media)
                .map_or("sendDocument", |(_, m)| *m);
            let field = MEDIA
                .iter()
                .find(|(f, _)| *f == media)
                .map_or("document", |(f, _)| *f);
            if let Some(file) = item.get("file_id") {
                p.insert(field.into(), file.clone());
            }
            // Video notes and stickers carry no caption.
            if !matches!(media, "video_note" | "sticker") {
                copy_fields(item, &mut p, &["caption", "caption_entities"]);
            }
            if matches!(media, "photo" | "video" | "animation") {
                copy_fields(item, &mut p, &["show_caption_above_media"]);
                if item.get("has_media_spoiler").and_then(Value::as_bool) == Some(true) {
                    p.insert("has_spoiler".into(), json!(true));
                }
            }
            if media == "sticker"
                && let Some(e) = item.get("emoji")
            {
                p.insert("emoji".into(), e.clone());
            }
            method
        }
    };
    Request {
        method: method.to_string(),
        params: Value::Object(p),
    }
}

fn media_group(items: &[&Value], chat: ChatId) -> Request {
    let media: Vec<Value> = items
        .iter()
        .map(|item| {
            let mut m = Map::new();
            m.insert("type".into(), json!(kind(item)));
            if let Some(file) = item.get("file_id") {
                m.insert("media".into(), file.clone());
            }
            copy_fields(item, &mut m, &["caption", "caption_entities"]);
            if matches!(kind(item), "photo" | "video") {
                copy_fields(item, &mut m, &["show_caption_above_media"]);
                if item.get("has_media_spoiler").and_then(Value::as_bool) == Some(true) {
                    m.insert("has_spoiler".into(), json!(true));
                }
            }
            Value::Object(m)
        })
        .collect();
    Request {
        method: "sendMediaGroup".into(),
        params: json!({ "chat_id": chat.0, "media": media }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_its_formatting_and_drops_the_sender() {
        let raw = json!({"message_id": 5, "from": {"id": 7, "first_name": "Ann"}, "chat": {"id": -100},
            "text": "Hi there", "entities": [{"type": "bold", "offset": 0, "length": 2}]});
        let kept = keep(&raw).unwrap();
        assert_eq!(kept.get("from"), None);
        let calls = calls(&[kept], ChatId(42));
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].method, "sendMessage");
        assert_eq!(calls[0].params["chat_id"], 42);
        assert_eq!(calls[0].params["entities"][0]["type"], "bold");
    }

    #[test]
    fn a_photo_takes_its_largest_size_and_an_album_goes_as_one_call() {
        let photo = |id: &str| {
            json!({"message_id": 1, "media_group_id": "g1", "caption": "c",
                "photo": [{"file_id": format!("{id}-small")}, {"file_id": format!("{id}-big")}]})
        };
        let items = vec![
            keep(&photo("a")).unwrap(),
            keep(&photo("b")).unwrap(),
            keep(&json!({"text": "after"})).unwrap(),
        ];
        let calls = calls(&items, ChatId(1));
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].method, "sendMediaGroup");
        assert_eq!(calls[0].params["media"][1]["media"], "b-big");
        assert_eq!(calls[0].params["media"][0]["type"], "photo");
        assert_eq!(calls[1].method, "sendMessage");
    }

    #[test]
    fn polls_and_service_messages_cannot_be_kept() {
        assert_eq!(
            keep(&json!({"poll": {"id": "1"}})),
            Err(Unsupported("poll".into()))
        );
        assert_eq!(
            keep(&json!({"new_chat_title": "x"})),
            Err(Unsupported("service".into()))
        );
    }

    #[test]
    fn a_single_media_message_uses_its_own_method() {
        let kept = keep(&json!({"voice": {"file_id": "v1"}, "caption": "listen"})).unwrap();
        let c = calls(&[kept], ChatId(3));
        assert_eq!(c[0].method, "sendVoice");
        assert_eq!(c[0].params["voice"], "v1");
        let sticker = keep(&json!({"sticker": {"file_id": "s1", "emoji": "🙂"}})).unwrap();
        let c = calls(&[sticker], ChatId(3));
        assert_eq!(c[0].method, "sendSticker");
        assert_eq!(c[0].params.get("caption"), None);
    }
}
