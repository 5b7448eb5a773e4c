//! One way to retry: exponential backoff with jitter and a cap, used by every loop that
//! retries (the connection supervisor, long polling, the setup bot, group watchers, and
//! compare-and-set on settings). A success resets it.
//!
//! The jitter is "equal jitter": each pause is between half and all of the nominal one, so
//! many connections failing together (Telegram down, the database restarting) do not come
//! back in lockstep, and a pause is never longer than the nominal schedule.

use std::time::Duration;

use rand::Rng;
use tokio_util::sync::CancellationToken;

/// A backoff schedule: `first`, then doubling up to `cap`.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    cap: Duration,
    next: Duration,
}

impl Backoff {
    pub fn new(first: Duration, cap: Duration) -> Self {
        Backoff {
            first,
            cap: cap.max(first),
            next: first,
        }
    }

    /// After a success: the next failure waits `first` again.
    pub fn reset(&mut self) {
        self.next = self.first;
    }

    /// The nominal pause the next failure waits (before jitter), for log lines.
    pub fn nominal(&self) -> Duration {
        self.next
    }

    /// The pause for this failure (jittered), moving the schedule on.
    pub fn next_pause(&mut self) -> Duration {
        let nominal = self.next;
        self.next = nominal.saturating_mul(2).min(self.cap);
        let half = nominal / 2;
        let spread = u64::try_from(half.as_micros()).unwrap_or(u64::MAX);
        let extra = if spread == 0 {
            0
        } else {
            rand::rng().random_range(0..=spread)
        };
        (nominal - half) + Duration::from_micros(extra)
    }

    /// Waits out the pause for this failure; `false` when `cancel` fired meanwhile.
    pub async fn wait(&mut self, cancel: &CancellationToken) -> bool {
        let pause = self.next_pause();
        tokio::select! {
            () = tokio::time::sleep(pause) => true,
            () = cancel.cancelled() => false,
        }
    }

    /// Waits out the pause for this failure (nothing to cancel it).
    pub async fn sleep(&mut self) {
        tokio::time::sleep(self.next_pause()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_with_jitter_below_the_nominal() {
        let mut b = Backoff::new(Duration::from_millis(200), Duration::from_secs(1));
        let nominal = [200, 400, 800, 1000, 1000];
        for n in nominal {
            assert_eq!(b.nominal(), Duration::from_millis(n));
            let p = b.next_pause();
            assert!(p >= Duration::from_millis(n / 2), "{p:?} ≥ half of {n} ms");
            assert!(p <= Duration::from_millis(n), "{p:?} ≤ {n} ms");
        }
        b.reset();
        assert_eq!(b.nominal(), Duration::from_millis(200));
    }

    #[test]
    fn a_zero_schedule_never_waits() {
        let mut b = Backoff::new(Duration::ZERO, Duration::ZERO);
        assert_eq!(b.next_pause(), Duration::ZERO);
    }
}
