//! What a connection's calls in flight share: the [`Pacer`], and the completions queue that
//! commits the outcomes of many calls in one transaction (group commit).
//!
//! A call's task hands its finished jobs (and the message pairs a copy created) to the
//! queue and waits until they are committed; only then is its lane given its next job, so
//! order and exactly-once hold as with one commit per call. Whoever finds the queue idle
//! commits what is waiting, then whatever arrived meanwhile; a batch that fails is retried
//! one completion at a time, so one bad completion fails only its own call.

use std::sync::Mutex;

use tokio::sync::oneshot;

use hotline_store::{JobId, MapEntry};

use super::Pacer;
use crate::ctx::ConnCtx;

/// Completions committed together at most (a few statements whatever the number).
const MAX_BATCH: usize = 64;

struct Completion {
    pairs: Vec<MapEntry>,
    done: Vec<JobId>,
    reply: oneshot::Sender<Result<(), String>>,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Completion>,
    /// Someone is committing: what arrives now is committed by them, next.
    busy: bool,
}

/// The pacer and the completions queue of one connection's delivery worker.
pub(crate) struct Worker {
    pub(super) pacer: Pacer,
    queue: Mutex<Queue>,
}

impl Worker {
    pub(super) fn new(pacer: Pacer) -> Self {
        Worker {
            pacer,
            queue: Mutex::default(),
        }
    }

    /// Records `pairs` and removes the `done` jobs, committed together with whatever other
    /// calls finished meanwhile; returns once committed (or with the database's error).
    pub(super) async fn complete(
        &self,
        ctx: &ConnCtx,
        pairs: Vec<MapEntry>,
        done: Vec<JobId>,
    ) -> Result<(), String> {
        let (reply, answer) = oneshot::channel();
        let lead = {
            let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            q.waiting.push(Completion { pairs, done, reply });
            !std::mem::replace(&mut q.busy, true)
        };
        if lead {
            self.commit_waiting(ctx).await;
        }
        answer
            .await
            .unwrap_or_else(|_| Err("the completion was dropped before its commit".into()))
    }

    /// Commits batches until the queue is empty, then leaves it idle.
    async fn commit_waiting(&self, ctx: &ConnCtx) {
        let mut idle = Idle {
            queue: &self.queue,
            armed: true,
        };
        loop {
            let batch: Vec<Completion> = {
                let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
                if q.waiting.is_empty() {
                    // Under the lock: whoever pushes next finds the queue idle and leads.
                    q.busy = false;
                    idle.armed = false;
                    return;
                }
                let n = q.waiting.len().min(MAX_BATCH);
                q.waiting.drain(..n).collect()
            };
            commit(ctx, batch).await;
        }
    }
}

/// If the committing future is dropped mid-way (its task cancelled), the queue must not
/// stay busy with nobody committing: the waiting completions are dropped (their callers
/// get an error; their jobs stay queued and run again) and the queue is idle again.
struct Idle<'a> {
    queue: &'a Mutex<Queue>,
    armed: bool,
}

impl Drop for Idle<'_> {
    fn drop(&mut self) {
        if self.armed {
            let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            q.busy = false;
            q.waiting.clear();
        }
    }
}

/// One transaction for the batch; one per completion if that fails, so a bad one fails
/// only its own call.
async fn commit(ctx: &ConnCtx, batch: Vec<Completion>) {
    let now = ctx.now();
    if batch.len() > 1 {
        let pairs: Vec<MapEntry> = batch.iter().flat_map(|c| c.pairs.clone()).collect();
        let done: Vec<JobId> = batch.iter().flat_map(|c| c.done.clone()).collect();
        match ctx
            .store
            .outbox()
            .complete(ctx.id, &pairs, &done, now)
            .await
        {
            Ok(()) => {
                for c in batch {
                    let _ = c.reply.send(Ok(()));
                }
                return;
            }
            Err(e) => tracing::warn!(
                connection = %ctx.id,
                "{} completions failed together ({e}); committing them one by one",
                batch.len()
            ),
        }
    }
    for c in batch {
        let r = ctx
            .store
            .outbox()
            .complete(ctx.id, &c.pairs, &c.done, now)
            .await
            .map_err(|e| e.to_string());
        let _ = c.reply.send(r);
    }
}
