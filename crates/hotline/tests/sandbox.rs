//! `hotline sandbox` as a newcomer runs it: it prints the UI's URL, stops cleanly on Ctrl-C,
//! and a second start resumes the same world and database; `--fresh` starts over.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test fixtures

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Running {
    child: Child,
    base: String,
    printed: String,
}

fn start(dir: &Path, fresh: bool) -> Running {
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
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = String::new();
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
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
    // Keep reading in the background so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Running {
        child,
        base: base.unwrap_or_else(|| panic!("no URL printed:\n{printed}")),
        printed,
    }
}

/// Ctrl-C, and wait for the clean exit.
fn interrupt(mut r: Running) {
    let status = Command::new("kill")
        .args(["-INT", &r.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = r.child.wait().expect("the sandbox exits");
    assert!(exit.success(), "a clean stop: {exit:?}");
}

async fn world(base: &str) -> serde_json::Value {
    let v: serde_json::Value = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{base}/control/world"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["result"].clone()
}

fn names(world: &serde_json::Value) -> Vec<String> {
    world["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["first_name"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_second_start_resumes_the_world_and_fresh_starts_over() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");

    let first = start(&dir, false);
    assert!(
        first.printed.contains("A fresh demo world."),
        "{}",
        first.printed
    );
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let added: serde_json::Value = http
        .post(format!("{}/control/users", first.base))
        .json(&serde_json::json!({ "first_name": "Zoe", "language_code": "de" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(added["ok"], true, "{added}");
    interrupt(first);
    assert!(dir.join("world.json").is_file());
    assert!(dir.join("hotline").join("hotline.db").is_file() || dir.join("hotline").is_dir());

    let second = start(&dir, false);
    assert!(
        second.printed.contains("Resumed the saved world"),
        "{}",
        second.printed
    );
    assert!(names(&world(&second.base).await).contains(&"Zoe".to_string()));
    interrupt(second);

    let third = start(&dir, true);
    assert!(third.printed.contains("A fresh demo world."));
    assert!(!names(&world(&third.base).await).contains(&"Zoe".to_string()));
    interrupt(third);
}
