//! The instance's HTTP listener (`listen`), in polling mode too: `/healthz` (the process
//! answers), `/readyz` (database and connections, see [`crate::health`]), `/metrics`
//! (Prometheus text), and, with `public_url`, the webhook intake `/telegram/{connection}`.
//! None of it is meant to face the internet directly: only `/telegram/` belongs behind the
//! public TLS proxy (docs/deploy.md).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::{Runtime, health, webhook};

pub async fn serve(listener: TcpListener, rt: Arc<Runtime>, shutdown: CancellationToken) {
    let app = Router::new()
        .route("/telegram/{connection}", post(webhook::receive))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(rt);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await;
    if let Err(e) = served {
        tracing::error!("the HTTP listener stopped: {e}");
    }
}

async fn readyz(State(rt): State<Arc<Runtime>>) -> Response {
    let r = health::readiness(&rt).await;
    let code = if r.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, axum::Json(r)).into_response()
}

async fn metrics(State(rt): State<Arc<Runtime>>) -> Response {
    match rt.metrics.render(&rt.store, rt.clock().now_ms()).await {
        Ok(text) => (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("cannot encode the metrics: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
