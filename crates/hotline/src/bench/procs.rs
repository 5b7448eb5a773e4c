//! The processes of the external benchmark: tgsim on its own (`bench sim`), Hotline
//! (`serve` and its CLI), and what /proc says about their CPU and memory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

#[derive(Debug, clap::Args)]
pub struct SimArgs {
    /// Address to listen on; port 0 picks a free one. The first line on stdout is
    /// `tgsim http://ADDR`.
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: String,
    /// Turn on Telegram's flood limits.
    #[arg(long)]
    limits: bool,
}

/// `hotline bench sim`: tgsim alone (strict, as in the tests), until Ctrl-C or SIGTERM.
pub async fn sim(args: SimArgs) -> Result<()> {
    let mut cfg = tgsim::Config {
        strict: true,
        ..tgsim::Config::default()
    };
    cfg.limits.enabled = args.limits;
    cfg.record_path = None;
    let sim = tgsim::TgSim::start_on(&args.bind, cfg)
        .await
        .with_context(|| format!("listening on {}", args.bind))?;
    println!("tgsim {}", sim.base_url());
    let stop = crate::stop_requested().await?;
    tracing::info!("{stop}: tgsim stops");
    sim.shutdown().await;
    Ok(())
}

/// CPU seconds (user + system) a process has used, from /proc; `pid` may be `self`.
pub fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name (which may contain spaces) start after ") ".
    let Some(rest) = stat.rsplit_once(") ").map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name; the
    // kernel counts them in USER_HZ, which is 100 on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// A memory figure of a process in MB from /proc/PID/status: `VmRSS:` (now) or `VmHWM:`
/// (peak resident).
pub fn memory_mb(pid: &str, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(str::to_string))
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A child process the benchmark started; stopped with SIGTERM (killed if it lingers).
pub struct Proc {
    child: Child,
    pub pid: String,
    what: &'static str,
}

impl Proc {
    fn spawn(what: &'static str, mut cmd: Command, log: &Path) -> Result<Self> {
        let err =
            std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        cmd.stderr(err).kill_on_drop(true);
        let child = cmd.spawn().with_context(|| format!("starting {what}"))?;
        let pid = child
            .id()
            .map(|p| p.to_string())
            .with_context(|| format!("{what} exited at once"))?;
        Ok(Self { child, pid, what })
    }

    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&self.pid)
    }

    pub fn memory_mb(&self, field: &str) -> f64 {
        memory_mb(&self.pid, field)
    }

    /// Fails if the process has exited (it should be running).
    pub fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!("{} exited ({status})", self.what);
        }
        Ok(())
    }

    /// SIGKILL, as a crash or an OOM killer would, and wait for the exit.
    pub async fn kill(&mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }

    /// SIGTERM, then up to 30 s for a graceful exit, then SIGKILL.
    pub async fn stop(mut self) -> Result<()> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid])
            .status()
            .await;
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(r) => {
                r?;
            }
            Err(_) => {
                self.child.kill().await?;
                bail!("{} did not stop within 30 s of SIGTERM", self.what);
            }
        }
        Ok(())
    }
}

/// Starts `hotline bench sim` and returns it with its base URL.
pub async fn spawn_sim(exe: &Path, limits: bool, log: &Path) -> Result<(Proc, String)> {
    let mut cmd = Command::new(exe);
    cmd.args(["bench", "sim"]).stdout(Stdio::piped());
    if limits {
        cmd.arg("--limits");
    }
    let mut p = Proc::spawn("tgsim", cmd, log)?;
    let out = p.child.stdout.take().context("tgsim's stdout")?;
    let mut lines = BufReader::new(out).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .context("tgsim did not say where it listens within 30 s")??
        .with_context(|| format!("tgsim exited; see {}", log.display()))?;
    let base = line
        .strip_prefix("tgsim ")
        .with_context(|| format!("unexpected first line from tgsim: {line}"))?
        .to_string();
    Ok((p, base))
}

/// The Hotline binary under test and its configuration file.
#[derive(Debug, Clone)]
pub struct Hotline {
    pub exe: PathBuf,
    pub config: PathBuf,
}

impl Hotline {
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("--config").arg(&self.config);
        // The benchmark's own environment must not configure the instance under test.
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("HOTLINE_") {
                cmd.env_remove(k);
            }
        }
        // Warnings only, unless HOTLINE_BENCH_LOG says otherwise (e.g. `sqlx::query=debug`).
        let log = std::env::var("HOTLINE_BENCH_LOG").unwrap_or_else(|_| "warn".into());
        cmd.env("HOTLINE_LOG", log);
        cmd
    }

    /// Runs a CLI command to the end; its stdout, or an error with its stderr.
    pub async fn cli(&self, args: &[&str]) -> Result<String> {
        let out = self
            .command()
            .args(args)
            .stdin(Stdio::null())
            .output()
            .await
            .with_context(|| format!("running hotline {}", args.join(" ")))?;
        if !out.status.success() {
            bail!(
                "hotline {} failed ({}): {}",
                args.first().copied().unwrap_or_default(),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Starts `hotline serve`, its log in `log`.
    pub fn serve(&self, log: &Path) -> Result<Proc> {
        let mut cmd = self.command();
        cmd.arg("serve").stdin(Stdio::null()).stdout(Stdio::null());
        Proc::spawn("hotline serve", cmd, log)
    }
}

/// Until `/readyz` answers 200 (every connection running).
pub async fn wait_ready(
    http: &reqwest::Client,
    listen: SocketAddr,
    serve: &mut Proc,
    within: Duration,
) -> Result<()> {
    let deadline = Instant::now() + within;
    loop {
        serve.check_alive()?;
        if let Ok(r) = http.get(format!("http://{listen}/readyz")).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("hotline serve was not ready within {} s", within.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
