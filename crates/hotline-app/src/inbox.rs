//! The processor: drains a connection's inbox in batches, each applied in one transaction
//! with its processed marks (exactly once), one update at a time when a batch fails, and an
//! update that keeps failing set aside so the connection moves on.

use hotline_core::{ChatId, UpdateId};
use hotline_store::InboxItem;

use crate::ctx::ConnCtx;
use crate::route;

/// Updates processed in one transaction: their effects and processed marks commit together.
const BATCH: i64 = 64;

/// Processes every pending update of the connection, oldest first.
pub async fn drain_inbox(ctx: &ConnCtx) -> anyhow::Result<usize> {
    let mut done = 0;
    loop {
        let batch = ctx.store.inbox().pending(ctx.id, BATCH).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        match apply_batch(ctx, &batch).await {
            Ok(n) => done += n,
            // One bad update must not hold back the others: find it by applying the batch
            // one update at a time.
            Err(e) if batch.len() > 1 => {
                tracing::warn!(
                    connection = %ctx.id,
                    "a batch of {} updates failed ({e:#}); applying them one by one",
                    batch.len()
                );
                for item in &batch {
                    match apply_batch(ctx, std::slice::from_ref(item)).await {
                        Ok(n) => done += n,
                        Err(e) => set_aside_or_fail(ctx, item, e).await?,
                    }
                }
            }
            Err(e) => {
                if let Some(item) = batch.first() {
                    set_aside_or_fail(ctx, item, e).await?;
                }
            }
        }
    }
}

/// An update whose processing fails this many times is set aside.
const MAX_ATTEMPTS: i64 = 3;

/// Counts a failed attempt at `item`; after [`MAX_ATTEMPTS`] it is set aside (kept with its
/// error for `hotline connection failed`, logged) and the connection moves on. Before that
/// the error goes up, and the supervisor restarts the connection with backoff (the failure
/// may be passing: the database restarting).
async fn set_aside_or_fail(
    ctx: &ConnCtx,
    item: &InboxItem,
    e: anyhow::Error,
) -> anyhow::Result<()> {
    let error = format!("{e:#}");
    let aside = ctx
        .store
        .inbox()
        .failed(ctx.id, item.update_id, &error, MAX_ATTEMPTS, ctx.now())
        .await?;
    if aside {
        tracing::error!(
            connection = %ctx.id,
            update = %item.update_id,
            "update set aside after {MAX_ATTEMPTS} failed attempts: {error}"
        );
        return Ok(());
    }
    Err(e.context(format!("processing update {}", item.update_id)))
}

/// Applies `batch` in one transaction: its effects, its jobs and its processed marks commit
/// together, or nothing does. When nothing does, the customers cache forgets what the batch
/// put in it (it records rows as written, and those writes rolled back).
async fn apply_batch(ctx: &ConnCtx, batch: &[InboxItem]) -> anyhow::Result<usize> {
    let applied = apply_batch_once(ctx, batch).await;
    if applied.is_err() {
        crate::lock(&ctx.customers).clear();
    }
    applied
}

async fn apply_batch_once(ctx: &ConnCtx, batch: &[InboxItem]) -> anyhow::Result<usize> {
    let now = ctx.now();
    let mut tx = ctx.store.begin().await?;
    // The settings counter is read on the writer connection this batch holds anyway:
    // a pooled read per batch measurably lengthened the latency tail (BENCHMARKS.md).
    let version = tx.connections().settings_version(ctx.id).await?;
    if version != Some(ctx.cfg().version) {
        ctx.reload().await?;
    }
    let ids: Vec<UpdateId> = batch.iter().map(|i| i.update_id).collect();
    let fresh = tx.inbox().mark_processed_batch(ctx.id, &ids, now).await?;
    let mut pushed = false;
    let mut migrate_to = None;
    let mut done = 0;
    for item in batch.iter().filter(|i| fresh.contains(&i.update_id)) {
        let (p, m) = route::process(ctx, &mut tx, item, now).await?;
        pushed |= p;
        migrate_to = migrate_to.or(m);
        done += 1;
    }
    tx.commit().await?;
    if let Some(to) = migrate_to {
        ctx.move_group(ChatId(to)).await?;
    }
    if pushed {
        ctx.work.notify_one();
    }
    Ok(done)
}
