//! Readiness: whether this instance is doing its job — the database answers with every
//! migration applied, and every enabled connection is running and has heard from Telegram
//! recently (a long poll returned, a webhook arrived, or the webhook check answered).
//! `/readyz` answers 200 or 503 with [`Readiness`] as JSON, naming what is wrong.

use std::sync::Arc;

use serde::Serialize;

use hotline_core::{ConnectionId, ConnectionStatus};

use crate::Runtime;
use crate::ctx::Liveness;

/// What `/readyz` reports.
#[derive(Debug, Serialize)]
pub struct Readiness {
    pub ready: bool,
    /// `ok`, or why the database is not usable.
    pub database: String,
    pub connections: Vec<ConnReadiness>,
    /// Every reason the instance is not ready, one sentence each.
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ConnReadiness {
    pub id: i64,
    pub bot: String,
    pub status: String,
    /// Seconds since Telegram last answered this connection's intake.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_contact_s: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub ready: bool,
}

/// How long a running connection may go without hearing from Telegram: a long poll returns
/// at least every `poll_timeout_s`; the webhook check runs every [`WEBHOOK_CHECK_S`].
pub fn contact_window_ms(rt: &Runtime) -> i64 {
    let s = if rt.settings.public_url.is_some() {
        WEBHOOK_CHECK_S * 2
    } else {
        rt.settings
            .poll_timeout_s
            .saturating_mul(2)
            .saturating_add(10)
    };
    i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX)
}

/// How often a webhook connection asks Telegram about its webhook (`getWebhookInfo`).
pub const WEBHOOK_CHECK_S: u64 = 60;

/// Checks the database and every enabled connection.
pub async fn readiness(rt: &Runtime) -> Readiness {
    let mut problems = Vec::new();
    let database = match rt.store.health().await {
        Ok(()) => "ok".to_string(),
        Err(e) => {
            problems.push(format!("database: {e}"));
            e
        }
    };
    let mut connections = Vec::new();
    if database == "ok" {
        let now = rt.clock().now_ms();
        let window = contact_window_ms(rt);
        match rt.store.connections().all().await {
            Ok(all) => {
                for c in all.into_iter().filter(|c| c.enabled) {
                    let live = rt.liveness(c.id);
                    let r = judge(
                        c.id,
                        &c.bot_username,
                        c.status,
                        c.status_error,
                        live,
                        now,
                        window,
                    );
                    if !r.ready {
                        problems.push(describe(&r));
                    }
                    connections.push(r);
                }
            }
            Err(e) => problems.push(format!("database: cannot list connections: {e}")),
        }
    }
    Readiness {
        ready: problems.is_empty(),
        database,
        connections,
        problems,
    }
}

fn judge(
    id: ConnectionId,
    bot: &str,
    status: ConnectionStatus,
    status_error: Option<String>,
    live: Option<Arc<Liveness>>,
    now: i64,
    window: i64,
) -> ConnReadiness {
    let last = live.as_ref().map(|l| now.saturating_sub(l.last_contact()));
    let error = match status {
        ConnectionStatus::Error => status_error,
        _ => live.as_ref().and_then(|l| l.last_error()),
    };
    let ready = match status {
        // Starting (just started or restarted): ready while within one window of its start,
        // which is where its contact time begins.
        ConnectionStatus::Running | ConnectionStatus::Starting => {
            last.is_some_and(|ms| ms <= window)
        }
        ConnectionStatus::Error | ConnectionStatus::Stopped => false,
    };
    ConnReadiness {
        id: id.0,
        bot: bot.to_string(),
        status: status.to_string(),
        last_contact_s: last.map(|ms| ms / 1000),
        error,
        ready,
    }
}

fn describe(r: &ConnReadiness) -> String {
    let what = match (r.status.as_str(), r.last_contact_s) {
        ("error", _) => "has failed".to_string(),
        ("stopped", _) => "is enabled but not running".to_string(),
        (_, Some(s)) => format!("has not heard from Telegram for {s} s"),
        (_, None) => "has not started".to_string(),
    };
    match &r.error {
        Some(e) => format!("connection {} (@{}) {what}: {e}", r.id, r.bot),
        None => format!("connection {} (@{}) {what}", r.id, r.bot),
    }
}
