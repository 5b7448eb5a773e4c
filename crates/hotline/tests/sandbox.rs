//! `hotline sandbox` as a newcomer runs it: it prints the UI's URL, stops cleanly on Ctrl-C,
//! and a second start resumes the same world and database; `--fresh` starts over.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test fixtures

use std::process::Command;

mod common;

use common::{Spawned, spawn_sandbox};

/// Ctrl-C, and wait for the clean exit.
fn interrupt(mut r: Spawned) {
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

    let first = spawn_sandbox(&dir, false);
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

    let second = spawn_sandbox(&dir, false);
    assert!(
        second.printed.contains("Resumed the saved world"),
        "{}",
        second.printed
    );
    assert!(names(&world(&second.base).await).contains(&"Zoe".to_string()));
    // A third one on the same directory while the second runs, even with --fresh, is
    // refused and deletes nothing: the running one still has its world and database.
    let out = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args([
            "sandbox",
            "--bind",
            "127.0.0.1:0",
            "--no-limits",
            "--fresh",
            "--data-dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("another sandbox is already running"), "{err}");
    assert!(dir.join("world.json").is_file() && dir.join("hotline").is_dir());
    assert!(names(&world(&second.base).await).contains(&"Zoe".to_string()));
    interrupt(second);

    let third = spawn_sandbox(&dir, true);
    assert!(third.printed.contains("A fresh demo world."));
    assert!(!names(&world(&third.base).await).contains(&"Zoe".to_string()));
    interrupt(third);
}
