//! `message_map`: which group message copies which customer message (and back), so edits,
//! replies and `/del` reach the other side.

use hotline_core::{ChatId, ConnectionId, DialogId, Direction, MessageId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;
use crate::db::{Atomic, Db, Q, unknown};

#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    pub dialog_id: DialogId,
    pub customer_chat_id: ChatId,
    pub customer_message_id: MessageId,
    pub group_chat_id: ChatId,
    pub group_message_id: MessageId,
    pub direction: Direction,
}

macro_rules! cols {
    () => {
        "dialog_id, customer_chat_id, customer_message_id, group_chat_id, group_message_id, direction"
    };
}

fn direction_text(d: Direction) -> &'static str {
    d.as_str()
}

fn row(r: &AnyRow) -> Result<MapEntry> {
    let direction: String = r.try_get(5)?;
    Ok(MapEntry {
        dialog_id: DialogId(r.try_get(0)?),
        customer_chat_id: ChatId(r.try_get(1)?),
        customer_message_id: MessageId(r.try_get(2)?),
        group_chat_id: ChatId(r.try_get(3)?),
        group_message_id: MessageId(r.try_get(4)?),
        direction: match direction.as_str() {
            "in" => Direction::In,
            "out" => Direction::Out,
            other => return Err(unknown("message_map.direction", other)),
        },
    })
}

/// A pair by its customer side: connection, customer chat, customer message.
const BY_CUSTOMER: &str = concat!(
    "SELECT ",
    cols!(),
    " FROM message_map WHERE connection_id = $1 AND customer_chat_id = $2 AND customer_message_id = $3"
);

/// A pair by its group side: connection, group, group message.
const BY_GROUP: &str = concat!(
    "SELECT ",
    cols!(),
    " FROM message_map WHERE connection_id = $1 AND group_chat_id = $2 AND group_message_id = $3"
);

/// The statement recording one pair (a later copy of the same customer message replaces it).
fn insert(connection: ConnectionId, e: &MapEntry, now_ms: i64) -> Q<'static> {
    sqlx::query(
        "INSERT INTO message_map (connection_id, dialog_id, customer_chat_id, customer_message_id, group_chat_id, group_message_id, direction, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (connection_id, customer_chat_id, customer_message_id) DO UPDATE SET \
         dialog_id = $2, group_chat_id = $5, group_message_id = $6, direction = $7",
    )
    .bind(connection.0)
    .bind(e.dialog_id.0)
    .bind(e.customer_chat_id.0)
    .bind(e.customer_message_id.0)
    .bind(e.group_chat_id.0)
    .bind(e.group_message_id.0)
    .bind(direction_text(e.direction))
    .bind(now_ms)
}

/// Pairs per multi-row statement (8 parameters each, well under every backend's limit).
const ROWS_PER_INSERT: usize = 100;

/// Records pairs as part of a larger atomic write (the outbox's completion), many rows a
/// statement. A customer message paired twice keeps its last pair, as one statement at a
/// time would (PostgreSQL refuses one statement touching a row twice).
pub(crate) async fn put_in(
    a: &mut Atomic<'_>,
    connection: ConnectionId,
    pairs: &[MapEntry],
    now_ms: i64,
) -> Result<()> {
    let mut last: Vec<&MapEntry> = Vec::with_capacity(pairs.len());
    for e in pairs.iter().rev() {
        let key = (e.customer_chat_id, e.customer_message_id);
        if !last
            .iter()
            .any(|l| (l.customer_chat_id, l.customer_message_id) == key)
        {
            last.push(e);
        }
    }
    last.reverse();
    for chunk in last.chunks(ROWS_PER_INSERT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 8;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO message_map (connection_id, dialog_id, customer_chat_id, customer_message_id, group_chat_id, group_message_id, direction, created_at) \
             VALUES {} \
             ON CONFLICT (connection_id, customer_chat_id, customer_message_id) DO UPDATE SET \
             dialog_id = excluded.dialog_id, group_chat_id = excluded.group_chat_id, \
             group_message_id = excluded.group_message_id, direction = excluded.direction",
            rows.join(", ")
        );
        // Only placeholders are formatted in; every value is bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for e in chunk {
            q = q
                .bind(connection.0)
                .bind(e.dialog_id.0)
                .bind(e.customer_chat_id.0)
                .bind(e.customer_message_id.0)
                .bind(e.group_chat_id.0)
                .bind(e.group_message_id.0)
                .bind(direction_text(e.direction))
                .bind(now_ms);
        }
        a.run(q).await?;
    }
    Ok(())
}

/// Message pairs.
pub struct Maps<'a> {
    pub(crate) db: Db<'a>,
}

impl Maps<'_> {
    pub async fn put(&mut self, connection: ConnectionId, e: &MapEntry, now_ms: i64) -> Result<()> {
        self.db.run(insert(connection, e, now_ms)).await?;
        Ok(())
    }

    /// Forgets up to `limit` pairs recorded before `before_ms`, returning how many (edits,
    /// replies and `/del` of those messages then no longer reach the other side). Bounded
    /// like [`crate::Inbox::prune`].
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
                    "DELETE FROM message_map WHERE connection_id = $1 \
                     AND (customer_chat_id, customer_message_id) IN \
                     (SELECT customer_chat_id, customer_message_id FROM message_map \
                      WHERE connection_id = $1 AND created_at < $2 LIMIT $3)",
                )
                .bind(connection.0)
                .bind(before_ms)
                .bind(limit),
            )
            .await?;
        Ok(r.rows_affected())
    }

    /// The pair of a customer's message.
    pub async fn by_customer(
        &mut self,
        connection: ConnectionId,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Option<MapEntry>> {
        self.find(BY_CUSTOMER, connection, chat, message).await
    }

    /// The pair of a message in the backend group.
    pub async fn by_group(
        &mut self,
        connection: ConnectionId,
        group: ChatId,
        message: MessageId,
    ) -> Result<Option<MapEntry>> {
        self.find(BY_GROUP, connection, group, message).await
    }

    /// One pair by either side (`sql` is [`BY_CUSTOMER`] or [`BY_GROUP`]).
    async fn find(
        &mut self,
        sql: &'static str,
        connection: ConnectionId,
        chat: ChatId,
        message: MessageId,
    ) -> Result<Option<MapEntry>> {
        let q = sqlx::query(sql)
            .bind(connection.0)
            .bind(chat.0)
            .bind(message.0);
        self.db.opt_as(q, row).await
    }

    pub async fn count(&mut self, connection: ConnectionId) -> Result<i64> {
        let r = self
            .db
            .one(
                sqlx::query("SELECT COUNT(*) FROM message_map WHERE connection_id = $1")
                    .bind(connection.0),
            )
            .await?;
        Ok(r.try_get(0)?)
    }
}
