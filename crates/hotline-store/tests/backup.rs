//! Online backups (`Store::backup_to`) and opening only a database that exists
//! (`OpenMode::Existing`, `OpenMode::AsIs`).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use hotline_core::{ChatId, UserId};
use hotline_store::{BackupError, NewConnection, OpenMode, Store, StoreError};

fn connection(bot: i64) -> NewConnection {
    NewConnection {
        name: format!("bot {bot}"),
        bot_user_id: UserId(bot),
        bot_username: format!("bot{bot}"),
        token_enc: "sealed".into(),
        group_chat_id: ChatId(-1_000_000_000_000 - bot),
        plan: "free".into(),
        admin_user_id: None,
        group_title: None,
        api_key_enc: None,
        now_ms: 0,
    }
}

#[tokio::test]
async fn a_backup_is_a_database_of_its_own_and_never_overwrites() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("hotline.db").display());
    let store = Store::open(&url).await?;
    store.connections().add(&connection(1)).await?;
    // A reader holding a snapshot and a writer after it: the copy is taken beside both.
    let copy = dir.path().join("copy.db");
    let size = store.backup_to(&copy).await?;
    store.connections().add(&connection(2)).await?;
    assert_eq!(size, std::fs::metadata(&copy)?.len());
    assert!(size > 0);

    let restored =
        Store::open_with(&format!("sqlite://{}", copy.display()), OpenMode::Existing).await?;
    let conns = restored.connections().all().await?;
    assert_eq!(conns.len(), 1, "the copy is the database as it was");
    assert_eq!(conns[0].bot_user_id, UserId(1));
    restored.close().await;

    // An existing path is refused and left exactly as it was.
    std::fs::write(dir.path().join("taken.db"), b"mine")?;
    match store.backup_to(&dir.path().join("taken.db")).await {
        Err(BackupError::Exists(p)) => assert!(p.ends_with("taken.db")),
        other => panic!("an existing file was not refused: {other:?}"),
    }
    assert_eq!(std::fs::read(dir.path().join("taken.db"))?, b"mine");
    // A directory that does not exist: refused, nothing created.
    let nowhere = dir.path().join("missing").join("copy.db");
    assert!(matches!(
        store.backup_to(&nowhere).await,
        Err(BackupError::Io { .. })
    ));
    assert!(!dir.path().join("missing").exists());
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn opening_an_existing_database_creates_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("hotline.db");
    let url = format!("sqlite://{}", path.display());
    for mode in [OpenMode::Existing, OpenMode::AsIs] {
        match Store::open_with(&url, mode).await {
            Err(StoreError::Missing(p)) => assert_eq!(p, path.display().to_string()),
            other => panic!("{mode:?}: {other:?}"),
        }
    }
    assert_eq!(
        std::fs::read_dir(dir.path())?.count(),
        0,
        "nothing was created"
    );
    Store::open(&url).await?.close().await;
    Store::open_with(&url, OpenMode::Existing)
        .await?
        .close()
        .await;
    Ok(())
}

#[tokio::test]
async fn postgres_backups_are_refused() -> anyhow::Result<()> {
    let Some(admin) = hotline_store::testing::postgres_admin_url() else {
        eprintln!("note: HOTLINE_TEST_DATABASE_URL is not set; PostgreSQL backup test skipped");
        return Ok(());
    };
    let url = hotline_store::testing::fresh_postgres(&admin).await?;
    let store = Store::open(&url).await?;
    let dir = tempfile::tempdir()?;
    assert!(matches!(
        store.backup_to(&dir.path().join("x.db")).await,
        Err(BackupError::Postgres)
    ));
    assert_eq!(std::fs::read_dir(dir.path())?.count(), 0);
    store.close().await;
    Ok(())
}
