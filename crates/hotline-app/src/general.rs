//! Commands typed in General, the backend group's own topic: the team's commands (`/help`,
//! `/mark`, `/export`), each answered there as a reply in the team's language. A command that works in a
//! customer's topic gets a line saying so; an unknown one the same answer as in a topic.
//! Commands addressed to another bot and CUSTOM_COMMANDS are left alone.

use hotline_core::params::HiddenInfo;
use hotline_core::roles::{Action, Role, check};
use hotline_core::tags::parse_mark;
use hotline_i18n::{Args, Key, tr, tr_args};
use hotline_store::Tx;
use hotline_telegram::Message;

use crate::commands::{help_role_line, refusal_text, split_command};
use crate::config::ConnConfig;
use crate::ctx::{ConnCtx, push};
use crate::format::fit;
use crate::jobs::Job;

/// Commands that act on one customer's topic.
const TOPIC_ONLY: [&str; 7] = ["close", "hold", "wait", "info", "ban", "unban", "del"];

/// Runs a command typed in General; returns whether jobs were queued.
pub async fn command(ctx: &ConnCtx, tx: &mut Tx, m: &Message, now: i64) -> anyhow::Result<bool> {
    let Some(text) = m.text.as_deref() else {
        return Ok(false);
    };
    let (name, bot) = split_command(text);
    if bot.is_some_and(|b| !b.eq_ignore_ascii_case(&ctx.bot_username)) {
        return Ok(false);
    }
    let cfg = ctx.cfg();
    if cfg
        .params
        .custom_commands
        .iter()
        .any(|c| c.as_str().eq_ignore_ascii_case(name))
    {
        return Ok(false);
    }
    let lang = cfg.lang;
    let lower = name.to_ascii_lowercase();
    let args = text
        .trim_start()
        .split_once(char::is_whitespace)
        .map_or("", |(_, rest)| rest);
    let sender = m.from.as_ref().map_or(0, |u| u.id as i64);
    let role = cfg.role_of(sender);
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

/// `/help` in General: the team commands this member may use, and where the rest work.
pub fn help(cfg: &ConnConfig, role: Role) -> String {
    let lang = cfg.lang;
    let mut lines = vec![help_role_line(lang, Key::GeneralHelpHeader, role)];
    let allowed = |a: Action| check(role, a).is_ok();
    if allowed(Action::Help) {
        lines.push(tr(lang, Key::GeneralHelpHelp));
    }
    if allowed(Action::Tag) {
        lines.push(tr(lang, Key::GeneralHelpMark));
    }
    if allowed(Action::TagSetup) {
        lines.push(tr(lang, Key::GeneralHelpMarkSetup));
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
