//! The relay, end to end: customers write to the frontend bot, the team reads and answers in
//! forum topics, through tgsim over real HTTP.

use hotline_testkit::World;
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::{Db, Helpdesk};
use serde_json::{Value, json};

#[tokio::test]
async fn customer_writes_topic_opens_operator_answers() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let maria = h
            .world
            .user_with(json!({"first_name": "María", "last_name": "García", "language_code": "es"}))
            .await?;
        maria.start(&h.frontend).await?;
        maria.says(&h.frontend, "Hola, necesito ayuda").await?;
        let topic = h.topic_of(&maria).await?;
        let shown = h.topic_shows(topic, 3).await?;
        assert_eq!(
            shown[0]["forum_topic_created"]["name"], "🟪 María García",
            "{db:?}"
        );
        assert_eq!(texts(&shown), vec!["/start", "Hola, necesito ayuda"]);
        assert!(
            shown
                .iter()
                .skip(1)
                .all(|m| m["from"]["id"] == h.frontend.id),
            "copies come from the frontend bot"
        );

        h.operator
            .says_in(&h.forum, topic, "¡Hola María! ¿En qué podemos ayudar?")
            .await?;
        let seen = h.customer_sees(&maria, 4).await?;
        // The first message opened the dialog: WELCOME, with the free plan's branding line
        // in the customer's language.
        let welcome = "Hello, María! Please describe your question and we will answer soon.\n\nSoporte con tecnología de Hotline";
        assert_eq!(
            seen.iter().filter(|m| m["text"] == welcome).count(),
            1,
            "{seen:#?}"
        );
        assert_eq!(seen[3]["text"], "¡Hola María! ¿En qué podemos ayudar?");
        assert_eq!(seen[3]["from"]["id"], h.frontend.id);
        // The title follows the status: answered.
        let renamed = h.topic_shows(topic, 5).await?;
        assert!(
            renamed
                .iter()
                .any(|m| m["forum_topic_edited"]["name"] == "🟨 María García"),
            "{renamed:#?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn every_message_type_is_relayed_both_ways() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        h.relay_only().await?;
        let c = h.customer("Kenji").await?;
        let bodies = vec![
            json!({"text": "bold and link", "entities": [{"type": "bold", "offset": 0, "length": 4}, {"type": "text_link", "offset": 9, "length": 4, "url": "https://example.com"}]}),
            json!({"media": {"type": "photo", "caption": "a photo"}}),
            json!({"media": {"type": "video", "caption": "a video"}}),
            json!({"media": {"type": "video_note"}}),
            json!({"media": {"type": "voice"}}),
            json!({"media": {"type": "audio", "title": "song"}}),
            json!({"media": {"type": "document", "file_name": "invoice.pdf", "mime_type": "application/pdf"}}),
            json!({"media": {"type": "sticker", "emoji": "😀"}}),
            json!({"media": {"type": "animation"}}),
            json!({"location": {"latitude": 35.68, "longitude": 139.69}}),
            json!({"venue": {"location": {"latitude": 35.68, "longitude": 139.69}, "title": "Shop", "address": "1-1 Chiyoda"}}),
            json!({"contact": {"phone_number": "+81000000", "first_name": "Kenji"}}),
            json!({"poll": {"question": "Which?", "options": [{"text": "A", "voter_count": 0}, {"text": "B", "voter_count": 0}], "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false}}),
            json!({"dice": "🎲"}),
        ];
        let n = bodies.len();
        for b in &bodies {
            c.send(&h.frontend, b.clone()).await?;
        }
        let topic = h.topic_of(&c).await?;
        // creation message + /start + every message
        let shown = h.topic_shows(topic, n + 2).await?;
        let relayed = &shown[2..];
        let kinds = [
            "text",
            "photo",
            "video",
            "video_note",
            "voice",
            "audio",
            "document",
            "sticker",
            "animation",
            "location",
            "venue",
            "contact",
            "poll",
            "dice",
        ];
        for (m, k) in relayed.iter().zip(kinds) {
            assert!(m.get(k).is_some(), "expected a {k}: {m}");
            assert_eq!(m["message_thread_id"], topic);
        }
        assert_eq!(relayed[0]["entities"][1]["url"], "https://example.com");
        assert_eq!(relayed[1]["caption"], "a photo");
        assert_eq!(relayed[6]["document"]["file_name"], "invoice.pdf");

        // And back: an operator's photo and document reach the customer.
        h.operator
            .send(
                &h.forum,
                json!({"thread_id": topic, "media": {"type": "photo", "caption": "see attached"}}),
            )
            .await?;
        h.operator
        .send(
            &h.forum,
            json!({"thread_id": topic, "media": {"type": "document", "file_name": "manual.pdf"}}),
        )
        .await?;
        let seen = h.customer_sees(&c, n + 3).await?;
        assert_eq!(seen[n + 1]["caption"], "see attached");
        assert_eq!(seen[n + 2]["document"]["file_name"], "manual.pdf");
    }
    Ok(())
}

#[tokio::test]
async fn an_album_arrives_as_one_album() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let c = h.customer("Zoë").await?;
        c.send(
            &h.frontend,
            json!({"album": [
                {"type": "photo", "caption": "front"}, {"type": "photo"}, {"type": "video"}
            ]}),
        )
        .await?;
        let topic = h.topic_of(&c).await?;
        let shown = h.topic_shows(topic, 5).await?;
        let album: Vec<&Value> = shown
            .iter()
            .filter(|m| m.get("media_group_id").is_some())
            .collect();
        assert_eq!(album.len(), 3, "{shown:#?}");
        assert!(
            album
                .iter()
                .all(|m| m["media_group_id"] == album[0]["media_group_id"])
        );
        assert_eq!(album[0]["caption"], "front");
        assert!(album[2].get("video").is_some());
        let calls = h.world.stats().await?;
        assert_eq!(
            calls["calls"]["copyMessages"], 1,
            "one call for the whole album"
        );
    }
    Ok(())
}

#[tokio::test]
async fn edits_and_replies_are_mirrored_both_ways() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        h.relay_only().await?;
        let c = h.customer("Ana").await?;
        let first = c.says(&h.frontend, "my order is 123").await?;
        let topic = h.topic_of(&c).await?;
        let shown = h.topic_shows(topic, 3).await?;
        let copy_id = shown[2]["message_id"].as_i64().unwrap_or_default();

        // Customer edits: the copy in the topic follows.
        c.edits(
            &h.frontend,
            first["message_id"].as_i64().unwrap_or_default(),
            "my order is 124",
        )
        .await?;
        h.topic_until(topic, |m| {
            m.iter()
                .any(|x| x["message_id"] == copy_id && x["text"] == "my order is 124")
        })
        .await?;

        // Operator replies to the customer's message: the customer sees a reply to their original.
        h.operator
            .send(
                &h.forum,
                json!({"thread_id": topic, "reply_to": copy_id, "text": "checking 124"}),
            )
            .await?;
        let seen = h.customer_sees(&c, 3).await?;
        assert_eq!(seen[2]["text"], "checking 124");
        assert_eq!(
            seen[2]["reply_to_message"]["message_id"],
            first["message_id"]
        );
        let answer_id = h
            .operator
            .sees_topic(&h.forum, topic)
            .await?
            .iter()
            .rev()
            .find(|m| m["text"] == "checking 124")
            .map(|m| m["message_id"].clone())
            .unwrap_or_default();

        // Operator edits the answer: the customer's copy follows.
        h.operator
            .edits(
                &h.forum,
                answer_id.as_i64().unwrap_or_default(),
                "checked: 124 ships today",
            )
            .await?;
        let now = h
            .customer_until(&c, |m| {
                m.get(2)
                    .is_some_and(|x| x["text"] == "checked: 124 ships today")
            })
            .await?;
        assert!(now[2].get("edit_date").is_some());

        // The customer replies to the answer: the topic shows a reply to the operator's message.
        let their_copy = h.customer_sees(&c, 3).await?[2]["message_id"].clone();
        c.send(
            &h.frontend,
            json!({"text": "great", "reply_to": their_copy}),
        )
        .await?;
        let shown = h
            .topic_until(topic, |m| m.iter().any(|x| x["text"] == "great"))
            .await?;
        let great = shown
            .iter()
            .find(|m| m["text"] == "great")
            .cloned()
            .unwrap_or_default();
        assert_eq!(great["reply_to_message"]["message_id"], answer_id);
    }
    Ok(())
}

#[tokio::test]
async fn comments_and_commands_stay_in_the_topic_and_del_retracts() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        h.relay_only().await?;
        let c = h.customer("Lea").await?;
        c.says(&h.frontend, "hi").await?;
        let topic = h.topic_of(&c).await?;
        h.topic_shows(topic, 3).await?;
        h.operator
            .says_in(&h.forum, topic, "/ internal: VIP customer")
            .await?;
        h.operator
            .says_in(&h.forum, topic, "/unknowncommand")
            .await?;
        h.operator.says_in(&h.forum, topic, "Hello Lea").await?;
        let seen = h.customer_sees(&c, 3).await?;
        assert_eq!(texts(&seen), vec!["/start", "hi", "Hello Lea"]);

        // /del as a reply retracts the delivered copy.
        let answer = h
            .operator
            .sees_topic(&h.forum, topic)
            .await?
            .into_iter()
            .find(|m| m["text"] == "Hello Lea")
            .unwrap_or_default();
        h.operator
            .send(
                &h.forum,
                json!({"thread_id": topic, "reply_to": answer["message_id"], "text": "/del"}),
            )
            .await?;
        let shown = h
            .topic_until(topic, |m| {
                texts(m).iter().any(|t| t.starts_with("🗑 Retracted"))
            })
            .await?;
        assert!(
            texts(&shown).iter().all(|t| !t.starts_with("⚠️")),
            "{shown:#?}"
        );
        let seen = h.customer_sees(&c, 2).await?;
        assert_eq!(
            texts(&seen),
            vec!["/start", "hi"],
            "the customer's copy is gone"
        );
    }
    Ok(())
}

#[tokio::test]
async fn deleted_topic_gets_a_new_one_and_nothing_is_lost() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let c = h.customer("Omar").await?;
        c.says(&h.frontend, "first").await?;
        let old = h.topic_of(&c).await?;
        h.topic_shows(old, 3).await?;
        h.forum.topic_action(old, "delete").await?;
        c.says(&h.frontend, "second").await?;
        let mut new = old;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while new == old {
            anyhow::ensure!(std::time::Instant::now() < deadline, "no new topic");
            let d = h.store.dialogs().of(h.connection).await?;
            new = d
                .iter()
                .find(|x| x.customer_chat_id == hotline_core::ChatId(c.id))
                .and_then(|x| x.thread_id.map(|t| t.0))
                .unwrap_or(old);
            h.world
                .control_get(&format!(
                    "/wait?as={}&chat={}&count=999&timeout_ms=50",
                    h.operator.id, h.forum.id
                ))
                .await
                .ok();
        }
        let shown = h
            .topic_until(new, |m| texts(m).contains(&"second".to_string()))
            .await?;
        assert_eq!(texts(&shown), vec!["second"]);
    }
    Ok(())
}

#[tokio::test]
async fn a_customer_who_blocked_the_bot_is_reported_in_the_topic() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let c = h.customer("Ivan").await?;
        c.says(&h.frontend, "hi").await?;
        let topic = h.topic_of(&c).await?;
        h.topic_shows(topic, 3).await?;
        c.blocks(&h.frontend).await?;
        h.operator
            .says_in(&h.forum, topic, "are you there?")
            .await?;
        h.topic_until(topic, |m| {
            texts(m)
                .iter()
                .any(|t| t == "⚠️ Not delivered: the customer blocked the bot.")
        })
        .await?;
        let customer = h
            .store
            .customers()
            .get(h.connection, hotline_core::ChatId(c.id))
            .await?
            .expect("customer");
        assert!(customer.unreachable.is_some());
    }
    Ok(())
}

#[tokio::test]
async fn hostile_names_and_texts_never_break_a_send() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let name = format!("<b>*_[{}\u{202E}\u{200B}🙂", "x".repeat(300));
        let c = h
            .world
            .user_with(json!({"first_name": name, "last_name": "`~|"}))
            .await?;
        c.start(&h.frontend).await?;
        let text = format!(
            "<i>{}</i> *bold* \u{202E}rtl [x](y) {}",
            "é".repeat(50),
            "🙂".repeat(100)
        );
        c.says(&h.frontend, &text).await?;
        let topic = h.topic_of(&c).await?;
        let shown = h.topic_shows(topic, 3).await?;
        let title = shown[0]["forum_topic_created"]["name"]
            .as_str()
            .unwrap_or_default();
        assert!(
            title.starts_with("🟪 <b>*_[xxx") && title.chars().count() <= 128,
            "{title}"
        );
        assert!(!title.contains('\u{202E}'));
        assert_eq!(
            shown[2]["text"],
            text.as_str(),
            "texts are copied untouched"
        );
    }
    Ok(())
}

/// An edit that arrives while its message's copy is still in flight (Telegram made the copy,
/// Hotline has not heard back yet) still reaches the copy — in both directions.
#[tokio::test]
async fn an_edit_racing_its_copy_is_not_lost() -> anyhow::Result<()> {
    let h = Helpdesk::start_on(World::start().await?, Db::Sqlite, |_| {}).await?;
    h.relay_only().await?;
    let c = h.customer("Rita").await?;
    c.says(&h.frontend, "hello").await?;
    let topic = h.topic_of(&c).await?;
    h.topic_shows(topic, 3).await?;
    // From now on Telegram answers copyMessage 1.5 s after making the copy.
    h.world
        .faults(json!([
            {"bot_id": h.frontend.id, "method": "copyMessage", "kind": "slow", "delay_ms": 1500, "after": true}
        ]))
        .await?;

    // Customer → topic: the copy appears; the customer edits before Hotline hears back.
    let sent = c.says(&h.frontend, "my order is 123").await?;
    let shown = h
        .topic_until(topic, |m| texts(m).contains(&"my order is 123".to_string()))
        .await?;
    let copy_id = shown
        .iter()
        .find(|m| m["text"] == "my order is 123")
        .map(|m| m["message_id"].clone())
        .unwrap_or_default();
    c.edits(
        &h.frontend,
        sent["message_id"].as_i64().unwrap_or_default(),
        "my order is 124",
    )
    .await?;
    h.topic_until(topic, |m| {
        m.iter()
            .any(|x| x["message_id"] == copy_id && x["text"] == "my order is 124")
    })
    .await?;

    // Topic → customer: the same race the other way.
    let answer = h
        .operator
        .send(&h.forum, json!({"thread_id": topic, "text": "checking"}))
        .await?;
    h.customer_until(&c, |m| texts(m).contains(&"checking".to_string()))
        .await?;
    h.operator
        .edits(
            &h.forum,
            answer["message_id"].as_i64().unwrap_or_default(),
            "checked: ships today",
        )
        .await?;
    h.customer_until(&c, |m| {
        texts(m).contains(&"checked: ships today".to_string())
            && !texts(m).contains(&"checking".to_string())
    })
    .await?;
    Ok(())
}
