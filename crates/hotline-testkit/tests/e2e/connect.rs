//! Connecting a bot: every wrong input gets a clear answer and stores nothing.

use hotline_app::connect::{ConnectError, Right, Target, add_bot_connection};
use hotline_store::{SecretBox, Store};
use hotline_testkit::{Group, World};
use serde_json::json;

#[tokio::test]
async fn connecting_checks_token_group_forum_and_rights() -> anyhow::Result<()> {
    let world = World::start().await?;
    let dir = tempfile::tempdir()?;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("h.db").display())).await?;
    let secrets = SecretBox::from_base64(&SecretBox::generate_key())?;
    let http = reqwest::Client::builder().no_proxy().build()?;
    let admin = world.user("Alice").await?;
    let bot = world.bot("frontdesk_bot").await?;
    let forum = world.forum("Support", &admin).await?;
    let plain = world.supergroup("Not a forum", &admin).await?;
    let base = world.base_url().to_string();
    let attempt = |token: String, group: i64| {
        let (store, secrets, http, base) = (store.clone(), &secrets, http.clone(), base.clone());
        async move {
            let t = Target {
                api_base: &base,
                token: &token,
                group,
                plan: "free",
                admin: None,
            };
            add_bot_connection(&store, secrets, http, &t, 0).await
        }
    };
    assert!(matches!(
        attempt("not a token".into(), forum.id).await,
        Err(ConnectError::TokenFormat)
    ));
    let revoked = "999999:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_string();
    assert!(matches!(
        attempt(revoked, forum.id).await,
        Err(ConnectError::TokenRejected)
    ));
    assert!(
        matches!(
            attempt(bot.token.clone(), forum.id).await,
            Err(ConnectError::GroupNotFound(_))
        ),
        "the bot is not in the group yet"
    );
    plain.add_admin(bot.id, Group::helpdesk_rights()).await?;
    assert!(matches!(
        attempt(bot.token.clone(), plain.id).await,
        Err(ConnectError::NotAForum(_))
    ));
    forum.add(bot.id, "member").await?;
    assert!(matches!(
        attempt(bot.token.clone(), forum.id).await,
        Err(ConnectError::NotAdmin(_))
    ));
    forum
        .add_admin(bot.id, json!({"can_manage_topics": true}))
        .await?;
    match attempt(bot.token.clone(), forum.id).await {
        Err(ConnectError::MissingRights { missing, .. }) => {
            assert_eq!(missing, vec![Right::DeleteMessages, Right::PinMessages])
        }
        other => panic!("expected missing rights, got {other:?}"),
    }
    assert!(
        store.connections().all().await?.is_empty(),
        "nothing stored by failed attempts"
    );
    forum.add_admin(bot.id, json!({"can_manage_topics": true, "can_delete_messages": true, "can_pin_messages": true})).await?;
    let (id, warnings) = attempt(bot.token.clone(), forum.id).await?;
    assert_eq!(warnings.len(), 1, "no ban right: a warning, not a refusal");
    let stored = store.connections().get(id).await?.expect("stored");
    assert!(
        !stored.token_enc.contains(&bot.token),
        "the token is encrypted at rest"
    );
    assert_eq!(secrets.open(&stored.token_enc)?, bot.token);
    assert!(
        matches!(attempt(bot.token.clone(), forum.id).await, Err(ConnectError::AlreadyConnected { id: x, .. }) if x == id.0)
    );
    Ok(())
}
