//! Actions that name no connection: the main menu, the chat's language, starting a new
//! connection, cancelling a flow, and (superadmins) every connection.

use anyhow::Result;

use hotline_i18n::{Key, Lang, tr};

use crate::setup::dispatch::{Reply, screen};
use crate::setup::{Flow, Session, SetupBot, business_screens, screens};

impl SetupBot {
    pub(in crate::setup) async fn main_menu(&self, s: &mut Session) -> Result<Reply> {
        self.leave_flow(s).await?;
        screen(self.main_screen(s).await?)
    }

    pub(in crate::setup) fn language_menu(&self, s: &Session) -> Result<Reply> {
        screen(screens::language(s.lang))
    }

    pub(in crate::setup) async fn set_language(&self, s: &mut Session, l: Lang) -> Result<Reply> {
        s.chosen = Some(l);
        s.lang = l;
        self.save(s).await?;
        screen(
            self.main_screen(s)
                .await?
                .under(&tr(l, Key::SetupLanguageSet)),
        )
    }

    pub(in crate::setup) fn new_connection(&self, s: &Session) -> Result<Reply> {
        screen(screens::new_connection(s.lang))
    }

    pub(in crate::setup) fn new_account(&self, s: &Session) -> Result<Reply> {
        screen(business_screens::account_kinds(s.lang))
    }

    pub(in crate::setup) async fn new_business(&self, s: &mut Session) -> Result<Reply> {
        self.set_flow(s, Flow::BusinessToken).await?;
        screen(business_screens::ask_token(s.lang))
    }

    pub(in crate::setup) async fn new_bot(&self, s: &mut Session) -> Result<Reply> {
        self.set_flow(s, Flow::Token).await?;
        screen(screens::ask_token(s.lang))
    }

    pub(in crate::setup) async fn cancel_flow(&self, s: &mut Session) -> Result<Reply> {
        self.set_flow(s, Flow::Nothing).await?;
        screen(
            self.main_screen(s)
                .await?
                .under(&tr(s.lang, Key::SetupCancelled)),
        )
    }

    pub(in crate::setup) async fn all_connections(&self, s: &Session) -> Result<Reply> {
        if !self.superadmin(s.user) {
            return Ok((None, Some(tr(s.lang, Key::SetupSuperadminOnly))));
        }
        let all = self.rt.store.connections().all().await?;
        screen(screens::all_connections(s.lang, &self.views(&all)))
    }
}
