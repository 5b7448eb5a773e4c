//! The `hotline` binary: command-line entry points.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod bench;
mod demo;
mod sandbox;

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use hotline_app::connect::{Target, add_bot_connection};
use hotline_app::keys::{self, Access};
use hotline_app::{Clock, LogFormat, Runtime, Settings, SystemClock};
use hotline_core::{ConnectionId, UserId};
use hotline_store::{GuardError, OpenMode, Store, StoreError};

#[derive(Debug, Parser)]
#[command(
    name = "hotline",
    version,
    about = "Hotline: a self-hostable Telegram helpdesk"
)]
struct Cli {
    /// Configuration file (TOML). `HOTLINE_*` environment variables override it.
    #[arg(long, global = true, env = "HOTLINE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the helpdesk.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Validate the configuration and print it with secrets hidden.
    CheckConfig,
    /// Manage connections before the setup bot exists.
    #[command(subcommand)]
    Connection(ConnectionCmd),
    /// Benchmarks against tgsim on loopback.
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Run the offline sandbox: tgsim with a demo world and Hotline connected to it.
    Sandbox(sandbox::SandboxArgs),
    /// Copy the SQLite database to PATH while it is in use (a consistent snapshot; serve
    /// keeps running). PostgreSQL: use pg_dump. The instance key is not in the copy.
    Backup {
        /// Where the copy goes; must not exist.
        path: PathBuf,
    },
    /// The instance key that encrypts the stored bot tokens.
    #[command(subcommand)]
    Key(KeyCmd),
    /// Ask a running instance whether it is ready (`/readyz`); exit 0 if it is, 1 if not.
    /// For container health checks.
    Healthcheck {
        /// Default: `http://{listen}/readyz` (0.0.0.0 and [::] as loopback).
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ConnectionCmd {
    /// Connect a bot (by token) to a forum group (by chat id).
    Add {
        #[arg(long, env = "HOTLINE_CONNECT_TOKEN")]
        token: String,
        #[arg(long, allow_hyphen_values = true)]
        group: i64,
        /// Telegram user id of the connection's admin.
        #[arg(long)]
        admin: Option<i64>,
    },
    /// List connections.
    List,
    /// Delete a connection and everything stored for it (a running `serve` stops it
    /// within seconds).
    Remove { id: i64 },
    /// Stop relaying for a connection, keeping everything (a running `serve` stops it).
    Disable { id: i64 },
    /// Relay again for a disabled connection (a running `serve` starts it).
    Enable { id: i64 },
    /// Show a connection's parameters (and what its plan makes of them).
    Params { id: i64 },
    /// Set a parameter, e.g. `connection set 1 AUTOCLOSE 24` or `connection set 1 WELCOME OFF`.
    Set {
        id: i64,
        name: String,
        /// The value, as an admin would type it in the setup bot.
        #[arg(allow_hyphen_values = true, num_args = 1..)]
        value: Vec<String>,
    },
    /// Grant a plan: free or paid.
    Plan { id: i64, plan: String },
    /// Assign a role (admin, supervisor, operator, observer) or `none` to a user id.
    Role { id: i64, user: i64, role: String },
    /// The role of members without one: supervisor, operator (the default) or observer.
    /// Admin is refused: admins are assigned one by one with `connection role`.
    DefaultRole { id: i64, role: String },
    /// The team's language: en, ru, es or de.
    Language { id: i64, language: String },
    /// Updates set aside because processing them kept failing (id, when, attempts, error).
    Failed { id: i64 },
}

#[derive(Debug, Subcommand)]
enum KeyCmd {
    /// Re-encrypt every stored secret under a new key, with serve stopped. With the key in
    /// data_dir/secret.key, it is replaced and the old one kept as secret.key.old (needed
    /// to read backups made before). With encryption_key configured, the new key goes to
    /// --new-key-file and you put it in encryption_key before the next start.
    Rotate {
        /// Where to write the new key when encryption_key is configured (created readable
        /// by you only; never printed).
        #[arg(long)]
        new_key_file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCmd {
    /// Relay throughput, latency and exactness, tgsim and Hotline in this process.
    Relay(bench::RelayArgs),
    /// The external benchmark: this process generates the load, tgsim (`bench sim`) and
    /// Hotline (`serve`) run as processes of their own; phases of bursts, fixed rates,
    /// operator answers, limits and idle bots.
    Load(bench::LoadArgs),
    /// tgsim on its own (what `bench load` starts).
    Sim(bench::SimArgs),
    /// Add many connections at once (`bench load`'s idle phase), each as `connection add`
    /// would.
    Seed(bench::SeedArgs),
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        for line in report(&e) {
            eprintln!("error: {line}");
        }
        std::process::exit(1);
    }
}

/// An error and its causes, each once: a cause whose text is already part of what is
/// printed (our error types carry their cause's text and do not report it again, but a
/// library's may) is skipped. One item per line of the message (the configuration's
/// problems are one a line).
fn report(e: &anyhow::Error) -> Vec<String> {
    let mut text = String::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if s.is_empty() || text.contains(&s) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&s);
    }
    text.lines().map(str::to_string).collect()
}

/// Log lines go to stderr (stdout is for commands' output): text, coloured only on a
/// terminal, or JSON objects. The filter comes from `HOTLINE_LOG`, else `RUST_LOG`, else
/// `info,sqlx=warn`.
fn init_logs(format: LogFormat) {
    const DEFAULT: &str = "info,sqlx=warn";
    let wanted = std::env::var("HOTLINE_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .ok();
    let (filter, refused) = match wanted.as_deref().map(EnvFilter::try_new) {
        None => (EnvFilter::new(DEFAULT), None),
        Some(Ok(f)) => (f, None),
        Some(Err(e)) => (EnvFilter::new(DEFAULT), Some(e)),
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    if let Some(e) = refused {
        tracing::warn!("the log filter HOTLINE_LOG/RUST_LOG is not valid ({e}); using {DEFAULT}");
    }
}

/// Waits for Ctrl-C (SIGINT) or SIGTERM (`docker stop`, `systemctl stop`); returns which.
pub(crate) async fn stop_requested() -> Result<&'static str> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.map(|()| "Ctrl-C").context("listening for Ctrl-C"),
            _ = term.recv() => Ok("SIGTERM"),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c()
            .await
            .context("listening for Ctrl-C")?;
        Ok("Ctrl-C")
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Sandbox(args) => {
            init_logs(LogFormat::Text);
            sandbox::run(args).await
        }
        Command::Bench(BenchCmd::Relay(args)) => {
            init_logs(LogFormat::Text);
            bench::relay(args).await
        }
        Command::Bench(BenchCmd::Load(args)) => {
            init_logs(LogFormat::Text);
            bench::load(args).await
        }
        Command::Bench(BenchCmd::Sim(args)) => {
            init_logs(LogFormat::Text);
            bench::sim(args).await
        }
        cmd => {
            let settings = Settings::load(cli.config.as_deref())?;
            init_logs(settings.log_format);
            match cmd {
                Command::CheckConfig => {
                    println!("{}", settings.render());
                    println!("# configuration is valid");
                    for w in settings.warnings() {
                        eprintln!("warning: {w}");
                    }
                    Ok(())
                }
                Command::Migrate => {
                    let store = open_store(&settings, OpenMode::Create).await?;
                    store.close().await;
                    println!("database is up to date");
                    Ok(())
                }
                Command::Serve => serve(settings).await,
                Command::Connection(c) => connection(settings, c).await,
                Command::Healthcheck { url } => healthcheck(&settings, url).await,
                Command::Backup { path } => backup(&settings, &path).await,
                Command::Key(KeyCmd::Rotate { new_key_file }) => {
                    rotate_key(settings, new_key_file.as_deref()).await
                }
                Command::Bench(BenchCmd::Seed(args)) => bench::seed(settings, args).await,
                Command::Sandbox(_) | Command::Bench(_) => Ok(()),
            }
        }
    }
}

/// Opens the database. Only `serve`, `migrate`, `connection add` (and the sandbox) create
/// one ([`OpenMode::Create`]); every other command needs it to exist.
pub(crate) async fn open_store(settings: &Settings, mode: OpenMode) -> Result<Store> {
    if settings.database_url.starts_with("sqlite:") && mode == OpenMode::Create {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating {}", settings.data_dir.display()))?;
    }
    match Store::open_with(&settings.database_url, mode).await {
        Err(StoreError::Missing(path)) => {
            anyhow::bail!("no database at {path}; run `hotline serve` or `hotline migrate` first")
        }
        r => r.with_context(|| format!("cannot open the database {}", settings.database_shown())),
    }
}

/// The line every backup prints: what the copy does not hold.
const KEY_REMINDER: &str = "the instance key is not in the backup: keep data_dir/secret.key (or encryption_key) separately and safe; without it the stored bot tokens cannot be read";

/// `hotline backup PATH`: an online copy of the SQLite database (no instance lock).
async fn backup(settings: &Settings, path: &std::path::Path) -> Result<()> {
    if !settings.database_url.starts_with("sqlite:") {
        anyhow::bail!(
            "hotline backup copies SQLite databases; this one is PostgreSQL: use pg_dump (pg_dump --format=custom --file=hotline.dump \"$HOTLINE_DATABASE_URL\"); the instance key (encryption_key) is not in the dump either: keep it separately"
        );
    }
    let store = open_store(settings, OpenMode::AsIs).await?;
    let made = store.backup_to(path).await;
    store.close().await;
    let size = made?;
    println!(
        "backup written to {} ({})",
        path.display(),
        human_size(size)
    );
    println!("{KEY_REMINDER}");
    Ok(())
}

fn human_size(bytes: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
    let b = bytes as f64;
    if bytes < 1024 * 1024 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    }
}

/// `hotline key rotate`: with serve stopped (the instance guard), every secret under a
/// new key (`hotline_app::keys`).
async fn rotate_key(mut settings: Settings, new_key_file: Option<&std::path::Path>) -> Result<()> {
    let store = open_store(&settings, OpenMode::Existing).await?;
    let guard = store
        .acquire_instance_guard(&settings.database_url, &hotline_store::describe_self())
        .await;
    let guard = match guard {
        Err(GuardError::Taken { holder }) => anyhow::bail!(
            "an instance is running on this database ({holder}): stop serve first, then rotate the key"
        ),
        g => g?,
    };
    let rotated = keys::rotate(&mut settings, &store, new_key_file).await;
    store.close().await;
    guard.release().await;
    let r = rotated?;
    println!(
        "re-encrypted {} stored secrets under a new instance key",
        r.resealed
    );
    match r.old_key_file {
        Some(old) => {
            println!("the new key is in {}", r.key_file.display());
            println!(
                "the previous key is kept in {}: backups made before now need it; keep both safe, apart from the backups",
                old.display()
            );
        }
        None => {
            println!(
                "the new key is in {} (readable by you only); put its content in encryption_key (HOTLINE_ENCRYPTION_KEY or the TOML file) before the next start: the old value no longer opens the database",
                r.key_file.display()
            );
            println!(
                "keep the old value too, apart from the backups: backups made before now need it"
            );
        }
    }
    Ok(())
}

/// `hotline healthcheck`: 0 when `/readyz` answers 200, 1 otherwise (printing why).
async fn healthcheck(settings: &Settings, url: Option<String>) -> Result<()> {
    let url = url.unwrap_or_else(|| {
        let mut addr = settings.listen;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr.ip() {
                std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        format!("http://{addr}/readyz")
    });
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_secs(5))
        .build()?;
    let resp = match http.get(&url).send().await {
        Ok(r) => r,
        Err(e) if e.is_connect() => {
            anyhow::bail!("no answer from {url}: nothing listens there (is serve running?)")
        }
        Err(e) if e.is_timeout() => anyhow::bail!("no answer from {url} within 5 s"),
        Err(e) => anyhow::bail!("no answer from {url}: {e}"),
    };
    let status = resp.status();
    let body = resp.text().await.unwrap_or_default();
    if status.is_success() {
        println!("ready ({url})");
        Ok(())
    } else {
        anyhow::bail!("not ready ({url} answered {status}): {}", body.trim())
    }
}

async fn serve(mut settings: Settings) -> Result<()> {
    let store = open_store(&settings, OpenMode::Create).await?;
    // One owner per database (see ARCHITECTURE.md): a second instance exits here.
    let guard = store
        .acquire_instance_guard(&settings.database_url, &hotline_store::describe_self())
        .await?;
    // The wrong key for this database stops the start here (see `hotline_app::keys`).
    let secrets = keys::instance_key(&mut settings, &store, Access::Owner).await?;
    for w in settings.warnings() {
        tracing::warn!("{w}");
    }
    let rt = Runtime::start(settings, store, secrets, Arc::new(SystemClock)).await?;
    tracing::info!("hotline is running; Ctrl-C or SIGTERM stops it");
    let why = stop_requested().await?;
    tracing::info!("{why}: stopping (in-flight calls finish, the rest waits in the outbox)");
    rt.shutdown().await;
    rt.store.close().await;
    // Released before exiting, so that a restart right away is not refused.
    guard.release().await;
    tracing::info!("stopped");
    Ok(())
}

/// The id of a stored connection, or the CLI's "no connection N".
async fn existing(store: &Store, id: i64) -> Result<ConnectionId> {
    let id = ConnectionId(id);
    match store.connections().get(id).await? {
        Some(_) => Ok(id),
        None => anyhow::bail!("no connection {id}"),
    }
}

async fn connection(mut settings: Settings, cmd: ConnectionCmd) -> Result<()> {
    // `connection add` sets an instance up before its first start, so it may create the
    // database; every other connection command needs one that exists.
    let mode = if matches!(cmd, ConnectionCmd::Add { .. }) {
        OpenMode::Create
    } else {
        OpenMode::Existing
    };
    let store = open_store(&settings, mode).await?;
    match cmd {
        ConnectionCmd::Add {
            token,
            group,
            admin,
        } => {
            let secrets = keys::instance_key(&mut settings, &store, Access::Shared).await?;
            let http = reqwest::Client::builder().build()?;
            let target = Target {
                api_base: &settings.bot_api_url,
                token: &token,
                group,
                plan: &settings.default_plan,
                admin,
            };
            let (id, warnings) =
                add_bot_connection(&store, &secrets, http, &target, SystemClock.now_ms()).await?;
            println!("connection {id} added");
            for w in warnings {
                println!("warning: {w}");
            }
        }
        ConnectionCmd::List => {
            for c in store.connections().all().await? {
                // What waits: calls to make (outbox) and updates to process (inbox).
                let outbox = store.outbox().stats(c.id).await?.depth;
                let inbox = store.inbox().stats(c.id).await?.depth;
                println!(
                    "{}\t@{}\tgroup {}\t{}\toutbox {outbox}\tinbox {inbox}\t{}{}",
                    c.id,
                    c.bot_username,
                    c.group_chat_id,
                    c.plan,
                    c.status,
                    c.status_error
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default()
                );
            }
        }
        ConnectionCmd::Remove { id } => {
            let id = existing(&store, id).await?;
            store.connections().delete(id).await?;
            println!("connection {id} removed");
        }
        ConnectionCmd::Disable { id } | ConnectionCmd::Enable { id } => {
            let enable = matches!(cmd, ConnectionCmd::Enable { .. });
            let id = existing(&store, id).await?;
            store.connections().set_enabled(id, enable).await?;
            println!(
                "connection {id} {}",
                if enable { "enabled" } else { "disabled" }
            );
        }
        ConnectionCmd::Params { id } => {
            let id = ConnectionId(id);
            let cfg = match hotline_app::config::ConnConfig::load(&store, id).await {
                Err(hotline_app::config::ConfigLoadError::Gone(_)) => {
                    anyhow::bail!("no connection {id}")
                }
                cfg => cfg?,
            };
            println!("# connection {id}, plan {}", cfg.plan.as_str());
            for (name, value) in cfg.stored.to_pairs() {
                let effective = cfg.params.render(name);
                if effective == value {
                    println!("{name} = {value}");
                } else {
                    println!(
                        "{name} = {value}    # the {} plan applies: {effective}",
                        cfg.plan.as_str()
                    );
                }
            }
        }
        ConnectionCmd::Set { id, name, value } => {
            let id = ConnectionId(id);
            let value = value.join(" ");
            let now = hotline_app::config::set_param(&store, id, &name, &value).await?;
            println!("{} = {now}", name.to_uppercase());
        }
        ConnectionCmd::Plan { id, plan } => {
            let id = ConnectionId(id);
            let plan = hotline_app::config::set_plan(&store, id, &plan).await?;
            println!("connection {id} is on the {} plan", plan.as_str());
        }
        ConnectionCmd::Role { id, user, role } => {
            let id = ConnectionId(id);
            let role = (role != "none").then_some(role);
            match hotline_app::config::set_role(&store, id, UserId(user), role.as_deref()).await? {
                Some(r) => println!("user {user} is {r} of connection {id}"),
                None => println!("user {user} has the default role of connection {id}"),
            }
        }
        ConnectionCmd::DefaultRole { id, role } => {
            let id = ConnectionId(id);
            let role = hotline_app::config::set_default_role(&store, id, &role).await?;
            println!("members without a role are {role}s of connection {id}");
        }
        ConnectionCmd::Failed { id } => {
            let id = ConnectionId(id);
            let list = store.inbox().set_aside(id).await?;
            if list.is_empty() {
                println!("connection {id}: no update was set aside");
            }
            for u in list {
                let at = jiff::Timestamp::from_millisecond(u.at)
                    .map(|t| t.to_string())
                    .unwrap_or_else(|_| u.at.to_string());
                println!(
                    "update {}	{at}	{} attempts	{}",
                    u.update_id, u.attempts, u.error
                );
            }
        }
        ConnectionCmd::Language { id, language } => {
            let id = ConnectionId(id);
            let lang = hotline_app::config::set_language(&store, id, &language).await?;
            println!("connection {id} speaks {} to its team", lang.code());
        }
    }
    store.close().await;
    Ok(())
}
