//! Templates end to end: saved in General (as a reply to a message, or recorded from the
//! messages that follow), shown, renamed, deleted; `/send NAME` in a topic reaches the
//! customer with its formatting and media and marks the topic answered; a tag that sends a
//! template; refusals by role and for bad input, on SQLite and PostgreSQL.

use hotline_testkit::World;
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::{Db, Helpdesk};
use serde_json::{Value, json};

fn has(msgs: &[Value], needle: &str) -> bool {
    texts(msgs).iter().any(|t| t.contains(needle))
}

/// General, as the operator sees it.
const GENERAL: i64 = 0;

#[tokio::test]
async fn templates_are_saved_in_general_and_sent_from_topics() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let general = |needle: &'static str| {
            let h = &h;
            async move { h.topic_until(GENERAL, |m| has(m, needle)).await }
        };
        h.operator.says(&h.forum, "/template").await?;
        general("⛔ /template is for supervisors and admins").await?;
        h.admin.says(&h.forum, "/template").await?;
        general("📄 No templates yet.").await?;

        // As a reply: that one message, with its formatting.
        let hello = h
            .admin
            .send(
                &h.forum,
                json!({"text": "Hello! We answer within the hour.",
                       "entities": [{"type": "bold", "offset": 0, "length": 6}]}),
            )
            .await?;
        let id = hello["message_id"].as_i64().unwrap_or_default();
        h.admin
            .send(
                &h.forum,
                json!({"text": "/template new hello", "reply_to": id}),
            )
            .await?;
        general("📄 Template hello saved (one message). In a customer's topic: /send hello")
            .await?;
        h.admin
            .send(
                &h.forum,
                json!({"text": "/template new HELLO", "reply_to": id}),
            )
            .await?;
        general("❌ There is already a template named HELLO.").await?;
        h.admin.says(&h.forum, "/template new 9lives").await?;
        general("“9lives” cannot be a template name").await?;
        let poll = h
            .admin
            .send(
                &h.forum,
                json!({"poll": {"question": "Q?", "options": ["a", "b"]}}),
            )
            .await?;
        h.admin
            .send(
                &h.forum,
                json!({"text": "/template new vote", "reply_to": poll["message_id"]}),
            )
            .await?;
        general("❌ This message cannot be part of a template").await?;

        // Recorded: the next messages, an album included, until /template save.
        h.admin.says(&h.forum, "/template save").await?;
        general("❔ You are not recording a template.").await?;
        h.admin.says(&h.forum, "/template new promo").await?;
        general("⏺ Recording template promo").await?;
        h.admin.says(&h.forum, "/template save").await?;
        general("❔ Nothing recorded yet").await?;
        h.admin.says(&h.forum, "Our spring offer:").await?;
        h.admin
            .send(
                &h.forum,
                json!({"album": [{"type": "photo", "caption": "one"}, {"type": "photo"}]}),
            )
            .await?;
        // Someone else chatting meanwhile is not part of it.
        h.operator.says(&h.forum, "nice!").await?;
        h.admin.says(&h.forum, "/template save").await?;
        general("📄 Template promo saved (3 messages).").await?;
        h.admin.says(&h.forum, "/template").await?;
        general("📄 Templates: hello (1), promo (3)").await?;

        // Shown in General as it will be sent.
        h.admin.says(&h.forum, "/template promo").await?;
        h.topic_until(GENERAL, |m| {
            m.iter()
                .filter(|x| x["from"]["is_bot"] == true && x.get("photo").is_some())
                .count()
                == 2
        })
        .await?;

        // Sent from a topic: the customer gets the chain; the topic turns 🟨.
        let c = h.customer("Olga").await?;
        let topic = h.topic_of(&c).await?;
        h.operator.says_in(&h.forum, topic, "/send").await?;
        h.topic_until(topic, |m| {
            has(m, "❔ /send NAME sends a saved template to this customer. Templates: hello (1), promo (3)")
        })
        .await?;
        h.operator.says_in(&h.forum, topic, "/send nope").await?;
        h.topic_until(topic, |m| has(m, "❌ There is no template “nope”."))
            .await?;
        h.operator.says_in(&h.forum, topic, "/send Promo").await?;
        let got = h
            .customer_until(&c, |m| {
                m.iter().filter(|x| x.get("photo").is_some()).count() == 2
            })
            .await?;
        assert!(has(&got, "Our spring offer:"), "{db:?}");
        let album: Vec<&Value> = got.iter().filter(|x| x.get("photo").is_some()).collect();
        assert_eq!(album[0]["media_group_id"], album[1]["media_group_id"]);
        assert_eq!(album[0]["caption"], "one");
        h.topic_until(topic, |m| {
            m.iter().any(|x| {
                x["forum_topic_edited"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("🟨"))
            })
        })
        .await?;

        // A tag that sends a template: giving it to a topic sends the template.
        h.admin.says(&h.forum, "/mark new onboard").await?;
        general("🏷 Tag onboard created.").await?;
        h.admin.says(&h.forum, "/mark onboard sends nope").await?;
        general("❌ There is no template “nope”.").await?;
        h.admin.says(&h.forum, "/mark onboard sends hello").await?;
        general("🏷 Giving a topic onboard now sends the customer the template hello.").await?;
        h.admin.says(&h.forum, "/mark onboard").await?;
        general("Sends the template: hello").await?;
        h.operator.says_in(&h.forum, topic, "/mark onboard").await?;
        let got = h
            .customer_until(&c, |m| has(m, "Hello! We answer within the hour."))
            .await?;
        let hello = got
            .iter()
            .find(|x| x["text"] == "Hello! We answer within the hour.")
            .cloned()
            .unwrap_or_default();
        assert_eq!(hello["entities"][0]["type"], "bold", "{hello:#}");

        // Renamed and deleted; the tag then sends nothing.
        h.admin
            .says(&h.forum, "/template hello name welcome")
            .await?;
        general("📄 The template is now called welcome.").await?;
        h.admin
            .says(&h.forum, "/template welcome name promo")
            .await?;
        general("❌ There is already a template named promo.").await?;
        h.admin.says(&h.forum, "/template del welcome").await?;
        general("🗑 Template welcome deleted.").await?;
        h.admin.says(&h.forum, "/template").await?;
        general("📄 Templates: promo (3)").await?;

        // Observers may not send templates.
        h.role(&h.operator, Some("observer")).await?;
        h.operator.says_in(&h.forum, topic, "/send promo").await?;
        h.topic_until(topic, |m| has(m, "👁 You are an observer here"))
            .await?;
    }
    Ok(())
}
