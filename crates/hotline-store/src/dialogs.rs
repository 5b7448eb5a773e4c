//! `dialogs` (one per customer chat of a connection: its forum topic, status and the state
//! machine's fields) and `topic_doubts` (titles of topics that may exist without Hotline
//! knowing their id, after an ambiguous createForumTopic failure).

use hotline_core::dialog::{DialogKind, Topic};
use hotline_core::{ChatId, ConnectionId, DialogId, Status, ThreadId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;
use crate::db::{Db, unknown};

#[derive(Debug, Clone, PartialEq)]
pub struct Dialog {
    pub id: DialogId,
    pub connection_id: ConnectionId,
    pub customer_chat_id: ChatId,
    pub group_chat_id: ChatId,
    pub thread_id: Option<ThreadId>,
    pub title: String,
    pub status: Status,
    pub created_at: i64,
    pub updated_at: i64,
    pub kind: DialogKind,
    /// The topic as the state machine knows it.
    pub topic: Topic,
    pub last_customer_ms: Option<i64>,
    pub last_answer_ms: Option<i64>,
    /// WELCOME was sent for the current opening.
    pub welcomed: bool,
    /// How many times the dialog was opened (created or reopened).
    pub openings: i64,
}

macro_rules! cols {
    () => {
        "id, connection_id, customer_chat_id, group_chat_id, thread_id, title, status, created_at, updated_at, kind, topic, last_customer_ms, last_answer_ms, welcomed, openings"
    };
}

/// How a topic's state is stored.
fn topic_text(t: Topic) -> &'static str {
    match t {
        Topic::NotCreated => "none",
        Topic::Exists => "exists",
        Topic::Deleted => "deleted",
    }
}

fn parse_topic(s: &str) -> Option<Topic> {
    Some(match s {
        "none" => Topic::NotCreated,
        "exists" => Topic::Exists,
        "deleted" => Topic::Deleted,
        _ => return None,
    })
}

fn row(r: &AnyRow) -> Result<Dialog> {
    let status: String = r.try_get(6)?;
    let kind: String = r.try_get(9)?;
    let topic: String = r.try_get(10)?;
    Ok(Dialog {
        id: DialogId(r.try_get(0)?),
        connection_id: ConnectionId(r.try_get(1)?),
        customer_chat_id: ChatId(r.try_get(2)?),
        group_chat_id: ChatId(r.try_get(3)?),
        thread_id: r.try_get::<Option<i64>, _>(4)?.map(ThreadId),
        title: r.try_get(5)?,
        status: Status::parse(&status).ok_or_else(|| unknown("dialogs.status", &status))?,
        created_at: r.try_get(7)?,
        updated_at: r.try_get(8)?,
        kind: DialogKind::parse(&kind).ok_or_else(|| unknown("dialogs.kind", &kind))?,
        topic: parse_topic(&topic).ok_or_else(|| unknown("dialogs.topic", &topic))?,
        last_customer_ms: r.try_get(11)?,
        last_answer_ms: r.try_get(12)?,
        welcomed: r.try_get::<i64, _>(13)? != 0,
        openings: r.try_get(14)?,
    })
}

/// Dialogs and their topics.
pub struct Dialogs<'a> {
    pub(crate) db: Db<'a>,
}

impl Dialogs<'_> {
    pub async fn get(&mut self, id: DialogId) -> Result<Option<Dialog>> {
        self.db
            .opt_as(
                sqlx::query(concat!("SELECT ", cols!(), " FROM dialogs WHERE id = $1")).bind(id.0),
                row,
            )
            .await
    }

    /// Every dialog of a connection, by id.
    pub async fn of(&mut self, connection: ConnectionId) -> Result<Vec<Dialog>> {
        self.db
            .all_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM dialogs WHERE connection_id = $1 ORDER BY id"
                ))
                .bind(connection.0),
                row,
            )
            .await
    }

    /// The dialog of a customer's chat.
    pub async fn for_customer(
        &mut self,
        connection: ConnectionId,
        customer: ChatId,
    ) -> Result<Option<Dialog>> {
        self.db
            .opt_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM dialogs WHERE connection_id = $1 AND customer_chat_id = $2"
                ))
                .bind(connection.0)
                .bind(customer.0),
                row,
            )
            .await
    }

    /// The dialog whose topic is `thread` in the backend group `group`.
    pub async fn by_thread(
        &mut self,
        connection: ConnectionId,
        group: ChatId,
        thread: ThreadId,
    ) -> Result<Option<Dialog>> {
        self.db
            .opt_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM dialogs WHERE connection_id = $1 AND group_chat_id = $2 AND thread_id = $3"
                ))
                .bind(connection.0)
                .bind(group.0)
                .bind(thread.0),
                row,
            )
            .await
    }

    /// A new dialog of `kind`: closed, without a topic, until the state machine opens it.
    pub async fn create(
        &mut self,
        connection: ConnectionId,
        customer: ChatId,
        group: ChatId,
        title: &str,
        kind: DialogKind,
        now_ms: i64,
    ) -> Result<DialogId> {
        let r = self
            .db
            .one_w(
                sqlx::query(
                    "INSERT INTO dialogs (connection_id, customer_chat_id, group_chat_id, title, created_at, updated_at, status, topic, kind) \
                     VALUES ($1, $2, $3, $4, $5, $5, 'closed', 'none', $6) RETURNING id",
                )
                .bind(connection.0)
                .bind(customer.0)
                .bind(group.0)
                .bind(title)
                .bind(now_ms)
                .bind(kind.as_str()),
            )
            .await?;
        Ok(DialogId(r.try_get(0)?))
    }

    /// Writes the state machine's fields of `d` (status, topic, times, welcomed, openings).
    pub async fn save_state(&mut self, d: &Dialog, now_ms: i64) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "UPDATE dialogs SET status = $1, topic = $2, last_customer_ms = $3, last_answer_ms = $4, \
                     welcomed = $5, openings = $6, updated_at = $7 WHERE id = $8",
                )
                .bind(d.status.as_str())
                .bind(topic_text(d.topic))
                .bind(d.last_customer_ms)
                .bind(d.last_answer_ms)
                .bind(i64::from(d.welcomed))
                .bind(d.openings)
                .bind(now_ms)
                .bind(d.id.0),
            )
            .await?;
        Ok(())
    }

    /// The title the dialog's topic shows, as last set by Hotline.
    pub async fn shown_title(&mut self, id: DialogId) -> Result<Option<String>> {
        let r = self
            .db
            .opt(sqlx::query("SELECT shown_title FROM dialogs WHERE id = $1").bind(id.0))
            .await?;
        Ok(r.map(|r| r.try_get(0)).transpose()?.flatten())
    }

    pub async fn set_shown_title(&mut self, id: DialogId, title: &str) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE dialogs SET shown_title = $1 WHERE id = $2")
                    .bind(title)
                    .bind(id.0),
            )
            .await?;
        Ok(())
    }

    /// Records the dialog's topic (`None`: it has none any more).
    pub async fn set_thread(
        &mut self,
        id: DialogId,
        thread: Option<ThreadId>,
        now_ms: i64,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE dialogs SET thread_id = $1, updated_at = $2 WHERE id = $3")
                    .bind(thread.map(|t| t.0))
                    .bind(now_ms)
                    .bind(id.0),
            )
            .await?;
        Ok(())
    }

    // ----- AUTOCLOSE ---------------------------------------------------------------------

    /// 🟨 dialogs whose last answer is at or before `answered_before` with no customer
    /// message after it: AUTOCLOSE candidates.
    pub async fn autoclose_candidates(
        &mut self,
        connection: ConnectionId,
        answered_before: i64,
    ) -> Result<Vec<Dialog>> {
        self.db
            .all_as(
                sqlx::query(concat!(
                    "SELECT ",
                    cols!(),
                    " FROM dialogs WHERE connection_id = $1 AND status = $2 AND last_answer_ms <= $3 \
                     AND (last_customer_ms IS NULL OR last_customer_ms <= last_answer_ms) ORDER BY last_answer_ms LIMIT 500"
                ))
                .bind(connection.0)
                .bind(Status::Answered.as_str())
                .bind(answered_before),
                row,
            )
            .await
    }

    /// The oldest last answer among 🟨 dialogs (when the next AUTOCLOSE may be due).
    pub async fn oldest_answer(&mut self, connection: ConnectionId) -> Result<Option<i64>> {
        let r = self
            .db
            .one(
                sqlx::query(
                    "SELECT MIN(last_answer_ms) FROM dialogs WHERE connection_id = $1 AND status = $2",
                )
                .bind(connection.0)
                .bind(Status::Answered.as_str()),
            )
            .await?;
        Ok(r.try_get::<Option<i64>, _>(0)?)
    }

    // ----- topics in doubt ---------------------------------------------------------------

    /// Remembers that a topic named `name` may have been created for `dialog` without
    /// Hotline learning its id.
    pub async fn topic_doubt(
        &mut self,
        connection: ConnectionId,
        dialog: DialogId,
        name: &str,
        now_ms: i64,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "INSERT INTO topic_doubts (connection_id, dialog_id, name, at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (connection_id, dialog_id, name) DO UPDATE SET at = $4",
                )
                .bind(connection.0)
                .bind(dialog.0)
                .bind(name)
                .bind(now_ms),
            )
            .await?;
        Ok(())
    }

    /// Dialogs a topic named `name` may have been created for without being recorded.
    pub async fn doubted_by_name(
        &mut self,
        connection: ConnectionId,
        name: &str,
    ) -> Result<Vec<DialogId>> {
        let rows = self
            .db
            .all(
                sqlx::query(
                    "SELECT DISTINCT dialog_id FROM topic_doubts WHERE connection_id = $1 AND name = $2",
                )
                .bind(connection.0)
                .bind(name),
            )
            .await?;
        rows.iter().map(|r| Ok(DialogId(r.try_get(0)?))).collect()
    }
}
