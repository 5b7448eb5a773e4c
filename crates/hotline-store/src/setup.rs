//! The setup bot's `setup_sessions` (each admin's language and place in a flow, as JSON the
//! app owns) and the instance-wide `instance_kv` (the setup bot's offset, the instance
//! guard's holder).

use hotline_core::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;
use crate::db::Db;

/// Someone talking to the setup bot.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupSession {
    pub user_id: UserId,
    /// The chat's language code; `None` until the user chose one.
    pub language: Option<String>,
    /// Where the user is in a flow (JSON owned by hotline-app).
    pub state: String,
}

fn row(r: &AnyRow) -> Result<SetupSession> {
    Ok(SetupSession {
        user_id: UserId(r.try_get(0)?),
        language: r.try_get(1)?,
        state: r.try_get(2)?,
    })
}

/// Setup-bot sessions.
pub struct Setups<'a> {
    pub(crate) db: Db<'a>,
}

impl Setups<'_> {
    pub async fn get(&mut self, user: UserId) -> Result<Option<SetupSession>> {
        self.db
            .opt_as_w(
                sqlx::query(
                    "SELECT user_id, language, state FROM setup_sessions WHERE user_id = $1",
                )
                .bind(user.0),
                row,
            )
            .await
    }

    /// Sessions whose state contains `needle` (the setup bot resumes its group watchers).
    pub async fn containing(&mut self, needle: &str) -> Result<Vec<SetupSession>> {
        self.db
            .all_as_w(
                sqlx::query(
                    "SELECT user_id, language, state FROM setup_sessions WHERE state LIKE $1 ORDER BY user_id",
                )
                .bind(format!("%{needle}%")),
                row,
            )
            .await
    }

    /// Every session, by user.
    pub async fn all(&mut self) -> Result<Vec<SetupSession>> {
        self.db
            .all_as_w(
                sqlx::query("SELECT user_id, language, state FROM setup_sessions ORDER BY user_id"),
                row,
            )
            .await
    }

    /// Replaces a session's state as it is (re-encrypting a sealed value in it), leaving
    /// its time alone.
    pub async fn set_state(&mut self, user: UserId, state: &str) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE setup_sessions SET state = $1 WHERE user_id = $2")
                    .bind(state)
                    .bind(user.0),
            )
            .await?;
        Ok(())
    }

    pub async fn save(&mut self, s: &SetupSession, now_ms: i64) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "INSERT INTO setup_sessions (user_id, language, state, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (user_id) DO UPDATE SET language = $2, state = $3, updated_at = $4",
                )
                .bind(s.user_id.0)
                .bind(&s.language)
                .bind(&s.state)
                .bind(now_ms),
            )
            .await?;
        Ok(())
    }
}

/// Instance-wide values by name.
pub struct Kv<'a> {
    pub(crate) db: Db<'a>,
}

impl Kv<'_> {
    pub async fn get(&mut self, name: &str) -> Result<Option<String>> {
        let r = self
            .db
            .opt_w(sqlx::query("SELECT value FROM instance_kv WHERE name = $1").bind(name))
            .await?;
        Ok(r.map(|r| r.try_get(0)).transpose()?)
    }

    pub async fn set(&mut self, name: &str, value: &str) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "INSERT INTO instance_kv (name, value) VALUES ($1, $2) \
                     ON CONFLICT (name) DO UPDATE SET value = $2",
                )
                .bind(name)
                .bind(value),
            )
            .await?;
        Ok(())
    }
}
