//! tgsim: a Telegram Bot API emulator.
//!
//! A real HTTP server that speaks the Bot API wire format (`/bot{token}/{method}`, JSON,
//! form and multipart bodies, `/file/bot{token}/{path}` downloads) over a small in-memory
//! world of users, bots, groups, forum topics and messages, plus a JSON control API under
//! `/control/…` through which tests act as the people in that world. It follows the official
//! Bot API documentation rather than any client's convenience, and depends on no Hotline
//! crate, so it cannot share Hotline's bugs.
//!
//! Start one with [`TgSim::start`]; see ARCHITECTURE.md for the world model and how to add a
//! method.

pub mod clock;
pub mod config;
pub mod control;
pub mod error;
pub mod faults;
pub mod format;
pub mod http;
pub mod limits;
pub mod methods;
pub mod params;
pub mod persist;
pub mod record;
pub mod render;
pub mod ui;
pub mod updates;
pub mod world;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use rand::SeedableRng;
use rand::rngs::SmallRng;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use clock::Clock;
pub use config::{Config, LimitsConfig};
pub use error::ApiError;
pub use faults::{FaultKind, FaultRule};
pub use world::World;

/// Call counters, for the control API and benchmarks.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Stats {
    /// Calls per canonical method name.
    pub calls: BTreeMap<String, u64>,
    /// Answers per HTTP status code.
    pub statuses: BTreeMap<u16, u64>,
}

/// Shared state of one running emulator.
#[derive(Debug)]
pub struct Sim {
    world: Mutex<World>,
    pub clock: Arc<Clock>,
    pub http: reqwest::Client,
    pub shutdown: CancellationToken,
    pub tasks: TaskTracker,
    pub faults: Mutex<faults::Faults>,
    pub fault_rng: Mutex<SmallRng>,
    pub recorder: Option<record::Recorder>,
    pub stats: Mutex<Stats>,
    /// The embedding program's own status (a JSON object), shown by the sandbox UI's host
    /// panel; tgsim does not interpret it.
    pub panel: tokio::sync::watch::Sender<serde_json::Value>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Sim {
    pub fn new(config: Config) -> std::io::Result<Arc<Self>> {
        let clock = Arc::new(Clock::default());
        let recorder = match &config.record_path {
            Some(p) => Some(record::Recorder::open(p)?),
            None => None,
        };
        let seed = config.seed;
        let world = World::new(config, clock.clone(), SmallRng::seed_from_u64(seed));
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Arc::new(Self {
            world: Mutex::new(world),
            clock,
            http,
            shutdown: CancellationToken::new(),
            tasks: TaskTracker::new(),
            faults: Mutex::new(faults::Faults::default()),
            fault_rng: Mutex::new(SmallRng::seed_from_u64(seed ^ 0xfa17)),
            recorder,
            stats: Mutex::new(Stats::default()),
            panel: tokio::sync::watch::channel(serde_json::json!({})).0,
        }))
    }

    /// The world, locked. Never hold it across an `.await`.
    pub fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    pub fn stats(&self) -> Stats {
        lock(&self.stats).clone()
    }

    /// Sets what `GET /control/panel` answers (the sandbox UI renders it as a key/value table).
    pub fn set_panel(&self, panel: serde_json::Value) {
        self.panel.send_if_modified(|old| {
            let changed = *old != panel;
            *old = panel;
            changed
        });
    }

    pub fn panel(&self) -> serde_json::Value {
        self.panel.borrow().clone()
    }

    pub(crate) fn count(&self, method: &str, status: u16) {
        let mut s = lock(&self.stats);
        *s.calls.entry(method.to_string()).or_default() += 1;
        *s.statuses.entry(status).or_default() += 1;
    }

    /// Starts the webhook sender for a bot whose webhook just changed.
    pub(crate) fn spawn_webhook_sender(self: &Arc<Self>, bot: i64, generation: u64) {
        let sim = self.clone();
        self.tasks
            .spawn(updates::webhook_sender(sim, bot, generation));
    }
}

/// A running emulator bound to a loopback port.
#[derive(Debug)]
pub struct TgSim {
    pub addr: SocketAddr,
    pub sim: Arc<Sim>,
    server: tokio::task::JoinHandle<()>,
}

impl TgSim {
    /// Binds `127.0.0.1:0` and serves until [`TgSim::shutdown`] (or drop of the runtime).
    pub async fn start(config: Config) -> std::io::Result<Self> {
        Self::start_on("127.0.0.1:0", config).await
    }

    pub async fn start_on(bind: &str, config: Config) -> std::io::Result<Self> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let sim = Sim::new(config)?;
        let server = tokio::spawn(http::serve(listener, sim.clone()));
        Ok(Self { addr, sim, server })
    }

    /// Base URL for Bot API clients: requests go to `{base_url}/bot{token}/{method}`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting requests, ends long polls and webhook senders, and waits for them.
    pub async fn shutdown(self) {
        self.sim.shutdown.cancel();
        self.sim.tasks.close();
        self.sim.tasks.wait().await;
        let _ = self.server.await;
    }
}
