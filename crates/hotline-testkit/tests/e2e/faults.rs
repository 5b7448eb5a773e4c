//! Faults Telegram really produces, each reproduced through tgsim: a 429 with pacing off,
//! `copyMessages` skipping an item, a topic created whose answer was lost.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use hotline_testkit::World;
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::{Db, Helpdesk};

/// The traffic log tgsim wrote, one call per entry.
fn traffic(path: &std::path::Path) -> Result<Vec<Value>> {
    let text = std::fs::read_to_string(path)?;
    text.lines().map(|l| Ok(serde_json::from_str(l)?)).collect()
}

fn chat_of(call: &Value) -> Option<i64> {
    let c = &call["params"]["chat_id"];
    c.as_i64()
        .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
}

/// With pacing off, a 429 for the group holds back every lane writing into that group (not
/// only the lane whose call was refused) until `retry_after` has passed.
#[tokio::test]
async fn a_429_blocks_the_whole_group_with_pacing_off() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("traffic.jsonl");
    let world = World::start_with(tgsim::Config {
        record_path: Some(log.clone()),
        ..tgsim::Config::default()
    })
    .await?;
    let h = Helpdesk::start_on(world, Db::Sqlite, |s| s.pacing = false).await?;
    h.relay_only().await?;
    let mut customers = Vec::new();
    for name in ["Ann", "Ben", "Cid"] {
        let c = h.customer(name).await?;
        c.says(&h.frontend, &format!("{name} 0")).await?;
        let topic = h.topic_of(&c).await?;
        customers.push((name, c, topic));
    }
    h.settle().await?;
    h.world
        .faults(json!([
            {"bot_id": h.frontend.id, "method": "copyMessage", "kind": "429", "retry_after": 1, "count": 1}
        ]))
        .await?;
    for i in 1..=4 {
        for (name, c, _) in &customers {
            c.says(&h.frontend, &format!("{name} {i}")).await?;
        }
    }
    for (name, _, topic) in &customers {
        let last = format!("{name} 4");
        h.topic_until(*topic, |m| texts(m).contains(&last)).await?;
    }
    let calls = traffic(&log)?;
    let refused = calls
        .iter()
        .find(|c| c["response"]["error_code"] == 429)
        .context("the 429 was served")?;
    let at = refused["at_ms"].as_i64().context("at_ms")?;
    let group = h.forum.id;
    let early: Vec<&Value> = calls
        .iter()
        .filter(|c| chat_of(c) == Some(group))
        .filter(|c| {
            let t = c["at_ms"].as_i64().unwrap_or_default();
            t > at && t < at + 1000
        })
        .collect();
    assert!(
        early.is_empty(),
        "calls into the group within retry_after of the 429: {early:?}"
    );
    Ok(())
}
