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
//!
//! Rooms: this file (the types, start-up), `intake.rs` (polling, sessions, private messages
//! and commands), `dispatch.rs` (a button press: decode, authorize, one action),
//! `actions/` (one function per action), `input.rs` (text typed in a flow), `views.rs`
//! (screens that need data), `telegram.rs` (the setup bot's own calls), `link.rs`,
//! `screen.rs` (a screen as data), `screens.rs`, `template_screens.rs` (the Templates screens), `business_screens.rs` (Telegram
//! Business: the steps, waiting for the account, the card's account lines), `callback.rs`.

mod actions;
pub mod business_screens;
pub mod callback;
mod dispatch;
mod input;
mod intake;
mod link;
pub mod screen;
pub mod screens;
mod telegram;
pub mod template_screens;
mod views;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use hotline_i18n::Lang;
use hotline_telegram::requests::{self};
use hotline_telegram::{BotApi, Me};

use crate::Runtime;
use crate::retry::Backoff;

/// Where an admin is in a flow (stored as JSON in `setup_sessions.state`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "await", rename_all = "snake_case")]
pub enum Flow {
    #[default]
    Nothing,
    /// A bot token.
    Token,
    /// The token of a bot with Business Mode, for a Telegram Business frontend.
    BusinessToken,
    /// The backend group of a bot whose token passed the checks.
    Group(Pending),
    /// A new value of `param` for connection `conn`.
    Param { conn: i64, param: String },
    /// A member to give a role in `conn`.
    Member { conn: i64 },
    /// The messages of a new template of `conn`, kept as the setup bot received them.
    Template {
        conn: i64,
        items: Vec<serde_json::Value>,
    },
    /// The name of that template, its messages recorded.
    TemplateName {
        conn: i64,
        items: Vec<serde_json::Value>,
    },
    /// A new name for template `template` of `conn`.
    TemplateRename { conn: i64, template: i64 },
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
    /// A Telegram Business frontend: `Some` once the bot passed; holds the admin's own
    /// BusinessConnection (as JSON) once Telegram reported it enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business: Option<PendingBusiness>,
}

/// The business side of a pending connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PendingBusiness {
    /// The BusinessConnection Telegram sent (its JSON), enabled and the admin's own.
    #[serde(default)]
    pub connection: Option<String>,
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
    let api = rt.bot_api(&token);
    let mut backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(60));
    let me = loop {
        match api.get_me().await {
            Ok(me) => break me,
            Err(e) => {
                tracing::error!(
                    "setup bot: getMe failed: {e}; retrying in about {:?}",
                    backoff.nominal()
                );
                if !backoff.wait(&cancel).await {
                    return;
                }
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
    pub(in crate::setup) fn superadmin(&self, user: i64) -> bool {
        self.rt.settings.superadmins.contains(&user)
    }

    pub(in crate::setup) fn now(&self) -> i64 {
        self.rt.clock().now_ms()
    }
}
