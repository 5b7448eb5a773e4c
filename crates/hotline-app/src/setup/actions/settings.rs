//! Actions on a connection's settings: its parameters (one asked for in a flow, a switch
//! set at once) and its roles (the members' roles, adding a member, the default role).

use anyhow::Result;

use hotline_core::UserId;
use hotline_core::params::ParamName;
use hotline_core::roles::Role;
use hotline_i18n::{Args, Key, Lang, tr_args};
use hotline_store::Connection;

use crate::config::{self, ConnConfig};
use crate::setup::dispatch::{Reply, screen};
use crate::setup::screens::Screen;
use crate::setup::{Flow, Session, SetupBot, screens};

impl SetupBot {
    pub(in crate::setup) async fn show_params(
        &self,
        s: &mut Session,
        conn: &Connection,
    ) -> Result<Reply> {
        self.set_flow(s, Flow::Nothing).await?;
        screen(screens::params(s.lang, conn.id.0, &conn.name))
    }

    pub(in crate::setup) async fn ask_param(
        &self,
        s: &mut Session,
        conn: &Connection,
        p: ParamName,
    ) -> Result<Reply> {
        let flow = Flow::Param {
            conn: conn.id.0,
            param: p.as_str().to_string(),
        };
        self.set_flow(s, flow).await?;
        let cfg = ConnConfig::from_rows(conn, &self.rt.store.members().roles(conn.id).await?)?;
        screen(screens::param(s.lang, conn.id.0, p, &cfg.stored.render(p)))
    }

    pub(in crate::setup) async fn switch_param(
        &self,
        s: &mut Session,
        conn: &Connection,
        p: ParamName,
        on: bool,
    ) -> Result<Reply> {
        let value = if on { "on" } else { "OFF" };
        screen(self.apply_param(s, conn, p, value).await?)
    }

    pub(in crate::setup) async fn show_roles(
        &self,
        s: &mut Session,
        conn: &Connection,
    ) -> Result<Reply> {
        self.set_flow(s, Flow::Nothing).await?;
        screen(self.roles_screen(s.lang, conn).await?)
    }

    pub(in crate::setup) async fn ask_member(
        &self,
        s: &mut Session,
        conn: &Connection,
    ) -> Result<Reply> {
        self.set_flow(s, Flow::Member { conn: conn.id.0 }).await?;
        screen(screens::add_member(s.lang, conn.id.0))
    }

    pub(in crate::setup) async fn assign_role(
        &self,
        s: &Session,
        conn: &Connection,
        user: i64,
        role: Role,
    ) -> Result<Reply> {
        let lang = s.lang;
        let id = conn.id;
        let who = self.who(id, UserId(user)).await?;
        let line =
            match config::set_role(&self.rt.store, id, UserId(user), Some(role.as_str())).await {
                Ok(_) => tr_args(
                    lang,
                    Key::SetupRoleSet,
                    &Args::new()
                        .str("who", &who)
                        .str("role", screens::role_name(lang, role)),
                ),
                Err(e) => self.explain(lang, &e)?,
            };
        screen(self.roles_screen(lang, conn).await?.under(&line))
    }

    pub(in crate::setup) async fn revoke_role(
        &self,
        s: &Session,
        conn: &Connection,
        user: i64,
    ) -> Result<Reply> {
        let lang = s.lang;
        let id = conn.id;
        let who = self.who(id, UserId(user)).await?;
        let line = match config::set_role(&self.rt.store, id, UserId(user), None).await {
            Ok(_) => {
                let cfg = ConnConfig::load(&self.rt.store, id).await?;
                tr_args(
                    lang,
                    Key::SetupRoleRevoked,
                    &Args::new()
                        .str("who", &who)
                        .str("default", screens::role_name(lang, cfg.role_of(user))),
                )
            }
            Err(e) => self.explain(lang, &e)?,
        };
        screen(self.roles_screen(lang, conn).await?.under(&line))
    }

    pub(in crate::setup) fn default_role_menu(
        &self,
        s: &Session,
        conn: &Connection,
    ) -> Result<Reply> {
        screen(screens::default_role(s.lang, conn.id.0))
    }

    pub(in crate::setup) async fn set_default_role(
        &self,
        s: &Session,
        conn: &Connection,
        role: Role,
    ) -> Result<Reply> {
        let lang = s.lang;
        let line = match config::set_default_role(&self.rt.store, conn.id, role.as_str()).await {
            Ok(r) => tr_args(
                lang,
                Key::SetupDefaultRoleSet,
                &Args::new().str("role", screens::role_name(lang, r)),
            ),
            Err(e) => self.explain(lang, &e)?,
        };
        screen(self.roles_screen(lang, conn).await?.under(&line))
    }

    /// Sets a parameter from a button or a typed value: on success the flow ends and the
    /// parameter list comes back under the new value; on refusal the parameter's screen
    /// comes back under the reason (the admin may send another value).
    pub(in crate::setup) async fn apply_param(
        &self,
        s: &mut Session,
        conn: &Connection,
        name: ParamName,
        value: &str,
    ) -> Result<Screen> {
        let lang = s.lang;
        Ok(
            match config::set_param(&self.rt.store, conn.id, name.as_str(), value).await {
                Ok(v) => {
                    self.set_flow(s, Flow::Nothing).await?;
                    screens::params(lang, conn.id.0, &conn.name)
                        .under(&screens::param_changed(lang, name, &v))
                }
                Err(e) => {
                    let why = self.explain(lang, &e)?;
                    let cfg = ConnConfig::load(&self.rt.store, conn.id).await?;
                    screens::param(lang, conn.id.0, name, &cfg.stored.render(name)).under(&why)
                }
            },
        )
    }

    /// A refused change in the admin's words; failures nobody can fix are errors (logged).
    pub(in crate::setup) fn explain(&self, lang: Lang, e: &config::ChangeError) -> Result<String> {
        screens::change_error(lang, e).ok_or_else(|| anyhow::anyhow!("settings change failed: {e}"))
    }
}
