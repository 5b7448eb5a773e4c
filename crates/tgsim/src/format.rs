//! `parse_mode` handling: HTML, MarkdownV2 and legacy Markdown turned into plain text plus
//! MessageEntity objects, with Telegram's error texts. Offsets and lengths are in UTF-16 code
//! units, as the Bot API specifies.

use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};

pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn parse_error(what: impl AsRef<str>) -> ApiError {
    ApiError::bad_request(format!("can't parse entities: {}", what.as_ref()))
}

fn entity(kind: &str, offset: usize, length: usize) -> Value {
    json!({ "type": kind, "offset": offset, "length": length })
}

/// Parses `text` in `mode` (`HTML`, `MarkdownV2`, `Markdown`; case-insensitive).
pub fn parse(text: &str, mode: &str) -> ApiResult<(String, Vec<Value>)> {
    match mode.to_ascii_lowercase().as_str() {
        "html" => parse_html(text),
        "markdownv2" => parse_markdown(text, true),
        "markdown" => parse_markdown(text, false),
        "" => Ok((text.to_string(), Vec::new())),
        _ => Err(ApiError::bad_request(format!(
            "unsupported parse_mode \"{mode}\""
        ))),
    }
}

struct Open {
    tag: String,
    kind: Option<Value>,
    start: usize,
}

fn parse_html(src: &str) -> ApiResult<(String, Vec<Value>)> {
    let mut out = String::new();
    let mut out16 = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0usize;
    while i < src.len() {
        let c = bytes[i];
        if c == b'<' {
            let Some(end_rel) = src[i..].find('>') else {
                return Err(parse_error(format!(
                    "Unclosed start tag at byte offset {i}"
                )));
            };
            let inner = &src[i + 1..i + end_rel];
            if let Some(name) = inner.strip_prefix('/') {
                let name = name.trim().to_ascii_lowercase();
                let Some(open) = stack.pop() else {
                    return Err(parse_error(format!(
                        "Unexpected end tag at byte offset {i}"
                    )));
                };
                if !name.is_empty() && name != open.tag {
                    return Err(parse_error(format!(
                        "Unmatched end tag at byte offset {i}, expected \"</{}>\", found \"</{name}>\"",
                        open.tag
                    )));
                }
                if let Some(mut e) = open.kind {
                    let len = out16 - open.start;
                    if len > 0 {
                        e["offset"] = json!(open.start);
                        e["length"] = json!(len);
                        entities.push(e);
                    }
                }
            } else {
                let (name, attrs) = match inner.find(|ch: char| ch.is_whitespace()) {
                    Some(p) => (&inner[..p], inner[p..].trim()),
                    None => (inner, ""),
                };
                let name = name.to_ascii_lowercase();
                let attr = |key: &str| -> Option<String> {
                    let pos = attrs.find(&format!("{key}="))?;
                    let rest = &attrs[pos + key.len() + 1..];
                    let (q, rest) = match rest.chars().next()? {
                        '"' => ('"', &rest[1..]),
                        '\'' => ('\'', &rest[1..]),
                        _ => (' ', rest),
                    };
                    Some(rest.split(q).next().unwrap_or("").to_string())
                };
                let kind = match name.as_str() {
                    "b" | "strong" => Some(entity("bold", 0, 0)),
                    "i" | "em" => Some(entity("italic", 0, 0)),
                    "u" | "ins" => Some(entity("underline", 0, 0)),
                    "s" | "strike" | "del" => Some(entity("strikethrough", 0, 0)),
                    "tg-spoiler" => Some(entity("spoiler", 0, 0)),
                    "span" => {
                        if attr("class").as_deref() != Some("tg-spoiler") {
                            return Err(parse_error(format!(
                                "Tag \"span\" must have class \"tg-spoiler\" at byte offset {i}"
                            )));
                        }
                        Some(entity("spoiler", 0, 0))
                    }
                    "a" => {
                        let href = attr("href").unwrap_or_default();
                        let mut e = entity("text_link", 0, 0);
                        e["url"] = json!(href);
                        Some(e)
                    }
                    "code" => {
                        // <pre><code class="language-x"> sets the pre block's language.
                        if let (Some(top), Some(lang)) = (stack.last_mut(), attr("class"))
                            && top.tag == "pre"
                            && let (Some(k), Some(l)) =
                                (top.kind.as_mut(), lang.strip_prefix("language-"))
                        {
                            k["language"] = json!(l);
                            stack.push(Open {
                                tag: name,
                                kind: None,
                                start: out16,
                            });
                            i += end_rel + 1;
                            continue;
                        }
                        Some(entity("code", 0, 0))
                    }
                    "pre" => Some(entity("pre", 0, 0)),
                    "blockquote" => {
                        if attrs.contains("expandable") {
                            Some(entity("expandable_blockquote", 0, 0))
                        } else {
                            Some(entity("blockquote", 0, 0))
                        }
                    }
                    "tg-emoji" => {
                        let mut e = entity("custom_emoji", 0, 0);
                        e["custom_emoji_id"] = json!(attr("emoji-id").unwrap_or_default());
                        Some(e)
                    }
                    _ => {
                        return Err(parse_error(format!(
                            "Unsupported start tag \"{name}\" at byte offset {i}"
                        )));
                    }
                };
                stack.push(Open {
                    tag: name,
                    kind,
                    start: out16,
                });
            }
            i += end_rel + 1;
        } else if c == b'&' {
            let rest = &src[i..];
            let semi = rest.find(';').filter(|p| *p <= 10);
            let decoded = semi.and_then(|p| match &rest[1..p] {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            });
            match (decoded, semi) {
                (Some(ch), Some(p)) => {
                    out.push(ch);
                    out16 += ch.len_utf16();
                    i += p + 1;
                }
                _ => {
                    out.push('&');
                    out16 += 1;
                    i += 1;
                }
            }
        } else {
            let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(ch);
            out16 += ch.len_utf16();
            i += ch.len_utf8();
        }
    }
    if let Some(open) = stack.last() {
        return Err(parse_error(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            open.tag
        )));
    }
    entities.sort_by_key(|e| e["offset"].as_u64().unwrap_or(0));
    Ok((out, entities))
}

const V2_RESERVED: &str = "_*[]()~`>#+-=|{}.!";

fn entity_name(kind: &str) -> &'static str {
    match kind {
        "bold" => "Bold",
        "italic" => "Italic",
        "underline" => "Underline",
        "strikethrough" => "Strikethrough",
        "spoiler" => "Spoiler",
        "code" => "Code",
        "pre" => "Pre",
        _ => "TextUrl",
    }
}

fn parse_markdown(src: &str, v2: bool) -> ApiResult<(String, Vec<Value>)> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out = String::new();
    let mut out16 = 0usize;
    let mut entities = Vec::new();
    // (kind, start offset, byte offset of the opening marker)
    let mut open: Vec<(&'static str, usize, usize)> = Vec::new();
    let mut link_start: Option<(usize, usize)> = None;
    let mut k = 0usize;
    let push = |out: &mut String, out16: &mut usize, ch: char| {
        out.push(ch);
        *out16 += ch.len_utf16();
    };
    while k < chars.len() {
        let (byte, c) = chars[k];
        let next = chars.get(k + 1).map(|x| x.1);
        if c == '\\'
            && v2
            && let Some(n) = next.filter(|n| (*n as u32) < 127)
        {
            push(&mut out, &mut out16, n);
            k += 2;
            continue;
        }
        if c == '`' {
            let triple = next == Some('`') && chars.get(k + 2).map(|x| x.1) == Some('`');
            let fence = if triple { 3 } else { 1 };
            let mut j = k + fence;
            let mut body = String::new();
            let mut closed = false;
            while j < chars.len() {
                let ch = chars[j].1;
                if v2 && ch == '\\' && j + 1 < chars.len() {
                    body.push(chars[j + 1].1);
                    j += 2;
                    continue;
                }
                if ch == '`' {
                    let ok = !triple
                        || (chars.get(j + 1).map(|x| x.1) == Some('`')
                            && chars.get(j + 2).map(|x| x.1) == Some('`'));
                    if ok {
                        closed = true;
                        break;
                    }
                }
                body.push(ch);
                j += 1;
            }
            if !closed {
                let name = if triple { "Pre" } else { "Code" };
                return Err(parse_error(format!(
                    "Can't find end of {name} entity at byte offset {byte}"
                )));
            }
            let mut e = entity(if triple { "pre" } else { "code" }, out16, 0);
            if triple
                && let Some((first, rest)) = body.split_once('\n')
                && !first.is_empty()
                && !first.contains(' ')
            {
                e["language"] = json!(first);
                body = rest.to_string();
            }
            let len = utf16_len(&body);
            out.push_str(&body);
            out16 += len;
            if len > 0 {
                e["length"] = json!(len);
                entities.push(e);
            }
            k = j + fence;
            continue;
        }
        let marker: Option<(&'static str, usize)> = match c {
            '*' => Some(("bold", 1)),
            '_' if v2 && next == Some('_') => Some(("underline", 2)),
            '_' => Some(("italic", 1)),
            '~' if v2 => Some(("strikethrough", 1)),
            '|' if v2 && next == Some('|') => Some(("spoiler", 2)),
            _ => None,
        };
        if let Some((kind, width)) = marker {
            if let Some(pos) = open.iter().rposition(|(k2, _, _)| *k2 == kind) {
                let (_, start, _) = open.remove(pos);
                if out16 > start {
                    entities.push(entity(kind, start, out16 - start));
                }
            } else {
                open.push((kind, out16, byte));
            }
            k += width;
            continue;
        }
        if c == '[' && link_start.is_none() {
            link_start = Some((out16, byte));
            k += 1;
            continue;
        }
        if c == ']' && link_start.is_some() && next == Some('(') {
            let mut j = k + 2;
            let mut url = String::new();
            while j < chars.len() && chars[j].1 != ')' {
                if v2 && chars[j].1 == '\\' && j + 1 < chars.len() {
                    j += 1;
                }
                url.push(chars[j].1);
                j += 1;
            }
            if j >= chars.len() {
                return Err(parse_error(format!(
                    "Can't find end of a URL at byte offset {byte}"
                )));
            }
            if let Some((start, _)) = link_start.take()
                && out16 > start
            {
                let mut e = entity("text_link", start, out16 - start);
                e["url"] = json!(url);
                entities.push(e);
            }
            k = j + 1;
            continue;
        }
        if v2 && V2_RESERVED.contains(c) {
            return Err(parse_error(format!(
                "Character '{c}' is reserved and must be escaped with the preceding '\\'"
            )));
        }
        push(&mut out, &mut out16, c);
        k += 1;
    }
    if let Some((kind, _, byte)) = open.first() {
        return Err(parse_error(format!(
            "Can't find end of {} entity at byte offset {byte}",
            entity_name(kind)
        )));
    }
    if let Some((_, byte)) = link_start {
        return Err(parse_error(format!(
            "Can't find end of TextUrl entity at byte offset {byte}"
        )));
    }
    entities.sort_by_key(|e| e["offset"].as_u64().unwrap_or(0));
    Ok((out, entities))
}

/// Keeps explicitly given entities that fit inside `text` (Telegram drops the rest).
pub fn clean_entities(text: &str, entities: Vec<Value>) -> Vec<Value> {
    let len = utf16_len(text) as u64;
    entities
        .into_iter()
        .filter(|e| {
            let off = e.get("offset").and_then(Value::as_u64);
            let l = e.get("length").and_then(Value::as_u64);
            let ty = e.get("type").and_then(Value::as_str);
            matches!((off, l, ty), (Some(o), Some(l), Some(_)) if l > 0 && o + l <= len)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_entities_use_utf16_offsets() {
        let (text, ents) = parse("😀 <b>hi</b> &lt;x&gt;", "HTML").unwrap_or_default();
        assert_eq!(text, "😀 hi <x>");
        assert_eq!(ents, vec![json!({"type":"bold","offset":3,"length":2})]);
    }

    #[test]
    fn html_rejects_unknown_and_unclosed_tags() {
        let e = parse("<foo>x</foo>", "HTML").unwrap_err();
        assert_eq!(
            e.description,
            "Bad Request: can't parse entities: Unsupported start tag \"foo\" at byte offset 0"
        );
        let e = parse("<b>x", "HTML").unwrap_err();
        assert!(
            e.description
                .contains("Can't find end tag corresponding to start tag \"b\"")
        );
        let (_, ents) =
            parse("<pre><code class=\"language-rust\">fn</code></pre>", "html").unwrap_or_default();
        assert_eq!(
            ents,
            vec![json!({"type":"pre","offset":0,"length":2,"language":"rust"})]
        );
    }

    #[test]
    fn markdown_v2_demands_escapes() {
        let e = parse("Hello.", "MarkdownV2").unwrap_err();
        assert_eq!(
            e.description,
            "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"
        );
        let (text, ents) =
            parse("*bold* __u__ [l](http://x\\.y) a\\.", "MarkdownV2").unwrap_or_default();
        assert_eq!(text, "bold u l a.");
        assert_eq!(ents.len(), 3);
        assert_eq!(ents[2]["url"], "http://x.y");
        assert!(
            parse("*open", "MarkdownV2")
                .unwrap_err()
                .description
                .contains("Can't find end of Bold entity")
        );
    }

    #[test]
    fn legacy_markdown_allows_plain_punctuation() {
        let (text, ents) = parse("*b* end.", "Markdown").unwrap_or_default();
        assert_eq!(text, "b end.");
        assert_eq!(ents.len(), 1);
    }
}
