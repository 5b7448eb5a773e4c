//! `hotline serve` as a self-hoster runs it: through the binary, its environment, signals,
//! CLI and HTTP listener, against the emulator. Stopping with SIGTERM, picking up
//! connections changed from the CLI, readiness following Telegram, metrics following
//! traffic.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test fixtures

mod common;

use serde_json::Value;

use common::serve::{DEADLINE, Served, cli, instance_env};
use hotline_testkit::{Bot, Group, Person, World};

/// A team's forum with a frontend bot made administrator, and a customer.
struct Desk {
    world: World,
    admin: Person,
    forum: Group,
    bot: Bot,
    customer: Person,
}

async fn desk(world: World, bot: &str) -> Desk {
    let admin = world.user("Alice").await.unwrap();
    let forum = world.forum("Support", &admin).await.unwrap();
    let bot = world.bot(bot).await.unwrap();
    forum
        .add_admin(bot.id, Group::helpdesk_rights())
        .await
        .unwrap();
    let customer = world.user("Carol").await.unwrap();
    customer.start(&bot).await.unwrap();
    Desk {
        world,
        admin,
        forum,
        bot,
        customer,
    }
}

impl Desk {
    /// `hotline connection add` for this desk's bot and forum (after `hotline migrate`:
    /// only serve and migrate create the database); returns its id.
    async fn add(&self, env: &[(String, String)]) -> i64 {
        let (code, out, err) = cli(env, &["migrate"]).await;
        assert_eq!(code, 0, "migrate: {out}{err}");
        let (code, out, err) = cli(
            env,
            &[
                "connection",
                "add",
                "--token",
                &self.bot.token,
                "--group",
                &self.forum.id.to_string(),
                "--admin",
                &self.admin.id.to_string(),
            ],
        )
        .await;
        assert_eq!(code, 0, "connection add: {out}{err}");
        out.split_whitespace()
            .nth(1)
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("connection add printed no id: {out}"))
    }

    /// The customer writes `text` and it shows in the team's forum.
    async fn relays(&self, text: &str) {
        self.customer.says(&self.bot, text).await.unwrap();
        self.in_forum(text).await;
    }

    async fn in_forum(&self, text: &str) -> Vec<Value> {
        self.world
            .until(self.admin.id, self.forum.id, None, |items| {
                items.iter().any(|m| m["text"] == text)
            })
            .await
            .unwrap()
    }

    async fn count_in_forum(&self, text: &str) -> usize {
        self.admin
            .sees(&self.forum)
            .await
            .unwrap()
            .iter()
            .filter(|m| m["text"] == text)
            .count()
    }
}

#[tokio::test]
async fn sigterm_stops_serve_cleanly_and_a_restart_repeats_nothing() {
    let d = desk(World::start().await.unwrap(), "acme_bot").await;
    let dir = tempfile::tempdir().unwrap();
    let env = instance_env(dir.path(), d.world.base_url());
    d.add(&env).await;

    let mut serve = Served::start(&env).await;
    serve.wait_log("connection running").await;
    d.relays("first question").await;
    let (code, log) = serve.stop_with("TERM").await;
    assert_eq!(code, Some(0), "a clean exit on SIGTERM:\n{log}");
    assert!(log.contains("SIGTERM: stopping"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    assert!(
        !log.contains('\x1b'),
        "no colour codes when the log is not a terminal: {log}"
    );

    let mut again = Served::start(&env).await;
    again.wait_log("connection running").await;
    d.relays("second question").await;
    assert_eq!(
        d.count_in_forum("first question").await,
        1,
        "nothing is relayed twice after a restart"
    );
    let (code, log) = again.stop_with("INT").await;
    assert_eq!(code, Some(0), "Ctrl-C stops it the same way:\n{log}");
    assert!(log.contains("Ctrl-C: stopping"), "{log}");
}

#[tokio::test]
async fn connections_changed_from_the_cli_are_followed_without_a_restart() {
    let d = desk(World::start().await.unwrap(), "acme_bot").await;
    let dir = tempfile::tempdir().unwrap();
    let env = instance_env(dir.path(), d.world.base_url());
    // The database exists, with no connection yet.
    let (code, _, err) = cli(&env, &["migrate"]).await;
    assert_eq!(code, 0, "{err}");
    let mut serve = Served::start(&env).await;

    // Added while serve runs: it relays within ten seconds.
    let id = d.add(&env).await;
    let started = std::time::Instant::now();
    d.relays("hello from the new connection").await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "picked up in {:?}",
        started.elapsed()
    );
    assert!(serve.log().contains("a new connection appeared"));

    // Disabled from the CLI: serve stops it, and the card says so.
    let (code, out, err) = cli(&env, &["connection", "disable", &id.to_string()]).await;
    assert_eq!(
        (code, out.trim()),
        (0, &*format!("connection {id} disabled")),
        "{err}"
    );
    serve.wait_log("the connection was disabled").await;
    let listed = tokio::time::timeout(DEADLINE, async {
        loop {
            let (_, out, _) = cli(&env, &["connection", "list"]).await;
            if out.contains("stopped") {
                return out;
            }
            serve.wait_log("the connection was disabled").await;
        }
    })
    .await
    .expect("the connection is listed as stopped");
    assert!(listed.contains("@acme_bot"), "{listed}");
    // What waits is shown: nothing, everything was relayed before the stop.
    assert!(listed.contains("\toutbox 0\tinbox 0\t"), "{listed}");

    // Enabled again: it relays what the customer writes now.
    let (code, _, err) = cli(&env, &["connection", "enable", &id.to_string()]).await;
    assert_eq!(code, 0, "{err}");
    serve.wait_log("the connection was enabled").await;
    d.relays("back again").await;

    // Removed: serve forgets it; the CLI refuses to remove it twice.
    let (code, out, err) = cli(&env, &["connection", "remove", &id.to_string()]).await;
    assert_eq!(
        (code, out.trim()),
        (0, &*format!("connection {id} removed")),
        "{err}"
    );
    serve.wait_log("the connection was deleted").await;
    let (code, _, err) = cli(&env, &["connection", "remove", &id.to_string()]).await;
    assert_eq!(code, 1);
    assert!(err.contains(&format!("no connection {id}")), "{err}");
    let (code, log) = serve.stop_with("TERM").await;
    assert_eq!(code, Some(0), "{log}");
}

#[tokio::test]
async fn readiness_follows_telegram_going_away_and_coming_back() {
    let tg = tgsim::TgSim::start(tgsim::Config::default()).await.unwrap();
    let addr = tg.addr;
    let d = desk(World::on(&tg).unwrap(), "acme_bot").await;
    let dir = tempfile::tempdir().unwrap();
    let env = instance_env(dir.path(), d.world.base_url());
    let id = d.add(&env).await;
    let mut serve = Served::start(&env).await;
    serve.wait_log("connection running").await;

    let body = serve.until_status("/readyz", 200).await;
    let ready: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["ready"], true, "{ready}");
    assert_eq!(ready["database"], "ok", "{ready}");
    assert_eq!(ready["connections"][0]["id"], id, "{ready}");
    assert_eq!(serve.get("/healthz").await.0, 200);

    // Telegram goes away (the emulator stops; its world is kept for its return).
    let saved = tg.sim.world().save();
    tg.shutdown().await;
    let body = serve.until_status("/readyz", 503).await;
    let not_ready: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(not_ready["ready"], false);
    let problems = not_ready["problems"].to_string();
    assert!(
        problems.contains(&format!("connection {id} (@acme_bot)"))
            && problems.contains("has not heard from Telegram"),
        "the body names the connection and why: {not_ready}"
    );
    assert_eq!(serve.get("/healthz").await.0, 200, "the process is alive");
    let (code, out, err) = cli(&env_with_listen(&env, &serve.http), &["healthcheck"]).await;
    assert_eq!(code, 1, "healthcheck fails while not ready: {out}{err}");
    assert!(err.contains("not ready"), "{err}");

    // It comes back on the same address with the same world: ready again, and relaying.
    let back = tgsim::TgSim::start_on(&addr.to_string(), tgsim::Config::default())
        .await
        .unwrap();
    back.sim.world().load(&saved).unwrap();
    serve.until_status("/readyz", 200).await;
    let (code, out, err) = cli(&env_with_listen(&env, &serve.http), &["healthcheck"]).await;
    assert_eq!(code, 0, "healthcheck passes when ready: {out}{err}");
    let d = Desk {
        world: World::on(&back).unwrap(),
        ..d
    };
    d.relays("are you there?").await;
    let (code, log) = serve.stop_with("TERM").await;
    assert_eq!(code, Some(0), "{log}");
}

/// The environment with `listen` set to where a running serve listens (for `healthcheck`).
fn env_with_listen(env: &[(String, String)], http: &str) -> Vec<(String, String)> {
    let mut env = env.to_vec();
    for (k, v) in &mut env {
        if k == "HOTLINE_LISTEN" {
            *v = http.trim_start_matches("http://").to_string();
        }
    }
    env
}

/// One sample of a metric with these labels, from a Prometheus text scrape.
fn sample(scrape: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name)
        .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            prometheus_parse::Value::Histogram(ref h) => {
                h.iter().map(|b| b.count).fold(0.0, f64::max)
            }
            prometheus_parse::Value::Summary(_) => 0.0,
        })
        .sum()
}

async fn scrape(serve: &Served) -> prometheus_parse::Scrape {
    let (status, body) = serve.get("/metrics").await;
    assert_eq!(status, 200, "{body}");
    let lines = body.lines().map(|l| Ok(l.to_string()));
    prometheus_parse::Scrape::parse(lines).expect("/metrics parses as Prometheus text")
}

#[tokio::test]
async fn metrics_parse_and_move_with_traffic() {
    let d = desk(World::start().await.unwrap(), "acme_bot").await;
    let dir = tempfile::tempdir().unwrap();
    let env = instance_env(dir.path(), d.world.base_url());
    let id = d.add(&env).await.to_string();
    let mut serve = Served::start(&env).await;
    serve.wait_log("connection running").await;
    d.relays("first").await;

    let before = scrape(&serve).await;
    let conn = [("connection", id.as_str())];
    let relayed_in = |s: &prometheus_parse::Scrape| {
        sample(
            s,
            "hotline_messages_relayed_total",
            &[("connection", &id), ("direction", "in"), ("kind", "text")],
        )
    };
    assert!(relayed_in(&before) >= 1.0);
    assert!(sample(&before, "hotline_updates_received_total", &conn) >= 1.0);
    assert!(
        sample(
            &before,
            "hotline_bot_api_calls_total",
            &[("method", "getUpdates"), ("outcome", "ok")]
        ) >= 1.0
    );
    assert_eq!(
        sample(&before, "hotline_connections", &[("status", "running")]),
        1.0
    );
    assert_eq!(sample(&before, "hotline_outbox_depth", &conn), 0.0);

    d.relays("second").await;
    d.relays("third").await;
    let after = scrape(&serve).await;
    assert!(
        relayed_in(&after) >= relayed_in(&before) + 2.0,
        "the relayed counter moved: {} → {}",
        relayed_in(&before),
        relayed_in(&after)
    );
    assert!(
        sample(&after, "hotline_relay_latency_seconds_count", &[])
            >= sample(&before, "hotline_relay_latency_seconds_count", &[]) + 2.0
    );
    let (code, log) = serve.stop_with("TERM").await;
    assert_eq!(code, Some(0), "{log}");
}

#[tokio::test]
async fn a_setup_bot_token_telegram_rejects_stops_the_start_in_one_line() {
    let world = World::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut env = instance_env(dir.path(), world.base_url());
    env.push((
        "HOTLINE_SETUP_BOT_TOKEN".into(),
        "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into(),
    ));
    let (code, _, err) = cli(&env, &["serve"]).await;
    assert_eq!(code, 1, "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: ")
            && last.contains("rejected setup_bot_token")
            && last.contains(world.base_url()),
        "one line naming the cause and the URL: {err}"
    );
    assert!(
        !err.contains("AAAAAAAAAA"),
        "the token is not echoed: {err}"
    );
}

#[tokio::test]
async fn an_unreachable_database_is_one_line_with_the_password_hidden() {
    let world = World::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut env = instance_env(dir.path(), world.base_url());
    env.push((
        "HOTLINE_DATABASE_URL".into(),
        format!("postgres://hotline:hunter2@127.0.0.1:{port}/hotline"),
    ));
    let (code, _, err) = cli(&env, &["serve"]).await;
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(&format!("postgres://hotline:**@127.0.0.1:{port}/hotline")),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[tokio::test]
async fn json_logs_are_one_object_a_line_with_the_connection_id() {
    let d = desk(World::start().await.unwrap(), "acme_bot").await;
    let dir = tempfile::tempdir().unwrap();
    let mut env = instance_env(dir.path(), d.world.base_url());
    env.push(("HOTLINE_LOG_FORMAT".into(), "json".into()));
    let id = d.add(&env).await;
    let mut serve = Served::start(&env).await;
    let running = serve.wait_log("connection running").await;
    d.relays("logged").await;
    let (code, log) = serve.stop_with("TERM").await;
    assert_eq!(code, Some(0), "{log}");
    for line in log.lines() {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            v["level"].is_string() && v["fields"]["message"].is_string(),
            "{v}"
        );
    }
    let running: Value = serde_json::from_str(&running).unwrap();
    assert_eq!(running["span"]["name"], "connection", "{running}");
    assert_eq!(running["span"]["id"], id.to_string(), "{running}");
}
