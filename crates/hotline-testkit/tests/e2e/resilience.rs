//! Nothing is lost: restarts, kills, flood limits, server errors, webhooks.

use hotline_testkit::World;
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::{Db, Helpdesk};
use serde_json::json;

/// Asserts `got` holds every expected text in order, allowing only adjacent duplicates of
/// messages that were in flight when the process died.
fn in_order_without_loss(got: &[String], expected: &[String]) -> usize {
    let mut dedup: Vec<&String> = Vec::new();
    let mut dups = 0;
    for t in got {
        if dedup.last() == Some(&t) {
            dups += 1;
        } else {
            dedup.push(t);
        }
    }
    let dedup: Vec<String> = dedup.into_iter().cloned().collect();
    assert_eq!(dedup, expected, "every message, in order");
    dups
}

#[tokio::test]
async fn killed_mid_burst_and_restarted_loses_nothing() -> anyhow::Result<()> {
    for db in Db::all() {
        let mut h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let c = h.customer("Burst").await?;
        c.says(&h.frontend, "m00").await?;
        let topic = h.topic_of(&c).await?;
        h.topic_shows(topic, 3).await?;
        let expected: Vec<String> = (0..40).map(|i| format!("m{i:02}")).collect();
        for t in expected.iter().skip(1).take(19) {
            c.says(&h.frontend, t).await?;
        }
        // Let some of the burst through, then kill the process where it stands.
        h.topic_shows(topic, 8).await?;
        h.kill().await;
        for t in expected.iter().skip(20) {
            c.says(&h.frontend, t).await?;
        }
        h.run().await?;
        let shown = h
            .topic_until(topic, |m| texts(m).contains(&"m39".to_string()))
            .await?;
        let got: Vec<String> = texts(&shown)
            .into_iter()
            .filter(|t| t.starts_with('m'))
            .collect();
        let dups = in_order_without_loss(&got, &expected);
        assert!(
            dups <= 1,
            "{db:?}: at most the in-flight message repeats, got {dups} duplicates"
        );
        h.stop().await;
    }
    Ok(())
}

#[tokio::test]
async fn a_clean_restart_resumes_exactly_where_it_stopped() -> anyhow::Result<()> {
    for db in Db::all() {
        let mut h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        h.relay_only().await?;
        let c = h.customer("Calm").await?;
        c.says(&h.frontend, "before").await?;
        let topic = h.topic_of(&c).await?;
        h.topic_shows(topic, 3).await?;
        h.stop().await;
        c.says(&h.frontend, "while stopped 1").await?;
        c.says(&h.frontend, "while stopped 2").await?;
        h.operator
            .says_in(&h.forum, topic, "answer while stopped")
            .await?;
        h.run().await?;
        // The operator's own message sits in the topic already; the customer's two arrive after it.
        let shown = h
            .topic_until(topic, |m| texts(m).contains(&"while stopped 2".to_string()))
            .await?;
        assert_eq!(
            texts(&shown),
            vec![
                "/start",
                "before",
                "answer while stopped",
                "while stopped 1",
                "while stopped 2"
            ]
        );
        let seen = h.customer_sees(&c, 5).await?;
        assert_eq!(seen[4]["text"], "answer while stopped");
        assert_eq!(
            texts(&seen)
                .iter()
                .filter(|t| *t == "answer while stopped")
                .count(),
            1,
            "delivered once"
        );
        h.stop().await;
    }
    Ok(())
}

#[tokio::test]
async fn a_429_storm_with_server_errors_still_delivers_everything_in_order() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let c = h.customer("Storm").await?;
        c.says(&h.frontend, "s00").await?;
        let topic = h.topic_of(&c).await?;
        h.topic_shows(topic, 3).await?;
        h.world
        .faults(json!([
            {"bot_id": h.frontend.id, "method": "copyMessage", "kind": "429", "retry_after": 1, "count": 3},
            {"bot_id": h.frontend.id, "method": "copyMessage", "kind": "5xx", "status": 502, "rate": 0.1},
            {"bot_id": h.frontend.id, "method": "copyMessage", "kind": "5xx", "status": 500, "rate": 0.05, "after": true},
            {"bot_id": h.frontend.id, "method": "copyMessage", "kind": "drop", "rate": 0.05}
        ]))
        .await?;
        let expected: Vec<String> = (0..30).map(|i| format!("s{i:02}")).collect();
        for t in expected.iter().skip(1) {
            c.says(&h.frontend, t).await?;
        }
        for i in 0..10 {
            h.operator
                .says_in(&h.forum, topic, &format!("r{i}"))
                .await?;
        }
        let shown = h
            .topic_until(topic, |m| texts(m).contains(&"s29".to_string()))
            .await?;
        let got: Vec<String> = texts(&shown)
            .into_iter()
            .filter(|t| t.starts_with('s'))
            .collect();
        // A 500 *after* the copy happened is indistinguishable from a failure: Telegram itself
        // gives at-least-once here, so adjacent repeats are allowed, losses and reordering not.
        in_order_without_loss(&got, &expected);
        let seen = h
            .customer_until(&c, |m| texts(m).contains(&"r9".to_string()))
            .await?;
        let answers: Vec<String> = texts(&seen)
            .into_iter()
            .filter(|t| t.starts_with('r'))
            .collect();
        in_order_without_loss(
            &answers,
            &(0..10).map(|i| format!("r{i}")).collect::<Vec<_>>(),
        );
        let stats = h.world.stats().await?;
        assert!(
            stats["statuses"]["429"].as_u64().unwrap_or(0) >= 3,
            "{stats}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn webhook_mode_stores_before_answering_and_refuses_wrong_secrets() -> anyhow::Result<()> {
    let world = World::start_with(tgsim::Config {
        local_server: true,
        webhook_retry_ms: 20,
        ..tgsim::Config::default()
    })
    .await?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let h = Helpdesk::start_on(world, Db::Sqlite, |s| {
        s.listen = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        s.public_url = Some(format!("http://127.0.0.1:{port}"));
    })
    .await?;
    let c = h.customer("Hook").await?;
    c.says(&h.frontend, "via webhook").await?;
    let topic = h.topic_of(&c).await?;
    let shown = h.topic_shows(topic, 3).await?;
    assert_eq!(texts(&shown), vec!["/start", "via webhook"]);
    let info = h.frontend.call("getWebhookInfo", json!({})).await?;
    assert_eq!(
        info["url"],
        format!("http://127.0.0.1:{port}/telegram/{}", h.connection)
    );

    // A forged request with a wrong secret is refused and stores nothing.
    let http = reqwest::Client::new();
    let forged = json!({"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private", "first_name": "Eve"}, "text": "forged"}});
    let url = format!("http://127.0.0.1:{port}/telegram/{}", h.connection);
    let r = http
        .post(&url)
        .header("X-Telegram-Bot-Api-Secret-Token", "wrong")
        .json(&forged)
        .send()
        .await?;
    assert_eq!(r.status().as_u16(), 401);
    let r = http.post(&url).json(&forged).send().await?;
    assert_eq!(r.status().as_u16(), 401);
    assert!(
        h.store
            .customers()
            .get(h.connection, hotline_core::ChatId(5))
            .await?
            .is_none()
    );
    Ok(())
}

#[tokio::test]
async fn a_revoked_token_stops_only_its_own_connection() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        // A second connection in the same instance, with its own bot and forum.
        let other_bot = h.world.bot("second_desk_bot").await?;
        let other_forum = h.world.forum("Second desk", &h.admin).await?;
        other_forum
            .add_admin(other_bot.id, hotline_testkit::Group::helpdesk_rights())
            .await?;
        let rt = h.runtime().expect("running").clone();
        let target = hotline_app::connect::Target {
            api_base: h.world.base_url(),
            token: &other_bot.token,
            group: other_forum.id,
            plan: "free",
            admin: None,
        };
        let (second, _) = hotline_app::connect::add_bot_connection(
            &h.store,
            rt.secrets(),
            rt.http().clone(),
            &target,
            0,
        )
        .await?;
        rt.start_connection(second);

        // The first bot's token is revoked in @BotFather.
        h.world
            .control_post(&format!("/bots/{}/revoke", h.frontend.id), json!({}))
            .await?;
        let c2 = h.world.user("Second customer").await?;
        c2.start(&other_bot).await?;
        c2.says(&other_bot, "still served?").await?;
        let shown = h
            .world
            .control_get(&format!(
                "/wait?as={}&chat={}&count=5&timeout_ms=15000",
                h.admin.id, other_forum.id
            ))
            .await?;
        assert!(
            shown
                .as_array()
                .into_iter()
                .flatten()
                .any(|m| m["text"] == "still served?"),
            "{shown:#}"
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let c = h
                .store
                .connections()
                .get(h.connection)
                .await?
                .expect("connection");
            if c.status == hotline_core::ConnectionStatus::Error {
                let why = c.status_error.unwrap_or_default();
                assert!(why.contains("token"), "the reason names the token: {why}");
                break;
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the revoked connection never reported an error"
            );
            h.world
                .control_get(&format!(
                    "/wait?as={}&chat={}&count=999&timeout_ms=50",
                    h.admin.id, h.forum.id
                ))
                .await
                .ok();
        }
    }
    Ok(())
}
