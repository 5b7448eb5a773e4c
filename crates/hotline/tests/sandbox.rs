//! `hotline sandbox` as a newcomer runs it: it prints the UI's URL, stops cleanly on Ctrl-C,
//! and a second start resumes the same world and database; `--fresh` starts over.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test fixtures

use std::process::Command;

mod common;

use common::{Spawned, spawn_sandbox};

/// Ctrl-C, and wait for the clean exit.
fn interrupt(r: Spawned) {
    signal(r, "INT");
}

/// Sends `sig` (INT, TERM) and waits for the clean exit.
fn signal(mut r: Spawned, sig: &str) {
    let status = Command::new("kill")
        .args([&format!("-{sig}"), &r.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = r.child.wait().expect("the sandbox exits");
    assert!(exit.success(), "a clean stop: {exit:?}");
}

async fn world(base: &str) -> serde_json::Value {
    control(base, reqwest::Method::GET, "/world", None).await
}

/// One control-API call on the sandbox's emulator; its `result` (the call must succeed).
async fn control(
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut req = http.request(method, format!("{base}/control{path}"));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let v: serde_json::Value = req.send().await.unwrap().json().await.unwrap();
    assert_eq!(v["ok"], true, "{path}: {v}");
    v["result"].clone()
}

/// POST to the control API.
async fn post(base: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
    control(base, reqwest::Method::POST, path, Some(body)).await
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
    post(
        &first.base,
        "/users",
        serde_json::json!({ "first_name": "Zoe", "language_code": "de" }),
    )
    .await;
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

/// The id the banner prints on the line starting with `label`, after `marker`.
fn id_in(banner: &str, label: &str, marker: &str) -> i64 {
    banner
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .and_then(|l| l.split(marker).nth(1))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no {label:?} in the banner:\n{banner}"))
}

/// Waits until `viewer` sees a message reading `text` in `chat` (any topic).
async fn until_seen(base: &str, viewer: i64, chat: i64, text: &str) {
    until(base, viewer, chat, text, |m| m == text).await;
}

/// Waits until a message that starts with `head` reaches `chat`.
async fn until_starts(base: &str, viewer: i64, chat: i64, head: &str) {
    until(base, viewer, chat, head, |m| m.starts_with(head)).await;
}

async fn until(base: &str, viewer: i64, chat: i64, text: &str, seen: impl Fn(&str) -> bool) {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let timeline = format!("/timeline?as={viewer}&chat={chat}");
    loop {
        let v = control(base, reqwest::Method::GET, &timeline, None).await;
        let items = v.as_array().cloned().unwrap_or_default();
        if items.iter().any(|m| m["text"].as_str().is_some_and(&seen)) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{text:?} never reached chat {chat}: {items:#?}"
        );
        // Wakes on the next message in the chat (or after a second).
        let _ = http
            .get(format!(
                "{base}/control/wait?as={viewer}&chat={chat}&count={}&timeout_ms=1000",
                items.len() + 1
            ))
            .send()
            .await;
    }
}

/// What a newcomer does on the second day: start the sandbox again and carry on. The
/// customer's message after the restart must reach the team (an instance key regenerated
/// on every start once made every connection fail here while the world file looked fine),
/// and the banner tells the truth about a bot connected meanwhile.
#[tokio::test]
async fn after_a_restart_customers_still_reach_the_team() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let first = spawn_sandbox(&dir, false);
    let banner = first.printed.clone();
    let admin = id_in(&banner, "admin Alice", "user id ");
    let maria = id_in(&banner, "customer María", "user id ");
    let frontend = id_in(&banner, "frontend bot", " id ");
    let spare = id_in(&banner, "spare bot", " id ");
    let forum = id_in(&banner, "Forum group", "chat id ");
    assert!(banner.contains("spare bot (not connected)"), "{banner}");

    post(
        &first.base,
        "/start",
        serde_json::json!({ "user": maria, "bot": frontend }),
    )
    .await;
    post(
        &first.base,
        "/send",
        serde_json::json!({ "from": maria, "chat": frontend, "text": "Hola, ¿hay alguien?" }),
    )
    .await;
    until_seen(&first.base, admin, forum, "Hola, ¿hay alguien?").await;
    // The demo connection comes with tags: the team's /mark in General lists them.
    post(
        &first.base,
        "/send",
        serde_json::json!({ "from": admin, "chat": forum, "text": "/mark" }),
    )
    .await;
    until_seen(
        &first.base,
        admin,
        forum,
        "🏷 Tags:\nlead — 0 topics\nvip [⭐] — 0 topics\nwon — 0 topics",
    )
    .await;
    // The customers who wrote before the first start have their topics too.
    let lukas = id_in(&banner, "customer Lukas", "user id ");
    until_seen(
        &first.base,
        admin,
        forum,
        "Hallo! Wann kommt meine Bestellung #4821 an?",
    )
    .await;
    // And a template, which a broadcast to every customer who started the bot sends.
    post(
        &first.base,
        "/send",
        serde_json::json!({ "from": admin, "chat": forum, "text": "/send all welcome" }),
    )
    .await;
    let preview = "📣 Broadcast #1 to all: 6 people. Content: the template welcome (one message).";
    until_starts(&first.base, admin, forum, preview).await;
    let timeline = control(
        &first.base,
        reqwest::Method::GET,
        &format!("/timeline?as={admin}&chat={forum}"),
        None,
    )
    .await;
    let preview_id = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"].as_str().is_some_and(|t| t.starts_with(preview)))
        .map(|m| m["message_id"].as_i64().unwrap())
        .unwrap();
    post(
        &first.base,
        "/press",
        serde_json::json!({ "from": admin, "chat": forum, "message_id": preview_id, "data": "bc:1:go" }),
    )
    .await;
    let welcome = "👋 Thanks for writing to us! Tell us what you need and we will answer here.";
    until_seen(&first.base, lukas, frontend, welcome).await;
    until_seen(&first.base, maria, frontend, welcome).await;

    // The spare bot gets connected from the CLI while the sandbox runs (the sandbox's
    // Hotline picks it up), with the sandbox's own key.
    let token = banner
        .lines()
        .find(|l| l.trim_start().starts_with("spare bot"))
        .and_then(|l| l.split("token ").nth(1))
        .unwrap()
        .trim()
        .to_string();
    post(
        &first.base,
        &format!("/chats/{forum}/members"),
        serde_json::json!({ "user_id": spare, "status": "administrator", "actor": admin,
            "rights": { "can_manage_topics": true, "can_delete_messages": true,
                        "can_pin_messages": true, "can_restrict_members": true,
                        "can_invite_users": true } }),
    )
    .await;
    let out = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args([
            "connection",
            "add",
            "--token",
            &token,
            "--group",
            &forum.to_string(),
        ])
        .args(["--admin", &admin.to_string()])
        .env("HOTLINE_DATA_DIR", dir.join("hotline"))
        .env("HOTLINE_BOT_API_URL", &first.base)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    signal(first, "TERM");

    let second = spawn_sandbox(&dir, false);
    assert!(
        second.printed.contains("Resumed the saved world"),
        "{}",
        second.printed
    );
    assert!(
        second.printed.contains("spare bot (connection 2)")
            && second.printed.contains("frontend bot (connection 1)"),
        "the banner says what each bot is now:\n{}",
        second.printed
    );
    post(
        &second.base,
        "/send",
        serde_json::json!({ "from": maria, "chat": frontend, "text": "Sigo aquí después del reinicio" }),
    )
    .await;
    until_seen(&second.base, admin, forum, "Sigo aquí después del reinicio").await;
    interrupt(second);
}
