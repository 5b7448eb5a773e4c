//! Broadcasts end to end: `/send` in General — refusals by role and for bad input, the
//! preview with the free plan's quota, Start, Pause / Resume, Cancel, forged presses, a file
//! of ids with garbage lines, the CSV report — and a broadcast that survives being killed
//! mid-way: nobody gets it twice, on SQLite and PostgreSQL.

use hotline_testkit::World;
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::{Db, Helpdesk};
use serde_json::{Value, json};

fn has(msgs: &[Value], needle: &str) -> bool {
    texts(msgs).iter().any(|t| t.contains(needle))
}

/// General, as the operator sees it.
const GENERAL: i64 = 0;

/// The newest message in General from the bot whose text has `needle`.
fn find(msgs: &[Value], needle: &str) -> Value {
    msgs.iter()
        .rev()
        .find(|m| {
            m["from"]["is_bot"] == true && m["text"].as_str().is_some_and(|t| t.contains(needle))
        })
        .cloned()
        .unwrap_or_default()
}

fn id(m: &Value) -> i64 {
    m["message_id"].as_i64().unwrap_or_default()
}

/// How many times `person` received `text` from the bot.
async fn received(
    h: &Helpdesk,
    person: &hotline_testkit::Person,
    text: &str,
) -> anyhow::Result<usize> {
    let seen = person.sees(&h.frontend).await?;
    Ok(seen
        .iter()
        .filter(|m| m["from"]["is_bot"] == true && m["text"] == text)
        .count())
}

/// The report's CSV rows (header first).
async fn report(h: &Helpdesk, broadcast: i64) -> anyhow::Result<Vec<Vec<String>>> {
    let caption = format!("📣 Broadcast #{broadcast}:");
    let seen = h
        .topic_until(GENERAL, |m| {
            m.iter().any(|x| {
                x["caption"]
                    .as_str()
                    .is_some_and(|c| c.starts_with(&caption))
            })
        })
        .await?;
    let doc = seen
        .iter()
        .find(|x| {
            x["caption"]
                .as_str()
                .is_some_and(|c| c.starts_with(&caption))
        })
        .cloned()
        .unwrap_or_default();
    // Downloaded as the bot that sent it (file ids belong to one bot).
    let doc = h
        .documents_in_general()
        .await?
        .into_iter()
        .find(|x| x["message_id"] == doc["message_id"])
        .unwrap_or_default();
    let bytes = h.download(&doc).await?;
    let text = String::from_utf8_lossy(&bytes)
        .trim_start_matches('\u{feff}')
        .to_string();
    let mut rows = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for r in reader.records() {
        rows.push(r?.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

#[tokio::test]
async fn broadcasts_are_previewed_confirmed_and_reported() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let general = |needle: &'static str| {
            let h = &h;
            async move { h.topic_until(GENERAL, |m| has(m, needle)).await }
        };
        let ann = h.customer("Ann").await?;
        let bob = h.customer("Bob").await?;
        let cy = h.customer("Cy").await?;
        let topic = h.topic_of(&ann).await?;
        h.topic_of(&bob).await?;
        h.topic_of(&cy).await?;
        h.admin.says(&h.forum, "/mark new vip").await?;
        general("🏷 Tag vip created.").await?;
        h.operator.says_in(&h.forum, topic, "/mark vip").await?;
        h.topic_until(topic, |m| has(m, "🏷 vip added.")).await?;
        // A banned customer is left out of `all`.
        h.operator
            .says_in(&h.forum, h.topic_of(&cy).await?, "/ban")
            .await?;
        h.settle().await?;

        // Refusals and bad input.
        h.operator.says(&h.forum, "/send all").await?;
        general("⛔ /send is for supervisors and admins").await?;
        h.admin.says(&h.forum, "/send").await?;
        general("❔ /send AUDIENCE [TEMPLATE]").await?;
        h.admin.says(&h.forum, "/send everyone").await?;
        general("❌ “everyone” is not an audience").await?;
        h.admin.says(&h.forum, "/send all").await?;
        general("❔ What should be sent?").await?;
        h.admin.says(&h.forum, "/send all nope").await?;
        general("❌ There is no template “nope”").await?;
        h.admin.says(&h.forum, "/send tag:nope x").await?;
        general("❌ There is no template “x”").await?;
        let news = h
            .admin
            .says(&h.forum, "Big news: we open on Sundays!")
            .await?;
        h.admin
            .send(
                &h.forum,
                json!({"text": "/send test", "reply_to": id(&news)}),
            )
            .await?;
        general("❌ To try a broadcast on yourself, start @").await?;
        h.admin.says(&h.forum, "/mark new nobody").await?;
        general("🏷 Tag nobody created.").await?;
        h.admin
            .send(
                &h.forum,
                json!({"text": "/send tag:nobody", "reply_to": id(&news)}),
            )
            .await?;
        general("❌ Nobody to send to: tag:nobody").await?;

        // The preview: the audience and the free plan's quota; nothing is sent yet.
        h.admin
            .send(
                &h.forum,
                json!({"text": "/send all", "reply_to": id(&news)}),
            )
            .await?;
        let seen = general("📣 Broadcast #1 to all: 2 people").await?;
        let preview = find(&seen, "📣 Broadcast #1");
        let text = preview["text"].as_str().unwrap_or_default();
        assert!(
            text.contains("Free plan: 200 of 200 messages left this month."),
            "{text}"
        );
        assert!(text.contains("Content: the message replied to."), "{text}");
        assert_eq!(
            received(&h, &ann, "Big news: we open on Sundays!").await?,
            0
        );

        // Forged and unauthorized presses change nothing.
        let stranger = h.world.user("Mallory").await?;
        h.forum.add_member(&stranger).await?;
        stranger.forges(&h.forum, id(&preview), "bc:1:go").await?;
        h.operator
            .presses(&h.forum, id(&preview), "bc:1:go")
            .await?;
        // Data naming broadcast 1 pressed on another message of the bot.
        let other = find(&seen, "Nobody to send to");
        h.admin.forges(&h.forum, id(&other), "bc:1:go").await?;
        h.settle().await?;
        assert_eq!(
            received(&h, &ann, "Big news: we open on Sundays!").await?,
            0,
            "{db:?}"
        );

        // Start: the customers get it (not the banned one), not copied into their topics.
        h.admin.presses(&h.forum, id(&preview), "bc:1:go").await?;
        general("📣 Broadcast #1 to all — finished").await?;
        assert_eq!(
            received(&h, &ann, "Big news: we open on Sundays!").await?,
            1
        );
        assert_eq!(
            received(&h, &bob, "Big news: we open on Sundays!").await?,
            1
        );
        assert_eq!(received(&h, &cy, "Big news: we open on Sundays!").await?, 0);
        let in_topic = h.operator.sees_topic(&h.forum, topic).await?;
        assert!(
            !has(&in_topic, "Big news"),
            "{db:?}: broadcasts do not flood topics"
        );
        let rows = report(&h, 1).await?;
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows.iter().skip(1).all(|r| r[3] == "sent"), "{rows:?}");
        assert!(rows.iter().any(|r| r[1] == "Ann"), "{rows:?}");
        // Start again (the button is gone; a client can still send its data): not sent again.
        h.admin.forges(&h.forum, id(&preview), "bc:1:go").await?;
        h.settle().await?;
        assert_eq!(
            received(&h, &ann, "Big news: we open on Sundays!").await?,
            1
        );

        // A tag audience with a template; an id list with the quota nearly used up.
        h.admin.says(&h.forum, "Only for our VIPs").await?;
        let vip = h.admin.says(&h.forum, "placeholder").await?;
        h.admin
            .send(
                &h.forum,
                json!({"text": "/template new vipnote", "reply_to": id(&vip) - 1}),
            )
            .await?;
        general("📄 Template vipnote saved").await?;
        h.admin.says(&h.forum, "/send tag:vip vipnote").await?;
        let seen = general("📣 Broadcast #2 to tag:vip: one person").await?;
        let p2 = find(&seen, "📣 Broadcast #2");
        assert!(has(
            std::slice::from_ref(&p2),
            "the template vipnote (one message)"
        ));
        h.admin.presses(&h.forum, id(&p2), "bc:2:go").await?;
        h.customer_until(&ann, |m| has(m, "Only for our VIPs"))
            .await?;
        assert_eq!(received(&h, &bob, "Only for our VIPs").await?, 0);

        let ids: Vec<String> = (1..=250).map(|i| (900_000_000 + i).to_string()).collect();
        h.admin
            .send(
                &h.forum,
                json!({"text": format!("/send {}", ids.join(",")), "reply_to": id(&news)}),
            )
            .await?;
        let seen = general("📣 Broadcast #3").await?;
        let p3 = find(&seen, "📣 Broadcast #3");
        let text = p3["text"].as_str().unwrap_or_default();
        assert!(text.contains("250 people"), "{text}");
        assert!(text.contains("197 of 200 messages left"), "{text}");
        assert!(
            text.contains("Only 197 can be sent this month; the other 53"),
            "{text}"
        );
        h.admin.presses(&h.forum, id(&p3), "bc:3:stop").await?;
        general("📣 Broadcast #3 to 900000001, 900000002, 900000003, … — cancelled").await?;

        // A file of ids: garbage lines are named and nothing starts.
        let bad = "user_id\n101\nhello\n102\n-4\n";
        h.admin
            .send(
                &h.forum,
                json!({"media": {"type": "document", "file_name": "ids.csv", "mime_type": "text/csv",
                        "data_base64": base64(bad), "caption": "/send"}, "reply_to": id(&news)}),
            )
            .await?;
        general("❌ Some lines of the file are not user ids (lines 3, 5).").await?;
        let good = format!("id,name\n{},Ann\n{},Bob\n", ann.id, bob.id);
        h.admin
            .send(
                &h.forum,
                json!({"media": {"type": "document", "file_name": "ids.csv",
                        "data_base64": base64(&good), "caption": "/send vipnote"}}),
            )
            .await?;
        general("📣 Broadcast #4 to file: 2 people").await?;

        // Next month the quota is back.
        h.advance_hours(24 * 32);
        h.admin
            .send(
                &h.forum,
                json!({"text": "/send 5,6", "reply_to": id(&news)}),
            )
            .await?;
        let seen = general("📣 Broadcast #5").await?;
        assert!(
            has(&[find(&seen, "#5")], "200 of 200 messages left"),
            "{db:?}"
        );
        // Paid: no quota line.
        h.plan("paid").await?;
        h.admin
            .send(&h.forum, json!({"text": "/send 7", "reply_to": id(&news)}))
            .await?;
        let seen = general("📣 Broadcast #6").await?;
        assert!(!has(&[find(&seen, "#6")], "Free plan"), "{db:?}");
    }
    Ok(())
}

fn base64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// How many of `people` received the sale message, in all.
async fn total(h: &Helpdesk, people: &[hotline_testkit::Person]) -> anyhow::Result<usize> {
    let mut n = 0;
    for p in people {
        n += received(h, p, "Spring sale starts today").await?;
    }
    Ok(n)
}

/// Waits until `people` received the sale message at least `n` times in all.
async fn until_total(
    h: &Helpdesk,
    people: &[hotline_testkit::Person],
    n: usize,
) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let got = total(h, people).await?;
        if got >= n {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            let general = h.operator.sees_topic(&h.forum, GENERAL).await?;
            anyhow::bail!("only {got} of {n} arrived; General: {:?}", texts(&general));
        }
        // Wait on tgsim for something new in the last person's chat (at most 100 ms).
        if let Some(p) = people.last() {
            let seen = p.sees(&h.frontend).await?.len();
            let _ = h
                .world
                .control_get(&format!(
                    "/wait?as={}&chat={}&count={}&timeout_ms=100",
                    p.id,
                    h.frontend.id,
                    seen + 1
                ))
                .await;
        }
    }
}

#[tokio::test]
async fn a_broadcast_pauses_resumes_and_survives_a_kill() -> anyhow::Result<()> {
    for db in Db::all() {
        let mut h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        h.plan("paid").await?;
        let mut people = Vec::new();
        for i in 0..60 {
            let p = h.world.user(&format!("P{i}")).await?;
            p.start(&h.frontend).await?;
            people.push(p);
        }
        h.settle().await?;
        // Every message takes a while to be answered (after it took effect), so the
        // broadcast is mid-way for a human's press, and a kill can land mid-call.
        h.world
            .faults(json!([
                {"bot_id": h.frontend.id, "method": "sendMessage", "kind": "slow", "delay_ms": 60, "after": true}
            ]))
            .await?;
        let news = h.admin.says(&h.forum, "Spring sale starts today").await?;
        let ids: Vec<String> = people.iter().map(|p| p.id.to_string()).collect();
        h.admin
            .send(
                &h.forum,
                json!({"text": format!("/send {}", ids.join(" ")), "reply_to": id(&news)}),
            )
            .await?;
        let seen = h
            .topic_until(GENERAL, |m| has(m, "📣 Broadcast #1"))
            .await?;
        let control = id(&find(&seen, "📣 Broadcast #1"));
        // The preview is answered late (the fault): its id is recorded once that answer
        // arrives, and only then are its buttons its own.
        h.settle().await?;
        h.admin.presses(&h.forum, control, "bc:1:go").await?;
        // Paused while sending: nothing more goes out.
        until_total(&h, &people, 4).await?;
        h.admin.presses(&h.forum, control, "bc:1:pause").await?;
        h.topic_until(GENERAL, |m| {
            has(m, "📣 Broadcast #1 to") && has(m, "— paused")
        })
        .await?;
        h.settle().await?;
        let at_pause = total(&h, &people).await?;
        assert!(at_pause < people.len(), "{db:?}: paused after {at_pause}");
        h.settle().await?;
        assert_eq!(
            total(&h, &people).await?,
            at_pause,
            "{db:?}: nothing is sent while paused"
        );
        h.admin.presses(&h.forum, control, "bc:1:resume").await?;

        // Killed mid-way, started again: it goes on; nobody gets it twice.
        until_total(&h, &people, at_pause + 5).await?;
        h.kill().await;
        h.run().await?;
        h.topic_until(GENERAL, |m| has(m, "— finished")).await?;
        let rows = report(&h, 1).await?;
        assert_eq!(
            rows.len(),
            people.len() + 1,
            "{db:?}: every recipient is in the report"
        );
        for (p, row) in people.iter().zip(rows.iter().skip(1)) {
            let n = received(&h, p, "Spring sale starts today").await?;
            assert!(n <= 1, "{db:?}: {} got it {n} times", p.id);
            match row[3].as_str() {
                "sent" => assert_eq!(n, 1, "{db:?}: {row:?}"),
                "interrupted: may not have arrived" => {}
                other => panic!("{db:?}: unexpected status {other} in {row:?}"),
            }
        }
        let unknown = rows
            .iter()
            .filter(|r| r[3].starts_with("interrupted"))
            .count();
        assert!(unknown <= 1, "{db:?}: {unknown} interrupted");
    }
    Ok(())
}
