//! Prometheus metrics: one explicit registry per runtime (no global state, so tests and
//! several runtimes in one process never mix their numbers), served as text on `/metrics`.
//!
//! Counters move where things happen (intake, delivery, every Bot API call); gauges about
//! stored state (outbox depth and age, inbox lag, connections by status) are read from the
//! store when scraped, so they are never stale and cost nothing between scrapes.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use hotline_core::{ConnectionId, Direction};
use hotline_store::Store;
use hotline_telegram::Outcome;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConnLabel {
    connection: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RelayLabels {
    connection: String,
    /// `in`: customer → topic; `out`: topic → customer.
    direction: String,
    /// text, photo, document, voice, sticker, album, …
    kind: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    method: String,
    outcome: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: String,
}

type FloatGauge = Gauge<f64, AtomicU64>;

/// Every metric Hotline exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    updates: Family<ConnLabel, Counter>,
    relayed: Family<RelayLabels, Counter>,
    calls: Family<CallLabels, Counter>,
    latency: Histogram,
    outbox_depth: Family<ConnLabel, Gauge>,
    outbox_age: Family<ConnLabel, FloatGauge>,
    inbox_lag: Family<ConnLabel, FloatGauge>,
    inbox_pending: Family<ConnLabel, Gauge>,
    connections: Family<StatusLabel, Gauge>,
    /// One scrape at a time: the stored-state gauges are cleared and refilled.
    scrape: tokio::sync::Mutex<()>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("hotline");
        let updates = Family::<ConnLabel, Counter>::default();
        registry.register(
            "updates_received",
            "Updates taken in from Telegram (long polling or webhook), per connection",
            updates.clone(),
        );
        let relayed = Family::<RelayLabels, Counter>::default();
        registry.register(
            "messages_relayed",
            "Messages delivered across the relay, by direction (in: customer to topic, out: topic to customer) and kind",
            relayed.clone(),
        );
        let calls = Family::<CallLabels, Counter>::default();
        registry.register(
            "bot_api_calls",
            "Bot API calls by method and outcome (ok, 429, 4xx, 5xx, transport)",
            calls.clone(),
        );
        // 5 ms … ~20 s.
        let latency = Histogram::new(exponential_buckets(0.005, 2.0, 13));
        registry.register(
            "relay_latency_seconds",
            "From a message's intake to its copy's delivery",
            latency.clone(),
        );
        let outbox_depth = Family::<ConnLabel, Gauge>::default();
        registry.register(
            "outbox_depth",
            "Jobs waiting in the outbox, per connection",
            outbox_depth.clone(),
        );
        let outbox_age = Family::<ConnLabel, FloatGauge>::default();
        registry.register(
            "outbox_oldest_job_age_seconds",
            "Age of the oldest job waiting in the outbox, per connection (0 when empty)",
            outbox_age.clone(),
        );
        let inbox_lag = Family::<ConnLabel, FloatGauge>::default();
        registry.register(
            "inbox_lag_seconds",
            "Age of the oldest update taken in but not processed yet, per connection (0 when none)",
            inbox_lag.clone(),
        );
        let inbox_pending = Family::<ConnLabel, Gauge>::default();
        registry.register(
            "inbox_pending",
            "Updates taken in but not processed yet, per connection",
            inbox_pending.clone(),
        );
        let connections = Family::<StatusLabel, Gauge>::default();
        registry.register(
            "connections",
            "Connections by status (starting, running, error, stopped)",
            connections.clone(),
        );
        Metrics {
            registry,
            updates,
            relayed,
            calls,
            latency,
            outbox_depth,
            outbox_age,
            inbox_lag,
            inbox_pending,
            connections,
            scrape: tokio::sync::Mutex::new(()),
        }
    }

    pub fn updates_received(&self, connection: ConnectionId, n: usize) {
        self.updates
            .get_or_create(&conn(connection))
            .inc_by(u64::try_from(n).unwrap_or(u64::MAX));
    }

    pub fn relayed(&self, connection: ConnectionId, direction: Direction, kind: &str, n: usize) {
        let labels = RelayLabels {
            connection: connection.to_string(),
            direction: direction.as_str().to_string(),
            kind: kind.to_string(),
        };
        self.relayed
            .get_or_create(&labels)
            .inc_by(u64::try_from(n).unwrap_or(u64::MAX));
    }

    /// A copy delivered `ms` after its message was taken in.
    pub fn relay_latency(&self, ms: i64) {
        self.latency.observe(seconds(ms));
    }

    pub fn bot_api_call(&self, method: &str, outcome: Outcome) {
        let labels = CallLabels {
            method: method.to_string(),
            outcome: outcome.as_str().to_string(),
        };
        self.calls.get_or_create(&labels).inc();
    }

    /// The registry in Prometheus' text format, with the stored-state gauges read now.
    pub async fn render(&self, store: &Store, now_ms: i64) -> Result<String, std::fmt::Error> {
        let _one = self.scrape.lock().await;
        self.connections.clear();
        self.outbox_depth.clear();
        self.outbox_age.clear();
        self.inbox_lag.clear();
        self.inbox_pending.clear();
        for status in ["starting", "running", "error", "stopped"] {
            self.connections
                .get_or_create(&StatusLabel {
                    status: status.into(),
                })
                .set(0);
        }
        for c in store.connections().all().await.unwrap_or_default() {
            self.connections
                .get_or_create(&StatusLabel {
                    status: c.status.to_string(),
                })
                .inc();
            let label = conn(c.id);
            if let Ok(stats) = store.outbox().stats(c.id).await {
                self.outbox_depth.get_or_create(&label).set(stats.depth);
                self.outbox_age
                    .get_or_create(&label)
                    .set(stats.oldest.map_or(0.0, |at| seconds(now_ms - at)));
            }
            if let Ok(stats) = store.inbox().stats(c.id).await {
                self.inbox_pending.get_or_create(&label).set(stats.depth);
                self.inbox_lag
                    .get_or_create(&label)
                    .set(stats.oldest.map_or(0.0, |at| seconds(now_ms - at)));
            }
        }
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// Milliseconds (negative: 0) as seconds.
fn seconds(ms: i64) -> f64 {
    #[allow(clippy::cast_precision_loss)] // durations far below 2^52 ms
    let s = ms.max(0) as f64 / 1000.0;
    s
}

fn conn(id: ConnectionId) -> ConnLabel {
    ConnLabel {
        connection: id.to_string(),
    }
}
