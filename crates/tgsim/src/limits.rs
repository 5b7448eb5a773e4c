//! Flood limits: sliding windows per bot, per chat and per group, answered with 429.
//!
//! Every call that puts something into a chat counts: sends, copies, forwards, edits and
//! topic operations (a whole forum is one chat, so all its topics share the group budget).
//! A refused call consumes nothing, and `retry_after` is the whole seconds until the oldest
//! counted call leaves the window that refused.

use std::collections::{HashMap, VecDeque};

use crate::config::LimitsConfig;

#[derive(Debug, Default)]
pub struct Limiter {
    pub config: LimitsConfig,
    windows: HashMap<(i64, Scope), VecDeque<i64>>,
    /// Refusals so far (statistics for the control API and benchmarks).
    pub refused: u64,
    /// Calls counted so far.
    pub counted: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scope {
    Bot,
    Chat(i64),
    Group(i64),
}

impl Limiter {
    pub fn new(config: LimitsConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// Checks and, if allowed, records `n` messages from `bot` into `chat` at `now_ms`.
    /// Returns `Err(retry_after_seconds)` when a window is full.
    pub fn admit(
        &mut self,
        bot: i64,
        chat: i64,
        is_group: bool,
        n: u32,
        now_ms: i64,
    ) -> Result<(), i64> {
        if !self.config.enabled || n == 0 {
            return Ok(());
        }
        let c = &self.config;
        let mut checks = vec![(Scope::Bot, c.bot_per_second, 1_000_i64)];
        // Per chat: `chat_per_second` sustained plus a burst allowance, as a window of
        // `chat_burst` messages over `chat_burst / chat_per_second` seconds.
        let burst = c.chat_burst.max(c.chat_per_second).max(1);
        let burst_window = i64::from(burst) * 1_000 / i64::from(c.chat_per_second.max(1));
        checks.push((Scope::Chat(chat), burst, burst_window));
        if is_group {
            checks.push((Scope::Group(chat), c.group_per_minute, 60_000));
        }
        let mut wait_ms = 0_i64;
        for (scope, limit, window) in &checks {
            let q = self.windows.entry((bot, *scope)).or_default();
            while q.front().is_some_and(|t| *t <= now_ms - window) {
                q.pop_front();
            }
            let limit = *limit as usize;
            if limit == 0 {
                continue;
            }
            if q.len() + n as usize > limit {
                // The call fits once enough of the oldest entries have left the window.
                let need = (q.len() + n as usize).saturating_sub(limit);
                let idx = need.saturating_sub(1).min(q.len().saturating_sub(1));
                let leaves = q.get(idx).map_or(now_ms, |t| t + window);
                wait_ms = wait_ms.max(leaves - now_ms);
            }
        }
        if wait_ms > 0 {
            self.refused += 1;
            return Err((wait_ms + 999) / 1_000);
        }
        for (scope, _, _) in &checks {
            let q = self.windows.entry((bot, *scope)).or_default();
            for _ in 0..n {
                q.push_back(now_ms);
            }
        }
        self.counted += u64::from(n);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> Limiter {
        Limiter::new(LimitsConfig {
            enabled: true,
            ..LimitsConfig::default()
        })
    }

    #[test]
    fn group_budget_is_twenty_per_minute() {
        let mut l = on();
        for i in 0..20 {
            // 3.1 s apart: the per-chat burst window never fills.
            assert_eq!(l.admit(1, -100, true, 1, i * 3_100), Ok(()), "message {i}");
        }
        let t = 19 * 3_100 + 100;
        let retry = l.admit(1, -100, true, 1, t).unwrap_err();
        // The first message (t=0) leaves the 60 s window at 60 s.
        assert_eq!(retry, (60_000 - t + 999) / 1_000);
        assert_eq!(l.admit(1, -100, true, 1, 60_000), Ok(()));
    }

    #[test]
    fn private_chat_allows_a_burst_then_one_per_second() {
        let mut l = on();
        for _ in 0..3 {
            assert_eq!(l.admit(1, 42, false, 1, 0), Ok(()));
        }
        assert_eq!(l.admit(1, 42, false, 1, 10), Err(3));
        assert_eq!(l.admit(1, 42, false, 1, 3_000), Ok(()));
        // Another chat is unaffected; another bot too.
        assert_eq!(l.admit(1, 43, false, 1, 10), Ok(()));
        assert_eq!(l.admit(2, 42, false, 1, 10), Ok(()));
    }

    #[test]
    fn bot_wide_limit_is_thirty_per_second() {
        let mut l = on();
        for chat in 0..30 {
            assert_eq!(l.admit(1, chat, false, 1, 500), Ok(()));
        }
        assert_eq!(l.admit(1, 99, false, 1, 600), Err(1));
        assert_eq!(l.refused, 1);
        assert_eq!(l.admit(1, 99, false, 1, 1_500), Ok(()));
    }

    #[test]
    fn disabled_admits_everything() {
        let mut l = Limiter::new(LimitsConfig::default());
        for _ in 0..1_000 {
            assert_eq!(l.admit(1, -1, true, 1, 0), Ok(()));
        }
    }
}
