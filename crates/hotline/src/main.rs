//! The `hotline` binary: command-line entry points.
//!
//! Today it runs the offline sandbox (tgsim with a demo world). The helpdesk runtime
//! (`serve`, `migrate`, `check-config`, `connection add`, `bench`) arrives with the relay.

mod demo;

use std::net::SocketAddr;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(
    name = "hotline",
    version,
    about = "Hotline: a self-hostable Telegram helpdesk"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the offline sandbox: tgsim (a Telegram Bot API emulator) with a demo world.
    Sandbox(SandboxArgs),
}

#[derive(Debug, clap::Args)]
struct SandboxArgs {
    /// Address for the emulator (Bot API, file downloads and control API).
    #[arg(long, env = "HOTLINE_SANDBOX_BIND", default_value = "127.0.0.1:8081")]
    bind: SocketAddr,
    /// Enforce Telegram's flood limits (429 with retry_after).
    #[arg(long)]
    limits: bool,
    /// Ignore unknown Bot API parameters like Telegram does, instead of rejecting them.
    #[arg(long)]
    lenient: bool,
    /// Behave like a local Bot API server (plain-HTTP webhooks, 2000 MB files).
    #[arg(long)]
    local_server: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Sandbox(args) => sandbox(args).await,
    }
}

async fn sandbox(args: SandboxArgs) -> Result<()> {
    let mut config = if args.lenient {
        tgsim::Config::lenient()
    } else {
        tgsim::Config::default()
    };
    config.limits.enabled = args.limits;
    config.local_server = args.local_server;
    let sim = tgsim::TgSim::start_on(&args.bind.to_string(), config)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let demo = demo::populate(&sim.sim);
    println!("{}", demo.describe(&sim.base_url()));
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    println!("stopping…");
    sim.shutdown().await;
    Ok(())
}
