//! One owner per database: until several instances can share connections (scale-out), a
//! second `hotline serve` (or sandbox) on the same database must refuse to start, or every
//! Telegram call would be made twice.
//!
//! - **SQLite**: an exclusive lock on `<database file>.lock` (std's `File::try_lock`, an
//!   advisory `flock` on Linux). The file names the holder; the operating system drops the
//!   lock when the process ends, however it ends (kill -9 included), so a stale file never
//!   blocks a start.
//! - **PostgreSQL**: a session advisory lock (`pg_try_advisory_lock`) held by a dedicated
//!   connection for the process's lifetime; it dies with that connection. The holder is
//!   recorded in `instance_kv.instance_owner` for the refusal message. Session locks need a
//!   real session: behind PgBouncer in transaction mode they do not hold (use session mode).
//!
//! `migrate`, `check-config`, `backup` and the `connection …` commands do not take the
//! guard: they are meant to run beside a serving instance. `key rotate` takes it.

use std::io::{Read, Seek, Write};
use std::path::PathBuf;

use sqlx::Row;

use crate::{Backend, Store};

/// The advisory lock key: "hotline1" as a big-endian 64-bit number.
const PG_LOCK_KEY: i64 = 0x686f_746c_696e_6531;
const OWNER_KEY: &str = "instance_owner";

/// Why this process may not own the database.
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error(
        "another Hotline instance is already running on this database ({holder}); stop it first, or point this one at another database"
    )]
    Taken { holder: String },
    #[error("cannot take the instance lock {path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("cannot take the instance lock: {0}")]
    Database(sqlx::Error),
    #[error("cannot take the instance lock: {0}")]
    Store(crate::StoreError),
}

// By hand rather than `#[from]`, which would also make the cause the `source()`: its text
// is already in the message, and a chain printed with `{:#}` would repeat it.
impl From<sqlx::Error> for GuardError {
    fn from(e: sqlx::Error) -> Self {
        GuardError::Database(e)
    }
}

impl From<crate::StoreError> for GuardError {
    fn from(e: crate::StoreError) -> Self {
        GuardError::Store(e)
    }
}

/// Held for as long as this process owns the database; dropping it releases the lock.
#[derive(Debug)]
pub struct InstanceGuard {
    _held: Held,
}

#[derive(Debug)]
#[allow(
    dead_code,
    reason = "the lock file is held only so that dropping the guard releases it"
)]
enum Held {
    File(std::fs::File),
    Postgres(Box<sqlx::AnyConnection>),
    /// In-memory SQLite: nothing to share.
    Nothing,
}

impl InstanceGuard {
    /// Releases the lock now. Dropping the guard releases it too, but on PostgreSQL only
    /// once the server notices the closed session, a moment later: a next owner started
    /// right away (a restart, a test) could still be refused. This unlocks and closes the
    /// session before returning.
    pub async fn release(self) {
        if let Held::Postgres(mut conn) = self._held {
            // Best effort: a failure here leaves the release to the closed session.
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await;
            let _ = sqlx::Connection::close(*conn).await;
        }
    }
}

/// Who this process is, for the other one's refusal message.
pub fn describe_self() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "an unknown host".into());
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let since = i64::try_from(since)
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map_or_else(|| since.to_string(), |t| t.to_string());
    format!("pid {} on {host}, since {since}", std::process::id())
}

impl Store {
    /// Takes the instance lock for the database at `url` (the URL this store was opened
    /// with), naming this process as `holder`.
    pub async fn acquire_instance_guard(
        &self,
        url: &str,
        holder: &str,
    ) -> Result<InstanceGuard, GuardError> {
        let held = match self.backend() {
            Backend::Sqlite => match sqlite_file(url) {
                Some(path) => Held::File(lock_file(path, holder)?),
                None => Held::Nothing,
            },
            Backend::Postgres => {
                let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await?;
                let got: bool = sqlx::query("SELECT pg_try_advisory_lock($1)")
                    .bind(PG_LOCK_KEY)
                    .fetch_one(&mut conn)
                    .await?
                    .try_get(0)?;
                if !got {
                    let holder = self
                        .kv()
                        .get(OWNER_KEY)
                        .await?
                        .unwrap_or_else(|| "holder unknown".into());
                    return Err(GuardError::Taken { holder });
                }
                self.kv().set(OWNER_KEY, holder).await?;
                Held::Postgres(Box::new(conn))
            }
        };
        Ok(InstanceGuard { _held: held })
    }
}

/// The database file of an SQLite URL (`sqlite://path?…`); `None` for in-memory databases.
pub(crate) fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        return None;
    }
    Some(PathBuf::from(path))
}

fn lock_file(db: PathBuf, holder: &str) -> Result<std::fs::File, GuardError> {
    let mut path = db.into_os_string();
    path.push(".lock");
    let path = PathBuf::from(path);
    let io = |error| GuardError::Io {
        path: path.display().to_string(),
        error,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            let holder = text.trim().to_string();
            return Err(GuardError::Taken {
                holder: if holder.is_empty() {
                    "holder unknown".into()
                } else {
                    holder
                },
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    file.set_len(0).map_err(io)?;
    file.rewind().map_err(io)?;
    file.write_all(holder.as_bytes()).map_err(io)?;
    file.flush().map_err(io)?;
    Ok(file)
}
