//! `outbox`: every outbound Bot API call, durable, in per-chat lanes that run strictly in
//! id order; coalescing (a newer rename replaces a pending one), retries with a not-before
//! time, and completion together with the message pairs a copy created.

use hotline_core::ConnectionId;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;
use crate::db::Db;
use crate::maps::{self, MapEntry};

/// One outbox row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub i64);

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
    pub id: JobId,
    pub connection_id: ConnectionId,
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

macro_rules! cols {
    () => {
        "id, connection_id, lane, priority, kind, payload, coalesce_key, not_before, attempts, last_error, created_at"
    };
}

fn row(r: &AnyRow) -> Result<Job> {
    Ok(Job {
        id: JobId(r.try_get(0)?),
        connection_id: ConnectionId(r.try_get(1)?),
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

/// Outbound calls.
pub struct Outbox<'a> {
    pub(crate) db: Db<'a>,
}

impl Outbox<'_> {
    /// The head (oldest job) of every lane of a connection, lowest priority value first.
    pub async fn heads(&mut self, connection: ConnectionId) -> Result<Vec<Job>> {
        self.db
            .all_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM outbox WHERE connection_id = $1 AND id IN \
                     (SELECT MIN(id) FROM outbox WHERE connection_id = $1 GROUP BY lane) ORDER BY priority, id"
                ))
                .bind(connection.0),
                row,
            )
            .await
    }

    /// A connection's jobs queued after `id`, oldest first, at most `limit` (the delivery
    /// worker follows new work with this instead of re-reading every lane).
    pub async fn after(
        &mut self,
        connection: ConnectionId,
        id: JobId,
        limit: i64,
    ) -> Result<Vec<Job>> {
        self.db
            .all_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM outbox WHERE id > $1 AND connection_id = $2 ORDER BY id LIMIT $3"
                ))
                .bind(id.0)
                .bind(connection.0)
                .bind(limit),
                row,
            )
            .await
    }

    /// The first `limit` jobs of one lane, in order.
    pub async fn lane(
        &mut self,
        connection: ConnectionId,
        lane: &str,
        limit: i64,
    ) -> Result<Vec<Job>> {
        self.db
            .all_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM outbox WHERE connection_id = $1 AND lane = $2 ORDER BY id LIMIT $3"
                ))
                .bind(connection.0)
                .bind(lane)
                .bind(limit),
                row,
            )
            .await
    }

    /// How many jobs wait.
    pub async fn len(&mut self, connection: ConnectionId) -> Result<i64> {
        let r = self
            .db
            .one_w(
                sqlx::query("SELECT COUNT(*) FROM outbox WHERE connection_id = $1")
                    .bind(connection.0),
            )
            .await?;
        Ok(r.try_get(0)?)
    }

    /// How many jobs wait and when the oldest was queued (for metrics).
    pub async fn stats(&mut self, connection: ConnectionId) -> Result<crate::QueueStats> {
        let r = self
            .db
            .one(
                sqlx::query(
                    "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE connection_id = $1",
                )
                .bind(connection.0),
            )
            .await?;
        Ok(crate::QueueStats {
            depth: r.try_get(0)?,
            oldest: r.try_get(1)?,
        })
    }

    /// Enqueues an outbound call; a pending job with the same coalesce key is replaced.
    pub async fn push(
        &mut self,
        connection: ConnectionId,
        job: &NewJob,
        now_ms: i64,
    ) -> Result<JobId> {
        let mut a = self.db.atomic().await?;
        if let Some(key) = &job.coalesce_key {
            a.run(
                sqlx::query("DELETE FROM outbox WHERE connection_id = $1 AND coalesce_key = $2 AND attempts = 0")
                    .bind(connection.0)
                    .bind(key),
            )
            .await?;
        }
        let r = sqlx::query(
            "INSERT INTO outbox (connection_id, lane, priority, kind, payload, coalesce_key, not_before, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(connection.0)
        .bind(&job.lane)
        .bind(job.priority)
        .bind(&job.kind)
        .bind(&job.payload)
        .bind(&job.coalesce_key)
        .bind(job.not_before)
        .bind(now_ms)
        .fetch_one(a.conn())
        .await?;
        let id = JobId(r.try_get(0)?);
        a.finish().await?;
        Ok(id)
    }

    /// Records the message pairs finished copies created and removes their jobs (and any
    /// other finished jobs), atomically: one transaction, a few statements whatever the
    /// number of jobs, so the delivery worker commits many completions at once.
    pub async fn complete(
        &mut self,
        connection: ConnectionId,
        pairs: &[MapEntry],
        done: &[JobId],
        now_ms: i64,
    ) -> Result<()> {
        let mut a = self.db.atomic().await?;
        maps::put_in(&mut a, connection, pairs, now_ms).await?;
        for chunk in done.chunks(500) {
            let marks: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
            let sql = format!(
                "DELETE FROM outbox WHERE connection_id = $1 AND id IN ({})",
                marks.join(", ")
            );
            // Only placeholders are formatted in; every value is bound.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(connection.0);
            for id in chunk {
                q = q.bind(id.0);
            }
            a.run(q).await?;
        }
        a.finish().await
    }

    /// The job succeeded (or was given up on): remove it.
    pub async fn done(&mut self, id: JobId) -> Result<()> {
        self.db
            .run(sqlx::query("DELETE FROM outbox WHERE id = $1").bind(id.0))
            .await?;
        Ok(())
    }

    /// The job will be tried again no earlier than `not_before`.
    pub async fn retry(&mut self, id: JobId, not_before: i64, error: &str) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE outbox SET not_before = $1, attempts = attempts + 1, last_error = $2 WHERE id = $3")
                    .bind(not_before)
                    .bind(error)
                    .bind(id.0),
            )
            .await?;
        Ok(())
    }

    /// Keeps a job at its lane's head to run again from `not_before`, its attempts reset
    /// (work done in steps: a broadcast's recipients).
    pub async fn again(&mut self, id: JobId, not_before: i64) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE outbox SET not_before = $1, attempts = 0, last_error = NULL WHERE id = $2")
                    .bind(not_before)
                    .bind(id.0),
            )
            .await?;
        Ok(())
    }

    /// Rewrites a job's payload (e.g. a new thread after its topic was recreated).
    pub async fn update_payload(&mut self, id: JobId, payload: &str) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE outbox SET payload = $1 WHERE id = $2")
                    .bind(payload)
                    .bind(id.0),
            )
            .await?;
        Ok(())
    }
}
