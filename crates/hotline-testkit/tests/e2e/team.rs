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

        // An anonymous admin (posting as the group) cannot be attributed: refused, said so.
        let ghost = h.world.user("Ghost").await?;
        h.forum
            .add_admin(
                ghost.id,
                serde_json::json!({ "is_anonymous": true, "can_manage_topics": true }),
            )
            .await?;
        ghost
            .send(
                &h.forum,
                serde_json::json!({ "text": "/mark", "as_chat": true }),
            )
            .await?;
        h.topic_until(GENERAL, |m| has(m, "🕶 You are posting anonymously"))
            .await?;

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
        // A name as long as a message: the answer repeats only its start.
        let long = format!("/mark new {}", "x".repeat(4_000));
        h.admin.says(&h.forum, &long).await?;
        general("“xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…” cannot be a tag name").await?;
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

/// The text of one part of an XLSX (a zip of XML parts).
fn xlsx_part(bytes: &[u8], name: &str) -> anyhow::Result<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut part = zip.by_name(name)?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut part, &mut text)?;
    Ok(text)
}

#[tokio::test]
async fn export_posts_the_customers_as_csv_and_xlsx_in_general() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let general = |needle: &'static str| {
            let h = &h;
            async move { h.topic_until(GENERAL, |m| has(m, needle)).await }
        };
        let ana = h.customer("Ana").await?;
        let topic = h.topic_of(&ana).await?;
        let evil = h.customer("=HYPERLINK(\"http://x\")").await?;
        h.topic_of(&evil).await?;
        h.admin.says(&h.forum, "/mark new vip").await?;
        general("🏷 Tag vip created.").await?;
        h.operator.says_in(&h.forum, topic, "/mark vip").await?;
        h.topic_until(topic, |m| has(m, "🏷 vip added.")).await?;

        // Export is for supervisors and admins, in General.
        h.operator.says(&h.forum, "/export").await?;
        general("⛔ /export is for supervisors and admins").await?;
        h.operator.says_in(&h.forum, topic, "/export").await?;
        h.topic_until(topic, |m| has(m, "↪️ /export works in General"))
            .await?;
        h.admin.says(&h.forum, "/export nope").await?;
        general("There is no tag “nope”. Tags: vip").await?;

        let asked = h.admin.says(&h.forum, "/export").await?;
        h.topic_until(GENERAL, |m| {
            m.iter().filter(|m| m.get("document").is_some()).count() >= 2
        })
        .await?;
        let docs = h.documents_in_general().await?;
        let csv = docs
            .iter()
            .find(|d| d["document"]["mime_type"] == "text/csv")
            .cloned()
            .unwrap_or_default();
        let xlsx = docs
            .iter()
            .find(|d| {
                d["document"]["file_name"]
                    .as_str()
                    .is_some_and(|n| n.ends_with(".xlsx"))
            })
            .cloned()
            .unwrap_or_default();
        assert_eq!(csv["caption"], "📤 Customers: 2", "{db:?}: {csv:#}");
        assert_eq!(
            csv["reply_to_message"]["message_id"], asked["message_id"],
            "{csv:#}"
        );
        assert!(
            csv["document"]["file_name"]
                .as_str()
                .is_some_and(|n| n.starts_with("customers-") && n.ends_with(".csv")),
            "{csv:#}"
        );
        let bytes = h.download(&csv).await?;
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "a byte order mark first"
        );
        let text = String::from_utf8(bytes)?;
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines.first().copied(),
            Some(
                "ID,First name,Last name,Username,Language,Phone,First contact,Last contact,Tags,Dialogs,Status"
            ),
            "{text}"
        );
        assert_eq!(lines.len(), 3, "{text}");
        let ana_line = lines
            .iter()
            .find(|l| l.starts_with(&format!("{},Ana,", ana.id)))
            .copied()
            .unwrap_or_default();
        assert!(
            ana_line.contains(",vip,1,waiting for the team"),
            "{ana_line}"
        );
        // A name that looks like a formula stays text.
        assert!(
            text.contains(&format!("{},\"'=HYPERLINK(\"\"http://x\"\")\"", evil.id)),
            "{text}"
        );

        let book = h.download(&xlsx).await?;
        assert!(book.starts_with(b"PK\x03\x04"), "an XLSX is a zip");
        let strings = xlsx_part(&book, "xl/sharedStrings.xml")?;
        assert!(
            strings.contains("Ana") && strings.contains("=HYPERLINK"),
            "{strings}"
        );
        let sheet = xlsx_part(&book, "xl/worksheets/sheet1.xml")?;
        assert!(!sheet.contains("<f>"), "no formula cell: {sheet}");

        // Only those with a tag.
        h.admin.says(&h.forum, "/export VIP").await?;
        general("📤 Customers with vip: 1").await?;
        h.settle().await?;
        assert_eq!(h.documents_in_general().await?.len(), 4, "{db:?}");
        // While customer data is hidden from the team, nothing is posted for all to see.
        h.plan("paid").await?;
        h.set("HIDE_INFO", "name").await?;
        h.admin.says(&h.forum, "/export").await?;
        general("🔒 Customer data is hidden in this group (HIDE_INFO)").await?;
        h.settle().await?;
        assert_eq!(h.documents_in_general().await?.len(), 4, "{db:?}");
    }
    Ok(())
}

/// Whether EXTENSIONS_ALLOWED lists `user`, and the role they have.
async fn standing(h: &Helpdesk, user: i64) -> anyhow::Result<(bool, hotline_core::roles::Role)> {
    let cfg = hotline_app::config::ConnConfig::load(&h.store, h.connection).await?;
    let listed = matches!(
        &cfg.stored.extensions_allowed,
        hotline_core::params::Members::Ids(ids) if ids.contains(&hotline_core::UserId(user))
    );
    Ok((listed, cfg.role_of(user)))
}

#[tokio::test]
async fn supervisors_and_extensions_allowed_are_one_list() -> anyhow::Result<()> {
    use hotline_core::roles::Role;
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let op = h.operator.id;
        // Made supervisor as a role: listed, and the modules open to them.
        h.role(&h.operator, Some("supervisor")).await?;
        assert_eq!(standing(&h, op).await?, (true, Role::Supervisor), "{db:?}");
        h.operator.says(&h.forum, "/mark new vip").await?;
        h.topic_until(GENERAL, |m| has(m, "🏷 Tag vip created."))
            .await?;
        // Demoted: no longer listed, the modules closed again.
        h.role(&h.operator, Some("operator")).await?;
        assert_eq!(standing(&h, op).await?, (false, Role::Operator), "{db:?}");
        h.operator.says(&h.forum, "/mark new lead").await?;
        h.topic_until(GENERAL, |m| has(m, "⛔ /mark new is for supervisors"))
            .await?;
        // The other way: listing them in the parameter makes them supervisor (their
        // explicit operator role goes), and a list without them demotes them.
        h.set("EXTENSIONS_ALLOWED", &op.to_string()).await?;
        assert_eq!(standing(&h, op).await?, (true, Role::Supervisor), "{db:?}");
        h.role(&h.operator, Some("supervisor")).await?;
        h.set("EXTENSIONS_ALLOWED", &h.admin.id.to_string()).await?;
        assert_eq!(standing(&h, op).await?, (false, Role::Operator), "{db:?}");
    }
    Ok(())
}

#[tokio::test]
async fn new_opens_a_customers_topic_from_general() -> anyhow::Result<()> {
    for db in Db::all() {
        let h = Helpdesk::start_on(World::start().await?, db, |_| {}).await?;
        let general = |needle: String| {
            let h = &h;
            async move { h.topic_until(GENERAL, |m| has(m, &needle)).await }
        };
        let bot = &h.frontend.username;
        h.operator.says(&h.forum, "/new @nobody_here").await?;
        general(format!(
            "❌ @nobody_here has not started @{bot}: a bot cannot write first"
        ))
        .await?;
        h.operator.says(&h.forum, "/new soon").await?;
        general("❔ /new @username or /new ID".into()).await?;

        let c = h.customer("Lena").await?;
        let topic = h.topic_of(&c).await?;
        let link = format!("https://t.me/c/{}/{topic}", -h.forum.id - 1_000_000_000_000);
        h.operator.says(&h.forum, &format!("/new {}", c.id)).await?;
        general(format!("💬 Lena already has an open topic: {link}")).await?;
        h.operator
            .says(&h.forum, &format!("/new {} i999", c.id))
            .await?;
        general("❌ There is no connection i999 in this group.".into()).await?;

        // Closed: /new opens it again, without a second WELCOME, and the team writes first.
        h.operator.says_in(&h.forum, topic, "/close").await?;
        h.topic_until(topic, |_| true).await?;
        h.settle().await?;
        assert_eq!(h.topic(topic).await?["closed"], true, "{db:?}");
        h.operator
            .says(&h.forum, &format!("/new {} i{}", c.id, h.connection))
            .await?;
        general(format!("🆕 Lena's topic is open again: {link}")).await?;
        h.settle().await?;
        assert_eq!(h.topic(topic).await?["closed"], false, "{db:?}");
        h.operator
            .says_in(&h.forum, topic, "Hi Lena, your order shipped")
            .await?;
        let seen = h
            .customer_until(&c, |m| has(m, "your order shipped"))
            .await?;
        assert_eq!(
            count(&seen, "Please describe your question"),
            1,
            "no second WELCOME on a dialog the team opened: {seen:#?}"
        );

        // Observers may not.
        h.role(&h.operator, Some("observer")).await?;
        h.operator.says(&h.forum, &format!("/new {}", c.id)).await?;
        general("👁 You are an observer here".into()).await?;
    }
    Ok(())
}
