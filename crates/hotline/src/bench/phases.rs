//! `bench load`'s pieces besides the traffic phases: a customer's send, waiting for and
//! reading the copies in the groups, operators answering in many topics at once, and many
//! bots idle.
//!
//! Reading a `serde_json::Value` by key never panics (a missing key reads as Null), so
//! `indexing_slicing` is allowed here.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use super::control::{BenchConn, Control};
use super::procs::Proc;
use super::{percentile, round, set};

/// Operators answer in 50 topics at once, `rounds` times; each answer must reach its
/// customer once.
pub(super) async fn operator(
    ctl: &Control,
    conns: &[BenchConn],
    rounds: usize,
    serve: &mut Proc,
) -> Result<Value> {
    let c = conns.first().context("no connection")?;
    // Every customer opens a dialog (its topic appears with the first message).
    let (_, groups0) = ctl.message_counts().await?;
    let mut opened = Vec::new();
    for &cust in &c.customers {
        send_one(ctl, 0, c.bot, cust, 0).await?;
        opened.extend(send_one(ctl, 0, c.bot, cust, 1).await?);
    }
    let copies = wait_for_copies(ctl, conns, groups0, &opened, serve).await?;
    let mut threads = Vec::new();
    for m in ctl.timeline(c.admin, c.group).await? {
        if let (Some(t), Some(thread)) = (
            m["text"].as_str().or(m["caption"].as_str()),
            m["message_thread_id"].as_i64(),
        ) && let Some(cust) = t
            .strip_prefix("m0-")
            .and_then(|r| r.split('-').next())
            .and_then(|u| u.parse::<i64>().ok())
        {
            threads.push((cust, thread));
        }
    }
    if threads.len() != c.customers.len() || copies.markers.len() != c.customers.len() {
        bail!(
            "{} of {} customers got a topic",
            threads.len(),
            c.customers.len()
        );
    }
    // Let the greetings and cards settle before timing answers.
    settle_private(ctl, serve).await?;

    let cpu0 = serve.cpu_seconds();
    let mut answers: Vec<(i64, String, i64)> = Vec::new();
    for r in 0..rounds {
        let (private0, _) = ctl.message_counts().await?;
        let mut tasks = JoinSet::new();
        for &(cust, thread) in &threads {
            let ctl = ctl.clone();
            let admin = c.admin;
            let group = c.group;
            tasks.spawn(async move {
                let text = format!("o{r}-{cust}");
                let v = ctl
                    .send(
                        json!({ "from": admin, "chat": group, "thread_id": thread, "text": text }),
                    )
                    .await?;
                let date = v[0]["date_ms"].as_i64().context("no date_ms")?;
                anyhow::Ok((cust, text, date))
            });
        }
        while let Some(x) = tasks.join_next().await {
            answers.push(x??);
        }
        // Until this round's answers reached the private chats (or 30 s without progress).
        let want = private0 + threads.len() as u64;
        let mut last = 0;
        let mut changed = Instant::now();
        loop {
            serve.check_alive()?;
            let (private, _) = ctl.message_counts().await?;
            if private >= want || changed.elapsed() > Duration::from_secs(30) {
                break;
            }
            if private != last {
                last = private;
                changed = Instant::now();
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let cpu = serve.cpu_seconds() - cpu0;
    let mut seen: HashMap<String, Vec<i64>> = HashMap::new();
    for &cust in &c.customers {
        for m in ctl.timeline(cust, c.bot).await? {
            if m["from"]["id"].as_i64() == Some(c.bot)
                && let Some(t) = m["text"].as_str().filter(|t| t.starts_with('o'))
            {
                seen.entry(t.to_string())
                    .or_default()
                    .push(m["date_ms"].as_i64().unwrap_or(0));
            }
        }
    }
    let mut latencies = Vec::new();
    let mut duplicated = 0;
    for (_, text, date) in &answers {
        if let Some(d) = seen.get(text) {
            duplicated += d.len().saturating_sub(1);
            latencies.push((d.iter().copied().min().unwrap_or(*date) - date) as f64);
        }
    }
    latencies.sort_by(f64::total_cmp);
    Ok(json!({
        "connections": 1,
        "topics": threads.len(),
        "rounds": rounds,
        "messages": answers.len(),
        "p50_ms": round(percentile(&latencies, 0.50), 1),
        "p99_ms": round(percentile(&latencies, 0.99), 1),
        "max_ms": round(latencies.last().copied().unwrap_or(0.0), 1),
        "cpu_s_per_1k": round(cpu / answers.len().max(1) as f64 * 1000.0, 3),
        "rss_mb": round(serve.memory_mb("VmRSS:"), 1),
        "peak_rss_mb": round(serve.memory_mb("VmHWM:"), 1),
        "delivered": latencies.len(),
        "lost": answers.len() - latencies.len(),
        "duplicated": duplicated,
        "http_429": ctl.status_count(429).await?,
    }))
}

/// Until the private chats' message count has not changed for half a second.
async fn settle_private(ctl: &Control, serve: &mut Proc) -> Result<()> {
    let mut last = u64::MAX;
    let mut changed = Instant::now();
    while changed.elapsed() < Duration::from_millis(500) {
        serve.check_alive()?;
        let (private, _) = ctl.message_counts().await?;
        if private != last {
            last = private;
            changed = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Every connection running and long-polling with nothing to relay: CPU and memory of
/// `serve` over `--idle-seconds`, after 5 s for the start to settle.
pub(super) async fn idle(
    ctl: &Control,
    serve: &mut Proc,
    idle_seconds: u64,
    bots: usize,
    ready_s: f64,
) -> Result<Value> {
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (cpu0, polls0, t0) = (
        serve.cpu_seconds(),
        ctl.calls("getUpdates").await?,
        Instant::now(),
    );
    tokio::time::sleep(Duration::from_secs(idle_seconds)).await;
    serve.check_alive()?;
    let secs = t0.elapsed().as_secs_f64();
    let cpu = serve.cpu_seconds() - cpu0;
    let polls = ctl.calls("getUpdates").await? - polls0;
    Ok(json!({
        "bots": bots,
        "ready_s": round(ready_s, 1),
        "seconds": round(secs, 1),
        "cpu_pct": round(cpu / secs * 100.0, 2),
        "get_updates_per_sec": round(polls as f64 / secs, 1),
        "rss_mb": round(serve.memory_mb("VmRSS:"), 1),
        "peak_rss_mb": round(serve.memory_mb("VmHWM:"), 1),
        "http_429": ctl.status_count(429).await?,
    }))
}

/// A customer message the load generator sent: its marker and tgsim's date for it.
pub(super) struct Sent {
    pub(super) marker: String,
    pub(super) date_ms: i64,
}

/// One customer action: `/start` (k = 0) or message k, carrying a unique marker; every fifth
/// message of the mix is a photo, a document or a video (2 KiB), the rest text.
pub(super) async fn send_one(
    ctl: &Control,
    conn: usize,
    bot: i64,
    cust: i64,
    k: usize,
) -> Result<Option<Sent>> {
    if k == 0 {
        ctl.post("/start", json!({ "user": cust, "bot": bot }))
            .await?;
        return Ok(None);
    }
    let marker = format!("m{conn}-{cust}-{k}");
    let mut body = json!({ "from": cust, "chat": bot });
    match (cust as usize + k) % 5 {
        0 | 1 => set(&mut body, "text", json!(marker)),
        2 => set(
            &mut body,
            "media",
            json!({ "type": "photo", "size": 2048, "width": 640, "height": 480, "caption": marker }),
        ),
        3 => set(
            &mut body,
            "media",
            json!({ "type": "document", "size": 2048, "file_name": "report.pdf",
                                    "mime_type": "application/pdf", "caption": marker }),
        ),
        _ => set(
            &mut body,
            "media",
            json!({ "type": "video", "size": 2048, "width": 640, "height": 360,
                                    "duration": 3, "caption": marker }),
        ),
    }
    let v = ctl.send(body).await?;
    let date_ms = v[0]["date_ms"]
        .as_i64()
        .context("tgsim's /send answer has no date_ms (an older tgsim?)")?;
    Ok(Some(Sent { marker, date_ms }))
}

/// What the groups show: marker → the dates of its copies, and how much of Telegram's 20
/// messages a minute per group the bots used while writing (mean over groups).
pub(super) struct Copies {
    pub(super) markers: HashMap<String, Vec<i64>>,
    pub(super) group_budget_used: f64,
}

async fn group_copies(ctl: &Control, conns: &[BenchConn], since_ms: i64) -> Result<Copies> {
    let mut markers: HashMap<String, Vec<i64>> = HashMap::new();
    let mut rates = Vec::new();
    for c in conns {
        let mut bot_writes = Vec::new();
        for m in ctl.timeline(c.admin, c.group).await? {
            let date = m["date_ms"].as_i64().unwrap_or(0);
            if m["from"]["id"].as_i64() == Some(c.bot) && date >= since_ms {
                bot_writes.push(date);
            }
            if m["message_thread_id"].is_null() {
                continue;
            }
            if let Some(t) = m["text"].as_str().or(m["caption"].as_str())
                && t.starts_with('m')
            {
                markers.entry(t.to_string()).or_default().push(date);
            }
        }
        if let (Some(first), Some(last)) = (bot_writes.iter().min(), bot_writes.iter().max())
            && last > first
        {
            let per_minute = (bot_writes.len() - 1) as f64 / ((last - first) as f64 / 60_000.0);
            rates.push(per_minute / 20.0);
        }
    }
    let group_budget_used = if rates.is_empty() {
        0.0
    } else {
        rates.iter().sum::<f64>() / rates.len() as f64
    };
    Ok(Copies {
        markers,
        group_budget_used,
    })
}

/// Waits until every sent marker shows in the groups, or nothing arrives for 30 s. Polls
/// tgsim's message count (cheap) and reads the timelines once the count settles.
pub(super) async fn wait_for_copies(
    ctl: &Control,
    conns: &[BenchConn],
    groups0: u64,
    sent: &[Sent],
    serve: &mut Proc,
) -> Result<Copies> {
    let since = sent.iter().map(|s| s.date_ms).min().unwrap_or(0);
    let mut last = 0u64;
    let mut changed = Instant::now();
    loop {
        serve.check_alive()?;
        let (_, groups) = ctl.message_counts().await?;
        if groups != last {
            last = groups;
            changed = Instant::now();
        }
        let settled = changed.elapsed() > Duration::from_millis(300);
        if settled && groups.saturating_sub(groups0) >= sent.len() as u64 {
            let copies = group_copies(ctl, conns, since).await?;
            if sent.iter().all(|s| copies.markers.contains_key(&s.marker)) {
                return Ok(copies);
            }
        }
        if changed.elapsed() > Duration::from_secs(30) {
            return group_copies(ctl, conns, since).await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
