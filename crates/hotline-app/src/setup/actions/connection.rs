//! Actions on one connection as a whole: its card, the team's language, stopping and
//! starting it, a new API key, deleting it, and (superadmins) its plan.

use anyhow::Result;

use hotline_core::params::{ParamName, Plan};
use hotline_core::roles::Role;
use hotline_core::{ConnectionId, ConnectionStatus};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::Connection;

use crate::config::{self, ConnConfig};
use crate::connect;
use crate::setup::dispatch::{Reply, screen};
use crate::setup::{Flow, Session, SetupBot, screens};

impl SetupBot {
    pub(in crate::setup) async fn show_card(
        &self,
        s: &mut Session,
        conn: &Connection,
    ) -> Result<Reply> {
        self.set_flow(s, Flow::Nothing).await?;
        screen(self.card(s, conn).await?)
    }

    pub(in crate::setup) fn team_language_menu(
        &self,
        s: &Session,
        conn: &Connection,
    ) -> Result<Reply> {
        screen(screens::team_language(s.lang, conn.id.0))
    }

    pub(in crate::setup) async fn set_team_language(
        &self,
        s: &Session,
        conn: &Connection,
        l: Lang,
    ) -> Result<Reply> {
        let lang = s.lang;
        let line = match config::set_language(&self.rt.store, conn.id, l.code()).await {
            Ok(l) => tr_args(
                lang,
                Key::SetupTeamLanguageSet,
                &Args::new().str("language", screens::language_name(l)),
            ),
            Err(e) => self.explain(lang, &e)?,
        };
        screen(self.card(s, conn).await?.under(&line))
    }

    pub(in crate::setup) async fn stop(&self, s: &Session, conn: Connection) -> Result<Reply> {
        let id = conn.id;
        self.rt.store.connections().set_enabled(id, false).await?;
        self.rt.stop_connection(id);
        self.rt
            .store
            .connections()
            .set_status_keep_error(id, ConnectionStatus::Stopped)
            .await?;
        let conn = self.reload(id, conn).await?;
        screen(
            self.card(s, &conn)
                .await?
                .under(&tr(s.lang, Key::SetupStopped)),
        )
    }

    pub(in crate::setup) async fn start(&self, s: &Session, conn: Connection) -> Result<Reply> {
        let id = conn.id;
        self.rt.store.connections().set_enabled(id, true).await?;
        self.rt
            .store
            .connections()
            .set_status(id, ConnectionStatus::Starting, None)
            .await?;
        self.rt.start_connection(id);
        let conn = self.reload(id, conn).await?;
        screen(
            self.card(s, &conn)
                .await?
                .under(&tr(s.lang, Key::SetupStarted)),
        )
    }

    pub(in crate::setup) async fn reset_key(&self, s: &Session, conn: Connection) -> Result<Reply> {
        self.issue_api_key(conn.id).await?;
        let conn = self.reload(conn.id, conn).await?;
        screen(
            self.card(s, &conn)
                .await?
                .under(&tr(s.lang, Key::SetupKeyReset)),
        )
    }

    pub(in crate::setup) fn confirm_delete(&self, s: &Session, conn: &Connection) -> Result<Reply> {
        screen(screens::delete_confirm(s.lang, conn.id.0, &conn.name))
    }

    pub(in crate::setup) async fn delete(
        &self,
        s: &mut Session,
        conn: &Connection,
    ) -> Result<Reply> {
        let id = conn.id;
        self.rt.stop_connection(id);
        self.rt.store.connections().delete(id).await?;
        tracing::info!(
            connection = %id,
            by = s.user,
            "connection deleted from the setup bot"
        );
        screen(self.main_screen(s).await?.under(&tr_args(
            s.lang,
            Key::SetupDeleted,
            &Args::new().str("name", &conn.name),
        )))
    }

    pub(in crate::setup) async fn set_plan(
        &self,
        s: &Session,
        conn: Connection,
        plan: Plan,
    ) -> Result<Reply> {
        let lang = s.lang;
        if !self.superadmin(s.user) {
            return Ok((None, Some(tr(lang, Key::SetupSuperadminOnly))));
        }
        let id = conn.id;
        let before = ConnConfig::load(&self.rt.store, id).await?;
        config::set_plan(&self.rt.store, id, plan.as_str()).await?;
        if before.plan != plan {
            self.tell_plan(&conn, &before, plan).await?;
        }
        tracing::info!(
            connection = %id,
            plan = plan.as_str(),
            by = s.user,
            "plan set from the setup bot"
        );
        let conn = self.reload(id, conn).await?;
        let plan_name = tr(
            lang,
            match plan {
                Plan::Free => Key::PlanFree,
                Plan::Paid => Key::PlanPaid,
            },
        );
        screen(self.card(s, &conn).await?.under(&tr_args(
            lang,
            Key::SetupPlanSet,
            &Args::new().str("name", &conn.name).str("plan", plan_name),
        )))
    }

    /// Tells the connection's admins (explicit admin assignments) that a superadmin moved
    /// it to `plan`, and which parameters now apply differently.
    pub(in crate::setup) async fn tell_plan(
        &self,
        conn: &Connection,
        before: &ConnConfig,
        plan: Plan,
    ) -> Result<()> {
        let after = before.stored.effective(plan);
        let changes: Vec<String> = ParamName::ALL
            .into_iter()
            .filter_map(|p| {
                let (old, new) = (before.params.render(p), after.render(p));
                (old != new).then(|| format!("{} {old} → {new}", p.as_str()))
            })
            .collect();
        for (user, role) in before.roles.assignments() {
            if role != Role::Admin {
                continue;
            }
            let lang = self
                .rt
                .store
                .setups()
                .get(user)
                .await?
                .and_then(|s| s.language.as_deref().and_then(Lang::parse))
                .unwrap_or(before.lang);
            let plan_name = tr(
                lang,
                match plan {
                    Plan::Free => Key::PlanFree,
                    Plan::Paid => Key::PlanPaid,
                },
            );
            let args = Args::new().str("name", &conn.name).str("plan", plan_name);
            let text = if changes.is_empty() {
                tr_args(lang, Key::SetupAlertPlanNothing, &args)
            } else {
                tr_args(
                    lang,
                    Key::SetupAlertPlan,
                    &args.str("changes", changes.join("; ")),
                )
            };
            if let Err(e) = self.send_text(user.0, text).await {
                tracing::info!(
                    connection = %conn.id,
                    user = user.0,
                    "plan notice not sent: {e:#}"
                );
            }
        }
        Ok(())
    }

    /// Seals and stores a fresh API key for the connection.
    pub(in crate::setup) async fn issue_api_key(&self, id: ConnectionId) -> Result<()> {
        let key = self.rt.secrets().seal(&connect::new_api_key());
        self.rt.store.connections().set_api_key(id, &key).await?;
        Ok(())
    }

    pub(in crate::setup) async fn reload(
        &self,
        id: ConnectionId,
        fallback: Connection,
    ) -> Result<Connection> {
        Ok(self
            .rt
            .store
            .connections()
            .get(id)
            .await?
            .unwrap_or(fallback))
    }
}
