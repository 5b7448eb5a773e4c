//! hotline-testkit: a readable scenario DSL over tgsim.
//!
//! [`World::start`] runs tgsim in-process on a loopback port; people ([`Person`]), bots
//! ([`Bot`]) and chats ([`Group`]) are thin handles that talk to it over real HTTP — the
//! control API to act as people, the Bot API to act as bots. Waiting is done by tgsim's
//! long-polling `wait` endpoint, never by sleeping.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use hotline_testkit::World;
//! let world = World::start().await?;
//! let alice = world.user("Alice").await?;
//! let bot = world.bot("support_bot").await?;
//! alice.start(&bot).await?;
//! alice.says(&bot, "hello").await?;
//! let updates = bot.updates().await?;
//! assert_eq!(updates[1]["message"]["text"], "hello");
//! # Ok(()) }
//! ```

pub mod check;
pub mod helpdesk;
pub mod instance;

use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use tgsim::{Config, TgSim};

/// A Bot API error as a client sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct BotError {
    pub status: u16,
    pub code: i64,
    pub description: String,
    pub parameters: Option<Value>,
}

impl std::fmt::Display for BotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.description)
    }
}

impl std::error::Error for BotError {}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base: String,
}

impl Inner {
    async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        let url = format!("{}/control{path}", self.base);
        let mut req = self.http.request(method, &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req
            .send()
            .await
            .with_context(|| format!("control {path}"))?;
        let status = resp.status();
        let v: Value = resp
            .json()
            .await
            .with_context(|| format!("control {path}: body"))?;
        if v["ok"] == true {
            Ok(v["result"].clone())
        } else {
            bail!(
                "control {path} failed ({status}): {}",
                v["error"].as_str().unwrap_or("?")
            )
        }
    }
}

/// One emulated Telegram, running in this process.
#[derive(Debug, Clone)]
pub struct World {
    inner: Arc<Inner>,
    /// The emulator itself, for direct inspection.
    pub sim: Arc<tgsim::Sim>,
    pub addr: std::net::SocketAddr,
}

impl World {
    /// tgsim with default settings (strict parameters, no flood limits).
    pub async fn start() -> Result<Self> {
        Self::start_with(Config::default()).await
    }

    pub async fn start_with(config: Config) -> Result<Self> {
        let tg = TgSim::start(config).await?;
        // The server task lives as long as the test's runtime.
        Self::on(&tg)
    }

    /// The world of an emulator the test holds (to stop it and start another on the same
    /// address: Telegram going away and coming back).
    pub fn on(tg: &TgSim) -> Result<Self> {
        let inner = Arc::new(Inner {
            http: reqwest::Client::builder().no_proxy().build()?,
            base: tg.base_url(),
        });
        Ok(World {
            inner,
            sim: tg.sim.clone(),
            addr: tg.addr,
        })
    }

    /// `http://127.0.0.1:port`: Bot API at `{base}/bot{token}/{method}`.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub async fn control_get(&self, path: &str) -> Result<Value> {
        self.inner.control(reqwest::Method::GET, path, None).await
    }

    pub async fn control_post(&self, path: &str, body: Value) -> Result<Value> {
        self.inner
            .control(reqwest::Method::POST, path, Some(body))
            .await
    }

    pub async fn control_delete(&self, path: &str) -> Result<Value> {
        self.inner
            .control(reqwest::Method::DELETE, path, None)
            .await
    }

    /// Waits until what `viewer` sees in `chat` (one topic with `thread`) satisfies `done`;
    /// returns it. Any change in the world wakes the check (edits included); no sleeps.
    pub async fn until(
        &self,
        viewer: i64,
        chat: i64,
        thread: Option<i64>,
        done: impl Fn(&[Value]) -> bool,
    ) -> Result<Vec<Value>> {
        let thread_q = thread.map(|t| format!("&thread={t}")).unwrap_or_default();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let now = self
                .control_get(&format!("/timeline?as={viewer}&chat={chat}{thread_q}"))
                .await?;
            let items = now.as_array().cloned().unwrap_or_default();
            if done(&items) {
                return Ok(items);
            }
            if std::time::Instant::now() > deadline {
                bail!("timed out waiting on chat {chat}: {items:#?}");
            }
            let _ = self
                .control_get(&format!(
                    "/wait?as={viewer}&chat={chat}{thread_q}&count={}&timeout_ms=100",
                    items.len() + 1
                ))
                .await;
        }
    }

    /// A new user with this first name.
    pub async fn user(&self, first_name: &str) -> Result<Person> {
        self.user_with(json!({ "first_name": first_name })).await
    }

    /// A new user from a full spec (`first_name`, `last_name`, `username`, `language_code`,
    /// `is_premium`, `hides_forwards`).
    pub async fn user_with(&self, spec: Value) -> Result<Person> {
        let u = self.control_post("/users", spec).await?;
        Ok(Person {
            world: self.clone(),
            id: u["id"].as_i64().context("user id")?,
            user: u,
        })
    }

    /// A new bot (privacy mode on, can join groups).
    pub async fn bot(&self, username: &str) -> Result<Bot> {
        self.bot_with(json!({ "username": username })).await
    }

    /// A new bot from a spec (`username`, `first_name`, `token`, `privacy`, `can_join_groups`).
    pub async fn bot_with(&self, spec: Value) -> Result<Bot> {
        let b = self.control_post("/bots", spec).await?;
        Ok(Bot {
            world: self.clone(),
            id: b["id"].as_i64().context("bot id")?,
            token: b["token"].as_str().context("token")?.to_string(),
            username: b["username"].as_str().unwrap_or_default().to_string(),
            offset: Arc::new(std::sync::Mutex::new(0)),
        })
    }

    async fn chat(&self, kind: &str, title: &str, creator: &Person, forum: bool) -> Result<Group> {
        let c = self
            .control_post(
                "/chats",
                json!({ "type": kind, "title": title, "creator": creator.id, "is_forum": forum }),
            )
            .await?;
        Ok(Group {
            world: self.clone(),
            id: c["chat_id"].as_i64().context("chat id")?,
        })
    }

    /// A forum supergroup (topics on) created by `creator`.
    pub async fn forum(&self, title: &str, creator: &Person) -> Result<Group> {
        self.chat("supergroup", title, creator, true).await
    }

    pub async fn supergroup(&self, title: &str, creator: &Person) -> Result<Group> {
        self.chat("supergroup", title, creator, false).await
    }

    pub async fn group(&self, title: &str, creator: &Person) -> Result<Group> {
        self.chat("group", title, creator, false).await
    }

    pub async fn channel(&self, title: &str, creator: &Person) -> Result<Group> {
        self.chat("channel", title, creator, false).await
    }

    /// Moves emulated time forward.
    pub async fn advance_hours(&self, hours: i64) -> Result<()> {
        self.control_post("/clock", json!({ "advance_hours": hours }))
            .await
            .map(|_| ())
    }

    pub async fn advance_ms(&self, ms: i64) -> Result<()> {
        self.control_post("/clock", json!({ "advance_ms": ms }))
            .await
            .map(|_| ())
    }

    /// Stops real time from passing (only `advance_*` moves it).
    pub async fn freeze_clock(&self) -> Result<()> {
        self.control_post("/clock", json!({ "freeze": true }))
            .await
            .map(|_| ())
    }

    /// Replaces the fault-injection rules (see `tgsim::FaultRule`).
    pub async fn faults(&self, rules: Value) -> Result<()> {
        self.control_post("/faults", json!({ "rules": rules }))
            .await
            .map(|_| ())
    }

    /// Turns Telegram's flood limits on (with default numbers) or off.
    pub async fn limits(&self, enabled: bool) -> Result<()> {
        self.control_post("/limits", json!({ "enabled": enabled }))
            .await
            .map(|_| ())
    }

    pub async fn stats(&self) -> Result<Value> {
        self.control_get("/stats").await
    }
}

/// A human user of the emulated Telegram.
#[derive(Debug, Clone)]
pub struct Person {
    world: World,
    pub id: i64,
    /// The user as the Bot API renders it.
    pub user: Value,
}

/// Anything a person can write into: a bot (its private chat) or a group.
pub trait ChatRef {
    fn chat_id(&self) -> i64;
}

impl ChatRef for Bot {
    fn chat_id(&self) -> i64 {
        self.id
    }
}

impl ChatRef for Group {
    fn chat_id(&self) -> i64 {
        self.id
    }
}

/// A person: the private chat with them (bots see it only through a business connection).
impl ChatRef for Person {
    fn chat_id(&self) -> i64 {
        self.id
    }
}

impl ChatRef for i64 {
    fn chat_id(&self) -> i64 {
        *self
    }
}

impl Person {
    /// Connects `bot` to this (Premium) account in Settings → Telegram Business → Chatbots,
    /// or changes the connected bot's recipients and rights; returns the BusinessConnection.
    pub async fn connects_business(
        &self,
        bot: &Bot,
        recipients: Value,
        rights: &[&str],
    ) -> Result<Value> {
        self.world
            .control_post(
                "/business/connect",
                json!({ "owner": self.id, "bot": bot.id, "recipients": recipients, "rights": rights }),
            )
            .await
    }

    /// Removes the chatbot from this account.
    pub async fn disconnects_business(&self) -> Result<Value> {
        self.world
            .control_post("/business/disconnect", json!({ "owner": self.id }))
            .await
    }

    /// Adds `other` to this person's contacts.
    pub async fn adds_contact(&self, other: &Person) -> Result<Value> {
        self.world
            .control_post("/contacts", json!({ "user": self.id, "contact": other.id }))
            .await
    }

    /// Presses Start in the bot's chat (sends `/start`, or `/start payload` from a deep link).
    pub async fn start(&self, bot: &Bot) -> Result<Value> {
        self.world
            .control_post("/start", json!({ "user": self.id, "bot": bot.id }))
            .await
    }

    pub async fn start_with(&self, bot: &Bot, payload: &str) -> Result<Value> {
        self.world
            .control_post(
                "/start",
                json!({ "user": self.id, "bot": bot.id, "payload": payload }),
            )
            .await
    }

    /// Sends a text message; returns it as this person sees it.
    pub async fn says(&self, chat: &impl ChatRef, text: &str) -> Result<Value> {
        self.send(chat, json!({ "text": text })).await
    }

    /// Sends text into a forum topic.
    pub async fn says_in(&self, group: &Group, thread: i64, text: &str) -> Result<Value> {
        self.send(group, json!({ "text": text, "thread_id": thread }))
            .await
    }

    /// Sends anything `/control/send` accepts (`text`, `entities`, `parse_mode`, `media`,
    /// `album`, `location`, `venue`, `contact`, `poll`, `dice`, `reply_to`, `thread_id`,
    /// `forward_from`, `as_chat`); returns the first message sent.
    pub async fn send(&self, chat: &impl ChatRef, mut body: Value) -> Result<Value> {
        let all = self.send_all(chat, body.take()).await?;
        all.into_iter()
            .next()
            .ok_or_else(|| anyhow!("nothing was sent"))
    }

    /// Like [`Person::send`], returning every message (albums).
    pub async fn send_all(&self, chat: &impl ChatRef, mut body: Value) -> Result<Vec<Value>> {
        body["from"] = json!(self.id);
        body["chat"] = json!(chat.chat_id());
        let v = self.world.control_post("/send", body).await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    pub async fn edits(&self, chat: &impl ChatRef, message_id: i64, text: &str) -> Result<Value> {
        self.world
            .control_post("/edit", json!({ "from": self.id, "chat": chat.chat_id(), "message_id": message_id, "text": text }))
            .await
    }

    pub async fn deletes(&self, chat: &impl ChatRef, message_ids: &[i64]) -> Result<Value> {
        self.world
            .control_post(
                "/delete",
                json!({ "from": self.id, "chat": chat.chat_id(), "message_ids": message_ids }),
            )
            .await
    }

    /// Presses an inline button; returns the callback query id.
    pub async fn presses(
        &self,
        chat: &impl ChatRef,
        message_id: i64,
        data: &str,
    ) -> Result<String> {
        let v = self
            .world
            .control_post("/press", json!({ "from": self.id, "chat": chat.chat_id(), "message_id": message_id, "data": data }))
            .await?;
        Ok(v["callback_query_id"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// Sends a callback query with any `data` against a bot's message, as an attacker's
    /// client can (no such button needs to exist).
    pub async fn forges(&self, chat: &impl ChatRef, message_id: i64, data: &str) -> Result<String> {
        let v = self
            .world
            .control_post("/forge_callback", json!({ "from": self.id, "chat": chat.chat_id(), "message_id": message_id, "data": data }))
            .await?;
        Ok(v["callback_query_id"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// Picks `group` through the bot's `request_chat` button.
    pub async fn shares_chat(
        &self,
        bot: &Bot,
        message_id: i64,
        request_id: i64,
        group: &Group,
    ) -> Result<Value> {
        self.world
            .control_post(
                "/share_chat",
                json!({ "from": self.id, "bot": bot.id, "message_id": message_id, "request_id": request_id, "chat_id": group.id }),
            )
            .await
    }

    /// Adds a bot to a group; with `rights`, as administrator (the `startgroup&admin` link).
    pub async fn adds_bot(&self, group: &Group, bot: &Bot, rights: Option<Value>) -> Result<Value> {
        let mut body = json!({ "from": self.id, "bot": bot.id, "chat": group.id });
        if let Some(r) = rights {
            body["rights"] = r;
        }
        self.world.control_post("/add_bot", body).await
    }

    pub async fn blocks(&self, bot: &Bot) -> Result<Value> {
        self.world
            .control_post(
                "/block",
                json!({ "user": self.id, "bot": bot.id, "blocked": true }),
            )
            .await
    }

    pub async fn unblocks(&self, bot: &Bot) -> Result<Value> {
        self.world
            .control_post(
                "/block",
                json!({ "user": self.id, "bot": bot.id, "blocked": false }),
            )
            .await
    }

    pub async fn reacts(
        &self,
        chat: &impl ChatRef,
        message_id: i64,
        emoji: Option<&str>,
    ) -> Result<Value> {
        self.world
            .control_post("/react", json!({ "from": self.id, "chat": chat.chat_id(), "message_id": message_id, "emoji": emoji }))
            .await
    }

    /// Deletes the account.
    pub async fn deactivates(&self) -> Result<Value> {
        self.world
            .control_post("/deactivate", json!({ "user": self.id }))
            .await
    }

    /// Every message this person sees in `chat` (service messages included).
    pub async fn sees(&self, chat: &impl ChatRef) -> Result<Vec<Value>> {
        let v = self
            .world
            .control_get(&format!("/timeline?as={}&chat={}", self.id, chat.chat_id()))
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// What this person sees in one forum topic (`0`: General).
    pub async fn sees_topic(&self, group: &Group, thread: i64) -> Result<Vec<Value>> {
        let v = self
            .world
            .control_get(&format!(
                "/timeline?as={}&chat={}&thread={thread}",
                self.id, group.id
            ))
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// Waits until `chat` shows at least `count` messages; returns them all.
    pub async fn waits_for(&self, chat: &impl ChatRef, count: usize) -> Result<Vec<Value>> {
        let v = self
            .world
            .control_get(&format!(
                "/wait?as={}&chat={}&count={count}&timeout_ms=10000",
                self.id,
                chat.chat_id()
            ))
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// The last message this person sees in `chat`.
    pub async fn last_seen(&self, chat: &impl ChatRef) -> Result<Value> {
        self.sees(chat)
            .await?
            .pop()
            .ok_or_else(|| anyhow!("chat {} is empty", chat.chat_id()))
    }
}

/// A bot: its Bot API, plus an update cursor for tests that poll.
#[derive(Debug, Clone)]
pub struct Bot {
    world: World,
    pub id: i64,
    pub token: String,
    pub username: String,
    offset: Arc<std::sync::Mutex<i64>>,
}

impl Bot {
    /// `{base}/bot{token}/{method}`.
    pub fn url(&self, method: &str) -> String {
        format!("{}/bot{}/{method}", self.world.base_url(), self.token)
    }

    /// Calls a Bot API method with a JSON body.
    pub async fn call(&self, method: &str, params: Value) -> std::result::Result<Value, BotError> {
        let resp = self
            .world
            .http()
            .post(self.url(method))
            .json(&params)
            .send()
            .await;
        Self::decode(resp).await
    }

    /// Calls a Bot API method with a urlencoded form.
    pub async fn call_form(
        &self,
        method: &str,
        form: &[(&str, &str)],
    ) -> std::result::Result<Value, BotError> {
        let resp = self
            .world
            .http()
            .post(self.url(method))
            .form(form)
            .send()
            .await;
        Self::decode(resp).await
    }

    /// Calls a Bot API method with a multipart body (uploads).
    pub async fn call_multipart(
        &self,
        method: &str,
        form: reqwest::multipart::Form,
    ) -> std::result::Result<Value, BotError> {
        let resp = self
            .world
            .http()
            .post(self.url(method))
            .multipart(form)
            .send()
            .await;
        Self::decode(resp).await
    }

    /// Decodes a Bot API answer into its result or its error.
    pub async fn decode(
        resp: reqwest::Result<reqwest::Response>,
    ) -> std::result::Result<Value, BotError> {
        let transport = |e: String| BotError {
            status: 0,
            code: 0,
            description: e,
            parameters: None,
        };
        let resp = resp.map_err(|e| transport(e.to_string()))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| transport(e.to_string()))?;
        let v: Value = serde_json::from_str(&text).map_err(|_| BotError {
            status,
            code: i64::from(status),
            description: text.clone(),
            parameters: None,
        })?;
        if v["ok"] == true {
            Ok(v["result"].clone())
        } else {
            Err(BotError {
                status,
                code: v["error_code"].as_i64().unwrap_or(0),
                description: v["description"].as_str().unwrap_or_default().to_string(),
                parameters: v.get("parameters").cloned(),
            })
        }
    }

    /// Pending updates (confirming the ones returned last time), without waiting.
    pub async fn updates(&self) -> Result<Vec<Value>> {
        self.poll(0).await
    }

    /// getUpdates with the kept offset; `timeout` in seconds.
    pub async fn poll(&self, timeout: i64) -> Result<Vec<Value>> {
        let offset = *self.offset.lock().map_err(|_| anyhow!("poisoned"))?;
        let list = self
            .call(
                "getUpdates",
                json!({ "offset": offset, "timeout": timeout }),
            )
            .await
            .map_err(|e| anyhow!("getUpdates: {e}"))?;
        let list = list.as_array().cloned().unwrap_or_default();
        if let Some(last) = list.last().and_then(|u| u["update_id"].as_i64()) {
            *self.offset.lock().map_err(|_| anyhow!("poisoned"))? = last + 1;
        }
        Ok(list)
    }

    /// Sends a text message as the bot.
    pub async fn says(&self, chat_id: i64, text: &str) -> std::result::Result<Value, BotError> {
        self.call("sendMessage", json!({ "chat_id": chat_id, "text": text }))
            .await
    }
}

/// A group, supergroup (forum or not) or channel.
#[derive(Debug, Clone)]
pub struct Group {
    world: World,
    pub id: i64,
}

impl Group {
    /// Adds a member (`status`: member, administrator, restricted, left, kicked).
    pub async fn add(&self, who: i64, status: &str) -> Result<Value> {
        self.world
            .control_post(
                &format!("/chats/{}/members", self.id),
                json!({ "user_id": who, "status": status }),
            )
            .await
    }

    pub async fn add_member(&self, p: &Person) -> Result<Value> {
        self.add(p.id, "member").await
    }

    /// Makes someone an administrator with these rights (a ChatAdministratorRights object).
    pub async fn add_admin(&self, who: i64, rights: Value) -> Result<Value> {
        self.world
            .control_post(
                &format!("/chats/{}/members", self.id),
                json!({ "user_id": who, "status": "administrator", "rights": rights }),
            )
            .await
    }

    /// Rights a helpdesk bot needs in its forum.
    pub fn helpdesk_rights() -> Value {
        json!({
            "can_manage_topics": true, "can_delete_messages": true, "can_pin_messages": true,
            "can_restrict_members": true, "can_invite_users": true
        })
    }

    /// A topic created by a person (the creator by default).
    pub async fn create_topic(&self, name: &str) -> Result<i64> {
        let v = self
            .world
            .control_post(
                "/topics",
                json!({ "chat": self.id, "action": "create", "name": name }),
            )
            .await?;
        v["message_thread_id"].as_i64().context("thread id")
    }

    /// `delete`, `archive`, `close` or `reopen` a topic as the creator.
    pub async fn topic_action(&self, thread: i64, action: &str) -> Result<Value> {
        self.world
            .control_post(
                "/topics",
                json!({ "chat": self.id, "action": action, "thread_id": thread }),
            )
            .await
    }

    /// Upgrades a basic group; returns the new supergroup.
    pub async fn migrate(&self) -> Result<Group> {
        let v = self
            .world
            .control_post("/migrate", json!({ "chat": self.id }))
            .await?;
        Ok(Group {
            world: self.world.clone(),
            id: v["new_chat_id"].as_i64().context("new id")?,
        })
    }

    pub async fn kick(&self, who: i64) -> Result<Value> {
        self.world
            .control_post("/kick", json!({ "chat": self.id, "user": who }))
            .await
    }
}
