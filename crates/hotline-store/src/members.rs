//! `members` (people seen writing in a backend group, so an admin can name them by
//! @username) and `roles` (explicit role assignments; changing one bumps the connection's
//! settings counter).

use hotline_core::{ConnectionId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Db;
use crate::{Result, StoreError};

/// A member of a backend group seen writing there.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub user_id: UserId,
    pub username: Option<String>,
    pub first_name: String,
}

fn row(r: &AnyRow) -> Result<Member> {
    Ok(Member {
        user_id: UserId(r.try_get(0)?),
        username: r.try_get(1)?,
        first_name: r.try_get(2)?,
    })
}

/// Group members seen writing, and role assignments.
pub struct Members<'a> {
    pub(crate) db: Db<'a>,
}

impl Members<'_> {
    /// Records a member of the backend group seen writing there.
    pub async fn seen(&mut self, connection: ConnectionId, m: &Member, now_ms: i64) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "INSERT INTO members (connection_id, user_id, username, first_name, last_seen) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (connection_id, user_id) DO UPDATE SET username = $3, first_name = $4, last_seen = $5",
                )
                .bind(connection.0)
                .bind(m.user_id.0)
                .bind(&m.username)
                .bind(&m.first_name)
                .bind(now_ms),
            )
            .await?;
        Ok(())
    }

    /// The member with this @username (without the @, case-insensitive) seen most recently.
    pub async fn by_username(
        &mut self,
        connection: ConnectionId,
        username: &str,
    ) -> Result<Option<Member>> {
        self.db
            .opt_as(
                sqlx::query(
                    "SELECT user_id, username, first_name FROM members \
                     WHERE connection_id = $1 AND lower(username) = lower($2) ORDER BY last_seen DESC LIMIT 1",
                )
                .bind(connection.0)
                .bind(username),
                row,
            )
            .await
    }

    pub async fn get(&mut self, connection: ConnectionId, user: UserId) -> Result<Option<Member>> {
        self.db
            .opt_as(
                sqlx::query(
                    "SELECT user_id, username, first_name FROM members WHERE connection_id = $1 AND user_id = $2",
                )
                .bind(connection.0)
                .bind(user.0),
                row,
            )
            .await
    }

    // ----- roles -------------------------------------------------------------------------

    /// Explicit role assignments, by user id.
    pub async fn roles(&mut self, connection: ConnectionId) -> Result<Vec<(UserId, String)>> {
        let rows = self
            .db
            .all(
                sqlx::query(
                    "SELECT user_id, role FROM roles WHERE connection_id = $1 ORDER BY user_id",
                )
                .bind(connection.0),
            )
            .await?;
        rows.iter()
            .map(|r| Ok((UserId(r.try_get(0)?), r.try_get(1)?)))
            .collect()
    }

    /// Assigns `role` to a user, or removes the assignment (`None`).
    pub async fn set_role(
        &mut self,
        connection: ConnectionId,
        user: UserId,
        role: Option<&str>,
    ) -> Result<()> {
        self.write_role(connection, None, user, role)
            .await
            .map(|_| ())
    }

    /// [`Members::set_role`] only if the settings counter is still `version`: `false` (and
    /// nothing written) when another change landed since the roles were read. The counter
    /// is moved first, so on PostgreSQL a concurrent change waits for this one's row lock
    /// and then finds the counter moved: two admins demoting each other at once cannot both
    /// pass the last-admin check.
    pub async fn set_role_if(
        &mut self,
        connection: ConnectionId,
        version: i64,
        user: UserId,
        role: Option<&str>,
    ) -> Result<bool> {
        self.write_role(connection, Some(version), user, role).await
    }

    async fn write_role(
        &mut self,
        id: ConnectionId,
        version: Option<i64>,
        user: UserId,
        role: Option<&str>,
    ) -> Result<bool> {
        let mut a = self.db.atomic().await?;
        let bumped = a
            .run(match version {
                Some(v) => sqlx::query(
                    "UPDATE connections SET settings_version = settings_version + 1 WHERE id = $1 AND settings_version = $2",
                )
                .bind(id.0)
                .bind(v),
                None => sqlx::query(
                    "UPDATE connections SET settings_version = settings_version + 1 WHERE id = $1",
                )
                .bind(id.0),
            })
            .await?;
        if bumped.rows_affected() == 0 {
            // Nothing was written; a transaction of our own rolls back when dropped.
            let exists = sqlx::query("SELECT 1 FROM connections WHERE id = $1")
                .bind(id.0)
                .fetch_optional(a.conn())
                .await?
                .is_some();
            drop(a);
            return match version {
                Some(_) if exists => Ok(false),
                _ => Err(StoreError::Conflict(format!("no connection {}", id.0))),
            };
        }
        match role {
            Some(role) => {
                a.run(
                    sqlx::query(
                        "INSERT INTO roles (connection_id, user_id, role) VALUES ($1, $2, $3) \
                         ON CONFLICT (connection_id, user_id) DO UPDATE SET role = $3",
                    )
                    .bind(id.0)
                    .bind(user.0)
                    .bind(role),
                )
                .await?;
            }
            None => {
                a.run(
                    sqlx::query("DELETE FROM roles WHERE connection_id = $1 AND user_id = $2")
                        .bind(id.0)
                        .bind(user.0),
                )
                .await?;
            }
        }
        a.finish().await?;
        Ok(true)
    }
}
