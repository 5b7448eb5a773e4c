//! Errors that name their cause: the frontend bot loses a right in its group, the card says
//! which, and the setup bot tells the admins once, unasked; a superadmin's plan change is
//! explained to the admins.

use anyhow::Result;
use serde_json::json;

use hotline_app::setup::callback::Cb;
use hotline_core::params::Plan;
use hotline_i18n::{Args, Key, Lang, tr, tr_args};
use hotline_testkit::helpdesk::Db;
use hotline_testkit::instance::{Instance, text};
use hotline_testkit::{Group, World};

#[tokio::test]
async fn a_lost_right_is_named_on_the_card_and_told_once() -> Result<()> {
    let world = World::start().await?;
    let admin = world
        .user_with(json!({"first_name": "Ines", "language_code": "es"}))
        .await?;
    let forum = world.forum("Acme Support", &admin).await?;
    let frontend = world.bot("acme_support_bot").await?;
    let boss = world.user("Boss").await?;
    let inst = Instance::start_on(world.clone(), Db::Sqlite, |s| {
        s.superadmins = vec![boss.id];
    })
    .await?;
    let id = inst.connect(&frontend, &forum, &admin, "paid").await?;
    // The team speaks Spanish, like its admin.
    hotline_app::config::set_language(&inst.store, id, "es").await?;
    let chat = inst.chat(&admin);
    chat.start().await?;
    let name = inst
        .store
        .connections()
        .get(id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();

    // Demoted: no more topic management.
    let seen = chat.seen().await?;
    forum
        .add_admin(
            frontend.id,
            json!({"can_manage_topics": false, "can_delete_messages": true, "can_pin_messages": true}),
        )
        .await?;
    let told = chat.next(seen).await?;
    let rights = tr(Lang::Es, Key::RightManageTopics);
    assert_eq!(
        text(&told),
        tr_args(
            Lang::Es,
            Key::SetupAlertRights,
            &Args::new().str("name", &name).str("rights", &rights)
        )
    );
    let main = chat.start().await?;
    let (_, card) = chat.press(&main, &Cb::Card(id.0).encode()).await?;
    let expected = tr_args(
        Lang::Es,
        Key::StatusErrorRights,
        &Args::new().str("rights", &rights),
    );
    assert!(text(&card).contains(&expected), "{}", text(&card));

    // A restart while still demoted announces nothing new; the card keeps the cause.
    let seen = chat.seen().await?;
    inst.start_connection(id)?;
    for _ in 0..500 {
        let c = inst.store.connections().get(id).await?;
        if c.is_some_and(|c| {
            c.status == hotline_core::ConnectionStatus::Error
                && c.status_error
                    .is_some_and(|e| e.starts_with("missing rights"))
        }) {
            break;
        }
        // Yields until the world changes or 20 ms pass (no sleep).
        let _ = inst
            .world
            .control_get(&format!(
                "/wait?as={}&chat={}&count={}&timeout_ms=20",
                admin.id,
                inst.setup.id,
                seen + 1
            ))
            .await;
    }
    let main = chat.start().await?;
    let all = hotline_testkit::check::texts(&admin.sees(&inst.setup).await?);
    // Only the admin's /start and its answer.
    assert_eq!(
        chat.seen().await?,
        seen + 2,
        "announced again after the restart: {all:#?}"
    );
    let (_, card) = chat.press(&main, &Cb::Card(id.0).encode()).await?;
    assert!(text(&card).contains(&expected), "{}", text(&card));
    let seen = chat.seen().await?;

    // Rights back: the admins hear it, the card is green again.
    forum
        .add_admin(frontend.id, Group::helpdesk_rights())
        .await?;
    let fixed = chat.next(seen).await?;
    assert_eq!(
        text(&fixed),
        tr_args(
            Lang::Es,
            Key::SetupAlertFixed,
            &Args::new().str("name", &name)
        )
    );
    assert_eq!(chat.seen().await?, seen + 1, "told once");
    let main = chat.start().await?;
    let (_, card) = chat.press(&main, &Cb::Card(id.0).encode()).await?;
    assert!(
        text(&card).contains(&tr(Lang::Es, Key::StatusRunning)),
        "{}",
        text(&card)
    );

    // A superadmin moves the connection to the free plan: the admin is told what changes.
    hotline_app::config::set_param(&inst.store, id, "AUTOCLOSE", "100").await?;
    let bchat = inst.chat(&boss);
    let bmain = bchat.start().await?;
    let (_, all) = bchat.press(&bmain, &Cb::All.encode()).await?;
    let (_, bcard) = bchat.press(&all, &Cb::Card(id.0).encode()).await?;
    let seen = chat.seen().await?;
    bchat
        .press(&bcard, &Cb::SetPlan(id.0, Plan::Free).encode())
        .await?;
    let plan = chat.next(seen).await?;
    assert!(
        text(&plan).starts_with(&tr_args(
            Lang::Es,
            Key::SetupAlertPlan,
            &Args::new()
                .str("name", &name)
                .str("plan", tr(Lang::Es, Key::PlanFree))
                .str("changes", "")
        )),
        "{}",
        text(&plan)
    );
    assert!(text(&plan).contains("AUTOCLOSE"), "{}", text(&plan));
    Ok(())
}
