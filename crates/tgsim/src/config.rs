//! How a tgsim instance behaves where Telegram leaves room or where tests need a knob.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Reject parameters a method does not document (Telegram silently ignores them).
    pub strict: bool,
    /// Behave like a local Bot API server: plain-HTTP webhooks on any port, 2000 MB files.
    pub local_server: bool,
    /// Time after which a bot can no longer edit its messages. `None` follows the Bot API
    /// documentation, which limits only business messages; set it to 48 to be pessimistic.
    pub edit_window_hours: Option<i64>,
    pub limits: LimitsConfig,
    /// First delay before a failed webhook delivery is retried; doubles up to the maximum.
    pub webhook_retry_ms: u64,
    pub webhook_retry_max_ms: u64,
    /// Seed for every random choice (update ids, tokens, fault injection).
    pub seed: u64,
    /// Append every Bot API request and response to this file (JSON lines).
    /// Defaults to the `TGSIM_RECORD` environment variable.
    pub record_path: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            strict: true,
            local_server: false,
            edit_window_hours: None,
            limits: LimitsConfig::default(),
            webhook_retry_ms: 100,
            webhook_retry_max_ms: 5_000,
            seed: 0x07e1_e6a3,
            record_path: std::env::var_os("TGSIM_RECORD").map(PathBuf::from),
        }
    }
}

impl Config {
    /// Telegram-like: unknown parameters are ignored instead of rejected.
    pub fn lenient() -> Self {
        Self {
            strict: false,
            ..Self::default()
        }
    }

    pub fn max_download_bytes(&self) -> usize {
        if self.local_server {
            2000 * 1024 * 1024
        } else {
            20 * 1024 * 1024
        }
    }

    pub fn max_upload_bytes(&self) -> usize {
        if self.local_server {
            2000 * 1024 * 1024
        } else {
            50 * 1024 * 1024
        }
    }
}

/// Telegram's published guidance on flood limits. Off by default.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LimitsConfig {
    pub enabled: bool,
    /// Messages per second one bot may send overall.
    pub bot_per_second: u32,
    /// Messages per second into one chat, with a short burst allowance.
    pub chat_per_second: u32,
    pub chat_burst: u32,
    /// Messages per minute into one group (a whole forum is one chat).
    pub group_per_minute: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            bot_per_second: 30,
            chat_per_second: 1,
            chat_burst: 3,
            group_per_minute: 20,
        }
    }
}
