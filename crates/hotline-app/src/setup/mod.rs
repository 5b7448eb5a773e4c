//! The setup bot: the instance's own bot, where admins connect frontends, link backend
//! groups, edit parameters and roles, and superadmins grant plans.
//!
//! - **Intake**: long polling of the setup bot; the offset is stored after each update is
//!   handled (`instance_kv.setup_offset`), so a restart resumes where it stopped.
//! - **Sessions**: each admin's language and place in a flow (awaiting a token, a group, a
//!   parameter value, a member) live in `setup_sessions`, so flows survive restarts.
//! - **Screens** ([`screens`]) are pure text + inline keyboard; callbacks are typed
//!   ([`callback::Cb`]) and every one naming a connection is authorized against the
//!   connection's roles before anything happens.
//! - **Linking a group** ([`link`]): while an admin is choosing the backend group, Hotline
//!   polls the new frontend bot itself: the chat picker (`request_chat`) is sent by that bot,
//!   and the `startgroup` deep link adds that bot to the group.
//!
//! Settings changes go through [`crate::config`]'s checked setters, the same ones the CLI
//! uses; the running connection picks them up through its settings counter.

pub mod callback;
mod link;
pub mod screens;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use hotline_core::params::{ParamName, Plan};
use hotline_core::roles::Role;
use hotline_core::{ChatId, ConnectionId, ConnectionStatus, MessageId, UserId};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_store::{Connection, SetupSession};
use hotline_telegram::requests::{self, Markup, Request};
use hotline_telegram::{BotApi, Me, TgError};

use crate::Runtime;
use crate::config::{self, ConnConfig};
use crate::connect;
use callback::Cb;
use screens::{ConnView, RoleEntry, Screen, Status};

/// Where an admin is in a flow (stored as JSON in `setup_sessions.state`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "await", rename_all = "snake_case")]
pub enum Flow {
    #[default]
    Nothing,
    /// A bot token.
    Token,
    /// The backend group of a bot whose token passed the checks.
    Group(Pending),
    /// A new value of `param` for connection `conn`.
    Param { conn: i64, param: String },
    /// A member to give a role in `conn`.
    Member { conn: i64 },
}

/// A frontend bot waiting for its backend group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub bot_id: i64,
    pub bot_username: String,
    /// Sealed with the instance key.
    pub token_enc: String,
    /// The deep-link payload that ties the frontend bot's `/start` to this admin.
    pub code: String,
    /// The admin's first name and username, for the roles screen.
    pub admin_name: String,
    pub admin_username: Option<String>,
    /// The admin's Telegram language, for messages sent while the watcher runs.
    #[serde(default)]
    pub admin_language: Option<String>,
    /// Updates of the frontend bot that were not about linking (update id, JSON): the new
    /// connection processes them.
    #[serde(default)]
    pub backlog: Vec<(i64, String)>,
}

/// One admin's session.
#[derive(Debug, Clone)]
struct Session {
    user: i64,
    /// Chosen with /language; `None`: the Telegram language applies.
    chosen: Option<Lang>,
    lang: Lang,
    flow: Flow,
}

/// The setup bot's service.
#[derive(Debug)]
pub struct SetupBot {
    rt: Arc<Runtime>,
    api: BotApi,
    me: Me,
    /// Group watchers by admin.
    watchers: Mutex<HashMap<i64, CancellationToken>>,
    cancel: CancellationToken,
}

const OFFSET_KEY: &str = "setup_offset";
/// When the setup bot's newest update came (unix ms).
const LAST_UPDATE_KEY: &str = "setup_last_update";

/// Runs the setup bot until `cancel`: retries getMe with backoff (Telegram down, token
/// revoked: logged, never fatal for the connections).
pub async fn run(rt: Arc<Runtime>, token: String, cancel: CancellationToken) {
    let api = BotApi::new(rt.http().clone(), &rt.settings.bot_api_url, &token);
    let mut backoff = Duration::from_millis(500);
    let me = loop {
        match api.get_me().await {
            Ok(me) => break me,
            Err(e) => {
                tracing::error!("setup bot: getMe failed: {e}; retrying in {backoff:?}");
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    () = cancel.cancelled() => return,
                }
                backoff = (backoff * 2).min(Duration::from_secs(60));
            }
        }
    };
    if let Err(e) = api.send(&requests::delete_webhook()).await {
        tracing::warn!("setup bot: deleteWebhook failed: {e}");
    }
    let bot = Arc::new(SetupBot {
        rt,
        api,
        me,
        watchers: Mutex::new(HashMap::new()),
        cancel,
    });
    tracing::info!(bot = %bot.me.username, "setup bot running");
    bot.resume_watchers().await;
    bot.poll().await;
}

impl SetupBot {
    async fn poll(self: &Arc<Self>) {
        let mut backoff = Duration::from_millis(200);
        loop {
            let offset = match self.offset().await {
                Ok(v) => v,
                Err(e) => {
                    tracing::error!("setup bot: reading the offset failed: {e}");
                    if self.pause(&mut backoff).await {
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
                    backoff = Duration::from_millis(200);
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
                    if self.pause(&mut backoff).await {
                        return;
                    }
                }
            }
        }
    }

    /// The offset to poll with: the stored one, or none after six quiet days (Telegram
    /// restarts update ids at random after a week without updates; the offset stored after
    /// each update follows them wherever they restart).
    async fn offset(&self) -> Result<i64> {
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

    /// Waits out a backoff step; `true` when cancelled meanwhile.
    async fn pause(&self, backoff: &mut Duration) -> bool {
        let d = *backoff;
        *backoff = (*backoff * 2).min(Duration::from_secs(30));
        tokio::select! {
            () = tokio::time::sleep(d) => false,
            () = self.cancel.cancelled() => true,
        }
    }

    fn superadmin(&self, user: i64) -> bool {
        self.rt.settings.superadmins.contains(&user)
    }

    fn now(&self) -> i64 {
        self.rt.clock().now_ms()
    }

    // ----- sessions ------------------------------------------------------------------------

    async fn session(&self, user: i64, telegram_lang: Option<&str>) -> Result<Session> {
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

    async fn save(&self, s: &Session) -> Result<()> {
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
    async fn set_flow(&self, s: &mut Session, flow: Flow) -> Result<()> {
        if matches!(s.flow, Flow::Group(_)) && !matches!(flow, Flow::Group(_)) {
            self.stop_watcher(s.user);
        }
        s.flow = flow;
        self.save(s).await
    }

    /// Back to the main screen: ends the flow, except a group link in progress (the admin
    /// may look at their connections while Telegram shows the picker in the other chat);
    /// Cancel, a new token or another flow ends that one.
    async fn leave_flow(&self, s: &mut Session) -> Result<()> {
        if matches!(s.flow, Flow::Group(_)) {
            return Ok(());
        }
        self.set_flow(s, Flow::Nothing).await
    }

    // ----- Telegram calls --------------------------------------------------------------------

    /// A Bot API call of the setup bot, waiting out a few 429s.
    async fn call(&self, r: &Request) -> Result<Value, TgError> {
        let mut tries = 0;
        loop {
            match self.api.send(r).await {
                Err(TgError::RetryAfter(s)) if tries < 3 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_secs(s.min(30))).await;
                }
                other => return other,
            }
        }
    }

    async fn send(&self, chat: i64, screen: &Screen) -> Result<()> {
        let mut r = requests::send_message(ChatId(chat), &screen.text).no_preview();
        if let Some(m) = screen.markup() {
            r = r.markup(&m);
        }
        self.call(&r).await?;
        Ok(())
    }

    async fn send_text(&self, chat: i64, text: String) -> Result<()> {
        self.send(
            chat,
            &Screen {
                text,
                keyboard: Vec::new(),
            },
        )
        .await
    }

    /// Shows `screen` in place of the message `message_id`; sends it anew when Telegram
    /// cannot edit that message any more.
    async fn show(&self, chat: i64, message_id: Option<i64>, screen: &Screen) -> Result<()> {
        let Some(message_id) = message_id else {
            return self.send(chat, screen).await;
        };
        let r = requests::edit_message_text(ChatId(chat), MessageId(message_id), &screen.text)
            .no_preview()
            .markup(&screen.markup().unwrap_or(Markup::Inline(Vec::new())));
        match self.call(&r).await {
            Ok(_) | Err(TgError::NotModified) => Ok(()),
            Err(TgError::MessageNotFound(_) | TgError::BadRequest(_)) => {
                self.send(chat, screen).await
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn answer(&self, callback_id: &str, alert: Option<String>) {
        let r = requests::answer_callback(callback_id, alert.as_deref());
        if let Err(e) = self.call(&r).await {
            tracing::debug!("setup bot: answerCallbackQuery failed: {e}");
        }
    }

    // ----- updates ---------------------------------------------------------------------------

    async fn on_update(self: &Arc<Self>, u: &Value) -> Result<()> {
        if let Some(m) = u.get("message") {
            return self.on_message(m).await;
        }
        if let Some(q) = u.get("callback_query") {
            return self.on_callback(q).await;
        }
        Ok(())
    }

    async fn on_message(self: &Arc<Self>, m: &Value) -> Result<()> {
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

    async fn on_private_message(self: &Arc<Self>, m: &Value) -> Result<()> {
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
            Flow::Token => self.on_token(&mut s, m, text, from).await,
            Flow::Param { conn, param } => self.on_param_value(&mut s, conn, &param, m).await,
            Flow::Member { conn } => self.on_member(&mut s, conn, m, text).await,
            Flow::Group(p) => {
                let screen = screens::link_group(s.lang, &p.bot_username, &p.code, false);
                self.send(chat, &screen).await
            }
            Flow::Nothing => self.send_text(chat, tr(s.lang, Key::SetupUnexpected)).await,
        }
    }

    async fn on_callback(self: &Arc<Self>, q: &Value) -> Result<()> {
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
    async fn authorize(&self, user: i64, id: i64) -> Result<Result<Connection, Key>> {
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

    /// Carries out a button press; returns the screen to show in place and an alert.
    async fn act(
        self: &Arc<Self>,
        s: &mut Session,
        cb: Cb,
        conn: Option<Connection>,
    ) -> Result<(Option<Screen>, Option<String>)> {
        let lang = s.lang;
        let Some(conn) = conn else {
            let screen = match cb {
                Cb::Main => {
                    self.leave_flow(s).await?;
                    self.main_screen(s).await?
                }
                Cb::Language => screens::language(lang),
                Cb::SetLanguage(l) => {
                    s.chosen = Some(l);
                    s.lang = l;
                    self.save(s).await?;
                    self.main_screen(s)
                        .await?
                        .under(&tr(l, Key::SetupLanguageSet))
                }
                Cb::New => screens::new_connection(lang),
                Cb::NewAccount => screens::account_unavailable(lang),
                Cb::NewBot => {
                    self.set_flow(s, Flow::Token).await?;
                    screens::ask_token(lang)
                }
                Cb::Cancel => {
                    self.set_flow(s, Flow::Nothing).await?;
                    self.main_screen(s)
                        .await?
                        .under(&tr(lang, Key::SetupCancelled))
                }
                Cb::All => {
                    if !self.superadmin(s.user) {
                        return Ok((None, Some(tr(lang, Key::SetupSuperadminOnly))));
                    }
                    let all = self.rt.store.connections().all().await?;
                    screens::all_connections(lang, &self.views(&all))
                }
                // Every other action names a connection.
                _ => return Ok((None, Some(tr(lang, Key::SetupStale)))),
            };
            return Ok((Some(screen), None));
        };
        let id = conn.id;
        let screen = match cb {
            Cb::Card(_) => {
                self.set_flow(s, Flow::Nothing).await?;
                self.card(s, &conn).await?
            }
            Cb::Params(_) => {
                self.set_flow(s, Flow::Nothing).await?;
                screens::params(lang, id.0, &conn.name)
            }
            Cb::Param(_, p) => {
                let flow = Flow::Param {
                    conn: id.0,
                    param: p.as_str().to_string(),
                };
                self.set_flow(s, flow).await?;
                let cfg = ConnConfig::from_rows(&conn, &self.rt.store.members().roles(id).await?)?;
                screens::param(lang, id.0, p, &cfg.stored.render(p))
            }
            Cb::ParamSet(_, p, on) => {
                let value = if on { "on" } else { "OFF" };
                self.apply_param(s, &conn, p, value).await?
            }
            Cb::Roles(_) => {
                self.set_flow(s, Flow::Nothing).await?;
                self.roles_screen(lang, &conn).await?
            }
            Cb::AddMember(_) => {
                self.set_flow(s, Flow::Member { conn: id.0 }).await?;
                screens::add_member(lang, id.0)
            }
            Cb::SetRole(_, user, role) => {
                let who = self.who(id, UserId(user)).await?;
                let line =
                    match config::set_role(&self.rt.store, id, UserId(user), Some(role.as_str()))
                        .await
                    {
                        Ok(_) => tr_args(
                            lang,
                            Key::SetupRoleSet,
                            &Args::new()
                                .str("who", &who)
                                .str("role", screens::role_name(lang, role)),
                        ),
                        Err(e) => self.explain(lang, &e)?,
                    };
                self.roles_screen(lang, &conn).await?.under(&line)
            }
            Cb::Revoke(_, user) => {
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
                self.roles_screen(lang, &conn).await?.under(&line)
            }
            Cb::DefaultRoleMenu(_) => screens::default_role(lang, id.0),
            Cb::DefaultRole(_, role) => {
                let line = match config::set_default_role(&self.rt.store, id, role.as_str()).await {
                    Ok(r) => tr_args(
                        lang,
                        Key::SetupDefaultRoleSet,
                        &Args::new().str("role", screens::role_name(lang, r)),
                    ),
                    Err(e) => self.explain(lang, &e)?,
                };
                self.roles_screen(lang, &conn).await?.under(&line)
            }
            Cb::TeamLanguage(_) => screens::team_language(lang, id.0),
            Cb::SetTeamLanguage(_, l) => {
                let line = match config::set_language(&self.rt.store, id, l.code()).await {
                    Ok(l) => tr_args(
                        lang,
                        Key::SetupTeamLanguageSet,
                        &Args::new().str("language", screens::language_name(l)),
                    ),
                    Err(e) => self.explain(lang, &e)?,
                };
                self.card(s, &conn).await?.under(&line)
            }
            Cb::Stop(_) => {
                self.rt.store.connections().set_enabled(id, false).await?;
                self.rt.stop_connection(id);
                self.rt
                    .store
                    .connections()
                    .set_status_keep_error(id, ConnectionStatus::Stopped)
                    .await?;
                let conn = self.reload(id, conn).await?;
                self.card(s, &conn)
                    .await?
                    .under(&tr(lang, Key::SetupStopped))
            }
            Cb::Start(_) => {
                self.rt.store.connections().set_enabled(id, true).await?;
                self.rt
                    .store
                    .connections()
                    .set_status(id, ConnectionStatus::Starting, None)
                    .await?;
                self.rt.start_connection(id);
                let conn = self.reload(id, conn).await?;
                self.card(s, &conn)
                    .await?
                    .under(&tr(lang, Key::SetupStarted))
            }
            Cb::ResetKey(_) => {
                self.issue_api_key(id).await?;
                let conn = self.reload(id, conn).await?;
                self.card(s, &conn)
                    .await?
                    .under(&tr(lang, Key::SetupKeyReset))
            }
            Cb::Delete(_) => screens::delete_confirm(lang, id.0, &conn.name),
            Cb::DeleteYes(_) => {
                self.rt.stop_connection(id);
                self.rt.store.connections().delete(id).await?;
                tracing::info!(
                    connection = %id,
                    by = s.user,
                    "connection deleted from the setup bot"
                );
                self.main_screen(s).await?.under(&tr_args(
                    lang,
                    Key::SetupDeleted,
                    &Args::new().str("name", &conn.name),
                ))
            }
            Cb::SetPlan(_, plan) => {
                if !self.superadmin(s.user) {
                    return Ok((None, Some(tr(lang, Key::SetupSuperadminOnly))));
                }
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
                self.card(s, &conn).await?.under(&tr_args(
                    lang,
                    Key::SetupPlanSet,
                    &Args::new().str("name", &conn.name).str("plan", plan_name),
                ))
            }
            Cb::Main
            | Cb::Language
            | Cb::SetLanguage(_)
            | Cb::New
            | Cb::NewBot
            | Cb::NewAccount
            | Cb::Cancel
            | Cb::All => return Ok((None, Some(tr(lang, Key::SetupStale)))),
        };
        Ok((Some(screen), None))
    }

    /// Tells the connection's admins (explicit admin assignments) that a superadmin moved
    /// it to `plan`, and which parameters now apply differently.
    async fn tell_plan(&self, conn: &Connection, before: &ConnConfig, plan: Plan) -> Result<()> {
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

    /// Sets a parameter from a button or a typed value: on success the flow ends and the
    /// parameter list comes back under the new value; on refusal the parameter's screen
    /// comes back under the reason (the admin may send another value).
    async fn apply_param(
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

    /// Seals and stores a fresh API key for the connection.
    async fn issue_api_key(&self, id: ConnectionId) -> Result<()> {
        let key = self.rt.secrets().seal(&connect::new_api_key());
        self.rt.store.connections().set_api_key(id, &key).await?;
        Ok(())
    }

    async fn reload(&self, id: ConnectionId, fallback: Connection) -> Result<Connection> {
        Ok(self
            .rt
            .store
            .connections()
            .get(id)
            .await?
            .unwrap_or(fallback))
    }

    /// A refused change in the admin's words; failures nobody can fix are errors (logged).
    fn explain(&self, lang: Lang, e: &config::ChangeError) -> Result<String> {
        screens::change_error(lang, e).ok_or_else(|| anyhow::anyhow!("settings change failed: {e}"))
    }

    // ----- screens with data -----------------------------------------------------------------

    fn views(&self, conns: &[Connection]) -> Vec<ConnView> {
        conns.iter().map(|c| self.view(c)).collect()
    }

    fn view(&self, c: &Connection) -> ConnView {
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
            api_key,
            plan: Plan::parse(&c.plan).unwrap_or(Plan::Free),
        }
    }

    async fn main_screen(&self, s: &Session) -> Result<Screen> {
        let mine = self.rt.store.connections().of_admin(UserId(s.user)).await?;
        Ok(screens::main(
            s.lang,
            &self.views(&mine),
            self.superadmin(s.user),
        ))
    }

    async fn card(&self, s: &Session, conn: &Connection) -> Result<Screen> {
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
    async fn who(&self, conn: ConnectionId, user: UserId) -> Result<String> {
        Ok(match self.rt.store.members().get(conn, user).await? {
            Some(m) => match m.username {
                Some(u) => format!("{} (@{u})", m.first_name),
                None => format!("{} ({user})", m.first_name),
            },
            None => format!("id {user}"),
        })
    }

    async fn roles_screen(&self, lang: Lang, conn: &Connection) -> Result<Screen> {
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

    // ----- text input --------------------------------------------------------------------------

    async fn on_token(
        self: &Arc<Self>,
        s: &mut Session,
        m: &Value,
        text: &str,
        from: &Value,
    ) -> Result<()> {
        let chat = s.user;
        let lang = s.lang;
        // Anything shaped like a token is a secret, whatever the checks below conclude
        // (revoked, already connected, the setup bot's own): out of the chat history first.
        let token_deleted = hotline_telegram::token_looks_valid(text)
            && match m.get("message_id").and_then(Value::as_i64) {
                Some(mid) => self
                    .call(&requests::delete_message(ChatId(chat), MessageId(mid)))
                    .await
                    .is_ok(),
                None => false,
            };
        let api = BotApi::new(self.rt.http().clone(), &self.rt.settings.bot_api_url, text);
        let me = match connect::check_token(&self.rt.store, &api, text).await {
            // Its updates are the setup bot's own: it cannot be a frontend too.
            Ok(me) if me.id == self.me.id => {
                let screen = screens::ask_token(lang).under(&tr(lang, Key::SetupTokenOwn));
                return self.send(chat, &screen).await;
            }
            Ok(me) if self.linking_elsewhere(s.user, me.id).await? => {
                let line = tr_args(
                    lang,
                    Key::SetupTokenLinking,
                    &Args::new().str("bot", &me.username),
                );
                let screen = screens::ask_token(lang).under(&line);
                return self.send(chat, &screen).await;
            }
            Ok(me) => me,
            Err(e) => {
                let screen = screens::ask_token(lang).under(&screens::connect_error(lang, &e, ""));
                return self.send(chat, &screen).await;
            }
        };
        let pending = Pending {
            bot_id: me.id,
            bot_username: me.username.clone(),
            token_enc: self.rt.secrets().seal(text),
            code: link::new_code(),
            admin_name: from
                .get("first_name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            admin_username: from
                .get("username")
                .and_then(Value::as_str)
                .map(str::to_string),
            admin_language: from
                .get("language_code")
                .and_then(Value::as_str)
                .map(str::to_string),
            backlog: Vec::new(),
        };
        self.set_flow(s, Flow::Group(pending.clone())).await?;
        self.start_watcher(s.user, pending.clone());
        let screen = screens::link_group(lang, &pending.bot_username, &pending.code, token_deleted);
        self.send(chat, &screen).await
    }

    /// Whether another admin is linking a group for this bot right now (two watchers would
    /// poll the same bot, and Telegram answers one of them with 409).
    async fn linking_elsewhere(&self, user: i64, bot_id: i64) -> Result<bool> {
        let sessions = self
            .rt
            .store
            .setups()
            .containing(&format!("\"bot_id\":{bot_id},"))
            .await?;
        Ok(sessions.iter().any(|other| {
            other.user_id != UserId(user)
                && matches!(
                    serde_json::from_str::<Flow>(&other.state),
                    Ok(Flow::Group(p)) if p.bot_id == bot_id
                )
        }))
    }

    async fn on_param_value(
        &self,
        s: &mut Session,
        conn: i64,
        param: &str,
        m: &Value,
    ) -> Result<()> {
        let lang = s.lang;
        let chat = s.user;
        let Some(name) = ParamName::parse(param) else {
            self.set_flow(s, Flow::Nothing).await?;
            return self.send_text(chat, tr(lang, Key::SetupStale)).await;
        };
        // The session may outlive the admin's rights (revoked meanwhile) or the connection.
        let c = match self.authorize(s.user, conn).await? {
            Ok(c) => c,
            Err(key) => {
                self.set_flow(s, Flow::Nothing).await?;
                return self.send_text(chat, tr(lang, key)).await;
            }
        };
        // WELCOME keeps the admin's formatting: Telegram's entities become HTML.
        let value = match (name, m.get("text").and_then(Value::as_str)) {
            (ParamName::Welcome, Some(text)) => {
                crate::format::entities_to_html(text, m.get("entities"))
            }
            (_, Some(text)) => text.to_string(),
            (_, None) => String::new(),
        };
        let screen = self.apply_param(s, &c, name, &value).await?;
        self.send(chat, &screen).await
    }

    async fn on_member(&self, s: &mut Session, conn: i64, m: &Value, text: &str) -> Result<()> {
        let lang = s.lang;
        let chat = s.user;
        if let Err(key) = self.authorize(s.user, conn).await? {
            self.set_flow(s, Flow::Nothing).await?;
            return self.send_text(chat, tr(lang, key)).await;
        }
        let again = |line: String| screens::add_member(lang, conn).under(&line);
        let user = if let Some(origin) = m.get("forward_origin") {
            match origin.get("type").and_then(Value::as_str) {
                Some("user") => origin
                    .pointer("/sender_user/id")
                    .and_then(Value::as_i64)
                    .map(UserId),
                Some("hidden_user") => {
                    return self
                        .send(chat, &again(tr(lang, Key::SetupMemberHidden)))
                        .await;
                }
                // Forwarded from a chat or a channel: not a person.
                _ => None,
            }
        } else if let Some(name) = text.strip_prefix('@') {
            match self
                .rt
                .store
                .members()
                .by_username(ConnectionId(conn), name)
                .await?
            {
                Some(member) => Some(member.user_id),
                None => {
                    let line = tr_args(
                        lang,
                        Key::SetupMemberUnknown,
                        &Args::new().str("username", name),
                    );
                    return self.send(chat, &again(line)).await;
                }
            }
        } else {
            text.parse::<i64>().ok().filter(|id| *id > 0).map(UserId)
        };
        let Some(user) = user else {
            return self.send(chat, &again(tr(lang, Key::SetupMemberBad))).await;
        };
        if let Some(u) = m.pointer("/forward_origin/sender_user") {
            // A forwarded message names the member: remember them for the roles screen.
            let member = hotline_store::Member {
                user_id: user,
                username: u
                    .get("username")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                first_name: u
                    .get("first_name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            };
            if self
                .rt
                .store
                .members()
                .get(ConnectionId(conn), user)
                .await?
                .is_none()
            {
                self.rt
                    .store
                    .members()
                    .seen(ConnectionId(conn), &member, self.now())
                    .await?;
            }
        }
        self.set_flow(s, Flow::Nothing).await?;
        let who = self.who(ConnectionId(conn), user).await?;
        self.send(chat, &screens::pick_role(lang, conn, user.0, &who))
            .await
    }
}
