//! Running `hotline serve` and the CLI from tests, against an emulator in the test's
//! process, exactly as a self-hoster would: environment variables, signals, log lines,
//! HTTP. Everything here is async, so waiting never blocks the emulator's runtime.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long a condition may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// The environment of an instance in `dir` talking to the emulator at `api`: long polls of
/// one second, no pacing, any free port for the HTTP listener.
pub fn instance_env(dir: &Path, api: &str) -> Vec<(String, String)> {
    [
        ("HOTLINE_DATA_DIR", dir.display().to_string()),
        ("HOTLINE_BOT_API_URL", api.to_string()),
        ("HOTLINE_POLL_TIMEOUT_S", "1".into()),
        ("HOTLINE_PACING", "false".into()),
        ("HOTLINE_ALBUM_WINDOW_MS", "300".into()),
        ("HOTLINE_LISTEN", "127.0.0.1:0".into()),
        ("HOTLINE_LOG", "info,sqlx=warn".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn command(env: &[(String, String)], args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .kill_on_drop(true);
    cmd
}

/// Runs a CLI command to its end: (exit code, stdout, stderr).
pub async fn cli(env: &[(String, String)], args: &[&str]) -> (i32, String, String) {
    let out = command(env, args)
        .output()
        .await
        .unwrap_or_else(|e| panic!("hotline {args:?} runs: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A running `hotline serve`, its log collected as it comes.
pub struct Served {
    child: Child,
    log: Arc<Mutex<String>>,
    grew: tokio::sync::watch::Receiver<usize>,
    /// `http://127.0.0.1:PORT` of its HTTP listener.
    pub http: String,
}

impl Served {
    /// Starts `hotline serve` and waits until it runs (its listener's address logged and
    /// "hotline is running").
    pub async fn start(env: &[(String, String)]) -> Served {
        let mut child = command(env, &["serve"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("hotline serve starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, grew) = tokio::sync::watch::channel(0usize);
        let sink = log.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut l = sink.lock().expect("log");
                l.push_str(&line);
                l.push('\n');
                let len = l.len();
                drop(l);
                tx.send_replace(len);
            }
            // The process ended: wake the waiters one last time.
            tx.send_modify(|n| *n += 1);
        });
        let mut s = Served {
            child,
            log,
            grew,
            http: String::new(),
        };
        let line = s.wait_log("listening on http://").await;
        s.http = line
            .split("listening on ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .expect("the listener's address")
            .to_string();
        s.wait_log("hotline is running").await;
        s
    }

    /// Everything logged so far.
    pub fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// Waits until a log line contains `needle`; returns that line.
    pub async fn wait_log(&mut self, needle: &str) -> String {
        let found = tokio::time::timeout(DEADLINE, async {
            loop {
                if let Some(l) = self.log().lines().find(|l| l.contains(needle)) {
                    return l.to_string();
                }
                if self.grew.changed().await.is_err() {
                    // The reader ended; one last look.
                    return self
                        .log()
                        .lines()
                        .find(|l| l.contains(needle))
                        .map(str::to_string)
                        .unwrap_or_default();
                }
            }
        })
        .await;
        match found {
            Ok(l) if !l.is_empty() => l,
            _ => panic!("serve never logged {needle:?}:\n{}", self.log()),
        }
    }

    /// Sends `signal` (`TERM`, `INT`) and waits for the exit; returns its code and the log.
    pub async fn stop_with(mut self, signal: &str) -> (Option<i32>, String) {
        let pid = self.child.id().expect("serve runs").to_string();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .await
            .expect("kill");
        assert!(sent.success());
        let status = tokio::time::timeout(DEADLINE, self.child.wait())
            .await
            .expect("serve stops in time")
            .expect("serve's exit status");
        // Let the reader take the last lines.
        let _ = tokio::time::timeout(DEADLINE, async {
            while self.grew.changed().await.is_ok() {}
        })
        .await;
        (status.code(), self.log())
    }

    /// GET `path` on the listener: (status, body).
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client")
            .get(format!("{}{path}", self.http))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }

    /// Polls `path` until it answers `status` (readiness moves with Telegram's answers,
    /// which arrive at least every long poll); returns the body.
    pub async fn until_status(&self, path: &str, status: u16) -> String {
        let mut last = (0, String::new());
        let r = tokio::time::timeout(DEADLINE, async {
            loop {
                last = self.get(path).await;
                if last.0 == status {
                    return last.1.clone();
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        r.unwrap_or_else(|_| panic!("{path} never answered {status}; last: {last:?}"))
    }
}
