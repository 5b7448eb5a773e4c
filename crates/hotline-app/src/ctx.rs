//! What one connection's tasks share ([`ConnCtx`]): its ids, store, Bot API client, clock,
//! settings (reloaded when their version moves), the group it serves, and small caches;
//! plus the helpers every flow uses to queue a job and read a reply, and its [`Liveness`]
//! (when Telegram last answered its intake; kept by the runtime across restarts).

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use lru::LruCache;
use tokio::sync::{Notify, Semaphore};

use hotline_core::{ChatId, ConnectionId, ThreadId, UserId};
use hotline_store::{Dialog, Store, Tx};
use hotline_telegram::{BotApi, Me, Message};

use crate::config::ConnConfig;
use crate::frontend::Frontend;
use crate::jobs::Job;
use crate::metrics::Metrics;
use crate::{Clock, Settings, lock};

/// How many entries each per-connection cache keeps: bounded whatever the number of
/// customers, members or topics a connection has seen (they are caches of stored data).
pub(crate) const CACHED_CUSTOMERS: NonZeroUsize = NonZeroUsize::new(10_000).unwrap();
pub(crate) const CACHED_MEMBERS: NonZeroUsize = NonZeroUsize::new(10_000).unwrap();
pub(crate) const CACHED_TOLD_THREADS: NonZeroUsize = NonZeroUsize::new(1_000).unwrap();

/// A least-recently-used cache of at most `cap` entries that grows as it is filled.
/// (`LruCache::new(cap)` allocates its table for `cap` entries up front: with three caches
/// per connection that was ~600 KB of address space and ~100 KB resident per idle bot,
/// most of an instance's memory with thousands of bots.)
#[derive(Debug)]
pub(crate) struct Cache<K: std::hash::Hash + Eq, V> {
    inner: LruCache<K, V>,
    cap: NonZeroUsize,
}

impl<K: std::hash::Hash + Eq, V> Cache<K, V> {
    pub(crate) fn new(cap: NonZeroUsize) -> Self {
        Self {
            inner: LruCache::unbounded(),
            cap,
        }
    }

    pub(crate) fn get(&mut self, k: &K) -> Option<&V> {
        self.inner.get(k)
    }

    /// Stores `v` under `k` (the most recent entry), evicting the least recent past the
    /// bound; returns the value `k` had.
    pub(crate) fn put(&mut self, k: K, v: V) -> Option<V> {
        let old = self.inner.put(k, v);
        while self.inner.len() > self.cap.get() {
            self.inner.pop_lru();
        }
        old
    }

    pub(crate) fn clear(&mut self) {
        self.inner.clear();
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner.len()
    }
}

/// Everything one connection's tasks share.
#[derive(Debug)]
pub struct ConnCtx {
    pub id: ConnectionId,
    pub bot_id: i64,
    /// The frontend bot's username (commands may be addressed `/del@username`).
    pub bot_username: String,
    /// The backend group (changes when Telegram upgrades a group to a supergroup).
    group: AtomicI64,
    pub store: Store,
    pub api: BotApi,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// Wakes the delivery worker when jobs were queued.
    pub work: Arc<Notify>,
    /// Wakes the processor when updates were stored.
    pub inbox: Arc<Notify>,
    /// Customers as last written, to skip rewriting unchanged rows on every message (the
    /// [`CACHED_CUSTOMERS`] most recent; a miss only costs a write).
    pub(crate) customers: Mutex<Cache<i64, (CustomerKey, i64)>>,
    /// The connection's settings, reloaded when their version moves.
    config: std::sync::RwLock<Arc<ConnConfig>>,
    /// What customers write to (replaced when Telegram sends a new business connection).
    frontend: std::sync::RwLock<Arc<Frontend>>,
    /// The setup bot, which sends customer cards privately (HIDE_INFO `command`).
    pub setup_api: Option<BotApi>,
    /// Group members as last recorded (user id → username, first name), so an admin can
    /// name them by @username in the setup bot without a write per message.
    /// The [`CACHED_MEMBERS`] most recent.
    pub(crate) members: Mutex<Cache<i64, (Option<String>, String)>>,
    /// Topics without a dialog whose team was already told so (once per process; the
    /// [`CACHED_TOLD_THREADS`] most recent).
    pub(crate) told_threads: Mutex<Cache<i64, ()>>,
    /// The instance's metrics.
    pub metrics: Arc<Metrics>,
    /// When Telegram last answered this connection's intake (readiness).
    pub liveness: Arc<Liveness>,
    /// Bot API calls the whole instance may have in flight (`delivery_concurrency_total`);
    /// the runtime hands every connection the same one.
    pub delivery_slots: Arc<Semaphore>,
}

/// One connection's contact with Telegram, shared by its tasks and the readiness check; it
/// outlives the connection's restarts (its last error stays visible while it retries).
#[derive(Debug, Default)]
pub struct Liveness {
    /// When Telegram last answered the intake (Unix ms); the start time before that.
    contact_ms: AtomicI64,
    /// Why the last intake attempt failed, until one succeeds.
    error: Mutex<Option<String>>,
}

impl Liveness {
    pub fn new(now_ms: i64) -> Arc<Self> {
        let l = Liveness::default();
        l.contact_ms.store(now_ms, Ordering::Relaxed);
        Arc::new(l)
    }

    /// Telegram answered.
    pub fn contact(&self, now_ms: i64) {
        self.contact_ms.store(now_ms, Ordering::Relaxed);
        *lock(&self.error) = None;
    }

    /// The intake failed (it keeps retrying).
    pub fn failed(&self, why: String) {
        *lock(&self.error) = Some(why);
    }

    pub(crate) fn last_contact(&self) -> i64 {
        self.contact_ms.load(Ordering::Relaxed)
    }

    pub(crate) fn last_error(&self) -> Option<String> {
        lock(&self.error).clone()
    }
}

pub(crate) type CustomerKey = (String, Option<String>, Option<String>, Option<String>);

/// How stale `customers.last_seen` may get before a message rewrites it.
pub(crate) const LAST_SEEN_PRECISION_MS: i64 = 60_000;

impl ConnCtx {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: ConnectionId,
        bot: Me,
        group: ChatId,
        store: Store,
        api: BotApi,
        clock: Arc<dyn Clock>,
        settings: Arc<Settings>,
        config: ConnConfig,
    ) -> Self {
        let delivery_slots = Arc::new(Semaphore::new(settings.delivery_concurrency_total));
        Self {
            id,
            bot_id: bot.id,
            bot_username: bot.username,
            group: AtomicI64::new(group.0),
            store,
            api,
            clock,
            settings,
            work: Arc::new(Notify::new()),
            inbox: Arc::new(Notify::new()),
            customers: Mutex::new(Cache::new(CACHED_CUSTOMERS)),
            members: Mutex::new(Cache::new(CACHED_MEMBERS)),
            told_threads: Mutex::new(Cache::new(CACHED_TOLD_THREADS)),
            config: std::sync::RwLock::new(Arc::new(config)),
            frontend: std::sync::RwLock::new(Arc::new(Frontend::Bot)),
            setup_api: None,
            metrics: Arc::new(Metrics::new()),
            liveness: Liveness::new(0),
            delivery_slots,
        }
    }

    /// The settings as last loaded.
    pub fn cfg(&self) -> Arc<ConnConfig> {
        self.config
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Reloads the settings if they changed in the store (one indexed read when they did
    /// not); returns the current ones.
    pub async fn refresh(&self) -> anyhow::Result<Arc<ConnConfig>> {
        let current = self.cfg();
        let version = self.store.connections().settings_version(self.id).await?;
        if version == Some(current.version) {
            return Ok(current);
        }
        self.reload().await
    }

    /// Loads the settings from the store and applies them.
    pub async fn reload(&self) -> anyhow::Result<Arc<ConnConfig>> {
        let fresh = Arc::new(ConnConfig::load(&self.store, self.id).await?);
        tracing::info!(
            connection = %self.id,
            version = fresh.version,
            "settings changed; applying them"
        );
        self.set_cfg(fresh.clone());
        Ok(fresh)
    }

    pub fn set_cfg(&self, cfg: Arc<ConnConfig>) {
        *self
            .config
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = cfg;
    }

    /// The frontend as last known.
    pub fn frontend(&self) -> Arc<Frontend> {
        self.frontend
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn set_frontend(&self, f: Frontend) {
        *self
            .frontend
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(f);
    }

    pub fn group(&self) -> ChatId {
        ChatId(self.group.load(Ordering::SeqCst))
    }

    /// Follows a group → supergroup upgrade everywhere.
    pub async fn move_group(&self, to: ChatId) -> hotline_store::Result<()> {
        let from = self.group();
        if from != to {
            self.store
                .connections()
                .move_group(self.id, from, to)
                .await?;
            self.group.store(to.0, Ordering::SeqCst);
            tracing::info!(
                connection = %self.id,
                %from,
                %to,
                "backend group upgraded; following it"
            );
        }
        Ok(())
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The dialog whose topic is `thread` in this connection's backend group.
    pub(crate) async fn dialog_in_topic(
        &self,
        tx: &mut Tx,
        thread: i64,
    ) -> hotline_store::Result<Option<Dialog>> {
        tx.dialogs()
            .by_thread(self.id, self.group(), ThreadId(thread))
            .await
    }
}

/// Records a member of the backend group the first time this process sees them (or when
/// their name changed), for the setup bot's "assign a role by @username".
pub(crate) async fn remember_member(
    ctx: &ConnCtx,
    tx: &mut Tx,
    u: &hotline_telegram::User,
    now: i64,
) -> anyhow::Result<()> {
    let id = u.id as i64;
    let seen = (u.username.clone(), u.first_name.clone());
    let known = lock(&ctx.members).get(&id) == Some(&seen);
    if known {
        return Ok(());
    }
    let member = hotline_store::Member {
        user_id: UserId(id),
        username: seen.0.clone(),
        first_name: seen.1.clone(),
    };
    tx.members().seen(ctx.id, &member, now).await?;
    lock(&ctx.members).put(id, seen);
    Ok(())
}

/// The replied-to message id, ignoring the implicit reply to a topic's creation message.
pub(crate) fn reply_target(m: &Message) -> Option<i64> {
    let r = m.reply_to_message.as_ref()?;
    let id = i64::from(r.message_id);
    if m.message_thread_id.map(i64::from) == Some(id) {
        None
    } else {
        Some(id)
    }
}

/// The dialog of a customer's private chat, created (named `name`) if they have none yet.
pub(crate) async fn customer_dialog(
    ctx: &ConnCtx,
    tx: &mut Tx,
    chat: ChatId,
    name: &str,
    now: i64,
) -> anyhow::Result<Dialog> {
    if let Some(d) = tx.dialogs().for_customer(ctx.id, chat).await? {
        return Ok(d);
    }
    let id = tx
        .dialogs()
        .create(
            ctx.id,
            chat,
            ctx.group(),
            name,
            hotline_core::dialog::DialogKind::Private,
            now,
        )
        .await?;
    tx.dialogs()
        .get(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("dialog vanished"))
}

/// Queues one job, due at `not_before`.
pub(crate) async fn push(
    ctx: &ConnCtx,
    tx: &mut Tx,
    job: Job,
    not_before: i64,
    now: i64,
) -> anyhow::Result<()> {
    tx.outbox()
        .push(ctx.id, &job.to_new(not_before), now)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_the_most_recent_entries_up_to_its_bound() {
        let mut c = Cache::new(NonZeroUsize::new(3).unwrap());
        for k in 0..3 {
            assert_eq!(c.put(k, k * 10), None);
        }
        // 0 is used, so 1 is the least recent when 3 arrives.
        assert_eq!(c.get(&0), Some(&0));
        assert_eq!(c.put(3, 30), None);
        assert_eq!(c.len(), 3);
        assert_eq!(c.get(&1), None);
        assert_eq!(c.get(&0), Some(&0));
        assert_eq!(c.put(0, 1), Some(0), "a put returns the value replaced");
        assert_eq!(c.len(), 3);
        c.clear();
        assert_eq!(c.get(&3), None);
    }
}
