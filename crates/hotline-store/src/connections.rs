//! `connections`: a frontend bot, its backend group, its encrypted token, its run status,
//! and its settings (parameters, plan, language, default role) with the counter every
//! settings change bumps (`settings_version`), compare-and-set for read-modify-write.

use hotline_core::{ChatId, ConnectionId, ConnectionStatus, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Db, unknown};
use crate::{Result, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    pub id: ConnectionId,
    pub name: String,
    pub kind: String,
    pub bot_user_id: UserId,
    pub bot_username: String,
    /// The bot token, encrypted with the instance key ([`crate::SecretBox`]).
    pub token_enc: String,
    pub group_chat_id: ChatId,
    pub plan: String,
    pub enabled: bool,
    pub status: ConnectionStatus,
    pub status_error: Option<String>,
    pub params: String,
    pub update_offset: i64,
    pub created_at: i64,
    /// Who created the connection.
    pub admin_user_id: Option<UserId>,
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
    /// For `kind = "business"`: the Telegram Business connection (a BusinessConnection as
    /// Telegram sent it, JSON).
    pub business: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewConnection {
    pub name: String,
    pub bot_user_id: UserId,
    pub bot_username: String,
    pub token_enc: String,
    pub group_chat_id: ChatId,
    pub plan: String,
    pub admin_user_id: Option<UserId>,
    pub group_title: Option<String>,
    /// Encrypted with the instance key.
    pub api_key_enc: Option<String>,
    pub now_ms: i64,
}

macro_rules! cols {
    () => {
        "id, name, kind, bot_user_id, bot_username, token_enc, group_chat_id, plan, enabled, status, status_error, params, update_offset, created_at, admin_user_id, language, default_role, settings_version, group_title, api_key_enc, business"
    };
}

fn row(r: &AnyRow) -> Result<Connection> {
    let status: String = r.try_get(9)?;
    Ok(Connection {
        id: ConnectionId(r.try_get(0)?),
        name: r.try_get(1)?,
        kind: r.try_get(2)?,
        bot_user_id: UserId(r.try_get(3)?),
        bot_username: r.try_get(4)?,
        token_enc: r.try_get(5)?,
        group_chat_id: ChatId(r.try_get(6)?),
        plan: r.try_get(7)?,
        enabled: r.try_get::<i64, _>(8)? != 0,
        status: ConnectionStatus::parse(&status)
            .ok_or_else(|| unknown("connections.status", &status))?,
        status_error: r.try_get(10)?,
        params: r.try_get(11)?,
        update_offset: r.try_get(12)?,
        created_at: r.try_get(13)?,
        admin_user_id: r.try_get::<Option<i64>, _>(14)?.map(UserId),
        language: r.try_get(15)?,
        default_role: r.try_get(16)?,
        settings_version: r.try_get(17)?,
        group_title: r.try_get(18)?,
        api_key_enc: r.try_get(19)?,
        business: r.try_get(20)?,
    })
}

fn no_connection(id: ConnectionId) -> StoreError {
    StoreError::Conflict(format!("no connection {}", id.0))
}

/// Connections and their settings.
pub struct Connections<'a> {
    pub(crate) db: Db<'a>,
}

impl Connections<'_> {
    pub async fn add(&mut self, c: &NewConnection) -> Result<ConnectionId> {
        if let Some(other) = self.by_bot(c.bot_user_id).await? {
            return Err(StoreError::Conflict(format!(
                "bot @{} is already connection {}",
                other.bot_username, other.id.0
            )));
        }
        let row = self
            .db
            .one_w(
                sqlx::query(
                    "INSERT INTO connections (name, bot_user_id, bot_username, token_enc, group_chat_id, plan, created_at, admin_user_id, group_title, api_key_enc) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(&c.name)
                .bind(c.bot_user_id.0)
                .bind(&c.bot_username)
                .bind(&c.token_enc)
                .bind(c.group_chat_id.0)
                .bind(&c.plan)
                .bind(c.now_ms)
                .bind(c.admin_user_id.map(|u| u.0))
                .bind(&c.group_title)
                .bind(&c.api_key_enc),
            )
            .await?;
        Ok(ConnectionId(row.try_get(0)?))
    }

    /// Every connection, by id.
    pub async fn all(&mut self) -> Result<Vec<Connection>> {
        self.db
            .all_as(
                sqlx::query(concat!("SELECT ", cols!(), " FROM connections ORDER BY id")),
                row,
            )
            .await
    }

    /// Every connection's id and whether it is enabled (the runtime's watch for changes
    /// made by other processes; two integers a row, as it runs every few seconds).
    pub async fn enabled_flags(&mut self) -> Result<Vec<(ConnectionId, bool)>> {
        self.db
            .all_as(
                sqlx::query("SELECT id, enabled FROM connections ORDER BY id"),
                |r| {
                    let enabled: i64 = r.try_get(1)?;
                    Ok((ConnectionId(r.try_get(0)?), enabled != 0))
                },
            )
            .await
    }

    pub async fn get(&mut self, id: ConnectionId) -> Result<Option<Connection>> {
        self.db
            .opt_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM connections WHERE id = $1"
                ))
                .bind(id.0),
                row,
            )
            .await
    }

    pub async fn by_bot(&mut self, bot_user_id: UserId) -> Result<Option<Connection>> {
        self.db
            .opt_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM connections WHERE bot_user_id = $1"
                ))
                .bind(bot_user_id.0),
                row,
            )
            .await
    }

    /// Connections `user_id` administers: created them or holds the admin role.
    pub async fn of_admin(&mut self, user_id: UserId) -> Result<Vec<Connection>> {
        self.db
            .all_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM connections c WHERE admin_user_id = $1 OR EXISTS \
                     (SELECT 1 FROM roles r WHERE r.connection_id = c.id AND r.user_id = $1 AND r.role = 'admin') \
                     ORDER BY id"
                ))
                .bind(user_id.0),
                row,
            )
            .await
    }

    /// Moves the connection's update offset forward to `offset` (never back): updates
    /// below it were consumed elsewhere (the setup bot while linking the group).
    pub async fn raise_update_offset(&mut self, id: ConnectionId, offset: i64) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "UPDATE connections SET update_offset = $1 WHERE id = $2 AND update_offset < $1",
                )
                .bind(offset)
                .bind(id.0),
            )
            .await?;
        Ok(())
    }

    /// Replaces the connection's (encrypted) API key.
    pub async fn set_api_key(&mut self, id: ConnectionId, api_key_enc: &str) -> Result<()> {
        let r = self
            .db
            .run(
                sqlx::query("UPDATE connections SET api_key_enc = $1 WHERE id = $2")
                    .bind(api_key_enc)
                    .bind(id.0),
            )
            .await?;
        if r.rows_affected() == 0 {
            return Err(no_connection(id));
        }
        Ok(())
    }

    /// Makes the connection's frontend the Telegram Business connection `json` (a
    /// BusinessConnection), or replaces it (Telegram sent it again: reconnected, rights
    /// changed, disabled). Not a settings change: the counter stays.
    pub async fn set_business(&mut self, id: ConnectionId, json: &str) -> Result<()> {
        let r = self
            .db
            .run(
                sqlx::query(
                    "UPDATE connections SET kind = 'business', business = $1 WHERE id = $2",
                )
                .bind(json)
                .bind(id.0),
            )
            .await?;
        if r.rows_affected() == 0 {
            return Err(no_connection(id));
        }
        Ok(())
    }

    /// Replaces the connection's sealed secrets (re-encrypted under a new instance key);
    /// changes nothing else, the settings counter included.
    pub async fn set_sealed(
        &mut self,
        id: ConnectionId,
        token_enc: &str,
        api_key_enc: Option<&str>,
    ) -> Result<()> {
        let r = self
            .db
            .run(
                sqlx::query(
                    "UPDATE connections SET token_enc = $1, api_key_enc = $2 WHERE id = $3",
                )
                .bind(token_enc)
                .bind(api_key_enc)
                .bind(id.0),
            )
            .await?;
        if r.rows_affected() == 0 {
            return Err(no_connection(id));
        }
        Ok(())
    }

    /// Sets the status and its error (`None` clears it).
    pub async fn set_status(
        &mut self,
        id: ConnectionId,
        status: ConnectionStatus,
        error: Option<&str>,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE connections SET status = $1, status_error = $2 WHERE id = $3")
                    .bind(status.as_str())
                    .bind(error)
                    .bind(id.0),
            )
            .await?;
        Ok(())
    }

    /// Changes the status and keeps the stored error (a stopped connection still knows why
    /// it last failed, so the cause is not announced again when it starts).
    pub async fn set_status_keep_error(
        &mut self,
        id: ConnectionId,
        status: ConnectionStatus,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE connections SET status = $1 WHERE id = $2")
                    .bind(status.as_str())
                    .bind(id.0),
            )
            .await?;
        Ok(())
    }

    /// The connection's status error.
    pub async fn status_error(&mut self, id: ConnectionId) -> Result<Option<String>> {
        let r = self
            .db
            .opt(sqlx::query("SELECT status_error FROM connections WHERE id = $1").bind(id.0))
            .await?;
        Ok(r.map(|r| r.try_get(0)).transpose()?.flatten())
    }

    pub async fn set_enabled(&mut self, id: ConnectionId, enabled: bool) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE connections SET enabled = $1 WHERE id = $2")
                    .bind(i64::from(enabled))
                    .bind(id.0),
            )
            .await?;
        Ok(())
    }

    /// The backend group moved (group → supergroup upgrade): follow it everywhere.
    pub async fn move_group(&mut self, id: ConnectionId, from: ChatId, to: ChatId) -> Result<()> {
        let mut a = self.db.atomic().await?;
        a.run(
            sqlx::query(
                "UPDATE connections SET group_chat_id = $1 WHERE id = $2 AND group_chat_id = $3",
            )
            .bind(to.0)
            .bind(id.0)
            .bind(from.0),
        )
        .await?;
        a.run(
            sqlx::query(
                "UPDATE dialogs SET group_chat_id = $1 WHERE connection_id = $2 AND group_chat_id = $3",
            )
            .bind(to.0)
            .bind(id.0)
            .bind(from.0),
        )
        .await?;
        a.finish().await
    }

    /// Removes the connection and everything stored for it.
    pub async fn delete(&mut self, id: ConnectionId) -> Result<()> {
        let mut a = self.db.atomic().await?;
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
            a.run(
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE connection_id = $1"
                )))
                .bind(id.0),
            )
            .await?;
        }
        a.run(sqlx::query("DELETE FROM connections WHERE id = $1").bind(id.0))
            .await?;
        a.finish().await
    }

    // ----- settings: parameters, plan, language, default role ---------------------------

    /// The connection's settings counter (see [`Connection::settings_version`]).
    pub async fn settings_version(&mut self, id: ConnectionId) -> Result<Option<i64>> {
        let r = self
            .db
            .opt(sqlx::query("SELECT settings_version FROM connections WHERE id = $1").bind(id.0))
            .await?;
        r.map(|r| Ok(r.try_get(0)?)).transpose()
    }

    /// The stored parameters and the settings counter (for a read-modify-write with
    /// [`Connections::set_params_if`]).
    pub async fn params_now(&mut self, id: ConnectionId) -> Result<Option<(i64, String)>> {
        let r = self
            .db
            .opt(
                sqlx::query("SELECT settings_version, params FROM connections WHERE id = $1")
                    .bind(id.0),
            )
            .await?;
        r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// Stores the parameters (JSON object of name → canonical text), unconditionally.
    pub async fn set_params(&mut self, id: ConnectionId, params_json: &str) -> Result<()> {
        self.set_setting(id, "params", params_json).await
    }

    /// Stores the parameters only if the settings counter is still `version` (compare and
    /// set): `false` when another change landed since they were read, and nothing was
    /// written. Read-modify-write callers retry on `false`, so two changes made at once
    /// (setup bot, CLI, `/ban`) never silently overwrite each other.
    pub async fn set_params_if(
        &mut self,
        id: ConnectionId,
        version: i64,
        params_json: &str,
    ) -> Result<bool> {
        let r = self
            .db
            .run(
                sqlx::query(
                    "UPDATE connections SET params = $1, settings_version = settings_version + 1 WHERE id = $2 AND settings_version = $3",
                )
                .bind(params_json)
                .bind(id.0)
                .bind(version),
            )
            .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn set_plan(&mut self, id: ConnectionId, plan: &str) -> Result<()> {
        self.set_setting(id, "plan", plan).await
    }

    pub async fn set_language(&mut self, id: ConnectionId, language: &str) -> Result<()> {
        self.set_setting(id, "language", language).await
    }

    pub async fn set_default_role(&mut self, id: ConnectionId, role: &str) -> Result<()> {
        self.set_setting(id, "default_role", role).await
    }

    async fn set_setting(
        &mut self,
        id: ConnectionId,
        column: &'static str,
        value: &str,
    ) -> Result<()> {
        // `column` is one of the fixed names above, never input.
        let sql = format!(
            "UPDATE connections SET {column} = $1, settings_version = settings_version + 1 WHERE id = $2"
        );
        let r = self
            .db
            .run(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).bind(id.0))
            .await?;
        if r.rows_affected() == 0 {
            return Err(no_connection(id));
        }
        Ok(())
    }
}
