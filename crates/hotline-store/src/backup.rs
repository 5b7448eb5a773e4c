//! `Store::backup_to`: a consistent copy of an SQLite database taken while it is in use.
//!
//! `VACUUM INTO` reads the database in one read transaction — a snapshot that WAL lets run
//! beside the writer, which neither waits for it nor is seen half-done — and writes a
//! compact, self-contained database file (no `-wal` beside it) that opens like any other.
//! It takes no instance lock: a serving instance keeps serving. PostgreSQL databases are
//! copied with `pg_dump`, which does the same there.

use std::path::Path;

use crate::{Backend, Store};

/// Why a backup was not made. Nothing is left at the path in any case.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; a backup never overwrites a file (choose a new path)")]
    Exists(String),
    #[error("PostgreSQL databases are backed up with pg_dump")]
    Postgres,
    #[error("cannot write {path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("the path {0} is not valid UTF-8")]
    Path(String),
    #[error("the copy failed: {0}")]
    Copy(sqlx::Error),
}

impl Store {
    /// Writes a consistent copy of the (SQLite) database to `path`, which must not exist
    /// (its directory must). Returns the copy's size in bytes. On any failure nothing is
    /// left at `path`.
    pub async fn backup_to(&self, path: &Path) -> Result<u64, BackupError> {
        if self.backend() == Backend::Postgres {
            return Err(BackupError::Postgres);
        }
        let shown = path.display().to_string();
        let text = path
            .to_str()
            .ok_or_else(|| BackupError::Path(shown.clone()))?;
        let io = |error| BackupError::Io {
            path: shown.clone(),
            error,
        };
        // Claiming the path first makes the refusal of an existing file atomic (VACUUM INTO
        // accepts an empty file); from here on, a failure removes what we made.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(BackupError::Exists(shown));
            }
            Err(e) => return Err(io(e)),
        }
        let journal = std::path::PathBuf::from(format!("{text}-journal"));
        let journal_was_there = journal.exists();
        let copied = async {
            let mut conn = self
                .maintenance
                .acquire()
                .await
                .map_err(BackupError::Copy)?;
            sqlx::query("VACUUM INTO $1")
                .bind(text)
                .execute(&mut *conn)
                .await
                .map_err(BackupError::Copy)?;
            drop(conn);
            // On disk before we say it is there.
            let f = std::fs::File::open(path).map_err(io)?;
            f.sync_all().map_err(io)?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                sync_dir(dir);
            }
            Ok(f.metadata().map_err(io)?.len())
        }
        .await;
        if copied.is_err() {
            let _ = std::fs::remove_file(path);
            if !journal_was_there {
                let _ = std::fs::remove_file(&journal);
            }
        }
        copied
    }
}

/// Makes a new directory entry durable (best effort: not every platform can open a
/// directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
