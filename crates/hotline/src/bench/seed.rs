//! `hotline bench seed`: adds many connections at once, for the idle phase of `bench load`
//! (10,000 `connection add` processes would take many minutes). Each one goes through the
//! same checks and writes as `connection add` (`add_bot_connection`), 32 at a time.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::task::JoinSet;

use hotline_app::connect::{Target, add_bot_connection};
use hotline_app::keys::{self, Access};
use hotline_app::{Clock, Settings, SystemClock};
use hotline_store::OpenMode;

#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// Lines of `TOKEN<TAB>GROUP_ID`, one connection each.
    #[arg(long)]
    file: PathBuf,
}

pub async fn seed(mut settings: Settings, args: SeedArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let mut targets = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let (token, group) = line
            .split_once('\t')
            .with_context(|| format!("line {}: expected TOKEN<TAB>GROUP_ID", n + 1))?;
        let group: i64 = group
            .trim()
            .parse()
            .with_context(|| format!("line {}: the group id is not a number", n + 1))?;
        targets.push((token.trim().to_string(), group));
    }
    let store = crate::open_store(&settings, OpenMode::Create).await?;
    let secrets = Arc::new(keys::instance_key(&mut settings, &store, Access::Shared).await?);
    let http = reqwest::Client::builder().build()?;
    let settings = Arc::new(settings);
    let gate = Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = JoinSet::new();
    for (token, group) in targets {
        let (store, secrets, http, settings, gate) = (
            store.clone(),
            secrets.clone(),
            http.clone(),
            settings.clone(),
            gate.clone(),
        );
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let target = Target {
                api_base: &settings.bot_api_url,
                token: &token,
                group,
                plan: &settings.default_plan,
                admin: None,
            };
            add_bot_connection(&store, &secrets, http, &target, SystemClock.now_ms())
                .await
                .with_context(|| format!("connecting the bot for group {group}"))?;
            anyhow::Ok(())
        });
    }
    let mut added = 0usize;
    while let Some(r) = tasks.join_next().await {
        r??;
        added += 1;
    }
    store.close().await;
    println!("{added} connections added");
    Ok(())
}
