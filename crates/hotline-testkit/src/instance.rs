//! A Hotline instance with its setup bot and no connection yet: what an admin meets on a
//! fresh deployment. [`SetupChat`] is a person's chat with the setup bot: send, press,
//! and wait for the bot's answer.

use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use serde_json::Value;

use hotline_app::{ManualClock, Runtime, Settings};
use hotline_core::ConnectionId;
use hotline_store::Store;

use crate::helpdesk::{Db, start_runtime, stop_runtime, test_settings};
use crate::{Bot, Person, World};

/// A running instance: tgsim, the setup bot, the runtime and its database.
pub struct Instance {
    pub world: World,
    /// The instance's setup bot.
    pub setup: Bot,
    pub store: Store,
    pub settings: Settings,
    pub clock: Arc<ManualClock>,
    runtime: Option<Arc<Runtime>>,
    _dir: tempfile::TempDir,
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Instance(setup bot {})", self.setup.id)
    }
}

impl Instance {
    /// A fresh instance in `world` on `db`; `tune` adjusts the settings (superadmins…).
    pub async fn start_on(world: World, db: Db, tune: impl FnOnce(&mut Settings)) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut settings = test_settings(&world, db, dir.path()).await?;
        let setup = world.bot("hotline_setup_bot").await?;
        settings.setup_bot_token = Some(setup.token.clone());
        tune(&mut settings);
        // Fixes the instance key in the settings, so the tests can open what Hotline sealed.
        settings.secret_box()?;
        let store = Store::open(&settings.database_url).await?;
        let mut i = Instance {
            world,
            setup,
            store,
            settings,
            clock: ManualClock::new(),
            runtime: None,
            _dir: dir,
        };
        i.run().await?;
        Ok(i)
    }

    /// Starts the runtime (again) on the same database.
    pub async fn run(&mut self) -> Result<()> {
        self.runtime = Some(start_runtime(&self.settings, self.clock.clone()).await?);
        Ok(())
    }

    /// Stops the runtime cleanly.
    pub async fn stop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            stop_runtime(rt).await;
        }
    }

    /// Connects `frontend` to `forum` for `admin` on `plan` the way the CLI does (the bot
    /// made an administrator with the helpdesk rights first) and runs it; returns its id.
    pub async fn connect(
        &self,
        frontend: &crate::Bot,
        forum: &crate::Group,
        admin: &Person,
        plan: &str,
    ) -> Result<ConnectionId> {
        forum
            .add_admin(frontend.id, crate::Group::helpdesk_rights())
            .await?;
        let target = hotline_app::connect::Target {
            api_base: self.world.base_url(),
            token: &frontend.token,
            group: forum.id,
            plan,
            admin: Some(admin.id),
        };
        let http = reqwest::Client::builder().no_proxy().build()?;
        let (id, _) = hotline_app::connect::add_bot_connection(
            &self.store,
            &self.secrets()?,
            http,
            &target,
            0,
        )
        .await?;
        self.start_connection(id)?;
        Ok(id)
    }

    /// Runs a connection made behind the runtime's back (by the CLI's code path).
    pub fn start_connection(&self, id: ConnectionId) -> Result<()> {
        self.runtime
            .as_ref()
            .context("the runtime is stopped")?
            .start_connection(id);
        Ok(())
    }

    /// The instance key, to open what Hotline sealed.
    pub fn secrets(&self) -> Result<hotline_store::SecretBox> {
        Ok(self.settings.clone().secret_box()?)
    }

    /// `who`'s chat with the setup bot.
    pub fn chat<'a>(&'a self, who: &'a Person) -> SetupChat<'a> {
        SetupChat {
            world: &self.world,
            who,
            bot: &self.setup,
        }
    }
}

/// A person's chat with a bot that answers with screens (text + inline keyboard).
#[derive(Debug, Clone, Copy)]
pub struct SetupChat<'a> {
    pub world: &'a World,
    pub who: &'a Person,
    pub bot: &'a Bot,
}

impl SetupChat<'_> {
    async fn count(&self) -> Result<usize> {
        // Before the first Start there is no chat yet.
        Ok(self.who.sees(self.bot).await.map_or(0, |v| v.len()))
    }

    /// Waits for the bot's next message after the `before` messages already seen.
    async fn next_after(&self, before: usize) -> Result<Value> {
        let bot = self.bot.id;
        let all = self
            .world
            .until(self.who.id, self.bot.id, None, |ms| {
                ms.len() > before && ms[before..].iter().any(|m| m["from"]["id"] == bot)
            })
            .await?;
        all[before..]
            .iter()
            .rev()
            .find(|m| m["from"]["id"] == bot)
            .cloned()
            .ok_or_else(|| anyhow!("no answer"))
    }

    /// Presses Start; returns the bot's answer.
    pub async fn start(&self) -> Result<Value> {
        let n = self.count().await?;
        self.who.start(self.bot).await?;
        self.next_after(n).await
    }

    /// Sends a text; returns the bot's answer.
    pub async fn say(&self, text: &str) -> Result<Value> {
        let n = self.count().await?;
        self.who.says(self.bot, text).await?;
        self.next_after(n).await
    }

    /// Sends anything `/control/send` accepts; returns the bot's answer.
    pub async fn send(&self, body: Value) -> Result<Value> {
        let n = self.count().await?;
        self.who.send(self.bot, body).await?;
        self.next_after(n).await
    }

    /// Waits for the next message of the bot without sending anything (it was triggered
    /// elsewhere); `before` is what [`SetupChat::seen`] returned earlier.
    pub async fn next(&self, before: usize) -> Result<Value> {
        self.next_after(before).await
    }

    /// How many messages the chat has now.
    pub async fn seen(&self) -> Result<usize> {
        self.count().await
    }

    /// Presses the button with callback `data` on `message`; waits for the bot to answer
    /// the callback. Returns the alert text (if any) and the message as it is afterwards.
    pub async fn press(&self, message: &Value, data: &str) -> Result<(Option<String>, Value)> {
        self.callback(message, data, false).await
    }

    /// Like [`SetupChat::press`], with callback `data` the message has no button for (a
    /// forged press).
    pub async fn forge(&self, message: &Value, data: &str) -> Result<(Option<String>, Value)> {
        self.callback(message, data, true).await
    }

    async fn callback(
        &self,
        message: &Value,
        data: &str,
        forged: bool,
    ) -> Result<(Option<String>, Value)> {
        let id = message["message_id"].as_i64().context("not a message")?;
        let query = if forged {
            self.who.forges(self.bot, id, data).await?
        } else {
            self.who.presses(self.bot, id, data).await?
        };
        let answer = self
            .world
            .control_get(&format!("/callbacks/{query}?timeout_ms=10000"))
            .await?;
        if answer["answer"].is_null() {
            anyhow::bail!("the bot did not answer the callback {data}");
        }
        let alert = answer["answer"]["text"].as_str().map(str::to_string);
        let now = self
            .who
            .sees(self.bot)
            .await?
            .into_iter()
            .find(|m| m["message_id"] == id)
            .context("the message is gone")?;
        Ok((alert, now))
    }
}

/// The text of a message.
pub fn text(m: &Value) -> &str {
    m["text"].as_str().unwrap_or_default()
}

/// Every inline button of a message: (label, callback data or URL).
pub fn buttons(m: &Value) -> Vec<(String, String)> {
    m["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|b| {
            let label = b["text"].as_str().unwrap_or_default().to_string();
            let target = b["callback_data"]
                .as_str()
                .or(b["url"].as_str())
                .unwrap_or_default()
                .to_string();
            (label, target)
        })
        .collect()
}

/// The callback data or URL of the button labelled `label`.
pub fn button(m: &Value, label: &str) -> Result<String> {
    buttons(m)
        .into_iter()
        .find(|(l, _)| l == label)
        .map(|(_, t)| t)
        .with_context(|| format!("no button {label:?} in {:#?}", buttons(m)))
}
