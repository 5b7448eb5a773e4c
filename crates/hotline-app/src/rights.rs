//! The frontend bot's place in its backend group, watched: when it loses a right it needs
//! (demoted, restricted) or is removed, the connection's status names the cause (the card
//! shows it in the admin's words) and the setup bot tells the connection's admins once,
//! unasked; when the rights come back, the status clears and the admins hear that too.
//!
//! Sources: `my_chat_member` updates about the backend group (in the update's transaction)
//! and `getChatMember` when the connection starts.

use serde_json::Value;

use hotline_core::roles::Role;
use hotline_core::{ConnectionStatus, UserId};
use hotline_i18n::{Args, Key, tr_args};
use hotline_store::Tx;
use hotline_telegram::requests;

use crate::config::ConnConfig;
use crate::connect::GroupProblem;
use crate::ctx::{ConnCtx, push};
use crate::jobs::Job;
use crate::setup::screens;

/// What changed, if anything, given the stored status error and what the group shows now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Broken(GroupProblem),
    Fixed,
}

pub fn decide(current: Option<&str>, now: Option<GroupProblem>) -> Option<Change> {
    let before = current.and_then(GroupProblem::parse);
    match (before, now) {
        (Some(b), Some(n)) if b == n => None,
        (_, Some(n)) => Some(Change::Broken(n)),
        (Some(_), None) => Some(Change::Fixed),
        (None, None) => None,
    }
}

/// The connection's admins: explicit admin assignments (the creator has one).
pub(crate) fn admins(cfg: &ConnConfig) -> Vec<i64> {
    cfg.roles
        .assignments()
        .filter(|(_, r)| *r == Role::Admin)
        .map(|(u, _)| u.0)
        .collect()
}

/// The alert for `change`, in the team's language.
fn alert(cfg: &ConnConfig, name: &str, change: &Change) -> Job {
    let lang = cfg.lang;
    let args = Args::new().str("name", name);
    let text = match change {
        Change::Broken(GroupProblem::NotInGroup) => tr_args(lang, Key::SetupAlertNotInGroup, &args),
        Change::Broken(GroupProblem::Missing(rights)) => tr_args(
            lang,
            Key::SetupAlertRights,
            &args.str("rights", screens::rights_list(lang, rights)),
        ),
        Change::Fixed => tr_args(lang, Key::SetupAlertFixed, &args),
    };
    Job::AdminAlert {
        users: admins(cfg),
        text,
    }
}

/// A `my_chat_member` update about the backend group, inside the update's transaction.
pub async fn on_member_update(
    ctx: &ConnCtx,
    tx: &mut Tx,
    member: &Value,
    now: i64,
) -> anyhow::Result<bool> {
    let problem = GroupProblem::of_member(member);
    let current = tx.connections().status_error(ctx.id).await?;
    let Some(change) = decide(current.as_deref(), problem) else {
        return Ok(false);
    };
    match &change {
        Change::Broken(p) => tracing::warn!(
            connection = %ctx.id,
            "backend group: {}",
            p.to_status_error()
        ),
        Change::Fixed => tracing::info!(
            connection = %ctx.id,
            "backend group: the bot's rights are back"
        ),
    }
    record(ctx, tx, problem_of(&change)).await?;
    announce(ctx, tx, &change, now).await?;
    Ok(true)
}

/// The problem a change leaves behind (`None`: fixed).
fn problem_of(change: &Change) -> Option<&GroupProblem> {
    match change {
        Change::Broken(p) => Some(p),
        Change::Fixed => None,
    }
}

/// The status for `problem`: error naming it, or running.
async fn record(ctx: &ConnCtx, tx: &mut Tx, problem: Option<&GroupProblem>) -> anyhow::Result<()> {
    match problem {
        Some(p) => {
            tx.connections()
                .set_status(ctx.id, ConnectionStatus::Error, Some(&p.to_status_error()))
                .await?
        }
        None => {
            tx.connections()
                .set_status(ctx.id, ConnectionStatus::Running, None)
                .await?
        }
    }
    Ok(())
}

/// Queues the admins' alert about `change` in `tx`.
async fn announce(ctx: &ConnCtx, tx: &mut Tx, change: &Change, now: i64) -> anyhow::Result<()> {
    let name = ctx
        .store
        .connections()
        .get(ctx.id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    push(ctx, tx, alert(&ctx.cfg(), &name, change), now, now).await
}

/// At start: sets the status to running, unless Telegram says the bot lacks what it needs
/// in the group (a change while the connection was stopped produced no update it will ever
/// see); a cause already known is not announced again.
pub async fn check_at_start(ctx: &ConnCtx) -> anyhow::Result<()> {
    let group = ctx.group();
    let member = ctx
        .api
        .send(&requests::get_chat_member(group, UserId(ctx.bot_id)))
        .await;
    let problem = match member {
        Ok(m) => GroupProblem::of_member(&m),
        Err(hotline_telegram::TgError::ChatNotFound | hotline_telegram::TgError::Kicked(_)) => {
            Some(GroupProblem::NotInGroup)
        }
        Err(e) => {
            tracing::warn!(connection = %ctx.id, "getChatMember at start failed: {e}");
            ctx.store
                .connections()
                .set_status(ctx.id, ConnectionStatus::Running, None)
                .await?;
            return Ok(());
        }
    };
    let mut tx = ctx.store.begin().await?;
    let current = tx.connections().status_error(ctx.id).await?;
    record(ctx, &mut tx, problem.as_ref()).await?;
    if let Some(change) = decide(current.as_deref(), problem) {
        announce(ctx, &mut tx, &change, ctx.now()).await?;
    }
    tx.commit().await?;
    ctx.work.notify_one();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::Right;

    #[test]
    fn alerts_only_when_the_cause_changes() {
        let topics = GroupProblem::Missing(vec![Right::ManageTopics]);
        let stored = topics.to_status_error();
        assert_eq!(GroupProblem::parse(&stored), Some(topics.clone()));
        assert_eq!(
            decide(None, Some(topics.clone())),
            Some(Change::Broken(topics.clone()))
        );
        assert_eq!(decide(Some(&stored), Some(topics.clone())), None);
        assert_eq!(decide(Some(&stored), None), Some(Change::Fixed));
        assert_eq!(decide(Some("getMe: timed out"), None), None);
        assert_eq!(
            decide(Some(&stored), Some(GroupProblem::NotInGroup)),
            Some(Change::Broken(GroupProblem::NotInGroup))
        );
    }
}
