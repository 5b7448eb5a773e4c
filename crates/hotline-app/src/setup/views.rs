//! Screens that need data: the main screen, a connection's card, the roles screen, how a
//! member is named, and a connection as the screens see it.

use anyhow::Result;

use hotline_core::params::Plan;
use hotline_core::{ConnectionId, UserId};
use hotline_i18n::Lang;
use hotline_store::Connection;

use super::screens::{self, ConnView, RoleEntry, Screen, Status};
use super::{Session, SetupBot};
use crate::config::ConnConfig;

/// A stored status error as the card shows it: trimmed, cut to a few hundred characters
/// (enough to act on; the log has it whole).
fn shown_error(e: &str) -> Option<String> {
    const MAX: usize = 300;
    let e = e.trim();
    let mut shown: String = e.chars().take(MAX).collect();
    if shown.len() < e.len() {
        shown.push('…');
    }
    (!shown.is_empty()).then_some(shown)
}

impl SetupBot {
    pub(in crate::setup) fn views(&self, conns: &[Connection]) -> Vec<ConnView> {
        conns.iter().map(|c| self.view(c)).collect()
    }

    pub(in crate::setup) fn view(&self, c: &Connection) -> ConnView {
        let status = if !c.enabled {
            Status::Stopped
        } else {
            match c.status.as_str() {
                "running" => Status::Running,
                "error" => Status::Error(screens::Failure::of(
                    c.status_error.as_deref().unwrap_or_default(),
                )),
                _ => Status::Starting,
            }
        };
        let api_key = c
            .api_key_enc
            .as_deref()
            .and_then(|k| self.rt.secrets().open(k).ok())
            .unwrap_or_default();
        ConnView {
            id: c.id.0,
            name: c.name.clone(),
            bot: c.bot_username.clone(),
            group: c
                .group_title
                .clone()
                .unwrap_or_else(|| c.group_chat_id.to_string()),
            status,
            error: c.status_error.as_deref().and_then(shown_error),
            api_key,
            plan: Plan::parse(&c.plan).unwrap_or(Plan::Free),
            business: match crate::frontend::Frontend::of(c) {
                Ok(crate::frontend::Frontend::Business(link)) => Some(link),
                _ => None,
            },
        }
    }

    pub(in crate::setup) async fn main_screen(&self, s: &Session) -> Result<Screen> {
        let mine = self.rt.store.connections().of_admin(UserId(s.user)).await?;
        Ok(screens::main(
            s.lang,
            &self.views(&mine),
            self.superadmin(s.user),
        ))
    }

    pub(in crate::setup) async fn card(&self, s: &Session, conn: &Connection) -> Result<Screen> {
        let conn = if conn.api_key_enc.is_none() {
            // Connections made before API keys existed get one the first time they are shown.
            self.issue_api_key(conn.id).await?;
            self.reload(conn.id, conn.clone()).await?
        } else {
            conn.clone()
        };
        Ok(screens::card(
            s.lang,
            &self.view(&conn),
            self.superadmin(s.user),
        ))
    }

    /// How the roles screen names a member.
    pub(in crate::setup) async fn who(&self, conn: ConnectionId, user: UserId) -> Result<String> {
        Ok(match self.rt.store.members().get(conn, user).await? {
            Some(m) => match m.username {
                Some(u) => format!("{} (@{u})", m.first_name),
                None => format!("{} ({user})", m.first_name),
            },
            None => format!("id {user}"),
        })
    }

    pub(in crate::setup) async fn roles_screen(
        &self,
        lang: Lang,
        conn: &Connection,
    ) -> Result<Screen> {
        let cfg = ConnConfig::load(&self.rt.store, conn.id).await?;
        let mut entries = Vec::new();
        for (user, role) in cfg.roles.assignments() {
            entries.push(RoleEntry {
                user: user.0,
                who: self.who(conn.id, user).await?,
                role,
                creator: cfg.admin == Some(user.0),
            });
        }
        Ok(screens::roles(
            lang,
            conn.id.0,
            &conn.name,
            &entries,
            cfg.roles.default_role(),
        ))
    }
}
