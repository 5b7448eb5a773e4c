//! The delivery worker's view of its outbox: the head of every lane that has work and is not
//! running, in priority order, and the lanes whose head is in flight.
//!
//! The outbox stays the truth; this view only saves re-reading every lane after each call.
//! It learns new work by reading the jobs queued after the last one it saw ([`Lanes::load_new`],
//! one indexed read per wake-up), and a lane's next head from the call that finished it
//! ([`Lanes::finished`]). A full re-read ([`Lanes::resync`]) at start and every few seconds
//! while the backlog is small catches what the incremental read cannot see: a job that
//! committed after a later one (PostgreSQL hands out ids before commit), or one deleted by
//! another writer (a coalesced rename).

use std::collections::{BTreeMap, HashMap};

use hotline_store::{Job as StoredJob, JobId};

use crate::ctx::ConnCtx;

/// How many new jobs one incremental read takes at most.
const READ_BATCH: i64 = 512;

/// A full re-read is skipped while this many lanes have work (it would cost more than the
/// rare job it can find); it happens again once the backlog shrinks.
pub(super) const RESYNC_MAX_LANES: usize = 2_000;

#[derive(Debug)]
enum Slot {
    /// Its head waits in `ready` under this key.
    Ready((i64, i64)),
    /// Its head is in flight; the lowest job seen for it meanwhile, if any.
    Busy(Option<StoredJob>),
}

#[derive(Debug, Default)]
pub(super) struct Lanes {
    /// Heads not running, by (priority, id): lower runs first.
    ready: BTreeMap<(i64, i64), StoredJob>,
    lanes: HashMap<String, Slot>,
    /// The newest job id seen.
    seen: i64,
}

fn key(j: &StoredJob) -> (i64, i64) {
    (j.priority, j.id.0)
}

impl Lanes {
    /// Lanes with work, running or not.
    pub(super) fn len(&self) -> usize {
        self.lanes.len()
    }

    #[cfg(test)]
    pub(super) fn busy(&self) -> usize {
        self.lanes.len() - self.ready.len()
    }

    /// Re-reads every lane's head from the outbox (lanes in flight keep running).
    pub(super) async fn resync(&mut self, ctx: &ConnCtx) -> anyhow::Result<()> {
        let heads = ctx.store.outbox().heads(ctx.id).await?;
        self.ready.clear();
        self.lanes.retain(|_, s| matches!(s, Slot::Busy(_)));
        for j in heads {
            self.seen = self.seen.max(j.id.0);
            if self.lanes.contains_key(&j.lane) {
                continue;
            }
            self.lanes.insert(j.lane.clone(), Slot::Ready(key(&j)));
            self.ready.insert(key(&j), j);
        }
        Ok(())
    }

    /// Takes in the jobs queued since the last read.
    pub(super) async fn load_new(&mut self, ctx: &ConnCtx) -> anyhow::Result<()> {
        loop {
            let rows = ctx
                .store
                .outbox()
                .after(ctx.id, JobId(self.seen), READ_BATCH)
                .await?;
            let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= READ_BATCH;
            for j in rows {
                self.seen = self.seen.max(j.id.0);
                self.offer(j);
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// A job of some lane: its head if the lane had none.
    fn offer(&mut self, j: StoredJob) {
        match self.lanes.get_mut(&j.lane) {
            None => {
                self.lanes.insert(j.lane.clone(), Slot::Ready(key(&j)));
                self.ready.insert(key(&j), j);
            }
            Some(Slot::Busy(later)) => {
                if later.as_ref().is_none_or(|l| l.id > j.id) {
                    *later = Some(j);
                }
            }
            Some(Slot::Ready(_)) => {}
        }
    }

    /// The first head, in priority order, that `may_go` admits; it is marked in flight.
    pub(super) fn take(&mut self, mut may_go: impl FnMut(&StoredJob) -> bool) -> Option<StoredJob> {
        let k = *self.ready.iter().find(|(_, j)| may_go(j))?.0;
        let j = self.ready.remove(&k)?;
        self.lanes.insert(j.lane.clone(), Slot::Busy(None));
        Some(j)
    }

    /// A lane's head finished (done, retried later, or given up on); `next` is the lane's
    /// head as the outbox had it afterwards.
    pub(super) fn finished(&mut self, lane: &str, next: Option<StoredJob>) {
        let later = match self.lanes.remove(lane) {
            Some(Slot::Busy(later)) => later,
            Some(Slot::Ready(k)) => {
                // Not expected (a lane runs one head at a time); keep the outbox's word.
                self.ready.remove(&k);
                None
            }
            None => None,
        };
        let head = match (next, later) {
            (Some(a), Some(b)) => Some(if a.id <= b.id { a } else { b }),
            (a, b) => a.or(b),
        };
        if let Some(j) = head {
            self.seen = self.seen.max(j.id.0);
            self.lanes.insert(j.lane.clone(), Slot::Ready(key(&j)));
            self.ready.insert(key(&j), j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotline_core::ConnectionId;

    fn job(id: i64, lane: &str, priority: i64) -> StoredJob {
        StoredJob {
            id: JobId(id),
            connection_id: ConnectionId(1),
            lane: lane.into(),
            priority,
            kind: "notice".into(),
            payload: "{}".into(),
            coalesce_key: None,
            not_before: 0,
            attempts: 0,
            last_error: None,
            created_at: 0,
        }
    }

    #[test]
    fn one_head_per_lane_in_priority_order_and_the_next_after_it_finishes() {
        let mut l = Lanes::default();
        l.offer(job(1, "title:1", 2));
        l.offer(job(2, "topic:1", 0));
        l.offer(job(3, "topic:1", 0));
        l.offer(job(4, "customer:9", 1));
        // Relayed messages first, then notices, then renames; one head per lane.
        let a = l.take(|_| true).map(|j| j.id.0);
        let b = l.take(|_| true).map(|j| j.id.0);
        let c = l.take(|_| true).map(|j| j.id.0);
        assert_eq!((a, b, c), (Some(2), Some(4), Some(1)));
        assert!(l.take(|_| true).is_none(), "topic:1 is busy");
        assert_eq!(l.busy(), 3);
        // A job queued into the busy lane meanwhile is its next head if the outbox read
        // after the call missed it.
        l.offer(job(5, "topic:1", 0));
        l.finished("topic:1", Some(job(3, "topic:1", 0)));
        assert_eq!(l.take(|_| true).map(|j| j.id.0), Some(3));
        // After 3 the outbox read finds 5 (queued before it): still one head.
        l.finished("topic:1", Some(job(5, "topic:1", 0)));
        assert_eq!(l.take(|_| true).map(|j| j.id.0), Some(5));
        // A job offered while busy and missed by the read afterwards is not lost.
        l.offer(job(6, "topic:1", 0));
        l.finished("topic:1", None);
        assert_eq!(l.take(|_| true).map(|j| j.id.0), Some(6));
        l.finished("topic:1", None);
        l.finished("customer:9", None);
        l.finished("title:1", None);
        assert_eq!(l.len(), 0);
    }

    #[test]
    fn a_head_the_filter_refuses_waits_without_blocking_others() {
        let mut l = Lanes::default();
        l.offer(job(1, "topic:1", 0));
        l.offer(job(2, "topic:2", 0));
        let got = l.take(|j| j.lane != "topic:1").map(|j| j.id.0);
        assert_eq!(got, Some(2));
        assert_eq!(l.take(|_| true).map(|j| j.id.0), Some(1));
    }
}
