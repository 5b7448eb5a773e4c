//! The `hotline` binary: command-line entry points.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod bench;
mod demo;
mod sandbox;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use hotline_app::connect::{Target, add_bot_connection};
use hotline_app::{Clock, Runtime, Settings, SystemClock};
use hotline_core::{ConnectionId, UserId};
use hotline_store::Store;

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
enum BenchCmd {
    /// Relay throughput, latency and exactness.
    Relay(bench::RelayArgs),
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Sandbox(args) => sandbox::run(args).await,
        Command::Bench(BenchCmd::Relay(args)) => bench::relay(args).await,
        cmd => {
            let settings = Settings::load(cli.config.as_deref())?;
            match cmd {
                Command::CheckConfig => {
                    println!("{}", settings.render());
                    println!("# configuration is valid");
                    Ok(())
                }
                Command::Migrate => {
                    let store = open_store(&settings).await?;
                    store.close().await;
                    println!("database is up to date");
                    Ok(())
                }
                Command::Serve => serve(settings).await,
                Command::Connection(c) => connection(settings, c).await,
                Command::Sandbox(_) | Command::Bench(_) => Ok(()),
            }
        }
    }
}

async fn open_store(settings: &Settings) -> Result<Store> {
    if settings.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating {}", settings.data_dir.display()))?;
    }
    Store::open(&settings.database_url)
        .await
        .context("opening the database")
}

async fn serve(mut settings: Settings) -> Result<()> {
    let store = open_store(&settings).await?;
    // One owner per database (see ARCHITECTURE.md): a second instance exits here.
    let _guard = store
        .acquire_instance_guard(&settings.database_url, &hotline_store::describe_self())
        .await?;
    let secrets = settings.secret_box()?;
    let rt = Runtime::start(settings, store, secrets, Arc::new(SystemClock)).await?;
    tracing::info!("hotline is running; Ctrl-C stops it");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    tracing::info!("stopping…");
    rt.shutdown().await;
    Ok(())
}

async fn connection(mut settings: Settings, cmd: ConnectionCmd) -> Result<()> {
    let store = open_store(&settings).await?;
    match cmd {
        ConnectionCmd::Add {
            token,
            group,
            admin,
        } => {
            let secrets = settings.secret_box()?;
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
                println!(
                    "{}\t@{}\tgroup {}\t{}\t{}{}",
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
        ConnectionCmd::Params { id } => {
            let id = ConnectionId(id);
            let cfg = hotline_app::config::ConnConfig::load(&store, id).await?;
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
