//! `bench load --phases broadcast`: a broadcast to 1,000 customers with Telegram's limits
//! on (tgsim enforces them, Hotline paces), `hotline serve` killed (SIGKILL) half-way and
//! started again, while operators answer customers and customers write. It reports the
//! broadcast's own rate, whether every recipient got it exactly once, and the relay's
//! latency before and during the broadcast.
//!
//! Reading a `serde_json::Value` by key never panics (a missing key reads as Null), so
//! `indexing_slicing` is allowed here.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::control::{BenchConn, Control};
use super::phases::send_one;
use super::procs::{Hotline, Proc, wait_ready};
use super::{percentile, round};

/// Customers who write during the broadcast (each has a topic the operator answers in);
/// the rest only pressed Start.
pub(super) const TALKERS: usize = 5;
/// The broadcast's text (the template `sale`).
const SALE: &str = "Spring sale: 20% off everything this week";
/// The relay's load while measuring: an operator answer every 500 ms (2/s, round-robin
/// over the talkers' topics) and a customer message every 4 s (15 a minute: inside the
/// group's 20 a minute with room for the broadcast's progress edits).
const ANSWER_EVERY: Duration = Duration::from_millis(500);
const CUSTOMER_EVERY: usize = 8;
/// How long the relay's latency is measured before the broadcast starts.
const BASELINE: Duration = Duration::from_secs(12);

/// The world and the instance the phase drives.
pub(super) struct Setup<'a> {
    pub ctl: &'a Control,
    pub http: &'a reqwest::Client,
    pub base: &'a str,
    pub hl: &'a Hotline,
    pub listen: SocketAddr,
    pub dir: &'a Path,
    pub conn: &'a BenchConn,
}

/// One relayed message the load generator timed: its text and tgsim's date for it.
struct Timed {
    text: String,
    date_ms: i64,
    /// Sent while the broadcast ran (else before it started).
    during: bool,
    /// An operator answer (else a customer's message).
    answer: bool,
}

pub(super) async fn broadcast(s: &Setup<'_>, serve: &mut Proc) -> Result<Value> {
    let (ctl, c) = (s.ctl, s.conn);
    let talkers: Vec<i64> = c.customers.iter().rev().take(TALKERS).copied().collect();
    // Everyone presses Start; with PRIVATE_KEYWORDS "help" that opens no topic, but makes
    // them customers a broadcast reaches.
    let gate = Arc::new(Semaphore::new(32));
    let mut starts = JoinSet::new();
    for &cust in &c.customers {
        let (ctl, gate, bot) = (ctl.clone(), gate.clone(), c.bot);
        starts.spawn(async move {
            let _p = gate.acquire_owned().await?;
            send_one(&ctl, 0, bot, cust, 0).await
        });
    }
    while let Some(r) = starts.join_next().await {
        r??;
    }
    // The talkers open their topics (after every Start in the bot's update stream, so
    // once their topics exist every customer is known).
    for (i, &t) in talkers.iter().enumerate() {
        ctl.send(json!({ "from": t, "chat": c.bot, "text": format!("help t{i}") }))
            .await?;
    }
    let threads = wait_until(
        serve,
        Duration::from_secs(180),
        "the talkers' topics",
        || async {
            let threads = talker_threads(ctl, c, &talkers).await?;
            Ok((threads.len() == talkers.len()).then_some(threads))
        },
    )
    .await?;
    // The template, saved from a message in General.
    let v = ctl
        .send(json!({ "from": c.admin, "chat": c.group, "text": SALE }))
        .await?;
    let original = v[0]["message_id"].as_i64().context("no message_id")?;
    let before = bot_posts_in_general(ctl, c).await?.len();
    ctl.send(json!({ "from": c.admin, "chat": c.group, "text": "/template new sale", "reply_to": original }))
        .await?;
    wait_until(serve, Duration::from_secs(60), "the template", || async {
        Ok((bot_posts_in_general(ctl, c).await?.len() > before).then_some(()))
    })
    .await?;
    settle(ctl, serve).await?;

    // The relay's load, before and during the broadcast.
    let during = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = CancellationToken::new();
    let relay = tokio::spawn(relay_load(
        ctl.clone(),
        c.clone(),
        threads.clone(),
        during.clone(),
        stop.clone(),
    ));
    tokio::time::sleep(BASELINE).await;

    // "/send all sale", then Start on the preview.
    let before = bot_posts_in_general(ctl, c).await?.len();
    ctl.send(json!({ "from": c.admin, "chat": c.group, "text": "/send all sale" }))
        .await?;
    let preview = wait_until(serve, Duration::from_secs(60), "the preview", || async {
        let posts = bot_posts_in_general(ctl, c).await?;
        Ok(posts.get(before..).and_then(|p| {
            p.iter()
                .find(|m| m["text"].as_str().is_some_and(|t| t.starts_with("📣")))
                .cloned()
        }))
    })
    .await?;
    let text = preview["text"].as_str().unwrap_or_default();
    let id: i64 = text
        .split('#')
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("no broadcast number in {text:?}"))?;
    let (private0, _) = ctl.message_counts().await?;
    during.store(true, std::sync::atomic::Ordering::SeqCst);
    ctl.post(
        "/press",
        json!({ "from": c.admin, "chat": c.group, "message_id": preview["message_id"],
                "data": format!("bc:{id}:go") }),
    )
    .await?;

    // Half-way: the relay's load stops, then the instance is killed and started again.
    let half = c.customers.len() as u64 / 2;
    wait_until(
        serve,
        Duration::from_secs(300),
        "half the broadcast",
        || async {
            let (private, _) = ctl.message_counts().await?;
            Ok((private.saturating_sub(private0) >= half).then_some(()))
        },
    )
    .await?;
    stop.cancel();
    let timed = relay.await??;
    serve.kill().await?;
    let killed = Instant::now();
    *serve = s.hl.serve(&s.dir.join("hotline-after-kill.log"))?;
    wait_ready(s.http, s.listen, serve, Duration::from_secs(60)).await?;
    let restart_s = killed.elapsed().as_secs_f64();

    // The report in General, then what every customer got.
    // Seen as the bot that sent it: file ids belong to one bot.
    let report = wait_until(serve, Duration::from_secs(600), "the report", || async {
        Ok(ctl
            .timeline(c.bot, c.group)
            .await?
            .into_iter()
            .find(|m| m["document"]["file_name"] == json!(format!("broadcast-{id}.csv"))))
    })
    .await?;
    let rows = read_report(s, &report).await?;
    let got = received(ctl, c).await?;
    let mut once = 0;
    let mut twice = 0;
    let mut never = 0;
    let mut lost = 0;
    let mut dates = Vec::new();
    for &cust in &c.customers {
        let d = got.get(&cust).cloned().unwrap_or_default();
        let status = rows.get(&cust).map(String::as_str).unwrap_or("missing");
        match d.len() {
            0 => never += 1,
            1 => once += 1,
            _ => twice += 1,
        }
        // Reported sent but not there, or left out of the report: lost. An interrupted one
        // ("unknown") may or may not have arrived, but never twice.
        if (status == "sent" && d.is_empty()) || status == "missing" {
            lost += 1;
        }
        dates.extend(d);
    }
    dates.sort_unstable();
    let (before_kill, after_kill) = split_at_gap(&dates);
    let rate = |seg: &[i64]| match (seg.first(), seg.last()) {
        (Some(a), Some(b)) if b > a => (seg.len() - 1) as f64 * 1000.0 / (b - a) as f64,
        _ => 0.0,
    };
    // Every relayed message is one call of the bot's 30 a second.
    let relay_share = 1000.0 / ANSWER_EVERY.as_millis() as f64;
    let latency = relay_latency(ctl, c, &threads, &timed).await?;
    let mut statuses: HashMap<&str, usize> = HashMap::new();
    for st in rows.values() {
        *statuses.entry(st.as_str()).or_default() += 1;
    }
    let mut r = json!({
        "connections": 1,
        "customers": c.customers.len(),
        "messages": dates.len(),
        "report_rows": rows.len(),
        "report_statuses": statuses,
        "received_once": once,
        "received_never": never,
        "lost": lost,
        "duplicated": twice,
        "rate_before_kill": round(rate(before_kill), 2),
        "rate_after_restart": round(rate(after_kill), 2),
        "relay_share_per_sec": round(relay_share, 2),
        "goal_rate": round(0.95 * (30.0 - relay_share), 2),
        "restart_s": round(restart_s, 2),
        "http_429": ctl.status_count(429).await?,
        "rss_mb": round(serve.memory_mb("VmRSS:"), 1),
    });
    if let (Some(o), Some(l)) = (r.as_object_mut(), latency.as_object()) {
        o.extend(l.clone());
    }
    Ok(r)
}

/// Polls `done` every 50 ms until it gives something; fails after `within` or if serve
/// exits.
async fn wait_until<T, F, Fut>(
    serve: &mut Proc,
    within: Duration,
    what: &str,
    mut done: F,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + within;
    loop {
        serve.check_alive()?;
        if let Some(x) = done().await? {
            return Ok(x);
        }
        if Instant::now() > deadline {
            bail!("{what}: not within {} s", within.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Until tgsim's message counts have not changed for two seconds (greetings sent).
async fn settle(ctl: &Control, serve: &mut Proc) -> Result<()> {
    let mut last = (u64::MAX, u64::MAX);
    let mut changed = Instant::now();
    while changed.elapsed() < Duration::from_secs(2) {
        serve.check_alive()?;
        let now = ctl.message_counts().await?;
        if now != last {
            last = now;
            changed = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// The bot's messages in General, oldest first.
async fn bot_posts_in_general(ctl: &Control, c: &BenchConn) -> Result<Vec<Value>> {
    Ok(ctl
        .timeline(c.admin, c.group)
        .await?
        .into_iter()
        .filter(|m| m["from"]["id"].as_i64() == Some(c.bot) && m["message_thread_id"].is_null())
        .collect())
}

/// (talker, topic) for each talker whose "help tN" copy is in its topic.
async fn talker_threads(ctl: &Control, c: &BenchConn, talkers: &[i64]) -> Result<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    let timeline = ctl.timeline(c.admin, c.group).await?;
    for (i, &t) in talkers.iter().enumerate() {
        let want = format!("help t{i}");
        if let Some(thread) = timeline
            .iter()
            .find(|m| m["text"].as_str() == Some(want.as_str()))
            .and_then(|m| m["message_thread_id"].as_i64())
        {
            out.push((t, thread));
        }
    }
    Ok(out)
}

/// Operators answer and customers write at a steady pace until `stop`.
async fn relay_load(
    ctl: Control,
    c: BenchConn,
    threads: Vec<(i64, i64)>,
    during: Arc<std::sync::atomic::AtomicBool>,
    stop: CancellationToken,
) -> Result<Vec<Timed>> {
    let mut out = Vec::new();
    let t0 = tokio::time::Instant::now();
    for n in 0usize.. {
        tokio::select! {
            () = stop.cancelled() => break,
            () = tokio::time::sleep_until(t0 + ANSWER_EVERY * u32::try_from(n).unwrap_or(u32::MAX)) => {}
        }
        let Some(&(cust, thread)) = threads.get(n % threads.len().max(1)) else {
            break;
        };
        let flag = during.load(std::sync::atomic::Ordering::SeqCst);
        let (answer, body) = if n % CUSTOMER_EVERY == CUSTOMER_EVERY - 1 {
            let text = format!("c{n}");
            (false, json!({ "from": cust, "chat": c.bot, "text": text }))
        } else {
            let text = format!("o{n}");
            (
                true,
                json!({ "from": c.admin, "chat": c.group, "thread_id": thread, "text": text }),
            )
        };
        let v = ctl.send(body.clone()).await?;
        out.push(Timed {
            text: body["text"].as_str().unwrap_or_default().to_string(),
            date_ms: v[0]["date_ms"].as_i64().context("no date_ms")?,
            during: flag,
            answer,
        });
    }
    Ok(out)
}

/// p50/p99 of operator → customer and customer → topic, before and during the broadcast.
async fn relay_latency(
    ctl: &Control,
    c: &BenchConn,
    threads: &[(i64, i64)],
    timed: &[Timed],
) -> Result<Value> {
    let mut seen: HashMap<String, i64> = HashMap::new();
    for &(cust, _) in threads {
        for m in ctl.timeline(cust, c.bot).await? {
            if m["from"]["id"].as_i64() == Some(c.bot)
                && let Some(t) = m["text"].as_str()
            {
                seen.entry(t.to_string())
                    .or_insert(m["date_ms"].as_i64().unwrap_or(0));
            }
        }
    }
    for m in ctl.timeline(c.admin, c.group).await? {
        if m["from"]["id"].as_i64() == Some(c.bot)
            && let Some(t) = m["text"].as_str()
        {
            seen.entry(t.to_string())
                .or_insert(m["date_ms"].as_i64().unwrap_or(0));
        }
    }
    let mut out = serde_json::Map::new();
    for (answer, what) in [(true, "answer"), (false, "customer")] {
        for (during, when) in [(false, "before"), (true, "during")] {
            let mut l: Vec<f64> = timed
                .iter()
                .filter(|t| t.answer == answer && t.during == during)
                .filter_map(|t| seen.get(&t.text).map(|d| (d - t.date_ms) as f64))
                .collect();
            let sent = timed
                .iter()
                .filter(|t| t.answer == answer && t.during == during)
                .count();
            l.sort_by(f64::total_cmp);
            out.insert(format!("{what}_{when}_n"), json!(l.len()));
            out.insert(format!("{what}_{when}_missing"), json!(sent - l.len()));
            out.insert(format!("{what}_{when}_p50_ms"), json!(percentile(&l, 0.5)));
            out.insert(format!("{what}_{when}_p99_ms"), json!(percentile(&l, 0.99)));
        }
    }
    Ok(Value::Object(out))
}

/// The report's rows: user id → status, read through the Bot API as the bot's own file.
async fn read_report(s: &Setup<'_>, report: &Value) -> Result<HashMap<i64, String>> {
    let file_id = report["document"]["file_id"]
        .as_str()
        .context("the report has no file_id")?;
    let token = &s.conn.token;
    let f: Value = s
        .http
        .get(format!("{}/bot{token}/getFile", s.base))
        .query(&[("file_id", file_id)])
        .send()
        .await?
        .json()
        .await?;
    let path = f["result"]["file_path"]
        .as_str()
        .with_context(|| format!("getFile: {f}"))?;
    let bytes = s
        .http
        .get(format!("{}/file/bot{token}/{path}", s.base))
        .send()
        .await?
        .bytes()
        .await?;
    let text = String::from_utf8_lossy(&bytes);
    let mut rows = HashMap::new();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for rec in r.records() {
        let rec = rec?;
        if let (Some(id), Some(status)) = (rec.get(0).and_then(|x| x.parse().ok()), rec.get(3)) {
            rows.insert(id, status.to_string());
        }
    }
    Ok(rows)
}

/// Customer → the dates of the broadcast's messages in their chat with the bot.
async fn received(ctl: &Control, c: &BenchConn) -> Result<HashMap<i64, Vec<i64>>> {
    let gate = Arc::new(Semaphore::new(32));
    let mut tasks = JoinSet::new();
    for &cust in &c.customers {
        let (ctl, gate, bot) = (ctl.clone(), gate.clone(), c.bot);
        tasks.spawn(async move {
            let _p = gate.acquire_owned().await?;
            let dates: Vec<i64> = ctl
                .timeline(cust, bot)
                .await?
                .iter()
                .filter(|m| m["from"]["id"].as_i64() == Some(bot) && m["text"] == json!(SALE))
                .filter_map(|m| m["date_ms"].as_i64())
                .collect();
            anyhow::Ok((cust, dates))
        });
    }
    let mut out = HashMap::new();
    while let Some(r) = tasks.join_next().await {
        let (cust, dates) = r??;
        out.insert(cust, dates);
    }
    Ok(out)
}

/// Sorted dates split at their largest gap (the restart): before and after.
fn split_at_gap(dates: &[i64]) -> (&[i64], &[i64]) {
    let cut = dates
        .windows(2)
        .enumerate()
        .max_by_key(|(_, w)| w.get(1).zip(w.first()).map_or(0, |(b, a)| b - a))
        .map_or(dates.len(), |(i, _)| i + 1);
    dates.split_at(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_restart_is_the_largest_gap() {
        let d = [0, 35, 70, 105, 4000, 4035, 4070];
        let (a, b) = split_at_gap(&d);
        assert_eq!(a, &[0, 35, 70, 105]);
        assert_eq!(b, &[4000, 4035, 4070]);
        assert_eq!(split_at_gap(&[]), (&[][..], &[][..]));
    }
}
