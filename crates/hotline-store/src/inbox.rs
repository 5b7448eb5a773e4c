//! `inbox`: updates as received, committed before their offset is confirmed to Telegram
//! (or the webhook answered), processed exactly once, set aside after repeated failures,
//! pruned after a week; and the poll position kept on the connection.

use hotline_core::{ConnectionId, UpdateId};
use sqlx::Row;

use crate::Result;
use crate::db::Db;

#[derive(Debug, Clone, PartialEq)]
pub struct InboxItem {
    pub update_id: UpdateId,
    pub payload: String,
}

/// An update set aside after its processing kept failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub update_id: UpdateId,
    pub error: String,
    pub at: i64,
    pub attempts: i64,
    pub payload: String,
}

/// Received updates.
pub struct Inbox<'a> {
    pub(crate) db: Db<'a>,
}

impl Inbox<'_> {
    /// Commits received updates and the next offset together; an update already stored
    /// (Telegram delivers at least once) is ignored. Returns how many were new.
    pub async fn put(
        &mut self,
        connection: ConnectionId,
        updates: &[(UpdateId, String)],
        now_ms: i64,
    ) -> Result<u64> {
        self.put_inner(connection, updates, now_ms, false).await
    }

    /// [`Inbox::put`] for a batch fetched without an offset after a quiet week: the offset
    /// becomes one past the newest update of the batch (the last one, as Telegram orders
    /// them) even when that is lower than before, because Telegram restarted its update
    /// ids at a random number.
    pub async fn put_restarting(
        &mut self,
        connection: ConnectionId,
        updates: &[(UpdateId, String)],
        now_ms: i64,
    ) -> Result<u64> {
        self.put_inner(connection, updates, now_ms, true).await
    }

    async fn put_inner(
        &mut self,
        connection: ConnectionId,
        updates: &[(UpdateId, String)],
        now_ms: i64,
        restart: bool,
    ) -> Result<u64> {
        let mut a = self.db.atomic().await?;
        let mut inserted = 0;
        let max_id = updates.iter().map(|u| u.0.0).max();
        // Many rows a statement: one round trip to the database per 100 updates, not one
        // per update (a getUpdates answer holds up to 100).
        for chunk in updates.chunks(100) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, ${}, ${}, $2)", 2 * i + 3, 2 * i + 4))
                .collect();
            let sql = format!(
                "INSERT INTO inbox (connection_id, update_id, payload, received_at) VALUES {} \
                 ON CONFLICT (connection_id, update_id) DO NOTHING",
                rows.join(", ")
            );
            // Only placeholders are formatted in; every value is bound.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(connection.0)
                .bind(now_ms);
            for (update_id, payload) in chunk {
                q = q.bind(update_id.0).bind(payload);
            }
            inserted += a.run(q).await?.rows_affected();
        }
        let newest = if restart {
            updates.last().map(|u| u.0.0)
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
            a.run(sqlx::query(sql).bind(m + 1).bind(connection.0).bind(now_ms))
                .await?;
        }
        a.finish().await?;
        Ok(inserted)
    }

    /// Where polling resumes: the offset to confirm with, and when the newest update came.
    pub async fn poll_position(&mut self, connection: ConnectionId) -> Result<(i64, Option<i64>)> {
        let r = self
            .db
            .opt(
                sqlx::query("SELECT update_offset, last_update_at FROM connections WHERE id = $1")
                    .bind(connection.0),
            )
            .await?;
        Ok(match r {
            Some(r) => (r.try_get(0)?, r.try_get(1)?),
            None => (0, None),
        })
    }

    /// The offset to confirm with: one past the newest update ever committed.
    pub async fn update_offset(&mut self, connection: ConnectionId) -> Result<i64> {
        let r = self
            .db
            .opt(
                sqlx::query("SELECT update_offset FROM connections WHERE id = $1")
                    .bind(connection.0),
            )
            .await?;
        Ok(r.map(|r| r.try_get(0)).transpose()?.unwrap_or(0))
    }

    /// How many updates wait for processing and when the oldest was received (metrics).
    pub async fn stats(&mut self, connection: ConnectionId) -> Result<crate::QueueStats> {
        let r = self
            .db
            .one(
                sqlx::query(
                    "SELECT COUNT(*), MIN(received_at) FROM inbox WHERE connection_id = $1 AND processed_at IS NULL",
                )
                .bind(connection.0),
            )
            .await?;
        Ok(crate::QueueStats {
            depth: r.try_get(0)?,
            oldest: r.try_get(1)?,
        })
    }

    /// Unprocessed updates, oldest first.
    pub async fn pending(
        &mut self,
        connection: ConnectionId,
        limit: i64,
    ) -> Result<Vec<InboxItem>> {
        let rows = self
            .db
            .all(
                sqlx::query(
                    "SELECT update_id, payload FROM inbox WHERE connection_id = $1 AND processed_at IS NULL ORDER BY update_id LIMIT $2",
                )
                .bind(connection.0)
                .bind(limit),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(InboxItem {
                    update_id: UpdateId(r.try_get(0)?),
                    payload: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// Marks one update processed; `false` when it already was (another processor took it).
    pub async fn mark_processed(
        &mut self,
        connection: ConnectionId,
        update: UpdateId,
        now_ms: i64,
    ) -> Result<bool> {
        let r = self
            .db
            .run(
                sqlx::query("UPDATE inbox SET processed_at = $1 WHERE connection_id = $2 AND update_id = $3 AND processed_at IS NULL")
                    .bind(now_ms)
                    .bind(connection.0)
                    .bind(update.0),
            )
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Marks a batch of updates processed; returns the ids that were not processed before
    /// (an update another processor already took is left out, so it takes effect once).
    pub async fn mark_processed_batch(
        &mut self,
        connection: ConnectionId,
        updates: &[UpdateId],
        now_ms: i64,
    ) -> Result<Vec<UpdateId>> {
        if updates.is_empty() {
            return Ok(Vec::new());
        }
        // The list holds only integers we format ourselves.
        let list = updates
            .iter()
            .map(|u| u.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "UPDATE inbox SET processed_at = $1 WHERE connection_id = $2 AND processed_at IS NULL AND update_id IN ({list}) RETURNING update_id"
        );
        let rows = self
            .db
            .all_w(
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(now_ms)
                    .bind(connection.0),
            )
            .await?;
        rows.iter().map(|r| Ok(UpdateId(r.try_get(0)?))).collect()
    }

    /// Records that processing `update` failed with `error`; after `max_attempts` failures
    /// it is set aside (marked processed, the error kept) so the connection moves on.
    /// Returns whether it was set aside now.
    pub async fn failed(
        &mut self,
        connection: ConnectionId,
        update: UpdateId,
        error: &str,
        max_attempts: i64,
        now_ms: i64,
    ) -> Result<bool> {
        let r = self
            .db
            .opt_w(
                sqlx::query(
                    "UPDATE inbox SET attempts = attempts + 1, error = $1, \
                     processed_at = CASE WHEN attempts + 1 >= $2 THEN $3 ELSE NULL END \
                     WHERE connection_id = $4 AND update_id = $5 AND processed_at IS NULL \
                     RETURNING processed_at",
                )
                .bind(error)
                .bind(max_attempts)
                .bind(now_ms)
                .bind(connection.0)
                .bind(update.0),
            )
            .await?;
        Ok(match r {
            Some(r) => r.try_get::<Option<i64>, _>(0)?.is_some(),
            None => false,
        })
    }

    /// Updates that were set aside after failing (newest first).
    pub async fn set_aside(&mut self, connection: ConnectionId) -> Result<Vec<SetAside>> {
        let rows = self
            .db
            .all(
                sqlx::query(
                    "SELECT update_id, error, processed_at, attempts, payload FROM inbox \
                     WHERE connection_id = $1 AND processed_at IS NOT NULL AND error IS NOT NULL \
                     ORDER BY update_id DESC",
                )
                .bind(connection.0),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SetAside {
                    update_id: UpdateId(r.try_get(0)?),
                    error: r.try_get(1)?,
                    at: r.try_get(2)?,
                    attempts: r.try_get(3)?,
                    payload: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Forgets up to `limit` processed updates older than `before_ms` (the offset is kept
    /// on the connection; updates still pending or set aside are kept), returning how many.
    /// Bounded, so a large backlog never holds the write lock for long: call again while it
    /// returns `limit`.
    pub async fn prune(
        &mut self,
        connection: ConnectionId,
        before_ms: i64,
        limit: i64,
    ) -> Result<u64> {
        let r = self
            .db
            .run(
                sqlx::query(
                    "DELETE FROM inbox WHERE connection_id = $1 AND update_id IN \
                     (SELECT update_id FROM inbox WHERE connection_id = $1 \
                      AND processed_at IS NOT NULL AND processed_at < $2 LIMIT $3)",
                )
                .bind(connection.0)
                .bind(before_ms)
                .bind(limit),
            )
            .await?;
        Ok(r.rows_affected())
    }
}
