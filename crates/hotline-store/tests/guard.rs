//! One owner per database: a second instance guard on the same database is refused while
//! the first is held, naming its holder, and granted once the first is dropped — on SQLite
//! (a lock file) and PostgreSQL (a session advisory lock).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use hotline_store::{GuardError, Store};

async fn check(url: &str) -> anyhow::Result<()> {
    let one = Store::open(url).await?;
    let two = Store::open(url).await?;
    let first = one.acquire_instance_guard(url, "first, pid 1").await?;
    match two.acquire_instance_guard(url, "second").await {
        Err(GuardError::Taken { holder }) => assert_eq!(holder, "first, pid 1"),
        other => panic!("{url}: a second owner was not refused: {other:?}"),
    }
    first.release().await;
    let second = two.acquire_instance_guard(url, "second").await?;
    match one.acquire_instance_guard(url, "third").await {
        Err(GuardError::Taken { holder }) => assert_eq!(holder, "second"),
        other => panic!("{url}: {other:?}"),
    }
    second.release().await;
    one.close().await;
    two.close().await;
    Ok(())
}

#[tokio::test]
async fn a_second_owner_is_refused_until_the_first_lets_go() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    check(&format!(
        "sqlite://{}",
        dir.path().join("hotline.db").display()
    ))
    .await?;
    if let Some(admin) = hotline_store::testing::postgres_admin_url() {
        let url = hotline_store::testing::fresh_postgres(&admin).await?;
        check(&url).await?;
    } else {
        eprintln!("note: HOTLINE_TEST_DATABASE_URL is not set; PostgreSQL guard test skipped");
    }
    Ok(())
}
