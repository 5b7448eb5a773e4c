//! Connecting a Telegram Business account in the setup bot, as an admin would through
//! tgsim: a bot without Business Mode is refused with the way out, the account connects the
//! bot in Telegram (a non-Premium account cannot; a stranger's connection does not count),
//! the group links, customers write to the account and the team answers as it; rights
//! changes and a disconnect reach the admin and the card.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::Db;
use hotline_testkit::instance::{Instance, text};
use hotline_testkit::{Group, World};

const EVERYONE: &str =
    r#"{"existing_chats": true, "new_chats": true, "contacts": true, "non_contacts": true}"#;

fn everyone() -> Result<Value> {
    Ok(serde_json::from_str(EVERYONE)?)
}

#[tokio::test]
async fn an_admin_connects_their_business_account_and_the_team_answers_as_it() -> Result<()> {
    for db in Db::all() {
        story(db).await.with_context(|| format!("{db:?}"))?;
    }
    Ok(())
}

async fn story(db: Db) -> Result<()> {
    let world = World::start().await?;
    let anna = world
        .user_with(json!({"first_name": "Anna", "last_name": "Berg", "username": "anna_shop", "language_code": "es", "is_premium": true}))
        .await?;
    let plain = world.bot("plain_helper_bot").await?;
    let frontend = world
        .bot_with(json!({"username": "anna_shop_bot", "business": true}))
        .await?;
    let forum = world.forum("Tienda de Anna", &anna).await?;
    let inst = Instance::start_on(world.clone(), db, |_| {}).await?;
    let chat = inst.chat(&anna);
    let es = |k| tr(Lang::Es, k);

    // Connect account → Telegram Business: the steps, in the admin's language.
    let main = chat.start().await?;
    let (_, m) = chat.press(&main, "new").await?;
    let (_, m) = chat.press(&m, "new:account").await?;
    assert_eq!(text(&m), es(Key::SetupAccountKinds));
    let (_, m) = chat.press(&m, "new:business").await?;
    assert_eq!(text(&m), es(Key::SetupBusinessAskToken));

    // A bot without Business Mode: refused, with where to turn it on; the token is gone
    // from the chat either way.
    let m = chat.say(&plain.token).await?;
    assert!(
        text(&m).starts_with(&tr_args(
            Lang::Es,
            Key::SetupBusinessModeOff,
            &Args::new().str("bot", "plain_helper_bot")
        )),
        "{}",
        text(&m)
    );
    let m = chat.say(&frontend.token).await?;
    assert!(
        text(&m).contains(&tr_args(
            Lang::Es,
            Key::SetupBusinessConnect,
            &Args::new().str("bot", "anna_shop_bot")
        )),
        "{}",
        text(&m)
    );
    let history = texts(&anna.sees(&inst.setup).await?);
    assert!(!history.contains(&frontend.token) && !history.contains(&plain.token));

    // Anna adds the bot to her forum before connecting it: the group waits.
    let before = chat.seen().await?;
    anna.adds_bot(&forum, &frontend, Some(Group::helpdesk_rights()))
        .await?;
    let m = chat.next(before).await?;
    assert_eq!(
        text(&m),
        tr_args(
            Lang::Es,
            Key::SetupBusinessFirst,
            &Args::new().str("bot", "anna_shop_bot")
        )
    );

    // Telegram refuses an account without Premium; a stranger's account connecting the same
    // bot is not this setup.
    let bob = world.user_with(json!({"first_name": "Bob"})).await?;
    assert!(
        bob.connects_business(&frontend, everyone()?, &["can_reply"])
            .await
            .is_err(),
        "no Premium, no chatbot"
    );
    let mallory = world
        .user_with(json!({"first_name": "Mallory", "is_premium": true}))
        .await?;
    mallory
        .connects_business(&frontend, everyone()?, &["can_reply"])
        .await?;
    assert!(inst.store.connections().all().await?.is_empty());

    // Anna connects it: the setup bot says so with the rights, checks the waiting group
    // and shows the card with the account.
    let before = chat.seen().await?;
    anna.connects_business(
        &frontend,
        everyone()?,
        &["can_reply", "can_read_messages", "can_delete_sent_messages"],
    )
    .await?;
    let card = chat_until(&chat, before, |t| {
        t.contains("Anna Berg (Telegram Business)")
    })
    .await?;
    let ready = tr_args(
        Lang::Es,
        Key::SetupBusinessReady,
        &Args::new()
            .str("account", "Anna Berg")
            .str("group", "Tienda de Anna")
            .str("bot", "anna_shop_bot"),
    );
    assert!(text(&card).starts_with(&ready), "{}", text(&card));
    let conns = inst.store.connections().all().await?;
    assert_eq!(conns.len(), 1);
    assert_eq!(conns[0].kind, "business");
    let stored: Value = serde_json::from_str(conns[0].business.as_deref().unwrap_or("{}"))?;
    assert_eq!(
        stored["user"]["id"], anna.id,
        "Anna's connection, not Mallory's"
    );
    let rights = hotline_app::notices::business_rights(
        Lang::Es,
        hotline_telegram::business::Rights {
            reply: true,
            read_messages: true,
            delete_sent_messages: true,
            delete_all_messages: false,
        },
    );
    assert!(text(&card).contains(&rights), "{}", text(&card));

    // A customer writes to Anna's account: a topic opens; the team's answer comes from Anna.
    let carla = world
        .user_with(json!({"first_name": "Carla", "language_code": "es"}))
        .await?;
    carla.says(&anna, "¿Tenéis envío a Valencia?").await?;
    world
        .until(anna.id, forum.id, None, |ms| {
            texts(ms).iter().any(|t| t == "¿Tenéis envío a Valencia?")
        })
        .await?;
    let victim = world.user("Victor").await?;
    victim.says(&mallory, "to mallory").await?;
    let topic = world
        .until(anna.id, forum.id, None, |ms| {
            ms.iter().any(|m| m["text"] == "¿Tenéis envío a Valencia?")
        })
        .await?
        .into_iter()
        .find(|m| m["text"] == "¿Tenéis envío a Valencia?")
        .and_then(|m| m["message_thread_id"].as_i64())
        .context("a topic")?;
    anna.says_in(&forum, topic, "Sí, en 48 horas").await?;
    world
        .until(carla.id, anna.id, None, |ms| {
            ms.iter().any(|m| {
                m["text"] == "Sí, en 48 horas" && m["sender_business_bot"]["id"] == frontend.id
            })
        })
        .await?;
    let forum_texts = texts(&world.until(anna.id, forum.id, None, |_| true).await?);
    assert!(
        !forum_texts.iter().any(|t| t == "to mallory"),
        "a stranger's business chat never reaches the team: {forum_texts:?}"
    );

    // Anna takes "reply" away in Telegram: she hears it from the setup bot, and the card
    // says so.
    let before = chat.seen().await?;
    anna.connects_business(&frontend, everyone()?, &["can_read_messages"])
        .await?;
    let without = hotline_app::notices::business_rights(
        Lang::Es,
        hotline_telegram::business::Rights {
            read_messages: true,
            ..Default::default()
        },
    );
    chat_until(&chat, before, |t| t.contains(&without)).await?;
    let id = conns[0].id.0;
    let (_, home) = chat.press(&card, "main").await?;
    let (_, card) = chat.press(&home, &format!("c:{id}")).await?;
    assert!(text(&card).contains(&without), "{}", text(&card));

    // She disconnects the bot: told, and the card shows it.
    let before = chat.seen().await?;
    anna.disconnects_business().await?;
    chat_until(&chat, before, |t| t.contains("⚠️ Anna Berg")).await?;
    let (_, home) = chat.press(&card, "main").await?;
    let (_, card) = chat.press(&home, &format!("c:{id}")).await?;
    let off = tr_args(
        Lang::Es,
        Key::SetupCardBusinessOff,
        &Args::new().str("account", "Anna Berg"),
    );
    assert!(text(&card).contains(&off), "{}", text(&card));
    Ok(())
}

/// Waits for a message from the setup bot after the first `before` whose text satisfies
/// `done`.
async fn chat_until(
    chat: &hotline_testkit::instance::SetupChat<'_>,
    before: usize,
    done: impl Fn(&str) -> bool,
) -> Result<Value> {
    let mut seen = before;
    loop {
        let m = chat.next(seen).await?;
        if done(text(&m)) {
            return Ok(m);
        }
        seen += 1;
    }
}
