//! hotline-store: Hotline's storage on SQLite (embedded default) or PostgreSQL.
//!
//! One portable SQL dialect through sqlx's `Any` driver: `$N` placeholders in order of first
//! use, times as i64 unix milliseconds passed in from Rust, JSON as TEXT, booleans as 0/1.
//! Each backend has its own migration folder. This crate is the only one that knows SQL.
//!
//! The tables: `connections` (a frontend bot, its backend group, its encrypted token),
//! `customers`, `dialogs` (one per customer, with its forum topic), `message_map` (customer
//! message ↔ group message, for edits, replies and retractions), `inbox` (received updates,
//! committed before their offset is confirmed, processed exactly once), `outbox` (every
//! outbound Bot API call, in per-chat lanes), `roles`, and for the setup bot
//! `setup_sessions` (each admin's language and place in a flow), `members` (group members
//! seen writing, to name them by @username) and `instance_kv` (the setup bot's offset).

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod guard;
pub mod secrets;

pub use guard::{GuardError, InstanceGuard, describe_self};

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Row, Transaction};

pub use secrets::{SecretBox, SecretError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite:… or postgres://…): {0}")]
    Url(String),
    #[error("{0}")]
    Conflict(String),
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

#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub bot_user_id: i64,
    pub bot_username: String,
    /// The bot token, encrypted with the instance key ([`SecretBox`]).
    pub token_enc: String,
    pub group_chat_id: i64,
    pub plan: String,
    pub enabled: bool,
    pub status: String,
    pub status_error: Option<String>,
    pub params: String,
    pub update_offset: i64,
    pub created_at: i64,
    /// Who created the connection.
    pub admin_user_id: Option<i64>,
    /// The team's language (`en`, `ru`, `es`, `de`).
    pub language: String,
    /// The role of members without an explicit one.
    pub default_role: String,
    /// Bumped by every change to parameters, plan, roles or language.
    pub settings_version: i64,
    /// The backend group's title when it was linked.
    pub group_title: Option<String>,
    /// The connection's API key, encrypted with the instance key.
    pub api_key_enc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewConnection {
    pub name: String,
    pub bot_user_id: i64,
    pub bot_username: String,
    pub token_enc: String,
    pub group_chat_id: i64,
    pub plan: String,
    pub admin_user_id: Option<i64>,
    pub group_title: Option<String>,
    /// Encrypted with the instance key.
    pub api_key_enc: Option<String>,
    pub now_ms: i64,
}

/// Someone talking to the setup bot.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupSession {
    pub user_id: i64,
    /// The chat's language code; `None` until the user chose one.
    pub language: Option<String>,
    /// Where the user is in a flow (JSON owned by hotline-app).
    pub state: String,
}

/// A member of a backend group seen writing there.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub user_id: i64,
    pub username: Option<String>,
    pub first_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub connection_id: i64,
    pub chat_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
    pub first_seen: i64,
    pub last_seen: i64,
    pub unreachable: Option<String>,
    /// Shared by the customer (a contact of their own).
    pub phone: Option<String>,
    /// The `/start` parameter they came with.
    pub start_payload: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dialog {
    pub id: i64,
    pub connection_id: i64,
    pub customer_chat_id: i64,
    pub group_chat_id: i64,
    pub thread_id: Option<i64>,
    pub title: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// `private`, `group` or `channel`.
    pub kind: String,
    /// `none`, `exists` or `deleted`: the topic as the state machine knows it.
    pub topic: String,
    pub last_customer_ms: Option<i64>,
    pub last_answer_ms: Option<i64>,
    /// WELCOME was sent for the current opening.
    pub welcomed: bool,
    /// How many times the dialog was opened (created or reopened).
    pub openings: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    pub dialog_id: i64,
    pub customer_chat_id: i64,
    pub customer_message_id: i64,
    pub group_chat_id: i64,
    pub group_message_id: i64,
    /// `in`: customer → topic; `out`: topic → customer.
    pub direction: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InboxItem {
    pub update_id: i64,
    pub payload: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// The ordering domain: jobs of one lane run strictly in id order.
    pub lane: String,
    /// Lower runs first when several lanes are due: 0 relayed messages, 1 notices, 2 cosmetic.
    pub priority: i64,
    pub kind: String,
    pub payload: String,
    /// A newer job with the same key replaces an older pending one (title renames).
    pub coalesce_key: Option<String>,
    pub not_before: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub connection_id: i64,
    pub lane: String,
    pub priority: i64,
    pub kind: String,
    pub payload: String,
    pub coalesce_key: Option<String>,
    pub not_before: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
}

macro_rules! connection_cols {
    () => {
        "id, name, kind, bot_user_id, bot_username, token_enc, group_chat_id, plan, enabled, status, status_error, params, update_offset, created_at, admin_user_id, language, default_role, settings_version, group_title, api_key_enc"
    };
}
macro_rules! dialog_cols {
    () => {
        "id, connection_id, customer_chat_id, group_chat_id, thread_id, title, status, created_at, updated_at, kind, topic, last_customer_ms, last_answer_ms, welcomed, openings"
    };
}
macro_rules! customer_cols {
    () => {
        "connection_id, chat_id, first_name, last_name, username, language_code, first_seen, last_seen, unreachable, phone, start_payload"
    };
}
macro_rules! job_cols {
    () => {
        "id, connection_id, lane, priority, kind, payload, coalesce_key, not_before, attempts, last_error, created_at"
    };
}
macro_rules! map_cols {
    () => {
        "dialog_id, customer_chat_id, customer_message_id, group_chat_id, group_message_id, direction"
    };
}

fn connection_row(r: &AnyRow) -> Result<Connection> {
    Ok(Connection {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        kind: r.try_get(2)?,
        bot_user_id: r.try_get(3)?,
        bot_username: r.try_get(4)?,
        token_enc: r.try_get(5)?,
        group_chat_id: r.try_get(6)?,
        plan: r.try_get(7)?,
        enabled: r.try_get::<i64, _>(8)? != 0,
        status: r.try_get(9)?,
        status_error: r.try_get(10)?,
        params: r.try_get(11)?,
        update_offset: r.try_get(12)?,
        created_at: r.try_get(13)?,
        admin_user_id: r.try_get(14)?,
        language: r.try_get(15)?,
        default_role: r.try_get(16)?,
        settings_version: r.try_get(17)?,
        group_title: r.try_get(18)?,
        api_key_enc: r.try_get(19)?,
    })
}

fn setup_session_row(r: &AnyRow) -> Result<SetupSession> {
    Ok(SetupSession {
        user_id: r.try_get(0)?,
        language: r.try_get(1)?,
        state: r.try_get(2)?,
    })
}

fn member_row(r: &AnyRow) -> Result<Member> {
    Ok(Member {
        user_id: r.try_get(0)?,
        username: r.try_get(1)?,
        first_name: r.try_get(2)?,
    })
}

fn dialog_row(r: &AnyRow) -> Result<Dialog> {
    Ok(Dialog {
        id: r.try_get(0)?,
        connection_id: r.try_get(1)?,
        customer_chat_id: r.try_get(2)?,
        group_chat_id: r.try_get(3)?,
        thread_id: r.try_get(4)?,
        title: r.try_get(5)?,
        status: r.try_get(6)?,
        created_at: r.try_get(7)?,
        updated_at: r.try_get(8)?,
        kind: r.try_get(9)?,
        topic: r.try_get(10)?,
        last_customer_ms: r.try_get(11)?,
        last_answer_ms: r.try_get(12)?,
        welcomed: r.try_get::<i64, _>(13)? != 0,
        openings: r.try_get(14)?,
    })
}

fn customer_row(r: &AnyRow) -> Result<Customer> {
    Ok(Customer {
        connection_id: r.try_get(0)?,
        chat_id: r.try_get(1)?,
        first_name: r.try_get(2)?,
        last_name: r.try_get(3)?,
        username: r.try_get(4)?,
        language_code: r.try_get(5)?,
        first_seen: r.try_get(6)?,
        last_seen: r.try_get(7)?,
        unreachable: r.try_get(8)?,
        phone: r.try_get(9)?,
        start_payload: r.try_get(10)?,
    })
}

fn job_row(r: &AnyRow) -> Result<Job> {
    Ok(Job {
        id: r.try_get(0)?,
        connection_id: r.try_get(1)?,
        lane: r.try_get(2)?,
        priority: r.try_get(3)?,
        kind: r.try_get(4)?,
        payload: r.try_get(5)?,
        coalesce_key: r.try_get(6)?,
        not_before: r.try_get(7)?,
        attempts: r.try_get(8)?,
        last_error: r.try_get(9)?,
        created_at: r.try_get(10)?,
    })
}

fn map_row(r: &AnyRow) -> Result<MapEntry> {
    Ok(MapEntry {
        dialog_id: r.try_get(0)?,
        customer_chat_id: r.try_get(1)?,
        customer_message_id: r.try_get(2)?,
        group_chat_id: r.try_get(3)?,
        group_message_id: r.try_get(4)?,
        direction: r.try_get(5)?,
    })
}

/// Which side of a message pair a lookup starts from.
#[derive(Clone, Copy)]
enum MapSide {
    Customer,
    Group,
}

/// One message pair by either side, on a pool or inside a transaction.
async fn find_map<'e, E>(
    exec: E,
    side: MapSide,
    connection_id: i64,
    chat_id: i64,
    message_id: i64,
) -> Result<Option<MapEntry>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let sql = match side {
        MapSide::Customer => concat!(
            "SELECT ",
            map_cols!(),
            " FROM message_map WHERE connection_id = $1 AND customer_chat_id = $2 AND customer_message_id = $3"
        ),
        MapSide::Group => concat!(
            "SELECT ",
            map_cols!(),
            " FROM message_map WHERE connection_id = $1 AND group_chat_id = $2 AND group_message_id = $3"
        ),
    };
    let row = sqlx::query(sql)
        .bind(connection_id)
        .bind(chat_id)
        .bind(message_id)
        .fetch_optional(exec)
        .await?;
    row.as_ref().map(map_row).transpose()
}

/// One dialog by id, on a pool or inside a transaction.
async fn find_dialog<'e, E>(exec: E, id: i64) -> Result<Option<Dialog>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(concat!(
        "SELECT ",
        dialog_cols!(),
        " FROM dialogs WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(exec)
    .await?;
    row.as_ref().map(dialog_row).transpose()
}

/// One customer, on a pool or inside a transaction.
async fn find_customer<'e, E>(exec: E, connection_id: i64, chat_id: i64) -> Result<Option<Customer>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(concat!(
        "SELECT ",
        customer_cols!(),
        " FROM customers WHERE connection_id = $1 AND chat_id = $2"
    ))
    .bind(connection_id)
    .bind(chat_id)
    .fetch_optional(exec)
    .await?;
    row.as_ref().map(customer_row).transpose()
}

/// A connection's settings counter, on a pool or inside a transaction.
async fn find_settings_version<'e, E>(exec: E, id: i64) -> Result<Option<i64>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query("SELECT settings_version FROM connections WHERE id = $1")
        .bind(id)
        .fetch_optional(exec)
        .await?;
    row.map(|r| Ok(r.try_get(0)?)).transpose()
}

/// A connection's status and its error, on the pool or inside a transaction.
async fn write_status<'e, E>(exec: E, id: i64, status: &str, error: Option<&str>) -> Result<()>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query("UPDATE connections SET status = $1, status_error = $2 WHERE id = $3")
        .bind(status)
        .bind(error)
        .bind(id)
        .execute(exec)
        .await?;
    Ok(())
}

/// Compare-and-set of a connection's parameters on its settings counter.
async fn cas_params<'e, E>(exec: E, id: i64, version: i64, params_json: &str) -> Result<bool>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let r = sqlx::query(
        "UPDATE connections SET params = $1, settings_version = settings_version + 1 WHERE id = $2 AND settings_version = $3",
    )
    .bind(params_json)
    .bind(id)
    .bind(version)
    .execute(exec)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Records a member of a backend group, on a pool or inside a transaction.
async fn upsert_member<'e, E>(exec: E, connection_id: i64, m: &Member, now_ms: i64) -> Result<()>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO members (connection_id, user_id, username, first_name, last_seen) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (connection_id, user_id) DO UPDATE SET username = $3, first_name = $4, last_seen = $5",
    )
    .bind(connection_id)
    .bind(m.user_id)
    .bind(&m.username)
    .bind(&m.first_name)
    .bind(now_ms)
    .execute(exec)
    .await?;
    Ok(())
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
                if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
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
        store.migrate().await?;
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

    // ----- connections -------------------------------------------------------------------

    pub async fn add_connection(&self, c: &NewConnection) -> Result<i64> {
        if let Some(other) = self.connection_by_bot(c.bot_user_id).await? {
            return Err(StoreError::Conflict(format!(
                "bot @{} is already connection {}",
                other.bot_username, other.id
            )));
        }
        let row = sqlx::query(
            "INSERT INTO connections (name, bot_user_id, bot_username, token_enc, group_chat_id, plan, created_at, admin_user_id, group_title, api_key_enc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&c.name)
        .bind(c.bot_user_id)
        .bind(&c.bot_username)
        .bind(&c.token_enc)
        .bind(c.group_chat_id)
        .bind(&c.plan)
        .bind(c.now_ms)
        .bind(c.admin_user_id)
        .bind(&c.group_title)
        .bind(&c.api_key_enc)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn connections(&self) -> Result<Vec<Connection>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            connection_cols!(),
            " FROM connections ORDER BY id"
        ))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(connection_row).collect()
    }

    pub async fn connection(&self, id: i64) -> Result<Option<Connection>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            connection_cols!(),
            " FROM connections WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(connection_row).transpose()
    }

    pub async fn connection_by_bot(&self, bot_user_id: i64) -> Result<Option<Connection>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            connection_cols!(),
            " FROM connections WHERE bot_user_id = $1"
        ))
        .bind(bot_user_id)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(connection_row).transpose()
    }

    /// Connections `user_id` administers: created them or holds the admin role.
    pub async fn connections_of(&self, user_id: i64) -> Result<Vec<Connection>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            connection_cols!(),
            " FROM connections c WHERE admin_user_id = $1 OR EXISTS \
             (SELECT 1 FROM roles r WHERE r.connection_id = c.id AND r.user_id = $1 AND r.role = 'admin') \
             ORDER BY id"
        ))
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(connection_row).collect()
    }

    /// Moves the connection's update offset forward to `offset` (never back): updates
    /// below it were consumed elsewhere (the setup bot while linking the group).
    pub async fn raise_update_offset(&self, id: i64, offset: i64) -> Result<()> {
        sqlx::query(
            "UPDATE connections SET update_offset = $1 WHERE id = $2 AND update_offset < $1",
        )
        .bind(offset)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces the connection's (encrypted) API key.
    pub async fn set_api_key(&self, id: i64, api_key_enc: &str) -> Result<()> {
        let r = sqlx::query("UPDATE connections SET api_key_enc = $1 WHERE id = $2")
            .bind(api_key_enc)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!("no connection {id}")));
        }
        Ok(())
    }

    pub async fn set_status(&self, id: i64, status: &str, error: Option<&str>) -> Result<()> {
        write_status(&self.pool, id, status, error).await
    }

    /// Changes the status and keeps the stored error (a stopped connection still knows why
    /// it last failed, so the cause is not announced again when it starts).
    pub async fn set_status_keep_error(&self, id: i64, status: &str) -> Result<()> {
        sqlx::query("UPDATE connections SET status = $1 WHERE id = $2")
            .bind(status)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_enabled(&self, id: i64, enabled: bool) -> Result<()> {
        sqlx::query("UPDATE connections SET enabled = $1 WHERE id = $2")
            .bind(i64::from(enabled))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The backend group moved (group → supergroup upgrade): follow it everywhere.
    pub async fn move_group(&self, id: i64, from: i64, to: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE connections SET group_chat_id = $1 WHERE id = $2 AND group_chat_id = $3",
        )
        .bind(to)
        .bind(id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE dialogs SET group_chat_id = $1 WHERE connection_id = $2 AND group_chat_id = $3",
        )
        .bind(to)
        .bind(id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_connection(&self, id: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        for table in [
            "outbox",
            "inbox",
            "message_map",
            "dialogs",
            "customers",
            "roles",
            "members",
            "topic_doubts",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE connection_id = $1"
            )))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM connections WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    // ----- settings: parameters, plan, roles, language ----------------------------------

    /// The connection's settings counter (see [`Connection::settings_version`]).
    pub async fn settings_version(&self, id: i64) -> Result<Option<i64>> {
        find_settings_version(&self.read, id).await
    }

    /// Stores the parameters (JSON object of name → canonical text), unconditionally.
    pub async fn set_params(&self, id: i64, params_json: &str) -> Result<()> {
        self.set_setting(id, "params", params_json).await
    }

    /// Stores the parameters only if the settings counter is still `version` (compare and
    /// set): `false` when another change landed since they were read, and nothing was
    /// written. Read-modify-write callers retry on `false`, so two changes made at once
    /// (setup bot, CLI, `/ban`) never silently overwrite each other.
    pub async fn set_params_if(&self, id: i64, version: i64, params_json: &str) -> Result<bool> {
        cas_params(&self.pool, id, version, params_json).await
    }

    pub async fn set_plan(&self, id: i64, plan: &str) -> Result<()> {
        self.set_setting(id, "plan", plan).await
    }

    pub async fn set_language(&self, id: i64, language: &str) -> Result<()> {
        self.set_setting(id, "language", language).await
    }

    pub async fn set_default_role(&self, id: i64, role: &str) -> Result<()> {
        self.set_setting(id, "default_role", role).await
    }

    async fn set_setting(&self, id: i64, column: &'static str, value: &str) -> Result<()> {
        // `column` is one of the fixed names above, never input.
        let sql = format!(
            "UPDATE connections SET {column} = $1, settings_version = settings_version + 1 WHERE id = $2"
        );
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!("no connection {id}")));
        }
        Ok(())
    }

    /// Explicit role assignments, by user id.
    pub async fn roles(&self, id: i64) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT user_id, role FROM roles WHERE connection_id = $1 ORDER BY user_id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Assigns `role` to a user, or removes the assignment (`None`).
    pub async fn set_role(&self, id: i64, user_id: i64, role: Option<&str>) -> Result<()> {
        self.set_role_inner(id, None, user_id, role)
            .await
            .map(|_| ())
    }

    /// [`Store::set_role`] only if the settings counter is still `version`: `false` (and
    /// nothing written) when another change landed since the roles were read. The counter
    /// is moved first, so on PostgreSQL a concurrent change waits for this one's row lock
    /// and then finds the counter moved: two admins demoting each other at once cannot both
    /// pass the last-admin check.
    pub async fn set_role_if(
        &self,
        id: i64,
        version: i64,
        user_id: i64,
        role: Option<&str>,
    ) -> Result<bool> {
        self.set_role_inner(id, Some(version), user_id, role).await
    }

    async fn set_role_inner(
        &self,
        id: i64,
        version: Option<i64>,
        user_id: i64,
        role: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let bumped = match version {
            Some(v) => sqlx::query(
                "UPDATE connections SET settings_version = settings_version + 1 WHERE id = $1 AND settings_version = $2",
            )
            .bind(id)
            .bind(v),
            None => sqlx::query(
                "UPDATE connections SET settings_version = settings_version + 1 WHERE id = $1",
            )
            .bind(id),
        }
        .execute(&mut *tx)
        .await?;
        if bumped.rows_affected() == 0 {
            tx.rollback().await?;
            return match version {
                Some(_) if self.connection(id).await?.is_some() => Ok(false),
                _ => Err(StoreError::Conflict(format!("no connection {id}"))),
            };
        }
        match role {
            Some(role) => {
                sqlx::query(
                    "INSERT INTO roles (connection_id, user_id, role) VALUES ($1, $2, $3) \
                     ON CONFLICT (connection_id, user_id) DO UPDATE SET role = $3",
                )
                .bind(id)
                .bind(user_id)
                .bind(role)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM roles WHERE connection_id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    // ----- the setup bot ------------------------------------------------------------------

    pub async fn setup_session(&self, user_id: i64) -> Result<Option<SetupSession>> {
        let row =
            sqlx::query("SELECT user_id, language, state FROM setup_sessions WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(setup_session_row).transpose()
    }

    /// Sessions whose state contains `needle` (the setup bot resumes its group watchers).
    pub async fn setup_sessions_with(&self, needle: &str) -> Result<Vec<SetupSession>> {
        let rows = sqlx::query(
            "SELECT user_id, language, state FROM setup_sessions WHERE state LIKE $1 ORDER BY user_id",
        )
        .bind(format!("%{needle}%"))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(setup_session_row).collect()
    }

    pub async fn save_setup_session(&self, s: &SetupSession, now_ms: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO setup_sessions (user_id, language, state, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id) DO UPDATE SET language = $2, state = $3, updated_at = $4",
        )
        .bind(s.user_id)
        .bind(&s.language)
        .bind(&s.state)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn kv_get(&self, name: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM instance_kv WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    pub async fn kv_set(&self, name: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO instance_kv (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = $2",
        )
        .bind(name)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a member of the backend group seen writing there.
    pub async fn member_seen(&self, connection_id: i64, m: &Member, now_ms: i64) -> Result<()> {
        upsert_member(&self.pool, connection_id, m, now_ms).await
    }

    /// The member with this @username (without the @, case-insensitive) seen most recently.
    pub async fn member_by_username(
        &self,
        connection_id: i64,
        username: &str,
    ) -> Result<Option<Member>> {
        let row = sqlx::query(
            "SELECT user_id, username, first_name FROM members \
             WHERE connection_id = $1 AND lower(username) = lower($2) ORDER BY last_seen DESC LIMIT 1",
        )
        .bind(connection_id)
        .bind(username)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(member_row).transpose()
    }

    pub async fn member(&self, connection_id: i64, user_id: i64) -> Result<Option<Member>> {
        let row = sqlx::query(
            "SELECT user_id, username, first_name FROM members WHERE connection_id = $1 AND user_id = $2",
        )
        .bind(connection_id)
        .bind(user_id)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(member_row).transpose()
    }

    // ----- dialogs for the scheduler -----------------------------------------------------

    /// 🟨 dialogs whose last answer is at or before `answered_before` with no customer
    /// message after it: AUTOCLOSE candidates.
    pub async fn autoclose_candidates(
        &self,
        connection_id: i64,
        answered_before: i64,
    ) -> Result<Vec<Dialog>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            dialog_cols!(),
            " FROM dialogs WHERE connection_id = $1 AND status = 'answered' AND last_answer_ms <= $2 \
             AND (last_customer_ms IS NULL OR last_customer_ms <= last_answer_ms) ORDER BY last_answer_ms LIMIT 500"
        ))
        .bind(connection_id)
        .bind(answered_before)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(dialog_row).collect()
    }

    /// The oldest last answer among 🟨 dialogs (when the next AUTOCLOSE may be due).
    pub async fn oldest_answer(&self, connection_id: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "SELECT MIN(last_answer_ms) FROM dialogs WHERE connection_id = $1 AND status = 'answered'",
        )
        .bind(connection_id)
        .fetch_one(&self.read)
        .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?)
    }

    // ----- inbox -------------------------------------------------------------------------

    /// Commits received updates and the next offset in one transaction; an update already
    /// stored (Telegram delivers at least once) is ignored. Returns how many were new.
    pub async fn inbox_put(
        &self,
        connection_id: i64,
        updates: &[(i64, String)],
        now_ms: i64,
    ) -> Result<u64> {
        self.put(connection_id, updates, now_ms, false).await
    }

    /// [`Store::inbox_put`] for a batch fetched without an offset after a quiet week: the
    /// offset becomes one past the newest update of the batch (the last one, as Telegram
    /// orders them) even when that is lower than before, because Telegram restarted its
    /// update ids at a random number.
    pub async fn inbox_put_restarting(
        &self,
        connection_id: i64,
        updates: &[(i64, String)],
        now_ms: i64,
    ) -> Result<u64> {
        self.put(connection_id, updates, now_ms, true).await
    }

    /// Where polling resumes: the offset to confirm with, and when the newest update came.
    pub async fn poll_position(&self, connection_id: i64) -> Result<(i64, Option<i64>)> {
        let row =
            sqlx::query("SELECT update_offset, last_update_at FROM connections WHERE id = $1")
                .bind(connection_id)
                .fetch_optional(&self.read)
                .await?;
        Ok(match row {
            Some(r) => (r.try_get(0)?, r.try_get(1)?),
            None => (0, None),
        })
    }

    async fn put(
        &self,
        connection_id: i64,
        updates: &[(i64, String)],
        now_ms: i64,
        restart: bool,
    ) -> Result<u64> {
        let mut tx = self.write_tx().await?;
        let mut inserted = 0;
        let mut max_id = None;
        for (update_id, payload) in updates {
            let r = sqlx::query(
                "INSERT INTO inbox (connection_id, update_id, payload, received_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (connection_id, update_id) DO NOTHING",
            )
            .bind(connection_id)
            .bind(*update_id)
            .bind(payload)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            inserted += r.rows_affected();
            max_id = max_id.max(Some(*update_id));
        }
        let newest = if restart {
            updates.last().map(|u| u.0)
        } else {
            max_id
        };
        if let Some(m) = newest {
            let sql = if restart {
                "UPDATE connections SET update_offset = $1, last_update_at = $3 WHERE id = $2"
            } else {
                "UPDATE connections SET update_offset = CASE WHEN update_offset < $1 THEN $1 ELSE update_offset END, \
                 last_update_at = $3 WHERE id = $2"
            };
            sqlx::query(sql)
                .bind(m + 1)
                .bind(connection_id)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// Unprocessed updates, oldest first.
    pub async fn inbox_pending(&self, connection_id: i64, limit: i64) -> Result<Vec<InboxItem>> {
        let rows = sqlx::query(
            "SELECT update_id, payload FROM inbox WHERE connection_id = $1 AND processed_at IS NULL ORDER BY update_id LIMIT $2",
        )
        .bind(connection_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InboxItem {
                    update_id: r.try_get(0)?,
                    payload: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// Records that processing `update_id` failed with `error`; after `max_attempts`
    /// failures it is set aside (marked processed, the error kept) so the connection moves
    /// on. Returns whether it was set aside now.
    pub async fn inbox_failed(
        &self,
        connection_id: i64,
        update_id: i64,
        error: &str,
        max_attempts: i64,
        now_ms: i64,
    ) -> Result<bool> {
        let row = sqlx::query(
            "UPDATE inbox SET attempts = attempts + 1, error = $1,              processed_at = CASE WHEN attempts + 1 >= $2 THEN $3 ELSE NULL END              WHERE connection_id = $4 AND update_id = $5 AND processed_at IS NULL              RETURNING processed_at",
        )
        .bind(error)
        .bind(max_attempts)
        .bind(now_ms)
        .bind(connection_id)
        .bind(update_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => r.try_get::<Option<i64>, _>(0)?.is_some(),
            None => false,
        })
    }

    /// Updates that were set aside after failing (newest first): id, error, when, payload.
    pub async fn inbox_set_aside(&self, connection_id: i64) -> Result<Vec<SetAside>> {
        let rows = sqlx::query(
            "SELECT update_id, error, processed_at, attempts, payload FROM inbox              WHERE connection_id = $1 AND processed_at IS NOT NULL AND error IS NOT NULL              ORDER BY update_id DESC",
        )
        .bind(connection_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SetAside {
                    update_id: r.try_get(0)?,
                    error: r.try_get(1)?,
                    at: r.try_get(2)?,
                    attempts: r.try_get(3)?,
                    payload: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Remembers that a topic named `name` may have been created for `dialog_id` without
    /// Hotline learning its id (see the `topic_doubts` table).
    pub async fn topic_doubt(
        &self,
        connection_id: i64,
        dialog_id: i64,
        name: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO topic_doubts (connection_id, dialog_id, name, at) VALUES ($1, $2, $3, $4)              ON CONFLICT (connection_id, dialog_id, name) DO UPDATE SET at = $4",
        )
        .bind(connection_id)
        .bind(dialog_id)
        .bind(name)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The offset to confirm with: one past the newest update ever committed.
    pub async fn update_offset(&self, connection_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT update_offset FROM connections WHERE id = $1")
            .bind(connection_id)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?.unwrap_or(0))
    }

    /// Forgets processed updates older than `before_ms` (the offset is kept on the connection).
    pub async fn inbox_prune(&self, connection_id: i64, before_ms: i64) -> Result<u64> {
        let r = sqlx::query("DELETE FROM inbox WHERE connection_id = $1 AND processed_at IS NOT NULL AND processed_at < $2")
            .bind(connection_id)
            .bind(before_ms)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    // ----- reads -------------------------------------------------------------------------

    pub async fn customer(&self, connection_id: i64, chat_id: i64) -> Result<Option<Customer>> {
        find_customer(&self.read, connection_id, chat_id).await
    }

    pub async fn set_unreachable(
        &self,
        connection_id: i64,
        chat_id: i64,
        reason: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE customers SET unreachable = $1 WHERE connection_id = $2 AND chat_id = $3",
        )
        .bind(reason)
        .bind(connection_id)
        .bind(chat_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn dialog(&self, id: i64) -> Result<Option<Dialog>> {
        find_dialog(&self.read, id).await
    }

    pub async fn dialogs(&self, connection_id: i64) -> Result<Vec<Dialog>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            dialog_cols!(),
            " FROM dialogs WHERE connection_id = $1 ORDER BY id"
        ))
        .bind(connection_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(dialog_row).collect()
    }

    /// The title the dialog's topic shows, as last set by Hotline.
    pub async fn shown_title(&self, dialog_id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT shown_title FROM dialogs WHERE id = $1")
            .bind(dialog_id)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?.flatten())
    }

    pub async fn set_shown_title(&self, dialog_id: i64, title: &str) -> Result<()> {
        sqlx::query("UPDATE dialogs SET shown_title = $1 WHERE id = $2")
            .bind(title)
            .bind(dialog_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_dialog_thread(
        &self,
        dialog_id: i64,
        thread_id: Option<i64>,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE dialogs SET thread_id = $1, updated_at = $2 WHERE id = $3")
            .bind(thread_id)
            .bind(now_ms)
            .bind(dialog_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn map_put(&self, connection_id: i64, e: &MapEntry, now_ms: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.map_put(connection_id, e, now_ms).await?;
        tx.commit().await
    }

    pub async fn map_by_customer(
        &self,
        connection_id: i64,
        chat_id: i64,
        message_id: i64,
    ) -> Result<Option<MapEntry>> {
        find_map(
            &self.read,
            MapSide::Customer,
            connection_id,
            chat_id,
            message_id,
        )
        .await
    }

    pub async fn map_by_group(
        &self,
        connection_id: i64,
        group_chat_id: i64,
        message_id: i64,
    ) -> Result<Option<MapEntry>> {
        find_map(
            &self.read,
            MapSide::Group,
            connection_id,
            group_chat_id,
            message_id,
        )
        .await
    }

    pub async fn map_count(&self, connection_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM message_map WHERE connection_id = $1")
            .bind(connection_id)
            .fetch_one(&self.read)
            .await?;
        Ok(row.try_get(0)?)
    }

    // ----- outbox ------------------------------------------------------------------------

    /// The head (oldest job) of every lane of a connection, lowest priority value first.
    pub async fn outbox_heads(&self, connection_id: i64) -> Result<Vec<Job>> {
        let rows = sqlx::query(concat!("SELECT ", job_cols!(), " FROM outbox WHERE connection_id = $1 AND id IN \
             (SELECT MIN(id) FROM outbox WHERE connection_id = $1 GROUP BY lane) ORDER BY priority, id"))
        .bind(connection_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(job_row).collect()
    }

    /// The first `limit` jobs of one lane, in order.
    pub async fn outbox_lane(
        &self,
        connection_id: i64,
        lane: &str,
        limit: i64,
    ) -> Result<Vec<Job>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            job_cols!(),
            " FROM outbox WHERE connection_id = $1 AND lane = $2 ORDER BY id LIMIT $3"
        ))
        .bind(connection_id)
        .bind(lane)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(job_row).collect()
    }

    /// Sets a dialog's status; returns whether it changed.
    pub async fn outbox_len(&self, connection_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM outbox WHERE connection_id = $1")
            .bind(connection_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn outbox_push(&self, connection_id: i64, job: &NewJob, now_ms: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.outbox_push(connection_id, job, now_ms).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records the message pairs a finished copy created and removes its jobs, atomically.
    pub async fn complete(
        &self,
        connection_id: i64,
        maps: &[MapEntry],
        done_jobs: &[i64],
        now_ms: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        for e in maps {
            tx.map_put(connection_id, e, now_ms).await?;
        }
        for id in done_jobs {
            sqlx::query("DELETE FROM outbox WHERE id = $1")
                .bind(*id)
                .execute(&mut *tx.tx)
                .await?;
        }
        tx.commit().await
    }

    /// The job succeeded (or was given up on): remove it.
    pub async fn outbox_done(&self, job_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM outbox WHERE id = $1")
            .bind(job_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The job will be tried again no earlier than `not_before`.
    pub async fn outbox_retry(&self, job_id: i64, not_before: i64, error: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET not_before = $1, attempts = attempts + 1, last_error = $2 WHERE id = $3")
            .bind(not_before)
            .bind(error)
            .bind(job_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Rewrites a job's payload (e.g. a new thread after its topic was recreated).
    pub async fn outbox_update_payload(&self, job_id: i64, payload: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET payload = $1 WHERE id = $2")
            .bind(payload)
            .bind(job_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// An update set aside after its processing kept failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub update_id: i64,
    pub error: String,
    pub at: i64,
    pub attempts: i64,
    pub payload: String,
}

/// One unit of work: processing an update commits its effects, the jobs it enqueues and its
/// processed mark together.
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

    pub async fn mark_processed(
        &mut self,
        connection_id: i64,
        update_id: i64,
        now_ms: i64,
    ) -> Result<bool> {
        let r = sqlx::query("UPDATE inbox SET processed_at = $1 WHERE connection_id = $2 AND update_id = $3 AND processed_at IS NULL")
            .bind(now_ms)
            .bind(connection_id)
            .bind(update_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Marks a batch of updates processed; returns the ids that were not processed before
    /// (an update another processor already took is left out, so it takes effect once).
    pub async fn mark_processed_batch(
        &mut self,
        connection_id: i64,
        update_ids: &[i64],
        now_ms: i64,
    ) -> Result<Vec<i64>> {
        if update_ids.is_empty() {
            return Ok(Vec::new());
        }
        // The list holds only integers we format ourselves.
        let list = update_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "UPDATE inbox SET processed_at = $1 WHERE connection_id = $2 AND processed_at IS NULL AND update_id IN ({list}) RETURNING update_id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now_ms)
            .bind(connection_id)
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Records the customer (names refresh on every message).
    pub async fn upsert_customer(&mut self, c: &Customer) -> Result<()> {
        sqlx::query(
            "INSERT INTO customers (connection_id, chat_id, first_name, last_name, username, language_code, first_seen, last_seen) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (connection_id, chat_id) DO UPDATE SET first_name = $3, last_name = $4, username = $5, \
             language_code = $6, last_seen = $8",
        )
        .bind(c.connection_id)
        .bind(c.chat_id)
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(&c.username)
        .bind(&c.language_code)
        .bind(c.first_seen)
        .bind(c.last_seen)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn dialog_for_customer(
        &mut self,
        connection_id: i64,
        customer_chat_id: i64,
    ) -> Result<Option<Dialog>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            dialog_cols!(),
            " FROM dialogs WHERE connection_id = $1 AND customer_chat_id = $2"
        ))
        .bind(connection_id)
        .bind(customer_chat_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(dialog_row).transpose()
    }

    /// Dialogs a topic named `name` may have been created for without being recorded.
    pub async fn topic_doubts_named(&mut self, connection_id: i64, name: &str) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT dialog_id FROM topic_doubts WHERE connection_id = $1 AND name = $2",
        )
        .bind(connection_id)
        .bind(name)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    pub async fn dialog_by_thread(
        &mut self,
        connection_id: i64,
        group_chat_id: i64,
        thread_id: i64,
    ) -> Result<Option<Dialog>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            dialog_cols!(),
            " FROM dialogs WHERE connection_id = $1 AND group_chat_id = $2 AND thread_id = $3"
        ))
        .bind(connection_id)
        .bind(group_chat_id)
        .bind(thread_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.as_ref().map(dialog_row).transpose()
    }

    /// A new dialog of `kind`: closed, without a topic, until the state machine opens it.
    pub async fn create_dialog(
        &mut self,
        connection_id: i64,
        customer_chat_id: i64,
        group_chat_id: i64,
        title: &str,
        kind: &str,
        now_ms: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO dialogs (connection_id, customer_chat_id, group_chat_id, title, created_at, updated_at, status, topic, kind) \
             VALUES ($1, $2, $3, $4, $5, $5, 'closed', 'none', $6) RETURNING id",
        )
        .bind(connection_id)
        .bind(customer_chat_id)
        .bind(group_chat_id)
        .bind(title)
        .bind(now_ms)
        .bind(kind)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn dialog(&mut self, id: i64) -> Result<Option<Dialog>> {
        find_dialog(&mut *self.tx, id).await
    }

    /// Writes the state machine's fields of `d` (status, topic, times, welcomed, openings).
    pub async fn save_dialog_state(&mut self, d: &Dialog, now_ms: i64) -> Result<()> {
        sqlx::query(
            "UPDATE dialogs SET status = $1, topic = $2, last_customer_ms = $3, last_answer_ms = $4, \
             welcomed = $5, openings = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&d.status)
        .bind(&d.topic)
        .bind(d.last_customer_ms)
        .bind(d.last_answer_ms)
        .bind(i64::from(d.welcomed))
        .bind(d.openings)
        .bind(now_ms)
        .bind(d.id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn customer(&mut self, connection_id: i64, chat_id: i64) -> Result<Option<Customer>> {
        find_customer(&mut *self.tx, connection_id, chat_id).await
    }

    /// Records what the customer shared: their phone, the `/start` parameter (`None` keeps
    /// the stored value).
    pub async fn set_customer_extra(
        &mut self,
        connection_id: i64,
        chat_id: i64,
        phone: Option<&str>,
        start_payload: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE customers SET phone = COALESCE($1, phone), start_payload = COALESCE($2, start_payload) \
             WHERE connection_id = $3 AND chat_id = $4",
        )
        .bind(phone)
        .bind(start_payload)
        .bind(connection_id)
        .bind(chat_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// The connection's settings counter, read on this unit of work's connection.
    pub async fn settings_version(&mut self, connection_id: i64) -> Result<Option<i64>> {
        find_settings_version(&mut *self.tx, connection_id).await
    }

    /// Records a member of the backend group inside this unit of work.
    pub async fn member_seen(&mut self, connection_id: i64, m: &Member, now_ms: i64) -> Result<()> {
        upsert_member(&mut *self.tx, connection_id, m, now_ms).await
    }

    /// The stored parameters and the settings counter, read inside this unit of work (for a
    /// read-modify-write with [`Tx::set_params_if`]).
    pub async fn params_now(&mut self, connection_id: i64) -> Result<Option<(i64, String)>> {
        let row = sqlx::query("SELECT settings_version, params FROM connections WHERE id = $1")
            .bind(connection_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// The connection's status error, read inside this unit of work.
    pub async fn status_error(&mut self, connection_id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT status_error FROM connections WHERE id = $1")
            .bind(connection_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?.flatten())
    }

    /// [`Store::set_status`] inside this unit of work.
    pub async fn set_status(
        &mut self,
        connection_id: i64,
        status: &str,
        error: Option<&str>,
    ) -> Result<()> {
        write_status(&mut *self.tx, connection_id, status, error).await
    }

    /// [`Store::set_params_if`] inside this unit of work (`/ban`, `/unban`).
    pub async fn set_params_if(
        &mut self,
        connection_id: i64,
        version: i64,
        params_json: &str,
    ) -> Result<bool> {
        cas_params(&mut *self.tx, connection_id, version, params_json).await
    }

    pub async fn map_put(&mut self, connection_id: i64, e: &MapEntry, now_ms: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO message_map (connection_id, dialog_id, customer_chat_id, customer_message_id, group_chat_id, group_message_id, direction, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (connection_id, customer_chat_id, customer_message_id) DO UPDATE SET \
             dialog_id = $2, group_chat_id = $5, group_message_id = $6, direction = $7",
        )
        .bind(connection_id)
        .bind(e.dialog_id)
        .bind(e.customer_chat_id)
        .bind(e.customer_message_id)
        .bind(e.group_chat_id)
        .bind(e.group_message_id)
        .bind(&e.direction)
        .bind(now_ms)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn map_by_customer(
        &mut self,
        connection_id: i64,
        chat_id: i64,
        message_id: i64,
    ) -> Result<Option<MapEntry>> {
        find_map(
            &mut *self.tx,
            MapSide::Customer,
            connection_id,
            chat_id,
            message_id,
        )
        .await
    }

    pub async fn map_by_group(
        &mut self,
        connection_id: i64,
        group_chat_id: i64,
        message_id: i64,
    ) -> Result<Option<MapEntry>> {
        find_map(
            &mut *self.tx,
            MapSide::Group,
            connection_id,
            group_chat_id,
            message_id,
        )
        .await
    }

    /// Enqueues an outbound call; a pending job with the same coalesce key is replaced.
    pub async fn outbox_push(
        &mut self,
        connection_id: i64,
        job: &NewJob,
        now_ms: i64,
    ) -> Result<i64> {
        if let Some(key) = &job.coalesce_key {
            sqlx::query("DELETE FROM outbox WHERE connection_id = $1 AND coalesce_key = $2 AND attempts = 0")
                .bind(connection_id)
                .bind(key)
                .execute(&mut *self.tx)
                .await?;
        }
        let row = sqlx::query(
            "INSERT INTO outbox (connection_id, lane, priority, kind, payload, coalesce_key, not_before, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(connection_id)
        .bind(&job.lane)
        .bind(job.priority)
        .bind(&job.kind)
        .bind(&job.payload)
        .bind(&job.coalesce_key)
        .bind(job.not_before)
        .bind(now_ms)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get(0)?)
    }
}

/// Databases for tests: an SQLite file in a temporary directory always, and a fresh
/// PostgreSQL database when `HOTLINE_TEST_DATABASE_URL` names a server (CI always sets it).
pub mod testing {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::{Result, Store};

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
            eprintln!(
                "note: HOTLINE_TEST_DATABASE_URL is not set; PostgreSQL storage tests skipped"
            );
        }
        Ok(out)
    }
}
