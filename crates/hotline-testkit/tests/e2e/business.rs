//! A Telegram Business frontend, end to end: customers write to Alice's own (Premium)
//! account, the frontend bot works her chats through its business connection, the team
//! answers in topics and the customer sees the answers come from Alice. Everything through
//! tgsim's HTTP interface, on SQLite and PostgreSQL.

use anyhow::Result;
use serde_json::{Value, json};

use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::{Db, Helpdesk, Via};
use hotline_testkit::{Person, World};

async fn business(db: Db) -> Result<Helpdesk> {
    Helpdesk::start_via(World::start().await?, db, Via::Business, |_| {}).await
}

fn account(h: &Helpdesk) -> Result<&Person> {
    h.account
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("a business helpdesk"))
}

/// Sent on behalf of the account by the frontend bot.
fn as_account(h: &Helpdesk, m: &Value) -> bool {
    m["from"]["id"] == h.inbox() && m["sender_business_bot"]["id"] == h.frontend.id
}

/// General, as `topic_until` names it.
const GENERAL: i64 = 0;

fn id(m: &Value) -> i64 {
    m["message_id"].as_i64().unwrap_or_default()
}

#[tokio::test]
async fn a_customer_writes_to_the_account_and_the_team_answers_as_it() -> Result<()> {
    for db in Db::all() {
        let h = business(db).await?;
        let alice = account(&h)?;
        let maria = h
            .world
            .user_with(json!({"first_name": "María", "last_name": "García", "language_code": "es"}))
            .await?;
        maria.says(alice, "Hola, necesito ayuda").await?;
        let topic = h.topic_of(&maria).await?;
        let shown = h.topic_shows(topic, 2).await?;
        assert_eq!(
            shown[0]["forum_topic_created"]["name"], "🟪 María García",
            "{db:?}"
        );
        assert_eq!(texts(&shown), vec!["Hola, necesito ayuda"]);
        assert_eq!(shown[1]["from"]["id"], h.frontend.id);

        h.operator
            .says_in(&h.forum, topic, "¡Hola María! ¿En qué podemos ayudar?")
            .await?;
        let seen = h
            .customer_until(&maria, |s| {
                s.iter()
                    .any(|m| m["text"] == "¡Hola María! ¿En qué podemos ayudar?")
            })
            .await?;
        // WELCOME and the answer, both from Alice's account.
        let from_alice: Vec<&Value> = seen.iter().filter(|m| as_account(&h, m)).collect();
        assert_eq!(from_alice.len(), 2, "{seen:#?}");
        assert!(
            from_alice[0]["text"]
                .as_str()
                .unwrap_or("")
                .starts_with("Hello, María!")
        );
        let renamed = h
            .topic_until(topic, |s| {
                s.iter()
                    .any(|m| m["forum_topic_edited"]["name"] == "🟨 María García")
            })
            .await?;
        assert!(!renamed.is_empty());
    }
    Ok(())
}

#[tokio::test]
async fn every_message_type_album_edit_and_reply_goes_both_ways() -> Result<()> {
    for db in Db::all() {
        let h = business(db).await?;
        h.relay_only().await?;
        let alice = account(&h)?;
        let c = h.customer("Kenji").await?;
        let bodies = vec![
            json!({"text": "bold and link", "entities": [{"type": "bold", "offset": 0, "length": 4}, {"type": "text_link", "offset": 9, "length": 4, "url": "https://example.com"}]}),
            json!({"media": {"type": "photo", "caption": "a photo"}}),
            json!({"media": {"type": "voice"}}),
            json!({"media": {"type": "document", "file_name": "invoice.pdf", "mime_type": "application/pdf"}}),
            json!({"media": {"type": "sticker", "emoji": "😀"}}),
            json!({"location": {"latitude": 35.68, "longitude": 139.69}}),
            json!({"contact": {"phone_number": "+81000000", "first_name": "Kenji"}}),
        ];
        let mut sent = Vec::new();
        for b in &bodies {
            sent.push(c.send(alice, b.clone()).await?);
        }
        let topic = h.topic_of(&c).await?;
        let shown = h.topic_shows(topic, bodies.len() + 1).await?;
        let relayed = &shown[1..];
        for (m, k) in relayed.iter().zip([
            "text", "photo", "voice", "document", "sticker", "location", "contact",
        ]) {
            assert!(m.get(k).is_some(), "{db:?}: expected a {k}: {m}");
            assert_eq!(m["message_thread_id"], topic);
            assert_eq!(m["from"]["id"], h.frontend.id);
        }
        assert_eq!(relayed[0]["entities"][1]["url"], "https://example.com");
        assert_eq!(relayed[1]["caption"], "a photo");
        assert_eq!(relayed[3]["document"]["file_name"], "invoice.pdf");

        // A poll cannot be resent through the account: the team is told, nothing is lost
        // silently.
        c.send(alice, json!({"poll": {"question": "Which?", "options": [{"text": "A", "voter_count": 0}, {"text": "B", "voter_count": 0}], "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false}}))
            .await?;
        let told = tr_args(
            Lang::En,
            Key::NoticeNotRelayedKind,
            &Args::new().str("kind", "poll"),
        );
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == told.as_str()))
            .await?;

        // An album arrives as one album, both ways.
        c.send_all(
            alice,
            json!({"album": [{"type": "photo", "caption": "front"}, {"type": "photo"}]}),
        )
        .await?;
        let album = h
            .topic_until(topic, |s| {
                s.iter()
                    .filter(|m| m.get("media_group_id").is_some())
                    .count()
                    == 2
            })
            .await?;
        let items: Vec<&Value> = album
            .iter()
            .filter(|m| m.get("media_group_id").is_some())
            .collect();
        assert_eq!(items[0]["media_group_id"], items[1]["media_group_id"]);
        assert_eq!(items[0]["caption"], "front");
        h.operator
            .send_all(
                &h.forum,
                json!({"thread_id": topic, "album": [{"type": "photo", "caption": "ours"}, {"type": "photo"}]}),
            )
            .await?;
        let seen = h
            .customer_until(&c, |s| {
                s.iter()
                    .filter(|m| as_account(&h, m) && m.get("media_group_id").is_some())
                    .count()
                    == 2
            })
            .await?;
        assert!(
            seen.iter()
                .any(|m| m["caption"] == "ours" && as_account(&h, m))
        );

        // The customer edits their first message: the topic copy follows.
        c.edits(alice, id(&sent[0]), "bold and link, edited")
            .await?;
        h.topic_until(topic, |s| {
            s.iter().any(|m| m["text"] == "bold and link, edited")
        })
        .await?;

        // The operator answers as a reply to the photo's copy; the customer sees a reply to
        // their photo, and edits of the answer follow.
        let answer = h
            .operator
            .send(
                &h.forum,
                json!({"thread_id": topic, "text": "nice photo", "reply_to": id(&relayed[1])}),
            )
            .await?;
        let seen = h
            .customer_until(&c, |s| s.iter().any(|m| m["text"] == "nice photo"))
            .await?;
        let got = seen
            .iter()
            .find(|m| m["text"] == "nice photo")
            .cloned()
            .unwrap_or_default();
        assert!(as_account(&h, &got));
        assert_eq!(got["reply_to_message"]["message_id"], id(&sent[1]));
        h.operator
            .edits(&h.forum, id(&answer), "very nice photo")
            .await?;
        h.customer_until(&c, |s| s.iter().any(|m| m["text"] == "very nice photo"))
            .await?;

        // The customer replies to the answer: the copy in the topic replies to it too.
        c.send(alice, json!({"text": "thanks", "reply_to": id(&got)}))
            .await?;
        let shown = h
            .topic_until(topic, |s| s.iter().any(|m| m["text"] == "thanks"))
            .await?;
        let thanks = shown
            .iter()
            .find(|m| m["text"] == "thanks")
            .cloned()
            .unwrap_or_default();
        assert_eq!(thanks["reply_to_message"]["message_id"], id(&answer));
    }
    Ok(())
}

#[tokio::test]
async fn deletions_are_shown_and_del_retracts_within_the_rights() -> Result<()> {
    for db in Db::all() {
        let h = business(db).await?;
        h.relay_only().await?;
        let alice = account(&h)?;
        let c = h.customer("Dana").await?;
        let oops = c.says(alice, "my card number is 4111").await?;
        let topic = h.topic_of(&c).await?;
        let shown = h.topic_shows(topic, 2).await?;
        let copy = id(&shown[1]);
        // The customer deletes it: the copy stays for the team, with a notice under it.
        c.deletes(alice, &[id(&oops)]).await?;
        let notice = tr(Lang::En, Key::NoticeDeletedInChat);
        let shown = h
            .topic_until(topic, |s| s.iter().any(|m| m["text"] == notice.as_str()))
            .await?;
        let n = shown
            .iter()
            .find(|m| m["text"] == notice.as_str())
            .cloned()
            .unwrap_or_default();
        assert_eq!(n["reply_to_message"]["message_id"], copy, "{db:?}");

        // /del on an answer deletes it in the customer's chat (can_delete_sent_messages).
        let answer = h.operator.says_in(&h.forum, topic, "wrong answer").await?;
        h.customer_until(&c, |s| s.iter().any(|m| m["text"] == "wrong answer"))
            .await?;
        h.operator
            .send(
                &h.forum,
                json!({"thread_id": topic, "text": "/del", "reply_to": id(&answer)}),
            )
            .await?;
        h.customer_until(&c, |s| !s.iter().any(|m| m["text"] == "wrong answer"))
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_reply_window_and_missing_rights_are_told_in_the_topic() -> Result<()> {
    for db in Db::all() {
        let h = business(db).await?;
        h.relay_only().await?;
        let alice = account(&h)?;
        let c = h.customer("Eva").await?;
        c.says(alice, "hello").await?;
        let topic = h.topic_of(&c).await?;
        h.topic_shows(topic, 2).await?;
        // A day and more later the account may no longer answer.
        h.world.advance_hours(25).await?;
        h.operator
            .says_in(&h.forum, topic, "sorry for the wait")
            .await?;
        let window = tr(Lang::En, Key::NoticeNotDeliveredWindow);
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == window.as_str()))
            .await?;
        // Once the customer writes again, answers go through.
        c.says(alice, "still there?").await?;
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == "still there?"))
            .await?;
        h.operator.says_in(&h.forum, topic, "yes, here").await?;
        h.customer_until(&c, |s| s.iter().any(|m| m["text"] == "yes, here"))
            .await?;

        // Alice takes away "reply to messages": the team hears why answers fail.
        alice
            .connects_business(
                &h.frontend,
                json!({"existing_chats": true, "new_chats": true, "contacts": true, "non_contacts": true}),
                &["can_read_messages"],
            )
            .await?;
        c.says(alice, "hello again").await?;
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == "hello again"))
            .await?;
        h.operator.says_in(&h.forum, topic, "answer").await?;
        let no_right = tr(Lang::En, Key::NoticeNotDeliveredNoRight);
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == no_right.as_str()))
            .await?;
        let seen = c.sees(alice).await?;
        assert!(!seen.iter().any(|m| m["text"] == "answer"), "{db:?}");
    }
    Ok(())
}

#[tokio::test]
async fn disconnect_and_reconnect_follow_the_account() -> Result<()> {
    for db in Db::all() {
        let mut h = business(db).await?;
        h.relay_only().await?;
        let alice = account(&h)?.clone();
        let c = h.customer("Femi").await?;
        c.says(&alice, "first").await?;
        let topic = h.topic_of(&c).await?;
        h.topic_shows(topic, 2).await?;
        let before = h
            .store
            .connections()
            .get(h.connection)
            .await?
            .and_then(|c| c.business)
            .unwrap_or_default();

        alice.disconnects_business().await?;
        // Disconnected: the stored connection says so (the card reads it), answers are
        // refused with the reason.
        wait_stored(&h, |b| b["is_enabled"] == false).await?;
        h.operator
            .says_in(&h.forum, topic, "are you there?")
            .await?;
        let gone = tr(Lang::En, Key::NoticeNotDeliveredDisconnected);
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == gone.as_str()))
            .await?;

        // Connected again (Telegram gives a new connection id), across a restart.
        alice
            .connects_business(
                &h.frontend,
                json!({"existing_chats": true, "new_chats": true, "contacts": true, "non_contacts": true}),
                &["can_reply", "can_read_messages"],
            )
            .await?;
        wait_stored(&h, |b| b["is_enabled"] == true).await?;
        h.stop().await;
        h.run().await?;
        let after = h
            .store
            .connections()
            .get(h.connection)
            .await?
            .and_then(|c| c.business)
            .unwrap_or_default();
        let id_of = |s: &str| {
            serde_json::from_str::<Value>(s).map(|v| v["id"].as_str().unwrap_or("").to_string())
        };
        assert_ne!(id_of(&before)?, id_of(&after)?, "{db:?}");
        c.says(&alice, "back again").await?;
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == "back again"))
            .await?;
        h.operator.says_in(&h.forum, topic, "welcome back").await?;
        h.customer_until(&c, |s| {
            s.iter()
                .any(|m| m["text"] == "welcome back" && m["from"]["id"] == alice.id)
        })
        .await?;
    }
    Ok(())
}

/// Waits until the stored business connection satisfies `done`.
async fn wait_stored(h: &Helpdesk, done: impl Fn(&Value) -> bool) -> Result<()> {
    for _ in 0..500 {
        let stored = h
            .store
            .connections()
            .get(h.connection)
            .await?
            .and_then(|c| c.business)
            .and_then(|s| serde_json::from_str::<Value>(&s).ok())
            .unwrap_or_default();
        if done(&stored) {
            return Ok(());
        }
        // The runtime processes the update; wait on the world's clock-free long poll of
        // the forum instead of sleeping (it returns at once when nothing is expected).
        let _ = h
            .world
            .control_get(&format!(
                "/wait?as={}&chat={}&count=100000&timeout_ms=20",
                h.operator.id, h.forum.id
            ))
            .await;
    }
    anyhow::bail!("the stored business connection never changed")
}

#[tokio::test]
async fn strangers_the_owner_and_writing_first() -> Result<()> {
    for db in Db::all() {
        let h = business(db).await?;
        h.relay_only().await?;
        let alice = account(&h)?;
        // Someone else with Premium connects the same bot to their account: their chats
        // never reach this team.
        let mallory = h
            .world
            .user_with(json!({"first_name": "Mallory", "is_premium": true}))
            .await?;
        mallory
            .connects_business(
                &h.frontend,
                json!({"existing_chats": true, "new_chats": true, "contacts": true, "non_contacts": true}),
                &["can_reply"],
            )
            .await?;
        let victim = h.customer("Victor").await?;
        victim.says(&mallory, "to mallory").await?;
        // A customer of Alice writes after that: only they get a topic.
        let c = h.customer("Gus").await?;
        c.says(alice, "to alice").await?;
        let topic = h.topic_of(&c).await?;
        h.topic_shows(topic, 2).await?;
        let dialogs = h.store.dialogs().of(h.connection).await?;
        assert_eq!(dialogs.len(), 1, "{db:?}: {dialogs:#?}");

        // Alice answers from her own Telegram app: the team sees it in the topic as hers.
        alice.says(&c, "I'll check, Gus").await?;
        let label = tr_args(
            Lang::En,
            Key::NoticeOwnerWrote,
            &Args::new().str("account", "Alice"),
        );
        let want = format!("{label}\nI'll check, Gus");
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == want.as_str()))
            .await?;

        // Writing first is refused with the reason, in General.
        for cmd in [format!("/new {}", c.id), "/send all hello".to_string()] {
            let asked = h.admin.says(&h.forum, &cmd).await?;
            let refused = tr(Lang::En, Key::WriteFirstRefused);
            h.topic_until(GENERAL, |s| {
                s.iter().any(|m| {
                    m["text"] == refused.as_str()
                        && m["reply_to_message"]["message_id"] == asked["message_id"]
                })
            })
            .await?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn only_the_chats_the_account_chose_reach_the_team() -> Result<()> {
    for db in Db::all() {
        let h = business(db).await?;
        h.relay_only().await?;
        let alice = account(&h)?;
        let friend = h.customer("Fiona").await?;
        let stranger = h.customer("Sam").await?;
        alice.adds_contact(&friend).await?;
        // Alice lets the bot into her contacts' chats only.
        alice
            .connects_business(
                &h.frontend,
                json!({"contacts": true}),
                &["can_reply", "can_read_messages"],
            )
            .await?;
        stranger.says(alice, "not for the bot").await?;
        friend.says(alice, "for the team").await?;
        let topic = h.topic_of(&friend).await?;
        h.topic_until(topic, |s| s.iter().any(|m| m["text"] == "for the team"))
            .await?;
        h.settle().await?;
        let dialogs = h.store.dialogs().of(h.connection).await?;
        assert_eq!(dialogs.len(), 1, "{db:?}: {dialogs:#?}");
        assert_eq!(dialogs[0].customer_chat_id, hotline_core::ChatId(friend.id));
    }
    Ok(())
}
