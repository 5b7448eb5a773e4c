//! `templates` and `template_drafts`: a connection's saved messages (`/send NAME`, broadcasts,
//! tags that send one) and the templates being recorded. Names are unique per connection
//! without regard to case; callers pass names already validated ([`hotline_core::tags`]
//! rules). `items` is a JSON array of Bot API messages; this crate does not read it.

use hotline_core::ConnectionId;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Result;
use crate::db::Db;

/// One saved template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub id: i64,
    pub name: String,
    /// The chain, as a JSON array of Bot API messages.
    pub items: String,
    pub created_by: i64,
}

/// A template being recorded by one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub items: String,
    pub started_at: i64,
}

fn template(r: &AnyRow) -> Result<Template> {
    Ok(Template {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        items: r.try_get(2)?,
        created_by: r.try_get(3)?,
    })
}

fn key(name: &str) -> String {
    name.to_lowercase()
}

const COLUMNS: &str = "SELECT id, name, items, created_by FROM templates";

/// Templates and drafts.
pub struct Templates<'a> {
    pub(crate) db: Db<'a>,
}

impl Templates<'_> {
    /// A new template; `None` if the connection already has one of that name (in any case).
    pub async fn create(
        &mut self,
        connection: ConnectionId,
        name: &str,
        items: &str,
        created_by: i64,
        now_ms: i64,
    ) -> Result<Option<Template>> {
        let row = self
            .db
            .opt_w(
                sqlx::query(
                    "INSERT INTO templates (connection_id, name, name_key, items, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (connection_id, name_key) DO NOTHING RETURNING id",
                )
                .bind(connection.0)
                .bind(name)
                .bind(key(name))
                .bind(items)
                .bind(created_by)
                .bind(now_ms),
            )
            .await?;
        Ok(match row {
            Some(r) => Some(Template {
                id: r.try_get(0)?,
                name: name.to_string(),
                items: items.to_string(),
                created_by,
            }),
            None => None,
        })
    }

    /// The template of this name, in any case.
    pub async fn by_name(
        &mut self,
        connection: ConnectionId,
        name: &str,
    ) -> Result<Option<Template>> {
        self.db
            .opt_as(
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{COLUMNS} WHERE connection_id = $1 AND name_key = $2"
                )))
                .bind(connection.0)
                .bind(key(name)),
                template,
            )
            .await
    }

    /// The template with this id, if it belongs to the connection.
    pub async fn get(&mut self, connection: ConnectionId, id: i64) -> Result<Option<Template>> {
        self.db
            .opt_as(
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{COLUMNS} WHERE connection_id = $1 AND id = $2"
                )))
                .bind(connection.0)
                .bind(id),
                template,
            )
            .await
    }

    /// Every template of the connection, by name.
    pub async fn list(&mut self, connection: ConnectionId) -> Result<Vec<Template>> {
        self.db
            .all_as(
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{COLUMNS} WHERE connection_id = $1 ORDER BY name_key"
                )))
                .bind(connection.0),
                template,
            )
            .await
    }

    /// Renames a template; `false` if another template of the connection has that name.
    pub async fn rename(&mut self, connection: ConnectionId, id: i64, name: &str) -> Result<bool> {
        let r = self
            .db
            .run(
                sqlx::query(
                    "UPDATE templates SET name = $1, name_key = $2 WHERE connection_id = $3 AND id = $4 \
                     AND NOT EXISTS (SELECT 1 FROM templates o WHERE o.connection_id = $3 AND o.name_key = $2 AND o.id <> $4)",
                )
                .bind(name)
                .bind(key(name))
                .bind(connection.0)
                .bind(id),
            )
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Deletes a template (tags that sent it send nothing); `false` if it was not there.
    pub async fn delete(&mut self, connection: ConnectionId, id: i64) -> Result<bool> {
        let mut a = self.db.atomic().await?;
        a.run(
            sqlx::query("UPDATE tags SET sends_template = NULL WHERE sends_template = $1").bind(id),
        )
        .await?;
        let r = a
            .run(
                sqlx::query("DELETE FROM templates WHERE connection_id = $1 AND id = $2")
                    .bind(connection.0)
                    .bind(id),
            )
            .await?;
        a.finish().await?;
        Ok(r.rows_affected() > 0)
    }

    /// Starts recording `name` for `user` (a draft of theirs that was there is replaced).
    pub async fn start_draft(
        &mut self,
        connection: ConnectionId,
        user: i64,
        name: &str,
        now_ms: i64,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "INSERT INTO template_drafts (connection_id, user_id, name, items, started_at) VALUES ($1, $2, $3, '[]', $4) \
                     ON CONFLICT (connection_id, user_id) DO UPDATE SET name = excluded.name, items = '[]', started_at = excluded.started_at",
                )
                .bind(connection.0)
                .bind(user)
                .bind(name)
                .bind(now_ms),
            )
            .await?;
        Ok(())
    }

    /// The member's draft, if they are recording one.
    pub async fn draft(&mut self, connection: ConnectionId, user: i64) -> Result<Option<Draft>> {
        self.db
            .opt_as(
                sqlx::query(
                    "SELECT name, items, started_at FROM template_drafts WHERE connection_id = $1 AND user_id = $2",
                )
                .bind(connection.0)
                .bind(user),
                |r| {
                    Ok(Draft {
                        name: r.try_get(0)?,
                        items: r.try_get(1)?,
                        started_at: r.try_get(2)?,
                    })
                },
            )
            .await
    }

    /// Replaces the draft's messages.
    pub async fn set_draft_items(
        &mut self,
        connection: ConnectionId,
        user: i64,
        items: &str,
    ) -> Result<()> {
        self.db
            .run(
                sqlx::query(
                    "UPDATE template_drafts SET items = $1 WHERE connection_id = $2 AND user_id = $3",
                )
                .bind(items)
                .bind(connection.0)
                .bind(user),
            )
            .await?;
        Ok(())
    }

    /// Ends the member's recording; `false` if there was none.
    pub async fn drop_draft(&mut self, connection: ConnectionId, user: i64) -> Result<bool> {
        let r = self
            .db
            .run(
                sqlx::query(
                    "DELETE FROM template_drafts WHERE connection_id = $1 AND user_id = $2",
                )
                .bind(connection.0)
                .bind(user),
            )
            .await?;
        Ok(r.rows_affected() > 0)
    }
}
