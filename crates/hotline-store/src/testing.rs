//! Databases for tests: an SQLite file in a temporary directory always, and a fresh
//! PostgreSQL database when `HOTLINE_TEST_DATABASE_URL` names a server (CI always sets it).
//! Compiled only with the `testing` feature (test crates enable it), never into the binary.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::{Result, Store};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// `HOTLINE_TEST_DATABASE_URL`, if set.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("HOTLINE_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// Creates an empty database on the server behind `admin_url` and returns its URL.
pub async fn fresh_postgres(admin_url: &str) -> Result<String> {
    sqlx::any::install_default_drivers();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!("hotline_test_{}_{n}_{nanos}", std::process::id());
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await?;
    let base = match admin_url.rsplit_once('/') {
        Some((head, tail)) => {
            let query = tail
                .split_once('?')
                .map(|(_, q)| format!("?{q}"))
                .unwrap_or_default();
            format!("{head}/{name}{query}")
        }
        None => format!("{admin_url}/{name}"),
    };
    Ok(base)
}

/// Runs one SQL statement on the database at `url`, outside Hotline's own code (tests
/// that break the database on purpose, as a faulty disk or a hand edit would).
pub async fn execute(url: &str, sql: &str) -> Result<()> {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await?;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// The first column of every row `sql` returns, as text (cast in the SQL what is not
/// text: `SELECT CAST(update_id AS TEXT) …`): tests that look inside a database file.
pub async fn column(url: &str, sql: &str) -> Result<Vec<String>> {
    use sqlx::Row as _;
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&mut conn)
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>(0).map_err(Into::into))
        .collect()
}

/// Every backend a storage test should run on, as (label, store). The SQLite file lives
/// in `dir`.
pub async fn stores(dir: &std::path::Path) -> Result<Vec<(&'static str, Store)>> {
    let mut out = vec![(
        "sqlite",
        Store::open(&format!("sqlite://{}", dir.join("hotline.db").display())).await?,
    )];
    if let Some(admin) = postgres_admin_url() {
        let url = fresh_postgres(&admin).await?;
        out.push(("postgres", Store::open(&url).await?));
    } else {
        eprintln!("note: HOTLINE_TEST_DATABASE_URL is not set; PostgreSQL storage tests skipped");
    }
    Ok(out)
}
