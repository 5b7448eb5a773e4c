//! `hotline sandbox`: the whole helpdesk offline — tgsim with a demo world and its web UI,
//! and Hotline (the same runtime as `hotline serve`) pointed at it, on an SQLite file in a
//! data directory. A second start resumes the same world and database; `--fresh` starts over.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::json;

use hotline_app::connect::{Target, add_bot_connection};
use hotline_app::{Clock, Runtime, Settings, SystemClock};
use hotline_store::Store;

use crate::demo::{self, Demo};

#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Address for the emulator and its web UI (port 0: any free port).
    #[arg(long, env = "HOTLINE_SANDBOX_BIND", default_value = "127.0.0.1:8081")]
    bind: SocketAddr,
    /// Where the world, Hotline's database and its key are kept between runs.
    #[arg(long, env = "HOTLINE_SANDBOX_DIR", default_value = "sandbox-data")]
    data_dir: PathBuf,
    /// Forget the saved world and database; start from the demo world.
    #[arg(long)]
    fresh: bool,
    /// Do not enforce Telegram's flood limits (they are on by default, and Hotline paces
    /// itself to them).
    #[arg(long)]
    no_limits: bool,
    /// Ignore unknown Bot API parameters like Telegram does, instead of rejecting them.
    #[arg(long)]
    lenient: bool,
}

/// Hotline's clock in the sandbox: tgsim's, so advancing the emulator's clock from the UI
/// moves Hotline's time too (the AUTOCLOSE demo).
#[derive(Debug)]
struct SimClock {
    sim: Arc<tgsim::Sim>,
    jumps: tokio::sync::watch::Sender<i64>,
}

impl Clock for SimClock {
    fn now_ms(&self) -> i64 {
        self.sim.clock.now_ms()
    }

    fn jumps(&self) -> Option<tokio::sync::watch::Receiver<i64>> {
        Some(self.jumps.subscribe())
    }
}

impl SimClock {
    fn lead(&self) -> i64 {
        self.sim.clock.now_ms() - SystemClock.now_ms()
    }

    /// Tells Hotline's timers when the emulator's clock jumped (checked on every change
    /// of the world, which advancing the clock is).
    async fn watch(self: Arc<Self>, stop: tokio_util::sync::CancellationToken) {
        let mut changes = self.sim.world().changes.subscribe();
        let mut last = self.lead();
        loop {
            tokio::select! {
                r = changes.changed() => if r.is_err() { return },
                () = stop.cancelled() => return,
            }
            let lead = self.lead();
            if lead - last > 1_000 {
                self.jumps.send_replace(lead);
            }
            last = lead;
        }
    }
}

/// An exclusive lock on the data directory itself (held open; the OS drops it with the
/// process, however it ends).
fn lock_dir(dir: &Path) -> Result<std::fs::File> {
    let handle = std::fs::File::open(dir).with_context(|| format!("opening {}", dir.display()))?;
    match handle.try_lock() {
        Ok(()) => Ok(handle),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another sandbox is already running with the data directory {}; stop it first, or pass another --data-dir",
            dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("locking {}", dir.display()))
        }
    }
}

/// `--fresh`: everything in the data directory goes (the directory, and its lock, stay).
fn empty_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        }
        .with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

fn world_file(dir: &Path) -> PathBuf {
    dir.join("world.json")
}

fn demo_file(dir: &Path) -> PathBuf {
    dir.join("demo.json")
}

/// Writes the world next to the database (atomically: a crash leaves the previous file).
fn save_world(sim: &tgsim::Sim, dir: &Path) -> Result<()> {
    let text = sim.world().save();
    let tmp = dir.join("world.json.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, world_file(dir)).context("replacing world.json")?;
    Ok(())
}

pub async fn run(args: SandboxArgs) -> Result<()> {
    let dir = args.data_dir.clone();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    // One sandbox per data directory, taken before anything in it is touched: a second one
    // (`--fresh` above all) must not delete the files of the one running.
    let _dir_lock = lock_dir(&dir)?;
    if args.fresh {
        empty_dir(&dir)?;
    }
    let mut config = if args.lenient {
        tgsim::Config::lenient()
    } else {
        tgsim::Config::default()
    };
    config.limits.enabled = !args.no_limits;
    let sim = tgsim::TgSim::start_on(&args.bind.to_string(), config)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let base = sim.base_url();

    // The world: the saved one, or the demo.
    let saved = std::fs::read_to_string(world_file(&dir)).ok();
    let demo_saved = std::fs::read_to_string(demo_file(&dir))
        .ok()
        .and_then(|t| serde_json::from_str::<Demo>(&t).ok());
    let (demo, resumed) = match (saved, demo_saved) {
        (Some(text), Some(demo)) => {
            sim.sim
                .world()
                .load(&text)
                .context("the saved world cannot be loaded (start with --fresh)")?;
            (demo, true)
        }
        _ => {
            // Nothing (or half of it) saved: start over, database included.
            let db = dir.join("hotline");
            if db.exists() {
                std::fs::remove_dir_all(&db)?;
            }
            let demo = demo::populate(&sim.sim);
            std::fs::write(demo_file(&dir), serde_json::to_string_pretty(&demo)?)?;
            (demo, false)
        }
    };

    // Hotline itself: the same runtime as `serve`, pointed at the emulator.
    let mut settings = Settings::for_tests(&dir.join("hotline"), &base);
    settings.pacing = !args.no_limits;
    settings.album_window_ms = 1000;
    settings.poll_timeout_s = 20;
    settings.setup_bot_token = demo.bots.first().map(|(_, _, token)| token.clone());
    settings.superadmins = vec![demo.admin];
    // The instance key lives beside the database (`hotline/secret.key`), created on the
    // first start and read on every later one: without it the stored bot tokens could not
    // be decrypted after a restart.
    settings.encryption_key = String::new();
    let key_file = settings.data_dir.join("secret.key");
    if resumed && !key_file.exists() && settings.data_dir.join("hotline.db").exists() {
        anyhow::bail!(
            "the sandbox in {} was saved by an older Hotline that did not keep its instance key, so its bot tokens cannot be read; start it with --fresh",
            dir.display()
        );
    }
    std::fs::create_dir_all(&settings.data_dir)?;
    let store = Store::open(&settings.database_url).await?;
    let guard = store
        .acquire_instance_guard(&settings.database_url, &hotline_store::describe_self())
        .await?;
    let secrets = settings.secret_box()?;
    let clock = Arc::new(SimClock {
        sim: sim.sim.clone(),
        jumps: tokio::sync::watch::channel(0).0,
    });
    if !resumed && let Some((_, _, token)) = demo.bots.get(1) {
        let http = reqwest::Client::builder().no_proxy().build()?;
        let target = Target {
            api_base: &base,
            token,
            group: demo.forum,
            plan: "free",
            admin: Some(demo.admin),
        };
        let (id, _) = add_bot_connection(&store, &secrets, http, &target, clock.now_ms()).await?;
        seed_tags(&store, id, clock.now_ms()).await?;
    }
    let rt = Runtime::start(settings, store, secrets, clock.clone()).await?;
    if !resumed {
        demo.shoppers_write(&base).await?;
    }
    let stop = tokio_util::sync::CancellationToken::new();
    let clock_task = tokio::spawn(clock.clone().watch(stop.clone()));
    let keeper = tokio::spawn(keep(sim.sim.clone(), rt.clone(), dir.clone(), stop.clone()));

    let connected: Vec<(i64, String)> = rt
        .store
        .connections()
        .all()
        .await?
        .into_iter()
        .map(|c| {
            let state = if c.enabled {
                format!("connection {}", c.id)
            } else {
                format!("connection {}, stopped", c.id)
            };
            (c.bot_user_id.0, state)
        })
        .collect();
    println!("{}", demo.describe(&base, resumed, &connected));
    if let Some(addr) = *rt
        .http_addr
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        println!("Hotline's own health and metrics: http://{addr}/readyz, http://{addr}/metrics");
    }
    println!("Open {base}/ui in a browser.\n\nPress Ctrl-C to stop.");
    let why = crate::stop_requested().await?;
    println!("{why}: stopping…");
    stop.cancel();
    let _ = clock_task.await;
    let _ = keeper.await;
    rt.shutdown().await;
    rt.store.close().await;
    guard.release().await;
    save_world(&sim.sim, &dir)?;
    sim.shutdown().await;
    println!(
        "saved in {}; `hotline sandbox` resumes it, `--fresh` starts over",
        dir.display()
    );
    Ok(())
}

/// Every few seconds: Hotline's numbers for the UI's host panel, and the world saved (so a
/// killed sandbox loses at most a few seconds).
async fn keep(
    sim: Arc<tgsim::Sim>,
    rt: Arc<Runtime>,
    dir: PathBuf,
    stop: tokio_util::sync::CancellationToken,
) {
    let mut tick = 0u32;
    loop {
        sim.set_panel(metrics(&rt).await);
        tick = tick.wrapping_add(1);
        if tick.is_multiple_of(5)
            && let Err(e) = save_world(&sim, &dir)
        {
            tracing::warn!("saving the sandbox world failed: {e:#}");
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(2)) => {}
            () = stop.cancelled() => return,
        }
    }
}

/// What Hotline is doing, for the UI's host panel.
async fn metrics(rt: &Runtime) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    let conns = rt.store.connections().all().await.unwrap_or_default();
    for c in conns {
        let all = rt.store.dialogs().of(c.id).await.unwrap_or_default();
        let dialogs = all.len();
        let open = all
            .iter()
            .filter(|d| d.status != hotline_core::Status::Closed)
            .count();
        let outbox = rt.store.outbox().stats(c.id).await.map_or(-1, |s| s.depth);
        let inbox = rt.store.inbox().stats(c.id).await.map_or(0, |s| s.depth);
        let status = match c.status_error {
            Some(e) => format!("{} ({e})", c.status),
            None => c.status.to_string(),
        };
        out.insert(
            format!("#{} @{}", c.id, c.bot_username),
            json!(format!("{status} · plan {}", c.plan)),
        );
        out.insert(
            format!("#{} dialogs", c.id),
            json!(format!("{dialogs} ({open} open)")),
        );
        out.insert(
            format!("#{} outbox · inbox", c.id),
            json!(format!("{outbox} · {inbox}")),
        );
    }
    serde_json::Value::Object(out)
}

/// A few tags for the demo connection, a funnel among them (`/mark` in General lists
/// them), and one template (`/template`).
async fn seed_tags(store: &Store, id: hotline_core::ConnectionId, now: i64) -> anyhow::Result<()> {
    let mut made = Vec::new();
    for name in ["vip", "lead", "won"] {
        if let Some(t) = store.tags().create(id, name, now).await? {
            made.push(t.id);
        }
    }
    if let &[vip, lead, won] = made.as_slice() {
        store.tags().set_ticker(vip, Some("⭐")).await?;
        // Giving a topic "won" takes "lead" from it.
        store.tags().set_after(won, &[lead]).await?;
    }
    // One template, for `/send welcome` in a topic and `/send all welcome` in General.
    hotline_app::templates::create_text(
        store,
        id,
        "welcome",
        "👋 Thanks for writing to us! Tell us what you need and we will answer here.",
        now,
    )
    .await?;
    Ok(())
}
