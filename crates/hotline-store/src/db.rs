//! Where a statement runs. Every aggregate's queries are written once against [`Db`]: on the
//! pools (reads on the read pool, writes on the writer) or inside a unit of work ([`Tx`]).
//! Statements that must land together use [`Db::atomic`]: a transaction of their own on the
//! pools, part of the caller's inside a unit of work.
//!
//! [`Tx`]: crate::Tx

use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Transaction};

use crate::{Result, Store};

/// One statement with its bound arguments.
pub(crate) type Q<'q> = Query<'q, Any, AnyArguments>;

/// A place to run statements: the store's pools, or a unit of work's connection.
pub(crate) enum Db<'a> {
    Pool(&'a Store),
    Tx(&'a mut AnyConnection),
}

impl Db<'_> {
    /// A read: on the read pool outside a unit of work.
    pub(crate) async fn opt(&mut self, q: Q<'_>) -> Result<Option<AnyRow>> {
        Ok(match self {
            Db::Pool(s) => q.fetch_optional(&s.read).await?,
            Db::Tx(c) => q.fetch_optional(&mut **c).await?,
        })
    }

    pub(crate) async fn one(&mut self, q: Q<'_>) -> Result<AnyRow> {
        Ok(match self {
            Db::Pool(s) => q.fetch_one(&s.read).await?,
            Db::Tx(c) => q.fetch_one(&mut **c).await?,
        })
    }

    pub(crate) async fn all(&mut self, q: Q<'_>) -> Result<Vec<AnyRow>> {
        Ok(match self {
            Db::Pool(s) => q.fetch_all(&s.read).await?,
            Db::Tx(c) => q.fetch_all(&mut **c).await?,
        })
    }

    /// A read on the writer's connection (reads that must follow the writer exactly).
    pub(crate) async fn opt_w(&mut self, q: Q<'_>) -> Result<Option<AnyRow>> {
        Ok(match self {
            Db::Pool(s) => q.fetch_optional(&s.pool).await?,
            Db::Tx(c) => q.fetch_optional(&mut **c).await?,
        })
    }

    pub(crate) async fn one_w(&mut self, q: Q<'_>) -> Result<AnyRow> {
        Ok(match self {
            Db::Pool(s) => q.fetch_one(&s.pool).await?,
            Db::Tx(c) => q.fetch_one(&mut **c).await?,
        })
    }

    pub(crate) async fn all_w(&mut self, q: Q<'_>) -> Result<Vec<AnyRow>> {
        Ok(match self {
            Db::Pool(s) => q.fetch_all(&s.pool).await?,
            Db::Tx(c) => q.fetch_all(&mut **c).await?,
        })
    }

    /// A read of at most one row, read by `row`.
    pub(crate) async fn opt_as<T>(
        &mut self,
        q: Q<'_>,
        row: fn(&AnyRow) -> Result<T>,
    ) -> Result<Option<T>> {
        self.opt(q).await?.as_ref().map(row).transpose()
    }

    /// A read of rows, each read by `row`.
    pub(crate) async fn all_as<T>(
        &mut self,
        q: Q<'_>,
        row: fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.all(q).await?.iter().map(row).collect()
    }

    /// [`Db::opt_as`] on the writer's connection.
    pub(crate) async fn opt_as_w<T>(
        &mut self,
        q: Q<'_>,
        row: fn(&AnyRow) -> Result<T>,
    ) -> Result<Option<T>> {
        self.opt_w(q).await?.as_ref().map(row).transpose()
    }

    /// [`Db::all_as`] on the writer's connection.
    pub(crate) async fn all_as_w<T>(
        &mut self,
        q: Q<'_>,
        row: fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.all_w(q).await?.iter().map(row).collect()
    }

    /// A write.
    pub(crate) async fn run(&mut self, q: Q<'_>) -> Result<AnyQueryResult> {
        Ok(match self {
            Db::Pool(s) => q.execute(&s.pool).await?,
            Db::Tx(c) => q.execute(&mut **c).await?,
        })
    }

    /// Statements that land together: [`Atomic::finish`] commits them.
    pub(crate) async fn atomic(&mut self) -> Result<Atomic<'_>> {
        Ok(match self {
            Db::Pool(s) => Atomic::Own(s.write_tx().await?),
            Db::Tx(c) => Atomic::Part(c),
        })
    }
}

/// Several statements as one unit.
pub(crate) enum Atomic<'a> {
    /// A transaction of their own (dropped without [`Atomic::finish`]: rolled back).
    Own(Transaction<'static, Any>),
    /// Part of the caller's unit of work, which commits or rolls back as a whole.
    Part(&'a mut AnyConnection),
}

impl Atomic<'_> {
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        match self {
            Atomic::Own(tx) => tx,
            Atomic::Part(c) => c,
        }
    }

    pub(crate) async fn run(&mut self, q: Q<'_>) -> Result<AnyQueryResult> {
        Ok(q.execute(self.conn()).await?)
    }

    pub(crate) async fn finish(self) -> Result<()> {
        if let Atomic::Own(tx) = self {
            tx.commit().await?;
        }
        Ok(())
    }
}

/// A stored enum's text that this build does not know (a hand edit, a newer build's value).
pub(crate) fn unknown(column: &str, value: &str) -> crate::StoreError {
    crate::StoreError::Corrupt(format!("{column} = {value:?}"))
}
