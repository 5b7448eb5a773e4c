//! The emulator's clock: real time plus an offset that tests can advance, or frozen.
//!
//! Every timestamp tgsim hands out (message dates, the 48-hour windows, rate-limit windows)
//! comes from here, so a test can jump 48 hours ahead without sleeping.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Default)]
pub struct Clock {
    inner: Mutex<ClockState>,
}

#[derive(Debug, Default, Clone, Copy)]
struct ClockState {
    offset_ms: i64,
    frozen_at_ms: Option<i64>,
}

fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Clock {
    /// Current emulated time in unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let s = self.state();
        s.frozen_at_ms.unwrap_or_else(|| system_ms() + s.offset_ms)
    }

    /// Current emulated time in unix seconds (what the Bot API calls a date).
    pub fn now_s(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves emulated time forward (never backward).
    pub fn advance_ms(&self, ms: i64) {
        let ms = ms.max(0);
        let mut s = self.lock();
        s.offset_ms += ms;
        if let Some(f) = s.frozen_at_ms.as_mut() {
            *f += ms;
        }
    }

    /// Stops (or restarts) the passage of time. Frozen time only moves by `advance_ms`.
    pub fn set_frozen(&self, frozen: bool) {
        let mut s = self.lock();
        match (frozen, s.frozen_at_ms) {
            (true, None) => s.frozen_at_ms = Some(system_ms() + s.offset_ms),
            (false, Some(at)) => {
                s.offset_ms = at - system_ms();
                s.frozen_at_ms = None;
            }
            _ => {}
        }
    }

    pub fn is_frozen(&self) -> bool {
        self.state().frozen_at_ms.is_some()
    }

    fn state(&self) -> ClockState {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockState> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
