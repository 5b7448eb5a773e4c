//! Starting an instance: the supervisor ([`Runtime::boot`]), then the services around it —
//! the HTTP listener (health, metrics, webhooks), the setup bot when it has a token — then
//! every enabled connection. Kept apart from `runtime.rs` so the supervisor knows nothing of
//! the setup bot or the HTTP listener, both of which drive it.

use std::sync::Arc;

use anyhow::{Context, Result};
use hotline_store::{SecretBox, Store};
use hotline_telegram::TgError;

use crate::{Clock, Runtime, Settings, http, lock, setup};

impl Runtime {
    /// Starts the instance: the HTTP listener, the setup bot when `setup_bot_token` is set,
    /// every enabled connection.
    pub async fn start(
        settings: Settings,
        store: Store,
        secrets: SecretBox,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>> {
        let rt = Runtime::boot(settings, store, secrets, clock).await?;
        let listener = tokio::net::TcpListener::bind(rt.settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", rt.settings.listen))?;
        let addr = listener.local_addr()?;
        *lock(&rt.http_addr) = Some(addr);
        tracing::info!(
            "listening on http://{addr} (/healthz, /readyz, /metrics{})",
            if rt.settings.public_url.is_some() {
                ", /telegram/ for webhooks"
            } else {
                ""
            }
        );
        rt.spawn_abortable(http::serve(listener, rt.clone(), rt.shutdown_token()));
        if let Some(token) = rt.settings.setup_bot_token.clone() {
            // A token Telegram refuses will not start working by itself: stop here, in one
            // line, rather than run without an admin UI. Telegram unreachable is another
            // matter: the setup bot keeps retrying, like every connection.
            match rt.bot_api(&token).get_me().await {
                Ok(_) => {}
                Err(TgError::Unauthorized) => {
                    rt.shutdown().await;
                    anyhow::bail!(
                        "Telegram at {} rejected setup_bot_token (401 Unauthorized): check it with @BotFather",
                        rt.settings.bot_api_url
                    );
                }
                Err(e) => tracing::warn!(
                    "cannot check the setup bot at {}: {e}; it keeps retrying",
                    rt.settings.bot_api_url
                ),
            }
            rt.spawn_abortable(setup::run(rt.clone(), token, rt.shutdown_token()));
        }
        for c in rt.store.connections().all().await? {
            if c.enabled {
                rt.start_connection(c.id);
            }
        }
        Ok(rt)
    }
}
