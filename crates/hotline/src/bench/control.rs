//! The load generator's side of tgsim: its control API over HTTP, and the world a phase
//! needs (per connection a team admin, a forum group with the frontend bot as an
//! administrator, and customers).
//!
//! Reading a `serde_json::Value` by key never panics (a missing key reads as Null), so
//! `indexing_slicing` is allowed here; writes go through `super::set`.
#![allow(clippy::indexing_slicing)]

use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// tgsim's control API (`{base}/control/…`).
#[derive(Clone)]
pub struct Control {
    http: reqwest::Client,
    base: String,
}

impl Control {
    pub fn new(http: reqwest::Client, base: &str) -> Self {
        Self {
            http,
            base: format!("{base}/control"),
        }
    }

    async fn answer(r: reqwest::Response, what: &str) -> Result<Value> {
        let status = r.status();
        let text = r.text().await?;
        let v: Value = serde_json::from_str(&text)
            .with_context(|| format!("tgsim answered {what} with {status}: {text}"))?;
        if v["ok"] == json!(true) {
            Ok(v["result"].clone())
        } else {
            Err(anyhow!("tgsim refused {what}: {}", v["error"]))
        }
    }

    /// A person sends (`/send`, see tgsim's control API); the answer carries `date_ms`.
    pub async fn send(&self, mut body: Value) -> Result<Value> {
        super::set(&mut body, "ms", json!(true));
        self.post("/send", body).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Result<Value> {
        let v = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .with_context(|| format!("POST {path}"))?;
        Self::answer(v, path).await
    }

    pub async fn get(&self, path: &str, query: &[(&str, i64)]) -> Result<Value> {
        let v = self
            .http
            .get(format!("{}{path}", self.base))
            .query(query)
            .send()
            .await
            .with_context(|| format!("GET {path}"))?;
        Self::answer(v, path).await
    }

    /// Messages stored in (private chats, groups).
    pub async fn message_counts(&self) -> Result<(u64, u64)> {
        let s = self.get("/stats", &[]).await?;
        let n = |k: &str| {
            s["messages"][k]
                .as_u64()
                .context("tgsim's /stats counts no messages")
        };
        Ok((n("private")?, n("groups")?))
    }

    /// Successful answers and 429s tgsim gave so far.
    pub async fn status_count(&self, status: u16) -> Result<u64> {
        let s = self.get("/stats", &[]).await?;
        Ok(s["statuses"][status.to_string()].as_u64().unwrap_or(0))
    }

    pub async fn calls(&self, method: &str) -> Result<u64> {
        let s = self.get("/stats", &[]).await?;
        Ok(s["calls"][method].as_u64().unwrap_or(0))
    }

    async fn user(&self, name: String) -> Result<i64> {
        let u = self
            .post(
                "/users",
                json!({ "first_name": name, "language_code": "en" }),
            )
            .await?;
        u["id"].as_i64().context("a user without id")
    }

    /// What `viewer` sees in `chat` (a bot's id for a private chat, or a group id).
    pub async fn timeline(&self, viewer: i64, chat: i64) -> Result<Vec<Value>> {
        let v = self
            .get("/timeline", &[("as", viewer), ("chat", chat), ("ms", 1)])
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }
}

/// One connection's side of the world.
#[derive(Debug, Clone)]
pub struct BenchConn {
    pub bot: i64,
    pub token: String,
    pub group: i64,
    pub admin: i64,
    pub customers: Vec<i64>,
}

/// The rights Hotline asks for in its backend group.
fn helpdesk_rights() -> Value {
    json!({ "can_manage_topics": true, "can_delete_messages": true, "can_pin_messages": true,
            "can_restrict_members": true })
}

/// Creates `connections` bots, each with a forum group and `customers` customers (who have
/// not pressed Start yet). Connections are made 16 at a time.
pub async fn make_world(
    ctl: &Control,
    tag: &str,
    connections: usize,
    customers: usize,
) -> Result<Vec<BenchConn>> {
    let gate = Arc::new(Semaphore::new(16));
    let mut tasks = JoinSet::new();
    for c in 0..connections {
        let ctl = ctl.clone();
        let gate = gate.clone();
        let tag = tag.to_string();
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let admin = ctl.user(format!("Admin {c}")).await?;
            let bot = ctl
                .post(
                    "/bots",
                    json!({ "username": format!("{tag}{c}_bot"), "first_name": "Load", "privacy": false }),
                )
                .await?;
            let group = ctl
                .post(
                    "/chats",
                    json!({ "type": "supergroup", "title": format!("Team {c}"), "creator": admin, "is_forum": true }),
                )
                .await?;
            let group = group["chat_id"].as_i64().context("a chat without id")?;
            let bot_id = bot["id"].as_i64().context("a bot without id")?;
            ctl.post(
                &format!("/chats/{group}/members"),
                json!({ "user_id": bot_id, "status": "administrator", "rights": helpdesk_rights() }),
            )
            .await?;
            let mut ids = Vec::with_capacity(customers);
            for u in 0..customers {
                ids.push(ctl.user(format!("Customer {c}-{u}")).await?);
            }
            anyhow::Ok((
                c,
                BenchConn {
                    bot: bot_id,
                    token: bot["token"].as_str().unwrap_or_default().to_string(),
                    group,
                    admin,
                    customers: ids,
                },
            ))
        });
    }
    let mut out: Vec<(usize, BenchConn)> = Vec::with_capacity(connections);
    while let Some(r) = tasks.join_next().await {
        out.push(r??);
    }
    out.sort_by_key(|(c, _)| *c);
    Ok(out.into_iter().map(|(_, c)| c).collect())
}
