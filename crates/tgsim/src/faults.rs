//! Fault injection: make chosen methods of chosen bots fail the way Telegram sometimes does.

use rand::Rng;
use rand::rngs::SmallRng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaultKind {
    /// 429 with `retry_after`.
    #[serde(rename = "429")]
    TooManyRequests,
    /// A 5xx answer: 500 as Telegram's JSON, 502/503/504 as a proxy's HTML page.
    #[serde(rename = "5xx")]
    ServerError,
    /// Answer late (the call still happens): before the call takes effect, or with `after`
    /// once it took effect (the client waits while the result is already visible).
    #[serde(rename = "slow")]
    Slow,
    /// Close the connection without a complete answer.
    #[serde(rename = "drop")]
    Drop,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FaultRule {
    /// Only this bot (by user id); all bots when absent.
    #[serde(default)]
    pub bot_id: Option<i64>,
    /// Only this method (case-insensitive); all methods when absent.
    #[serde(default)]
    pub method: Option<String>,
    pub kind: FaultKind,
    /// Probability per matching call, 0..=1.
    #[serde(default = "one")]
    pub rate: f64,
    /// Fire at most this many times, then the rule retires.
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub retry_after: Option<i64>,
    /// HTTP status for `5xx` (default 500).
    #[serde(default)]
    pub status: Option<u16>,
    /// Delay for `slow`.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Fail after the call took effect (the client cannot know it did): `5xx` and `drop`;
    /// for `slow`, answer late after the effect.
    #[serde(default)]
    pub after: bool,
}

fn one() -> f64 {
    1.0
}

/// What the HTTP layer does for one call.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub delay_ms: u64,
    /// Delay after the call took effect, before answering.
    pub delay_after_ms: u64,
    pub failure: Option<FaultRule>,
}

#[derive(Debug, Default)]
pub struct Faults {
    pub rules: Vec<FaultRule>,
    pub fired: u64,
}

impl Faults {
    pub fn judge(&mut self, bot: i64, method: &str, rng: &mut SmallRng) -> Verdict {
        let mut v = Verdict::default();
        for rule in &mut self.rules {
            if rule.bot_id.is_some_and(|b| b != bot)
                || rule
                    .method
                    .as_deref()
                    .is_some_and(|m| !m.eq_ignore_ascii_case(method))
                || rule.count == Some(0)
            {
                continue;
            }
            if rule.kind != FaultKind::Slow && v.failure.is_some() {
                continue;
            }
            if rule.rate < 1.0 && !rng.random_bool(rule.rate.clamp(0.0, 1.0)) {
                continue;
            }
            if let Some(c) = rule.count.as_mut() {
                *c -= 1;
            }
            self.fired += 1;
            match rule.kind {
                FaultKind::Slow if rule.after => {
                    v.delay_after_ms += rule.delay_ms.unwrap_or(1_000);
                }
                FaultKind::Slow => v.delay_ms += rule.delay_ms.unwrap_or(1_000),
                _ => v.failure = Some(rule.clone()),
            }
        }
        self.rules.retain(|r| r.count != Some(0));
        v
    }
}
