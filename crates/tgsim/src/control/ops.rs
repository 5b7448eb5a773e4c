//! Steering the emulator: the clock, fault rules, flood limits, statistics and a world summary.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{CResult, Shared, bad, ok};
use crate::LimitsConfig;
use crate::faults::FaultRule;
use crate::render;
use crate::world::ChatKey;

#[derive(Deserialize)]
pub(super) struct ClockOp {
    advance_ms: Option<i64>,
    advance_hours: Option<i64>,
    freeze: Option<bool>,
}

pub(super) async fn clock(State(sim): Shared, Json(b): Json<ClockOp>) -> CResult {
    if let Some(f) = b.freeze {
        sim.clock.set_frozen(f);
    }
    let ms = b.advance_ms.unwrap_or(0) + b.advance_hours.unwrap_or(0) * 3_600_000;
    if ms < 0 {
        return Err(bad("time only moves forward"));
    }
    sim.clock.advance_ms(ms);
    sim.world().touch();
    clock_get(State(sim)).await
}

pub(super) async fn clock_get(State(sim): Shared) -> CResult {
    ok(
        json!({ "now_ms": sim.clock.now_ms(), "now": sim.clock.now_s(), "frozen": sim.clock.is_frozen() }),
    )
}

#[derive(Deserialize)]
pub(super) struct FaultSet {
    rules: Vec<FaultRule>,
    /// Add to the existing rules instead of replacing them.
    #[serde(default)]
    append: bool,
}

pub(super) async fn faults_set(State(sim): Shared, Json(b): Json<FaultSet>) -> CResult {
    for r in &b.rules {
        if !(0.0..=1.0).contains(&r.rate) {
            return Err(bad("rate is a probability between 0 and 1"));
        }
    }
    let mut f = sim
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !b.append {
        f.rules.clear();
    }
    f.rules.extend(b.rules);
    ok(json!(f.rules))
}

pub(super) async fn faults_get(State(sim): Shared) -> CResult {
    let f = sim
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    ok(json!({ "rules": f.rules, "fired": f.fired }))
}

pub(super) async fn faults_clear(State(sim): Shared) -> CResult {
    sim.faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .rules
        .clear();
    ok(json!(true))
}

pub(super) async fn limits_set(State(sim): Shared, Json(b): Json<LimitsConfig>) -> CResult {
    let mut w = sim.world();
    w.limiter.config = b.clone();
    w.config.limits = b;
    ok(json!(w.limiter.config))
}

pub(super) async fn limits_get(State(sim): Shared) -> CResult {
    let w = sim.world();
    ok(
        json!({ "config": w.limiter.config, "counted": w.limiter.counted, "refused": w.limiter.refused }),
    )
}

pub(super) async fn stats(State(sim): Shared) -> CResult {
    let s = sim.stats();
    // Messages stored (deleted ones included), in private chats and in groups: a cheap
    // count for load generators waiting until a phase's copies have arrived.
    let (counted, refused, private, groups) = {
        let w = sim.world();
        let (mut private, mut groups) = (0usize, 0usize);
        for c in w.chats.values() {
            match c.key {
                ChatKey::Group(_) => groups += c.messages.len(),
                _ => private += c.messages.len(),
            }
        }
        (w.limiter.counted, w.limiter.refused, private, groups)
    };
    let fired = sim
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .fired;
    ok(
        json!({ "calls": s.calls, "statuses": s.statuses, "limited": { "counted": counted, "refused": refused }, "faults_fired": fired, "messages": { "private": private, "groups": groups } }),
    )
}

pub(super) async fn world_summary(State(sim): Shared) -> CResult {
    let w = sim.world();
    let users: Vec<Value> = w
        .users
        .values()
        .filter(|u| !u.is_bot && u.id > 1_000_000)
        .map(|u| render::user(&w, u.id))
        .collect();
    let bots: Vec<Value> = w
        .bots
        .values()
        .map(|b| json!({ "user": render::user(&w, b.id), "token": b.token, "business": b.can_connect_to_business }))
        .collect();
    let business: Vec<Value> = w
        .business
        .values()
        .filter(|c| c.enabled)
        .map(|c| {
            json!({
                "id": c.id, "owner": c.owner, "bot": render::user(&w, c.bot),
                "rights": c.rights, "recipients": c.recipients,
            })
        })
        .collect();
    let chats: Vec<Value> = w
        .chats
        .values()
        .filter(|c| matches!(c.key, ChatKey::Group(_)) && c.migrated_to.is_none())
        .map(|c| {
            let mut v = render::chat(&w, c.key, 0);
            v["members"] = json!(c.members.iter().filter(|(_, m)| m.status.is_present()).map(|(id, m)| json!({ "id": id, "status": m.status.as_str() })).collect::<Vec<_>>());
            v["topics"] = json!(c.topics.values().filter(|t| !t.deleted).map(|t| json!({ "id": t.id, "name": t.name, "closed": t.closed, "icon_color": t.icon_color })).collect::<Vec<_>>());
            v
        })
        .collect();
    ok(json!({ "users": users, "bots": bots, "chats": chats, "business": business }))
}
