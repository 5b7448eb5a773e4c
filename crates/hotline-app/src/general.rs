//! Commands typed in General, the backend group's own topic: the team's commands (`/help`,
//! `/mark`, `/new`, `/export`), each answered there as a reply in the team's language. A command that works in a
//! customer's topic gets a line saying so; an unknown one the same answer as in a topic.
//! Commands addressed to another bot and CUSTOM_COMMANDS are left alone.

use hotline_core::params::HiddenInfo;
use hotline_core::roles::{Action, Role, check};
use hotline_core::tags::parse_mark;
use hotline_i18n::{Args, Key, tr, tr_args};
use hotline_store::Tx;
use hotline_telegram::Message;
use serde_json::Value;

use crate::commands::{addressed, help_role_line, refusal_text};
use crate::config::ConnConfig;
use crate::ctx::{ConnCtx, push};
use crate::format::fit;
use crate::jobs::Job;

/// Commands that act on one customer's topic.
const TOPIC_ONLY: [&str; 7] = ["close", "hold", "wait", "info", "ban", "unban", "del"];

/// Runs a command typed in General; returns whether jobs were queued.
pub async fn command(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    raw: &Value,
    now: i64,
) -> anyhow::Result<bool> {
    let Some(text) = m.text.as_deref().or(m.caption.as_deref()) else {
        return Ok(false);
    };
    let cfg = ctx.cfg();
    let Some((name, args)) = addressed(ctx, &cfg, text) else {
        return Ok(false);
    };
    let lang = cfg.lang;
    let lower = name.to_ascii_lowercase();
    let sender = m.from.as_ref().map_or(0, |u| u.id as i64);
    let role = cfg.role_of(sender);
    if lower == "new" {
        let text = match check(role, Action::OpenDialog) {
            Err(refusal) => refusal_text(lang, refusal, "/new"),
            Ok(()) => match open_dialog(ctx, tx, &cfg, args, now).await? {
                Some(text) => text,
                // Meant for another connection of this group: it answers.
                None => return Ok(false),
            },
        };
        return answer(ctx, tx, text, i64::from(m.message_id), now).await;
    }
    if lower == "export" {
        return export(
            ctx,
            tx,
            &cfg,
            role,
            args.trim(),
            i64::from(m.message_id),
            now,
        )
        .await;
    }
    if lower == "send" {
        let text = match check(role, Action::Broadcast) {
            Err(refusal) => refusal_text(lang, refusal, "/send"),
            Ok(()) => match crate::broadcast::command(ctx, tx, &cfg, m, raw, args, now).await? {
                Some(text) => text,
                None => return Ok(true),
            },
        };
        return answer(ctx, tx, fit(text), i64::from(m.message_id), now).await;
    }
    if lower == "template" {
        let text = match check(role, Action::TemplateSetup) {
            Err(refusal) => refusal_text(lang, refusal, "/template"),
            Ok(()) => match crate::templates::general(ctx, tx, lang, m, raw, args, now).await? {
                Some(text) => text,
                None => return Ok(true),
            },
        };
        return answer(ctx, tx, fit(text), i64::from(m.message_id), now).await;
    }
    let answer = match lower.as_str() {
        "help" => match check(role, Action::Help) {
            Ok(()) => help(&cfg, role),
            Err(refusal) => refusal_text(lang, refusal, "/help"),
        },
        "mark" => {
            let mark = parse_mark(args);
            let (action, shown) = crate::tags::needs(&mark);
            match check(role, action) {
                Ok(()) => crate::tags::general(ctx, tx, &cfg, role, mark, now).await?,
                Err(refusal) => refusal_text(lang, refusal, shown),
            }
        }
        other if TOPIC_ONLY.contains(&other) => tr_args(
            lang,
            Key::WhereTopicOnly,
            &Args::new().str("command", format!("/{other}")),
        ),
        other => tr_args(
            lang,
            Key::NoticeUnknownCommand,
            &Args::new().str("command", format!("/{other}")),
        ),
    };
    let job = Job::GeneralNotice {
        text: fit(answer),
        reply_to: Some(i64::from(m.message_id)),
    };
    push(ctx, tx, job, now, now).await?;
    Ok(true)
}

/// `/export [TAG]`: two jobs in General's lane, the CSV then the XLSX (each built when it
/// runs); an unknown tag or a refusal is answered instead.
async fn export(
    ctx: &ConnCtx,
    tx: &mut Tx,
    cfg: &ConnConfig,
    role: Role,
    typed: &str,
    command: i64,
    now: i64,
) -> anyhow::Result<bool> {
    let lang = cfg.lang;
    let refused = match check(role, Action::Export) {
        Err(refusal) => Some(refusal_text(lang, refusal, "/export")),
        // Everyone in the group would see the files: not while customer data is hidden.
        Ok(())
            if [HiddenInfo::Name, HiddenInfo::Link, HiddenInfo::Command]
                .into_iter()
                .any(|h| cfg.hides(h)) =>
        {
            Some(tr(lang, Key::ExportHidden))
        }
        Ok(()) => None,
    };
    let tag = match (&refused, typed.is_empty()) {
        (None, false) => match tx.tags().by_name(ctx.id, typed).await? {
            Some(t) => Some(t),
            None => {
                let text = crate::tags::unknown(ctx, tx, lang, typed).await?;
                return answer(ctx, tx, text, command, now).await;
            }
        },
        _ => None,
    };
    if let Some(text) = refused {
        return answer(ctx, tx, text, command, now).await;
    }
    for file in ["csv", "xlsx"] {
        let job = Job::Export {
            tag: tag.as_ref().map(|t| t.id),
            tag_name: tag.as_ref().map(|t| t.name.clone()),
            file: file.into(),
            reply_to: Some(command),
        };
        push(ctx, tx, job, now, now).await?;
    }
    Ok(true)
}

async fn answer(
    ctx: &ConnCtx,
    tx: &mut Tx,
    text: String,
    command: i64,
    now: i64,
) -> anyhow::Result<bool> {
    let job = Job::GeneralNotice {
        text: fit(text),
        reply_to: Some(command),
    };
    push(ctx, tx, job, now, now).await?;
    Ok(true)
}

/// Who `/new` is for.
#[derive(Debug, PartialEq, Eq)]
enum Whom<'a> {
    Id(i64),
    Username(&'a str),
}

/// `/new @username|ID [iN]`: the customer and the connection number, if given; `None`
/// when it does not parse.
fn parse_new(args: &str) -> Option<(Whom<'_>, Option<i64>)> {
    let mut words = args.split_whitespace();
    let whom = words.next()?;
    let whom = match whom.strip_prefix('@') {
        Some(u) if !u.is_empty() => Whom::Username(u),
        Some(_) => return None,
        None => Whom::Id(whom.parse().ok().filter(|id: &i64| *id > 0)?),
    };
    let connection = match words.next() {
        None => None,
        Some(w) => Some(
            w.strip_prefix(['i', 'I'])
                .and_then(|n| n.parse::<i64>().ok())?,
        ),
    };
    if words.next().is_some() {
        return None;
    }
    Some((whom, connection))
}

/// A link to a topic of the group (`t.me/c/…`; supergroup ids are -100…).
fn topic_link(group: i64, thread: i64) -> String {
    let internal = group.saturating_neg().saturating_sub(1_000_000_000_000);
    format!("https://t.me/c/{internal}/{thread}")
}

/// Opens (or points to) a customer's topic so the team can write first; `None` when the
/// command names another connection of this group (that one answers).
async fn open_dialog(
    ctx: &ConnCtx,
    tx: &mut Tx,
    cfg: &ConnConfig,
    args: &str,
    now: i64,
) -> anyhow::Result<Option<String>> {
    use hotline_core::dialog::Event;
    use hotline_core::{ChatId, Status};
    let lang = cfg.lang;
    let Some((whom, connection)) = parse_new(args) else {
        return Ok(Some(tr(lang, Key::NewUsage)));
    };
    if let Some(n) = connection.filter(|n| *n != ctx.id.0) {
        let here = tx
            .connections()
            .get(hotline_core::ConnectionId(n))
            .await?
            .is_some_and(|c| c.group_chat_id == ctx.group());
        return Ok(if here {
            None
        } else {
            Some(tr_args(
                lang,
                Key::NewOtherConnection,
                &Args::new().str("connection", format!("i{n}")),
            ))
        });
    }
    if !ctx.frontend().abilities().write_first {
        return Ok(Some(tr(lang, Key::WriteFirstRefused)));
    }
    let customer = match &whom {
        Whom::Id(id) => tx.customers().get(ctx.id, ChatId(*id)).await?,
        Whom::Username(u) => tx.customers().by_username(ctx.id, u).await?,
    };
    let bot = Args::new().str("bot", ctx.bot_username.clone());
    let Some(customer) = customer else {
        let who = match whom {
            Whom::Id(id) => id.to_string(),
            Whom::Username(u) => format!("@{u}"),
        };
        return Ok(Some(tr_args(
            lang,
            Key::NewNeverStarted,
            &bot.str("who", who),
        )));
    };
    let name = hotline_core::title::display_name(
        &customer.first_name,
        customer.last_name.as_deref(),
        customer.username.as_deref(),
    );
    if customer.unreachable.is_some() {
        return Ok(Some(tr_args(
            lang,
            Key::NewUnreachable,
            &bot.str("name", name),
        )));
    }
    let dialog = crate::ctx::customer_dialog(ctx, tx, customer.chat_id, &name, now).await?;
    let shown = crate::card::shown_name(cfg, &dialog);
    let was_open = dialog.status != Status::Closed && dialog.thread_id.is_some();
    let link = dialog.thread_id.map(|t| topic_link(ctx.group().0, t.0));
    crate::lifecycle::apply(
        ctx,
        tx,
        cfg,
        &dialog,
        Event::OpenedByOperator { now },
        Default::default(),
        now,
    )
    .await?;
    let args = Args::new().str("name", shown);
    Ok(Some(match link {
        Some(link) if was_open => tr_args(lang, Key::NewOpen, &args.str("link", link)),
        Some(link) => tr_args(lang, Key::NewReopened, &args.str("link", link)),
        None => tr_args(lang, Key::NewOpened, &args),
    }))
}

/// `/help` in General: the team commands this member may use, and where the rest work.
pub fn help(cfg: &ConnConfig, role: Role) -> String {
    let lang = cfg.lang;
    let mut lines = vec![help_role_line(lang, Key::GeneralHelpHeader, role)];
    let allowed = |a: Action| check(role, a).is_ok();
    if allowed(Action::Help) {
        lines.push(tr(lang, Key::GeneralHelpHelp));
    }
    if allowed(Action::OpenDialog) {
        lines.push(tr(lang, Key::GeneralHelpNew));
    }
    if allowed(Action::Tag) {
        lines.push(tr(lang, Key::GeneralHelpMark));
    }
    if allowed(Action::TagSetup) {
        lines.push(tr(lang, Key::GeneralHelpMarkSetup));
    }
    if allowed(Action::TemplateSetup) {
        lines.push(tr(lang, Key::GeneralHelpTemplate));
    }
    if allowed(Action::Broadcast) {
        lines.push(tr(lang, Key::GeneralHelpSend));
    }
    if allowed(Action::Export) {
        lines.push(tr(lang, Key::GeneralHelpExport));
    }
    if allowed(Action::StatusCommand) {
        lines.push(tr(lang, Key::GeneralHelpTopics));
    } else {
        lines.push(tr(lang, Key::GeneralHelpObserver));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_takes_a_username_or_an_id_and_a_connection() {
        assert_eq!(parse_new("@ana"), Some((Whom::Username("ana"), None)));
        assert_eq!(parse_new("42 i7"), Some((Whom::Id(42), Some(7))));
        assert_eq!(parse_new("@ana I3"), Some((Whom::Username("ana"), Some(3))));
        for bad in ["", "@", "ana", "-5", "42 7", "42 i", "42 i7 x"] {
            assert_eq!(parse_new(bad), None, "{bad:?}");
        }
        assert_eq!(
            topic_link(-1_001_234_567_890, 5),
            "https://t.me/c/1234567890/5"
        );
    }

    #[test]
    fn help_in_general_lists_what_each_role_may_use() {
        let cfg = ConnConfig::default();
        let operator = help(&cfg, Role::Operator);
        assert!(operator.contains("/help") && operator.contains("/mark NAME"));
        assert!(!operator.contains("/mark new"), "{operator}");
        let supervisor = help(&cfg, Role::Supervisor);
        assert!(supervisor.contains("/mark new") && supervisor.contains("/mark del"));
        let observer = help(&cfg, Role::Observer);
        assert!(!observer.contains("/mark"), "{observer}");
    }
}
