//! Pacing: spacing per key (bot, private chat, group) so our own pace never provokes a 429,
//! and `retry_after` blocks that hold with pacing on or off.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::lock;

/// Spacing-based pacing (GCRA with a burst of one) over several keys at once: a call is
/// admitted only when every key it touches is free, and then all of them are charged. That
/// keeps us inside sliding-window limits like Telegram's without ever over-consuming.
///
/// One pacer serves all of a connection's calls in flight at once: a call is admitted and
/// charged under one lock ([`Pacer::admit`]), so two calls into the same chat can never
/// both take the same free slot.
///
/// A 429's `retry_after` is kept apart from the spacing and holds whether pacing is on or
/// off: with pacing off (a local Bot API server, tests) Telegram's word still applies to
/// every call into that chat.
///
/// Memory: a key whose moment has passed carries no information (it is free, exactly as if
/// it had never been charged), so such keys are dropped whenever the map has doubled since
/// the last sweep; the maps hold only chats written to within the last few seconds.
#[derive(Debug, Default)]
pub struct Pacer {
    state: Mutex<State>,
    enabled: bool,
}

#[derive(Debug, Default)]
struct State {
    next: HashMap<PaceKey, Instant>,
    blocked: HashMap<PaceKey, Instant>,
    /// Sweep `next` once it holds this many keys.
    sweep_at: usize,
}

/// The smallest map size worth sweeping.
const SWEEP_MIN: usize = 256;

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
            // ≈29.4/s per bot: 30 calls take 986 ms, a 14 ms margin in each second for
            // jitter (bench load --phases broadcast: no 429 at this spacing).
            PaceKey::Bot => Duration::from_millis(34),
            // ≈1/s per chat.
            PaceKey::Chat(_) => Duration::from_millis(1_050),
            // 20/min per group: one every 3 s, plus a margin (≈95% of the budget).
            PaceKey::Group(_) => Duration::from_millis(3_150),
        }
    }
}

/// The keys a call into `chat` charges; `0` is a call into no chat (answering a button
/// press), which only the bot-wide budget paces.
fn keys(chat: i64) -> [PaceKey; 2] {
    if chat == 0 {
        [PaceKey::Bot, PaceKey::Bot]
    } else if chat < 0 {
        [PaceKey::Bot, PaceKey::Group(chat)]
    } else {
        [PaceKey::Bot, PaceKey::Chat(chat)]
    }
}

impl State {
    /// The earliest moment a call into `chat` may go, `now` at the soonest.
    fn free_at(&self, chat: i64, now: Instant, enabled: bool) -> Instant {
        keys(chat)
            .iter()
            .flat_map(|k| {
                let spaced = if enabled { self.next.get(k) } else { None };
                [self.blocked.get(k), spaced]
            })
            .flatten()
            .fold(now, |at, t| at.max(*t))
    }
}

impl Pacer {
    pub fn new(enabled: bool) -> Self {
        Self {
            state: Mutex::new(State::default()),
            enabled,
        }
    }

    /// `None` when a call into `chat` may go now; otherwise how long to wait.
    pub fn wait(&self, chat: i64, now: Instant) -> Option<Duration> {
        let at = lock(&self.state).free_at(chat, now, self.enabled);
        (at > now).then(|| at - now)
    }

    /// Admits a call into `chat` now and charges every key it touches — or says how long to
    /// wait, charging nothing. One lock covers the check and the charge, so of two calls
    /// asking for the same free moment only one gets it; the other waits and asks again.
    /// (Nothing is reserved ahead: a future reservation would hold the bot-wide key, and
    /// with it every other chat, until then.)
    pub fn admit(&self, chat: i64, now: Instant) -> Result<(), Duration> {
        let mut st = lock(&self.state);
        let at = st.free_at(chat, now, self.enabled);
        if at > now {
            return Err(at - now);
        }
        if self.enabled {
            for k in keys(chat) {
                st.next.insert(k, now + k.interval());
            }
            if st.next.len() >= st.sweep_at.max(SWEEP_MIN) {
                st.next.retain(|_, t| *t > now);
                st.sweep_at = st.next.len().saturating_mul(2);
            }
        }
        Ok(())
    }

    /// Telegram said 429 for `chat`: nothing goes there for `secs`.
    pub fn block(&self, chat: i64, secs: u64, now: Instant) {
        if chat == 0 {
            // No chat to hold back; the job itself waits `retry_after`.
            return;
        }
        let d = Duration::from_secs(secs).min(MAX_BLOCK);
        let until = now.checked_add(d).unwrap_or(now);
        let mut st = lock(&self.state);
        // Blocks that ran out are forgotten, so the map holds only chats blocked now.
        st.blocked.retain(|_, t| *t > now);
        for k in keys(chat).into_iter().skip(1) {
            let at = st.blocked.get(&k).copied().unwrap_or(now).max(until);
            st.blocked.insert(k, at);
        }
    }

    /// How many keys the pacer holds (tests: the maps do not grow without bound).
    #[cfg(test)]
    fn len(&self) -> usize {
        let st = lock(&self.state);
        st.next.len() + st.blocked.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacer_spaces_calls_per_group_and_blocks_after_429() {
        let p = Pacer::new(true);
        let t0 = Instant::now();
        assert_eq!(p.wait(-100, t0), None);
        assert_eq!(p.admit(-100, t0), Ok(()));
        assert_eq!(p.wait(-100, t0), Some(Duration::from_millis(3_150)));
        // Another chat only waits for the bot-wide spacing.
        assert_eq!(p.wait(42, t0), Some(Duration::from_millis(34)));
        p.block(42, 5, t0);
        assert_eq!(p.wait(42, t0), Some(Duration::from_secs(5)));
        let off = Pacer::new(false);
        assert_eq!(off.admit(-100, t0), Ok(()));
        assert_eq!(off.wait(-100, t0), None);
        // A 429 holds with pacing off too, for every call into that chat, and only there.
        off.block(-100, 2, t0);
        assert_eq!(off.wait(-100, t0), Some(Duration::from_secs(2)));
        assert_eq!(off.admit(-100, t0), Err(Duration::from_secs(2)));
        assert_eq!(off.wait(42, t0), None);
        assert_eq!(off.wait(-100, t0 + Duration::from_secs(2)), None);
        // An absurd retry_after is capped, never an overflow.
        off.block(-7, u64::MAX, t0);
        assert_eq!(off.wait(-7, t0), Some(MAX_BLOCK));
    }

    #[test]
    fn of_calls_asking_at_once_into_one_group_only_one_goes() {
        let p = Pacer::new(true);
        let t0 = Instant::now();
        let gap = Duration::from_millis(3_150);
        assert_eq!(p.admit(-100, t0), Ok(()));
        assert_eq!(p.admit(-100, t0), Err(gap));
        // The refused call charged nothing: a private chat waits only for the bot spacing.
        assert_eq!(p.admit(42, t0), Err(Duration::from_millis(34)));
        let t1 = t0 + Duration::from_millis(34);
        assert_eq!(p.admit(42, t1), Ok(()));
        assert_eq!(p.admit(-100, t0 + gap), Ok(()));
    }

    #[test]
    fn keys_of_chats_long_quiet_are_swept() {
        let p = Pacer::new(true);
        let t0 = Instant::now();
        for chat in 1..=10_000 {
            let at = t0 + Duration::from_secs(u64::try_from(chat).unwrap_or(0) * 2);
            assert_eq!(p.admit(chat, at), Ok(()));
        }
        // Each private chat is free again 1.05 s after its call: only the few most recent
        // ones (and the bot key) are still held, not ten thousand.
        assert!(p.len() < 2 * SWEEP_MIN, "{} keys held", p.len());
    }
}
