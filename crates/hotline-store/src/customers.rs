//! `customers`: who writes to a connection (names refresh on every message), what they
//! shared (phone, `/start` parameter) and whether they can still be reached.

use hotline_core::{ChatId, ConnectionId, DialogId, Status};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;
use crate::db::{Db, unknown};

#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub connection_id: ConnectionId,
    pub chat_id: ChatId,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
    pub first_seen: i64,
    pub last_seen: i64,
    pub unreachable: Option<String>,
    /// Shared by the customer (a contact of their own).
    pub phone: Option<String>,
    /// The `/start` parameter they came with.
    pub start_payload: Option<String>,
}

fn row(r: &AnyRow) -> Result<Customer> {
    Ok(Customer {
        connection_id: ConnectionId(r.try_get(0)?),
        chat_id: ChatId(r.try_get(1)?),
        first_name: r.try_get(2)?,
        last_name: r.try_get(3)?,
        username: r.try_get(4)?,
        language_code: r.try_get(5)?,
        first_seen: r.try_get(6)?,
        last_seen: r.try_get(7)?,
        unreachable: r.try_get(8)?,
        phone: r.try_get(9)?,
        start_payload: r.try_get(10)?,
    })
}

/// A customer as exported, with their dialog (none if they never wrote a message).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedCustomer {
    pub customer: Customer,
    pub dialog: Option<DialogId>,
    pub status: Option<Status>,
    /// How many times the dialog was opened (created or reopened).
    pub openings: i64,
}

const EXPORT_COLUMNS: &str = "c.connection_id, c.chat_id, c.first_name, c.last_name, c.username, c.language_code, c.first_seen, c.last_seen, c.unreachable, c.phone, c.start_payload, d.id, d.status, d.openings \
     FROM customers c LEFT JOIN dialogs d ON d.connection_id = c.connection_id AND d.customer_chat_id = c.chat_id";

fn exported(r: &AnyRow) -> Result<ExportedCustomer> {
    let status: Option<String> = r.try_get(12)?;
    let status = match status {
        Some(s) => Some(Status::parse(&s).ok_or_else(|| unknown("dialogs.status", &s))?),
        None => None,
    };
    Ok(ExportedCustomer {
        customer: row(r)?,
        dialog: r.try_get::<Option<i64>, _>(11)?.map(DialogId),
        status,
        openings: r.try_get::<Option<i64>, _>(13)?.unwrap_or(0),
    })
}

/// Customers.
pub struct Customers<'a> {
    pub(crate) db: Db<'a>,
}

impl Customers<'_> {
    /// Up to `limit` of the connection's customers after chat id `after`, in chat id order;
    /// with `tag`, only those whose dialog has it (pages of an export).
    pub async fn export_page(
        &mut self,
        connection: ConnectionId,
        tag: Option<i64>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ExportedCustomer>> {
        let q = match tag {
            None => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {EXPORT_COLUMNS} WHERE c.connection_id = $1 AND c.chat_id > $2 ORDER BY c.chat_id LIMIT $3"
            )))
            .bind(connection.0)
            .bind(after)
            .bind(limit),
            Some(t) => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {EXPORT_COLUMNS} WHERE c.connection_id = $1 AND c.chat_id > $2 \
                 AND EXISTS (SELECT 1 FROM dialog_tags g WHERE g.dialog_id = d.id AND g.tag_id = $3) \
                 ORDER BY c.chat_id LIMIT $4"
            )))
            .bind(connection.0)
            .bind(after)
            .bind(t)
            .bind(limit),
        };
        self.db.all_as(q, exported).await
    }

    pub async fn get(
        &mut self,
        connection: ConnectionId,
        chat: ChatId,
    ) -> Result<Option<Customer>> {
        self.db
            .opt_as(
                sqlx::query(
                    "SELECT connection_id, chat_id, first_name, last_name, username, language_code, first_seen, last_seen, unreachable, phone, start_payload \
                     FROM customers WHERE connection_id = $1 AND chat_id = $2",
                )
                .bind(connection.0)
                .bind(chat.0),
                row,
            )
            .await
    }

    /// Records the customer (names refresh on every message).
    /// The customer with this @username (without the @, in any case) seen most recently.
    pub async fn by_username(
        &mut self,
        connection: ConnectionId,
        username: &str,
    ) -> Result<Option<Customer>> {
        self.db
            .opt_as(
                sqlx::query(
                    "SELECT connection_id, chat_id, first_name, last_name, username, language_code, first_seen, last_seen, unreachable, phone, start_payload \
                     FROM customers WHERE connection_id = $1 AND lower(username) = lower($2) ORDER BY last_seen DESC LIMIT 1",
                )
                .bind(connection.0)
                .bind(username),
                row,
            )
            .await
    }

    pub async fn upsert(&mut self, c: &Customer) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "INSERT INTO customers (connection_id, chat_id, first_name, last_name, username, language_code, first_seen, last_seen) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (connection_id, chat_id) DO UPDATE SET first_name = $3, last_name = $4, username = $5, \
                     language_code = $6, last_seen = $8",
                )
                .bind(c.connection_id.0)
                .bind(c.chat_id.0)
                .bind(&c.first_name)
                .bind(&c.last_name)
                .bind(&c.username)
                .bind(&c.language_code)
                .bind(c.first_seen)
                .bind(c.last_seen),
            )
            .await?;
        Ok(())
    }

    /// Records what the customer shared: their phone, the `/start` parameter (`None` keeps
    /// the stored value).
    pub async fn set_extra(
        &mut self,
        connection: ConnectionId,
        chat: ChatId,
        phone: Option<&str>,
        start_payload: Option<&str>,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "UPDATE customers SET phone = COALESCE($1, phone), start_payload = COALESCE($2, start_payload) \
                     WHERE connection_id = $3 AND chat_id = $4",
                )
                .bind(phone)
                .bind(start_payload)
                .bind(connection.0)
                .bind(chat.0),
            )
            .await?;
        Ok(())
    }

    /// Why the customer cannot be reached (blocked the bot, deleted the account), or
    /// `None` again.
    pub async fn set_unreachable(
        &mut self,
        connection: ConnectionId,
        chat: ChatId,
        reason: Option<&str>,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "UPDATE customers SET unreachable = $1 WHERE connection_id = $2 AND chat_id = $3",
                )
                .bind(reason)
                .bind(connection.0)
                .bind(chat.0),
            )
            .await?;
        Ok(())
    }

    /// Every customer of the connection who can still be reached, by first contact
    /// (broadcasts to `all`).
    pub async fn reachable_ids(&mut self, connection: ConnectionId) -> Result<Vec<i64>> {
        self.db
            .all_as(
                sqlx::query(
                    "SELECT chat_id FROM customers WHERE connection_id = $1 AND unreachable IS NULL \
                     ORDER BY first_seen, chat_id",
                )
                .bind(connection.0),
                |r| Ok(r.try_get(0)?),
            )
            .await
    }

    /// The reachable customers whose dialog has the tag, by first contact (`tag:NAME`).
    pub async fn reachable_with_tag(
        &mut self,
        connection: ConnectionId,
        tag: i64,
    ) -> Result<Vec<i64>> {
        self.db
            .all_as(
                sqlx::query(
                    "SELECT c.chat_id FROM customers c \
                     JOIN dialogs d ON d.connection_id = c.connection_id AND d.customer_chat_id = c.chat_id \
                     JOIN dialog_tags t ON t.dialog_id = d.id \
                     WHERE c.connection_id = $1 AND t.tag_id = $2 AND c.unreachable IS NULL \
                     ORDER BY c.first_seen, c.chat_id",
                )
                .bind(connection.0)
                .bind(tag),
                |r| Ok(r.try_get(0)?),
            )
            .await
    }
}
