//! Webhook intake: a path per connection on the instance's listener ([`crate::http`]).
//! The secret Telegram echoes is compared in constant time; a wrong one gets 401 and
//! nothing is stored. An update is committed to the inbox before we answer 200.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use subtle::ConstantTimeEq;

use hotline_core::{ConnectionId, UpdateId};

use crate::Runtime;

pub(crate) async fn receive(
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
    if rt.settings.public_url.is_none() {
        // Long polling: no webhook is set, so nothing legitimate posts here.
        return StatusCode::NOT_FOUND;
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
            ctx.metrics.updates_received(connection, 1);
            ctx.liveness.contact(ctx.now());
            ctx.inbox.notify_one();
            StatusCode::OK
        }
        Err(e) => {
            tracing::error!(%connection, "cannot store a webhook update: {e}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
