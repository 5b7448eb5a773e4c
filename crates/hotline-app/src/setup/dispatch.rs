//! A button press: decode the callback data, authorize it against the connection it
//! names (before anything else happens), run the one action it asks for, show the screen,
//! answer the callback.

use std::sync::Arc;

use anyhow::Result;
use serde_json::Value;

use hotline_core::{ConnectionId, UserId};
use hotline_i18n::{Key, tr};
use hotline_store::Connection;

use super::callback::Cb;
use super::screens::Screen;
use super::{Session, SetupBot};
use crate::config::ConnConfig;

/// What an action leaves: the screen to show in place, and an alert for the callback.
pub(super) type Reply = (Option<Screen>, Option<String>);

impl SetupBot {
    pub(super) async fn on_callback(self: &Arc<Self>, q: &Value) -> Result<()> {
        let id = q.get("id").and_then(Value::as_str).unwrap_or_default();
        let Some(from) = q.get("from") else {
            return Ok(());
        };
        let user = from.get("id").and_then(Value::as_i64).unwrap_or_default();
        let mut s = self
            .session(user, from.get("language_code").and_then(Value::as_str))
            .await?;
        let message_id = q.pointer("/message/message_id").and_then(Value::as_i64);
        let chat = q
            .pointer("/message/chat/id")
            .and_then(Value::as_i64)
            .unwrap_or(user);
        let data = q.get("data").and_then(Value::as_str).unwrap_or_default();
        let Some(cb) = Cb::decode(data) else {
            self.answer(id, Some(tr(s.lang, Key::SetupStale))).await;
            return Ok(());
        };
        // Authorize before anything else happens.
        let conn = match cb.connection() {
            Some(c) => match self.authorize(user, c).await? {
                Ok(conn) => Some(conn),
                Err(key) => {
                    self.answer(id, Some(tr(s.lang, key))).await;
                    return Ok(());
                }
            },
            None => None,
        };
        // The screen first, then the answer: whoever waits for the answer (the admin's
        // spinner, a test) then sees the new screen.
        let result = match self.act(&mut s, cb, conn).await {
            Ok((screen, alert)) => match screen {
                Some(screen) => self.show(chat, message_id, &screen).await.map(|()| alert),
                None => Ok(alert),
            },
            Err(e) => Err(e),
        };
        match result {
            Ok(alert) => {
                self.answer(id, alert).await;
                Ok(())
            }
            Err(e) => {
                self.answer(id, Some(tr(s.lang, Key::SetupFailed))).await;
                Err(e)
            }
        }
    }

    /// The connection, if `user` may manage it: its explicitly assigned admins (the creator
    /// is one from the start) and superadmins. The default role never counts, whatever it
    /// is, and neither does EXTENSIONS_ALLOWED: a stranger who forges a button naming the
    /// connection gets a refusal and changes nothing.
    pub(super) async fn authorize(&self, user: i64, id: i64) -> Result<Result<Connection, Key>> {
        let id = ConnectionId(id);
        let Some(conn) = self.rt.store.connections().get(id).await? else {
            return Ok(Err(Key::SetupGone));
        };
        if self.superadmin(user) {
            return Ok(Ok(conn));
        }
        let roles = self.rt.store.members().roles(id).await?;
        let allowed = ConnConfig::from_rows(&conn, &roles)
            .map(|cfg| cfg.manages(user))
            .unwrap_or(conn.admin_user_id == Some(UserId(user)));
        Ok(if allowed {
            Ok(conn)
        } else {
            Err(Key::SetupNotYours)
        })
    }

    /// Carries out a button press: one action each. `conn` is the authorized connection a
    /// connection-scoped button names (`None` for the others).
    async fn act(&self, s: &mut Session, cb: Cb, conn: Option<Connection>) -> Result<Reply> {
        let Some(conn) = conn else {
            return match cb {
                Cb::Main => self.main_menu(s).await,
                Cb::Language => self.language_menu(s),
                Cb::SetLanguage(l) => self.set_language(s, l).await,
                Cb::New => self.new_connection(s),
                Cb::NewAccount => self.new_account(s),
                Cb::NewBusiness => self.new_business(s).await,
                Cb::NewBot => self.new_bot(s).await,
                Cb::Cancel => self.cancel_flow(s).await,
                Cb::All => self.all_connections(s).await,
                // Every other action names a connection.
                _ => Ok(self.stale(s)),
            };
        };
        match cb {
            Cb::Card(_) => self.show_card(s, &conn).await,
            Cb::Params(_) => self.show_params(s, &conn).await,
            Cb::Param(_, p) => self.ask_param(s, &conn, p).await,
            Cb::ParamSet(_, p, on) => self.switch_param(s, &conn, p, on).await,
            Cb::Roles(_) => self.show_roles(s, &conn).await,
            Cb::AddMember(_) => self.ask_member(s, &conn).await,
            Cb::SetRole(_, user, role) => self.assign_role(s, &conn, user, role).await,
            Cb::Revoke(_, user) => self.revoke_role(s, &conn, user).await,
            Cb::DefaultRoleMenu(_) => self.default_role_menu(s, &conn),
            Cb::DefaultRole(_, role) => self.set_default_role(s, &conn, role).await,
            Cb::TeamLanguage(_) => self.team_language_menu(s, &conn),
            Cb::SetTeamLanguage(_, l) => self.set_team_language(s, &conn, l).await,
            Cb::Stop(_) => self.stop(s, conn).await,
            Cb::Start(_) => self.start(s, conn).await,
            Cb::ResetKey(_) => self.reset_key(s, conn).await,
            Cb::Delete(_) => self.confirm_delete(s, &conn),
            Cb::DeleteYes(_) => self.delete(s, &conn).await,
            Cb::SetPlan(_, plan) => self.set_plan(s, conn, plan).await,
            Cb::Templates(_) => self.show_templates(s, &conn).await,
            Cb::Template(_, t) => self.show_template(s, &conn, t).await,
            Cb::TemplateNew(_) => self.new_template(s, &conn).await,
            Cb::TemplateSave(_) => self.save_template(s, &conn).await,
            Cb::TemplatePreview(_, t) => self.preview_template(s, &conn, t).await,
            Cb::TemplateRename(_, t) => self.rename_template(s, &conn, t).await,
            Cb::TemplateDelete(_, t) => self.delete_template(s, &conn, t).await,
            Cb::TemplateDeleteYes(_, t) => self.delete_template_yes(s, &conn, t).await,
            Cb::Main
            | Cb::Language
            | Cb::SetLanguage(_)
            | Cb::New
            | Cb::NewBot
            | Cb::NewAccount
            | Cb::NewBusiness
            | Cb::Cancel
            | Cb::All => Ok(self.stale(s)),
        }
    }

    /// A button from an older screen that no longer applies.
    fn stale(&self, s: &Session) -> Reply {
        (None, Some(tr(s.lang, Key::SetupStale)))
    }
}

/// A screen to show, without an alert.
pub(super) fn screen(screen: Screen) -> Result<Reply> {
    Ok((Some(screen), None))
}
