//! The dialog lifecycle and the team's workflow, end to end: statuses, topic commands,
//! AUTOCLOSE, roles and every parameter's effect — each set on the running connection, as
//! an admin would, and applied without a restart.

use hotline_testkit::World;
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::{Db, Helpdesk, Via};
use serde_json::{Value, json};

fn has(msgs: &[Value], needle: &str) -> bool {
    texts(msgs).iter().any(|t| t.contains(needle))
}

fn count(msgs: &[Value], needle: &str) -> usize {
    texts(msgs).iter().filter(|t| t.contains(needle)).count()
}

fn renamed_to(msgs: &[Value], name: &str) -> bool {
    msgs.iter().any(|m| m["forum_topic_edited"]["name"] == name)
}

fn service(msgs: &[Value], kind: &str) -> usize {
    msgs.iter().filter(|m| m.get(kind).is_some()).count()
}

const WELCOME: &str = "Please describe your question and we will answer soon.";

#[tokio::test]
async fn autoclose_after_48_hours_then_the_next_message_reopens_with_welcome() -> anyhow::Result<()>
{
    for (via, db) in Helpdesk::every() {
        let h = Helpdesk::start_via(World::start().await?, db, via, |_| {}).await?;
        let c = h.opened("Nina").await?;
        let topic = h.topic_of(&c).await?;
        h.operator.says_in(&h.forum, topic, "We are on it").await?;
        h.topic_until(topic, |m| renamed_to(m, "🟨 Nina")).await?;
        h.customer_until(&c, |m| has(m, "We are on it")).await?;

        // 47 hours later nothing has happened yet.
        h.advance_hours(47);
        h.settle().await?;
        assert_eq!(h.topic(topic).await?["closed"], false, "{via:?} {db:?}");

        // Past 48 hours without a customer message the dialog closes, and so does the topic.
        h.advance_hours(2);
        // The rename settles a moment after the status change (`RENAME_SETTLE_MS`).
        let shown = h
            .topic_until(topic, |m| {
                service(m, "forum_topic_closed") == 1 && renamed_to(m, "⬛ Nina")
            })
            .await?;
        assert!(
            has(
                &shown,
                "Closed automatically: no message from the customer for 48 hours."
            ),
            "{shown:#?}"
        );
        let t = h.topic(topic).await?;
        assert_eq!(
            (t["closed"].clone(), t["name"].clone()),
            (json!(true), json!("⬛ Nina"))
        );

        // The customer comes back: the same topic reopens, waiting for the team, with WELCOME.
        c.says(&h.inbox(), "Are you still there?").await?;
        let shown = h
            .topic_until(topic, |m| {
                has(m, "Are you still there?") && renamed_to(m, "🟪 Nina")
            })
            .await?;
        assert_eq!(service(&shown, "forum_topic_reopened"), 1);
        assert_eq!(h.topic(topic).await?["closed"], false);
        let seen = h.customer_until(&c, |m| count(m, WELCOME) == 2).await?;
        assert_eq!(count(&seen, WELCOME), 2, "{via:?} {db:?}");
    }
    Ok(())
}

#[tokio::test]
async fn close_hold_and_wait_drive_the_status_and_the_topic() -> anyhow::Result<()> {
    for (via, db) in Helpdesk::every() {
        let h = Helpdesk::start_via(World::start().await?, db, via, |_| {}).await?;
        let c = h.opened("Omar").await?;
        let topic = h.topic_of(&c).await?;

        h.operator.says_in(&h.forum, topic, "/close").await?;
        let shown = h
            .topic_until(topic, |m| {
                service(m, "forum_topic_closed") == 1 && renamed_to(m, "⬛ Omar")
            })
            .await?;
        assert!(has(&shown, "⬛ Closed by Oleg."), "{shown:#?}");
        // Only topic managers write in a closed topic: the admin reopens it.
        h.admin.says_in(&h.forum, topic, "/hold").await?;
        h.topic_until(topic, |m| {
            service(m, "forum_topic_reopened") == 1 && renamed_to(m, "🟪 Omar")
        })
        .await?;
        h.operator.says_in(&h.forum, topic, "/wait").await?;
        h.topic_until(topic, |m| renamed_to(m, "🟨 Omar")).await?;
        // Addressed to our bot: runs. Addressed to another bot: left alone.
        h.operator
            .says_in(&h.forum, topic, "/close@acme_support_bot")
            .await?;
        h.topic_until(topic, |m| service(m, "forum_topic_closed") == 2)
            .await?;
        h.admin
            .says_in(&h.forum, topic, "/hold@SomeOtherBot")
            .await?;
        h.settle().await?;
        assert_eq!(h.topic(topic).await?["closed"], true, "{via:?} {db:?}");
        // Status commands never reach the customer.
        let seen = h.customer_until(&c, |m| has(m, WELCOME)).await?;
        assert!(!has(&seen, "/close") && !has(&seen, "/wait"));
    }
    Ok(())
}

#[tokio::test]
async fn ban_stops_relaying_and_unban_restores_it() -> anyhow::Result<()> {
    for (via, db) in Helpdesk::every() {
        let h = Helpdesk::start_via(World::start().await?, db, via, |_| {}).await?;
        let c = h.opened("Spammy").await?;
        let topic = h.topic_of(&c).await?;
        // Banning is daily spam handling: operators may, observers may not.
        h.role(&h.operator, Some("observer")).await?;
        h.operator.says_in(&h.forum, topic, "/ban").await?;
        h.topic_until(topic, |m| has(m, "👁 You are an observer here"))
            .await?;
        h.role(&h.operator, None).await?;
        h.operator.says_in(&h.forum, topic, "/ban").await?;
        h.topic_until(topic, |m| has(m, "🚫 Spammy is banned"))
            .await?;
        c.says(&h.inbox(), "buy my stuff").await?;
        h.settle().await?;
        assert!(!has(
            &h.operator.sees_topic(&h.forum, topic).await?,
            "buy my stuff"
        ));
        h.admin.says_in(&h.forum, topic, "/ban").await?;
        h.topic_until(topic, |m| has(m, "already banned")).await?;

        h.admin.says_in(&h.forum, topic, "/unban").await?;
        h.topic_until(topic, |m| has(m, "✅ Spammy is unbanned"))
            .await?;
        c.says(&h.inbox(), "sorry, a real question").await?;
        h.topic_until(topic, |m| has(m, "sorry, a real question"))
            .await?;
        let stored = h.set("IGNORE_CHATS", "777000").await?;
        assert_eq!(stored, "777000", "{via:?} {db:?}");
    }
    Ok(())
}

#[tokio::test]
async fn reply_only_turns_non_replies_into_comments() -> anyhow::Result<()> {
    for via in Via::ALL {
        let h = Helpdesk::start_via(World::start().await?, Db::Sqlite, via, |_| {}).await?;
        h.set("REPLY_ONLY", "on").await?;
        let c = h.opened("Pia").await?;
        c.says(&h.inbox(), "How do I reset my password?").await?;
        let topic = h.topic_of(&c).await?;
        let shown = h
            .topic_until(topic, |m| has(m, "How do I reset my password?"))
            .await?;
        let question = shown
            .iter()
            .find(|m| m["text"] == "How do I reset my password?")
            .map(|m| m["message_id"].clone())
            .unwrap_or_default();
        h.operator
            .says_in(&h.forum, topic, "Colleagues: who knows this?")
            .await?;
        h.operator
        .send(
            &h.forum,
            json!({ "text": "Use the link on the login page.", "thread_id": topic, "reply_to": question }),
        )
        .await?;
        let seen = h
            .customer_until(&c, |m| has(m, "Use the link on the login page."))
            .await?;
        assert!(!has(&seen, "Colleagues"), "{seen:#?}");
        h.operator.says_in(&h.forum, topic, "/help").await?;
        h.topic_until(topic, |m| {
            has(m, "Only replies to the customer's messages are delivered")
        })
        .await?;
    }
    Ok(())
}

#[tokio::test]
async fn hide_info_hides_the_name_in_the_title_and_the_card() -> anyhow::Result<()> {
    for via in Via::ALL {
        let h = Helpdesk::start_via(World::start().await?, Db::Sqlite, via, |_| {}).await?;
        // A paid-plan parameter.
        let refused = h.set("HIDE_INFO", "name, link").await;
        assert!(refused.is_err(), "{refused:?}");
        h.plan("paid").await?;
        h.set("HIDE_INFO", "name, link").await?;
        let c = h
        .world
        .user_with(json!({"first_name": "Viktor", "last_name": "Secretov", "username": "vsecret", "language_code": "en"}))
        .await?;
        h.starts(&c).await?;
        c.says(&h.inbox(), "I need help discreetly").await?;
        let topic = h.topic_of(&c).await?;
        let name = h.topic(topic).await?["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(name.starts_with("🟪 #"), "{name}");
        assert!(!name.contains("Viktor"));
        h.operator.says_in(&h.forum, topic, "/info").await?;
        let shown = h.topic_until(topic, |m| has(m, "👤 Customer card")).await?;
        let card = texts(&shown)
            .into_iter()
            .find(|t| t.contains("👤 Customer card"))
            .unwrap_or_default();
        let pseudonym = name.trim_start_matches("🟪 ");
        assert!(card.contains(&format!("Name: {pseudonym}")), "{card}");
        assert!(
            !card.contains("Viktor")
                && !card.contains("vsecret")
                && !card.contains(&c.id.to_string()),
            "{card}"
        );
        assert!(
            card.contains("Language: en") && card.contains("Dialogs: 1"),
            "{card}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn keywords_gate_a_new_dialog_then_everything_flows() -> anyhow::Result<()> {
    for via in Via::ALL {
        let h = Helpdesk::start_via(World::start().await?, Db::Sqlite, via, |_| {}).await?;
        h.set("PRIVATE_KEYWORDS", r#"order, ["refund", "~joke"]"#)
            .await?;
        let c = h.world.user("Quinn").await?;
        h.starts(&c).await?;
        c.says(&h.inbox(), "hello there").await?;
        c.says(&h.inbox(), "a refund joke").await?;
        h.settle().await?;
        let dialogs = h.store.dialogs().of(h.connection).await?;
        let d = dialogs
            .iter()
            .find(|d| d.customer_chat_id == hotline_core::ChatId(c.id));
        assert!(d.is_some_and(|d| d.thread_id.is_none()), "{d:?}");
        // A matching message opens the dialog; then everything flows unfiltered.
        c.says(&h.inbox(), "Where is my ORDER?").await?;
        let topic = h.topic_of(&c).await?;
        c.says(&h.inbox(), "thanks").await?;
        let shown = h.topic_until(topic, |m| has(m, "thanks")).await?;
        assert_eq!(
            texts(&shown)
                .into_iter()
                .filter(|t| !t.starts_with('⬛'))
                .collect::<Vec<_>>(),
            vec!["Where is my ORDER?", "thanks"]
        );
        // After /close the filter applies again (spec §3): a message that does not match is
        // not copied into the closed topic; a matching one reopens it.
        h.operator.says_in(&h.forum, topic, "/close").await?;
        h.settle().await?;
        c.says(&h.inbox(), "bye now").await?;
        h.settle().await?;
        let shown = h.operator.sees_topic(&h.forum, topic).await?;
        assert!(!has(&shown, "bye now"), "{:?}", texts(&shown));
        c.says(&h.inbox(), "another order please").await?;
        let shown = h
            .topic_until(topic, |m| has(m, "another order please"))
            .await?;
        assert!(!has(&shown, "bye now"), "{:?}", texts(&shown));
    }
    Ok(())
}

#[tokio::test]
async fn an_observer_reads_but_cannot_send_or_command() -> anyhow::Result<()> {
    let h = Helpdesk::start().await?;
    h.role(&h.operator, Some("observer")).await?;
    let c = h.customer("Rosa").await?;
    let topic = h.topic_of(&c).await?;
    h.operator
        .says_in(&h.forum, topic, "I am only watching")
        .await?;
    h.operator.says_in(&h.forum, topic, "/close").await?;
    let shown = h
        .topic_until(topic, |m| has(m, "👁 You are an observer here"))
        .await?;
    assert_eq!(service(&shown, "forum_topic_closed"), 0);
    h.settle().await?;
    let seen = h.customer_until(&c, |m| has(m, WELCOME)).await?;
    assert!(!has(&seen, "I am only watching"), "{seen:#?}");
    // Back to the default role: the same member answers.
    h.role(&h.operator, None).await?;
    h.operator
        .says_in(&h.forum, topic, "Now I can answer")
        .await?;
    h.customer_until(&c, |m| has(m, "Now I can answer")).await?;
    Ok(())
}

#[tokio::test]
async fn anonymous_admins_are_refused_with_an_explanation() -> anyhow::Result<()> {
    let h = Helpdesk::start().await?;
    let ghost = h.world.user("Ghost").await?;
    h.forum
        .add_admin(
            ghost.id,
            json!({ "is_anonymous": true, "can_manage_topics": true }),
        )
        .await?;
    let c = h.customer("Sam").await?;
    let topic = h.topic_of(&c).await?;
    ghost
        .send(
            &h.forum,
            json!({ "text": "/close", "thread_id": topic, "as_chat": true }),
        )
        .await?;
    ghost
        .send(
            &h.forum,
            json!({ "text": "Hi from nobody", "thread_id": topic, "as_chat": true }),
        )
        .await?;
    let shown = h
        .topic_until(topic, |m| count(m, "🕶 You are posting anonymously") == 2)
        .await?;
    assert_eq!(service(&shown, "forum_topic_closed"), 0);
    h.settle().await?;
    let seen = h.customer_until(&c, |m| has(m, WELCOME)).await?;
    assert!(!has(&seen, "Hi from nobody"));
    Ok(())
}

#[tokio::test]
async fn unknown_commands_get_a_hint_custom_ones_are_left_alone_and_help_is_localized()
-> anyhow::Result<()> {
    let h = Helpdesk::start().await?;
    h.set("CUSTOM_COMMANDS", "/weather").await?;
    let c = h.customer("Tara").await?;
    let topic = h.topic_of(&c).await?;
    h.operator.says_in(&h.forum, topic, "/frobnicate").await?;
    h.operator
        .says_in(&h.forum, topic, "/weather Berlin")
        .await?;
    h.topic_until(topic, |m| {
        has(
            m,
            "❔ Unknown command /frobnicate. Send /help to see what you can do here.",
        )
    })
    .await?;
    h.settle().await?;
    assert_eq!(
        count(&h.operator.sees_topic(&h.forum, topic).await?, "❔"),
        1,
        "only the unknown command got a hint"
    );
    // The team works in Russian: /help answers in Russian, for an operator.
    h.language("ru").await?;
    h.operator.says_in(&h.forum, topic, "/help").await?;
    let shown = h
        .topic_until(topic, |m| has(m, "/close —") && has(m, "оператор"))
        .await?;
    let help = texts(&shown)
        .into_iter()
        .find(|t| t.contains("/close —"))
        .unwrap_or_default();
    assert!(help.contains("/ban —"), "operators may ban: {help}");
    assert!(help.contains("/help — этот список"), "{help}");
    Ok(())
}

#[tokio::test]
async fn auto_info_posts_the_card_and_the_start_parameter_when_the_topic_opens()
-> anyhow::Result<()> {
    let h = Helpdesk::start().await?;
    h.set("AUTO_INFO", "on").await?;
    let c = h
        .world
        .user_with(json!({"first_name": "Uma", "username": "uma_k", "language_code": "de"}))
        .await?;
    c.start_with(&h.frontend, "spring_promo").await?;
    let topic = h.topic_of(&c).await?;
    let shown = h
        .topic_until(topic, |m| {
            has(m, "👤 Customer card") && has(m, "spring_promo")
        })
        .await?;
    let card = texts(&shown)
        .into_iter()
        .find(|t| t.contains("👤 Customer card"))
        .unwrap_or_default();
    for line in [
        "Name: Uma",
        "Username: @uma_k",
        &format!("ID: {}", c.id),
        "Language: de",
        "Start parameter: spring_promo",
        "Dialogs: 1",
    ] {
        assert!(card.contains(line), "{line} missing from {card}");
    }
    assert!(has(
        &shown,
        "▶️ The customer came through a link with the parameter: spring_promo"
    ));
    Ok(())
}

#[tokio::test]
async fn restricted_words_white_list_and_monitor_private_filter_what_comes_in() -> anyhow::Result<()>
{
    for via in Via::ALL {
        let h = Helpdesk::start_via(World::start().await?, Db::Sqlite, via, |_| {}).await?;
        h.set("RESTRICTED_KEYWORDS_FRONTEND", "casino").await?;
        let c = h.opened("Vera").await?;
        let topic = h.topic_of(&c).await?;
        c.says(&h.inbox(), "Best CASINO bonus!").await?;
        let seen = h
            .customer_until(&c, |m| {
                has(m, "it contains words this support chat does not accept")
            })
            .await?;
        assert_eq!(count(&seen, "does not accept"), 1);
        // SILENT_MODE: dropped without a word.
        h.set("SILENT_MODE", "on").await?;
        c.says(&h.inbox(), "casino again").await?;
        h.settle().await?;
        assert_eq!(
            count(&c.sees(&h.inbox()).await?, "does not accept"),
            1,
            "silent mode says nothing"
        );
        assert!(!has(
            &h.operator.sees_topic(&h.forum, topic).await?,
            "casino"
        ));

        // WHITE_LIST: only Vera is accepted.
        h.set("WHITE_LIST", &c.id.to_string()).await?;
        let other = h.world.user("Walt").await?;
        h.starts(&other).await?;
        other.says(&h.inbox(), "let me in").await?;
        c.says(&h.inbox(), "still here").await?;
        h.topic_until(topic, |m| has(m, "still here")).await?;
        assert!(
            !h.store
                .dialogs()
                .of(h.connection)
                .await?
                .iter()
                .any(|d| d.customer_chat_id == hotline_core::ChatId(other.id))
        );
        // MONITOR_PRIVATE off: private chats are not relayed at all.
        h.set("WHITE_LIST", "OFF").await?;
        h.set("MONITOR_PRIVATE", "off").await?;
        c.says(&h.inbox(), "anyone?").await?;
        h.settle().await?;
        h.set("MONITOR_PRIVATE", "on").await?;
        c.says(&h.inbox(), "hello again").await?;
        let shown = h.topic_until(topic, |m| has(m, "hello again")).await?;
        assert!(!has(&shown, "anyone?"), "{shown:#?}");
    }
    Ok(())
}

#[tokio::test]
async fn leave_closed_records_silently_and_icon_color_applies() -> anyhow::Result<()> {
    for via in Via::ALL {
        let h = Helpdesk::start_via(World::start().await?, Db::Sqlite, via, |_| {}).await?;
        h.plan("paid").await?;
        h.set("ICON_COLOR", "green").await?;
        h.set("LEAVE_CLOSED", "private").await?;
        let c = h.world.user("Xena").await?;
        h.starts(&c).await?;
        c.says(&h.inbox(), "just letting you know").await?;
        let topic = h.topic_of(&c).await?;
        let shown = h
            .topic_until(topic, |m| {
                has(m, "just letting you know") && service(m, "forum_topic_closed") == 1
            })
            .await?;
        assert_eq!(shown[0]["forum_topic_created"]["icon_color"], 0x8EEE98);
        assert_eq!(shown[0]["forum_topic_created"]["name"], "⬛ Xena");
        // Created closed, without WELCOME.
        h.settle().await?;
        assert!(!has(&c.sees(&h.inbox()).await?, WELCOME));
        // An operator answer still reopens it (topic managers write in closed topics).
        h.admin.says_in(&h.forum, topic, "Thanks, noted!").await?;
        h.customer_until(&c, |m| has(m, "Thanks, noted!")).await?;
        h.topic_until(topic, |m| renamed_to(m, "🟨 Xena")).await?;
        assert_eq!(h.topic(topic).await?["closed"], false);
    }
    Ok(())
}

#[tokio::test]
async fn the_free_plan_keeps_its_limits() -> anyhow::Result<()> {
    let h = Helpdesk::start().await?;
    for (name, value) in [
        ("AUTOCLOSE", "72"),
        ("WELCOME", "OFF"),
        ("LEAVE_CLOSED", "private"),
        (
            "WEBHOOKS",
            r#"{"https://example.com/hook": ["dialog_created"]}"#,
        ),
    ] {
        let r = h.set(name, value).await;
        assert!(
            r.is_err(),
            "{name} = {value} must be refused on the free plan"
        );
    }
    // Bad input changes nothing.
    assert!(h.set("AUTOCLOSE", "soon").await.is_err());
    assert!(h.set("NO_SUCH_PARAMETER", "1").await.is_err());
    h.set("WELCOME", "Hi {title}, <b>welcome</b>!").await?;
    let c = h.customer("Yara").await?;
    let seen = h.customer_until(&c, |m| has(m, "Hi Yara")).await?;
    let welcome = seen
        .iter()
        .find(|m| m["text"].as_str().is_some_and(|t| t.starts_with("Hi Yara")))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        welcome["text"],
        "Hi Yara, welcome!\n\nSupport powered by Hotline"
    );
    assert_eq!(welcome["entities"][0]["type"], "bold");
    // Paid: the branding line goes, and the limits lift.
    h.plan("paid").await?;
    h.set("AUTOCLOSE", "72").await?;
    let z = h.customer("Zed").await?;
    let seen = h.customer_until(&z, |m| has(m, "Hi Zed")).await?;
    assert!(has(&seen, "Hi Zed, welcome!") && !has(&seen, "Support powered by Hotline"));
    Ok(())
}

#[tokio::test]
async fn hide_info_command_sends_the_card_privately_to_allowed_members() -> anyhow::Result<()> {
    let world = World::start().await?;
    let setup = world.bot("hotline_setup_bot").await?;
    let token = setup.token.clone();
    let h = Helpdesk::start_on(world, Db::Sqlite, move |s| {
        s.setup_bot_token = Some(token);
    })
    .await?;
    h.plan("paid").await?;
    h.set("HIDE_INFO", "command").await?;
    // EXTENSIONS_ALLOWED makes the operator a supervisor: they may see cards and ban.
    h.set("EXTENSIONS_ALLOWED", &h.operator.id.to_string())
        .await?;
    h.admin.start(&setup).await?;
    h.operator.start(&setup).await?;
    let c = h
        .world
        .user_with(json!({"first_name": "Wanda", "username": "wanda_w", "language_code": "en"}))
        .await?;
    c.start(&h.frontend).await?;
    let topic = h.topic_of(&c).await?;
    h.operator.says_in(&h.forum, topic, "/info").await?;
    let shown = h
        .topic_until(topic, |m| has(m, "🔒 Customer data is hidden here"))
        .await?;
    assert!(has(&shown, "sent privately to 2 members"), "{shown:#?}");
    assert!(
        !has(&shown, "wanda_w"),
        "the card itself stays out of the topic"
    );
    for member in [&h.admin, &h.operator] {
        let private = member.waits_for(&setup, 2).await?;
        let card = texts(&private).join("\n");
        assert!(
            card.contains("👤 Customer card from the topic “Wanda”"),
            "{card}"
        );
        assert!(
            card.contains("Username: @wanda_w") && card.contains(&format!("ID: {}", c.id)),
            "{card}"
        );
    }
    // The supervisor may ban.
    h.operator.says_in(&h.forum, topic, "/ban").await?;
    h.topic_until(topic, |m| has(m, "🚫 Wanda is banned"))
        .await?;
    Ok(())
}
