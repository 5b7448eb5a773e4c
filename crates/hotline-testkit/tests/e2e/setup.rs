//! The setup bot, driven as an admin would through tgsim: connecting a bot, linking its
//! group through the chat picker or the deep link, parameters, roles, plans, and every
//! wrong input on the way.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use hotline_app::config::ConnConfig;
use hotline_core::params::{ParamName, Params};
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_testkit::check::texts;
use hotline_testkit::helpdesk::Db;
use hotline_testkit::instance::{Instance, SetupChat, button, text};
use hotline_testkit::{Bot, Group, Person, World};

fn de(key: Key) -> String {
    tr(Lang::De, key)
}

/// The `start=` payload of the "Pick the group" button.
fn link_code(m: &Value, lang: Lang) -> Result<String> {
    let url = button(m, &tr(lang, Key::ButtonPickGroup))?;
    Ok(url
        .split("?start=")
        .nth(1)
        .context("no start payload")?
        .to_string())
}

/// Presses Start in the frontend bot with the link code; returns the picker message.
async fn open_picker(world: &World, admin: &Person, frontend: &Bot, code: &str) -> Result<Value> {
    admin.start_with(frontend, code).await?;
    let bot = frontend.id;
    let seen = world
        .until(admin.id, frontend.id, None, |ms| {
            ms.iter()
                .any(|m| m["from"]["id"] == bot && m["reply_keyboard"]["keyboard"].is_array())
        })
        .await?;
    seen.into_iter()
        .rev()
        .find(|m| m["reply_keyboard"]["keyboard"].is_array())
        .context("no picker")
}

/// Shares `forum` through the frontend bot's picker; returns the setup bot's answer.
async fn share_group(
    chat: &SetupChat<'_>,
    admin: &Person,
    frontend: &Bot,
    picker: &Value,
    forum: &Group,
) -> Result<Value> {
    let before = chat.seen().await?;
    admin
        .shares_chat(
            frontend,
            picker["message_id"].as_i64().context("id")?,
            1,
            forum,
        )
        .await?;
    chat.next(before).await
}

/// Waits until the customer's chat with the frontend shows a text containing `needle`.
async fn customer_gets(
    world: &World,
    customer: &Person,
    frontend: &Bot,
    needle: &str,
) -> Result<Vec<String>> {
    let seen = world
        .until(customer.id, frontend.id, None, |ms| {
            texts(ms).iter().any(|t| t.contains(needle))
        })
        .await?;
    Ok(texts(&seen))
}

/// The forum's topic names as tgsim has them.
async fn topic_names(world: &World, forum: &Group) -> Result<Vec<String>> {
    let w = world.control_get("/world").await?;
    Ok(w["chats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["id"] == forum.id)
        .flat_map(|c| c["topics"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t["name"].as_str().map(str::to_string))
        .collect())
}

async fn stored(inst: &Instance, id: hotline_core::ConnectionId) -> Result<Params> {
    Ok(ConnConfig::load(&inst.store, id).await?.stored)
}

/// Connects `frontend` to `forum` for `admin` the way the CLI does (for tests about what
/// comes after).
async fn connected(
    inst: &Instance,
    frontend: &Bot,
    forum: &Group,
    admin: &Person,
) -> Result<hotline_core::ConnectionId> {
    inst.connect(frontend, forum, admin, "free").await
}

/// The story of issue 5: a new admin switches to German, connects a bot by token, shares
/// the forum through the picker, a customer gets the WELCOME in a new topic; the admin
/// changes WELCOME and AUTOCLOSE, is refused AUTOCLOSE=100 on the free plan and gets it
/// once a superadmin grants the paid plan.
#[tokio::test]
async fn a_new_admin_connects_a_bot_in_german_and_a_superadmin_lifts_the_free_plan() -> Result<()> {
    for db in Db::all() {
        story(db).await.with_context(|| format!("{db:?}"))?;
    }
    Ok(())
}

async fn story(db: Db) -> Result<()> {
    let world = World::start().await?;
    let admin = world
        .user_with(json!({"first_name": "Anna", "username": "anna_admin", "language_code": "en"}))
        .await?;
    let root = world
        .user_with(json!({"first_name": "Root", "language_code": "en"}))
        .await?;
    let frontend = world.bot("acme_support_bot").await?;
    let forum = world.forum("Acme Support", &admin).await?;
    let inst = Instance::start_on(world.clone(), db, |s| s.superadmins = vec![root.id]).await?;
    let chat = inst.chat(&admin);

    // English by default (the admin's Telegram language), then German.
    let main = chat.start().await?;
    assert_eq!(
        text(&main),
        tr_args(Lang::En, Key::SetupStart, &Args::new().num("count", 0))
    );
    let (_, m) = chat.press(&main, "lang").await?;
    assert_eq!(text(&m), tr(Lang::En, Key::SetupLanguageChoose));
    let (_, m) = chat.press(&m, "lang:de").await?;
    assert!(
        text(&m).starts_with(&de(Key::SetupLanguageSet)),
        "{}",
        text(&m)
    );
    assert_eq!(button(&m, &de(Key::ButtonNewConnection))?, "new");

    // New connection → bot → token.
    let (_, m) = chat.press(&m, "new").await?;
    assert_eq!(button(&m, &de(Key::ButtonConnectAccount))?, "new:account");
    let (_, account) = chat.press(&m, "new:account").await?;
    assert_eq!(text(&account), de(Key::SetupAccountKinds));
    assert_eq!(
        button(&account, &de(Key::ButtonConnectBusiness))?,
        "new:business"
    );
    let (_, m) = chat.press(&account, "new").await?;
    let (_, m) = chat.press(&m, "new:bot").await?;
    assert_eq!(text(&m), de(Key::SetupAskToken));
    let m = chat.say(&frontend.token).await?;
    assert!(
        text(&m).contains(&tr_args(
            Lang::De,
            Key::SetupLinkGroup,
            &Args::new().str("bot", "acme_support_bot")
        )),
        "{}",
        text(&m)
    );
    assert!(
        !texts(&admin.sees(&inst.setup).await?).contains(&frontend.token),
        "the token was deleted from the chat"
    );
    let deep_link = button(&m, &de(Key::ButtonAddToGroup))?;
    assert!(
        deep_link.starts_with("https://t.me/acme_support_bot?startgroup=link"),
        "{deep_link}"
    );
    assert!(
        deep_link.contains("&admin=manage_topics+delete_messages+pin_messages"),
        "{deep_link}"
    );

    // The picker, from the frontend bot itself; the group is shared with the bot's rights.
    let code = link_code(&m, Lang::De)?;
    let picker = open_picker(&world, &admin, &frontend, &code).await?;
    assert_eq!(text(&picker), de(Key::SetupPickerPrompt));
    let request = &picker["reply_keyboard"]["keyboard"][0][0]["request_chat"];
    assert_eq!(request["chat_is_forum"], true);
    assert_eq!(
        request["bot_administrator_rights"]["can_manage_topics"],
        true
    );
    let card = share_group(&chat, &admin, &frontend, &picker, &forum).await?;
    let connected = tr_args(
        Lang::De,
        Key::SetupConnected,
        &Args::new()
            .str("bot", "acme_support_bot")
            .str("group", "Acme Support"),
    );
    assert!(text(&card).starts_with(&connected), "{}", text(&card));
    let conns = inst.store.connections().all().await?;
    assert_eq!(conns.len(), 1);
    let id = conns[0].id;
    assert_eq!(conns[0].admin_user_id, Some(hotline_core::UserId(admin.id)));
    assert_eq!(
        conns[0].language, "de",
        "the team's language follows the admin's"
    );
    assert!(
        text(&card).contains(&format!("ID: {id}")),
        "{}",
        text(&card)
    );
    let key = inst
        .secrets()?
        .open(conns[0].api_key_enc.as_deref().context("key")?)?;
    assert!(text(&card).contains(&key), "the card shows the API key");
    let done = world
        .until(admin.id, frontend.id, None, |ms| {
            texts(ms).iter().any(|t| t.starts_with("✅"))
        })
        .await?;
    assert!(
        done.last()
            .is_some_and(|m| m["reply_keyboard"]["remove_keyboard"] == true),
        "the picker keyboard was taken away"
    );

    // A customer writes: the topic opens and the WELCOME arrives.
    let carl = world.user("Carl").await?;
    carl.start(&frontend).await?;
    carl.says(&frontend, "Hallo, ich brauche Hilfe").await?;
    customer_gets(&world, &carl, &frontend, "Hello").await?;
    let names = world
        .until(admin.id, forum.id, None, |ms| {
            ms.iter().any(|m| {
                m["forum_topic_created"]["name"]
                    .as_str()
                    .is_some_and(|n| n.contains("Carl"))
            })
        })
        .await;
    assert!(
        names.is_ok(),
        "a topic named after the customer: {:?}",
        topic_names(&world, &forum).await?
    );

    // WELCOME, changed and applied at once (with the free plan's branding line).
    let (_, params) = chat.press(&card, &format!("p:{id}")).await?;
    let (_, welcome) = chat.press(&params, &format!("p:{id}:WELCOME")).await?;
    assert!(
        text(&welcome).contains(&de(Key::ParamWelcome)),
        "{}",
        text(&welcome)
    );
    let m = chat
        .say("Willkommen bei Acme, {title}! Wir melden uns gleich.")
        .await?;
    assert!(
        text(&m).starts_with(&tr_args(
            Lang::De,
            Key::SetupParamChanged,
            &Args::new().str("param", "WELCOME").str(
                "value",
                "Willkommen bei Acme, {title}! Wir melden uns gleich."
            )
        )),
        "{}",
        text(&m)
    );
    let dora = world.user("Dora").await?;
    dora.start(&frontend).await?;
    dora.says(&frontend, "Guten Tag").await?;
    let seen = customer_gets(&world, &dora, &frontend, "Willkommen bei Acme, Dora!").await?;
    assert!(
        seen.iter().any(|t| t.contains("Hotline")),
        "free plan: the branding line: {seen:?}"
    );

    // AUTOCLOSE: 24 is fine, 100 is refused on the free plan.
    let (_, autoclose) = chat.press(&m, &format!("p:{id}:AUTOCLOSE")).await?;
    assert!(
        text(&autoclose).contains("48"),
        "current value: {}",
        text(&autoclose)
    );
    let m = chat.say("24").await?;
    assert!(text(&m).starts_with(&tr_args(
        Lang::De,
        Key::SetupParamChanged,
        &Args::new().str("param", "AUTOCLOSE").str("value", "24")
    )));
    let (_, _) = chat.press(&m, &format!("p:{id}:AUTOCLOSE")).await?;
    let m = chat.say("100").await?;
    assert!(
        text(&m).starts_with(&tr_args(
            Lang::De,
            Key::RefusedAutoclose,
            &Args::new().num("max", 48)
        )),
        "{}",
        text(&m)
    );
    assert_eq!(
        stored(&inst, id).await?.render(ParamName::Autoclose),
        "24",
        "nothing changed"
    );

    // The superadmin grants the paid plan from the setup bot.
    let root_chat = inst.chat(&root);
    let main = root_chat.start().await?;
    let (_, all) = root_chat.press(&main, "all").await?;
    assert!(text(&all).starts_with(&tr_args(
        Lang::En,
        Key::SetupAll,
        &Args::new().num("count", 1)
    )));
    let (_, rcard) = root_chat.press(&all, &format!("c:{id}")).await?;
    assert_eq!(
        button(&rcard, &tr(Lang::En, Key::ButtonGrantPaid))?,
        format!("plan:{id}:paid")
    );
    let (alert, rcard) = root_chat.press(&rcard, &format!("plan:{id}:paid")).await?;
    assert_eq!(alert, None);
    assert!(text(&rcard).starts_with("✅"), "{}", text(&rcard));
    assert_eq!(
        inst.store
            .connections()
            .get(id)
            .await?
            .context("conn")?
            .plan,
        "paid"
    );
    // Plans are not the admin's to grant: the admin's card has no such button.
    assert!(button(&card, &de(Key::ButtonGrantPaid)).is_err());

    // Now AUTOCLOSE=100 is accepted (the admin is still editing AUTOCLOSE).
    let m = chat.say("100").await?;
    assert!(
        text(&m).starts_with(&tr_args(
            Lang::De,
            Key::SetupParamChanged,
            &Args::new().str("param", "AUTOCLOSE").str("value", "100")
        )),
        "{}",
        text(&m)
    );
    assert_eq!(stored(&inst, id).await?.render(ParamName::Autoclose), "100");
    Ok(())
}

/// Every wrong input on the way gets a localized answer and changes nothing.
#[tokio::test]
async fn wrong_inputs_get_clear_answers_and_change_nothing() -> Result<()> {
    let world = World::start().await?;
    let admin = world
        .user_with(json!({"first_name": "Anna", "username": "anna_admin", "language_code": "es"}))
        .await?;
    let oleg = world
        .user_with(json!({"first_name": "Oleg", "username": "oleg_ops", "language_code": "ru"}))
        .await?;
    let forum = world.forum("Acme Support", &admin).await?;
    forum.add_member(&oleg).await?;
    let plain = world.supergroup("Just a group", &admin).await?;
    let connected_bot = world.bot("acme_support_bot").await?;
    let revoked = world.bot("old_support_bot").await?;
    let fresh = world.bot("new_support_bot").await?;
    let inst = Instance::start_on(world.clone(), Db::Sqlite, |_| {}).await?;
    let id = connected(&inst, &connected_bot, &forum, &admin).await?;
    let es = |k: Key| tr(Lang::Es, k);
    let chat = inst.chat(&admin);
    let main = chat.start().await?;
    assert!(
        text(&main).starts_with(&tr_args(
            Lang::Es,
            Key::SetupStart,
            &Args::new().num("count", 1)
        )),
        "Spanish from language_code"
    );

    // Tokens: malformed, revoked, already connected.
    let (_, m) = chat.press(&main, "new").await?;
    let (_, m) = chat.press(&m, "new:bot").await?;
    assert_eq!(text(&m), es(Key::SetupAskToken));
    for (sent, expected) in [
        ("hello".to_string(), es(Key::SetupTokenFormat)),
        (inst.setup.token.clone(), es(Key::SetupTokenOwn)),
        (revoked.token.clone(), es(Key::SetupTokenRejected)),
        (
            connected_bot.token.clone(),
            tr_args(
                Lang::Es,
                Key::SetupTokenTaken,
                &Args::new()
                    .str("bot", "acme_support_bot")
                    .str("id", id.to_string()),
            ),
        ),
    ] {
        if sent == revoked.token {
            world
                .control_post(&format!("/bots/{}/revoke", revoked.id), json!({}))
                .await?;
        }
        let m = chat.say(sent.as_str()).await?;
        assert!(
            text(&m).starts_with(expected.as_str()),
            "{sent}: {}",
            text(&m)
        );
    }
    assert_eq!(inst.store.connections().all().await?.len(), 1);

    // A good token, then a group that is not a forum, then missing rights (deep link).
    let m = chat.say(&fresh.token).await?;
    let code = link_code(&m, Lang::Es)?;
    let before = chat.seen().await?;
    world
        .control_post("/add_bot", json!({"from": admin.id, "bot": fresh.id, "chat": plain.id, "rights": Group::helpdesk_rights(), "start_payload": code}))
        .await?;
    let m = chat.next(before).await?;
    let args = Args::new().str("bot", "new_support_bot");
    assert!(
        text(&m).starts_with(&tr_args(
            Lang::Es,
            Key::SetupGroupNotForum,
            &args.clone().str("group", "Just a group")
        )),
        "{}",
        text(&m)
    );
    let before = chat.seen().await?;
    admin
        .adds_bot(&forum, &fresh, Some(json!({"can_manage_topics": true})))
        .await?;
    let m = chat.next(before).await?;
    let rights = format!(
        "{}, {}",
        es(Key::RightDeleteMessages),
        es(Key::RightPinMessages)
    );
    assert!(
        text(&m).starts_with(&tr_args(
            Lang::Es,
            Key::SetupGroupMissingRights,
            &args
                .clone()
                .str("group", "Acme Support")
                .str("rights", rights)
        )),
        "{}",
        text(&m)
    );
    assert_eq!(
        inst.store.connections().all().await?.len(),
        1,
        "nothing stored"
    );
    let (_, m) = chat.press(&m, "cancel").await?;
    assert!(text(&m).starts_with(&es(Key::SetupCancelled)));

    // Malformed parameter values.
    let before_params = stored(&inst, id).await?;
    let fresh_card = async || -> Result<Value> {
        let main = chat.start().await?;
        Ok(chat.press(&main, &format!("c:{id}")).await?.1)
    };
    let mut cur = fresh_card().await?;
    for (param, value, expected) in [
        (
            "AUTOCLOSE",
            "soon",
            tr_args(
                Lang::Es,
                Key::ErrorNotHours,
                &Args::new().str("fragment", "soon"),
            ),
        ),
        (
            "AUTOCLOSE",
            "0",
            tr_args(
                Lang::Es,
                Key::ErrorHoursRange,
                &Args::new()
                    .str("fragment", "0")
                    .num("min", 1)
                    .num("max", 8760),
            ),
        ),
        (
            "IGNORE_CHATS",
            "777000, abc",
            tr_args(
                Lang::Es,
                Key::ErrorNotAnId,
                &Args::new().str("fragment", "abc"),
            ),
        ),
        (
            "PRIVATE_KEYWORDS",
            "\"help",
            tr_args(
                Lang::Es,
                Key::ErrorUnclosedQuote,
                &Args::new().str("fragment", "\"help"),
            ),
        ),
        (
            "ICON_COLOR",
            "chartreuse",
            tr_args(
                Lang::Es,
                Key::ErrorUnknownColor,
                &Args::new().str("fragment", "chartreuse"),
            ),
        ),
        (
            "HIDE_INFO",
            "name",
            tr_args(
                Lang::Es,
                Key::RefusedPaidOnly,
                &Args::new().str("param", "HIDE_INFO"),
            ),
        ),
    ] {
        let (_, list) = chat.press(&cur, &format!("p:{id}")).await?;
        let (_, _) = chat.press(&list, &format!("p:{id}:{param}")).await?;
        cur = chat.say(value).await?;
        assert!(
            text(&cur).starts_with(&expected),
            "{param}={value}: {}",
            text(&cur)
        );
    }
    let (_, list) = chat.press(&cur, &format!("p:{id}")).await?;
    let (_, welcome) = chat.press(&list, &format!("p:{id}:WELCOME")).await?;
    let (_, m) = chat
        .press(&welcome, &format!("ps:{id}:WELCOME:off"))
        .await?;
    assert!(
        text(&m).starts_with(&es(Key::RefusedWelcomeOff)),
        "{}",
        text(&m)
    );
    assert_eq!(stored(&inst, id).await?, before_params, "nothing changed");

    // Roles: by @username seen in the group, by forwarded message, by id.
    let general = oleg.says(&forum, "¡Hola equipo!").await?;
    for _ in 0..200 {
        if inst
            .store
            .members()
            .by_username(id, "oleg_ops")
            .await?
            .is_some()
        {
            break;
        }
        let n = oleg.sees(&forum).await?.len();
        let _ = world
            .control_get(&format!(
                "/wait?as={}&chat={}&count={}&timeout_ms=20",
                oleg.id,
                forum.id,
                n + 1
            ))
            .await;
    }
    let card = fresh_card().await?;
    let (_, roles) = chat.press(&card, &format!("r:{id}")).await?;
    let (_, m) = chat.press(&roles, &format!("ra:{id}")).await?;
    assert_eq!(text(&m), es(Key::SetupAddMember));
    let m = chat.say("@nobody_here").await?;
    assert!(text(&m).starts_with(&tr_args(
        Lang::Es,
        Key::SetupMemberUnknown,
        &Args::new().str("username", "nobody_here")
    )));
    let m = chat.say("not a person").await?;
    assert!(text(&m).starts_with(&es(Key::SetupMemberBad)));
    let m = chat.say("@oleg_ops").await?;
    let who = "Oleg (@oleg_ops)";
    assert_eq!(
        text(&m),
        tr_args(
            Lang::Es,
            Key::SetupMemberPickRole,
            &Args::new().str("who", who)
        )
    );
    let (_, m) = chat
        .press(&m, &format!("rs:{id}:{}:admin", oleg.id))
        .await?;
    assert!(text(&m).starts_with("✅"), "{}", text(&m));
    // A member who hides their account in forwards cannot be named by forwarding.
    let (_, _) = chat.press(&m, &format!("ra:{id}")).await?;
    let shy = world
        .user_with(json!({"first_name": "Shy", "hides_forwards": true}))
        .await?;
    forum.add_member(&shy).await?;
    let shy_says = shy.says(&forum, "hi").await?;
    let m = chat
        .send(json!({"forward_from": [forum.id, shy_says["message_id"]]}))
        .await?;
    assert!(
        text(&m).starts_with(&es(Key::SetupMemberHidden)),
        "{}",
        text(&m)
    );
    // Forwarding works for everyone else (still adding a member).
    let general_id = general["message_id"].as_i64().context("id")?;
    let m = chat
        .send(json!({"forward_from": [forum.id, general_id]}))
        .await?;
    assert_eq!(
        text(&m),
        tr_args(
            Lang::Es,
            Key::SetupMemberPickRole,
            &Args::new().str("who", who)
        )
    );

    // Oleg, a co-admin now, opens the card; then the admin revokes him; his old buttons
    // stop working.
    let ochat = inst.chat(&oleg);
    let omain = ochat.start().await?;
    let (_, ocard) = ochat.press(&omain, &format!("c:{id}")).await?;
    assert!(text(&ocard).contains(&format!("ID: {id}")));
    let (_, roles) = chat.press(&m, &format!("r:{id}")).await?;
    let (_, _) = chat.press(&roles, &format!("rr:{id}:{}", oleg.id)).await?;
    let (alert, after) = ochat.press(&ocard, &format!("p:{id}")).await?;
    assert_eq!(alert, Some(tr(Lang::Ru, Key::SetupNotYours)));
    assert_eq!(text(&after), text(&ocard), "nothing changed on his screen");
    // The last admin cannot be revoked (the creator has no revoke button at all).
    assert!(
        button(
            &roles,
            &tr_args(
                Lang::Es,
                Key::ButtonRevoke,
                &Args::new().str("who", "Anna (@anna_admin)")
            )
        )
        .is_err()
    );

    // Delete with confirmation; a stale card afterwards says the connection is gone.
    let stale = fresh_card().await?;
    let card = fresh_card().await?;
    let (_, confirm) = chat.press(&card, &format!("del:{id}")).await?;
    assert!(text(&confirm).starts_with(&tr_args(
        Lang::Es,
        Key::SetupDeleteConfirm,
        &Args::new().str("name", "@acme_support_bot → Acme Support")
    )));
    let (_, m) = chat.press(&confirm, &format!("del:{id}:yes")).await?;
    assert!(text(&m).starts_with(&tr_args(
        Lang::Es,
        Key::SetupDeleted,
        &Args::new().str("name", "@acme_support_bot → Acme Support")
    )));
    assert!(inst.store.connections().get(id).await?.is_none());
    let (alert, after) = chat.press(&stale, &format!("p:{id}")).await?;
    assert_eq!(alert, Some(es(Key::SetupGone)));
    assert_eq!(text(&after), text(&stale));
    Ok(())
}

/// A restart while the admin is choosing the group loses nothing: the watcher resumes, and
/// a customer who wrote to the bot before the group was linked gets a topic afterwards.
#[tokio::test]
async fn linking_survives_a_restart_and_early_customers_are_kept() -> Result<()> {
    let world = World::start().await?;
    let admin = world
        .user_with(json!({"first_name": "Anna", "language_code": "ru"}))
        .await?;
    let frontend = world.bot("acme_support_bot").await?;
    let forum = world.forum("Acme Support", &admin).await?;
    let mut inst = Instance::start_on(world.clone(), Db::Sqlite, |_| {}).await?;
    let chat: SetupChat<'_> = inst.chat(&admin);
    let main = chat.start().await?;
    let (_, m) = chat.press(&main, "new").await?;
    let (_, _) = chat.press(&m, "new:bot").await?;
    let m = chat.say(&frontend.token).await?;
    let code = link_code(&m, Lang::Ru)?;
    // Looking at the connection list meanwhile does not drop the link in progress.
    let main = chat.start().await?;
    assert!(text(&main).starts_with(&tr_args(
        Lang::Ru,
        Key::SetupStart,
        &Args::new().num("count", 0)
    )));

    // Meanwhile nobody else can start linking the same bot.
    let bob = world
        .user_with(json!({"first_name": "Bob", "language_code": "de"}))
        .await?;
    let bob_chat = inst.chat(&bob);
    let m = bob_chat.start().await?;
    let (_, m) = bob_chat.press(&m, "new").await?;
    let (_, _) = bob_chat.press(&m, "new:bot").await?;
    let m = bob_chat.say(&frontend.token).await?;
    assert!(
        text(&m).starts_with(&tr_args(
            Lang::De,
            Key::SetupTokenLinking,
            &Args::new().str("bot", "acme_support_bot")
        )),
        "{}",
        text(&m)
    );

    let early = world.user("Eve").await?;
    early.start(&frontend).await?;
    early.says(&frontend, "Are you there?").await?;

    inst.stop().await;
    inst.run().await?;
    let chat = inst.chat(&admin);
    let picker = open_picker(&world, &admin, &frontend, &code).await?;
    assert_eq!(text(&picker), tr(Lang::Ru, Key::SetupPickerPrompt));
    let card = share_group(&chat, &admin, &frontend, &picker, &forum).await?;
    assert!(text(&card).starts_with("🎉"), "{}", text(&card));
    world
        .until(admin.id, forum.id, None, |ms| {
            texts(ms).iter().any(|t| t == "Are you there?")
        })
        .await?;
    let names = topic_names(&world, &forum).await?;
    assert!(names.iter().any(|n| n.contains("Eve")), "{names:?}");
    assert!(
        !names.iter().any(|n| n.contains("Anna")),
        "the admin's /start was not relayed: {names:?}"
    );
    Ok(())
}
