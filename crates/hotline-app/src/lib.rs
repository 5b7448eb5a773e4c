//! hotline-app: the runtime. A supervisor runs every enabled connection (polling or webhook
//! intake, the update processor, the delivery worker); the relay turns updates into durable
//! outbox jobs; the delivery worker executes them in per-chat order, paced to Telegram's
//! limits, and copes with every failure Telegram can answer.

// Production code never indexes: an out-of-range index or slice would panic inside a
// connection. Unit tests may.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod autoclose;
pub mod broadcast;
pub mod business;
pub mod card;
pub mod commands;
pub mod config;
pub mod connect;
pub mod ctx;
pub mod delivery;
pub mod export;
pub mod format;
pub mod frontend;
pub mod general;
pub mod health;
mod http;
mod inbox;
pub mod jobs;
pub mod keys;
pub mod lifecycle;
pub mod metrics;
pub mod notices;
pub mod relay;
pub mod retention;
pub mod retry;
pub mod rights;
mod route;
pub mod runtime;
mod service;
pub mod settings;
pub mod setup;
pub mod tags;
pub mod templates;
pub mod webhook;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

pub use runtime::Runtime;

/// Locks a mutex whose data stays usable after a panic elsewhere (caches and registries:
/// a poisoned lock is not a reason to stop serving).
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
pub use settings::{ConfigError, LogFormat, Settings};

/// Where the runtime gets "now" from: the system clock in production, a manual one in
/// tests. Unix milliseconds.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now_ms(&self) -> i64;

    /// Fires when the clock jumps (a test advancing time), so timers re-check at once.
    /// `None`: the clock only moves with real time.
    fn jumps(&self) -> Option<tokio::sync::watch::Receiver<i64>> {
        None
    }
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// The system clock shifted by an offset that tests move forward (`advance_ms`): time
/// still flows (album windows, retries), and a jump of hours happens at once, waking every
/// timer that watches [`Clock::jumps`].
#[derive(Debug)]
pub struct ManualClock {
    offset: AtomicI64,
    jumps: tokio::sync::watch::Sender<i64>,
}

impl ManualClock {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            offset: AtomicI64::new(0),
            jumps: tokio::sync::watch::channel(0).0,
        })
    }

    pub fn advance_ms(&self, ms: i64) {
        let offset = self.offset.fetch_add(ms, Ordering::SeqCst) + ms;
        self.jumps.send_replace(offset);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        SystemClock.now_ms() + self.offset.load(Ordering::SeqCst)
    }

    fn jumps(&self) -> Option<tokio::sync::watch::Receiver<i64>> {
        Some(self.jumps.subscribe())
    }
}
