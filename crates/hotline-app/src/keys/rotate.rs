//! `hotline key rotate`: every sealed value re-encrypted in one transaction, then the key
//! files changed in the order the module doc lays out (steps 3 and 4: [`finish`]).

use std::path::{Path, PathBuf};

use serde_json::Value;

use hotline_store::{SecretBox, Store};

use super::{
    Access, CHECK, CHECK_TEXT, Files, KeyError, ROTATED, instance_key, io, opens_check,
    replace_private, sync_dir, write_private,
};
use crate::Settings;

/// What a rotation did.
#[derive(Debug)]
pub struct Rotation {
    /// Sealed values re-encrypted.
    pub resealed: usize,
    /// Where the new key is.
    pub key_file: PathBuf,
    /// Where the previous key was kept (`None`: `encryption_key` holds it).
    pub old_key_file: Option<PathBuf>,
}

/// Re-encrypts every secret under a new key (see the module's doc). The caller holds the
/// instance guard.
pub async fn rotate(
    settings: &mut Settings,
    store: &Store,
    new_key_file: Option<&Path>,
) -> Result<Rotation, KeyError> {
    let configured = !settings.encryption_key.is_empty();
    let files = Files::of(&settings.data_dir);
    match (configured, new_key_file) {
        (true, None) => return Err(KeyError::NeedsNewKeyFile),
        (false, Some(_)) => {
            return Err(KeyError::NewKeyFileUnwanted(
                files.key.display().to_string(),
            ));
        }
        _ => {}
    }
    let old = instance_key(settings, store, Access::Owner).await?;
    let old_text = settings.encryption_key.clone();
    let new_text = SecretBox::generate_key();
    let new = SecretBox::from_base64(&new_text).map_err(|_| KeyError::BadKey("new key".into()))?;
    let target = new_key_file.map_or_else(|| files.new.clone(), Path::to_path_buf);
    write_private(&target, &new_text)?;
    let at = jiff::Timestamp::now();
    let note = if configured {
        format!(
            "by `hotline key rotate` at {at}; its new key was written to {}",
            target.display()
        )
    } else {
        format!(
            "by `hotline key rotate` at {at}; the new key is in {}",
            files.key.display()
        )
    };
    let resealed = match reseal(store, &old, &new, &note).await {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&target);
            return Err(e);
        }
    };
    if configured {
        return Ok(Rotation {
            resealed,
            key_file: target,
            old_key_file: None,
        });
    }
    finish(&files, &old_text).map_err(|e| KeyError::Unfinished(e.to_string()))?;
    settings.encryption_key = new_text;
    Ok(Rotation {
        resealed,
        key_file: files.key,
        old_key_file: Some(files.old),
    })
}

/// Calls `f` on every string field named `*_enc` in `v`, however deep.
fn each_sealed(v: &mut Value, f: &mut impl FnMut(&mut String)) {
    match v {
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                match item {
                    Value::String(s) if k.ends_with("_enc") => f(s),
                    other => each_sealed(other, f),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| each_sealed(i, f)),
        _ => {}
    }
}

/// Opens every sealed value with `old` and seals it with `new`, in one transaction with
/// the new key check; changes nothing when any value does not open.
pub(super) async fn reseal(
    store: &Store,
    old: &SecretBox,
    new: &SecretBox,
    note: &str,
) -> Result<usize, KeyError> {
    let mut tx = store.begin().await?;
    let mut failures = Vec::new();
    let mut count = 0;
    let mut conns = Vec::new();
    for c in tx.connections().all().await? {
        let what = |column: &str| format!("connection {} (@{}): {column}", c.id, c.bot_username);
        let token = old.open(&c.token_enc).map(|t| new.seal(&t));
        let api = c
            .api_key_enc
            .as_deref()
            .map(|k| old.open(k).map(|k| new.seal(&k)));
        match (token, api.transpose()) {
            (Ok(t), Ok(a)) => {
                count += 1 + usize::from(a.is_some());
                conns.push((c.id, t, a));
            }
            (t, a) => {
                if t.is_err() {
                    failures.push(what("the bot token (connections.token_enc)"));
                }
                if a.is_err() {
                    failures.push(what("the API key (connections.api_key_enc)"));
                }
            }
        }
    }
    let mut sessions = Vec::new();
    for s in tx.setups().all().await? {
        // A state that is not JSON holds nothing this build sealed.
        let Ok(mut state) = serde_json::from_str::<Value>(&s.state) else {
            continue;
        };
        let (mut n, mut bad) = (0, false);
        each_sealed(&mut state, &mut |v| match old.open(v) {
            Ok(plain) => {
                *v = new.seal(&plain);
                n += 1;
            }
            Err(_) => bad = true,
        });
        if bad {
            failures.push(format!(
                "the setup-bot session of user {} (setup_sessions.state)",
                s.user_id.0
            ));
        } else if n > 0 {
            count += n;
            sessions.push((s.user_id, state.to_string()));
        }
    }
    if let Some(check) = tx.kv().get(CHECK).await?
        && !opens_check(old, &check)
    {
        failures.push("the key check (instance_kv.key_check)".into());
    }
    if !failures.is_empty() {
        // Dropped without a commit: nothing changed.
        return Err(KeyError::Undecryptable(failures));
    }
    for (id, token, api) in &conns {
        tx.connections()
            .set_sealed(*id, token, api.as_deref())
            .await?;
    }
    for (user, state) in &sessions {
        tx.setups().set_state(*user, state).await?;
    }
    tx.kv().set(CHECK, &new.seal(CHECK_TEXT)).await?;
    tx.kv().set(ROTATED, note).await?;
    tx.commit().await?;
    Ok(count)
}

/// Steps 3 and 4 of a rotation: the old key kept as `secret.key.old`, the new one moved
/// over `secret.key`.
pub(super) fn finish(files: &Files, old_text: &str) -> Result<(), KeyError> {
    match std::fs::read_to_string(&files.old) {
        // Kept already: a finish that was interrupted after step 3.
        Ok(t) if t.trim() == old_text => {}
        Ok(_) => {
            let aside = (1..=u32::MAX)
                .map(|n| PathBuf::from(format!("{}.{n}", files.old.display())))
                .find(|p| !p.exists())
                .unwrap_or_else(|| PathBuf::from(format!("{}.previous", files.old.display())));
            std::fs::rename(&files.old, &aside).map_err(io(&aside))?;
            replace_private(&files.old, old_text)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            replace_private(&files.old, old_text)?;
        }
        Err(e) => return Err(io(&files.old)(e)),
    }
    std::fs::rename(&files.new, &files.key).map_err(io(&files.key))?;
    sync_dir(&files.dir);
    Ok(())
}
