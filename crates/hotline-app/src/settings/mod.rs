//! Instance configuration: defaults, then a TOML file, then `HOTLINE_*` environment
//! variables ([`load`]). Validated once at start-up; secrets are never printed.

mod load;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use hotline_store::SecretBox;

pub use load::NOT_CONFIGURATION;

/// How log lines are written: for people (`text`, coloured on a terminal only) or for log
/// collectors (`json`, one object a line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

/// Validated instance settings.
#[derive(Clone)]
pub struct Settings {
    pub setup_bot_token: Option<String>,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bot_api_url: String,
    /// Base URL Telegram reaches us at; `None` means long polling.
    pub public_url: Option<String>,
    pub listen: SocketAddr,
    /// base64 of the 32-byte instance key.
    pub encryption_key: String,
    pub superadmins: Vec<i64>,
    pub default_plan: String,
    pub branding_link: Option<String>,
    pub poll_timeout_s: u64,
    /// Pace outbound calls to Telegram's flood limits.
    pub pacing: bool,
    /// Bot API calls one connection may have in flight at once (one per lane at most).
    pub delivery_concurrency: usize,
    /// Bot API calls all connections together may have in flight at once.
    pub delivery_concurrency_total: usize,
    /// How long to collect the items of an album before relaying it.
    pub album_window_ms: u64,
    /// Processed updates are kept this long (for diagnosis), then deleted.
    pub retention_inbox_hours: u64,
    /// Message pairs (edits, replies and `/del` across) are kept this long; 0 keeps them.
    pub retention_message_map_days: u64,
    pub log_format: LogFormat,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    /// The configuration key (`listen`), or `--config` for the file itself.
    pub key: String,
    /// How the message names it: the environment variable the value came from
    /// (`HOTLINE_LISTEN`), the key and its file (`listen (hotline.toml)`), or the key.
    pub name: String,
    pub problem: String,
}

fn err(key: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.to_string(),
        name: key.to_string(),
        problem: problem.into(),
    }
}

/// Every problem found in the configuration, one a line (never empty).
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    /// The keys at fault, in the order found.
    pub fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|e| e.key.as_str()).collect()
    }
}

impl std::fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ConfigErrors {}

impl From<ConfigError> for ConfigErrors {
    fn from(e: ConfigError) -> Self {
        ConfigErrors(vec![e])
    }
}

impl Settings {
    /// What works but leaves the instance without something an operator usually wants,
    /// one sentence each (`check-config` prints them, `serve` logs them).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.setup_bot_token.is_none() {
            out.push(
                "no setup_bot_token: there is no admin UI in Telegram (no setup bot); connections are managed from the command line: hotline connection add|list|params|set|plan|role|enable|disable|remove".to_string(),
            );
        }
        if self.superadmins.is_empty() {
            out.push(
                "no superadmins: nobody can see every connection or grant plans in the setup bot; set superadmins, or use hotline connection list and hotline connection plan ID paid".to_string(),
            );
        }
        out
    }

    /// The instance key: configured, or kept in `{data_dir}/secret.key` (created on first
    /// start, readable only by its owner). Not checked against a database: `serve` and the
    /// CLI use [`crate::keys::instance_key`], which is (and finishes an interrupted
    /// rotation, which this refuses to guess about).
    pub fn secret_box(&mut self) -> Result<SecretBox, ConfigError> {
        if self.encryption_key.is_empty() {
            let path = self.data_dir.join(KEY_FILE);
            let pending = self.data_dir.join(NEW_KEY_FILE);
            if pending.exists() {
                return Err(err(
                    "encryption_key",
                    format!(
                        "{} exists: a key rotation was interrupted; `hotline serve` finishes or undoes it",
                        pending.display()
                    ),
                ));
            }
            let key = match std::fs::read_to_string(&path) {
                Ok(k) => k.trim().to_string(),
                Err(_) => {
                    std::fs::create_dir_all(&self.data_dir)
                        .map_err(|e| err("data_dir", e.to_string()))?;
                    let k = SecretBox::generate_key();
                    write_private(&path, &k).map_err(|e| {
                        err(
                            "encryption_key",
                            format!("cannot create {}: {e}", path.display()),
                        )
                    })?;
                    tracing::info!("generated a new instance key in {}", path.display());
                    k
                }
            };
            self.encryption_key = key;
        }
        SecretBox::from_base64(&self.encryption_key)
            .map_err(|e| err("encryption_key", e.to_string()))
    }

    /// The database URL with its password hidden (for messages).
    pub fn database_shown(&self) -> String {
        redact_url(&self.database_url)
    }

    /// The settings with secrets hidden, one `key = value` a line.
    pub fn render(&self) -> String {
        let hide = |s: &Option<String>| match s {
            Some(_) => "\"**hidden**\"".to_string(),
            None => "(not set)".to_string(),
        };
        let db = if self.database_url.starts_with("postgres") {
            redact_url(&self.database_url)
        } else {
            self.database_url.clone()
        };
        [
            format!("setup_bot_token = {}", hide(&self.setup_bot_token)),
            format!("data_dir = {:?}", self.data_dir.display().to_string()),
            format!("database_url = {db:?}"),
            format!("bot_api_url = {:?}", self.bot_api_url),
            format!(
                "public_url = {}",
                self.public_url
                    .as_ref()
                    .map_or("(not set: long polling)".to_string(), |p| format!("{p:?}"))
            ),
            format!("listen = \"{}\"", self.listen),
            format!(
                "encryption_key = {}",
                if self.encryption_key.is_empty() {
                    "(not set: kept in data_dir/secret.key)"
                } else {
                    "\"**hidden**\""
                }
            ),
            format!("superadmins = {:?}", self.superadmins),
            format!("default_plan = {:?}", self.default_plan),
            format!(
                "branding_link = {}",
                self.branding_link
                    .as_ref()
                    .map_or("(not set)".to_string(), |b| format!("{b:?}"))
            ),
            format!("poll_timeout_s = {}", self.poll_timeout_s),
            format!("pacing = {}", self.pacing),
            format!("delivery_concurrency = {}", self.delivery_concurrency),
            format!(
                "delivery_concurrency_total = {}",
                self.delivery_concurrency_total
            ),
            format!("album_window_ms = {}", self.album_window_ms),
            format!("retention_inbox_hours = {}", self.retention_inbox_hours),
            format!(
                "retention_message_map_days = {}",
                self.retention_message_map_days
            ),
            format!("log_format = {:?}", self.log_format.as_str()),
        ]
        .join("\n")
    }

    /// Settings for tests and the sandbox: everything explicit, nothing read from outside.
    pub fn for_tests(data_dir: &Path, bot_api_url: &str) -> Self {
        Settings {
            setup_bot_token: None,
            data_dir: data_dir.to_path_buf(),
            database_url: format!("sqlite://{}", data_dir.join("hotline.db").display()),
            bot_api_url: bot_api_url.to_string(),
            public_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            encryption_key: SecretBox::generate_key(),
            superadmins: Vec::new(),
            default_plan: "free".into(),
            branding_link: None,
            poll_timeout_s: 1,
            // Tests that need pacing turn it on; paced at 20 messages a minute per group,
            // every other test would take minutes.
            pacing: false,
            delivery_concurrency: 16,
            delivery_concurrency_total: 256,
            album_window_ms: 300,
            retention_inbox_hours: 168,
            retention_message_map_days: 180,
            log_format: LogFormat::Text,
        }
    }
}

/// The key file in `data_dir`, the new one while a rotation runs, the previous one after
/// (see [`crate::keys`]).
pub const KEY_FILE: &str = "secret.key";
pub const NEW_KEY_FILE: &str = "secret.key.new";
pub const OLD_KEY_FILE: &str = "secret.key.old";

/// Writes `content` to a new file readable by its owner only (an existing file is
/// refused), and makes it durable: the file and its directory entry are synced.
pub(crate) fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(content.as_bytes())?;
    f.sync_all()?;
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Makes renames and new entries in `dir` durable (best effort: not every platform opens
/// a directory).
pub(crate) fn sync_dir(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn redact_url(u: &str) -> String {
    // postgres://user:password@host → postgres://user:**@host
    match (u.find("://"), u.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &u[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:**{}", &u[..s + 3], &u[at..]),
                None => u.to_string(),
            }
        }
        _ => u.to_string(),
    }
}
