//! The Templates screens' actions and the messages typed in their flows: list, show,
//! preview (the chain sent into the admin's chat by the setup bot), rename, delete, and a
//! new template recorded from the messages the admin sends, then named.
//!
//! A file the admin sends belongs to the setup bot; on Save it is carried to the frontend
//! bot ([`hotline_telegram::carry`]), which posts the template into the backend group's
//! General — the team sees what was saved — and keeps its own file ids. A preview carries
//! them back the other way.

use anyhow::Result;
use serde_json::Value;

use hotline_core::ChatId;
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Connection, Template};
use hotline_telegram::carry::carry;
use hotline_telegram::requests;
use hotline_telegram::resend::{self, keep};

use crate::setup::dispatch::{Reply, screen};
use crate::setup::template_screens::{self as ts, TemplateView};
use crate::setup::{Flow, Session, SetupBot};
use crate::templates::{MAX_ITEMS, bad_name, check_template_name, items};

fn view(t: &Template) -> TemplateView {
    let items = items(t);
    TemplateView {
        id: t.id,
        name: t.name.clone(),
        count: items.len(),
        begins: items
            .iter()
            .map(resend::text)
            .find(|x| !x.is_empty())
            .unwrap_or("")
            .to_string(),
    }
}

impl SetupBot {
    fn frontend(&self, conn: &Connection) -> Result<hotline_telegram::BotApi> {
        let token = self.rt.secrets().open(&conn.token_enc)?;
        Ok(self.rt.bot_api(&token))
    }

    async fn templates_screen(
        &self,
        lang: Lang,
        conn: &Connection,
    ) -> Result<crate::setup::screens::Screen> {
        let all = self.rt.store.templates().list(conn.id).await?;
        let views: Vec<TemplateView> = all.iter().map(view).collect();
        Ok(ts::list(lang, conn.id.0, &conn.name, &views))
    }

    pub(in crate::setup) async fn show_templates(
        &self,
        s: &mut Session,
        conn: &Connection,
    ) -> Result<Reply> {
        self.set_flow(s, Flow::Nothing).await?;
        screen(self.templates_screen(s.lang, conn).await?)
    }

    pub(in crate::setup) async fn show_template(
        &self,
        s: &mut Session,
        conn: &Connection,
        t: i64,
    ) -> Result<Reply> {
        self.set_flow(s, Flow::Nothing).await?;
        match self.rt.store.templates().get(conn.id, t).await? {
            Some(t) => screen(ts::one(s.lang, conn.id.0, &view(&t))),
            None => Ok((None, Some(tr(s.lang, Key::SetupTemplateGone)))),
        }
    }

    pub(in crate::setup) async fn new_template(
        &self,
        s: &mut Session,
        conn: &Connection,
    ) -> Result<Reply> {
        self.set_flow(
            s,
            Flow::Template {
                conn: conn.id.0,
                items: Vec::new(),
            },
        )
        .await?;
        screen(ts::record(s.lang, conn.id.0, MAX_ITEMS))
    }

    pub(in crate::setup) async fn save_template(
        &self,
        s: &mut Session,
        conn: &Connection,
    ) -> Result<Reply> {
        match s.flow.clone() {
            Flow::Template { conn: c, items } if c == conn.id.0 && !items.is_empty() => {
                self.set_flow(s, Flow::TemplateName { conn: c, items })
                    .await?;
                screen(ts::ask_name(s.lang, c))
            }
            Flow::Template { conn: c, .. } if c == conn.id.0 => {
                Ok((None, Some(tr(s.lang, Key::SetupTemplateEmpty))))
            }
            _ => Ok((None, Some(tr(s.lang, Key::SetupStale)))),
        }
    }

    /// The template's messages in the admin's chat, then its screen again under them.
    pub(in crate::setup) async fn preview_template(
        &self,
        s: &mut Session,
        conn: &Connection,
        t: i64,
    ) -> Result<Reply> {
        let lang = s.lang;
        let Some(t) = self.rt.store.templates().get(conn.id, t).await? else {
            return Ok((None, Some(tr(lang, Key::SetupTemplateGone))));
        };
        let frontend = self.frontend(conn)?;
        if let Err(e) = carry(&frontend, &self.api, &items(&t), ChatId(s.user)).await {
            let line = tr_args(
                lang,
                Key::SetupTemplatePreviewFailed,
                &Args::new().str("error", e.to_string()),
            );
            return Ok((None, Some(line)));
        }
        self.send(s.user, &ts::one(lang, conn.id.0, &view(&t)))
            .await?;
        Ok((None, None))
    }

    pub(in crate::setup) async fn rename_template(
        &self,
        s: &mut Session,
        conn: &Connection,
        t: i64,
    ) -> Result<Reply> {
        let Some(t) = self.rt.store.templates().get(conn.id, t).await? else {
            return Ok((None, Some(tr(s.lang, Key::SetupTemplateGone))));
        };
        self.set_flow(
            s,
            Flow::TemplateRename {
                conn: conn.id.0,
                template: t.id,
            },
        )
        .await?;
        screen(ts::ask_rename(s.lang, conn.id.0, t.id, &t.name))
    }

    pub(in crate::setup) async fn delete_template(
        &self,
        s: &mut Session,
        conn: &Connection,
        t: i64,
    ) -> Result<Reply> {
        match self.rt.store.templates().get(conn.id, t).await? {
            Some(t) => screen(ts::delete_confirm(s.lang, conn.id.0, t.id, &t.name)),
            None => Ok((None, Some(tr(s.lang, Key::SetupTemplateGone)))),
        }
    }

    pub(in crate::setup) async fn delete_template_yes(
        &self,
        s: &mut Session,
        conn: &Connection,
        t: i64,
    ) -> Result<Reply> {
        let lang = s.lang;
        let Some(t) = self.rt.store.templates().get(conn.id, t).await? else {
            return Ok((None, Some(tr(lang, Key::SetupTemplateGone))));
        };
        self.rt.store.templates().delete(conn.id, t.id).await?;
        let line = tr_args(
            lang,
            Key::TemplateDeleted,
            &Args::new().str("name", &t.name),
        );
        screen(self.templates_screen(lang, conn).await?.under(&line))
    }

    /// A message for the template being recorded.
    pub(in crate::setup) async fn on_template_message(
        &self,
        s: &mut Session,
        conn: i64,
        mut recorded: Vec<Value>,
        m: &Value,
    ) -> Result<()> {
        let (lang, chat) = (s.lang, s.user);
        if let Err(key) = self.authorize(s.user, conn).await? {
            self.set_flow(s, Flow::Nothing).await?;
            return self.send_text(chat, tr(lang, key)).await;
        }
        if recorded.len() >= MAX_ITEMS {
            return self.send(chat, &ts::full(lang, conn, MAX_ITEMS)).await;
        }
        let item = match keep(m) {
            Ok(item) => item,
            Err(_) => {
                let screen =
                    ts::got(lang, conn, recorded.len()).under(&tr(lang, Key::TemplateUnsupported));
                return self.send(chat, &screen).await;
            }
        };
        // An album comes as one message per item: one answer for all of them.
        let same_album = resend::album(&item).is_some()
            && recorded.last().and_then(resend::album) == resend::album(&item);
        recorded.push(item);
        let count = recorded.len();
        self.set_flow(
            s,
            Flow::Template {
                conn,
                items: recorded,
            },
        )
        .await?;
        if same_album {
            return Ok(());
        }
        self.send(chat, &ts::got(lang, conn, count)).await
    }

    /// The name of the recorded template: its files carried to the frontend bot (posted in
    /// General), then saved.
    pub(in crate::setup) async fn on_template_name(
        &self,
        s: &mut Session,
        conn: i64,
        recorded: Vec<Value>,
        text: &str,
    ) -> Result<()> {
        let (lang, chat) = (s.lang, s.user);
        let c = match self.authorize(s.user, conn).await? {
            Ok(c) => c,
            Err(key) => {
                self.set_flow(s, Flow::Nothing).await?;
                return self.send_text(chat, tr(lang, key)).await;
            }
        };
        let again = |line: String| ts::ask_name(lang, conn).under(&line);
        let name = match check_template_name(text) {
            Ok(n) => n.to_string(),
            Err(_) => return self.send(chat, &again(bad_name(lang, text))).await,
        };
        let exists = || tr_args(lang, Key::TemplateExists, &Args::new().str("name", &name));
        if self
            .rt
            .store
            .templates()
            .by_name(c.id, &name)
            .await?
            .is_some()
        {
            return self.send(chat, &again(exists())).await;
        }
        let team = Lang::parse(&c.language).unwrap_or(Lang::En);
        let count = recorded.len() as i64;
        let saved_line = |l: Lang| {
            tr_args(
                l,
                Key::TemplateSaved,
                &Args::new().str("name", &name).num("count", count),
            )
        };
        let kept = if recorded.iter().any(|i| i.get("file_id").is_some()) {
            let frontend = self.frontend(&c)?;
            match carry(&self.api, &frontend, &recorded, c.group_chat_id).await {
                Ok(kept) => {
                    // Under the copies in General: what they are.
                    let _ = frontend
                        .send(&requests::send_message(c.group_chat_id, &saved_line(team)))
                        .await;
                    kept
                }
                Err(e) => {
                    let line = tr_args(
                        lang,
                        Key::SetupTemplateCarryFailed,
                        &Args::new().str("error", e.to_string()),
                    );
                    return self.send(chat, &again(line)).await;
                }
            }
        } else {
            recorded
        };
        let json = serde_json::to_string(&kept)?;
        if self
            .rt
            .store
            .templates()
            .create(c.id, &name, &json, s.user, self.now())
            .await?
            .is_none()
        {
            return self.send(chat, &again(exists())).await;
        }
        self.set_flow(s, Flow::Nothing).await?;
        let screen = self
            .templates_screen(lang, &c)
            .await?
            .under(&saved_line(lang));
        self.send(chat, &screen).await
    }

    /// A new name for a template.
    pub(in crate::setup) async fn on_template_rename(
        &self,
        s: &mut Session,
        conn: i64,
        template: i64,
        text: &str,
    ) -> Result<()> {
        let (lang, chat) = (s.lang, s.user);
        let c = match self.authorize(s.user, conn).await? {
            Ok(c) => c,
            Err(key) => {
                self.set_flow(s, Flow::Nothing).await?;
                return self.send_text(chat, tr(lang, key)).await;
            }
        };
        let Some(t) = self.rt.store.templates().get(c.id, template).await? else {
            self.set_flow(s, Flow::Nothing).await?;
            return self.send_text(chat, tr(lang, Key::SetupTemplateGone)).await;
        };
        let again = |line: String| ts::ask_rename(lang, conn, t.id, &t.name).under(&line);
        let name = match check_template_name(text) {
            Ok(n) => n.to_string(),
            Err(_) => return self.send(chat, &again(bad_name(lang, text))).await,
        };
        if !self.rt.store.templates().rename(c.id, t.id, &name).await? {
            let line = tr_args(lang, Key::TemplateExists, &Args::new().str("name", &name));
            return self.send(chat, &again(line)).await;
        }
        self.set_flow(s, Flow::Nothing).await?;
        let line = tr_args(lang, Key::TemplateRenamed, &Args::new().str("name", &name));
        let renamed = Template { name, ..t };
        self.send(chat, &ts::one(lang, conn, &view(&renamed)).under(&line))
            .await
    }
}
