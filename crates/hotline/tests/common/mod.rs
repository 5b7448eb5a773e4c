//! Running the `hotline sandbox` binary from tests, as a newcomer would; [`serve`] runs
//! `hotline serve` and the CLI.
#![allow(dead_code)] // each test binary uses a part

pub mod serve;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A started sandbox: the process, the emulator's base URL, and what it printed up to the URL.
pub struct Spawned {
    pub child: Child,
    pub base: String,
    pub printed: String,
}

/// A test that fails midway must not leave the sandbox running: it would hold the test's
/// output pipe open and cargo would wait on it forever.
impl Drop for Spawned {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts `hotline sandbox` on a free port with its data in `dir` (limits off, for speed) and
/// waits for it to print its URL. The rest of its output is drained in the background, so it
/// never blocks on a full pipe.
pub fn spawn_sandbox(dir: &Path, fresh: bool) -> Spawned {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.args([
        "sandbox",
        "--bind",
        "127.0.0.1:0",
        "--no-limits",
        "--data-dir",
    ])
    .arg(dir)
    .env("RUST_LOG", "warn")
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    if fresh {
        cmd.arg("--fresh");
    }
    let mut child = cmd.spawn().expect("hotline sandbox starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = String::new();
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.expect("sandbox output");
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.strip_prefix("Open ") {
            base = rest
                .split_whitespace()
                .next()
                .map(|u| u.trim_end_matches("/ui").to_string());
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Spawned {
        child,
        base: base.unwrap_or_else(|| panic!("the sandbox printed no URL:\n{printed}")),
        printed,
    }
}
