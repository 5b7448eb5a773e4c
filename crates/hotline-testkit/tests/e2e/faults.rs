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
    number(&call["params"]["chat_id"])
}

fn number(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// With pacing off, a 429 for the group holds back every lane writing into that group (not
/// only the lane whose call was refused) until `retry_after` has passed. Lanes run at once,
/// so another topic's call may already be on its way when the 429 comes back: each topic
/// gets at most that one call within `retry_after`, never its next one.
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
    let mut per_topic: std::collections::HashMap<Option<i64>, usize> = Default::default();
    for c in &early {
        *per_topic
            .entry(number(&c["params"]["message_thread_id"]))
            .or_default() += 1;
    }
    assert!(
        per_topic.values().all(|n| *n <= 1) && early.len() < customers.len(),
        "calls into the group within retry_after of the 429: {early:?}"
    );
    Ok(())
}

/// `copyMessages` skips an album item the customer deleted before it was copied: the ids it
/// returns no longer line up with the ones asked for, so no pair is guessed, and a later
/// edit never lands on another item's copy.
#[tokio::test]
async fn an_album_item_deleted_before_the_copy_shifts_no_pair() -> Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        h.relay_only().await?;
        let c = h.customer("Alba").await?;
        c.says(&h.frontend, "photos coming").await?;
        let topic = h.topic_of(&c).await?;
        h.settle().await?;
        let sent = c
            .send_all(
                &h.frontend,
                json!({"album": [
                    {"type": "photo", "caption": "a"}, {"type": "photo", "caption": "b"},
                    {"type": "photo", "caption": "c"}, {"type": "photo", "caption": "d"}
                ]}),
            )
            .await?;
        let ids: Vec<i64> = sent
            .iter()
            .filter_map(|m| m["message_id"].as_i64())
            .collect();
        assert_eq!(ids.len(), 4);
        // Deleted within the album window, before Hotline copies the album.
        c.deletes(&h.frontend, &ids[1..2]).await?;
        let captions = |shown: &[Value]| -> Vec<String> {
            shown
                .iter()
                .filter(|m| m.get("media_group_id").is_some())
                .filter_map(|m| m["caption"].as_str().map(str::to_string))
                .collect()
        };
        h.topic_until(topic, |m| captions(m).len() == 3).await?;
        h.settle().await?;
        // The customer edits c's caption.
        h.world
            .control_post(
                "/edit",
                json!({"from": c.id, "chat": h.frontend.id, "message_id": ids[2], "caption": "c, edited"}),
            )
            .await?;
        h.settle().await?;
        let shown = c_topic(&h, topic).await?;
        let now = captions(&shown);
        assert!(
            now.contains(&"d".to_string()),
            "{db:?}: d's copy was overwritten by c's edit: {now:?}"
        );
        assert!(now.contains(&"a".to_string()), "{now:?}");
    }
    Ok(())
}

async fn c_topic(h: &Helpdesk, topic: i64) -> Result<Vec<Value>> {
    h.operator.sees_topic(&h.forum, topic).await
}

/// An update whose processing fails every time (here the database refuses one customer's
/// row, as a constraint or a broken disk would) is set aside after a few attempts with its
/// error, visible to the CLI's query; the customers behind it are served.
#[tokio::test]
async fn an_update_that_always_fails_is_set_aside_and_the_rest_flows() -> Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        h.relay_only().await?;
        let url = &h.settings.database_url;
        if db == Db::Sqlite {
            hotline_store::testing::execute(
                url,
                "CREATE TRIGGER poison BEFORE INSERT ON customers WHEN NEW.first_name = 'Poison' \
                 BEGIN SELECT RAISE(ABORT, 'poisoned row'); END",
            )
            .await?;
        } else {
            hotline_store::testing::execute(
                url,
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
                 IF NEW.first_name = 'Poison' THEN RAISE EXCEPTION 'poisoned row'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql",
            )
            .await?;
            hotline_store::testing::execute(
                url,
                "CREATE TRIGGER poison BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION poison()",
            )
            .await?;
        }
        let bad = h.customer("Poison").await?;
        let good = h.customer("Fine").await?;
        bad.says(&h.frontend, "first").await?;
        good.says(&h.frontend, "second").await?;
        let topic = h.topic_of(&good).await?;
        h.topic_until(topic, |m| texts(m).contains(&"second".to_string()))
            .await?;
        // Set aside after three attempts; the connection keeps serving.
        // settle() waits for the inbox to be empty: the poisoned update leaves it only by
        // being set aside.
        h.settle().await?;
        let aside = h.store.inbox().set_aside(h.connection).await?;
        // Poison's /start and message; nobody else's.
        assert_eq!(aside.len(), 2, "{db:?}: {aside:?}");
        for u in &aside {
            assert_eq!(u.attempts, 3);
            assert!(u.error.contains("poisoned row"), "{aside:?}");
            assert!(u.payload.contains("Poison"), "{aside:?}");
        }
        good.says(&h.frontend, "third").await?;
        h.topic_until(topic, |m| texts(m).contains(&"third".to_string()))
            .await?;
        h.settle().await?;
    }
    Ok(())
}

/// Stop → Start while a call is in flight: the new worker waits for the old one, so the
/// call is not made a second time by an overlapping worker.
#[tokio::test]
async fn a_restart_waits_for_the_call_in_flight() -> Result<()> {
    let h = Helpdesk::start_on(World::start().await?, Db::Sqlite, |_| {}).await?;
    h.relay_only().await?;
    let c = h.customer("Rita").await?;
    c.says(&h.frontend, "hello").await?;
    let topic = h.topic_of(&c).await?;
    h.settle().await?;
    // The next copy takes effect at once but its answer comes 1.5 s late.
    h.world
        .faults(json!([
            {"bot_id": h.frontend.id, "method": "copyMessage", "kind": "slow", "delay_ms": 1500, "after": true, "count": 1}
        ]))
        .await?;
    c.says(&h.frontend, "in flight").await?;
    h.topic_until(topic, |m| texts(m).contains(&"in flight".to_string()))
        .await?;
    let rt = h.runtime().context("running")?.clone();
    rt.stop_connection(h.connection);
    rt.start_connection(h.connection);
    rt.start_connection(h.connection);
    h.settle().await?;
    let shown = h.operator.sees_topic(&h.forum, topic).await?;
    let copies = texts(&shown).iter().filter(|t| *t == "in flight").count();
    assert_eq!(copies, 1, "{:?}", texts(&shown));
    c.says(&h.frontend, "after").await?;
    h.topic_until(topic, |m| texts(m).contains(&"after".to_string()))
        .await?;
    Ok(())
}

/// The fault run: 20 customers × 5 messages, operators answering in every topic that bears
/// a customer's name, while 10% of calls are dropped *after* they took effect. A topic whose
/// creation answer was lost is an orphan: answers typed there still reach the customer (and
/// the orphan is pointed at the real topic), so no answer is lost, and repeats stay within
/// the number of injected faults.
#[tokio::test]
async fn fault_run_no_orphan_topic_swallows_an_answer() -> Result<()> {
    let h = Helpdesk::start_on(World::start().await?, Db::Sqlite, |_| {}).await?;
    h.relay_only().await?;
    // The first three topics are certainly orphaned, then 10% of every kind of call.
    let mut faults = vec![
        json!({"bot_id": h.frontend.id, "method": "createForumTopic", "kind": "drop", "after": true, "count": 3}),
    ];
    for m in [
        "createForumTopic",
        "copyMessage",
        "sendMessage",
        "closeForumTopic",
    ] {
        faults.push(json!({"bot_id": h.frontend.id, "method": m, "kind": "drop", "after": true, "rate": 0.1}));
    }
    h.world.faults(Value::Array(faults)).await?;
    let mut customers = Vec::new();
    for i in 0..20 {
        customers.push(h.customer(&format!("Cust{i:02}")).await?);
    }
    for j in 0..5 {
        for (i, c) in customers.iter().enumerate() {
            c.says(&h.frontend, &format!("c{i:02} m{j}")).await?;
        }
    }
    h.settle().await?;
    // Every topic whose title names a customer; the team answers in each of them.
    let forum = h.operator.sees(&h.forum).await?;
    let mut answers = Vec::new();
    let mut orphans = 0;
    for (i, c) in customers.iter().enumerate() {
        let name = format!("Cust{i:02}");
        let topics: Vec<i64> = forum
            .iter()
            .filter(|m| {
                m["forum_topic_created"]["name"]
                    .as_str()
                    .is_some_and(|n| n.contains(&name))
            })
            .filter_map(|m| m["message_id"].as_i64())
            .collect();
        assert!(!topics.is_empty(), "{name} has no topic");
        orphans += topics.len() - 1;
        for t in topics {
            let text = format!("answer to {name} in {t}");
            h.operator.says_in(&h.forum, t, &text).await?;
            answers.push((c, text));
        }
    }
    assert!(orphans >= 3, "the run made {orphans} orphan topics");
    h.settle().await?;
    let mut repeats = 0;
    for (c, text) in &answers {
        let seen = texts(&c.sees(&h.frontend).await?);
        let n = seen.iter().filter(|t| *t == text).count();
        assert!(n >= 1, "lost: {text}");
        repeats += n - 1;
    }
    for (i, c) in customers.iter().enumerate() {
        let topic = h.topic_of(c).await?;
        let shown = texts(&h.operator.sees_topic(&h.forum, topic).await?);
        for j in 0..5 {
            let m = format!("c{i:02} m{j}");
            assert!(
                shown.contains(&m),
                "{m} is missing from the customer's topic"
            );
        }
    }
    let fired = h.world.control_get("/faults").await?["fired"]
        .as_u64()
        .unwrap_or(0);
    assert!(
        repeats as u64 <= fired,
        "{repeats} repeated answers for {fired} injected faults"
    );
    Ok(())
}

/// Telegram restarts update ids at a random number after a week without updates; a bot
/// that kept sending its stored offset would never see them again. Over several quiet
/// weeks (at least one of which restarts the ids below the old offset) every message of
/// the customer still reaches the team, and the setup bot still answers its admin.
#[tokio::test]
async fn quiet_weeks_do_not_silence_a_bot() -> Result<()> {
    let mut h = Helpdesk::start_on(World::start().await?, Db::Sqlite, |_| {}).await?;
    h.relay_only().await?;
    let c = h.customer("Quinn").await?;
    c.says(&h.frontend, "week 0").await?;
    let topic = h.topic_of(&c).await?;
    h.topic_until(topic, |m| texts(m).contains(&"week 0".to_string()))
        .await?;
    let mut went_down = false;
    for week in 1..=8 {
        h.settle().await?;
        let (before, _) = h.store.inbox().poll_position(h.connection).await?;
        h.world.advance_hours(8 * 24).await?;
        h.advance_hours(8 * 24);
        let text = format!("week {week}");
        c.says(&h.frontend, &text).await?;
        h.topic_until(topic, |m| texts(m).contains(&text)).await?;
        let (after, _) = h.store.inbox().poll_position(h.connection).await?;
        went_down |= after < before;
        if went_down && week >= 2 {
            break;
        }
    }
    assert!(
        went_down,
        "no quiet week restarted the ids below the old offset"
    );
    h.stop().await;
    Ok(())
}

/// The same for the setup bot, quiet between two visits of its admin.
#[tokio::test]
async fn quiet_weeks_do_not_silence_the_setup_bot() -> Result<()> {
    let world = World::start().await?;
    let admin = world.user("Ada").await?;
    let inst =
        hotline_testkit::instance::Instance::start_on(world.clone(), Db::Sqlite, |_| {}).await?;
    let chat = inst.chat(&admin);
    chat.start().await?;
    let offset = async || -> Result<i64> {
        Ok(inst
            .store
            .kv()
            .get("setup_offset")
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    };
    let mut went_down = false;
    for _ in 0..8 {
        let before = offset().await?;
        world.advance_hours(8 * 24).await?;
        inst.clock.advance_ms(8 * 24 * 3_600_000);
        chat.start().await?;
        went_down |= offset().await? < before;
        if went_down {
            break;
        }
    }
    assert!(
        went_down,
        "no quiet week restarted the ids below the old offset"
    );
    Ok(())
}

/// A burst of status commands that ends where it started renames nothing: renames wait a
/// moment to coalesce, and the coalesced one finds the topic already showing that title.
#[tokio::test]
async fn a_status_burst_back_to_the_start_sends_no_rename() -> Result<()> {
    let h = Helpdesk::start_on(World::start().await?, Db::Sqlite, |_| {}).await?;
    h.relay_only().await?;
    let c = h.customer("Bea").await?;
    c.says(&h.frontend, "hello").await?;
    let topic = h.topic_of(&c).await?;
    h.settle().await?;
    let renames = async || -> Result<u64> {
        Ok(h.world.stats().await?["calls"]["editForumTopic"]
            .as_u64()
            .unwrap_or(0))
    };
    let before = renames().await?;
    // The team flips the status and back within the rename's settle time
    // (`RENAME_SETTLE_MS`): the coalesced rename finds nothing to change.
    c.says(&h.frontend, "are you there?").await?;
    h.operator.says_in(&h.forum, topic, "/wait").await?;
    h.operator.says_in(&h.forum, topic, "/hold").await?;
    h.settle().await?;
    assert_eq!(
        renames().await?,
        before,
        "a rename repeated the current title"
    );
    // A real change still renames.
    h.operator.says_in(&h.forum, topic, "/wait").await?;
    h.settle().await?;
    assert_eq!(renames().await?, before + 1);
    Ok(())
}
