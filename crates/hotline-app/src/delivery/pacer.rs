//! Pacing: spacing per key (bot, private chat, group) so our own pace never provokes a 429,
//! and `retry_after` blocks that hold with pacing on or off.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

/// Spacing-based pacing (GCRA with a burst of one) over several keys at once: a call is
/// admitted only when every key it touches is free, and then all of them are charged. That
/// keeps us inside sliding-window limits like Telegram's without ever over-consuming.
///
/// A 429's `retry_after` is kept apart from the spacing and holds whether pacing is on or
/// off: with pacing off (a local Bot API server, tests) Telegram's word still applies to
/// every call into that chat.
#[derive(Debug, Default)]
pub struct Pacer {
    next: HashMap<PaceKey, Instant>,
    blocked: HashMap<PaceKey, Instant>,
    enabled: bool,
}

/// The longest `retry_after` honoured as given (Telegram's are seconds to minutes); a
/// larger one (a broken proxy) is capped rather than overflowing the clock.
pub(super) const MAX_BLOCK: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaceKey {
    Bot,
    Chat(i64),
    Group(i64),
}

impl PaceKey {
    fn interval(self) -> Duration {
        match self {
            // ≈30/s per bot, with a margin for clock jitter.
            PaceKey::Bot => Duration::from_millis(36),
            // ≈1/s per chat.
            PaceKey::Chat(_) => Duration::from_millis(1_050),
            // 20/min per group: one every 3 s, plus a margin (≈95% of the budget).
            PaceKey::Group(_) => Duration::from_millis(3_150),
        }
    }
}

impl Pacer {
    pub fn new(enabled: bool) -> Self {
        Self {
            next: HashMap::new(),
            blocked: HashMap::new(),
            enabled,
        }
    }

    fn keys(chat: i64) -> Vec<PaceKey> {
        if chat < 0 {
            vec![PaceKey::Bot, PaceKey::Group(chat)]
        } else {
            vec![PaceKey::Bot, PaceKey::Chat(chat)]
        }
    }

    /// `None` when a call into `chat` may go now; otherwise how long to wait.
    pub fn wait(&self, chat: i64, now: Instant) -> Option<Duration> {
        Self::keys(chat)
            .iter()
            .flat_map(|k| {
                let spaced = if self.enabled { self.next.get(k) } else { None };
                [self.blocked.get(k), spaced]
            })
            .flatten()
            .filter(|t| **t > now)
            .map(|t| *t - now)
            .max()
    }

    pub fn charge(&mut self, chat: i64, now: Instant) {
        if !self.enabled {
            return;
        }
        for k in Self::keys(chat) {
            let at = self
                .next
                .get(&k)
                .copied()
                .filter(|t| *t > now)
                .unwrap_or(now);
            self.next.insert(k, at + k.interval());
        }
    }

    /// Telegram said 429 for `chat`: nothing goes there for `secs`.
    pub fn block(&mut self, chat: i64, secs: u64, now: Instant) {
        let d = Duration::from_secs(secs).min(MAX_BLOCK);
        let until = now.checked_add(d).unwrap_or(now);
        // Blocks that ran out are forgotten, so the map holds only chats blocked now.
        self.blocked.retain(|_, t| *t > now);
        for k in Self::keys(chat).into_iter().skip(1) {
            let at = self.blocked.get(&k).copied().unwrap_or(now).max(until);
            self.blocked.insert(k, at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacer_spaces_calls_per_group_and_blocks_after_429() {
        let mut p = Pacer::new(true);
        let t0 = Instant::now();
        assert_eq!(p.wait(-100, t0), None);
        p.charge(-100, t0);
        assert_eq!(p.wait(-100, t0), Some(Duration::from_millis(3_150)));
        // Another chat only waits for the bot-wide spacing.
        assert_eq!(p.wait(42, t0), Some(Duration::from_millis(36)));
        p.block(42, 5, t0);
        assert_eq!(p.wait(42, t0), Some(Duration::from_secs(5)));
        let mut off = Pacer::new(false);
        off.charge(-100, t0);
        assert_eq!(off.wait(-100, t0), None);
        // A 429 holds with pacing off too, for every call into that chat, and only there.
        off.block(-100, 2, t0);
        assert_eq!(off.wait(-100, t0), Some(Duration::from_secs(2)));
        assert_eq!(off.wait(42, t0), None);
        assert_eq!(off.wait(-100, t0 + Duration::from_secs(2)), None);
        // An absurd retry_after is capped, never an overflow.
        off.block(-7, u64::MAX, t0);
        assert_eq!(off.wait(-7, t0), Some(MAX_BLOCK));
    }
}
