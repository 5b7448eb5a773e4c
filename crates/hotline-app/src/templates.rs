//! Templates (product.md §6): saved messages or chains of messages, named per connection.
//! In General (supervisors and admins): `/template` lists them, `/template new NAME` saves
//! the message it replies to — or, without a reply, records the member's next messages in
//! General until `/template save` (`/template cancel` drops them) — `/template NAME` shows
//! one, `/template NAME name NEW` renames it, `/template del NAME` deletes it. In a
//! customer's topic `/send NAME` sends it to the customer (an operator answer: 🟨 once
//! delivered); a tag with `sends` sends its template when a topic gets the tag.
//!
//! A template holds the messages as the frontend bot received them
//! ([`hotline_telegram::resend::keep`]: content and its own file ids, never the sender), so
//! it survives the original messages being deleted.

use hotline_core::tags::{TagError, check_name};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Dialog, Template, Tx};
use hotline_telegram::Message;
use hotline_telegram::resend::keep;
use serde_json::Value;

use crate::ctx::{ConnCtx, push};
use crate::jobs::Job;

/// The most messages one template holds.
pub const MAX_ITEMS: usize = 20;

/// How many template names a list shows.
const LISTED: usize = 50;

fn name_args(name: &str) -> Args {
    Args::new().str("name", crate::format::typed_name(name))
}

/// The items of a stored template; an unreadable one is empty (and says so in the log).
pub(crate) fn items(t: &Template) -> Vec<Value> {
    match serde_json::from_str(&t.items) {
        Ok(Value::Array(items)) => items,
        _ => {
            tracing::error!(template = t.id, "a stored template is not a JSON array");
            Vec::new()
        }
    }
}

/// `promo (2), hello (1)`.
async fn names(ctx: &ConnCtx, tx: &mut Tx) -> anyhow::Result<Option<String>> {
    let all = tx.templates().list(ctx.id).await?;
    if all.is_empty() {
        return Ok(None);
    }
    Ok(Some(crate::format::listed(
        all.iter()
            .map(|t| format!("{} ({})", t.name, items(t).len())),
        LISTED,
    )))
}

/// "No template NAME", listing those there are.
pub(crate) async fn unknown(
    ctx: &ConnCtx,
    tx: &mut Tx,
    lang: Lang,
    typed: &str,
) -> anyhow::Result<String> {
    Ok(match names(ctx, tx).await? {
        Some(list) => tr_args(
            lang,
            Key::TemplateUnknown,
            &name_args(typed).str("templates", list),
        ),
        None => tr_args(lang, Key::TemplateUnknownNone, &name_args(typed)),
    })
}

/// Every [`TagError`] of a name reads the same for a template: what a name may be.
pub(crate) fn bad_name(lang: Lang, typed: &str) -> String {
    tr_args(lang, Key::TemplateBadName, &name_args(typed))
}

/// Words `/template` uses itself, which cannot name a template.
const WORDS: [&str; 5] = ["new", "save", "cancel", "del", "name"];

pub(crate) fn check_template_name(name: &str) -> Result<&str, TagError> {
    let name = check_name(name)?;
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(name)) {
        return Err(TagError::ReservedName);
    }
    Ok(name)
}

/// What General gets for `/template …` (the sender may set templates up); `None` when the
/// answer is the template itself (a preview, queued here).
pub(crate) async fn general(
    ctx: &ConnCtx,
    tx: &mut Tx,
    lang: Lang,
    m: &Message,
    raw: &Value,
    args: &str,
    now: i64,
) -> anyhow::Result<Option<String>> {
    let sender = m.from.as_ref().map_or(0, |u| u.id as i64);
    let words: Vec<&str> = args.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    Ok(Some(match (lower.as_slice(), words.as_slice()) {
        ([], _) => match names(ctx, tx).await? {
            Some(list) => format!(
                "{}\n\n{}",
                tr_args(lang, Key::TemplateList, &Args::new().str("templates", list)),
                tr(lang, Key::TemplateUsage)
            ),
            None => format!(
                "{}\n\n{}",
                tr(lang, Key::TemplateNone),
                tr(lang, Key::TemplateUsage)
            ),
        },
        (["new", _], [_, typed]) => {
            let name = match check_template_name(typed) {
                Ok(n) => n,
                Err(_) => return Ok(Some(bad_name(lang, typed))),
            };
            if tx.templates().by_name(ctx.id, name).await?.is_some() {
                return Ok(Some(tr_args(lang, Key::TemplateExists, &name_args(name))));
            }
            match raw.get("reply_to_message").filter(|r| !is_topic_root(r)) {
                Some(replied) => match keep(replied) {
                    Ok(item) => save(ctx, tx, lang, name, &[item], sender, now).await?,
                    Err(_) => tr(lang, Key::TemplateUnsupported),
                },
                None => {
                    tx.templates()
                        .start_draft(ctx.id, sender, name, now)
                        .await?;
                    tr_args(lang, Key::TemplateRecording, &name_args(name))
                }
            }
        }
        (["save"], _) => match tx.templates().draft(ctx.id, sender).await? {
            None => tr(lang, Key::TemplateNotRecording),
            Some(d) => {
                let items: Vec<Value> = serde_json::from_str(&d.items).unwrap_or_default();
                if items.is_empty() {
                    tr_args(lang, Key::TemplateNothingYet, &name_args(&d.name))
                } else {
                    tx.templates().drop_draft(ctx.id, sender).await?;
                    if tx.templates().by_name(ctx.id, &d.name).await?.is_some() {
                        tr_args(lang, Key::TemplateExists, &name_args(&d.name))
                    } else {
                        save(ctx, tx, lang, &d.name, &items, sender, now).await?
                    }
                }
            }
        },
        (["cancel"], _) => match tx.templates().draft(ctx.id, sender).await? {
            None => tr(lang, Key::TemplateNotRecording),
            Some(d) => {
                tx.templates().drop_draft(ctx.id, sender).await?;
                tr_args(lang, Key::TemplateCancelled, &name_args(&d.name))
            }
        },
        (["del", _], [_, typed]) => match tx.templates().by_name(ctx.id, typed).await? {
            None => unknown(ctx, tx, lang, typed).await?,
            Some(t) => {
                tx.templates().delete(ctx.id, t.id).await?;
                tr_args(lang, Key::TemplateDeleted, &name_args(&t.name))
            }
        },
        ([_, "name", _], [typed, _, new]) => {
            let Some(t) = tx.templates().by_name(ctx.id, typed).await? else {
                return Ok(Some(unknown(ctx, tx, lang, typed).await?));
            };
            let name = match check_template_name(new) {
                Ok(n) => n,
                Err(_) => return Ok(Some(bad_name(lang, new))),
            };
            if tx.templates().rename(ctx.id, t.id, name).await? {
                tr_args(lang, Key::TemplateRenamed, &name_args(name))
            } else {
                tr_args(lang, Key::TemplateExists, &name_args(name))
            }
        }
        ([_], [typed]) if !WORDS.contains(&lower.first().copied().unwrap_or("")) => {
            match tx.templates().by_name(ctx.id, typed).await? {
                None => unknown(ctx, tx, lang, typed).await?,
                Some(t) => {
                    let job = Job::GeneralChain {
                        items: items(&t),
                        reply_to: Some(i64::from(m.message_id)),
                        done: 0,
                    };
                    push(ctx, tx, job, now, now).await?;
                    return Ok(None);
                }
            }
        }
        _ => tr(lang, Key::TemplateUsage),
    }))
}

/// A reply to a topic's creation message is how Telegram shows a plain message in a topic:
/// not a message to keep.
fn is_topic_root(replied: &Value) -> bool {
    replied.get("forum_topic_created").is_some()
}

async fn save(
    ctx: &ConnCtx,
    tx: &mut Tx,
    lang: Lang,
    name: &str,
    items: &[Value],
    by: i64,
    now: i64,
) -> anyhow::Result<String> {
    let json = serde_json::to_string(items)?;
    Ok(
        match tx.templates().create(ctx.id, name, &json, by, now).await? {
            Some(_) => tr_args(
                lang,
                Key::TemplateSaved,
                &name_args(name).num("count", items.len() as i64),
            ),
            None => tr_args(lang, Key::TemplateExists, &name_args(name)),
        },
    )
}

/// A member's message in General while they record a template: kept as its next item.
/// Returns the answer to give (`None`: recorded silently, or not recording).
pub(crate) async fn record(
    ctx: &ConnCtx,
    tx: &mut Tx,
    lang: Lang,
    sender: i64,
    raw: &Value,
) -> anyhow::Result<Option<String>> {
    let Some(draft) = tx.templates().draft(ctx.id, sender).await? else {
        return Ok(None);
    };
    let mut items: Vec<Value> = serde_json::from_str(&draft.items).unwrap_or_default();
    if items.len() >= MAX_ITEMS {
        return Ok(Some(tr_args(
            lang,
            Key::TemplateTooLong,
            &Args::new().num("max", MAX_ITEMS as i64),
        )));
    }
    match keep(raw) {
        Ok(item) => items.push(item),
        Err(_) => return Ok(Some(tr(lang, Key::TemplateUnsupported))),
    }
    tx.templates()
        .set_draft_items(ctx.id, sender, &serde_json::to_string(&items)?)
        .await?;
    Ok(None)
}

/// `/send [NAME]` in `dialog`'s topic (the role was checked): the template queued for the
/// customer, or the answer for the topic.
pub(crate) async fn send_in_topic(
    ctx: &ConnCtx,
    tx: &mut Tx,
    lang: Lang,
    dialog: &Dialog,
    args: &str,
    now: i64,
) -> anyhow::Result<Option<String>> {
    let typed = args.trim();
    if typed.is_empty() || typed.contains(char::is_whitespace) {
        return Ok(Some(match names(ctx, tx).await? {
            Some(list) => tr_args(lang, Key::SendUsage, &Args::new().str("templates", list)),
            None => tr(lang, Key::SendUsageNone),
        }));
    }
    let Some(t) = tx.templates().by_name(ctx.id, typed).await? else {
        return Ok(Some(unknown(ctx, tx, lang, typed).await?));
    };
    push(ctx, tx, send_job(dialog, &t), now, now).await?;
    Ok(None)
}

/// The job that sends template `t` to `dialog`'s customer.
pub(crate) fn send_job(dialog: &Dialog, t: &Template) -> Job {
    Job::SendTemplate {
        dialog: dialog.id.0,
        customer: dialog.customer_chat_id.0,
        name: t.name.clone(),
        items: items(t),
        done: 0,
    }
}

/// A one-message text template made without Telegram (the sandbox's demo); `false` if the
/// name is taken.
pub async fn create_text(
    store: &hotline_store::Store,
    connection: hotline_core::ConnectionId,
    name: &str,
    text: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let items = serde_json::to_string(&[hotline_telegram::resend::plain(text)])?;
    Ok(store
        .templates()
        .create(connection, name, &items, 0, now)
        .await?
        .is_some())
}
