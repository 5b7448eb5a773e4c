//! Linking the backend group: while an admin chooses it, Hotline polls the new frontend bot
//! itself. The bot answers the admin's `/start CODE` with the chat picker (a reply keyboard
//! with `request_chat`: a forum, the bot's admin rights requested); the picker or the
//! `startgroup` deep link adds the bot to the group; each time the bot lands in a group
//! (`my_chat_member` from the admin, or the deep link's `/start@bot CODE`) the group is
//! checked, and the admin hears exactly what is missing or that the connection runs.
//!
//! Updates that are not part of linking (a customer writing early) are kept with the
//! session and handed to the new connection's inbox, so nothing is lost.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use hotline_core::{ChatId, UpdateId, UserId};
use hotline_i18n::{Args, Key, tr, tr_args};
use hotline_telegram::requests::{self, Markup};
use hotline_telegram::{BotApi, Me, TgError};

use hotline_telegram::business::Link;

use super::business_screens;
use super::screens::{self, PICKER_REQUEST_ID};
use super::{Flow, Pending, SetupBot};
use crate::connect::{self, ConnectError, GroupOk, Owner};
use crate::lock;
use crate::retry::Backoff;

/// What a business frontend's watcher asks for: linking, the connection, and the account's
/// messages (kept for the new connection).
const BUSINESS_KINDS: [&str; 6] = [
    "message",
    "my_chat_member",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
];

/// At most this many early updates are kept for the new connection.
const BACKLOG_MAX: usize = 500;

/// A fresh deep-link payload (`A-Za-z0-9`, well under Telegram's 64).
pub(super) fn new_code() -> String {
    format!("link{}", connect::random_alphanumeric(16))
}

/// What an update of the frontend bot means for linking.
#[derive(Debug, PartialEq)]
enum Seen {
    /// The admin pressed Start with our code: show the picker.
    Start,
    /// The admin shared a chat through the picker.
    Shared(i64),
    /// The bot was added to (or promoted in) a group by the admin.
    Joined(i64),
    /// The deep link's `/start@bot CODE` in a group.
    StartInGroup(i64),
    /// The admin's own account connected the bot through Telegram Business (or changed or
    /// ended that connection).
    Business(Value),
    /// Not about linking.
    Other,
}

fn classify(u: &Value, admin: i64, code: &str) -> Seen {
    if let Some(bc) = u.get("business_connection") {
        // Only the admin's own account: someone else connecting the bot to theirs is not
        // this setup (their chats would reach the admin's team).
        if bc.pointer("/user/id").and_then(Value::as_i64) == Some(admin) {
            return Seen::Business(bc.clone());
        }
        return Seen::Other;
    }
    if let Some(m) = u.get("message") {
        let from = m.pointer("/from/id").and_then(Value::as_i64);
        if from != Some(admin) {
            return Seen::Other;
        }
        let chat = m.pointer("/chat/id").and_then(Value::as_i64).unwrap_or(0);
        let kind = m.pointer("/chat/type").and_then(Value::as_str);
        if let Some(shared) = m.get("chat_shared") {
            if shared.get("request_id").and_then(Value::as_i64) == Some(PICKER_REQUEST_ID)
                && let Some(id) = shared.get("chat_id").and_then(Value::as_i64)
            {
                return Seen::Shared(id);
            }
            return Seen::Other;
        }
        let text = m.get("text").and_then(Value::as_str).unwrap_or("");
        let mut words = text.split_whitespace();
        let command = words.next().unwrap_or("");
        let payload = words.next();
        let is_start = command == "/start" || command.starts_with("/start@");
        if is_start && payload == Some(code) {
            return match kind {
                Some("private") => Seen::Start,
                Some("group" | "supergroup") => Seen::StartInGroup(chat),
                _ => Seen::Other,
            };
        }
        return Seen::Other;
    }
    if let Some(cm) = u.get("my_chat_member") {
        let from = cm.pointer("/from/id").and_then(Value::as_i64);
        let kind = cm.pointer("/chat/type").and_then(Value::as_str);
        let status = cm
            .pointer("/new_chat_member/status")
            .and_then(Value::as_str);
        if from == Some(admin)
            && matches!(kind, Some("group" | "supergroup"))
            && matches!(status, Some("administrator" | "member"))
            && let Some(chat) = cm.pointer("/chat/id").and_then(Value::as_i64)
        {
            return Seen::Joined(chat);
        }
    }
    Seen::Other
}

impl SetupBot {
    /// Restarts the watchers of admins who were choosing a group when the process stopped.
    pub(super) async fn resume_watchers(self: &Arc<Self>) {
        let sessions = match self
            .rt
            .store
            .setups()
            .containing(r#""await":"group""#)
            .await
        {
            Ok(s) => s,
            Err(e) => {
                tracing::error!("setup bot: cannot read sessions: {e}");
                return;
            }
        };
        for s in sessions {
            if let Ok(Flow::Group(p)) = serde_json::from_str::<Flow>(&s.state) {
                self.start_watcher(s.user_id.0, p);
            }
        }
    }

    pub(super) fn start_watcher(self: &Arc<Self>, user: i64, p: Pending) {
        let cancel = self.cancel.child_token();
        if let Some(old) = lock(&self.watchers).insert(user, cancel.clone()) {
            old.cancel();
        }
        let me = self.clone();
        self.rt.spawn(async move {
            if let Err(e) = me.watch(user, p, cancel).await {
                tracing::error!(user, "setup bot: linking a group failed: {e:#}");
            }
        });
    }

    pub(super) fn stop_watcher(&self, user: i64) {
        if let Some(t) = lock(&self.watchers).remove(&user) {
            t.cancel();
        }
    }

    async fn watch(
        self: Arc<Self>,
        user: i64,
        mut p: Pending,
        cancel: CancellationToken,
    ) -> Result<()> {
        let token = self
            .rt
            .secrets()
            .open(&p.token_enc)
            .context("cannot decrypt the pending bot token")?;
        let api = self.rt.bot_api(&token);
        // A webhook left by an earlier owner would make getUpdates fail with 409.
        if let Err(e) = api.send(&requests::delete_webhook()).await {
            tracing::warn!(
                user,
                "setup bot: deleteWebhook of @{} failed: {e}",
                p.bot_username
            );
        }
        let mut offset = 0i64;
        let mut joined: HashSet<i64> = HashSet::new();
        // Groups that arrived before the account connected the bot: checked once it has.
        let mut deferred: Vec<i64> = Vec::new();
        let kinds: &[&str] = if p.business.is_some() {
            &BUSINESS_KINDS
        } else {
            &["message", "my_chat_member"]
        };
        let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(30));
        loop {
            let fetched = tokio::select! {
                r = api.get_updates(offset, self.rt.settings.poll_timeout_s, kinds) => r,
                () = cancel.cancelled() => return Ok(()),
            };
            let list = match fetched {
                Ok(list) => {
                    backoff.reset();
                    list
                }
                Err(TgError::Unauthorized) => {
                    let mut s = self.session(user, p.admin_language.as_deref()).await?;
                    let lang = s.lang;
                    self.set_flow(&mut s, Flow::Nothing).await?;
                    let (screen, flow) = if p.business.is_some() {
                        (business_screens::ask_token(lang), Flow::BusinessToken)
                    } else {
                        (screens::ask_token(lang), Flow::Token)
                    };
                    let screen = screen.under(&tr(lang, Key::SetupTokenRejected));
                    self.set_flow(&mut s, flow).await?;
                    return self.send(user, &screen).await;
                }
                Err(e) => {
                    tracing::warn!(
                        user,
                        "setup bot: getUpdates of @{} failed: {e}",
                        p.bot_username
                    );
                    if !backoff.wait(&cancel).await {
                        return Ok(());
                    }
                    continue;
                }
            };
            let mut attempts: Vec<i64> = Vec::new();
            let backlog_before = p.backlog.len();
            let business_before = p.business.clone();
            let mut said: Vec<String> = Vec::new();
            for u in &list {
                let Some(id) = u.get("update_id").and_then(Value::as_i64) else {
                    continue;
                };
                offset = offset.max(id + 1);
                match classify(u, user, &p.code) {
                    Seen::Start => self.send_picker(&api, user, &p).await,
                    Seen::Shared(chat) => attempts.push(chat),
                    Seen::Joined(chat) => {
                        joined.insert(chat);
                        attempts.push(chat);
                    }
                    // The deep link also reports the join; check once.
                    Seen::StartInGroup(chat) if !joined.contains(&chat) => attempts.push(chat),
                    Seen::StartInGroup(_) => {}
                    Seen::Business(bc) => {
                        let lang = self.lang_of(user, &p).await;
                        if let Some(b) = p.business.as_mut() {
                            let link = Link::from_json(&bc);
                            match link {
                                Some(link) if link.enabled => {
                                    let first = b.connection.is_none();
                                    b.connection = Some(bc.to_string());
                                    if first {
                                        said.push(business_screens::connected(
                                            lang,
                                            &p.bot_username,
                                            &link,
                                        ));
                                        attempts.append(&mut deferred);
                                    }
                                }
                                Some(link) => {
                                    if b.connection.take().is_some() {
                                        said.push(business_screens::turned_off(
                                            lang,
                                            &p.bot_username,
                                            &link,
                                        ));
                                    }
                                }
                                None => tracing::warn!(
                                    user,
                                    "setup bot: a business_connection of @{} does not read",
                                    p.bot_username
                                ),
                            }
                        }
                    }
                    Seen::Other => {
                        if p.backlog.len() < BACKLOG_MAX {
                            p.backlog.push((id, u.to_string()));
                        } else {
                            tracing::warn!(
                                user,
                                "setup bot: an early update of @{} was dropped (backlog full)",
                                p.bot_username
                            );
                        }
                    }
                }
            }
            if p.backlog.len() != backlog_before || p.business != business_before {
                // Durable before the next getUpdates confirms these updates.
                let mut s = self.session(user, p.admin_language.as_deref()).await?;
                match &s.flow {
                    Flow::Group(current) if current.code == p.code => {
                        s.flow = Flow::Group(p.clone());
                        self.save(&s).await?;
                    }
                    _ => return Ok(()),
                }
            }
            for text in said {
                let screen = match &p.business {
                    // The group is already there: it is checked next.
                    Some(b) if b.connection.is_some() && !attempts.is_empty() => {
                        self.send_text(user, text).await?;
                        continue;
                    }
                    Some(b) if b.connection.is_some() => {
                        let lang = self.lang_of(user, &p).await;
                        screens::link_group(lang, &p.bot_username, &p.code, false).under(&text)
                    }
                    _ => {
                        let lang = self.lang_of(user, &p).await;
                        business_screens::connect(lang, &p.bot_username, false).under(&text)
                    }
                };
                self.send(user, &screen).await?;
            }
            attempts.dedup();
            // A business frontend links its group once the account connected the bot.
            if p.business.as_ref().is_some_and(|b| b.connection.is_none()) && !attempts.is_empty() {
                deferred.append(&mut attempts);
                deferred.dedup();
                let lang = self.lang_of(user, &p).await;
                self.send(
                    user,
                    &business_screens::connect_first(lang, &p.bot_username),
                )
                .await?;
            }
            for chat in attempts {
                match connect::check_group(&api, p.bot_id, chat).await {
                    Ok(group) => {
                        self.finish(user, &p, &token, &api, &group, offset).await?;
                        return Ok(());
                    }
                    Err(e) => {
                        let s = self.session(user, p.admin_language.as_deref()).await?;
                        let text = screens::connect_error(s.lang, &e, &p.bot_username);
                        let screen = screens::link_group(s.lang, &p.bot_username, &p.code, false)
                            .under(&text);
                        self.send(user, &screen).await?;
                    }
                }
            }
        }
    }

    /// The admin's language, for what the watcher says.
    async fn lang_of(&self, user: i64, p: &Pending) -> hotline_i18n::Lang {
        match self.session(user, p.admin_language.as_deref()).await {
            Ok(s) => s.lang,
            Err(_) => hotline_i18n::Lang::En,
        }
    }

    async fn send_picker(&self, api: &BotApi, user: i64, p: &Pending) {
        let lang = self.lang_of(user, p).await;
        let (text, markup) = screens::picker(lang);
        let r = requests::send_message(ChatId(user), &text).markup(&markup);
        if let Err(e) = api.send(&r).await {
            tracing::warn!(user, "setup bot: sending the group picker failed: {e}");
        }
    }

    /// The group passed: store the connection, hand it the early updates, start it, and
    /// tell the admin.
    async fn finish(
        &self,
        user: i64,
        p: &Pending,
        token: &str,
        api: &BotApi,
        group: &GroupOk,
        offset: i64,
    ) -> Result<()> {
        let mut s = self.session(user, p.admin_language.as_deref()).await?;
        let lang = s.lang;
        let me = Me {
            id: p.bot_id,
            username: p.bot_username.clone(),
            first_name: String::new(),
            can_join_groups: true,
            can_connect_to_business: p.business.is_some(),
        };
        let owner = Owner {
            plan: &self.rt.settings.default_plan,
            admin: Some(user),
        };
        let now = self.now();
        let store = &self.rt.store;
        let id = match connect::create_connection(
            store,
            self.rt.secrets(),
            &me,
            token,
            group,
            owner,
            now,
        )
        .await
        {
            Ok(id) => id,
            Err(e @ ConnectError::AlreadyConnected { .. }) => {
                self.set_flow(&mut s, Flow::Nothing).await?;
                return self
                    .send_text(user, screens::connect_error(lang, &e, &p.bot_username))
                    .await;
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(bc) = p.business.as_ref().and_then(|b| b.connection.as_ref()) {
            store
                .connections()
                .set_business(id, &bc.to_string())
                .await?;
        }
        crate::config::set_language(store, id, lang.code()).await?;
        let admin = hotline_store::Member {
            user_id: UserId(user),
            username: p.admin_username.clone(),
            first_name: p.admin_name.clone(),
        };
        store.members().seen(id, &admin, now).await?;
        if !p.backlog.is_empty() {
            let backlog: Vec<(UpdateId, String)> = p
                .backlog
                .iter()
                .map(|(u, b)| (UpdateId(*u), b.clone()))
                .collect();
            store.inbox().put(id, &backlog, now).await?;
        }
        store.connections().raise_update_offset(id, offset).await?;
        tracing::info!(connection = %id, bot = %p.bot_username, group = group.id, "connection created from the setup bot");
        // Take the picker keyboard away (the admin may not have started the bot when the
        // deep link was used: then there is nothing to remove).
        let done = tr_args(
            lang,
            Key::SetupPickerReceived,
            &Args::new().str("setup", &self.me.username),
        );
        if let Err(e) = api
            .send(&requests::send_message(ChatId(user), &done).markup(&Markup::RemoveKeyboard))
            .await
        {
            tracing::debug!(user, "setup bot: removing the picker keyboard failed: {e}");
        }
        self.set_flow(&mut s, Flow::Nothing).await?;
        self.rt.start_connection(id);
        let conn = store
            .connections()
            .get(id)
            .await?
            .context("the new connection vanished")?;
        let business = p
            .business
            .as_ref()
            .and_then(|b| b.connection.as_deref())
            .and_then(|j| serde_json::from_str::<Value>(j).ok())
            .and_then(|v| Link::from_json(&v));
        let connected = match &business {
            Some(link) => {
                business_screens::ready(lang, &p.bot_username, &group.title, link, !group.can_ban)
            }
            None => screens::connected(lang, &p.bot_username, &group.title, !group.can_ban),
        };
        let card = self.card(&s, &conn).await?.under(&connected);
        self.send(user, &card).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_are_valid_deep_link_payloads() {
        let a = new_code();
        assert!(a.len() <= 64);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(a, new_code());
    }

    #[test]
    fn only_the_admins_own_actions_count() {
        let code = "linkABC";
        let start = |from: i64, chat: Value, text: &str| json!({"update_id": 1, "message": {"message_id": 1, "from": {"id": from}, "chat": chat, "text": text}});
        let private = json!({"id": 7, "type": "private"});
        let group = json!({"id": -100, "type": "supergroup"});
        assert_eq!(
            classify(&start(7, private.clone(), "/start linkABC"), 7, code),
            Seen::Start
        );
        assert_eq!(
            classify(&start(8, private.clone(), "/start linkABC"), 7, code),
            Seen::Other
        );
        assert_eq!(
            classify(&start(7, private.clone(), "/start other"), 7, code),
            Seen::Other
        );
        assert_eq!(classify(&start(7, private, "hello"), 7, code), Seen::Other);
        assert_eq!(
            classify(&start(7, group.clone(), "/start@acme_bot linkABC"), 7, code),
            Seen::StartInGroup(-100)
        );
        let shared = json!({"update_id": 2, "message": {"message_id": 2, "from": {"id": 7}, "chat": {"id": 7, "type": "private"}, "chat_shared": {"request_id": PICKER_REQUEST_ID, "chat_id": -100}}});
        assert_eq!(classify(&shared, 7, code), Seen::Shared(-100));
        let joined = |from: i64, status: &str| json!({"update_id": 3, "my_chat_member": {"from": {"id": from}, "chat": group, "new_chat_member": {"status": status}}});
        assert_eq!(
            classify(&joined(7, "administrator"), 7, code),
            Seen::Joined(-100)
        );
        assert_eq!(classify(&joined(8, "administrator"), 7, code), Seen::Other);
        assert_eq!(classify(&joined(7, "left"), 7, code), Seen::Other);
    }
}
