//! Text input in a flow: a bot token (deleted from the chat before any check), a
//! parameter's new value, a member to give a role (forwarded message, @username or id).

use std::sync::Arc;

use anyhow::Result;
use serde_json::Value;

use hotline_core::params::ParamName;
use hotline_core::{ChatId, ConnectionId, MessageId, UserId};
use hotline_i18n::{Args, Key, tr, tr_args};
use hotline_telegram::requests::{self};

use super::screens::{self};
use super::{Flow, Pending, PendingBusiness, Session, SetupBot, business_screens, link};
use crate::connect;

impl SetupBot {
    pub(in crate::setup) async fn on_token(
        self: &Arc<Self>,
        s: &mut Session,
        m: &Value,
        text: &str,
        from: &Value,
        business: bool,
    ) -> Result<()> {
        let chat = s.user;
        let lang = s.lang;
        let ask = |lang| {
            if business {
                business_screens::ask_token(lang)
            } else {
                screens::ask_token(lang)
            }
        };
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
        let api = self.rt.bot_api(text);
        let me = match connect::check_token(&self.rt.store, &api, text).await {
            // Its updates are the setup bot's own: it cannot be a frontend too.
            Ok(me) if me.id == self.me.id => {
                let screen = ask(lang).under(&tr(lang, Key::SetupTokenOwn));
                return self.send(chat, &screen).await;
            }
            Ok(me) if self.linking_elsewhere(s.user, me.id).await? => {
                let line = tr_args(
                    lang,
                    Key::SetupTokenLinking,
                    &Args::new().str("bot", &me.username),
                );
                let screen = ask(lang).under(&line);
                return self.send(chat, &screen).await;
            }
            // Without Business Mode no account can connect the bot.
            Ok(me) if business && !me.can_connect_to_business => {
                let screen = business_screens::mode_off(lang, &me.username);
                return self.send(chat, &screen).await;
            }
            Ok(me) => me,
            Err(e) => {
                let screen = ask(lang).under(&screens::connect_error(lang, &e, ""));
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
            business: business.then(PendingBusiness::default),
        };
        self.set_flow(s, Flow::Group(pending.clone())).await?;
        self.start_watcher(s.user, pending.clone());
        // A business frontend first waits for the account to connect the bot; the group
        // comes after.
        let screen = if business {
            business_screens::connect(lang, &pending.bot_username, token_deleted)
        } else {
            screens::link_group(lang, &pending.bot_username, &pending.code, token_deleted)
        };
        self.send(chat, &screen).await
    }

    /// Whether another admin is linking a group for this bot right now (two watchers would
    /// poll the same bot, and Telegram answers one of them with 409).
    pub(in crate::setup) async fn linking_elsewhere(&self, user: i64, bot_id: i64) -> Result<bool> {
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

    pub(in crate::setup) async fn on_param_value(
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

    pub(in crate::setup) async fn on_member(
        &self,
        s: &mut Session,
        conn: i64,
        m: &Value,
        text: &str,
    ) -> Result<()> {
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
