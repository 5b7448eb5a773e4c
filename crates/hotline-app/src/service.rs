//! Starting an instance: the supervisor ([`Runtime::boot`]), then the services around it —
//! the webhook server when `public_url` is set, the setup bot when it has a token — then
//! every enabled connection. Kept apart from `runtime.rs` so the supervisor knows nothing of
//! the setup bot or the webhook server, both of which drive it.

use std::sync::Arc;

use anyhow::{Context, Result};
use hotline_store::{SecretBox, Store};

use crate::{Clock, Runtime, Settings, lock, setup, webhook};

impl Runtime {
    /// Starts the instance: every enabled connection, the webhook server when `public_url`
    /// is set, the setup bot when `setup_bot_token` is.
    pub async fn start(
        settings: Settings,
        store: Store,
        secrets: SecretBox,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>> {
        let rt = Runtime::boot(settings, store, secrets, clock).await?;
        if rt.settings.public_url.is_some() {
            let listener = tokio::net::TcpListener::bind(rt.settings.listen)
                .await
                .context("webhook listener")?;
            *lock(&rt.webhook_addr) = Some(listener.local_addr()?);
            rt.spawn_abortable(webhook::serve(listener, rt.clone(), rt.shutdown_token()));
        }
        if let Some(token) = rt.settings.setup_bot_token.clone() {
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
