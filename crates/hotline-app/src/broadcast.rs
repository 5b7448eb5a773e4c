//! Broadcasts (product.md §6): `/send AUDIENCE [TEMPLATE]` in General (supervisors and
//! admins) makes a draft with its recipients and a preview (audience size, the free plan's
//! quota) with Start / Cancel; Start sends it paced behind the relay (`delivery/broadcast.rs`)
//! with a live progress message (Pause / Resume / Cancel) and a CSV report at the end.
//!
//! Every button press is authorized here before anything changes: it must come from the
//! backend group, on the broadcast's own control message, from a member whose role may
//! broadcast. Callback data is untrusted (any client can send any data for a message it sees).

use hotline_core::broadcast::{
    Audience, FileError, MAX_RECIPIENTS, SendError, parse_ids_file, parse_send,
};
use hotline_core::roles::{Action, check};
use hotline_core::{ChatId, ConnectionId};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Broadcast, BroadcastState, Counts, NewBroadcast, Tx};
use hotline_telegram::Message;
use hotline_telegram::requests::{InlineButton, Markup};
use hotline_telegram::resend::keep;
use serde_json::Value;

use crate::commands::refusal_text;
use crate::config::ConnConfig;
use crate::ctx::{ConnCtx, push};
use crate::jobs::Job;

/// The largest file of ids read (about 100,000 ids).
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// How often the progress message is brought up to date while a broadcast runs: every
/// edit costs one of the group's ~20 messages a minute, which the relay into topics needs.
pub const PROGRESS_EVERY_MS: i64 = 20_000;

/// The calendar month (UTC) of `now_ms`, as the quota counts it: `2026-12`.
pub fn month(now_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(now_ms)
        .map(|t| t.strftime("%Y-%m").to_string())
        .unwrap_or_default()
}

/// What the command's content is: a template's messages, or the message replied to.
enum Content {
    Items(Vec<Value>, String),
    Missing,
    Unknown(String),
    Unsupported,
}

async fn content(
    ctx: &ConnCtx,
    tx: &mut Tx,
    raw: &Value,
    template: Option<&str>,
) -> anyhow::Result<Content> {
    if let Some(name) = template {
        return Ok(match tx.templates().by_name(ctx.id, name).await? {
            Some(t) => Content::Items(crate::templates::items(&t), t.name),
            None => Content::Unknown(name.to_string()),
        });
    }
    let replied = raw
        .get("reply_to_message")
        .filter(|r| r.get("forum_topic_created").is_none());
    Ok(match replied {
        None => Content::Missing,
        Some(r) => match keep(r) {
            Ok(item) => Content::Items(vec![item], String::new()),
            Err(_) => Content::Unsupported,
        },
    })
}

/// `/send …` in General (the role was checked). Returns the answer, or `None` when the
/// preview (or the file's download) was queued instead.
pub(crate) async fn command(
    ctx: &ConnCtx,
    tx: &mut Tx,
    cfg: &ConnConfig,
    m: &Message,
    raw: &Value,
    args: &str,
    now: i64,
) -> anyhow::Result<Option<String>> {
    let lang = cfg.lang;
    if !ctx.frontend().abilities().write_first {
        return Ok(Some(tr(lang, Key::WriteFirstRefused)));
    }
    let file = raw
        .pointer("/document/file_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let cmd = match parse_send(args, file.is_some()) {
        Ok(c) => c,
        Err(SendError::Usage) => return Ok(Some(tr(lang, Key::BcUsage))),
        Err(SendError::BadAudience(w)) => {
            return Ok(Some(tr_args(
                lang,
                Key::BcBadAudience,
                &Args::new().str("word", crate::format::typed_name(&w)),
            )));
        }
        Err(SendError::TooMany) => return Ok(Some(too_many(lang))),
    };
    let (items, label) = match content(ctx, tx, raw, cmd.template.as_deref()).await? {
        Content::Items(items, label) => (items, label),
        Content::Missing => return Ok(Some(tr(lang, Key::BcNeedsContent))),
        Content::Unsupported => return Ok(Some(tr(lang, Key::TemplateUnsupported))),
        Content::Unknown(name) => {
            return Ok(Some(crate::templates::unknown(ctx, tx, lang, &name).await?));
        }
    };
    let sender = m.from.as_ref().map_or(0, |u| u.id as i64);
    let command = i64::from(m.message_id);
    let (users, audience) = match cmd.audience {
        Audience::File => {
            let Some(file_id) = file else {
                return Ok(Some(tr(lang, Key::BcUsage)));
            };
            let job = Job::BroadcastFile {
                file_id,
                items,
                content_label: label,
                created_by: sender,
                command,
            };
            push(ctx, tx, job, now, now).await?;
            return Ok(None);
        }
        Audience::Test => {
            if tx.customers().get(ctx.id, ChatId(sender)).await?.is_none() {
                return Ok(Some(tr_args(
                    lang,
                    Key::BcTestNotStarted,
                    &Args::new().str("bot", ctx.bot_username.clone()),
                )));
            }
            (vec![sender], "test".to_string())
        }
        Audience::All => {
            let ids = tx.customers().reachable_ids(ctx.id).await?;
            (not_banned(cfg, ids), "all".to_string())
        }
        Audience::Tag(name) => {
            let Some(tag) = tx.tags().by_name(ctx.id, &name).await? else {
                return Ok(Some(crate::tags::unknown(ctx, tx, lang, &name).await?));
            };
            let ids = tx.customers().reachable_with_tag(ctx.id, tag.id).await?;
            (not_banned(cfg, ids), format!("tag:{}", tag.name))
        }
        Audience::Ids(ids) => {
            let mut shown: Vec<String> = ids.iter().take(3).map(ToString::to_string).collect();
            if ids.len() > 3 {
                shown.push("…".into());
            }
            let shown = shown.join(", ");
            (ids, shown)
        }
    };
    draft(
        ctx, tx, lang, sender, command, &items, &label, &users, &audience, now,
    )
    .await
}

fn too_many(lang: Lang) -> String {
    tr_args(
        lang,
        Key::BcTooMany,
        &Args::new().num("max", MAX_RECIPIENTS as i64),
    )
}

/// Customers in IGNORE_CHATS (banned) are left out of `all` and `tag:` audiences.
fn not_banned(cfg: &ConnConfig, ids: Vec<i64>) -> Vec<i64> {
    ids.into_iter()
        .filter(|id| !cfg.params.ignore_chats.contains(&ChatId(*id)))
        .collect()
}

/// Stores the draft and queues its preview; an empty audience is refused instead.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn draft(
    ctx: &ConnCtx,
    tx: &mut Tx,
    lang: Lang,
    sender: i64,
    command: i64,
    items: &[Value],
    label: &str,
    users: &[i64],
    audience: &str,
    now: i64,
) -> anyhow::Result<Option<String>> {
    if users.is_empty() {
        return Ok(Some(tr_args(
            lang,
            Key::BcEmpty,
            &Args::new().str("audience", audience),
        )));
    }
    let json = serde_json::to_string(items)?;
    let new = NewBroadcast {
        connection_id: ctx.id,
        created_by: sender,
        items: &json,
        content_label: label,
        audience,
        command_message: Some(command),
    };
    let id = tx.broadcasts().create(&new, users, now).await?;
    push(ctx, tx, Job::BroadcastControl { broadcast: id }, now, now).await?;
    Ok(None)
}

/// The answer to a file audience that could not be used.
pub(crate) fn file_error(lang: Lang, e: &FileError) -> String {
    match e {
        FileError::BadLines(lines) => tr_args(
            lang,
            Key::BcFileBadLines,
            &Args::new().str(
                "lines",
                lines
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ),
        FileError::Empty => tr(lang, Key::BcFileEmpty),
        FileError::TooMany => too_many(lang),
    }
}

/// The ids of a downloaded file, or why not.
pub(crate) fn ids_of(lang: Lang, bytes: &[u8]) -> Result<Vec<i64>, String> {
    let text = String::from_utf8_lossy(bytes);
    parse_ids_file(&text).map_err(|e| file_error(lang, &e))
}

fn state_word(lang: Lang, s: BroadcastState) -> String {
    tr(
        lang,
        match s {
            BroadcastState::Draft => Key::BcStateDraft,
            BroadcastState::Running => Key::BcStateRunning,
            BroadcastState::Paused => Key::BcStatePaused,
            BroadcastState::Cancelled => Key::BcStateCancelled,
            BroadcastState::Done => Key::BcStateDone,
        },
    )
}

fn button(lang: Lang, key: Key, id: i64, action: &str) -> InlineButton {
    InlineButton::Callback {
        text: tr(lang, key),
        data: format!("bc:{id}:{action}"),
    }
}

/// How many of the draft's recipients the plan lets through this month (`None`: all).
pub(crate) async fn allowance(
    tx_or_store: &mut hotline_store::Broadcasts<'_>,
    connection: ConnectionId,
    limit: Option<i64>,
    now: i64,
) -> anyhow::Result<Option<(i64, i64)>> {
    let Some(limit) = limit else {
        return Ok(None);
    };
    let used = tx_or_store.month_used(connection, &month(now)).await?;
    Ok(Some(((limit - used).max(0), limit)))
}

/// The control message: the preview of a draft, then the progress, then the outcome.
pub(crate) fn control_text(
    lang: Lang,
    b: &Broadcast,
    counts: &Counts,
    quota: Option<(i64, i64)>,
    now: i64,
) -> (String, Markup) {
    let id = b.id;
    let content = if b.content_label.is_empty() {
        tr(lang, Key::BcContentMessage)
    } else {
        let n = serde_json::from_str::<Vec<Value>>(&b.items).map_or(0, |v| v.len());
        tr_args(
            lang,
            Key::BcContentTemplate,
            &Args::new()
                .str("template", b.content_label.clone())
                .num("count", n as i64),
        )
    };
    if b.state == BroadcastState::Draft {
        let total = counts.total();
        let mut lines = vec![tr_args(
            lang,
            Key::BcPreview,
            &Args::new()
                .num("id", id)
                .str("audience", b.audience.clone())
                .num("count", total)
                .str("content", content),
        )];
        let mut can_start = true;
        if let Some((left, limit)) = quota {
            let args = Args::new()
                .num("left", left)
                .num("limit", limit)
                .num("cut", (total - left).max(0));
            if left == 0 {
                lines.push(tr_args(lang, Key::BcQuotaNone, &args));
                can_start = false;
            } else {
                lines.push(tr_args(lang, Key::BcQuota, &args));
                if total > left {
                    lines.push(tr_args(lang, Key::BcQuotaCut, &args));
                }
            }
        }
        let mut row = Vec::new();
        if can_start {
            lines.push(tr(lang, Key::BcConfirm));
            row.push(button(lang, Key::BcButtonStart, id, "go"));
        }
        row.push(button(lang, Key::BcButtonCancel, id, "stop"));
        return (lines.join("\n"), Markup::Inline(vec![row]));
    }
    let left = counts.pending + counts.sending;
    let mut lines = vec![tr_args(
        lang,
        Key::BcProgress,
        &Args::new()
            .num("id", id)
            .str("audience", b.audience.clone())
            .str("state", state_word(lang, b.state))
            .num("sent", counts.sent)
            .num("failed", counts.failed)
            .num("left", left),
    )];
    let done = counts.sent + counts.failed;
    if b.state == BroadcastState::Running
        && let Some(started) = b.started_at
        && done > 0
        && now > started
    {
        let rate = done as f64 * 1000.0 / (now - started) as f64;
        let eta_s = (left as f64 / rate).round() as i64;
        lines.push(tr_args(
            lang,
            Key::BcRate,
            &Args::new()
                .str("rate", format!("{rate:.1}"))
                .str("eta", format!("{}:{:02}", eta_s / 60, eta_s % 60)),
        ));
    }
    let unsent = counts.unknown + counts.over_quota + counts.cancelled;
    if unsent > 0 {
        lines.push(tr_args(
            lang,
            Key::BcNotSent,
            &Args::new().num("unsent", unsent),
        ));
    }
    let rows = match b.state {
        BroadcastState::Running => vec![vec![
            button(lang, Key::BcButtonPause, id, "pause"),
            button(lang, Key::BcButtonCancel, id, "stop"),
        ]],
        BroadcastState::Paused => vec![vec![
            button(lang, Key::BcButtonResume, id, "resume"),
            button(lang, Key::BcButtonCancel, id, "stop"),
        ]],
        _ => Vec::new(),
    };
    (lines.join("\n"), Markup::Inline(rows))
}

/// A button pressed under a message of ours in the backend group (`callback_query`).
pub(crate) async fn on_button(
    ctx: &ConnCtx,
    tx: &mut Tx,
    q: &Value,
    now: i64,
) -> anyhow::Result<bool> {
    let Some(query_id) = q.get("id").and_then(Value::as_str) else {
        return Ok(false);
    };
    let cfg = ctx.cfg();
    let lang = cfg.lang;
    let answer = |text: Option<String>| Job::AnswerCallback {
        id: query_id.to_string(),
        text,
    };
    let data = q.get("data").and_then(Value::as_str).unwrap_or("");
    let parsed = data.strip_prefix("bc:").and_then(|rest| {
        let (id, action) = rest.split_once(':')?;
        Some((id.parse::<i64>().ok()?, action))
    });
    let chat = q.pointer("/message/chat/id").and_then(Value::as_i64);
    let message = q.pointer("/message/message_id").and_then(Value::as_i64);
    let from = q.pointer("/from/id").and_then(Value::as_i64).unwrap_or(0);
    let b = match parsed {
        Some((id, _)) if chat == Some(ctx.group().0) => tx.broadcasts().get(ctx.id, id).await?,
        _ => None,
    };
    let (Some(b), Some((_, action))) = (b.filter(|b| b.control_message == message), parsed) else {
        let text = Some(tr(lang, Key::BcAnswerNotHere));
        push(ctx, tx, answer(text), now, now).await?;
        return Ok(true);
    };
    if let Err(refusal) = check(cfg.role_of(from), Action::Broadcast) {
        let text = Some(refusal_text(lang, refusal, "/send"));
        push(ctx, tx, answer(text), now, now).await?;
        return Ok(true);
    }
    use BroadcastState::{Cancelled, Draft, Paused, Running};
    let (moved, key) = match action {
        "go" => {
            let limit = cfg.plan.broadcast_limit();
            let quota = allowance(&mut tx.broadcasts(), ctx.id, limit, now).await?;
            let allowed = quota.map(|(left, _)| left);
            let ok = !matches!(allowed, Some(0))
                && tx
                    .broadcasts()
                    .start(b.id, &month(now), allowed, now)
                    .await?;
            (ok, Key::BcAnswerStarted)
        }
        "pause" => (
            tx.broadcasts()
                .transition(b.id, &[Running], Paused, now)
                .await?,
            Key::BcAnswerPaused,
        ),
        "resume" => (
            tx.broadcasts()
                .transition(b.id, &[Paused], Running, now)
                .await?,
            Key::BcAnswerResumed,
        ),
        "stop" => (
            tx.broadcasts()
                .transition(b.id, &[Draft, Running, Paused], Cancelled, now)
                .await?,
            Key::BcAnswerCancelled,
        ),
        _ => (false, Key::BcAnswerNotHere),
    };
    if !moved {
        let state = state_word(lang, b.state);
        let text = if key == Key::BcAnswerNotHere {
            tr(lang, key)
        } else {
            tr_args(lang, Key::BcAnswerStale, &Args::new().str("state", state))
        };
        push(ctx, tx, answer(Some(text)), now, now).await?;
        return Ok(true);
    }
    // Done: the control message shows it; the press needs no alert.
    push(ctx, tx, answer(None), now, now).await?;
    push(ctx, tx, Job::BroadcastControl { broadcast: b.id }, now, now).await?;
    match action {
        "go" | "resume" => push(ctx, tx, Job::Broadcast { broadcast: b.id }, now, now).await?,
        "stop" if b.state != Draft => {
            push(ctx, tx, Job::BroadcastReport { broadcast: b.id }, now, now).await?;
        }
        _ => {}
    }
    Ok(true)
}
