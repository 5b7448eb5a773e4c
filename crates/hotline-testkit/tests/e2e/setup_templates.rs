//! Templates made in the setup bot, as an admin makes them: Templates on the card, send the
//! messages (a photo among them), Save, a name; the team sees the template in General and
//! sends it from a topic (the photo reaches the customer although the setup bot received
//! it); preview, rename, delete; bad names; forged presses naming another connection's
//! template change nothing. On SQLite and PostgreSQL.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use hotline_app::setup::callback::Cb;
use hotline_i18n::{Key, Lang, tr};
use hotline_testkit::World;
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::Db;
use hotline_testkit::instance::{Instance, text};

fn has(msgs: &[Value], needle: &str) -> bool {
    texts(msgs).iter().any(|t| t.contains(needle))
}

fn photos_from(msgs: &[Value], bot: i64) -> usize {
    msgs.iter()
        .filter(|m| m["from"]["id"] == bot && m.get("photo").is_some())
        .count()
}

#[tokio::test]
async fn an_admin_makes_a_template_in_the_setup_bot_and_the_team_sends_it() -> Result<()> {
    for db in Db::all() {
        story(db).await?;
    }
    Ok(())
}

async fn story(db: Db) -> Result<()> {
    let world = World::start().await?;
    let admin = world
        .user_with(json!({"first_name": "Anna", "username": "anna_admin", "language_code": "en"}))
        .await?;
    let other = world
        .user_with(json!({"first_name": "Otto", "language_code": "en"}))
        .await?;
    let forum = world.forum("Acme Support", &admin).await?;
    let forum2 = world.forum("Other Team", &other).await?;
    let frontend = world.bot("acme_support_bot").await?;
    let frontend2 = world.bot("other_support_bot").await?;
    let inst = Instance::start_on(world.clone(), db, |_| {}).await?;
    let id = inst.connect(&frontend, &forum, &admin, "paid").await?;
    let id2 = inst.connect(&frontend2, &forum2, &other, "paid").await?;
    let customer = world.user("Carla").await?;
    customer.start(&frontend).await?;
    customer.says(&frontend, "hi, what do you charge?").await?;
    let seen = world
        .until(admin.id, forum.id, None, |m| has(m, "what do you charge"))
        .await?;
    let topic = seen
        .iter()
        .find(|m| text(m).contains("what do you charge"))
        .and_then(|m| m["message_thread_id"].as_i64())
        .context("the customer's topic")?;

    // Card → Templates: none yet.
    let chat = inst.chat(&admin);
    let main = chat.start().await?;
    let (_, card) = chat.press(&main, &Cb::Card(id.0).encode()).await?;
    let (_, list) = chat.press(&card, &Cb::Templates(id.0).encode()).await?;
    assert!(
        text(&list).starts_with("📄 @acme_support_bot → Acme Support has no templates yet."),
        "{}",
        text(&list)
    );
    // Save before any message: an alert, nothing else.
    let (_, rec) = chat.press(&list, &Cb::TemplateNew(id.0).encode()).await?;
    assert!(
        text(&rec).starts_with("📝 Send me the messages"),
        "{}",
        text(&rec)
    );
    let (alert, _) = chat.press(&rec, &Cb::TemplateSave(id.0).encode()).await?;
    assert_eq!(alert, Some(tr(Lang::En, Key::SetupTemplateEmpty)));

    // Two messages: a formatted text and a photo with a caption. A poll is refused.
    let got = chat
        .send(json!({"text": "Our prices for spring:",
                     "entities": [{"type": "bold", "offset": 4, "length": 6}]}))
        .await?;
    assert!(
        text(&got).starts_with("📝 One message so far."),
        "{}",
        text(&got)
    );
    let poll = chat
        .send(json!({"poll": {"question": "Q?", "options": ["a", "b"]}}))
        .await?;
    assert!(
        text(&poll).starts_with("❌ This message cannot be part of a template"),
        "{}",
        text(&poll)
    );
    let got = chat
        .send(json!({"media": {"type": "photo", "caption": "Price list"}}))
        .await?;
    assert!(
        text(&got).starts_with("📝 2 messages so far."),
        "{}",
        text(&got)
    );
    let (_, ask) = chat.press(&got, &Cb::TemplateSave(id.0).encode()).await?;
    assert!(text(&ask).starts_with("📝 What should the template be called?"));
    let bad = chat.say("9 lives").await?;
    assert!(
        text(&bad).starts_with("❌ “9 lives” cannot be a template name"),
        "{}",
        text(&bad)
    );
    let saved = chat.say("prices").await?;
    assert!(
        text(&saved).starts_with("📄 Template prices saved (2 messages)."),
        "{}",
        text(&saved)
    );
    assert!(text(&saved).contains("Templates of @acme_support_bot → Acme Support: prices (2)"));

    // The team sees it in General: the frontend bot posted the text, the photo and a line.
    let bot = frontend.id;
    world
        .until(admin.id, forum.id, None, |m| {
            photos_from(m, bot) == 1 && has(m, "📄 Template prices saved (2 messages).")
        })
        .await?;

    // Sent from the topic: the customer gets the text and the photo.
    admin.says_in(&forum, topic, "/send prices").await?;
    let got = world
        .until(customer.id, frontend.id, None, |m| photos_from(m, bot) == 1)
        .await?;
    assert!(has(&got, "Our prices for spring:"));
    assert!(has(&got, "Price list"));
    let t = inst
        .store
        .templates()
        .by_name(id, "prices")
        .await?
        .context("stored")?;

    // Preview: the chain in the admin's chat with the setup bot, then its screen again.
    let (_, one) = chat
        .press(&saved, &Cb::Template(id.0, t.id).encode())
        .await?;
    assert!(
        text(&one).starts_with("📄 Template prices: 2 messages."),
        "{}",
        text(&one)
    );
    let before = chat.seen().await?;
    chat.press(&one, &Cb::TemplatePreview(id.0, t.id).encode())
        .await?;
    let setup = inst.setup.id;
    let shown = world
        .until(admin.id, setup, None, |m| {
            m.len() > before && photos_from(&m[before..], setup) == 1
        })
        .await?;
    assert!(has(&shown[before..], "Our prices for spring:"));

    // Someone else's connection: their forged presses naming this template change nothing.
    let chat2 = inst.chat(&other);
    let main2 = chat2.start().await?;
    for cb in [
        Cb::Template(id2.0, t.id),
        Cb::TemplatePreview(id2.0, t.id),
        Cb::TemplateRename(id2.0, t.id),
        Cb::TemplateDelete(id2.0, t.id),
        Cb::TemplateDeleteYes(id2.0, t.id),
    ] {
        let (alert, _) = chat2.forge(&main2, &cb.encode()).await?;
        assert_eq!(alert, Some(tr(Lang::En, Key::SetupTemplateGone)), "{cb:?}");
    }
    let (alert, _) = chat2
        .forge(&main2, &Cb::TemplateDeleteYes(id.0, t.id).encode())
        .await?;
    assert_eq!(alert, Some(tr(Lang::En, Key::SetupNotYours)));
    assert!(inst.store.templates().get(id, t.id).await?.is_some());

    // Rename (a bad name first), then delete.
    let screen = chat.next(before).await?;
    let (_, ask) = chat
        .press(&screen, &Cb::TemplateRename(id.0, t.id).encode())
        .await?;
    assert!(text(&ask).starts_with("✏️ What should prices be called"));
    let bad = chat.say("new").await?;
    assert!(
        text(&bad).starts_with("❌ “new” cannot be a template name"),
        "{}",
        text(&bad)
    );
    let renamed = chat.say("spring").await?;
    assert!(
        text(&renamed).starts_with("📄 The template is now called spring."),
        "{}",
        text(&renamed)
    );
    let (_, confirm) = chat
        .press(&renamed, &Cb::TemplateDelete(id.0, t.id).encode())
        .await?;
    assert!(text(&confirm).starts_with("🗑 Delete the template spring?"));
    let (_, gone) = chat
        .press(&confirm, &Cb::TemplateDeleteYes(id.0, t.id).encode())
        .await?;
    assert!(
        text(&gone).starts_with("🗑 Template spring deleted."),
        "{}",
        text(&gone)
    );
    assert!(inst.store.templates().get(id, t.id).await?.is_none());
    Ok(())
}
