//! Kept messages moved from one bot to another ([`carry`]). A file id is valid only for the
//! bot that received it, so a template made in the setup bot cannot be sent by the
//! frontend bot as it is (nor one made in the group shown by the setup bot): each file is
//! downloaded through the bot that has it and uploaded again by the other one, which
//! thereby gets file ids of its own.

use hotline_core::ChatId;
use serde_json::Value;

use crate::resend::{album, keep, kind, single};
use crate::{BotApi, TgError, Upload};

/// The largest file the Bot API lets a bot download (cloud servers).
pub const DOWNLOAD_MAX: usize = 20 * 1024 * 1024;

/// A name and a MIME type for an upload of `kind` that kept none (photos, voice notes…).
fn default_file(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "photo" => ("photo.jpg", "image/jpeg"),
        "video" => ("video.mp4", "video/mp4"),
        "animation" => ("animation.mp4", "video/mp4"),
        "audio" => ("audio.mp3", "audio/mpeg"),
        "voice" => ("voice.ogg", "audio/ogg"),
        "video_note" => ("video_note.mp4", "video/mp4"),
        "sticker" => ("sticker.webp", "image/webp"),
        _ => ("file", "application/octet-stream"),
    }
}

/// Sends `items` (kept by `from`) to `chat` as `to`, one message each (an album's items one
/// by one), and returns them as `to` keeps them: the same content with `to`'s file ids,
/// albums still marked as albums. Stops at the first failure.
pub async fn carry(
    from: &BotApi,
    to: &BotApi,
    items: &[Value],
    chat: ChatId,
) -> Result<Vec<Value>, TgError> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let request = single(item, chat);
        let Some(file_id) = item.get("file_id").and_then(Value::as_str) else {
            // No file: nothing bot-specific to translate.
            to.send(&request).await?;
            out.push(item.clone());
            continue;
        };
        let k = kind(item);
        let bytes = from.download(file_id, DOWNLOAD_MAX).await?;
        let (name, mime) = default_file(k);
        let upload = Upload {
            field: k.to_string(),
            file_name: item
                .get("file_name")
                .and_then(Value::as_str)
                .unwrap_or(name)
                .to_string(),
            mime: item
                .get("mime_type")
                .and_then(Value::as_str)
                .unwrap_or(mime)
                .to_string(),
            bytes,
        };
        let mut params = request.params;
        if let Some(p) = params.as_object_mut() {
            p.remove(k);
        }
        let sent = to.call_upload(&request.method, &params, upload).await?;
        let mut kept = keep(&sent)
            .map_err(|u| TgError::BadRequest(format!("the uploaded {} came back as {}", k, u.0)))?;
        if let (Some(a), Some(o)) = (album(item), kept.as_object_mut()) {
            o.insert("media_group_id".into(), Value::String(a.to_string()));
        }
        out.push(kept);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_media_kind_has_an_upload_name() {
        for k in [
            "photo",
            "video",
            "animation",
            "audio",
            "voice",
            "video_note",
            "sticker",
            "document",
        ] {
            let (name, mime) = default_file(k);
            assert!(name.contains('.') || k == "document", "{k}");
            assert!(mime.contains('/'), "{k}");
        }
    }
}
