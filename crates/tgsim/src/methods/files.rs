//! getFile and file downloads. A file_id (and the download path getFile hands out) works only
//! for the bot it was issued to.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::render;
use crate::world::{StoredFile, World};

fn path_tag(bot: i64, index: u64) -> String {
    let mut h = Sha256::new();
    h.update(bot.to_le_bytes());
    h.update(index.to_le_bytes());
    h.update(b"tgsim-file-path");
    h.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn extension(f: &StoredFile) -> String {
    if let Some(ext) = f
        .file_name
        .as_deref()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e)
    {
        return format!(".{ext}");
    }
    match f.kind.as_str() {
        "photo" => ".jpg",
        "video" | "animation" | "video_note" => ".mp4",
        "voice" => ".oga",
        "audio" => ".mp3",
        "sticker" => ".webp",
        _ => "",
    }
    .to_string()
}

pub fn file_path(bot: i64, f: &StoredFile) -> String {
    let folder = match f.kind.as_str() {
        "photo" => "photos",
        "video" => "videos",
        "animation" => "animations",
        "audio" => "music",
        "voice" => "voice",
        "video_note" => "video_notes",
        "sticker" => "stickers",
        _ => "documents",
    };
    format!(
        "{folder}/file_{}_{}{}",
        f.index,
        path_tag(bot, f.index),
        extension(f)
    )
}

pub fn get_file(w: &mut World, bot: i64, p: &Params) -> ApiResult<Value> {
    let id = p.req_str("file_id")?;
    let invalid = || ApiError::bad_request("invalid file_id");
    let (owner, idx) = render::decode_file_id(&id).ok_or_else(invalid)?;
    if owner != bot {
        return Err(ApiError::bad_request(
            "wrong file_id or the file is temporarily unavailable",
        ));
    }
    let f = w.file(idx).ok_or_else(invalid)?;
    if f.bytes.len() > w.config.max_download_bytes() {
        return Err(ApiError::bad_request("file is too big"));
    }
    Ok(json!({
        "file_id": id,
        "file_unique_id": f.unique_id,
        "file_size": f.bytes.len(),
        "file_path": file_path(bot, f),
    }))
}

/// The file behind `/file/bot{token}/{path}` for this bot, if the path is one it was given.
pub fn resolve_download<'a>(w: &'a World, bot: i64, path: &str) -> Option<&'a StoredFile> {
    let name = path.rsplit('/').next()?;
    let stem = name.split('.').next()?;
    let rest = stem.strip_prefix("file_")?;
    let (idx, tag) = rest.split_once('_')?;
    let idx: u64 = idx.parse().ok()?;
    let f = w.file(idx)?;
    if tag != path_tag(bot, idx) || file_path(bot, f) != path {
        return None;
    }
    if f.bytes.len() > w.config.max_download_bytes() {
        return None;
    }
    Some(f)
}
