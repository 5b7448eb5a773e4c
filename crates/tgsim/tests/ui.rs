//! The sandbox UI's routes: embedded assets, live events, the host panel, chat lists, files.
#![allow(clippy::expect_used)] // test fixtures: a failed request is the test failing

use std::time::Duration;

use serde_json::{Value, json};
use tgsim::{Config, TgSim};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("http client")
}

async fn control(c: &reqwest::Client, sim: &TgSim, path: &str, body: Value) -> Value {
    let r: Value = c
        .post(format!("{}/control/{path}", sim.base_url()))
        .json(&body)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(r["ok"], json!(true), "{path}: {r}");
    r["result"].clone()
}

async fn get(c: &reqwest::Client, sim: &TgSim, path: &str) -> Value {
    let r: Value = c
        .get(format!("{}{path}", sim.base_url()))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(r["ok"], json!(true), "{path}: {r}");
    r["result"].clone()
}

/// Reads server-sent events from a streaming response.
struct Events {
    resp: reqwest::Response,
    buf: String,
}

impl Events {
    async fn open(c: &reqwest::Client, sim: &TgSim) -> Self {
        let resp = c
            .get(format!("{}/control/events", sim.base_url()))
            .send()
            .await
            .expect("events");
        assert_eq!(resp.status(), 200);
        let ct = resp.headers()["content-type"].to_str().expect("ascii");
        assert!(ct.starts_with("text/event-stream"), "{ct}");
        Self {
            resp,
            buf: String::new(),
        }
    }

    /// The next event as (name, data), keep-alive comments skipped; fails after 5 s.
    async fn next(&mut self) -> (String, String) {
        tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                while let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let (mut name, mut data) = (String::from("message"), String::new());
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("event:") {
                            name = v.trim().to_string();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data = v.trim().to_string();
                        }
                    }
                    if !data.is_empty() {
                        return (name, data);
                    }
                }
                let chunk = self
                    .resp
                    .chunk()
                    .await
                    .expect("chunk")
                    .expect("stream open");
                self.buf
                    .push_str(std::str::from_utf8(&chunk).expect("utf-8"));
            }
        })
        .await
        .expect("an event within 5 s")
    }
}

#[tokio::test]
async fn assets_are_served_with_their_content_types() {
    let sim = TgSim::start(Config::default()).await.unwrap();
    let c = client();
    for (path, ct, needle) in [
        ("/ui", "text/html", "data-testid=\"composer\""),
        ("/ui/", "text/html", "/ui/app.js"),
        ("/ui/app.js", "text/javascript", "/control/events"),
        ("/ui/app.css", "text/css", ".bubble"),
    ] {
        let r = c
            .get(format!("{}{path}", sim.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let got = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(got.starts_with(ct), "{path}: {got}");
        assert!(r.text().await.unwrap().contains(needle), "{path}");
    }
    for (name, ct) in [
        ("photo.png", "image/png"),
        ("photo2.png", "image/png"),
        ("sticker.png", "image/png"),
        ("voice.ogg", "audio/ogg"),
        ("invoice.pdf", "application/pdf"),
    ] {
        let r = c
            .get(format!("{}/ui/samples/{name}", sim.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{name}");
        assert_eq!(r.headers()["content-type"], ct, "{name}");
    }
    let r = c
        .get(format!("{}/ui/samples/nope.bin", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    sim.shutdown().await;
}

#[test]
fn the_page_offers_the_selectors_browser_tests_use() {
    let html = include_str!("../ui/index.html");
    let js = include_str!("../ui/app.js");
    for id in [
        "identity",
        "start-bot",
        "composer",
        "send",
        "panel",
        "advance-hours",
        "advance",
    ] {
        assert!(
            html.contains(&format!("data-testid=\"{id}\"")),
            "index.html lacks {id}"
        );
    }
    for id in [
        "chat",
        "topic",
        "message",
        "inline-button",
        "reply-button",
        "reply-action",
        "pick-chat",
    ] {
        assert!(
            js.contains(&format!("'data-testid': '{id}'")),
            "app.js lacks {id}"
        );
    }
    assert!(js.contains("'toast'"), "app.js lacks toast");
    // Nothing is loaded from elsewhere: the UI works offline.
    for text in [html, js, include_str!("../ui/app.css")] {
        assert!(!text.contains("http://"), "external http URL");
        assert!(!text.contains("@import"), "imported style sheet");
        assert!(!text.contains("<script src=\"http"), "external script");
    }
}

#[tokio::test]
async fn events_follow_world_changes() {
    let sim = TgSim::start(Config::default()).await.unwrap();
    let c = client();
    let mut events = Events::open(&c, &sim).await;
    // The current version at once, so a (re)connecting page syncs.
    let (name, first) = events.next().await;
    assert_eq!(name, "change");
    let first: u64 = first.parse().unwrap();
    control(&c, &sim, "users", json!({ "first_name": "Ana" })).await;
    control(
        &c,
        &sim,
        "bots",
        json!({ "username": "shop_bot", "first_name": "Shop" }),
    )
    .await;
    let (name, next) = events.next().await;
    assert_eq!(name, "change");
    assert!(next.parse::<u64>().unwrap() > first, "{next} after {first}");
    // The host panel has its own event.
    sim.sim.set_panel(json!({ "open conversations": 3 }));
    loop {
        let (name, _) = events.next().await;
        if name == "panel" {
            break;
        }
        assert_eq!(name, "change");
    }
    // An open event stream does not hold up shutdown.
    tokio::time::timeout(Duration::from_secs(5), sim.shutdown())
        .await
        .expect("shutdown with an open event stream");
}

#[tokio::test]
async fn bursts_of_changes_are_coalesced() {
    let sim = TgSim::start(Config::default()).await.unwrap();
    let c = client();
    let mut events = Events::open(&c, &sim).await;
    let start: u64 = events.next().await.1.parse().unwrap();
    for _ in 0..200 {
        sim.sim.world().touch();
    }
    // Whatever part of the burst the first event saw, a later one reports its end, and a
    // burst makes few events, not 200.
    let mut seen = 0;
    let mut last = start;
    while last < start + 200 {
        last = events.next().await.1.parse().unwrap();
        seen += 1;
    }
    assert_eq!(last, start + 200);
    assert!(seen <= 3, "{seen} events for one burst");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_host_panel_round_trips() {
    let sim = TgSim::start(Config::default()).await.unwrap();
    let c = client();
    assert_eq!(get(&c, &sim, "/control/panel").await, json!({}));
    let panel = json!({ "Hotline": { "open tickets": 2, "queue": "ok" }, "version": "0.1.0" });
    sim.sim.set_panel(panel.clone());
    assert_eq!(get(&c, &sim, "/control/panel").await, panel);
    assert_eq!(sim.sim.panel(), panel);
    sim.shutdown().await;
}

#[tokio::test]
async fn dialogs_list_bots_and_the_persons_groups() {
    let sim = TgSim::start(Config::default()).await.unwrap();
    let c = client();
    let ana = control(
        &c,
        &sim,
        "users",
        json!({ "first_name": "Ana", "language_code": "es" }),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let bob = control(&c, &sim, "users", json!({ "first_name": "Bob" })).await["id"]
        .as_i64()
        .unwrap();
    let bot = control(
        &c,
        &sim,
        "bots",
        json!({ "username": "desk_bot", "first_name": "Desk" }),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let forum = control(
        &c,
        &sim,
        "chats",
        json!({ "type": "supergroup", "title": "Team", "creator": ana, "is_forum": true }),
    )
    .await["chat_id"]
        .as_i64()
        .unwrap();
    let topic = control(
        &c,
        &sim,
        "topics",
        json!({ "chat": forum, "action": "create", "name": "🟪 Bob", "icon_color": 0xFFD67E }),
    )
    .await["message_thread_id"]
        .as_i64()
        .unwrap();

    let list = get(&c, &sim, &format!("/control/dialogs?as={ana}")).await;
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&bot) && ids.contains(&forum), "{list}");
    let f = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == forum)
        .unwrap();
    assert_eq!(f["status"], "creator");
    assert_eq!(f["is_forum"], true);
    let topics = f["topics"].as_array().unwrap();
    assert_eq!(topics[0]["id"], 0, "General comes first");
    assert_eq!(topics[1]["id"], topic);
    assert_eq!(topics[1]["name"], "🟪 Bob");
    assert_eq!(topics[1]["icon_color"], 0xFFD67E);
    assert_eq!(topics[1]["last"]["forum_topic_created"]["name"], "🟪 Bob");
    let b = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == bot)
        .unwrap();
    assert_eq!(b["type"], "bot");
    assert_eq!(b["started"], false);
    assert_eq!(b["last"], Value::Null);

    // Bob is in no group; once he starts the bot, its chat shows his /start.
    control(&c, &sim, "start", json!({ "user": bob, "bot": bot })).await;
    let list = get(&c, &sim, &format!("/control/dialogs?as={bob}")).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "the bot and Ana: {list:?}");
    assert_eq!(list[0]["started"], true);
    assert_eq!(list[0]["last"]["text"], "/start");
    assert_eq!(list[1]["type"], "person");
    assert_eq!(list[1]["id"], ana);
    assert_eq!(list[1]["last"], Value::Null);

    // People write to people: the chat with Ana comes first once she writes.
    control(
        &c,
        &sim,
        "send",
        json!({ "from": ana, "chat": bob, "text": "hi Bob" }),
    )
    .await;
    let list = get(&c, &sim, &format!("/control/dialogs?as={bob}")).await;
    assert_eq!(list[0]["id"], ana, "{list}");
    assert_eq!(list[0]["last"]["text"], "hi Bob");
    assert_eq!(list[0]["incoming"].as_array().map(Vec::len), Some(1));

    let r = c
        .get(format!("{}/control/dialogs?as={bot}", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a bot has no chat list here");
    sim.shutdown().await;
}

#[tokio::test]
async fn files_behind_file_ids_are_served() {
    let sim = TgSim::start(Config::default()).await.unwrap();
    let c = client();
    let ana = control(&c, &sim, "users", json!({ "first_name": "Ana" })).await["id"]
        .as_i64()
        .unwrap();
    let bot = control(&c, &sim, "bots", json!({ "username": "pic_bot" })).await["id"]
        .as_i64()
        .unwrap();
    control(&c, &sim, "start", json!({ "user": ana, "bot": bot })).await;
    let png: &[u8] = include_bytes!("../ui/samples/photo.png");
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    let sent = control(
        &c,
        &sim,
        "send",
        json!({ "from": ana, "chat": bot, "media": {
            "type": "photo", "data_base64": data, "mime_type": "image/png", "file_name": "photo.png"
        } }),
    )
    .await;
    let sizes = sent[0]["photo"].as_array().unwrap();
    let id = sizes.last().unwrap()["file_id"].as_str().unwrap();
    let r = c
        .get(format!("{}/ui/file/{id}", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().as_ref(), png);
    let r = c
        .get(format!("{}/ui/file/not-a-file-id", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    sim.shutdown().await;
}
