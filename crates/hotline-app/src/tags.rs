//! `/mark` (product.md §6 Tags): in General, every tag with its count, one tag with its
//! topics, and the tag setup (create, rename, ticker, funnel, delete — supervisors and
//! admins); in a customer's topic, the topic's tags, adding one (which takes the tags its
//! funnel names) and removing one. A change that moves tickers queues a coalesced rename of
//! each topic concerned (a topic already showing the right title is not renamed).
//!
//! Every answer is a text in the team's language; nothing here calls Telegram.

use hotline_core::roles::{Action, Role, check};
use hotline_core::tags::{Mark, Property, TagError, check_name, check_ticker, parse_mark};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Dialog, Tag, Tx};

use crate::config::ConnConfig;
use crate::ctx::{ConnCtx, push};
use crate::jobs::Job;

/// How many topics one tag's answer names.
const SHOWN_TOPICS: i64 = 10;
/// How many tag names a "no such tag" answer lists.
const LISTED_TAGS: usize = 30;

/// What `/mark` typed in a topic leads to.
pub(crate) enum TopicMark {
    /// The answer, for the topic.
    Answer(String),
    /// A form that only works in General (the tag setup).
    GeneralOnly,
}

fn tag_args(tag: &str) -> Args {
    Args::new().str("tag", shown(tag))
}

/// What a member typed, as an answer repeats it ([`crate::format::typed_name`]).
fn shown(typed: &str) -> String {
    crate::format::typed_name(typed)
}

fn suffix(t: &Tag) -> String {
    t.ticker
        .as_ref()
        .map_or_else(String::new, |x| format!(" [{x}]"))
}

fn name_error(lang: Lang, e: TagError, typed: &str) -> String {
    let key = match e {
        TagError::BadName => Key::TagBadName,
        TagError::ReservedName => Key::TagReservedName,
        TagError::BadTicker => Key::TagBadTicker,
    };
    tr_args(lang, key, &tag_args(typed))
}

/// "No tag NAME", listing the tags there are.
pub(crate) async fn unknown(
    ctx: &ConnCtx,
    tx: &mut Tx,
    lang: Lang,
    typed: &str,
) -> anyhow::Result<String> {
    let all = tx.tags().list(ctx.id).await?;
    if all.is_empty() {
        return Ok(tr_args(lang, Key::TagUnknownNone, &tag_args(typed)));
    }
    let names = crate::format::listed(all.into_iter().map(|t| t.tag.name), LISTED_TAGS);
    Ok(tr_args(
        lang,
        Key::TagUnknown,
        &tag_args(typed).str("tags", names),
    ))
}

/// Queues a rename of every topic having `tag` (its ticker changed or it is going away).
async fn rename_tagged(ctx: &ConnCtx, tx: &mut Tx, tag: i64, now: i64) -> anyhow::Result<usize> {
    let tagged = tx.tags().dialogs_with(tag, i64::MAX).await?;
    for t in &tagged {
        push(ctx, tx, Job::Rename { dialog: t.dialog.0 }, now, now).await?;
    }
    Ok(tagged.len())
}

/// What `mark` needs of the sender's role, and how a refusal names it.
pub(crate) fn needs(mark: &Mark) -> (Action, &'static str) {
    match mark {
        Mark::List | Mark::Name(_) | Mark::Malformed => (Action::Tag, "/mark"),
        Mark::Create(_) => (Action::TagSetup, "/mark new"),
        Mark::Delete(_) => (Action::TagSetup, "/mark del"),
        Mark::Set(..) => (Action::TagSetup, "/mark"),
    }
}

/// `/mark …` typed in General, by a member the caller checked against [`needs`]
/// (`role`: which hint an empty list gets).
pub(crate) async fn general(
    ctx: &ConnCtx,
    tx: &mut Tx,
    cfg: &ConnConfig,
    role: Role,
    mark: Mark,
    now: i64,
) -> anyhow::Result<String> {
    let lang = cfg.lang;
    match mark {
        Mark::List => list(ctx, tx, lang, role).await,
        Mark::Name(typed) => show(ctx, tx, lang, &typed).await,
        Mark::Malformed => Ok(tr(lang, Key::TagUsage)),
        Mark::Create(typed) => {
            let name = match check_name(&typed) {
                Ok(n) => n,
                Err(e) => return Ok(name_error(lang, e, &typed)),
            };
            Ok(match tx.tags().create(ctx.id, name, now).await? {
                Some(t) => tr_args(lang, Key::TagCreated, &tag_args(&t.name)),
                None => tr_args(lang, Key::TagExists, &tag_args(name)),
            })
        }
        Mark::Delete(typed) => {
            let Some(tag) = tx.tags().by_name(ctx.id, &typed).await? else {
                return unknown(ctx, tx, lang, &typed).await;
            };
            // Renames are queued before the tag goes; they run after the commit and read
            // the titles then, without it.
            let had = rename_tagged(ctx, tx, tag.id, now).await?;
            tx.tags().delete(tag.id).await?;
            Ok(tr_args(
                lang,
                Key::TagDeleted,
                &tag_args(&tag.name).num("count", i64::try_from(had).unwrap_or(i64::MAX)),
            ))
        }
        Mark::Set(typed, property) => {
            let Some(tag) = tx.tags().by_name(ctx.id, &typed).await? else {
                return unknown(ctx, tx, lang, &typed).await;
            };
            set(ctx, tx, lang, &tag, property, now).await
        }
    }
}

async fn list(ctx: &ConnCtx, tx: &mut Tx, lang: Lang, role: Role) -> anyhow::Result<String> {
    let all = tx.tags().list(ctx.id).await?;
    if all.is_empty() {
        let key = if check(role, Action::TagSetup).is_ok() {
            Key::TagsNoneSetup
        } else {
            Key::TagsNone
        };
        return Ok(tr(lang, key));
    }
    let mut lines = vec![tr(lang, Key::TagsHeader)];
    for t in &all {
        lines.push(tr_args(
            lang,
            Key::TagsLine,
            &tag_args(&t.tag.name)
                .str("suffix", suffix(&t.tag))
                .num("count", t.dialogs),
        ));
    }
    Ok(lines.join("\n"))
}

async fn show(ctx: &ConnCtx, tx: &mut Tx, lang: Lang, typed: &str) -> anyhow::Result<String> {
    let Some(tag) = tx.tags().by_name(ctx.id, typed).await? else {
        return unknown(ctx, tx, lang, typed).await;
    };
    let count = tx
        .tags()
        .list(ctx.id)
        .await?
        .into_iter()
        .find(|t| t.tag.id == tag.id)
        .map_or(0, |t| t.dialogs);
    let mut lines = vec![tr_args(
        lang,
        Key::TagShown,
        &tag_args(&tag.name)
            .str("suffix", suffix(&tag))
            .num("count", count),
    )];
    let after = tx.tags().after(tag.id).await?;
    if !after.is_empty() {
        let names: Vec<String> = after.into_iter().map(|t| t.name).collect();
        lines.push(tr_args(
            lang,
            Key::TagShownAfter,
            &Args::new().str("tags", names.join(", ")),
        ));
    }
    if let Some(id) = tx.tags().sends(tag.id).await?
        && let Some(t) = tx.templates().get(ctx.id, id).await?
    {
        lines.push(tr_args(
            lang,
            Key::TagShownSends,
            &Args::new().str("template", t.name),
        ));
    }
    let topics = tx.tags().dialogs_with(tag.id, SHOWN_TOPICS).await?;
    if !topics.is_empty() {
        let titles: Vec<String> = topics.into_iter().map(|t| t.title).collect();
        lines.push(tr_args(
            lang,
            Key::TagShownTopics,
            &Args::new().str("topics", titles.join(", ")),
        ));
    }
    Ok(lines.join("\n"))
}

async fn set(
    ctx: &ConnCtx,
    tx: &mut Tx,
    lang: Lang,
    tag: &Tag,
    property: Property,
    now: i64,
) -> anyhow::Result<String> {
    match property {
        Property::Name(typed) => {
            let name = match check_name(&typed) {
                Ok(n) => n,
                Err(e) => return Ok(name_error(lang, e, &typed)),
            };
            Ok(if tx.tags().rename(ctx.id, tag.id, name).await? {
                tr_args(lang, Key::TagRenamed, &tag_args(name))
            } else {
                tr_args(lang, Key::TagExists, &tag_args(name))
            })
        }
        Property::Ticker(Some(typed)) => {
            let ticker = match check_ticker(&typed) {
                Ok(t) => t,
                Err(e) => return Ok(name_error(lang, e, &typed)),
            };
            if tag.ticker.as_deref() != Some(ticker) {
                tx.tags().set_ticker(tag.id, Some(ticker)).await?;
                rename_tagged(ctx, tx, tag.id, now).await?;
            }
            Ok(tr_args(
                lang,
                Key::TagTickerSet,
                &tag_args(&tag.name).str("ticker", ticker),
            ))
        }
        Property::Ticker(None) => {
            if tag.ticker.is_some() {
                tx.tags().set_ticker(tag.id, None).await?;
                rename_tagged(ctx, tx, tag.id, now).await?;
            }
            Ok(tr_args(lang, Key::TagTickerCleared, &tag_args(&tag.name)))
        }
        Property::Sends(Some(typed)) => {
            let Some(t) = tx.templates().by_name(ctx.id, &typed).await? else {
                return crate::templates::unknown(ctx, tx, lang, &typed).await;
            };
            tx.tags().set_sends(tag.id, Some(t.id)).await?;
            Ok(tr_args(
                lang,
                Key::TagSendsSet,
                &tag_args(&tag.name).str("template", t.name),
            ))
        }
        Property::Sends(None) => {
            tx.tags().set_sends(tag.id, None).await?;
            Ok(tr_args(lang, Key::TagSendsCleared, &tag_args(&tag.name)))
        }
        Property::After(names) => {
            let mut ids = Vec::new();
            let mut shown = Vec::new();
            for typed in &names {
                let Some(t) = tx.tags().by_name(ctx.id, typed).await? else {
                    return unknown(ctx, tx, lang, typed).await;
                };
                if t.id != tag.id && !ids.contains(&t.id) {
                    ids.push(t.id);
                    shown.push(t.name);
                }
            }
            tx.tags().set_after(tag.id, &ids).await?;
            Ok(if shown.is_empty() {
                tr_args(lang, Key::TagAfterCleared, &tag_args(&tag.name))
            } else {
                tr_args(
                    lang,
                    Key::TagAfterSet,
                    &tag_args(&tag.name).str("tags", shown.join(", ")),
                )
            })
        }
    }
}

/// `/mark …` typed in `dialog`'s topic (the role was checked: [`Action::Tag`]).
pub(crate) async fn in_topic(
    ctx: &ConnCtx,
    tx: &mut Tx,
    cfg: &ConnConfig,
    dialog: &Dialog,
    args: &str,
    now: i64,
) -> anyhow::Result<TopicMark> {
    let lang = cfg.lang;
    let answer = match parse_mark(args) {
        Mark::Create(_) | Mark::Set(..) => return Ok(TopicMark::GeneralOnly),
        Mark::Malformed => tr(lang, Key::TagUsage),
        Mark::List => {
            let tags = tx.tags().of_dialog(dialog.id).await?;
            if tags.is_empty() {
                tr(lang, Key::TopicTagsNone)
            } else {
                let names: Vec<String> = tags.iter().map(|t| t.name.clone() + &suffix(t)).collect();
                tr_args(
                    lang,
                    Key::TopicTags,
                    &Args::new().str("tags", names.join(", ")),
                )
            }
        }
        Mark::Name(typed) => {
            let Some(tag) = tx.tags().by_name(ctx.id, &typed).await? else {
                return Ok(TopicMark::Answer(unknown(ctx, tx, lang, &typed).await?));
            };
            if !tx.tags().assign(dialog.id, tag.id, now).await? {
                tr_args(lang, Key::TopicTagAlready, &tag_args(&tag.name))
            } else {
                let mut removed = Vec::new();
                for other in tx.tags().after(tag.id).await? {
                    if tx.tags().unassign(dialog.id, other.id).await? {
                        removed.push(other.name);
                    }
                }
                push(
                    ctx,
                    tx,
                    Job::Rename {
                        dialog: dialog.id.0,
                    },
                    now,
                    now,
                )
                .await?;
                // A tag that sends a template: the customer gets it now.
                if let Some(id) = tx.tags().sends(tag.id).await?
                    && let Some(t) = tx.templates().get(ctx.id, id).await?
                {
                    push(ctx, tx, crate::templates::send_job(dialog, &t), now, now).await?;
                }
                if removed.is_empty() {
                    tr_args(lang, Key::TopicTagAdded, &tag_args(&tag.name))
                } else {
                    tr_args(
                        lang,
                        Key::TopicTagAddedRemoved,
                        &tag_args(&tag.name).str("tags", removed.join(", ")),
                    )
                }
            }
        }
        Mark::Delete(typed) => {
            let Some(tag) = tx.tags().by_name(ctx.id, &typed).await? else {
                return Ok(TopicMark::Answer(unknown(ctx, tx, lang, &typed).await?));
            };
            if tx.tags().unassign(dialog.id, tag.id).await? {
                push(
                    ctx,
                    tx,
                    Job::Rename {
                        dialog: dialog.id.0,
                    },
                    now,
                    now,
                )
                .await?;
                tr_args(lang, Key::TopicTagRemoved, &tag_args(&tag.name))
            } else {
                tr_args(lang, Key::TopicTagAbsent, &tag_args(&tag.name))
            }
        }
    };
    Ok(TopicMark::Answer(answer))
}

/// The dialog's tag names (with tickers), for its card.
pub(crate) async fn card_line(tx: &mut Tx, dialog: &Dialog) -> anyhow::Result<Vec<String>> {
    Ok(tx
        .tags()
        .of_dialog(dialog.id)
        .await?
        .iter()
        .map(|t| t.name.clone() + &suffix(t))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_when_repeated() {
        assert_eq!(shown("vip"), "vip");
        let long = "x".repeat(5_000);
        let cut = shown(&long);
        assert_eq!(cut.chars().count(), hotline_core::tags::MAX_NAME_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
