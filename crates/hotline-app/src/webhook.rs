//! Webhook intake: one axum server, a path per connection. The secret Telegram echoes is
//! compared in constant time; a wrong one gets 401 and nothing is stored. An update is
//! committed to the inbox before we answer 200.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use serde_json::Value;
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use hotline_core::{ConnectionId, UpdateId};

use crate::Runtime;

pub async fn serve(listener: TcpListener, rt: Arc<Runtime>, shutdown: CancellationToken) {
    let app = Router::new()
        .route("/telegram/{connection}", post(receive))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(rt);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await;
    if let Err(e) = served {
        tracing::error!("webhook server stopped: {e}");
    }
}

async fn receive(
    State(rt): State<Arc<Runtime>>,
    Path(connection): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let given = headers
        .get("x-telegram-bot-api-secret-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    let connection = ConnectionId(connection);
    let expected = rt.webhook_secret(connection);
    if !bool::from(given.ct_eq(expected.as_bytes())) {
        return StatusCode::UNAUTHORIZED;
    }
    let Some(ctx) = rt.ctx(connection) else {
        // Not running right now: Telegram keeps the update and retries.
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    let update = match serde_json::from_slice::<Value>(&body) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(
                %connection,
                bytes = body.len(),
                "webhook body is not JSON, refused: {e}"
            );
            return StatusCode::BAD_REQUEST;
        }
    };
    let Some(id) = update.get("update_id").and_then(Value::as_i64) else {
        tracing::warn!(
            %connection,
            bytes = body.len(),
            "webhook body has no update_id, refused"
        );
        return StatusCode::BAD_REQUEST;
    };
    match rt
        .store
        .inbox()
        .put(connection, &[(UpdateId(id), update.to_string())], ctx.now())
        .await
    {
        Ok(_) => {
            ctx.inbox.notify_one();
            StatusCode::OK
        }
        Err(e) => {
            tracing::error!(%connection, "cannot store a webhook update: {e}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
