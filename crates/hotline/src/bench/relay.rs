//! `hotline bench relay`: tgsim on loopback and Hotline together in this process, customers
//! sending mixed message types; measures throughput, added latency, CPU, memory, and
//! delivery exactness.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::json;

use hotline_app::connect::{Target, add_bot_connection};
use hotline_app::{Clock, Runtime, Settings, SystemClock};
use hotline_core::{ChatId, MessageId};
use hotline_store::Store;
use tgsim::world::{ChatKey, ChatType, Member, MemberStatus, Rights, Sender, User};

use super::procs::{cpu_seconds, memory_mb};
use super::{percentile, print_table, round};

#[derive(Debug, clap::Args)]
pub struct RelayArgs {
    /// Frontend bots, each with its own forum group.
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Customers per connection.
    #[arg(long, default_value_t = 25)]
    customers: usize,
    /// Messages per customer.
    #[arg(long, default_value_t = 40)]
    messages: usize,
    /// Send at this many messages per second overall (default: as fast as possible).
    #[arg(long)]
    rate: Option<u32>,
    /// Turn on Telegram's flood limits in tgsim and Hotline's pacing (use small numbers:
    /// a group takes 20 messages a minute).
    #[arg(long)]
    limits: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Turn WELCOME off (paid plan), to measure the relay without the greeting each new
    /// customer gets.
    #[arg(long)]
    no_welcome: bool,
}

fn user(first: String) -> User {
    User {
        id: 0,
        is_bot: false,
        first_name: first,
        last_name: None,
        username: None,
        language_code: Some("en".into()),
        is_premium: false,
        hides_forwards: false,
        deactivated: false,
        contacts: Default::default(),
    }
}

struct Conn {
    bot: i64,
    token: String,
    group: i64,
    customers: Vec<i64>,
}

pub async fn relay(args: RelayArgs) -> Result<()> {
    let mut cfg = tgsim::Config {
        strict: true,
        ..tgsim::Config::default()
    };
    cfg.limits.enabled = args.limits;
    cfg.record_path = None;
    let sim = tgsim::TgSim::start(cfg).await?;
    let base = sim.base_url();

    // The world: per connection a team admin, a forum, a frontend bot (admin), customers.
    let mut conns = Vec::new();
    {
        let mut w = sim.sim.world();
        for c in 0..args.connections {
            let admin = w
                .create_user(user(format!("Admin {c}")))
                .map_err(anyhow::Error::msg)?;
            let (bot, token) = w
                .create_bot(&format!("bench{c}_bot"), "Bench", None, false, true)
                .map_err(anyhow::Error::msg)?;
            let group = w
                .create_chat(
                    ChatType::Supergroup,
                    &format!("Team {c}"),
                    None,
                    true,
                    admin,
                )
                .map_err(anyhow::Error::msg)?;
            let mut m = Member::new(MemberStatus::Administrator);
            m.rights = Rights::from_json(
                &json!({"can_manage_topics": true, "can_delete_messages": true, "can_pin_messages": true, "can_restrict_members": true}),
            );
            tgsim::updates::join(&mut w, ChatKey::Group(group), bot, m, admin);
            let mut customers = Vec::new();
            for u in 0..args.customers {
                let id = w
                    .create_user(user(format!("Customer {c}-{u}")))
                    .map_err(anyhow::Error::msg)?;
                let chat = w.private_chat(bot, id);
                chat.started = true;
                customers.push(id);
            }
            // The bot's own setup noise is not part of the benchmark.
            w.bot_mut(bot).pending.clear();
            conns.push(Conn {
                bot,
                token,
                group,
                customers,
            });
        }
    }

    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_tests(dir.path(), &base);
    settings.pacing = args.limits;
    settings.poll_timeout_s = 10;
    let store = Store::open(&settings.database_url).await?;
    let secrets = settings.secret_box()?;
    let http = reqwest::Client::builder().no_proxy().build()?;
    let mut conn_ids = Vec::new();
    for c in &conns {
        let target = Target {
            api_base: &base,
            token: &c.token,
            group: c.group,
            plan: "paid",
            admin: None,
        };
        let (id, _) = add_bot_connection(
            &store,
            &secrets,
            http.clone(),
            &target,
            SystemClock.now_ms(),
        )
        .await?;
        if args.no_welcome {
            hotline_app::config::set_param(&store, id, "WELCOME", "OFF").await?;
        }
        conn_ids.push(id);
    }
    let runtime = Runtime::start(settings, store.clone(), secrets, Arc::new(SystemClock)).await?;

    // Customers write: mixed types, each message carrying a unique marker.
    let total = args.connections * args.customers * args.messages;
    let cpu0 = cpu_seconds("self");
    let t0 = Instant::now();
    let t0_ms = sim.sim.clock.now_ms();
    let interval = args
        .rate
        .map(|r| Duration::from_secs_f64(1.0 / f64::from(r.max(1))));
    let mut n = 0usize;
    for k in 0..args.messages {
        for (ci, c) in conns.iter().enumerate() {
            for &cust in &c.customers {
                let marker = format!("b{ci}-{cust}-{k}");
                let mut content = serde_json::Map::new();
                match n % 5 {
                    0 | 1 => {
                        content.insert("text".into(), json!(marker));
                    }
                    2 => {
                        let mut w = sim.sim.world();
                        let idx =
                            w.store_file("photo", bytes_for(n), None, Some("image/jpeg".into()));
                        content.insert(
                            "photo".into(),
                            json!([{ "$file": idx, "width": 640, "height": 480 }]),
                        );
                        content.insert("caption".into(), json!(marker));
                    }
                    3 => {
                        let mut w = sim.sim.world();
                        let idx = w.store_file(
                            "document",
                            bytes_for(n),
                            Some("report.pdf".into()),
                            Some("application/pdf".into()),
                        );
                        content.insert(
                            "document".into(),
                            json!({ "$file": idx, "file_name": "report.pdf" }),
                        );
                        content.insert("caption".into(), json!(marker));
                    }
                    _ => {
                        let mut w = sim.sim.world();
                        let idx =
                            w.store_file("video", bytes_for(n), None, Some("video/mp4".into()));
                        content.insert(
                            "video".into(),
                            json!({ "$file": idx, "width": 640, "height": 360, "duration": 3 }),
                        );
                        content.insert("caption".into(), json!(marker));
                    }
                }
                let msg_id = {
                    let mut w = sim.sim.world();
                    let key = ChatKey::Private {
                        bot: c.bot,
                        user: cust,
                    };
                    let msg = w.new_message(key, Sender::User(cust), content);
                    let id = w
                        .insert_message(msg)
                        .map_err(|e| anyhow::anyhow!(e.description))?;
                    tgsim::updates::fan_out_message(&mut w, key, id, false);
                    id
                };
                let _ = msg_id;
                n += 1;
                if let Some(i) = interval {
                    let due = t0 + i * u32::try_from(n).unwrap_or(u32::MAX);
                    tokio::time::sleep_until(due.into()).await;
                }
            }
        }
    }

    // Wait until every marker is visible in a topic (or nothing moves for 30 s). Counting
    // is cheap (message counts); markers are matched once at the end.
    let expected_min = total + conns.iter().map(|c| c.customers.len()).sum::<usize>();
    let mut last_progress = Instant::now();
    let mut last_count = 0;
    let elapsed = loop {
        let count = relayed_count(&sim.sim, &conns);
        if count >= expected_min {
            break t0.elapsed();
        }
        if count != last_count {
            last_count = count;
            last_progress = Instant::now();
        } else if last_progress.elapsed() > Duration::from_secs(30) {
            break t0.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let found = visible_markers(&sim.sim, &conns);
    let cpu = cpu_seconds("self") - cpu0;
    runtime.shutdown().await;

    // Latency: copy date vs original date, both from tgsim's clock, paired through the map.
    let mut originals = Vec::new();
    {
        let w = sim.sim.world();
        for (ci, c) in conns.iter().enumerate() {
            for &cust in &c.customers {
                let key = ChatKey::Private {
                    bot: c.bot,
                    user: cust,
                };
                let Some(chat) = w.chats.get(&key) else {
                    continue;
                };
                for m in chat
                    .messages
                    .values()
                    .filter(|m| m.sender == Sender::User(cust))
                {
                    let Some(&conn) = conn_ids.get(ci) else {
                        continue;
                    };
                    originals.push((conn, c.group, cust, m.id, m.date_ms));
                }
            }
        }
    }
    let mut pairs = Vec::new();
    for (conn_id, group, cust, id, date_ms) in originals {
        if let Some(e) = store
            .maps()
            .by_customer(conn_id, ChatId(cust), MessageId(id))
            .await?
        {
            pairs.push((group, e.group_message_id.0, date_ms));
        }
    }
    let mut latencies: Vec<f64> = {
        let w = sim.sim.world();
        pairs
            .iter()
            .filter_map(|(group, gid, sent_ms)| {
                w.message(ChatKey::Group(*group), *gid)
                    .map(|copy| (copy.date_ms - sent_ms) as f64)
            })
            .collect()
    };
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let delivered = found.len();
    let duplicated: usize = found.values().map(|v| v.saturating_sub(1)).sum();
    let lost = total.saturating_sub(delivered);
    let stats = sim.sim.stats();
    let http_429 = stats.statuses.get(&429).copied().unwrap_or(0);
    let secs = elapsed.as_secs_f64().max(1e-9);
    // Group budget: the rate the frontend bots wrote into their groups (between their first
    // and last write), against Telegram's 20 a minute per group.
    let group_budget_used = {
        let w = sim.sim.world();
        let rates: Vec<f64> = conns
            .iter()
            .filter_map(|c| {
                let g = w.chats.get(&ChatKey::Group(c.group))?;
                let dates: Vec<i64> = g
                    .messages
                    .values()
                    .filter(|m| m.sender == Sender::User(c.bot) && m.date_ms >= t0_ms)
                    .map(|m| m.date_ms)
                    .collect();
                let (first, last) = (*dates.iter().min()?, *dates.iter().max()?);
                (dates.len() > 1 && last > first)
                    .then(|| (dates.len() - 1) as f64 / ((last - first) as f64 / 60_000.0) / 20.0)
            })
            .collect();
        if rates.is_empty() {
            0.0
        } else {
            rates.iter().sum::<f64>() / rates.len() as f64
        }
    };
    let mut result = json!({
        "connections": args.connections,
        "customers": args.customers * args.connections,
        "messages": total,
        "rate": args.rate,
        "limits": args.limits,
        "seconds": round(secs, 3),
        "msgs_per_sec": round(delivered as f64 / secs, 1),
        "p50_ms": round(percentile(&latencies, 0.50), 1),
        "p99_ms": round(percentile(&latencies, 0.99), 1),
        "max_ms": round(latencies.last().copied().unwrap_or(0.0), 1),
        "cpu_s_per_1k": round(cpu / (delivered.max(1) as f64) * 1000.0, 3),
        "peak_rss_mb": round(memory_mb("self", "VmHWM:"), 1),
        "delivered": delivered,
        "lost": lost,
        "duplicated": duplicated,
        "http_429": http_429,
    });
    if args.limits
        && let Some(o) = result.as_object_mut()
    {
        o.insert(
            "group_budget_used".into(),
            json!(round(group_budget_used, 3)),
        );
    }
    sim.shutdown().await;
    if args.json {
        println!("{result}");
    } else {
        print_table(&result);
    }
    if lost > 0 || duplicated > 0 {
        anyhow::bail!("delivery was not exact: {lost} lost, {duplicated} duplicated");
    }
    Ok(())
}

fn bytes_for(n: usize) -> bytes::Bytes {
    bytes::Bytes::from(vec![(n % 251) as u8; 2048])
}

/// Messages the frontend bots posted into their groups (topic creations included).
fn relayed_count(sim: &tgsim::Sim, conns: &[Conn]) -> usize {
    let w = sim.world();
    conns
        .iter()
        .filter_map(|c| {
            w.chats
                .get(&ChatKey::Group(c.group))
                .map(|g| g.messages.len())
        })
        .sum::<usize>()
        - conns.len() * 2
}

/// Marker → how many copies of it the groups show.
fn visible_markers(sim: &tgsim::Sim, conns: &[Conn]) -> HashMap<String, usize> {
    let w = sim.world();
    let mut found: HashMap<String, usize> = HashMap::new();
    for c in conns {
        let Some(g) = w.chats.get(&ChatKey::Group(c.group)) else {
            continue;
        };
        for m in g.messages.values() {
            if m.deleted || !m.is_topic_message {
                continue;
            }
            if let Some(t) = m.text().or(m.caption()).filter(|t| t.starts_with('b')) {
                *found.entry(t.to_string()).or_default() += 1;
            }
        }
    }
    found
}
