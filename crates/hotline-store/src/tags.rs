//! `tags`, `tag_after` and `dialog_tags`: a connection's tags (`/mark`), the funnels between
//! them, and which dialog has which. Names are unique per connection without regard to case;
//! callers pass names already validated ([`hotline_core::tags`]).

use hotline_core::{ConnectionId, DialogId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;
use crate::db::Db;

/// One tag of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub id: i64,
    pub name: String,
    /// Shown at the end of the titles of the topics having it.
    pub ticker: Option<String>,
}

/// A tag with the number of dialogs having it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    pub tag: Tag,
    pub dialogs: i64,
}

/// A dialog having a tag: enough to name its topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    pub dialog: DialogId,
    pub title: String,
    pub thread_id: Option<i64>,
}

fn tag(r: &AnyRow) -> Result<Tag> {
    Ok(Tag {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        ticker: r.try_get(2)?,
    })
}

fn key(name: &str) -> String {
    name.to_lowercase()
}

/// Tags, funnels and tagged dialogs.
pub struct Tags<'a> {
    pub(crate) db: Db<'a>,
}

impl Tags<'_> {
    /// A new tag; `None` if the connection already has one of that name (in any case).
    pub async fn create(
        &mut self,
        connection: ConnectionId,
        name: &str,
        now_ms: i64,
    ) -> Result<Option<Tag>> {
        let row = self
            .db
            .opt_w(
                sqlx::query(
                    "INSERT INTO tags (connection_id, name, name_key, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (connection_id, name_key) DO NOTHING RETURNING id",
                )
                .bind(connection.0)
                .bind(name)
                .bind(key(name))
                .bind(now_ms),
            )
            .await?;
        Ok(match row {
            Some(r) => Some(Tag {
                id: r.try_get(0)?,
                name: name.to_string(),
                ticker: None,
            }),
            None => None,
        })
    }

    /// The tag of this name, in any case.
    pub async fn by_name(&mut self, connection: ConnectionId, name: &str) -> Result<Option<Tag>> {
        self.db
            .opt_as(
                sqlx::query(
                    "SELECT id, name, ticker FROM tags WHERE connection_id = $1 AND name_key = $2",
                )
                .bind(connection.0)
                .bind(key(name)),
                tag,
            )
            .await
    }

    /// Every tag of the connection by name, with how many dialogs have it.
    pub async fn list(&mut self, connection: ConnectionId) -> Result<Vec<TagCount>> {
        self.db
            .all_as(
                sqlx::query(
                    "SELECT t.id, t.name, t.ticker, (SELECT COUNT(*) FROM dialog_tags d WHERE d.tag_id = t.id) \
                     FROM tags t WHERE t.connection_id = $1 ORDER BY t.name_key",
                )
                .bind(connection.0),
                |r| {
                    Ok(TagCount {
                        tag: tag(r)?,
                        dialogs: r.try_get(3)?,
                    })
                },
            )
            .await
    }

    /// Renames a tag; `false` if another tag of the connection has that name.
    pub async fn rename(&mut self, connection: ConnectionId, id: i64, name: &str) -> Result<bool> {
        let taken = self
            .db
            .opt_w(
                sqlx::query(
                    "SELECT id FROM tags WHERE connection_id = $1 AND name_key = $2 AND id <> $3",
                )
                .bind(connection.0)
                .bind(key(name))
                .bind(id),
            )
            .await?;
        if taken.is_some() {
            return Ok(false);
        }
        self.db
            .run(
                sqlx::query("UPDATE tags SET name = $1, name_key = $2 WHERE id = $3")
                    .bind(name)
                    .bind(key(name))
                    .bind(id),
            )
            .await?;
        Ok(true)
    }

    pub async fn set_ticker(&mut self, id: i64, ticker: Option<&str>) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE tags SET ticker = $1 WHERE id = $2")
                    .bind(ticker)
                    .bind(id),
            )
            .await?;
        Ok(())
    }

    /// Assigning `id` will remove `removes` (replaces the previous list).
    pub async fn set_after(&mut self, id: i64, removes: &[i64]) -> Result<()> {
        let mut a = self.db.atomic().await?;
        a.run(sqlx::query("DELETE FROM tag_after WHERE tag_id = $1").bind(id))
            .await?;
        for r in removes.iter().filter(|r| **r != id) {
            a.run(
                sqlx::query(
                    "INSERT INTO tag_after (tag_id, removes_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(*r),
            )
            .await?;
        }
        a.finish().await
    }

    /// The tags assigning `id` removes, by name.
    pub async fn after(&mut self, id: i64) -> Result<Vec<Tag>> {
        self.db
            .all_as(
                sqlx::query(
                    "SELECT t.id, t.name, t.ticker FROM tag_after a JOIN tags t ON t.id = a.removes_id \
                     WHERE a.tag_id = $1 ORDER BY t.name_key",
                )
                .bind(id),
                tag,
            )
            .await
    }

    /// Deletes a tag: every dialog loses it, and the funnels naming it forget it.
    pub async fn delete(&mut self, id: i64) -> Result<()> {
        let mut a = self.db.atomic().await?;
        a.run(sqlx::query("DELETE FROM dialog_tags WHERE tag_id = $1").bind(id))
            .await?;
        a.run(sqlx::query("DELETE FROM tag_after WHERE tag_id = $1 OR removes_id = $1").bind(id))
            .await?;
        a.run(sqlx::query("DELETE FROM tags WHERE id = $1").bind(id))
            .await?;
        a.finish().await
    }

    /// The dialog's tags, by name.
    pub async fn of_dialog(&mut self, dialog: DialogId) -> Result<Vec<Tag>> {
        self.db
            .all_as(
                sqlx::query(
                    "SELECT t.id, t.name, t.ticker FROM dialog_tags d JOIN tags t ON t.id = d.tag_id \
                     WHERE d.dialog_id = $1 ORDER BY t.name_key",
                )
                .bind(dialog.0),
                tag,
            )
            .await
    }

    /// Every (dialog, tag name) of the connection, by tag name (exports).
    pub async fn names_by_dialog(
        &mut self,
        connection: ConnectionId,
    ) -> Result<Vec<(DialogId, String)>> {
        self.db
            .all_as(
                sqlx::query(
                    "SELECT d.dialog_id, t.name FROM dialog_tags d JOIN tags t ON t.id = d.tag_id \
                     WHERE t.connection_id = $1 ORDER BY t.name_key",
                )
                .bind(connection.0),
                |r| Ok((DialogId(r.try_get(0)?), r.try_get(1)?)),
            )
            .await
    }

    /// The dialogs having the tag, most recently tagged first, at most `limit`.
    pub async fn dialogs_with(&mut self, id: i64, limit: i64) -> Result<Vec<Tagged>> {
        self.db
            .all_as(
                sqlx::query(
                    "SELECT g.id, g.title, g.thread_id FROM dialog_tags d JOIN dialogs g ON g.id = d.dialog_id \
                     WHERE d.tag_id = $1 ORDER BY d.added_at DESC, g.id DESC LIMIT $2",
                )
                .bind(id)
                .bind(limit),
                |r| {
                    Ok(Tagged {
                        dialog: DialogId(r.try_get(0)?),
                        title: r.try_get(1)?,
                        thread_id: r.try_get(2)?,
                    })
                },
            )
            .await
    }

    /// Gives the dialog the tag; `false` if it had it already.
    pub async fn assign(&mut self, dialog: DialogId, id: i64, now_ms: i64) -> Result<bool> {
        let r = self
            .db
            .run(
                sqlx::query(
                    "INSERT INTO dialog_tags (dialog_id, tag_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(dialog.0)
                .bind(id)
                .bind(now_ms),
            )
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Takes the tag from the dialog; `false` if it did not have it.
    pub async fn unassign(&mut self, dialog: DialogId, id: i64) -> Result<bool> {
        let r = self
            .db
            .run(
                sqlx::query("DELETE FROM dialog_tags WHERE dialog_id = $1 AND tag_id = $2")
                    .bind(dialog.0)
                    .bind(id),
            )
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// `/mark NAME sends TEMPLATE`: the template assigning the tag sends (`None`: nothing).
    pub async fn set_sends(&mut self, id: i64, template: Option<i64>) -> Result<()> {
        self.db
            .run(
                sqlx::query("UPDATE tags SET sends_template = $1 WHERE id = $2")
                    .bind(template)
                    .bind(id),
            )
            .await?;
        Ok(())
    }

    /// The template assigning the tag sends, if any.
    pub async fn sends(&mut self, id: i64) -> Result<Option<i64>> {
        let r = self
            .db
            .opt(sqlx::query("SELECT sends_template FROM tags WHERE id = $1").bind(id))
            .await?;
        Ok(match r {
            Some(r) => r.try_get(0)?,
            None => None,
        })
    }
}
