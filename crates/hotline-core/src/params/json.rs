//! The small JSON reader and writer WEBHOOKS needs: strings read from a [`Cursor`] and
//! strings quoted for output; errors name the [`JsonToken`] that was expected.

use crate::params::keywords::{Cursor, closers};

use super::errors::{JsonToken, ParamError};

pub(super) fn json_error(c: &Cursor<'_>, at: usize, expected: JsonToken) -> ParamError {
    let fragment = c.fragment_from(at);
    ParamError::JsonSyntax { expected, fragment }
}

pub(super) fn expect(c: &mut Cursor<'_>, want: char, token: JsonToken) -> Result<(), ParamError> {
    c.skip_ws();
    if c.peek() == Some(want) {
        c.bump();
        Ok(())
    } else {
        Err(json_error(c, c.pos(), token))
    }
}

/// A JSON string (typographic quotes accepted as its quotes), the cursor on its opening quote.
pub(super) fn json_string(c: &mut Cursor<'_>) -> Result<String, ParamError> {
    let start = c.pos();
    let Some(close) = c.peek().and_then(closers) else {
        return Err(json_error(c, start, JsonToken::String));
    };
    c.bump();
    let mut out = String::new();
    loop {
        let Some(ch) = c.bump() else {
            return Err(ParamError::UnclosedQuote(c.fragment_from(start)));
        };
        if close.contains(&ch) {
            return Ok(out);
        }
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let at = c.pos();
        let escaped = match c.bump() {
            Some(e @ ('"' | '\\' | '/')) => e,
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => {
                let hi = hex4(c).ok_or_else(|| json_error(c, at, JsonToken::Escape))?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    let low = (c.bump() == Some('\\') && c.bump() == Some('u'))
                        .then(|| hex4(c))
                        .flatten()
                        .filter(|l| (0xDC00..0xE000).contains(l))
                        .ok_or_else(|| json_error(c, at, JsonToken::Escape))?;
                    0x10000 + ((hi - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    hi
                };
                char::from_u32(code).ok_or_else(|| json_error(c, at, JsonToken::Escape))?
            }
            _ => return Err(json_error(c, at, JsonToken::Escape)),
        };
        out.push(escaped);
    }
}

fn hex4(c: &mut Cursor<'_>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + c.bump()?.to_digit(16)?;
    }
    Some(v)
}

pub(super) fn json_quote(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}
