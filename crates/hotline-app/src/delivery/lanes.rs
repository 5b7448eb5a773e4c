//! The delivery worker's view of its outbox: the head of every lane that has work and is not
//! running, in priority order, the lanes whose head is in flight, and the jobs queued behind
//! each head.
//!
//! The outbox stays the truth; this view saves re-reading it after each call. It learns new
//! work by reading the jobs queued after the last one it saw ([`Lanes::load_new`], one
//! indexed read per wake-up). A lane that first appeared that way is known *completely*:
//! every later job of it comes through the same read, in id order, and is kept behind its
//! head (up to [`KEEP_PER_LANE`]), so when a call finishes the next head is already known
//! ([`Lanes::finished`]) and no read is made. The outbox is read for a lane's next head
//! ([`Lanes::finished_read`]) only when the view cannot be sure: the head was kept for a
//! retry (its due time changed), the lane came from a full re-read (heads only), more jobs
//! arrived than are kept, or the next job is one that a newer job may replace (a
//! coalescing rename or topic state). A full re-read ([`Lanes::resync`]) at start and every
//! few seconds while the backlog is small catches what the incremental read cannot see: a
//! job that committed after a later one (PostgreSQL hands out ids before commit), or one
//! deleted by another writer (a coalesced rename).

use std::collections::{BTreeMap, HashMap, VecDeque};

use hotline_store::{Job as StoredJob, JobId};

use crate::ctx::ConnCtx;

/// How many new jobs one incremental read takes at most.
const READ_BATCH: i64 = 512;

/// Jobs kept behind a lane's head at most; past that the lane's next head is read from
/// the outbox (memory stays bounded whatever the backlog).
pub(super) const KEEP_PER_LANE: usize = 32;

/// A full re-read is skipped while this many lanes have work (it would cost more than the
/// rare job it can find); it happens again once the backlog shrinks.
pub(super) const RESYNC_MAX_LANES: usize = 2_000;

#[derive(Debug)]
struct Lane {
    /// Its head is in flight (else it waits in `ready`).
    running: bool,
    /// Jobs behind the head, in id order.
    later: VecDeque<StoredJob>,
    /// `later` holds every job the lane has after its head, as far as the view has read.
    complete: bool,
}

#[derive(Debug, Default)]
pub(super) struct Lanes {
    /// Heads not running, by (priority, id): lower runs first.
    ready: BTreeMap<(i64, i64), StoredJob>,
    lanes: HashMap<String, Lane>,
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
        self.lanes.values().filter(|l| l.running).count()
    }

    /// Re-reads every lane's head from the outbox (lanes in flight keep running).
    pub(super) async fn resync(&mut self, ctx: &ConnCtx) -> anyhow::Result<()> {
        let heads = ctx.store.outbox().heads(ctx.id).await?;
        self.reset(heads);
        Ok(())
    }

    fn reset(&mut self, heads: Vec<StoredJob>) {
        self.ready.clear();
        self.lanes.retain(|_, l| l.running);
        for j in heads {
            self.seen = self.seen.max(j.id.0);
            if self.lanes.contains_key(&j.lane) {
                continue;
            }
            // Heads only: what is behind them is not known.
            self.lanes.insert(
                j.lane.clone(),
                Lane {
                    running: false,
                    later: VecDeque::new(),
                    complete: false,
                },
            );
            self.ready.insert(key(&j), j);
        }
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

    /// A job of some lane, newer than any the view has: the lane's head if it had none,
    /// else kept behind it.
    fn offer(&mut self, j: StoredJob) {
        match self.lanes.get_mut(&j.lane) {
            None => {
                self.lanes.insert(
                    j.lane.clone(),
                    Lane {
                        running: false,
                        later: VecDeque::new(),
                        complete: true,
                    },
                );
                self.ready.insert(key(&j), j);
            }
            Some(l) => {
                // Kept even when the lane is not known completely: the read after its
                // head may miss a job that commits later.
                let in_order = l.later.back().is_none_or(|b| b.id < j.id);
                if in_order && l.later.len() < KEEP_PER_LANE {
                    l.later.push_back(j);
                } else {
                    l.complete = false;
                }
            }
        }
    }

    /// The first head, in priority order, that `may_go` admits; it is marked in flight.
    pub(super) fn take(&mut self, mut may_go: impl FnMut(&StoredJob) -> bool) -> Option<StoredJob> {
        let k = *self.ready.iter().find(|(_, j)| may_go(j))?.0;
        let j = self.ready.remove(&k)?;
        if let Some(l) = self.lanes.get_mut(&j.lane) {
            l.running = true;
        }
        Some(j)
    }

    /// A lane's head finished; `removed` are the jobs its call took out of the outbox (the
    /// head, and an album's other items; none when the head was kept for a retry). The
    /// next head comes from what the view knows, or — when it returns true — the caller
    /// reads it from the outbox and hands it to [`Lanes::finished_read`].
    pub(super) fn finished(&mut self, lane: &str, removed: &[JobId]) -> bool {
        let Some(l) = self.lanes.get_mut(lane) else {
            return false;
        };
        l.later.retain(|j| !removed.contains(&j.id));
        let sure = !removed.is_empty()
            && l.complete
            && l.later.front().is_none_or(|j| j.coalesce_key.is_none());
        if !sure {
            return true;
        }
        match l.later.pop_front() {
            Some(next) => {
                l.running = false;
                self.ready.insert(key(&next), next);
            }
            None => {
                self.lanes.remove(lane);
            }
        }
        false
    }

    /// A lane's next head as the outbox had it after its call (see [`Lanes::finished`]).
    /// A job the view saw meanwhile and the read missed (it committed later) is not lost.
    pub(super) fn finished_read(&mut self, lane: &str, next: Option<StoredJob>) {
        let mut l = self.lanes.remove(lane).unwrap_or(Lane {
            running: false,
            later: VecDeque::new(),
            complete: false,
        });
        l.running = false;
        l.complete = false;
        let head = match next {
            Some(n) if l.later.front().is_some_and(|f| f.id <= n.id) => {
                let f = l.later.pop_front();
                if f.as_ref().is_some_and(|f| f.id == n.id) {
                    Some(n)
                } else {
                    f
                }
            }
            Some(n) => Some(n),
            None => l.later.pop_front(),
        };
        if let Some(j) = head {
            self.seen = self.seen.max(j.id.0);
            self.ready.insert(key(&j), j);
            self.lanes.insert(lane.to_string(), l);
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

    fn next(l: &mut Lanes) -> Option<i64> {
        l.take(|_| true).map(|j| j.id.0)
    }

    #[test]
    fn one_head_per_lane_in_priority_order_and_the_next_known_without_a_read() {
        let mut l = Lanes::default();
        l.offer(job(1, "title:1", 2));
        l.offer(job(2, "topic:1", 0));
        l.offer(job(3, "topic:1", 0));
        l.offer(job(4, "customer:9", 1));
        // Relayed messages first, then notices, then renames; one head per lane.
        assert_eq!(
            (next(&mut l), next(&mut l), next(&mut l)),
            (Some(2), Some(4), Some(1))
        );
        assert!(next(&mut l).is_none(), "topic:1 is busy");
        assert_eq!(l.busy(), 3);
        // Queued while 2 runs: kept behind 3, in order.
        l.offer(job(5, "topic:1", 0));
        assert!(!l.finished("topic:1", &[JobId(2)]), "3 is known to be next");
        assert_eq!(next(&mut l), Some(3));
        assert!(!l.finished("topic:1", &[JobId(3)]));
        assert_eq!(next(&mut l), Some(5));
        assert!(!l.finished("topic:1", &[JobId(5)]));
        assert!(!l.finished("customer:9", &[JobId(4)]));
        assert!(!l.finished("title:1", &[JobId(1)]));
        assert_eq!(l.len(), 0, "every lane is empty and known to be");
    }

    #[test]
    fn an_albums_items_taken_by_its_first_call_do_not_run_again() {
        let mut l = Lanes::default();
        for id in 1..=4 {
            l.offer(job(id, "topic:1", 0));
        }
        assert_eq!(next(&mut l), Some(1));
        // One copyMessages call took 1, 2 and 3.
        assert!(!l.finished("topic:1", &[JobId(1), JobId(2), JobId(3)]));
        assert_eq!(next(&mut l), Some(4));
    }

    #[test]
    fn the_outbox_is_read_when_the_view_cannot_be_sure() {
        // A head kept for a retry: its due time changed.
        let mut l = Lanes::default();
        l.offer(job(1, "topic:1", 0));
        l.offer(job(2, "topic:1", 0));
        assert_eq!(next(&mut l), Some(1));
        assert!(l.finished("topic:1", &[]));
        let mut retried = job(1, "topic:1", 0);
        retried.not_before = 5_000;
        l.finished_read("topic:1", Some(retried));
        let head = l.take(|_| true).expect("the retried head");
        assert_eq!((head.id.0, head.not_before), (1, 5_000));

        // A lane from a full re-read: what is behind its head is unknown.
        let mut l = Lanes::default();
        l.reset(vec![job(7, "topic:2", 0)]);
        assert_eq!(next(&mut l), Some(7));
        assert!(l.finished("topic:2", &[JobId(7)]));
        l.finished_read("topic:2", Some(job(8, "topic:2", 0)));
        assert_eq!(next(&mut l), Some(8));

        // More jobs than are kept.
        let mut l = Lanes::default();
        for id in 1..=(KEEP_PER_LANE as i64 + 2) {
            l.offer(job(id, "topic:3", 0));
        }
        assert_eq!(next(&mut l), Some(1));
        assert!(l.finished("topic:3", &[JobId(1)]));

        // A rename may have been replaced by a newer one (coalescing).
        let mut l = Lanes::default();
        l.offer(job(1, "topic:4", 0));
        let mut state = job(2, "topic:4", 1);
        state.coalesce_key = Some("state:4".into());
        l.offer(state);
        assert_eq!(next(&mut l), Some(1));
        assert!(l.finished("topic:4", &[JobId(1)]));
        let mut newer = job(3, "topic:4", 1);
        newer.coalesce_key = Some("state:4".into());
        l.finished_read("topic:4", Some(newer));
        // 2 is still run (a read can miss a job that commits later, so the view keeps what
        // it saw); a replaced topic state or rename that runs applies the dialog's current
        // state, so it is harmless.
        assert_eq!(next(&mut l), Some(2));
        assert!(
            l.finished("topic:4", &[JobId(2)]),
            "not known completely after a read"
        );
        l.finished_read("topic:4", Some(job(3, "topic:4", 1)));
        assert_eq!(next(&mut l), Some(3));
    }

    #[test]
    fn a_job_the_read_missed_is_not_lost() {
        let mut l = Lanes::default();
        l.reset(vec![job(1, "topic:1", 0)]);
        assert_eq!(next(&mut l), Some(1));
        // 6 is seen while 1 runs; the read after it answers nothing (6 not visible yet).
        l.offer(job(6, "topic:1", 0));
        assert!(l.finished("topic:1", &[JobId(1)]));
        l.finished_read("topic:1", None);
        assert_eq!(next(&mut l), Some(6));
        // The outbox names an older job than the view kept: it goes first, 9 stays behind.
        l.offer(job(9, "topic:1", 0));
        assert!(l.finished("topic:1", &[JobId(6)]));
        l.finished_read("topic:1", Some(job(8, "topic:1", 0)));
        assert_eq!(next(&mut l), Some(8));
        assert!(
            l.finished("topic:1", &[JobId(8)]),
            "after a read the lane is not complete"
        );
        l.finished_read("topic:1", Some(job(9, "topic:1", 0)));
        assert_eq!(next(&mut l), Some(9));
    }

    #[test]
    fn a_head_the_filter_refuses_waits_without_blocking_others() {
        let mut l = Lanes::default();
        l.offer(job(1, "topic:1", 0));
        l.offer(job(2, "topic:2", 0));
        let got = l.take(|j| j.lane != "topic:1").map(|j| j.id.0);
        assert_eq!(got, Some(2));
        assert_eq!(next(&mut l), Some(1));
    }
}
