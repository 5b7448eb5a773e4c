//! The setup bot as an attacker meets it: forged button presses naming a connection, from
//! a stranger and from a member of the backend group, change nothing.

use anyhow::{Context, Result};
use serde_json::json;

use hotline_app::config;
use hotline_app::setup::callback::{self, Cb};
use hotline_core::params::ParamName;
use hotline_core::roles::Role;
use hotline_i18n::{Key, Lang, tr};
use hotline_store::Store;
use hotline_testkit::World;
use hotline_testkit::helpdesk::Db;
use hotline_testkit::instance::{Instance, buttons, text};

/// Everything about a connection an attacker could want to change.
async fn snapshot(store: &Store, id: hotline_core::ConnectionId) -> Result<String> {
    let c = store
        .connections()
        .get(id)
        .await?
        .context("the connection is gone")?;
    let roles = store.members().roles(id).await?;
    Ok(format!(
        "{} enabled={} plan={} lang={} default={} params={} key={:?} version={} roles={roles:?}",
        c.name,
        c.enabled,
        c.plan,
        c.language,
        c.default_role,
        c.params,
        c.api_key_enc,
        c.settings_version
    ))
}

#[tokio::test]
async fn forged_buttons_from_strangers_and_members_change_nothing() -> Result<()> {
    let world = World::start().await?;
    let admin = world
        .user_with(json!({"first_name": "Anna", "username": "anna_admin", "language_code": "en"}))
        .await?;
    let member = world
        .user_with(json!({"first_name": "Mallory", "username": "mallory", "language_code": "de"}))
        .await?;
    let stranger = world
        .user_with(json!({"first_name": "Eve", "language_code": "ru"}))
        .await?;
    let forum = world.forum("Acme Support", &admin).await?;
    forum.add_member(&member).await?;
    let frontend = world.bot("acme_support_bot").await?;
    let inst = Instance::start_on(world.clone(), Db::Sqlite, |_| {}).await?;
    let id = inst.connect(&frontend, &forum, &admin, "free").await?;
    // The member has written in the group, so the admin could name them by @username.
    member.says(&forum, "hello team").await?;

    // The admin opens the card (which issues the API key) and looks at the default-role
    // menu: admin is not offered.
    let chat = inst.chat(&admin);
    let main = chat.start().await?;
    let (_, card) = chat.press(&main, &Cb::Card(id.0).encode()).await?;
    let (_, roles) = chat.press(&card, &Cb::Roles(id.0).encode()).await?;
    let (_, menu) = chat
        .press(&roles, &Cb::DefaultRoleMenu(id.0).encode())
        .await?;
    let offered: Vec<String> = buttons(&menu).into_iter().map(|(_, d)| d).collect();
    assert!(offered.contains(&Cb::DefaultRole(id.0, Role::Supervisor).encode()));
    assert!(
        !offered.contains(&Cb::DefaultRole(id.0, Role::Admin).encode()),
        "{offered:?}"
    );
    // Even the admin's own forged "default role: admin" is refused, with the reason.
    let (_, after) = chat
        .forge(&menu, &Cb::DefaultRole(id.0, Role::Admin).encode())
        .await?;
    assert!(
        text(&after).contains(&tr(Lang::En, Key::SetupDefaultAdmin)),
        "{}",
        text(&after)
    );
    // And from the CLI's setter.
    assert!(matches!(
        config::set_default_role(&inst.store, id, "admin").await,
        Err(config::ChangeError::DefaultAdmin)
    ));
    assert_eq!(
        inst.store
            .connections()
            .get(id)
            .await?
            .context("stored")?
            .default_role,
        "operator"
    );
    // EXTENSIONS_ALLOWED `.` makes every member a supervisor: still not an admin.
    config::set_param(&inst.store, id, "EXTENSIONS_ALLOWED", ".").await?;

    let before = snapshot(&inst.store, id).await?;
    let attack = async |who: &hotline_testkit::Person, lang: Lang| -> Result<()> {
        let chat = inst.chat(who);
        let screen = chat.start().await?;
        for cb in callback::connection_scoped(id.0, admin.id) {
            let data = cb.encode();
            let (alert, now) = chat.forge(&screen, &data).await?;
            assert_eq!(alert, Some(tr(lang, Key::SetupNotYours)), "{data}");
            assert_eq!(text(&now), text(&screen), "{data}: the screen changed");
        }
        // No forged press left them in a flow: text they send is not taken as a value.
        let m = chat.say("Hacked!").await?;
        assert_eq!(text(&m), tr(lang, Key::SetupUnexpected));
        Ok(())
    };
    attack(&stranger, Lang::Ru).await?;
    attack(&member, Lang::De).await?;
    assert_eq!(snapshot(&inst.store, id).await?, before);

    // A database written before the rule (a stored default of admin) grants nothing either.
    inst.store
        .connections()
        .set_default_role(id, "admin")
        .await?;
    let before = snapshot(&inst.store, id).await?;
    attack(&member, Lang::De).await?;
    assert_eq!(snapshot(&inst.store, id).await?, before);
    let c = inst.store.connections().get(id).await?.context("stored")?;
    assert!(c.enabled, "the connection still runs");

    // The admin still manages it.
    let card = chat.start().await?;
    let (alert, _) = chat.press(&card, &Cb::Card(id.0).encode()).await?;
    assert_eq!(alert, None);
    Ok(())
}

/// Settings changed at the same moment from two processes (the CLI and the setup bot, each
/// with its own database handle) and by `/ban` in a topic all land; two admins demoting
/// each other at once never leave the connection without an admin.
#[tokio::test]
async fn concurrent_settings_changes_never_overwrite_each_other() -> Result<()> {
    for db in Db::all() {
        let h = hotline_testkit::helpdesk::Helpdesk::start_on(World::start().await?, db, |_| {})
            .await?;
        let id = h.connection;
        let cli = Store::open(&h.settings.database_url).await?;
        let customer = h.customer("Carl").await?;
        customer.says(&h.frontend, "hello").await?;
        let thread = h.topic_of(&customer).await?;
        h.settle().await?;
        // Ten parameter changes, half through each handle, and a /ban in the topic, at once.
        let changes = [
            ("AUTOCLOSE", "12"),
            ("AUTO_INFO", "on"),
            ("SILENT_MODE", "on"),
            ("REPLY_ONLY", "on"),
            ("MONITOR_GROUPS", "on"),
            ("ICON_COLOR", "red"),
            ("CUSTOM_COMMANDS", "/price"),
            ("WHITE_LIST", "1, 2, 3"),
            ("RESTRICTED_KEYWORDS_FRONTEND", "spam"),
            ("PRIVATE_KEYWORDS", "help"),
        ];
        let mut sets = tokio::task::JoinSet::new();
        for (i, (name, value)) in changes.into_iter().enumerate() {
            let store = if i % 2 == 0 {
                h.store.clone()
            } else {
                cli.clone()
            };
            sets.spawn(async move {
                let shown = config::set_param(&store, id, name, value).await;
                (name, shown)
            });
        }
        h.admin.says_in(&h.forum, thread, "/ban").await?;
        let mut landed = Vec::new();
        while let Some(r) = sets.join_next().await {
            let (name, shown) = r?;
            landed.push((name, shown?));
        }
        h.settle().await?;
        let stored = config::ConnConfig::load(&h.store, id).await?.stored;
        assert_eq!(landed.len(), changes.len());
        for (name, shown) in landed {
            let p = ParamName::parse(name).context("name")?;
            assert_eq!(stored.render(p), shown, "{db:?}: {name} was overwritten");
        }
        assert!(
            stored
                .ignore_chats
                .contains(&hotline_core::ChatId(customer.id)),
            "{db:?}: /ban was overwritten"
        );

        // Two admins demote each other at once, many times over: one always stays.
        let second = h.world.user("Bea").await?;
        for round in 0..10 {
            config::set_role(&h.store, id, hotline_core::UserId(second.id), Some("admin")).await?;
            config::set_role(
                &h.store,
                id,
                hotline_core::UserId(h.admin.id),
                Some("admin"),
            )
            .await?;
            let (one, other) = (h.store.clone(), cli.clone());
            let (first, bea) = (h.admin.id, second.id);
            let a = tokio::spawn(async move {
                config::set_role(&one, id, hotline_core::UserId(first), Some("operator")).await
            });
            let b = tokio::spawn(async move {
                config::set_role(&other, id, hotline_core::UserId(bea), Some("operator")).await
            });
            let (a, b) = (a.await?, b.await?);
            let cfg = config::ConnConfig::load(&h.store, id).await?;
            assert!(cfg.roles.has_admin(), "{db:?} round {round}: no admin left");
            assert!(
                a.is_ok() != b.is_ok(),
                "{db:?} round {round}: exactly one demotion lands ({a:?}, {b:?})"
            );
        }
        cli.close().await;
    }
    Ok(())
}

/// A message that holds a token leaves the chat on every path, not only when the token is
/// accepted: revoked, already connected, or the setup bot's own.
#[tokio::test]
async fn a_token_never_stays_in_the_chat() -> Result<()> {
    let world = World::start().await?;
    let admin = world.user("Tom").await?;
    let revoked = world.bot("old_support_bot").await?;
    let inst = Instance::start_on(world.clone(), Db::Sqlite, |_| {}).await?;
    world
        .control_post(&format!("/bots/{}/revoke", revoked.id), json!({}))
        .await?;
    let chat = inst.chat(&admin);
    let main = chat.start().await?;
    let (_, m) = chat.press(&main, &Cb::New.encode()).await?;
    let (_, _) = chat.press(&m, &Cb::NewBot.encode()).await?;
    for (token, answer) in [
        (revoked.token.clone(), Key::SetupTokenRejected),
        (inst.setup.token.clone(), Key::SetupTokenOwn),
    ] {
        let reply = chat.say(&token).await?;
        assert!(
            text(&reply).contains(&tr(Lang::En, answer)),
            "{}",
            text(&reply)
        );
        let history = admin.sees(&inst.setup).await?;
        assert!(
            history
                .iter()
                .all(|m| !m["text"].as_str().unwrap_or_default().contains(&token)),
            "the token is still in the chat: {history:#?}"
        );
    }
    Ok(())
}
