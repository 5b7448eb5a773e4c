//! AUTOCLOSE: closes 🟨 dialogs after N hours without a customer message.
//!
//! One task per running connection. Each pass finds the due dialogs with one indexed query
//! and runs each through the state machine (which re-checks the deadline inside the
//! transaction, so a customer message that just arrived wins). Between passes it sleeps
//! until the oldest answer can be due, or until the clock jumps (tests). A dialog answered
//! after a pass is due a whole AUTOCLOSE window later (an hour at least), so a nap shorter
//! than the window never closes it late; the nap is also at most ten minutes, the longest a
//! lowered AUTOCLOSE waits to apply (a pass costs three reads per connection: with
//! thousands of idle bots a pass a minute was a read every few milliseconds).

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use hotline_core::dialog::Event;

use crate::ctx::ConnCtx;
use crate::lifecycle;

const HOUR_MS: i64 = 3_600_000;
const MAX_NAP: Duration = Duration::from_secs(600);

/// Runs until cancelled.
pub async fn run(ctx: &ConnCtx, cancel: CancellationToken) -> anyhow::Result<()> {
    let mut jumps = ctx.clock.jumps();
    loop {
        let nap = pass(ctx).await?;
        let jumped = async {
            match jumps.as_mut() {
                Some(rx) => {
                    if rx.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = tokio::time::sleep(nap) => {}
            () = jumped => {}
            () = cancel.cancelled() => return Ok(()),
        }
    }
}

/// Closes every due dialog; returns how long to wait before the next pass.
pub async fn pass(ctx: &ConnCtx) -> anyhow::Result<Duration> {
    let cfg = ctx.refresh().await?;
    let Some(hours) = cfg.policy.autoclose_hours else {
        return Ok(MAX_NAP);
    };
    let window = i64::from(hours) * HOUR_MS;
    let now = ctx.now();
    let due = ctx
        .store
        .dialogs()
        .autoclose_candidates(ctx.id, now - window)
        .await?;
    let mut closed = 0;
    for candidate in &due {
        let mut tx = ctx.store.begin().await?;
        if let Some(row) = tx.dialogs().get(candidate.id).await? {
            let event = Event::AutocloseTick { now };
            let fx =
                lifecycle::apply(ctx, &mut tx, &cfg, &row, event, Default::default(), now).await?;
            closed += usize::from(!fx.is_empty());
        }
        tx.commit().await?;
    }
    if closed > 0 {
        tracing::info!(connection = %ctx.id, closed, "AUTOCLOSE closed dialogs");
        ctx.work.notify_one();
    }
    let next = match ctx.store.dialogs().oldest_answer(ctx.id).await? {
        Some(answered) => {
            Duration::from_millis(u64::try_from(answered + window - ctx.now()).unwrap_or(0))
        }
        None => MAX_NAP,
    };
    // At least a second between passes: a dialog the state machine keeps open (a customer
    // message raced the query) must not spin the loop.
    let longest = MAX_NAP.min(Duration::from_millis(window.unsigned_abs()));
    Ok(next.clamp(Duration::from_secs(1), longest.max(Duration::from_secs(1))))
}
