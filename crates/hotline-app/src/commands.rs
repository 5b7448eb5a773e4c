//! Commands typed in a customer's topic: `/close`, `/hold`, `/wait`, `/info`, `/ban`,
//! `/unban`, `/help`, `/del`, `/mark` ([`crate::tags`]), `/send NAME` ([`crate::templates`]). Every command is checked against the sender's role; a refusal
//! or an unknown command gets a short answer in the team's language, never silence.
//! Commands addressed to another bot (`/stats@OtherBot`) and CUSTOM_COMMANDS are left alone.

use std::sync::Arc;

use hotline_core::dialog::{Command, Event};
use hotline_core::roles::{Action, Refusal, Role, check};
use hotline_core::{Direction, MessageId};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Dialog, Tx};
use hotline_telegram::{Message, requests};

use crate::config::{ConnConfig, params_from_json, params_to_json};
use crate::ctx::{ConnCtx, push, reply_target};
use crate::jobs::Job;
use crate::{card, lifecycle};

/// A command Hotline runs in a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TopicCommand {
    Status(Command),
    Info,
    Ban,
    Unban,
    Help,
    Del,
    Mark,
    Send,
}

impl TopicCommand {
    fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "close" => TopicCommand::Status(Command::Close),
            "hold" => TopicCommand::Status(Command::Hold),
            "wait" => TopicCommand::Status(Command::Wait),
            "info" => TopicCommand::Info,
            "ban" => TopicCommand::Ban,
            "unban" => TopicCommand::Unban,
            "help" => TopicCommand::Help,
            "del" => TopicCommand::Del,
            "mark" => TopicCommand::Mark,
            "send" => TopicCommand::Send,
            _ => return None,
        })
    }

    fn action(self) -> Action {
        match self {
            TopicCommand::Status(_) => Action::StatusCommand,
            TopicCommand::Info => Action::Info,
            TopicCommand::Ban | TopicCommand::Unban => Action::Ban,
            TopicCommand::Help => Action::Help,
            TopicCommand::Del => Action::AnswerCustomer,
            TopicCommand::Mark => Action::Tag,
            TopicCommand::Send => Action::SendTemplate,
        }
    }
}

/// Splits `/name@bot args` into (name, bot).
pub(crate) fn split_command(text: &str) -> (&str, Option<&str>) {
    let word = text.split_whitespace().next().unwrap_or("");
    let word = word.trim_start_matches('/');
    match word.split_once('@') {
        Some((n, b)) => (n, Some(b)),
        None => (word, None),
    }
}

/// A command for this bot: its name and what follows it. `None` for another bot's command
/// (`/stats@OtherBot`) and for CUSTOM_COMMANDS, which are left alone.
pub(crate) fn addressed<'a>(
    ctx: &ConnCtx,
    cfg: &ConnConfig,
    text: &'a str,
) -> Option<(&'a str, &'a str)> {
    let (name, bot) = split_command(text);
    if bot.is_some_and(|b| !b.eq_ignore_ascii_case(&ctx.bot_username)) {
        return None;
    }
    if cfg
        .params
        .custom_commands
        .iter()
        .any(|c| c.as_str().eq_ignore_ascii_case(name))
    {
        return None;
    }
    let args = text
        .trim_start()
        .split_once(char::is_whitespace)
        .map_or("", |(_, rest)| rest);
    Some((name, args))
}

fn sender_name(m: &Message) -> String {
    m.from.as_ref().map_or_else(String::new, |u| {
        hotline_core::title::display_name(&u.first_name, u.last_name.as_deref(), None)
    })
}

/// Runs a command typed in a topic; returns whether jobs were queued.
pub async fn command(ctx: &ConnCtx, tx: &mut Tx, m: &Message, now: i64) -> anyhow::Result<bool> {
    let Some(text) = m.text.as_deref() else {
        return Ok(false);
    };
    if m.sender_chat.is_some() {
        // Posted as the group: `from` is Telegram's placeholder bot, not a person.
        return refuse_anonymous(ctx, tx, m, now).await;
    }
    let cfg = ctx.cfg();
    let Some((name, args)) = addressed(ctx, &cfg, text) else {
        return Ok(false);
    };
    let Some(thread) = m.message_thread_id.map(i64::from) else {
        return Ok(false);
    };
    let Some(dialog) = ctx.dialog_in_topic(tx, thread).await? else {
        return Ok(false);
    };
    let lang = cfg.lang;
    let notice = |text: String| Job::Notice {
        dialog: dialog.id.0,
        text,
    };
    if name.eq_ignore_ascii_case("export") {
        let text = tr_args(
            lang,
            Key::WhereGeneralOnly,
            &Args::new().str("command", "/export"),
        );
        push(ctx, tx, notice(text), now, now).await?;
        return Ok(true);
    }
    let Some(cmd) = TopicCommand::parse(name) else {
        let hint = tr_args(
            lang,
            Key::NoticeUnknownCommand,
            &Args::new().str("command", format!("/{name}")),
        );
        push(ctx, tx, notice(crate::format::fit(hint)), now, now).await?;
        return Ok(true);
    };
    let sender = m.from.as_ref().map_or(0, |u| u.id as i64);
    let role = cfg.role_of(sender);
    if let Err(refusal) = check(role, cmd.action()) {
        let text = refusal_text(lang, refusal, &format!("/{}", name.to_ascii_lowercase()));
        push(ctx, tx, notice(text), now, now).await?;
        return Ok(true);
    }
    match cmd {
        TopicCommand::Status(command) => {
            let extras = lifecycle::Extras {
                closed_by: Some(sender_name(m)),
                ..Default::default()
            };
            let event = Event::Command { command, now };
            lifecycle::apply(ctx, tx, &cfg, &dialog, event, extras, now).await?;
        }
        TopicCommand::Info => {
            if let Some(c) = tx.customers().get(ctx.id, dialog.customer_chat_id).await? {
                let tags = crate::tags::card_line(tx, &dialog).await?;
                for job in card::jobs(&cfg, &dialog, &c, &tags) {
                    push(ctx, tx, job, now, now).await?;
                }
            }
        }
        TopicCommand::Ban | TopicCommand::Unban => {
            let text = ban(ctx, tx, &cfg, &dialog, cmd == TopicCommand::Ban).await?;
            push(ctx, tx, notice(text), now, now).await?;
        }
        TopicCommand::Help => {
            push(ctx, tx, notice(help(&cfg, role)), now, now).await?;
        }
        TopicCommand::Mark => {
            let text = match crate::tags::in_topic(ctx, tx, &cfg, &dialog, args, now).await? {
                crate::tags::TopicMark::Answer(text) => text,
                crate::tags::TopicMark::GeneralOnly => {
                    let word = args.split_whitespace().next().unwrap_or_default();
                    let shown = if word.eq_ignore_ascii_case("new") {
                        "/mark new".to_string()
                    } else {
                        format!("/mark {word} …")
                    };
                    tr_args(
                        lang,
                        Key::WhereGeneralOnly,
                        &Args::new().str("command", shown),
                    )
                }
            };
            push(ctx, tx, notice(crate::format::fit(text)), now, now).await?;
        }
        TopicCommand::Send => {
            if let Some(text) =
                crate::templates::send_in_topic(ctx, tx, lang, &dialog, args, now).await?
            {
                push(ctx, tx, notice(crate::format::fit(text)), now, now).await?;
            }
        }
        TopicCommand::Del => {
            let target = match reply_target(m) {
                Some(id) => tx
                    .maps()
                    .by_group(ctx.id, ctx.group(), MessageId(id))
                    .await?
                    .filter(|e| e.direction == Direction::Out),
                None => None,
            };
            let job = match target {
                Some(e) => {
                    let r = requests::delete_message(e.customer_chat_id, e.customer_message_id);
                    Job::Mirror {
                        dialog: dialog.id.0,
                        chat: e.customer_chat_id.0,
                        method: r.method,
                        params: r.params,
                    }
                }
                None => notice(tr(lang, Key::NoticeDelNeedsReply)),
            };
            push(ctx, tx, job, now, now).await?;
        }
    }
    Ok(true)
}

/// `/ban` and `/unban`: the customer's chat joins or leaves IGNORE_CHATS.
async fn ban(
    ctx: &ConnCtx,
    tx: &mut Tx,
    cfg: &ConnConfig,
    dialog: &Dialog,
    on: bool,
) -> anyhow::Result<String> {
    let chat = dialog.customer_chat_id;
    let name = card::shown_name(cfg, dialog);
    let lang = cfg.lang;
    // Read-modify-write on what is stored now (not on this batch's copy, which may predate a
    // change made in the setup bot or the CLI), compare-and-set on the settings counter.
    let mut stored = None;
    for _ in 0..crate::config::CAS_TRIES {
        let Some((version, json)) = tx.connections().params_now(ctx.id).await? else {
            anyhow::bail!("connection {} is gone", ctx.id);
        };
        let mut params = params_from_json(&json)?;
        let changed = if on {
            params.ignore_chats.insert(chat)
        } else {
            params.ignore_chats.remove(&chat)
        };
        if !changed {
            return Ok(tr(
                lang,
                if on {
                    Key::NoticeAlreadyBanned
                } else {
                    Key::NoticeNotBanned
                },
            ));
        }
        if tx
            .connections()
            .set_params_if(ctx.id, version, &params_to_json(&params))
            .await?
        {
            stored = Some(params);
            break;
        }
    }
    let Some(stored) = stored else {
        anyhow::bail!("the settings kept changing while /ban was applied");
    };
    // Applies to the rest of this batch at once; the version mismatch makes the next batch
    // reload what was committed.
    let mut next = cfg.clone();
    next.params.ignore_chats = stored.effective(cfg.plan).ignore_chats;
    next.stored = stored;
    next.version = -1;
    ctx.set_cfg(Arc::new(next));
    let key = if on {
        Key::NoticeBanned
    } else {
        Key::NoticeUnbanned
    };
    Ok(tr_args(lang, key, &Args::new().str("name", name)))
}

pub(crate) fn refusal_text(lang: Lang, refusal: Refusal, command: &str) -> String {
    let args = Args::new().str("command", command);
    match refusal {
        Refusal::ObserverCannotWrite | Refusal::ObserverCannotCommand => {
            tr(lang, Key::RefusedObserver)
        }
        Refusal::NeedsSupervisor => tr_args(lang, Key::RefusedNeedsSupervisor, &args),
        Refusal::NeedsAdmin => tr_args(lang, Key::RefusedNeedsAdmin, &args),
        Refusal::AnonymousSender => tr(lang, Key::RefusedAnonymous),
    }
}

pub fn role_name(lang: Lang, role: Role) -> String {
    tr(
        lang,
        match role {
            Role::Admin => Key::RoleAdmin,
            Role::Supervisor => Key::RoleSupervisor,
            Role::Operator => Key::RoleOperator,
            Role::Observer => Key::RoleObserver,
        },
    )
}

/// A help header naming the member's role.
pub(crate) fn help_role_line(lang: Lang, key: Key, role: Role) -> String {
    tr_args(lang, key, &Args::new().str("role", role_name(lang, role)))
}

/// `/help`: what this member may do here, in the team's language.
pub fn help(cfg: &ConnConfig, role: Role) -> String {
    let lang = cfg.lang;
    let mut lines = vec![help_role_line(lang, Key::HelpHeader, role)];
    let allowed = |a: Action| check(role, a).is_ok();
    if allowed(Action::Help) {
        lines.push(tr(lang, Key::HelpHelp));
    }
    if allowed(Action::StatusCommand) {
        lines.extend(
            [Key::HelpClose, Key::HelpHold, Key::HelpWait]
                .into_iter()
                .map(|k| tr(lang, k)),
        );
    }
    if allowed(Action::Info) {
        lines.push(tr(lang, Key::HelpInfo));
    }
    if allowed(Action::Ban) {
        lines.push(tr(lang, Key::HelpBan));
        lines.push(tr(lang, Key::HelpUnban));
    }
    if allowed(Action::Tag) {
        lines.push(tr(lang, Key::HelpMark));
    }
    if allowed(Action::SendTemplate) {
        lines.push(tr(lang, Key::HelpSend));
    }
    if allowed(Action::AnswerCustomer) {
        lines.push(tr(lang, Key::HelpDel));
        lines.push(tr(lang, Key::HelpComment));
        lines.push(tr(
            lang,
            if cfg.params.reply_only {
                Key::HelpAnswerReplyOnly
            } else {
                Key::HelpAnswer
            },
        ));
        lines.push(tr(lang, Key::HelpGeneral));
    } else {
        lines.push(tr(lang, Key::HelpObserver));
    }
    lines.join("\n")
}

/// An anonymous admin (posting as the group) wrote in a topic: nothing can be attributed, so
/// nothing is delivered or run; say so once per message.
pub async fn refuse_anonymous(
    ctx: &ConnCtx,
    tx: &mut Tx,
    m: &Message,
    now: i64,
) -> anyhow::Result<bool> {
    let text = tr(ctx.cfg().lang, Key::RefusedAnonymous);
    let Some(thread) = m.message_thread_id.map(i64::from) else {
        // A command in General (only commands get here from General); another bot's is not
        // ours to refuse.
        let bot = m.text.as_deref().and_then(|t| split_command(t).1);
        if bot.is_some_and(|b| !b.eq_ignore_ascii_case(&ctx.bot_username)) {
            return Ok(false);
        }
        let job = Job::GeneralNotice {
            text,
            reply_to: Some(i64::from(m.message_id)),
        };
        push(ctx, tx, job, now, now).await?;
        return Ok(true);
    };
    let Some(dialog) = ctx.dialog_in_topic(tx, thread).await? else {
        return Ok(false);
    };
    let job = Job::Notice {
        dialog: dialog.id.0,
        text,
    };
    push(ctx, tx, job, now, now).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_name_and_bot() {
        assert_eq!(split_command("/close"), ("close", None));
        assert_eq!(
            split_command("/close@HotlineBot now"),
            ("close", Some("HotlineBot"))
        );
        assert_eq!(split_command("/info  x"), ("info", None));
        assert_eq!(
            TopicCommand::parse("CLOSE"),
            Some(TopicCommand::Status(Command::Close))
        );
        assert_eq!(TopicCommand::parse("stats"), None);
    }

    #[test]
    fn help_lists_what_each_role_may_do() {
        let cfg = ConnConfig::default();
        let observer = help(&cfg, Role::Observer);
        assert!(!observer.contains("/close"));
        assert!(!observer.contains("/ban"));
        let operator = help(&cfg, Role::Operator);
        assert!(operator.contains("/close") && operator.contains("/ban"));
        assert!(operator.contains("/help") && operator.contains("/mark"));
        assert!(!observer.contains("/mark"));
    }
}
