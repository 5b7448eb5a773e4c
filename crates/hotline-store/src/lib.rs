//! hotline-store: Hotline's storage on SQLite (embedded default) or PostgreSQL.
//!
//! One portable SQL dialect through sqlx's `Any` driver: `$N` placeholders in order of first
//! use, times as i64 unix milliseconds passed in from Rust, JSON as TEXT, booleans as 0/1.
//! Each backend has its own migration folder. This crate is the only one that knows SQL; its
//! API speaks hotline-core's typed ids and enums.
//!
//! One module per table family, each an aggregate reached the same way on the pools and
//! inside a unit of work: `store.dialogs().get(id)` reads on the read pool,
//! `tx.dialogs().get(id)` inside the transaction ([`db::Db`] runs each query either way).
//!
//! - [`connections`] — `connections` — a frontend bot, its backend group, its encrypted token,
//!   status, parameters, plan, language and the settings counter;
//! - [`members`] — `members` (group members seen writing, to name them by @username) and
//!   `roles`;
//! - [`inbox`] — `inbox` (received updates, committed before their offset is confirmed,
//!   processed exactly once) and the poll position;
//! - [`outbox`] — `outbox` (every outbound Bot API call, in per-chat lanes);
//! - [`dialogs`] — `dialogs` (one per customer, with its forum topic) and `topic_doubts`;
//! - [`customers`] — `customers`;
//! - [`maps`] — `message_map` (customer message ↔ group message, for edits, replies and
//!   retractions);
//! - [`setup`] — the setup bot's `setup_sessions` (each admin's language and place in a flow)
//!   and `instance_kv`;
//! - [`tags`] — `tags`, `tag_after` (funnels) and `dialog_tags`;
//! - [`templates`] — `templates` and `template_drafts`;
//! - [`broadcasts`] — `broadcasts` and `broadcast_recipients`;
//! - [`secrets`] — sealing secrets at rest; `guard`: one owner per database; `backup`: an
//!   online copy of an SQLite database.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod backup;
pub mod broadcasts;
pub mod connections;
pub mod customers;
mod db;
pub mod dialogs;
mod guard;
pub mod inbox;
pub mod maps;
pub mod members;
pub mod outbox;
pub mod secrets;
pub mod setup;
pub mod tags;
pub mod templates;
#[cfg(feature = "testing")]
pub mod testing;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Row, Transaction};

pub use backup::BackupError;
pub use broadcasts::{
    Broadcast, BroadcastState, Broadcasts, Counts, NewBroadcast, Recipient, RecipientState,
};
pub use connections::{Connection, Connections, NewConnection};
pub use customers::{Customer, Customers, ExportedCustomer};
use db::Db;
pub use dialogs::{Dialog, Dialogs};
pub use guard::{GuardError, InstanceGuard, describe_self};
pub use inbox::{Inbox, InboxItem, SetAside};
pub use maps::{MapEntry, Maps};
pub use members::{Member, Members};
pub use outbox::{Job, JobId, NewJob, Outbox};
pub use secrets::{SecretBox, SecretError};
pub use setup::{Kv, SetupSession, Setups};
pub use tags::{Tag, TagCount, Tagged, Tags};
pub use templates::{Draft, Template, Templates};

/// A queue's size and the time (Unix ms) its oldest item arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueStats {
    pub depth: i64,
    pub oldest: Option<i64>,
}

/// What went wrong in the store. Each message carries its cause's text and none reports
/// that cause again as its `source()`, so a chain printed with `{:#}` names it once.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(sqlx::Error),
    #[error("migration: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite:… or postgres://…): {0}")]
    Url(String),
    /// [`OpenMode::Existing`] and there is no SQLite file at this path.
    #[error("no database at {0}")]
    Missing(String),
    #[error("{0}")]
    Conflict(String),
    /// A stored value this build cannot read (a hand edit, or a newer build's value).
    #[error("unreadable stored value: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Db(e)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(e)
    }
}

/// How [`Store::open_with`] treats the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the SQLite file if it is missing, then migrate (`serve`, `migrate`, sandbox).
    Create,
    /// The database must exist ([`StoreError::Missing`] otherwise; nothing is created);
    /// migrate it (the `connection …` commands, `key rotate`).
    Existing,
    /// The database must exist; leave its schema as it is (`backup`).
    AsIs,
}

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A handle on the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    /// Writes (and transactions). SQLite: the one writer connection.
    pool: AnyPool,
    /// Reads outside transactions. SQLite: a few read-only connections, which WAL lets run
    /// beside the writer; PostgreSQL: the same pool.
    read: AnyPool,
    /// SQLite: a connection for checkpoints.
    maintenance: AnyPool,
    backend: Backend,
}

/// An SQLite pool of `max` connections, each set up with `pragmas`.
async fn sqlite_pool(url: &str, max: u32, pragmas: &'static [&'static str]) -> Result<AnyPool> {
    Ok(AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                for p in pragmas {
                    sqlx::query(*p).execute(&mut *conn).await?;
                }
                Ok(())
            })
        })
        .connect_with(AnyConnectOptions::from_str(url)?)
        .await?)
}

impl Store {
    /// Opens (creating an SQLite file if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, OpenMode::Create).await
    }

    /// Opens the database at `url` as `mode` says.
    pub async fn open_with(url: &str, mode: OpenMode) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Url(url.to_string()));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                // `rw` never creates the file (nor its directory: the caller does that).
                let want = if mode == OpenMode::Create {
                    "rwc"
                } else {
                    "rw"
                };
                if let Some(path) = guard::sqlite_file(url)
                    && mode != OpenMode::Create
                    && !path.is_file()
                {
                    return Err(StoreError::Missing(path.display().to_string()));
                }
                if url.contains('?') {
                    format!("{url}&mode={want}")
                } else {
                    format!("{url}?mode={want}")
                }
            }
            _ => url.to_string(),
        };
        let (pool, read, maintenance) = match backend {
            // SQLite: one writer (a single connection never meets SQLITE_BUSY from itself),
            // a few read-only connections that WAL lets run beside it, and one connection for
            // checkpoints, which run beside the writer (`Store::maintain`) instead of inside a
            // commit on the hot path.
            Backend::Sqlite => {
                const WRITER: &[&str] = &[
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA synchronous = NORMAL",
                    "PRAGMA foreign_keys = ON",
                    "PRAGMA busy_timeout = 5000",
                    "PRAGMA wal_autocheckpoint = 0",
                ];
                let pool = sqlite_pool(&url, 1, WRITER).await?;
                let read = sqlite_pool(
                    &url,
                    4,
                    &["PRAGMA busy_timeout = 5000", "PRAGMA query_only = ON"],
                )
                .await?;
                let maintenance = sqlite_pool(&url, 1, &["PRAGMA busy_timeout = 5000"]).await?;
                (pool, read, maintenance)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(AnyConnectOptions::from_str(&url)?)
                    .await?;
                (pool.clone(), pool.clone(), pool)
            }
        };
        let store = Store {
            pool,
            read,
            maintenance,
            backend,
        };
        if mode != OpenMode::AsIs {
            store.migrate().await?;
        }
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations (also run by `open`).
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Readiness: the database answers, and every migration this build knows is applied
    /// (another instance of an older build may share a PostgreSQL database). The error
    /// says which.
    pub async fn health(&self) -> std::result::Result<(), String> {
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.read)
                .await
                .map_err(|e| format!("the database does not answer: {e}"))?;
        let known = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.iter().count(),
            Backend::Postgres => POSTGRES_MIGRATIONS.iter().count(),
        };
        let known = i64::try_from(known).unwrap_or(i64::MAX);
        if applied < known {
            return Err(format!(
                "{applied} of {known} migrations are applied (run `hotline migrate`)"
            ));
        }
        Ok(())
    }

    /// Background upkeep: on SQLite, copies the write-ahead log back into the database
    /// (a passive checkpoint, which never blocks the writer). Call it every few seconds.
    pub async fn maintain(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let mut conn = self.maintenance.acquire().await?;
            let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(&mut *conn)
                .await?;
            // (busy, pages in the log, pages checkpointed). Readers can keep a passive
            // checkpoint from restarting the log; past ~40 MB, wait for them once.
            let log_pages: i64 = row.try_get(1).unwrap_or(0);
            if log_pages > 10_000 {
                sqlx::query("PRAGMA wal_checkpoint(RESTART)")
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        self.maintenance.close().await;
        self.read.close().await;
        self.pool.close().await;
    }

    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx {
            tx: self.write_tx().await?,
        })
    }

    /// A transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a deferred transaction that reads first and then writes fails with
    /// SQLITE_BUSY_SNAPSHOT (517) — not retried by `busy_timeout` — whenever another process
    /// (the CLI, a test) committed in between; taking the lock up front makes it wait instead.
    async fn write_tx(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// One unit of work: processing an update commits its effects, the jobs it enqueues and its
/// processed mark together. Dropped without [`Tx::commit`], nothing of it lands.
pub struct Tx {
    tx: Transaction<'static, Any>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// The aggregates, reached the same way on the store (the pools) and inside a [`Tx`].
macro_rules! aggregates {
    ($($(#[$doc:meta])* $name:ident => $ty:ident;)*) => {
        impl Store {
            $($(#[$doc])* pub fn $name(&self) -> $ty<'_> {
                $ty { db: Db::Pool(self) }
            })*
        }
        impl Tx {
            $($(#[$doc])* pub fn $name(&mut self) -> $ty<'_> {
                $ty { db: Db::Tx(&mut self.tx) }
            })*
        }
    };
}

aggregates! {
    /// Connections and their settings.
    connections => Connections;
    /// Group members seen writing, and role assignments.
    members => Members;
    /// Received updates.
    inbox => Inbox;
    /// Outbound calls.
    outbox => Outbox;
    /// Dialogs and their topics.
    dialogs => Dialogs;
    /// Customers.
    customers => Customers;
    /// Message pairs.
    maps => Maps;
    /// Setup-bot sessions.
    setups => Setups;
    /// Instance-wide values.
    kv => Kv;
    /// Tags, funnels and tagged dialogs.
    tags => Tags;
    /// Templates and templates being recorded.
    templates => Templates;
    /// Broadcasts and their recipients.
    broadcasts => Broadcasts;
}
