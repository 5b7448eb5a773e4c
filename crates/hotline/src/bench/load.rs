//! `hotline bench load`: the external benchmark. This process generates the load through
//! tgsim's control API (customers and operators writing, as people do); tgsim runs as
//! `hotline bench sim`; Hotline runs as `hotline serve` (this build, or `--hotline PATH`)
//! with its connections made by `hotline connection add`. Each phase gets a fresh tgsim and
//! a fresh Hotline. Times come from tgsim's millisecond clock (a copy's date against its
//! original's), CPU and memory from /proc of the `serve` process alone.
//!
//! Reading a `serde_json::Value` by key (`v["id"]`) never panics (a missing key reads as
//! Null), so `indexing_slicing` is allowed here; writes go through [`super::set`].
#![allow(clippy::indexing_slicing)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::control::{BenchConn, Control, make_world};
use super::phases::{Sent, idle, operator, send_one, wait_for_copies};
use super::procs::{Hotline, Proc, spawn_sim, wait_ready};
use super::{percentile, round, set};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Phase {
    /// 1 connection × 100 customers × 20 messages, as fast as they come.
    Burst1,
    /// 100 connections × 10 customers × 5 messages.
    Burst100,
    /// Fixed rates (messages a second, one connection).
    Rate20,
    Rate50,
    Rate200,
    Rate1000,
    /// 50 topics answered at once by operators, 10 rounds: operator → customer latency.
    Operator,
    /// Telegram's flood limits on in tgsim and pacing on in Hotline: 429s and the share of
    /// the group budget (20 messages a minute) used. Takes about two minutes.
    Limits,
    /// Many bots connected and long-polling with nothing to do: CPU and memory.
    Idle,
    /// A broadcast to 1,000 customers with the limits on, `serve` killed half-way: its rate,
    /// exactly-once, and the relay's latency during it. Takes about two minutes.
    Broadcast,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Phase::Burst1 => "burst1",
            Phase::Burst100 => "burst100",
            Phase::Rate20 => "rate20",
            Phase::Rate50 => "rate50",
            Phase::Rate200 => "rate200",
            Phase::Rate1000 => "rate1000",
            Phase::Operator => "operator",
            Phase::Limits => "limits",
            Phase::Idle => "idle",
            Phase::Broadcast => "broadcast",
        }
    }

    fn rate(self) -> Option<u32> {
        match self {
            Phase::Rate20 => Some(20),
            Phase::Rate50 => Some(50),
            Phase::Rate200 => Some(200),
            Phase::Rate1000 => Some(1000),
            _ => None,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// The Hotline binary to measure (default: this one). tgsim is always this build's.
    #[arg(long)]
    hotline: Option<PathBuf>,
    /// Run Hotline on PostgreSQL: an empty database of its own (phases add their connections
    /// and remove them after; the instance's key check stays, so use a new database per run).
    #[arg(long)]
    postgres: Option<String>,
    /// Phases, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "burst1,burst100,rate20,rate50,rate200,rate1000,operator"
    )]
    phases: Vec<Phase>,
    /// How long each fixed-rate phase sends.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Multiplies the customers, messages and connections of every phase (a quick run: 0.1).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Runs of each phase; the median of each figure is reported (of lost, duplicated and
    /// 429s: the worst run).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Bots in the idle phase.
    #[arg(long, default_value_t = 10_000)]
    idle_bots: usize,
    /// How long the idle phase is observed, after every connection is running.
    #[arg(long, default_value_t = 60)]
    pub(super) idle_seconds: u64,
    /// WELCOME off on every connection (by default each new customer is greeted).
    #[arg(long)]
    no_welcome: bool,
    /// Keep logs and databases here (default: a temporary directory, removed at the end).
    #[arg(long)]
    keep: Option<PathBuf>,
    /// One JSON object per phase instead of a table.
    #[arg(long)]
    json: bool,
}

struct Bench<'a> {
    me: PathBuf,
    hotline: PathBuf,
    dir: PathBuf,
    http: reqwest::Client,
    args: &'a LoadArgs,
}

fn scaled(n: usize, scale: f64) -> usize {
    ((n as f64 * scale).round() as usize).max(1)
}

pub async fn load(args: LoadArgs) -> Result<()> {
    let me = std::env::current_exe().context("finding this executable")?;
    let hotline = match &args.hotline {
        Some(p) => std::fs::canonicalize(p).with_context(|| format!("{}", p.display()))?,
        None => me.clone(),
    };
    let temp;
    let dir = match &args.keep {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            std::fs::canonicalize(d)?
        }
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_path_buf()
        }
    };
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(256)
        .build()?;
    let bench = Bench {
        me,
        hotline,
        dir,
        http,
        args: &args,
    };
    let mut failed = Vec::new();
    if !args.json {
        println!(
            "{:<9} {:>6} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>7} {:>5} {:>4} {:>4}",
            "phase",
            "msgs",
            "msg/s",
            "p50 ms",
            "p99 ms",
            "max ms",
            "cpu/1k",
            "cpu %",
            "rss MB",
            "lost",
            "dup",
            "429"
        );
    }
    let mut index = 0;
    for &phase in &args.phases {
        let mut runs = Vec::new();
        let mut error = None;
        for _ in 0..args.repeat.max(1) {
            index += 1;
            match run_phase(&bench, phase, index).await {
                Ok(r) => runs.push(r),
                Err(e) => {
                    error = Some(format!("{e:#}"));
                    break;
                }
            }
        }
        let mut r = match error {
            Some(e) => {
                failed.push(format!("{}: {e}", phase.name()));
                json!({ "error": e })
            }
            None => median_of(&runs),
        };
        if let Some(o) = r.as_object_mut() {
            o.insert("phase".into(), json!(phase.name()));
            let db = if args.postgres.is_some() {
                "postgres"
            } else {
                "sqlite"
            };
            o.insert("database".into(), json!(db));
            o.insert("hotline".into(), json!(bench.hotline.display().to_string()));
        }
        if args.json {
            println!("{r}");
        } else {
            print_row(&r);
        }
        if r["lost"].as_u64().unwrap_or(0) > 0 || r["duplicated"].as_u64().unwrap_or(0) > 0 {
            failed.push(format!(
                "{}: delivery was not exact ({} lost, {} duplicated)",
                phase.name(),
                r["lost"],
                r["duplicated"]
            ));
        }
    }
    if !failed.is_empty() {
        bail!("{}", failed.join("\n"));
    }
    Ok(())
}

/// One result from several runs: each number the median of the runs (nearest rank), lost,
/// duplicated and 429s the worst run's.
fn median_of(runs: &[Value]) -> Value {
    let Some(first) = runs.first().and_then(Value::as_object) else {
        return json!({});
    };
    let mut out = serde_json::Map::new();
    for (k, v) in first {
        let mut xs: Vec<f64> = runs.iter().filter_map(|r| r[k].as_f64()).collect();
        if !v.is_number() || xs.len() != runs.len() {
            out.insert(k.clone(), v.clone());
            continue;
        }
        xs.sort_by(f64::total_cmp);
        let x = if matches!(k.as_str(), "lost" | "duplicated" | "http_429") {
            xs.last().copied().unwrap_or(0.0)
        } else {
            percentile(&xs, 0.5)
        };
        let n = if v.is_f64() {
            json!(x)
        } else {
            json!(x as i64)
        };
        out.insert(k.clone(), n);
    }
    out.insert("runs".into(), json!(runs.len()));
    Value::Object(out)
}

fn print_row(r: &Value) {
    let f = |k: &str| r.get(k).map_or("-".to_string(), |v| v.to_string());
    if let Some(e) = r.get("error") {
        println!("{:<9} error: {e}", f("phase").trim_matches('"'));
        return;
    }
    println!(
        "{:<9} {:>6} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>7} {:>5} {:>4} {:>4}",
        f("phase").trim_matches('"'),
        f("messages"),
        f("msgs_per_sec"),
        f("p50_ms"),
        f("p99_ms"),
        f("max_ms"),
        f("cpu_s_per_1k"),
        f("cpu_pct"),
        f("rss_mb"),
        f("lost"),
        f("duplicated"),
        f("http_429"),
    );
    if let Some(b) = r.get("group_budget_used") {
        println!("          group budget used: {b}");
    }
    if r.get("bots").is_some() {
        println!(
            "          {} bots, ready in {} s, {} getUpdates/s, peak rss {} MB",
            f("bots"),
            f("ready_s"),
            f("get_updates_per_sec"),
            f("peak_rss_mb")
        );
    }
}

/// A free loopback port for Hotline's HTTP listener.
fn free_port() -> Result<SocketAddr> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?)
}

fn toml_str(s: &str) -> String {
    // A JSON string is a valid TOML basic string.
    serde_json::to_string(s).unwrap_or_default()
}

async fn run_phase(b: &Bench<'_>, phase: Phase, index: usize) -> Result<Value> {
    let dir = b.dir.join(format!("{index:02}-{}", phase.name()));
    std::fs::create_dir_all(&dir)?;
    let limits = matches!(phase, Phase::Limits | Phase::Broadcast);
    let (sim, base) = spawn_sim(&b.me, limits, &dir.join("tgsim.log")).await?;
    let r = with_sim(b, phase, &dir, &base).await;
    sim.stop().await?;
    r
}

async fn with_sim(b: &Bench<'_>, phase: Phase, dir: &Path, base: &str) -> Result<Value> {
    let ctl = Control::new(b.http.clone(), base);
    let listen = free_port()?;
    let database = match &b.args.postgres {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", dir.join("hotline.db").display()),
    };
    let config = dir.join("hotline.toml");
    let data_dir = b.dir.join("data");
    let mut text = format!(
        "data_dir = {}\ndatabase_url = {}\nbot_api_url = {}\nlisten = \"{listen}\"\n\
         default_plan = \"paid\"\npacing = {}\n",
        toml_str(&data_dir.display().to_string()),
        toml_str(&database),
        toml_str(base),
        matches!(phase, Phase::Limits | Phase::Broadcast),
    );
    if phase != Phase::Idle {
        // Long polls end within 10 s, so that a phase's stop is quick.
        text.push_str("poll_timeout_s = 10\n");
    }
    std::fs::write(&config, text)?;
    let hl = Hotline {
        exe: b.hotline.clone(),
        config: config.clone(),
    };
    let s = b.args.scale;
    let (connections, customers) = match phase {
        Phase::Burst1 => (1, scaled(100, s)),
        Phase::Burst100 => (scaled(100, s), scaled(10, s)),
        Phase::Operator => (1, scaled(50, s)),
        Phase::Limits => (1, scaled(4, s)),
        Phase::Idle => (b.args.idle_bots, 0),
        Phase::Broadcast => (1, scaled(1000, s) + super::broadcast::TALKERS),
        _ => {
            let sends = phase.rate().unwrap_or(1) as usize * b.args.seconds as usize;
            (1, scaled((sends / 20).clamp(10, 100), s))
        }
    };
    let tag = if phase == Phase::Idle { "idle" } else { "load" };
    let conns = make_world(&ctl, tag, connections, customers).await?;
    let ids = connect(b, &hl, &conns, phase == Phase::Idle, dir).await?;
    if phase == Phase::Broadcast
        && let (Some(id), Some(c)) = (ids.first(), conns.first())
    {
        // Pressing Start opens no topic (only "help" does), and the group's creator may
        // broadcast.
        hl.cli(&["connection", "set", id, "PRIVATE_KEYWORDS", "help"])
            .await?;
        hl.cli(&["connection", "role", id, &c.admin.to_string(), "admin"])
            .await?;
    }
    let mut serve = hl.serve(&dir.join("hotline.log"))?;
    let started = Instant::now();
    let ready_within = Duration::from_secs(120 + connections as u64 / 20);
    let r = async {
        wait_ready(&b.http, listen, &mut serve, ready_within).await?;
        let ready_s = started.elapsed().as_secs_f64();
        match phase {
            Phase::Burst1 | Phase::Burst100 | Phase::Limits => {
                let messages = match phase {
                    Phase::Burst1 => scaled(20, s),
                    Phase::Burst100 => scaled(5, s),
                    _ => scaled(6, s),
                };
                traffic(&ctl, &conns, Pace::Burst(messages), &mut serve, phase, dir).await
            }
            Phase::Operator => operator(&ctl, &conns, scaled(10, s), &mut serve).await,
            Phase::Idle => idle(&ctl, &mut serve, b.args.idle_seconds, connections, ready_s).await,
            Phase::Broadcast => {
                let conn = conns.first().context("no connection")?;
                let setup = super::broadcast::Setup {
                    ctl: &ctl,
                    http: &b.http,
                    base,
                    hl: &hl,
                    listen,
                    dir,
                    conn,
                };
                super::broadcast::broadcast(&setup, &mut serve).await
            }
            _ => {
                let rate = phase.rate().unwrap_or(1);
                let sends = rate as usize * b.args.seconds as usize;
                traffic(
                    &ctl,
                    &conns,
                    Pace::Rate(rate, sends),
                    &mut serve,
                    phase,
                    dir,
                )
                .await
            }
        }
    }
    .await;
    let stopped = serve.stop().await;
    let r = r.map_err(|e| e.context(format!("logs in {}", dir.display())))?;
    stopped?;
    if b.args.postgres.is_some() {
        // The next phase starts from an empty database.
        for id in &ids {
            hl.cli(&["connection", "remove", id]).await?;
        }
    }
    Ok(r)
}

/// Makes the connections: `connection add` one by one (the idle phase's thousands with
/// `bench seed`, same code path in one process); WELCOME off with `--no-welcome`.
async fn connect(
    b: &Bench<'_>,
    hl: &Hotline,
    conns: &[BenchConn],
    bulk: bool,
    dir: &Path,
) -> Result<Vec<String>> {
    if bulk {
        let file = dir.join("bots.tsv");
        let lines: String = conns
            .iter()
            .map(|c| format!("{}\t{}\n", c.token, c.group))
            .collect();
        std::fs::write(&file, lines)?;
        let seeder = Hotline {
            exe: b.me.clone(),
            config: hl.config.clone(),
        };
        seeder
            .cli(&["bench", "seed", "--file", &file.display().to_string()])
            .await?;
        let list = hl.cli(&["connection", "list"]).await?;
        return Ok(list
            .lines()
            .filter_map(|l| l.split('\t').next().map(str::to_string))
            .collect());
    }
    let mut ids = Vec::new();
    for c in conns {
        let out = hl
            .cli(&[
                "connection",
                "add",
                "--token",
                &c.token,
                "--group",
                &c.group.to_string(),
            ])
            .await?;
        let id = out
            .split_whitespace()
            .nth(1)
            .filter(|_| out.starts_with("connection "))
            .with_context(|| format!("unexpected answer from connection add: {out}"))?
            .to_string();
        if b.args.no_welcome {
            hl.cli(&["connection", "set", &id, "WELCOME", "OFF"])
                .await?;
        }
        ids.push(id);
    }
    Ok(ids)
}

enum Pace {
    /// Every customer sends this many messages (after /start) as fast as tgsim takes them.
    Burst(usize),
    /// This many sends in all at a fixed rate, round-robin over the customers.
    Rate(u32, usize),
}

/// Customers write; every copy must appear once in its topic.
async fn traffic(
    ctl: &Control,
    conns: &[BenchConn],
    pace: Pace,
    serve: &mut Proc,
    phase: Phase,
    dir: &Path,
) -> Result<Value> {
    let (_, groups0) = ctl.message_counts().await?;
    let cpu0 = serve.cpu_seconds();
    let started = Instant::now();
    let mut tasks: JoinSet<Result<Vec<Sent>>> = JoinSet::new();
    let mut prelude = Vec::new();
    let customers: Vec<(usize, i64, i64)> = conns
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| c.customers.iter().map(move |&u| (ci, c.bot, u)))
        .collect();
    match pace {
        Pace::Burst(messages) => {
            // Each customer in order; at most 64 requests in flight.
            let gate = Arc::new(Semaphore::new(64));
            for &(ci, bot, cust) in &customers {
                let (ctl, gate) = (ctl.clone(), gate.clone());
                tasks.spawn(async move {
                    let mut out = Vec::with_capacity(messages);
                    for k in 0..=messages {
                        let _permit = gate.acquire().await?;
                        out.extend(send_one(&ctl, ci, bot, cust, k).await?);
                    }
                    Ok(out)
                });
            }
        }
        Pace::Rate(rate, sends) => {
            // Every customer starts the bot before the paced messages: a customer's first
            // message sent at once with its /start could reach tgsim before the chat exists.
            let mut starts = JoinSet::new();
            for &(ci, bot, cust) in &customers {
                let ctl = ctl.clone();
                starts.spawn(async move { send_one(&ctl, ci, bot, cust, 0).await });
            }
            while let Some(r) = starts.join_next().await {
                prelude.extend(r??);
            }
            let every = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
            let t0 = tokio::time::Instant::now();
            for i in 0..sends {
                let Some(&(ci, bot, cust)) = customers.get(i % customers.len().max(1)) else {
                    break;
                };
                let k = 1 + i / customers.len().max(1);
                tokio::time::sleep_until(t0 + every * u32::try_from(i).unwrap_or(u32::MAX)).await;
                let ctl = ctl.clone();
                tasks.spawn(async move {
                    Ok(send_one(&ctl, ci, bot, cust, k)
                        .await?
                        .into_iter()
                        .collect())
                });
            }
        }
    }
    let mut sent = prelude;
    while let Some(r) = tasks.join_next().await {
        sent.extend(r??);
    }
    let send_s = started.elapsed().as_secs_f64();
    let copies = wait_for_copies(ctl, conns, groups0, &sent, serve).await?;
    let cpu = serve.cpu_seconds() - cpu0;

    let mut latencies = Vec::with_capacity(sent.len());
    let mut delivered = 0usize;
    let mut duplicated = 0usize;
    let mut last_copy = i64::MIN;
    // Every sample, for a closer look: marker, sent and copied (tgsim's ms clock).
    let mut samples = String::from("marker\tsent_ms\tcopied_ms\n");
    for s in &sent {
        if let Some(dates) = copies.markers.get(&s.marker) {
            delivered += 1;
            duplicated += dates.len().saturating_sub(1);
            let first = dates.iter().copied().min().unwrap_or(s.date_ms);
            last_copy = last_copy.max(first);
            latencies.push((first - s.date_ms) as f64);
            samples.push_str(&format!("{}\t{}\t{first}\n", s.marker, s.date_ms));
        }
    }
    std::fs::write(dir.join("latencies.tsv"), samples)?;
    latencies.sort_by(f64::total_cmp);
    let first_sent = sent.iter().map(|s| s.date_ms).min().unwrap_or(0);
    let span_s = ((last_copy - first_sent) as f64 / 1000.0).max(1e-3);
    let mut r = json!({
        "connections": conns.len(),
        "customers": customers.len(),
        "messages": sent.len(),
        "seconds": round(span_s, 3),
        "sent_per_sec": round(sent.len() as f64 / send_s.max(1e-3), 1),
        "msgs_per_sec": round(delivered as f64 / span_s, 1),
        "p50_ms": round(percentile(&latencies, 0.50), 1),
        "p99_ms": round(percentile(&latencies, 0.99), 1),
        "max_ms": round(latencies.last().copied().unwrap_or(0.0), 1),
        "cpu_s_per_1k": round(cpu / delivered.max(1) as f64 * 1000.0, 3),
        "cpu_pct": round(cpu / span_s * 100.0, 1),
        "rss_mb": round(serve.memory_mb("VmRSS:"), 1),
        "peak_rss_mb": round(serve.memory_mb("VmHWM:"), 1),
        "delivered": delivered,
        "lost": sent.len() - delivered,
        "duplicated": duplicated,
        "http_429": ctl.status_count(429).await?,
    });
    if let Pace::Rate(rate, _) = pace {
        set(&mut r, "rate", json!(rate));
    }
    if phase == Phase::Limits {
        set(
            &mut r,
            "group_budget_used",
            json!(round(copies.group_budget_used, 3)),
        );
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_runs_report_medians_and_the_worst_exactness() {
        let runs = [
            json!({ "msgs_per_sec": 900.0, "lost": 0, "messages": 10, "phase": "burst1" }),
            json!({ "msgs_per_sec": 1200.0, "lost": 2, "messages": 10, "phase": "burst1" }),
            json!({ "msgs_per_sec": 1000.0, "lost": 0, "messages": 10, "phase": "burst1" }),
        ];
        let m = median_of(&runs);
        assert_eq!(m["msgs_per_sec"], json!(1000.0));
        assert_eq!(m["lost"], json!(2));
        assert_eq!(m["messages"], json!(10));
        assert_eq!(m["phase"], "burst1");
        assert_eq!(m["runs"], 3);
    }

    #[test]
    fn scaling_keeps_at_least_one() {
        assert_eq!(scaled(100, 0.05), 5);
        assert_eq!(scaled(5, 0.05), 1);
        assert_eq!(scaled(20, 1.0), 20);
    }
}
