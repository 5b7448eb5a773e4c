//! Intake: long polling of the setup bot (the offset stored after each update, none after
//! six quiet days), sessions (language and flow, saved), and a private message routed to a
//! command (`/start`, `/language`, `/cancel`, `/help`) or to the flow's text input.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use serde_json::Value;

use hotline_core::UserId;
use hotline_i18n::{Key, Lang, tr};
use hotline_store::SetupSession;

use super::screens;
use super::{Flow, LAST_UPDATE_KEY, OFFSET_KEY, Session, SetupBot};
use crate::retry::Backoff;

impl SetupBot {
    pub(in crate::setup) async fn poll(self: &Arc<Self>) {
        let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(30));
        loop {
            let offset = match self.offset().await {
                Ok(v) => v,
                Err(e) => {
                    tracing::error!("setup bot: reading the offset failed: {e}");
                    if !backoff.wait(&self.cancel).await {
                        return;
                    }
                    continue;
                }
            };
            let fetched = tokio::select! {
                r = self.api.get_updates(offset, self.rt.settings.poll_timeout_s, &["message", "callback_query"]) => r,
                () = self.cancel.cancelled() => return,
            };
            match fetched {
                Ok(list) => {
                    backoff.reset();
                    if !list.is_empty()
                        && let Err(e) = self
                            .rt
                            .store
                            .kv()
                            .set(LAST_UPDATE_KEY, &self.now().to_string())
                            .await
                    {
                        tracing::error!("setup bot: storing the last update time failed: {e}");
                    }
                    for u in list {
                        let Some(id) = u.get("update_id").and_then(Value::as_i64) else {
                            continue;
                        };
                        if let Err(e) = self.on_update(&u).await {
                            tracing::error!(
                                update = id,
                                "setup bot: handling an update failed: {e:#}"
                            );
                        }
                        if let Err(e) = self
                            .rt
                            .store
                            .kv()
                            .set(OFFSET_KEY, &(id + 1).to_string())
                            .await
                        {
                            tracing::error!("setup bot: storing the offset failed: {e}");
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!("setup bot: getUpdates failed: {e}");
                    if !backoff.wait(&self.cancel).await {
                        return;
                    }
                }
            }
        }
    }

    /// The offset to poll with: the stored one, or none after six quiet days (Telegram
    /// restarts update ids at random after a week without updates; the offset stored after
    /// each update follows them wherever they restart).
    pub(in crate::setup) async fn offset(&self) -> Result<i64> {
        let stored = self
            .rt
            .store
            .kv()
            .get(OFFSET_KEY)
            .await?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0);
        let last = self
            .rt
            .store
            .kv()
            .get(LAST_UPDATE_KEY)
            .await?
            .and_then(|v| v.parse::<i64>().ok());
        let quiet = last.is_some_and(|t| self.now().saturating_sub(t) >= crate::runtime::QUIET_MS);
        Ok(if quiet { 0 } else { stored })
    }

    pub(in crate::setup) async fn session(
        &self,
        user: i64,
        telegram_lang: Option<&str>,
    ) -> Result<Session> {
        let stored = self.rt.store.setups().get(UserId(user)).await?;
        let chosen = stored
            .as_ref()
            .and_then(|s| s.language.as_deref())
            .and_then(Lang::parse);
        let flow = stored
            .as_ref()
            .and_then(|s| serde_json::from_str::<Flow>(&s.state).ok())
            .unwrap_or_default();
        Ok(Session {
            user,
            chosen,
            lang: chosen.unwrap_or_else(|| Lang::from_telegram(telegram_lang)),
            flow,
        })
    }

    pub(in crate::setup) async fn save(&self, s: &Session) -> Result<()> {
        let state = serde_json::to_string(&s.flow)?;
        self.rt
            .store
            .setups()
            .save(
                &SetupSession {
                    user_id: UserId(s.user),
                    language: s.chosen.map(|l| l.code().to_string()),
                    state,
                },
                self.now(),
            )
            .await?;
        Ok(())
    }

    /// Moves the session to `flow`, stopping a group watcher the new flow leaves behind.
    pub(in crate::setup) async fn set_flow(&self, s: &mut Session, flow: Flow) -> Result<()> {
        if matches!(s.flow, Flow::Group(_)) && !matches!(flow, Flow::Group(_)) {
            self.stop_watcher(s.user);
        }
        s.flow = flow;
        self.save(s).await
    }

    /// Back to the main screen: ends the flow, except a group link in progress (the admin
    /// may look at their connections while Telegram shows the picker in the other chat);
    /// Cancel, a new token or another flow ends that one.
    pub(in crate::setup) async fn leave_flow(&self, s: &mut Session) -> Result<()> {
        if matches!(s.flow, Flow::Group(_)) {
            return Ok(());
        }
        self.set_flow(s, Flow::Nothing).await
    }

    pub(in crate::setup) async fn on_update(self: &Arc<Self>, u: &Value) -> Result<()> {
        if let Some(m) = u.get("message") {
            return self.on_message(m).await;
        }
        if let Some(q) = u.get("callback_query") {
            return self.on_callback(q).await;
        }
        Ok(())
    }

    pub(in crate::setup) async fn on_message(self: &Arc<Self>, m: &Value) -> Result<()> {
        // Only private chats: the setup bot has nothing to say in groups.
        if m.pointer("/chat/type").and_then(Value::as_str) != Some("private") {
            return Ok(());
        }
        let result = self.on_private_message(m).await;
        if result.is_err()
            && let Some(user) = m.pointer("/from/id").and_then(Value::as_i64)
        {
            let lang =
                Lang::from_telegram(m.pointer("/from/language_code").and_then(Value::as_str));
            let _ = self.send_text(user, tr(lang, Key::SetupFailed)).await;
        }
        result
    }

    pub(in crate::setup) async fn on_private_message(self: &Arc<Self>, m: &Value) -> Result<()> {
        let Some(from) = m.get("from") else {
            return Ok(());
        };
        let Some(user) = from.get("id").and_then(Value::as_i64) else {
            return Ok(());
        };
        let chat = user;
        let mut s = self
            .session(user, from.get("language_code").and_then(Value::as_str))
            .await?;
        let text = m.get("text").and_then(Value::as_str).unwrap_or("").trim();
        let command = text
            .strip_prefix('/')
            .map(|c| c.split_whitespace().next().unwrap_or(""))
            .map(|c| {
                c.split_once('@')
                    .filter(|(_, bot)| bot.eq_ignore_ascii_case(&self.me.username))
                    .map_or(c, |(c, _)| c)
            });
        match command {
            Some("start") => {
                self.leave_flow(&mut s).await?;
                let screen = self.main_screen(&s).await?;
                return self.send(chat, &screen).await;
            }
            Some("language") => return self.send(chat, &screens::language(s.lang)).await,
            Some("cancel") => {
                self.set_flow(&mut s, Flow::Nothing).await?;
                let screen = self.main_screen(&s).await?;
                return self
                    .send(chat, &screen.under(&tr(s.lang, Key::SetupCancelled)))
                    .await;
            }
            Some("help") => return self.send(chat, &screens::help(s.lang)).await,
            _ => {}
        }
        match s.flow.clone() {
            Flow::Token => self.on_token(&mut s, m, text, from, false).await,
            Flow::BusinessToken => self.on_token(&mut s, m, text, from, true).await,
            Flow::Param { conn, param } => self.on_param_value(&mut s, conn, &param, m).await,
            Flow::Member { conn } => self.on_member(&mut s, conn, m, text).await,
            Flow::Template { conn, items } => {
                self.on_template_message(&mut s, conn, items, m).await
            }
            Flow::TemplateName { conn, items } => {
                self.on_template_name(&mut s, conn, items, text).await
            }
            Flow::TemplateRename { conn, template } => {
                self.on_template_rename(&mut s, conn, template, text).await
            }
            Flow::Group(p) => {
                let screen = match &p.business {
                    Some(b) if b.connection.is_none() => {
                        super::business_screens::connect(s.lang, &p.bot_username, false)
                    }
                    _ => screens::link_group(s.lang, &p.bot_username, &p.code, false),
                };
                self.send(chat, &screen).await
            }
            Flow::Nothing => self.send_text(chat, tr(s.lang, Key::SetupUnexpected)).await,
        }
    }
}
