//! The team's own commands, end to end: commands in General answered there (and where the
//! others work), and tags — set up in General, given to topics, shown in titles and on the
//! card, with funnels — refused by role and for bad input, on SQLite and PostgreSQL.

use hotline_testkit::World;
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::{Db, Helpdesk};
use serde_json::Value;

fn has(msgs: &[Value], needle: &str) -> bool {
    texts(msgs).iter().any(|t| t.contains(needle))
}

fn count(msgs: &[Value], needle: &str) -> usize {
    texts(msgs).iter().filter(|t| t.contains(needle)).count()
}

fn renamed_to(msgs: &[Value], name: &str) -> bool {
    msgs.iter().any(|m| m["forum_topic_edited"]["name"] == name)
}

/// General, as the operator sees it.
const GENERAL: i64 = 0;

#[tokio::test]
async fn commands_in_general_are_answered_there() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let op_help = h.operator.says(&h.forum, "/help").await?;
        let seen = h
            .topic_until(GENERAL, |m| {
                has(m, "Team commands in General — your role: operator")
            })
            .await?;
        // The answer is a reply to the command, in General.
        let answer = seen
            .iter()
            .find(|m| {
                texts(std::slice::from_ref(m))
                    .iter()
                    .any(|t| t.contains("your role: operator"))
            })
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            answer["reply_to_message"]["message_id"], op_help["message_id"],
            "{db:?}: {answer:#}"
        );
        assert!(answer.get("message_thread_id").is_none(), "{answer:#}");
        let help = texts(std::slice::from_ref(&answer)).join("\n");
        assert!(help.contains("/help — this list"), "{help}");
        assert!(help.contains("/mark NAME — one tag"), "{help}");
        assert!(
            !help.contains("/mark new"),
            "operators do not set tags up: {help}"
        );

        h.admin
            .says(&h.forum, &format!("/help@{}", h.frontend.username))
            .await?;
        h.topic_until(GENERAL, |m| has(m, "/mark new NAME — create a tag"))
            .await?;

        h.operator.says(&h.forum, "/close").await?;
        h.topic_until(GENERAL, |m| {
            has(m, "↪️ /close works in a customer's topic, not in General.")
        })
        .await?;
        h.operator.says(&h.forum, "/stats").await?;
        h.topic_until(GENERAL, |m| has(m, "❔ Unknown command /stats."))
            .await?;

        // Another bot's command, and plain chat in General: no answer.
        h.operator.says(&h.forum, "/help@SomeOtherBot").await?;
        h.operator.says(&h.forum, "lunch at one?").await?;
        h.settle().await?;
        let general = h.operator.sees_topic(&h.forum, GENERAL).await?;
        assert_eq!(count(&general, "Team commands in General"), 2, "{db:?}");

        // An observer's commands are refused, in General too.
        h.role(&h.operator, Some("observer")).await?;
        h.operator.says(&h.forum, "/mark").await?;
        h.topic_until(GENERAL, |m| has(m, "👁 You are an observer here"))
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn tags_are_set_up_in_general_and_given_to_topics() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let general = |needle: &'static str| {
            let h = &h;
            async move { h.topic_until(GENERAL, |m| has(m, needle)).await }
        };
        // Setting tags up is for supervisors and admins.
        h.operator.says(&h.forum, "/mark new vip").await?;
        general("⛔ /mark new is for supervisors and admins").await?;
        h.operator.says(&h.forum, "/mark").await?;
        general("🏷 No tags yet.").await?;

        h.admin.says(&h.forum, "/mark new 2fa").await?;
        general("“2fa” cannot be a tag name").await?;
        h.admin.says(&h.forum, "/mark new").await?;
        general("❔ /mark can be used as").await?;
        h.admin.says(&h.forum, "/mark new clear").await?;
        general("“clear” is a word /mark uses itself").await?;
        for name in ["vip", "lead", "won"] {
            h.admin.says(&h.forum, &format!("/mark new {name}")).await?;
        }
        general("🏷 Tag won created.").await?;
        h.admin.says(&h.forum, "/mark new VIP").await?;
        general("❌ There is already a tag VIP.").await?;
        h.admin.says(&h.forum, "/mark vip ticker [x]").await?;
        general("A ticker is a short text or an emoji").await?;
        h.admin.says(&h.forum, "/mark vip ticker ⭐").await?;
        general("now show [⭐] at the end of their titles").await?;
        h.admin.says(&h.forum, "/mark won after lead, nope").await?;
        general("There is no tag “nope”. Tags: lead, vip, won").await?;
        h.admin.says(&h.forum, "/mark won after lead").await?;
        general("Giving a topic won now takes lead from it.").await?;

        // In a topic: operators give and take tags; the ticker shows in the title.
        let c = h.customer("Nina").await?;
        let topic = h.topic_of(&c).await?;
        h.operator.says_in(&h.forum, topic, "/mark").await?;
        h.topic_until(topic, |m| has(m, "This topic has no tags."))
            .await?;
        h.operator.says_in(&h.forum, topic, "/mark VIP").await?;
        h.topic_until(topic, |m| has(m, "🏷 vip added.")).await?;
        h.topic_until(topic, |m| renamed_to(m, "🟪 Nina [⭐]"))
            .await?;
        h.operator.says_in(&h.forum, topic, "/mark lead").await?;
        h.topic_until(topic, |m| has(m, "🏷 lead added.")).await?;
        h.operator.says_in(&h.forum, topic, "/mark won").await?;
        h.topic_until(topic, |m| has(m, "🏷 won added; lead removed."))
            .await?;
        h.operator.says_in(&h.forum, topic, "/mark won").await?;
        h.topic_until(topic, |m| has(m, "This topic already has won."))
            .await?;
        h.operator.says_in(&h.forum, topic, "/mark").await?;
        h.topic_until(topic, |m| has(m, "This topic's tags: vip [⭐], won"))
            .await?;
        h.operator.says_in(&h.forum, topic, "/info").await?;
        h.topic_until(topic, |m| has(m, "Tags: vip [⭐], won"))
            .await?;
        h.operator.says_in(&h.forum, topic, "/mark nope").await?;
        h.topic_until(topic, |m| has(m, "There is no tag “nope”."))
            .await?;
        h.operator
            .says_in(&h.forum, topic, "/mark new gold")
            .await?;
        h.topic_until(topic, |m| {
            has(
                m,
                "↪️ /mark new works in General, not in a customer's topic.",
            )
        })
        .await?;

        // General counts them; deleting one takes it (and its ticker) from every topic.
        h.operator.says(&h.forum, "/mark").await?;
        general("vip [⭐] — 1 topic").await?;
        h.operator.says(&h.forum, "/mark vip").await?;
        general("Latest topics: Nina").await?;
        h.admin.says(&h.forum, "/mark del vip").await?;
        general("🗑 Tag vip deleted. 1 topic had it.").await?;
        h.topic_until(topic, |m| renamed_to(m, "🟪 Nina")).await?;
        h.operator.says_in(&h.forum, topic, "/mark").await?;
        h.topic_until(topic, |m| has(m, "This topic's tags: won"))
            .await?;
        h.operator.says_in(&h.forum, topic, "/mark del won").await?;
        h.topic_until(topic, |m| has(m, "🏷 won removed.")).await?;
        h.settle().await?;
        // Nothing of this reached the customer.
        let seen = h.customer_until(&c, |m| !m.is_empty()).await?;
        assert!(!has(&seen, "/mark") && !has(&seen, "🏷"), "{seen:#?}");
        // Titles are only renamed when they change: "🟪 Nina [⭐]" once, "🟪 Nina" once.
        let shown = h.operator.sees_topic(&h.forum, topic).await?;
        let renames: Vec<&Value> = shown
            .iter()
            .filter(|m| m.get("forum_topic_edited").is_some())
            .collect();
        assert_eq!(renames.len(), 2, "{db:?}: {renames:#?}");
    }
    Ok(())
}
