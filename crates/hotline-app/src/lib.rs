//! hotline-app: the runtime. A supervisor runs every enabled connection (polling or webhook
//! intake, the update processor, the delivery worker); the relay turns updates into durable
//! outbox jobs; the delivery worker executes them in per-chat order, paced to Telegram's
//! limits, and copes with every failure Telegram can answer.

pub mod connect;
pub mod delivery;
pub mod jobs;
pub mod notices;
pub mod relay;
pub mod runtime;
pub mod settings;
pub mod webhook;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

pub use runtime::Runtime;
pub use settings::{ConfigError, Settings};

/// Where the runtime gets "now" from: the system clock in production, a manual one in
/// tests. Unix milliseconds.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now_ms(&self) -> i64;
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

/// A clock that moves only when told (tests).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(start_ms: i64) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(start_ms)))
    }

    pub fn advance_ms(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}
