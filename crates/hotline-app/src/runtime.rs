//! The connection supervisor: runs every enabled connection with its own tasks, restarts a
//! failing one with backoff, isolates failures, and stops cleanly on shutdown.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use hotline_core::{ConnectionId, ConnectionStatus, UpdateId, UserId};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use hotline_store::{Connection, SecretBox, Store};
use hotline_telegram::{BotApi, TgError, requests};

use tracing::Instrument;

use crate::config::ConnConfig;
use crate::ctx::ConnCtx;
use crate::ctx::Liveness;
use crate::frontend::Frontend;
use crate::inbox::drain_inbox;
use crate::metrics::Metrics;
use crate::retry::Backoff;
use crate::{Clock, Settings, autoclose, delivery, lock};

/// Update kinds the relay asks for.
pub const ALLOWED_UPDATES: &[&str] = &[
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
];

/// And for a Telegram Business frontend: the account's chats and the connection itself.
pub const BUSINESS_UPDATES: &[&str] = &[
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
];

/// The update kinds a connection asks Telegram for.
pub(crate) fn allowed_updates(ctx: &ConnCtx) -> &'static [&'static str] {
    match ctx.frontend().business() {
        Some(_) => BUSINESS_UPDATES,
        None => ALLOWED_UPDATES,
    }
}

#[derive(Debug)]
struct Running {
    cancel: CancellationToken,
    /// Its contact with Telegram, kept across restarts (readiness).
    liveness: Arc<Liveness>,
    ctx: Arc<Mutex<Option<Arc<ConnCtx>>>>,
    /// The supervisor task: a restart waits for it, so an old worker with a call in flight
    /// never overlaps a new one. Kept after a stop until the next start.
    task: tokio::task::JoinHandle<()>,
}

/// The running instance.
#[derive(Debug)]
pub struct Runtime {
    pub store: Store,
    pub settings: Arc<Settings>,
    secrets: Arc<SecretBox>,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    shutdown: CancellationToken,
    tasks: TaskTracker,
    running: Mutex<HashMap<ConnectionId, Running>>,
    aborts: Mutex<Vec<tokio::task::AbortHandle>>,
    /// Where the HTTP listener (health, metrics, webhooks) listens.
    pub http_addr: Mutex<Option<std::net::SocketAddr>>,
    pub metrics: Arc<Metrics>,
    /// Bot API calls in flight across all connections (`delivery_concurrency_total`).
    delivery_slots: Arc<tokio::sync::Semaphore>,
}

impl Runtime {
    /// The supervisor with its upkeep task, running no connection yet
    /// ([`Runtime::start`] in `service.rs` starts the services around it and the
    /// connections).
    pub(crate) async fn boot(
        settings: Settings,
        store: Store,
        secrets: SecretBox,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .tcp_nodelay(true)
            // No bound on idle connections (reqwest's default): every running bot holds one
            // for its long poll besides the delivery calls, and a bound below that closes
            // connections each time polls return together, then opens them again
            // (`bench load --phases idle`). Idle ones still close after 90 s.
            .connect_timeout(Duration::from_secs(10))
            .build()
            .context("HTTP client")?;
        let delivery_slots = Arc::new(tokio::sync::Semaphore::new(
            settings.delivery_concurrency_total,
        ));
        let rt = Arc::new(Runtime {
            store,
            settings: Arc::new(settings),
            secrets: Arc::new(secrets),
            http,
            clock,
            shutdown: CancellationToken::new(),
            tasks: TaskTracker::new(),
            running: Mutex::new(HashMap::new()),
            aborts: Mutex::new(Vec::new()),
            http_addr: Mutex::new(None),
            metrics: Arc::new(Metrics::new()),
            delivery_slots,
        });
        let upkeep = rt.clone();
        rt.spawn_abortable(async move { upkeep.maintain().await });
        let watcher = rt.clone();
        rt.spawn_abortable(async move { watcher.watch_connections().await });
        Ok(rt)
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn secrets(&self) -> &SecretBox {
        &self.secrets
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// A Bot API client for `token` whose calls are counted in the metrics.
    pub fn bot_api(&self, token: &str) -> BotApi {
        let metrics = self.metrics.clone();
        BotApi::new(self.http.clone(), &self.settings.bot_api_url, token).observed(Arc::new(
            move |method, outcome| {
                metrics.bot_api_call(method, outcome);
            },
        ))
    }

    /// A running (or last run) connection's contact with Telegram.
    pub(crate) fn liveness(&self, id: ConnectionId) -> Option<Arc<Liveness>> {
        lock(&self.running).get(&id).map(|r| r.liveness.clone())
    }

    /// Runs a task owned by the runtime that `abort` stops where it stands (`kill -9` in
    /// tests); shutdown waits for it too.
    pub(crate) fn spawn_abortable<F>(&self, task: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let handle = self.tasks.spawn(task);
        lock(&self.aborts).push(handle.abort_handle());
    }

    /// A token cancelled when the runtime shuts down.
    pub(crate) fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.child_token()
    }

    /// Runs a task owned by the runtime: shutdown waits for it (it must watch its own
    /// cancellation token, a child of the runtime's).
    pub(crate) fn spawn<F>(&self, task: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.tasks.spawn(task);
    }

    /// Runs (or restarts) one connection under supervision. A previous run of it is
    /// cancelled and awaited first (its in-flight call finishes or is left in the outbox),
    /// so there is never more than one worker per connection.
    pub fn start_connection(self: &Arc<Self>, id: ConnectionId) {
        let cancel = self.shutdown.child_token();
        let slot = Arc::new(Mutex::new(None));
        let mut running = lock(&self.running);
        let previous = running.remove(&id).map(|old| {
            old.cancel.cancel();
            old.task
        });
        let rt = self.clone();
        let liveness = Liveness::new(self.clock.now_ms());
        let (c, sl, l) = (cancel.clone(), slot.clone(), liveness.clone());
        let span = tracing::info_span!("connection", id = %id);
        let task = self.tasks.spawn(
            async move {
                if let Some(old) = previous {
                    let _ = old.await;
                }
                rt.supervise(id, c, sl, l).await
            }
            .instrument(span),
        );
        running.insert(
            id,
            Running {
                cancel,
                liveness,
                ctx: slot,
                task,
            },
        );
    }

    /// Stops a connection: its tasks finish their current call and end.
    pub fn stop_connection(&self, id: ConnectionId) {
        if let Some(r) = lock(&self.running).get(&id) {
            r.cancel.cancel();
        }
    }

    /// Whether a connection's supervisor is running (not stopped, not cancelled).
    fn is_running(&self, id: ConnectionId) -> bool {
        lock(&self.running)
            .get(&id)
            .is_some_and(|r| !r.cancel.is_cancelled())
    }

    /// Follows changes made to the connections table behind the runtime's back (`hotline
    /// connection add | remove | enable | disable` beside a running `serve`, or another
    /// admin tool): a new enabled connection starts, a disabled one stops, a deleted one
    /// stops and is forgotten. Edge-triggered on what the store says between two looks,
    /// so it never undoes what the setup bot just did in this process (the setup bot
    /// changes the store and the runtime together).
    async fn watch_connections(self: Arc<Self>) {
        let mut seen: Option<HashMap<ConnectionId, bool>> = None;
        loop {
            match self.store.connections().enabled_flags().await {
                Ok(all) => {
                    let now: HashMap<ConnectionId, bool> = all.into_iter().collect();
                    if let Some(before) = &seen {
                        self.apply_changes(before, &now);
                    }
                    seen = Some(now);
                }
                Err(e) => tracing::warn!("cannot read the connections: {e}"),
            }
            tokio::select! {
                () = tokio::time::sleep(WATCH_EVERY) => {}
                () = self.shutdown.cancelled() => return,
            }
        }
    }

    fn apply_changes(
        self: &Arc<Self>,
        before: &HashMap<ConnectionId, bool>,
        now: &HashMap<ConnectionId, bool>,
    ) {
        for (id, enabled) in now {
            let was = before.get(id);
            if was == Some(enabled) {
                continue;
            }
            match (was, enabled) {
                (None, true) if !self.is_running(*id) => {
                    tracing::info!(connection = %id, "a new connection appeared; starting it");
                    self.start_connection(*id);
                }
                (Some(false), true) if !self.is_running(*id) => {
                    tracing::info!(connection = %id, "the connection was enabled; starting it");
                    self.start_connection(*id);
                }
                (Some(true), false) if self.is_running(*id) => {
                    tracing::info!(connection = %id, "the connection was disabled; stopping it");
                    self.stop_connection(*id);
                }
                _ => {}
            }
        }
        for id in before.keys().filter(|id| !now.contains_key(id)) {
            tracing::info!(connection = %id, "the connection was deleted; stopping it");
            self.stop_connection(*id);
            lock(&self.running).remove(id);
        }
    }

    /// The live context of a connection (for webhook intake).
    pub(crate) fn ctx(&self, id: ConnectionId) -> Option<Arc<ConnCtx>> {
        lock(&self.running)
            .get(&id)
            .and_then(|r| lock(&r.ctx).clone())
    }

    /// Stops every connection and waits for their tasks.
    pub async fn shutdown(&self) {
        self.shutdown.cancel();
        self.tasks.close();
        self.tasks.wait().await;
    }

    /// Stops everything where it stands, as if the process were killed: in-flight calls are
    /// abandoned and open transactions roll back. (Tests use it to prove restarts lose
    /// nothing.)
    pub fn abort(&self) {
        self.shutdown.cancel();
        for h in lock(&self.aborts).drain(..) {
            h.abort();
        }
    }

    /// Storage upkeep until shutdown: a checkpoint every 10 s (each one briefly slows
    /// commits, so they are spaced out; `bench relay` showed 2 s pushing p99 past 10 ms), and
    /// every ten minutes a retention pass ([`crate::retention`]).
    async fn maintain(&self) {
        const PRUNE_EVERY: u32 = 60;
        let mut ticks = 0u32;
        loop {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(10)) => {}
                () = self.shutdown.cancelled() => return,
            }
            if let Err(e) = self.store.maintain().await {
                tracing::warn!("storage upkeep failed: {e}");
            }
            ticks = ticks.wrapping_add(1);
            if ticks.is_multiple_of(PRUNE_EVERY)
                && let Err(e) =
                    crate::retention::prune(&self.store, &self.settings, self.clock.now_ms()).await
            {
                tracing::warn!("retention failed: {e}");
            }
        }
    }

    /// The per-connection secret Telegram echoes in webhook requests.
    pub fn webhook_secret(&self, connection: ConnectionId) -> String {
        self.secrets.derive(&format!("webhook:{connection}"))
    }

    async fn supervise(
        self: Arc<Self>,
        id: ConnectionId,
        cancel: CancellationToken,
        slot: Arc<Mutex<Option<Arc<ConnCtx>>>>,
        liveness: Arc<Liveness>,
    ) {
        let mut backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(60));
        loop {
            let started = tokio::time::Instant::now();
            // In a task of its own, so that a panic anywhere in the connection's tasks is
            // a failure like any other (status error, backoff, restart), not a connection
            // that silently stops while its status says running.
            let run = {
                let rt = self.clone();
                let (cancel, slot, live) = (cancel.clone(), slot.clone(), liveness.clone());
                self.tasks.spawn(
                    async move { rt.run_connection(id, &cancel, &slot, live).await }
                        .in_current_span(),
                )
            };
            let result = match run.await {
                Ok(r) => r,
                Err(e) => {
                    *lock(&slot) = None;
                    Err(anyhow::anyhow!("panicked: {}", panic_message(e)))
                }
            };
            if cancel.is_cancelled() {
                let _ = self
                    .store
                    .connections()
                    .set_status_keep_error(id, ConnectionStatus::Stopped)
                    .await;
                return;
            }
            match result {
                Ok(()) => return,
                Err(e) => {
                    let msg = format!("{e:#}");
                    tracing::error!(connection = %id, "connection failed: {msg}");
                    let _ = self
                        .store
                        .connections()
                        .set_status(id, ConnectionStatus::Error, Some(&msg))
                        .await;
                    if started.elapsed() > Duration::from_secs(60) {
                        backoff.reset();
                    }
                    if !backoff.wait(&cancel).await {
                        return;
                    }
                }
            }
        }
    }

    async fn run_connection(
        &self,
        id: ConnectionId,
        cancel: &CancellationToken,
        slot: &Mutex<Option<Arc<ConnCtx>>>,
        liveness: Arc<Liveness>,
    ) -> Result<()> {
        let conn: Connection = self
            .store
            .connections()
            .get(id)
            .await?
            .context("connection was deleted")?;
        let token = self
            .secrets
            .open(&conn.token_enc)
            .map_err(|_| anyhow::anyhow!(crate::keys::UNDECRYPTABLE_TOKEN))?;
        let api = self.bot_api(&token);
        let me = api
            .get_me()
            .await
            .map_err(|e| anyhow::anyhow!("getMe: {e}"))?;
        if UserId(me.id) != conn.bot_user_id {
            anyhow::bail!(
                "the token belongs to @{}, not to this connection's bot",
                me.username
            );
        }
        let config = ConnConfig::load(&self.store, id)
            .await
            .context("the connection's settings")?;
        let mut ctx = ConnCtx::new(
            id,
            me.clone(),
            conn.group_chat_id,
            self.store.clone(),
            api,
            self.clock.clone(),
            self.settings.clone(),
            config,
        );
        ctx.setup_api = self
            .settings
            .setup_bot_token
            .as_ref()
            .map(|t| self.bot_api(t));
        ctx.metrics = self.metrics.clone();
        ctx.liveness = liveness;
        ctx.set_frontend(Frontend::of(&conn)?);
        ctx.delivery_slots = self.delivery_slots.clone();
        let ctx = Arc::new(ctx);
        // Intake: webhook or long polling (a bot has one or the other).
        let webhook = match &self.settings.public_url {
            Some(base) => {
                let url = format!("{base}/telegram/{id}");
                let secret = self.webhook_secret(id);
                ctx.api
                    .send(&requests::set_webhook(&url, &secret, allowed_updates(&ctx)))
                    .await
                    .map_err(|e| anyhow::anyhow!("setWebhook: {e}"))?;
                ctx.liveness.contact(ctx.now());
                true
            }
            None => {
                ctx.api
                    .send(&requests::delete_webhook())
                    .await
                    .map_err(|e| anyhow::anyhow!("deleteWebhook: {e}"))?;
                false
            }
        };
        *lock(slot) = Some(ctx.clone());
        // Running, unless the bot's place in the group says otherwise.
        crate::rights::check_at_start(&ctx).await?;
        tracing::info!(connection = %id, bot = %me.username, "connection running");
        let local = cancel.child_token();
        let _guard = local.clone().drop_guard();
        let poller = async {
            if webhook {
                return check_webhook(&ctx, &local).await;
            }
            poll(&ctx, &local).await
        };
        let processor = process_loop(&ctx, &local);
        let worker = delivery::run(&ctx, local.clone());
        let autoclose = autoclose::run(&ctx, local.clone());
        let r = tokio::try_join!(poller, processor, worker, autoclose);
        *lock(slot) = None;
        r.map(|_| ())
    }
}

/// How often the runtime looks for connections changed behind its back.
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// How long a bot may go without updates before it polls without an offset: less than the
/// week after which Telegram picks update ids at random.
pub const QUIET_MS: i64 = 6 * 24 * 3600 * 1000;

/// What a panicked task said, for the connection's status and the log.
fn panic_message(e: tokio::task::JoinError) -> String {
    if !e.is_panic() {
        return "the task was cancelled".into();
    }
    let payload = e.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Long polling: every batch is committed to the inbox before the next call confirms it.
async fn poll(ctx: &ConnCtx, cancel: &CancellationToken) -> Result<()> {
    let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(30));
    // Only this loop moves the position once the connection runs, so an empty answer leaves
    // it as read: it is read again after a batch or a failure, not before every call (an
    // idle bot polls every `poll_timeout_s`; thousands of them made a read per call count).
    let mut position: Option<(i64, Option<i64>)> = None;
    loop {
        let (stored, last) = match position {
            Some(p) => p,
            None => ctx.store.inbox().poll_position(ctx.id).await?,
        };
        position = Some((stored, last));
        // After a week without updates Telegram restarts update ids at a random number,
        // which may be below the stored offset: a bot quiet for six days asks without one
        // (pending updates are the unconfirmed ones; the inbox key drops repeats).
        let quiet = last.is_some_and(|t| ctx.now().saturating_sub(t) >= QUIET_MS);
        let offset = if quiet { 0 } else { stored };
        let fetched = tokio::select! {
            r = ctx.api.get_updates(offset, ctx.settings.poll_timeout_s, allowed_updates(ctx)) => r,
            () = cancel.cancelled() => return Ok(()),
        };
        match fetched {
            Ok(list) => {
                backoff.reset();
                ctx.liveness.contact(ctx.now());
                ctx.metrics.updates_received(ctx.id, list.len());
                if list.is_empty() {
                    continue;
                }
                position = None;
                let batch: Vec<(UpdateId, String)> = list
                    .iter()
                    .filter_map(|u| {
                        let id = u.get("update_id").and_then(serde_json::Value::as_i64);
                        if id.is_none() {
                            tracing::warn!(
                                connection = %ctx.id,
                                "getUpdates returned an update without update_id; skipped"
                            );
                        }
                        id.map(|id| (UpdateId(id), u.to_string()))
                    })
                    .collect();
                if quiet {
                    tracing::info!(
                        connection = %ctx.id,
                        "the first update after a quiet week; update ids may have restarted"
                    );
                    ctx.store
                        .inbox()
                        .put_restarting(ctx.id, &batch, ctx.now())
                        .await?;
                } else {
                    ctx.store.inbox().put(ctx.id, &batch, ctx.now()).await?;
                }
                ctx.inbox.notify_one();
            }
            Err(TgError::Unauthorized) => {
                anyhow::bail!("Telegram rejected the bot token (revoked?)")
            }
            Err(e) => {
                tracing::warn!(
                    connection = %ctx.id,
                    "getUpdates failed: {e}; retrying in about {:?}",
                    backoff.nominal()
                );
                ctx.liveness.failed(format!("getUpdates failed: {e}"));
                position = None;
                if !backoff.wait(cancel).await {
                    return Ok(());
                }
            }
        }
    }
}

/// Webhook mode: Telegram pushes the updates; every minute, ask it how the webhook is
/// doing (`getWebhookInfo`): an answer is contact (readiness), and the delivery errors
/// Telegram reports (our endpoint unreachable, bad certificate…) are logged.
async fn check_webhook(ctx: &ConnCtx, cancel: &CancellationToken) -> Result<()> {
    let mut reported: Option<i64> = None;
    loop {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(crate::health::WEBHOOK_CHECK_S)) => {}
            () = cancel.cancelled() => return Ok(()),
        }
        match ctx.api.send(&requests::get_webhook_info()).await {
            Ok(info) => {
                ctx.liveness.contact(ctx.now());
                let at = info
                    .get("last_error_date")
                    .and_then(serde_json::Value::as_i64);
                if at.is_some() && at != reported {
                    let why = info
                        .get("last_error_message")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("no message");
                    tracing::warn!(
                        connection = %ctx.id,
                        "Telegram reports it could not deliver to our webhook: {why}"
                    );
                    reported = at;
                }
            }
            Err(TgError::Unauthorized) => {
                anyhow::bail!("Telegram rejected the bot token (revoked?)")
            }
            Err(e) => ctx.liveness.failed(format!("getWebhookInfo failed: {e}")),
        }
    }
}

async fn process_loop(ctx: &ConnCtx, cancel: &CancellationToken) -> Result<()> {
    loop {
        drain_inbox(ctx).await?;
        tokio::select! {
            () = ctx.inbox.notified() => {}
            () = cancel.cancelled() => return Ok(()),
        }
    }
}
