//! The instance key: loading it against the database, and rotating it.
//!
//! Every secret at rest is sealed with the instance key ([`SecretBox`]): the bot token and
//! API key of each connection (`connections.token_enc`, `api_key_enc`) and the token a
//! setup-bot session holds while its bot waits for a group (`setup_sessions.state`, any
//! JSON field named `*_enc`). The key is `encryption_key` when configured, else the file
//! `data_dir/secret.key`. It is not in the database, so not in its backups: without it the
//! stored tokens are lost.
//!
//! **The key check.** `instance_kv.key_check` holds a known text sealed with the key. It
//! is written in the same transaction as a rotation's re-encryption, and by `serve` the
//! first time a key proves right (it opens a stored secret, or none exists yet). A key that
//! does not open it is the wrong key: `serve` refuses to start, naming the fix, instead of
//! running every connection into "cannot decrypt" (a single token that does not open, the
//! check being fine, is that connection's own error, [`UNDECRYPTABLE_TOKEN`]).
//!
//! **Rotation** (`hotline key rotate`, with `serve` stopped: the caller holds the instance
//! guard) re-encrypts every sealed value in ONE transaction, after opening all of them
//! with the current key (one that does not open: nothing changes, and the error names the
//! row). With the key in `data_dir`, the files change in this order:
//!
//! 1. the new key is written to `secret.key.new` (0600, fsync'd, directory fsync'd);
//! 2. the transaction commits (secrets and the key check, now under the new key);
//! 3. the old key is kept as `secret.key.old` (0600, written beside and renamed into
//!    place; a previous `secret.key.old` is moved to `secret.key.old.1`, `.2`, … first).
//!    It is needed to read backups made before the rotation;
//! 4. `secret.key.new` is renamed over `secret.key` (atomic), and the directory fsync'd.
//!
//! A crash can stop it anywhere; the next start (`serve`, or `key rotate` itself) sees
//! `secret.key.new` next to `secret.key` and decides with the key check, which step 2
//! changes atomically:
//!
//! - before or during 1 (no `.new`, or a partial one): nothing changed — a `.new` that is
//!   not a key, or does not open the check, is deleted; `secret.key` stays;
//! - between 1 and 2: the check still opens with `secret.key` (or is absent: a committed
//!   rotation always writes it), so the rotation did not happen; `.new` is deleted (it
//!   sealed nothing);
//! - between 2 and 4 (with or without `.old` written): the check opens with `.new`, so the
//!   rotation committed: steps 3 and 4 are done now (3 is skipped when `.old` already holds
//!   the old key);
//! - after 4: an ordinary start.
//!
//! If neither key opens the check, the start stops and says so. Commands that do not hold
//! the instance guard (`connection add`) never touch the key files: with a `.new` present
//! they refuse and point to `serve`. (One window stays: a `connection add` that read the
//! old key before the rotation began and commits its row after it would seal that token
//! with the old key; that connection then reports [`UNDECRYPTABLE_TOKEN`] — run neither
//! beside the other.) Webhook secret tokens are derived from the key, so they change with
//! it; every connection registers its webhook again when `serve` starts.
//!
//! With `encryption_key` configured, the new key goes to `--new-key-file PATH` (0600,
//! fsync'd, never printed) before the commit, and the operator moves it into
//! `encryption_key` before the next start. A crash before the commit leaves the database
//! under the old key (the file is unused and may be deleted); after it, a start with the
//! old value is refused by the key check with a message naming the file
//! (`instance_kv.key_rotated` records where it went — a path, never a key).

use std::path::{Path, PathBuf};

use hotline_store::{SecretBox, Store, StoreError};

use crate::Settings;
use crate::settings::sync_dir;

mod rotate;

pub use crate::settings::{KEY_FILE, NEW_KEY_FILE, OLD_KEY_FILE};
pub use rotate::{Rotation, rotate};

/// A connection's status error when its bot token does not open with the instance key.
pub const UNDECRYPTABLE_TOKEN: &str = "the bot token cannot be decrypted: the instance key changed since it was stored (or the stored value is corrupted); restore the key it was stored with (data_dir/secret.key, or encryption_key) from backup and restart";

const CHECK: &str = "key_check";
const CHECK_TEXT: &str = "hotline instance key check";
const ROTATED: &str = "key_rotated";

/// Why the instance key cannot be used or rotated. None of these messages holds a key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the instance key does not open this database's secrets (it is not the key they were sealed with): {0}"
    )]
    WrongKey(String),
    #[error(
        "{0} is missing, but the database holds bot tokens sealed with the key it held: restore it from backup (if it is lost for good, so are the tokens: remove every connection with `hotline connection remove ID` and connect the bots again)"
    )]
    Missing(String),
    #[error(
        "{0} exists: a key rotation is under way or was interrupted; `hotline serve` (or `hotline key rotate`, with serve stopped) finishes or undoes it"
    )]
    Rotating(String),
    #[error("{0} does not hold a valid key (32 bytes, base64)")]
    BadKey(String),
    #[error("nothing was changed: these secrets cannot be decrypted with the current key: {}", .0.join("; "))]
    Undecryptable(Vec<String>),
    #[error(
        "encryption_key is configured (environment or TOML), so the new key needs a file: give --new-key-file PATH (written readable by you only, never printed), then put its content in encryption_key"
    )]
    NeedsNewKeyFile,
    #[error(
        "--new-key-file is for a configured encryption_key; this instance keeps its key in {0}, which key rotate replaces itself"
    )]
    NewKeyFileUnwanted(String),
    #[error("{0} already exists; a new key is never written over a file")]
    Exists(String),
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error(
        "the secrets are re-encrypted under the new key, but {0}; the next `hotline serve` finishes the rotation"
    )]
    Unfinished(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |error| KeyError::Io {
        path: path.display().to_string(),
        error,
    }
}

/// Whether the caller owns the database (holds the instance guard) and may therefore
/// finish or undo an interrupted rotation and record the key check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Owner,
    Shared,
}

/// The key files of a data directory.
struct Files {
    dir: PathBuf,
    key: PathBuf,
    new: PathBuf,
    old: PathBuf,
}

impl Files {
    fn of(dir: &Path) -> Files {
        Files {
            dir: dir.to_path_buf(),
            key: dir.join(KEY_FILE),
            new: dir.join(NEW_KEY_FILE),
            old: dir.join(OLD_KEY_FILE),
        }
    }
}

/// The instance key for `store`: configured, or from `data_dir` (finishing or undoing an
/// interrupted rotation first when `access` is [`Access::Owner`]; generated when there is
/// none and the database holds no secret), checked against the database's key check.
/// Sets `settings.encryption_key` to it.
pub async fn instance_key(
    settings: &mut Settings,
    store: &Store,
    access: Access,
) -> Result<SecretBox, KeyError> {
    let configured = !settings.encryption_key.is_empty();
    let secrets = if configured {
        SecretBox::from_base64(&settings.encryption_key)
            .map_err(|_| KeyError::BadKey("encryption_key".into()))?
    } else {
        let (text, secrets) = from_files(&Files::of(&settings.data_dir), store, access).await?;
        settings.encryption_key = text;
        secrets
    };
    verify(store, &secrets, access, configured).await?;
    Ok(secrets)
}

/// A key file's key; `None` when there is no such file.
fn read_key(path: &Path) -> Result<Option<(String, SecretBox)>, KeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let text = text.trim().to_string();
            let b = SecretBox::from_base64(&text)
                .map_err(|_| KeyError::BadKey(path.display().to_string()))?;
            Ok(Some((text, b)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

fn opens_check(b: &SecretBox, sealed: &str) -> bool {
    b.open(sealed).is_ok_and(|t| t == CHECK_TEXT)
}

async fn from_files(
    files: &Files,
    store: &Store,
    access: Access,
) -> Result<(String, SecretBox), KeyError> {
    let current = read_key(&files.key)?;
    if files.new.exists() {
        if access == Access::Shared {
            return Err(KeyError::Rotating(files.new.display().to_string()));
        }
        // A partial or damaged file is from a crash before the commit (which comes only
        // after the whole file is on disk).
        let pending = read_key(&files.new).ok().flatten();
        let check = store.kv().get(CHECK).await?;
        let committed = match (&pending, &check) {
            (Some((_, b)), Some(c)) => opens_check(b, c),
            _ => false,
        };
        if let (true, Some(pending)) = (committed, pending) {
            match &current {
                Some((old, _)) => rotate::finish(files, old)
                    .map_err(|e| KeyError::Unfinished(format!("finishing it failed: {e}")))?,
                None => {
                    std::fs::rename(&files.new, &files.key).map_err(io(&files.key))?;
                    sync_dir(&files.dir);
                }
            }
            tracing::warn!(
                "finished an interrupted key rotation: {} holds the new key, {} the previous one",
                files.key.display(),
                files.old.display()
            );
            return Ok(pending);
        }
        std::fs::remove_file(&files.new).map_err(io(&files.new))?;
        sync_dir(&files.dir);
        tracing::warn!(
            "an interrupted key rotation had re-encrypted nothing; the key is unchanged ({} removed)",
            files.new.display()
        );
    }
    if let Some(current) = current {
        return Ok(current);
    }
    // A key is made only for a database no connection's secret depends on (a key check
    // left by removed connections is rewritten by `verify`).
    if !connection_secrets(store).await?.is_empty() {
        return Err(KeyError::Missing(files.key.display().to_string()));
    }
    std::fs::create_dir_all(&files.dir).map_err(io(&files.dir))?;
    let text = SecretBox::generate_key();
    write_private(&files.key, &text)?;
    tracing::info!("generated a new instance key in {}", files.key.display());
    let b = SecretBox::from_base64(&text).map_err(|_| KeyError::BadKey(KEY_FILE.into()))?;
    Ok((text, b))
}

/// The connections' sealed values (bot tokens, API keys).
async fn connection_secrets(store: &Store) -> Result<Vec<String>, KeyError> {
    Ok(store
        .connections()
        .all()
        .await?
        .into_iter()
        .flat_map(|c| std::iter::once(c.token_enc).chain(c.api_key_enc))
        .collect())
}

/// Checks `secrets` against the database (see the module's "key check").
async fn verify(
    store: &Store,
    secrets: &SecretBox,
    access: Access,
    configured: bool,
) -> Result<(), KeyError> {
    let check = store.kv().get(CHECK).await?;
    if check.as_deref().is_some_and(|c| opens_check(secrets, c)) {
        return Ok(());
    }
    let sealed = connection_secrets(store).await?;
    let fits = match check {
        // A check the key does not open: wrong, unless nothing it could read is left
        // (every connection removed after the key was lost).
        Some(_) => sealed.is_empty(),
        None => sealed.is_empty() || sealed.iter().any(|s| secrets.open(s).is_ok()),
    };
    if !fits {
        return Err(KeyError::WrongKey(wrong_key_hint(store, configured).await?));
    }
    if access == Access::Owner {
        store.kv().set(CHECK, &secrets.seal(CHECK_TEXT)).await?;
    }
    Ok(())
}

async fn wrong_key_hint(store: &Store, configured: bool) -> Result<String, KeyError> {
    let rotated = store.kv().get(ROTATED).await?;
    Ok(match (configured, rotated) {
        (true, Some(r)) => format!(
            "the database was re-encrypted {r}: put that file's content in encryption_key"
        ),
        (true, None) => "set encryption_key to the key the database was sealed with (from your backup of it); if that key is lost for good, so are the stored bot tokens: remove every connection with `hotline connection remove ID` and connect the bots again".into(),
        (false, _) => "restore data_dir/secret.key from backup (a database restored from a backup made before a `hotline key rotate` needs the key of that time: secret.key.old); if the key is lost for good, so are the stored bot tokens: remove every connection with `hotline connection remove ID` and connect the bots again".into(),
    })
}

/// [`crate::settings::write_private`], its errors as [`KeyError`]s.
fn write_private(path: &Path, content: &str) -> Result<(), KeyError> {
    crate::settings::write_private(path, content).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            KeyError::Exists(path.display().to_string())
        } else {
            io(path)(e)
        }
    })
}

/// Puts `content` at `path` (0600) atomically: written beside it, then renamed over it.
fn replace_private(path: &Path, content: &str) -> Result<(), KeyError> {
    let tmp = PathBuf::from(format!("{}.tmp", path.display()));
    let _ = std::fs::remove_file(&tmp);
    write_private(&tmp, content)?;
    std::fs::rename(&tmp, path).map_err(io(path))?;
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
