//! `broadcasts` and `broadcast_recipients`: mailings from General (`/send`), each recipient's
//! send recorded, so a restart resumes where it stopped and nobody gets one twice.
//!
//! A recipient goes pending → sending (committed before the call) → sent or failed. A
//! `sending` row found when the broadcast goes on was interrupted by a crash mid-call: it
//! becomes `unknown` and is never sent again (Telegram cannot say whether it arrived).

use hotline_core::ConnectionId;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;
use crate::db::{Db, unknown};

/// Where a broadcast is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastState {
    /// Previewed, waiting for Confirm.
    Draft,
    Running,
    Paused,
    Cancelled,
    Done,
}

impl BroadcastState {
    pub fn as_str(self) -> &'static str {
        match self {
            BroadcastState::Draft => "draft",
            BroadcastState::Running => "running",
            BroadcastState::Paused => "paused",
            BroadcastState::Cancelled => "cancelled",
            BroadcastState::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "draft" => BroadcastState::Draft,
            "running" => BroadcastState::Running,
            "paused" => BroadcastState::Paused,
            "cancelled" => BroadcastState::Cancelled,
            "done" => BroadcastState::Done,
            _ => return None,
        })
    }
}

/// Where one recipient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecipientState {
    Pending,
    Sending,
    Sent,
    Failed,
    /// Interrupted mid-call by a crash: it may or may not have arrived; not sent again.
    Unknown,
    /// Beyond the free plan's monthly quota: not sent.
    OverQuota,
    /// The broadcast was cancelled before its turn.
    Cancelled,
}

impl RecipientState {
    pub const ALL: [RecipientState; 7] = [
        RecipientState::Pending,
        RecipientState::Sending,
        RecipientState::Sent,
        RecipientState::Failed,
        RecipientState::Unknown,
        RecipientState::OverQuota,
        RecipientState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecipientState::Pending => "pending",
            RecipientState::Sending => "sending",
            RecipientState::Sent => "sent",
            RecipientState::Failed => "failed",
            RecipientState::Unknown => "unknown",
            RecipientState::OverQuota => "over_quota",
            RecipientState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        RecipientState::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One broadcast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    pub id: i64,
    pub connection_id: ConnectionId,
    pub created_by: i64,
    pub state: BroadcastState,
    /// The content: a JSON array of Bot API messages.
    pub items: String,
    /// The template's name, or empty for a message replied to.
    pub content_label: String,
    /// The audience as typed, for the texts and the report.
    pub audience: String,
    pub month: Option<String>,
    pub command_message: Option<i64>,
    /// The preview, then progress, message in General.
    pub control_message: Option<i64>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub progress_at: Option<i64>,
}

/// What a new broadcast is made of.
#[derive(Debug, Clone)]
pub struct NewBroadcast<'a> {
    pub connection_id: ConnectionId,
    pub created_by: i64,
    pub items: &'a str,
    pub content_label: &'a str,
    pub audience: &'a str,
    pub command_message: Option<i64>,
}

/// How many recipients are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub unknown: i64,
    pub over_quota: i64,
    pub cancelled: i64,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.pending
            + self.sending
            + self.sent
            + self.failed
            + self.unknown
            + self.over_quota
            + self.cancelled
    }
}

/// One line of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub position: i64,
    pub user_id: i64,
    pub state: RecipientState,
    pub error: Option<String>,
    /// From the customer's record, if there is one.
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
}

const COLUMNS: &str = "SELECT id, connection_id, created_by, state, items, content_label, audience, month, \
     command_message, control_message, created_at, started_at, finished_at, progress_at FROM broadcasts";

fn broadcast(r: &AnyRow) -> Result<Broadcast> {
    let state: String = r.try_get(3)?;
    Ok(Broadcast {
        id: r.try_get(0)?,
        connection_id: ConnectionId(r.try_get(1)?),
        created_by: r.try_get(2)?,
        state: BroadcastState::parse(&state).ok_or_else(|| unknown("broadcasts.state", &state))?,
        items: r.try_get(4)?,
        content_label: r.try_get(5)?,
        audience: r.try_get(6)?,
        month: r.try_get(7)?,
        command_message: r.try_get(8)?,
        control_message: r.try_get(9)?,
        created_at: r.try_get(10)?,
        started_at: r.try_get(11)?,
        finished_at: r.try_get(12)?,
        progress_at: r.try_get(13)?,
    })
}

/// Recipients inserted per statement (three parameters each).
const INSERT_CHUNK: usize = 300;

/// Broadcasts and their recipients.
pub struct Broadcasts<'a> {
    pub(crate) db: Db<'a>,
}

impl Broadcasts<'_> {
    /// A draft with its recipients in order (duplicates dropped by the caller).
    pub async fn create(
        &mut self,
        b: &NewBroadcast<'_>,
        users: &[i64],
        now_ms: i64,
    ) -> Result<i64> {
        let mut a = self.db.atomic().await?;
        let row = sqlx::query(
            "INSERT INTO broadcasts (connection_id, created_by, state, items, content_label, audience, command_message, created_at) \
             VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(b.connection_id.0)
        .bind(b.created_by)
        .bind(b.items)
        .bind(b.content_label)
        .bind(b.audience)
        .bind(b.command_message)
        .bind(now_ms)
        .fetch_one(a.conn())
        .await?;
        let id: i64 = row.try_get(0)?;
        let mut position = 0_i64;
        for chunk in users.chunks(INSERT_CHUNK) {
            let mut sql = String::from(
                "INSERT INTO broadcast_recipients (broadcast_id, position, user_id, state) VALUES ",
            );
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let n = i * 3;
                sql.push_str(&format!("(${}, ${}, ${}, 'pending')", n + 1, n + 2, n + 3));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for user in chunk {
                q = q.bind(id).bind(position).bind(*user);
                position += 1;
            }
            a.run(q).await?;
        }
        a.finish().await?;
        Ok(id)
    }

    pub async fn get(&mut self, connection: ConnectionId, id: i64) -> Result<Option<Broadcast>> {
        self.db
            .opt_as(
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{COLUMNS} WHERE connection_id = $1 AND id = $2"
                )))
                .bind(connection.0)
                .bind(id),
                broadcast,
            )
            .await
    }

    /// The connection's broadcasts that are running or paused.
    pub async fn active(&mut self, connection: ConnectionId) -> Result<Vec<Broadcast>> {
        self.db
            .all_as(
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{COLUMNS} WHERE connection_id = $1 AND state IN ('running', 'paused') ORDER BY id"
                )))
                .bind(connection.0),
                broadcast,
            )
            .await
    }

    pub async fn set_control_message(&mut self, id: i64, message: i64) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE broadcasts SET control_message = $1 WHERE id = $2")
                    .bind(message)
                    .bind(id),
            )
            .await?;
        Ok(())
    }

    pub async fn set_progress_at(&mut self, id: i64, now_ms: i64) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE broadcasts SET progress_at = $1 WHERE id = $2")
                    .bind(now_ms)
                    .bind(id),
            )
            .await?;
        Ok(())
    }

    /// Recipients of the connection's broadcasts started in `month` that used its quota
    /// (sent, being sent, waiting, or interrupted).
    pub async fn month_used(&mut self, connection: ConnectionId, month: &str) -> Result<i64> {
        let r = self
            .db
            .one(
                sqlx::query(
                    "SELECT COUNT(*) FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id \
                     WHERE b.connection_id = $1 AND b.month = $2 AND r.state IN ('pending', 'sending', 'sent', 'unknown')",
                )
                .bind(connection.0)
                .bind(month),
            )
            .await?;
        Ok(r.try_get(0)?)
    }

    /// Confirm: the draft starts in `month`; with `allowance`, recipients beyond it are
    /// over the quota. `false` if it was no longer a draft.
    pub async fn start(
        &mut self,
        id: i64,
        month: &str,
        allowance: Option<i64>,
        now_ms: i64,
    ) -> Result<bool> {
        let mut a = self.db.atomic().await?;
        let r = a
            .run(
                sqlx::query(
                    "UPDATE broadcasts SET state = 'running', month = $1, started_at = $2, progress_at = $2 \
                     WHERE id = $3 AND state = 'draft'",
                )
                .bind(month)
                .bind(now_ms)
                .bind(id),
            )
            .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        if let Some(allowed) = allowance {
            a.run(
                sqlx::query(
                    "UPDATE broadcast_recipients SET state = 'over_quota' WHERE broadcast_id = $1 AND state = 'pending' AND position >= $2",
                )
                .bind(id)
                .bind(allowed.max(0)),
            )
            .await?;
        }
        a.finish().await?;
        Ok(true)
    }

    /// Moves the broadcast from one of `from` to `to`; `false` if it was in none of them.
    /// Cancelling also cancels every recipient still waiting.
    pub async fn transition(
        &mut self,
        id: i64,
        from: &[BroadcastState],
        to: BroadcastState,
        now_ms: i64,
    ) -> Result<bool> {
        let list = from
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        if list.is_empty() {
            return Ok(false);
        }
        let finished =
            matches!(to, BroadcastState::Done | BroadcastState::Cancelled).then_some(now_ms);
        let mut a = self.db.atomic().await?;
        let r = a
            .run(
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE broadcasts SET state = $1, finished_at = COALESCE($2, finished_at) \
                     WHERE id = $3 AND state IN ({list})"
                )))
                .bind(to.as_str())
                .bind(finished)
                .bind(id),
            )
            .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        if to == BroadcastState::Cancelled {
            a.run(
                sqlx::query(
                    "UPDATE broadcast_recipients SET state = 'cancelled', at = $1 WHERE broadcast_id = $2 AND state = 'pending'",
                )
                .bind(now_ms)
                .bind(id),
            )
            .await?;
        }
        a.finish().await?;
        Ok(true)
    }

    /// The next recipient's turn: any send interrupted by a crash becomes unknown, then the
    /// first pending one is marked sending (committed before the call). `None` when nobody
    /// is waiting.
    pub async fn claim_next(&mut self, id: i64, now_ms: i64) -> Result<Option<(i64, i64)>> {
        let mut a = self.db.atomic().await?;
        a.run(
            sqlx::query(
                "UPDATE broadcast_recipients SET state = 'unknown', error = 'interrupted', at = $1 \
                 WHERE broadcast_id = $2 AND state = 'sending'",
            )
            .bind(now_ms)
            .bind(id),
        )
        .await?;
        let next = sqlx::query(
            "SELECT position, user_id FROM broadcast_recipients WHERE broadcast_id = $1 AND state = 'pending' \
             ORDER BY position LIMIT 1",
        )
        .bind(id)
        .fetch_optional(a.conn())
        .await?;
        let Some(row) = next else {
            a.finish().await?;
            return Ok(None);
        };
        let (position, user): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        a.run(
            sqlx::query(
                "UPDATE broadcast_recipients SET state = 'sending', at = $1 WHERE broadcast_id = $2 AND position = $3",
            )
            .bind(now_ms)
            .bind(id)
            .bind(position),
        )
        .await?;
        a.finish().await?;
        Ok(Some((position, user)))
    }

    /// A recipient's outcome (`Pending` puts them back for another try).
    pub async fn record(
        &mut self,
        id: i64,
        position: i64,
        state: RecipientState,
        error: Option<&str>,
        now_ms: i64,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "UPDATE broadcast_recipients SET state = $1, error = $2, at = $3 WHERE broadcast_id = $4 AND position = $5",
                )
                .bind(state.as_str())
                .bind(error)
                .bind(now_ms)
                .bind(id)
                .bind(position),
            )
            .await?;
        Ok(())
    }

    pub async fn counts(&mut self, id: i64) -> Result<Counts> {
        let rows = self
            .db
            .all(
                sqlx::query(
                    "SELECT state, COUNT(*) FROM broadcast_recipients WHERE broadcast_id = $1 GROUP BY state",
                )
                .bind(id),
            )
            .await?;
        let mut c = Counts::default();
        for r in rows {
            let state: String = r.try_get(0)?;
            let n: i64 = r.try_get(1)?;
            match RecipientState::parse(&state) {
                Some(RecipientState::Pending) => c.pending = n,
                Some(RecipientState::Sending) => c.sending = n,
                Some(RecipientState::Sent) => c.sent = n,
                Some(RecipientState::Failed) => c.failed = n,
                Some(RecipientState::Unknown) => c.unknown = n,
                Some(RecipientState::OverQuota) => c.over_quota = n,
                Some(RecipientState::Cancelled) => c.cancelled = n,
                None => return Err(unknown("broadcast_recipients.state", &state)),
            }
        }
        Ok(c)
    }

    /// Recipients after `position`, in order, at most `limit`, with their names (reports).
    pub async fn page(&mut self, id: i64, after: i64, limit: i64) -> Result<Vec<Recipient>> {
        self.db
            .all_as(
                sqlx::query(
                    "SELECT r.position, r.user_id, r.state, r.error, c.first_name, c.last_name, c.username \
                     FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id \
                     LEFT JOIN customers c ON c.connection_id = b.connection_id AND c.chat_id = r.user_id \
                     WHERE r.broadcast_id = $1 AND r.position > $2 ORDER BY r.position LIMIT $3",
                )
                .bind(id)
                .bind(after)
                .bind(limit),
                |r| {
                    let state: String = r.try_get(2)?;
                    Ok(Recipient {
                        position: r.try_get(0)?,
                        user_id: r.try_get(1)?,
                        state: RecipientState::parse(&state)
                            .ok_or_else(|| unknown("broadcast_recipients.state", &state))?,
                        error: r.try_get(3)?,
                        first_name: r.try_get(4)?,
                        last_name: r.try_get(5)?,
                        username: r.try_get(6)?,
                    })
                },
            )
            .await
    }
}
