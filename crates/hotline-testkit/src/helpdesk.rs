//! Hotline running on top of tgsim: a support team, a forum, a frontend bot connected to
//! it, and the runtime — on a fresh SQLite file (or PostgreSQL database) per test.

use std::sync::Arc;

use anyhow::{Context, Result};
use serde_json::Value;

use hotline_app::connect::{Target, add_bot_connection};
use hotline_app::{Clock, ManualClock, Runtime, Settings};
use hotline_core::{ChatId, ConnectionId, UserId};
use hotline_store::Store;

use crate::{Bot, Group, Person, World};

/// A running helpdesk and the people around it.
pub struct Helpdesk {
    pub world: World,
    pub admin: Person,
    pub operator: Person,
    pub frontend: Bot,
    pub forum: Group,
    pub connection: ConnectionId,
    pub store: Store,
    pub settings: Settings,
    /// Hotline's clock: real time, moved forward by [`Helpdesk::advance_hours`].
    pub clock: Arc<ManualClock>,
    /// For a Telegram Business frontend: the (Premium) account customers write to, which
    /// connected the frontend bot in its Business settings (the admin, Alice).
    pub account: Option<Person>,
    runtime: Option<Arc<Runtime>>,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for Helpdesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Helpdesk(connection {})", self.connection)
    }
}

/// What customers write to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The frontend bot itself.
    Bot,
    /// Alice's Telegram Business account, worked by the frontend bot (Business Mode on,
    /// connected with every recipient and `can_reply`, `can_read_messages`,
    /// `can_delete_sent_messages`).
    Business,
}

impl Via {
    pub const ALL: [Via; 2] = [Via::Bot, Via::Business];
}

/// Which database a helpdesk runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    /// SQLite always; PostgreSQL too when `HOTLINE_TEST_DATABASE_URL` is set.
    pub fn all() -> Vec<Db> {
        let mut v = vec![Db::Sqlite];
        if hotline_store::testing::postgres_admin_url().is_some() {
            v.push(Db::Postgres);
        }
        v
    }
}

/// Settings for Hotline on `world`: data in `dir`, the database on `db` (SQLite in `dir`, or
/// a fresh PostgreSQL database).
pub(crate) async fn test_settings(
    world: &World,
    db: Db,
    dir: &std::path::Path,
) -> Result<Settings> {
    let mut settings = Settings::for_tests(dir, world.base_url());
    if db == Db::Postgres {
        let admin =
            hotline_store::testing::postgres_admin_url().context("HOTLINE_TEST_DATABASE_URL")?;
        settings.database_url = hotline_store::testing::fresh_postgres(&admin).await?;
    }
    Ok(settings)
}

/// Starts the runtime on the settings' database.
pub(crate) async fn start_runtime(
    settings: &Settings,
    clock: Arc<ManualClock>,
) -> Result<Arc<Runtime>> {
    let mut settings = settings.clone();
    let secrets = settings.secret_box()?;
    let store = Store::open(&settings.database_url).await?;
    Runtime::start(settings, store, secrets, clock).await
}

/// Stops a runtime cleanly and closes its database.
pub(crate) async fn stop_runtime(rt: Arc<Runtime>) {
    rt.shutdown().await;
    rt.store.close().await;
}

impl Helpdesk {
    /// A fresh world with a connected helpdesk on SQLite.
    pub async fn start() -> Result<Self> {
        Self::start_on(World::start().await?, Db::Sqlite, |_| {}).await
    }

    /// A connected helpdesk in `world` on `db`; `tune` adjusts the settings first.
    pub async fn start_on(world: World, db: Db, tune: impl FnOnce(&mut Settings)) -> Result<Self> {
        Self::start_via(world, db, Via::Bot, tune).await
    }

    /// A helpdesk whose customers write to the frontend bot itself, or to a Telegram
    /// Business account the bot works for ([`Via`]).
    pub async fn start_via(
        world: World,
        db: Db,
        via: Via,
        tune: impl FnOnce(&mut Settings),
    ) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut settings = test_settings(&world, db, dir.path()).await?;
        tune(&mut settings);
        let business = via == Via::Business;
        let admin = world.user_with(serde_json::json!({"first_name": "Alice", "username": "alice_admin", "language_code": "en", "is_premium": business})).await?;
        let operator = world.user_with(serde_json::json!({"first_name": "Oleg", "username": "oleg_ops", "language_code": "ru"})).await?;
        let frontend = world
            .bot_with(serde_json::json!({"username": "acme_support_bot", "business": business}))
            .await?;
        let forum = world.forum("Acme Support", &admin).await?;
        forum.add_member(&operator).await?;
        forum
            .add_admin(frontend.id, Group::helpdesk_rights())
            .await?;
        let store = Store::open(&settings.database_url).await?;
        let secrets = settings.secret_box()?;
        let http = reqwest::Client::builder().no_proxy().build()?;
        let target = Target {
            api_base: world.base_url(),
            token: &frontend.token,
            group: forum.id,
            plan: "free",
            admin: Some(admin.id),
        };
        let clock = ManualClock::new();
        let (connection, _) =
            add_bot_connection(&store, &secrets, http, &target, clock.now_ms()).await?;
        let account = if business {
            let link = admin
                .connects_business(
                    &frontend,
                    serde_json::json!({"existing_chats": true, "new_chats": true, "contacts": true, "non_contacts": true}),
                    &["can_reply", "can_read_messages", "can_delete_sent_messages"],
                )
                .await?;
            store
                .connections()
                .set_business(connection, &link.to_string())
                .await?;
            Some(admin.clone())
        } else {
            None
        };
        let mut h = Helpdesk {
            world,
            admin,
            operator,
            frontend,
            forum,
            connection,
            store,
            settings,
            clock,
            account,
            runtime: None,
            _dir: Some(dir),
        };
        h.run().await?;
        Ok(h)
    }

    /// Starts the runtime (again) on the same database.
    pub async fn run(&mut self) -> Result<()> {
        self.runtime = Some(start_runtime(&self.settings, self.clock.clone()).await?);
        Ok(())
    }

    /// Sets a parameter as an admin would type it; returns the stored value. The running
    /// connection applies it before the next update it processes.
    pub async fn set(&self, name: &str, value: &str) -> Result<String> {
        Ok(hotline_app::config::set_param(&self.store, self.connection, name, value).await?)
    }

    /// Grants a plan (`free`, `paid`).
    pub async fn plan(&self, plan: &str) -> Result<()> {
        hotline_app::config::set_plan(&self.store, self.connection, plan).await?;
        Ok(())
    }

    /// Assigns a role (`None`: back to the default role).
    pub async fn role(&self, who: &Person, role: Option<&str>) -> Result<()> {
        hotline_app::config::set_role(&self.store, self.connection, UserId(who.id), role).await?;
        Ok(())
    }

    /// The team's language.
    pub async fn language(&self, code: &str) -> Result<()> {
        hotline_app::config::set_language(&self.store, self.connection, code).await?;
        Ok(())
    }

    /// A pure relay, for tests about the relay itself: paid plan, no WELCOME.
    pub async fn relay_only(&self) -> Result<()> {
        self.plan("paid").await?;
        self.set("WELCOME", "OFF").await?;
        Ok(())
    }

    /// Moves Hotline's clock forward (timers such as AUTOCLOSE re-check at once).
    pub fn advance_hours(&self, hours: i64) {
        self.clock.advance_ms(hours * 3_600_000);
    }

    /// The forum topic as tgsim has it: `{id, name, closed, icon_color}`.
    pub async fn topic(&self, thread: i64) -> Result<Value> {
        let world = self.world.control_get("/world").await?;
        world["chats"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["id"] == self.forum.id)
            .flat_map(|c| c["topics"].as_array().cloned().unwrap_or_default())
            .find(|t| t["id"] == thread)
            .context("no such topic")
    }

    /// Waits until Hotline has taken every update Telegram holds for it (none pending in
    /// tgsim), processed them all (none pending in the inbox) and has no outbound work left
    /// (twice in a row, across a pause for the world to move). Proves that something did
    /// *not* happen without sleeping.
    pub async fn settle(&self) -> Result<()> {
        let mut quiet = 0;
        for _ in 0..1000 {
            let pending = self
                .world
                .control_get(&format!("/bots/{}/updates", self.frontend.id))
                .await?;
            let idle = pending.as_array().is_some_and(Vec::is_empty)
                && self
                    .store
                    .inbox()
                    .pending(self.connection, 1)
                    .await?
                    .is_empty()
                && self.store.outbox().len(self.connection).await? == 0;
            quiet = if idle { quiet + 1 } else { 0 };
            if quiet == 2 {
                return Ok(());
            }
            // Yield until the forum changes or 20 ms pass.
            let n = self.operator.sees(&self.forum).await?.len();
            let _ = self
                .world
                .control_get(&format!(
                    "/wait?as={}&chat={}&count={}&timeout_ms=20",
                    self.operator.id,
                    self.forum.id,
                    n + 1
                ))
                .await;
        }
        anyhow::bail!("Hotline did not settle")
    }

    /// Stops the runtime cleanly.
    pub async fn stop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            stop_runtime(rt).await;
        }
    }

    /// Kills the runtime the hard way: its tasks are aborted where they stand.
    pub async fn kill(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.abort();
        }
    }

    pub fn runtime(&self) -> Option<&Arc<Runtime>> {
        self.runtime.as_ref()
    }

    /// The chat customers write to: the frontend bot, or the business account.
    pub fn inbox(&self) -> i64 {
        self.account.as_ref().map_or(self.frontend.id, |a| a.id)
    }

    /// A new customer who has pressed Start in the frontend bot (or, for a business
    /// account, who exists: people write to a person without pressing Start).
    pub async fn customer(&self, first_name: &str) -> Result<Person> {
        let c = self.world.user(first_name).await?;
        if self.account.is_none() {
            c.start(&self.frontend).await?;
        }
        Ok(c)
    }

    /// A new customer with an open dialog: through a bot, Start opens it; through a business
    /// account (where there is no Start), the customer's first message, `Hello`.
    pub async fn opened(&self, first_name: &str) -> Result<Person> {
        let c = self.customer(first_name).await?;
        if let Some(account) = &self.account {
            c.says(account, "Hello").await?;
        }
        Ok(c)
    }

    /// Presses Start in the frontend bot where customers write to the bot; nothing where
    /// they write to a business account.
    pub async fn starts(&self, c: &Person) -> Result<()> {
        if self.account.is_none() {
            c.start(&self.frontend).await?;
        }
        Ok(())
    }

    /// Every frontend on every database the tests run on.
    pub fn every() -> Vec<(Via, Db)> {
        Via::ALL
            .into_iter()
            .flat_map(|v| Db::all().into_iter().map(move |d| (v, d)))
            .collect()
    }

    /// The topic id of a customer's dialog, once Hotline created it.
    pub async fn topic_of(&self, customer: &Person) -> Result<i64> {
        for _ in 0..400 {
            let dialogs = self.store.dialogs().of(self.connection).await?;
            if let Some(t) = dialogs
                .iter()
                .find(|d| d.customer_chat_id == ChatId(customer.id))
                .and_then(|d| d.thread_id)
            {
                return Ok(t.0);
            }
            // Wait for the next visible change in the forum rather than sleeping.
            let n = self.operator.sees(&self.forum).await?.len();
            let _ = self
                .world
                .control_get(&format!(
                    "/wait?as={}&chat={}&count={}&timeout_ms=200",
                    self.operator.id,
                    self.forum.id,
                    n + 1
                ))
                .await;
        }
        anyhow::bail!("no topic was created for {}", customer.id)
    }

    /// Waits until the operator sees at least `count` messages in a topic; returns them.
    pub async fn topic_shows(&self, thread: i64, count: usize) -> Result<Vec<Value>> {
        let v = self
            .world
            .control_get(&format!(
                "/wait?as={}&chat={}&thread={thread}&count={count}&timeout_ms=15000",
                self.operator.id, self.forum.id
            ))
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// The documents in General, as the frontend bot sees them (file ids are per bot, and
    /// the bot downloads them).
    pub async fn documents_in_general(&self) -> Result<Vec<Value>> {
        let seen = self
            .world
            .control_get(&format!(
                "/timeline?as={}&chat={}&thread=0",
                self.frontend.id, self.forum.id
            ))
            .await?;
        Ok(seen
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.get("document").is_some())
            .collect())
    }

    /// A file the frontend bot sent (`doc` as [`Helpdesk::documents_in_general`] gives it),
    /// downloaded the way a bot would: getFile, then the file URL.
    pub async fn download(&self, doc: &Value) -> Result<Vec<u8>> {
        let file_id = doc["document"]["file_id"].as_str().unwrap_or_default();
        let file = self
            .frontend
            .call("getFile", serde_json::json!({ "file_id": file_id }))
            .await
            .map_err(|e| anyhow::anyhow!("getFile: {e}"))?;
        let path = file["file_path"].as_str().unwrap_or_default();
        let url = format!(
            "{}/file/bot{}/{path}",
            self.world.base_url(),
            self.frontend.token
        );
        Ok(self
            .world
            .http()
            .get(url)
            .send()
            .await?
            .bytes()
            .await?
            .to_vec())
    }

    /// Waits until what the operator sees in a topic satisfies `done`; returns it.
    pub async fn topic_until(
        &self,
        thread: i64,
        done: impl Fn(&[Value]) -> bool,
    ) -> Result<Vec<Value>> {
        self.until(self.operator.id, self.forum.id, Some(thread), done)
            .await
    }

    /// Waits until what the customer sees in the bot chat satisfies `done`; returns it.
    pub async fn customer_until(
        &self,
        customer: &Person,
        done: impl Fn(&[Value]) -> bool,
    ) -> Result<Vec<Value>> {
        self.until(customer.id, self.inbox(), None, done).await
    }

    async fn until(
        &self,
        viewer: i64,
        chat: i64,
        thread: Option<i64>,
        done: impl Fn(&[Value]) -> bool,
    ) -> Result<Vec<Value>> {
        self.world.until(viewer, chat, thread, done).await
    }

    /// Waits until the customer sees at least `count` messages in the bot chat.
    pub async fn customer_sees(&self, customer: &Person, count: usize) -> Result<Vec<Value>> {
        let v = self
            .world
            .control_get(&format!(
                "/wait?as={}&chat={}&count={count}&timeout_ms=15000",
                customer.id,
                self.inbox()
            ))
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }
}
