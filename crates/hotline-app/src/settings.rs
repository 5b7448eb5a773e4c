//! Instance configuration: defaults, then a TOML file, then `HOTLINE_*` environment
//! variables. Validated once at start-up; secrets are never printed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use hotline_store::SecretBox;

/// A list, or a single value (`HOTLINE_SUPERADMINS=12345` without a comma reaches us as a
/// number, not a one-item list); items may arrive as numbers or as text.
fn one_or_many<'de, D>(d: D) -> Result<Vec<i64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Item {
        Int(i64),
        Text(String),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Item),
        Many(Vec<Item>),
    }
    let items = match OneOrMany::deserialize(d)? {
        OneOrMany::One(v) => vec![v],
        OneOrMany::Many(v) => v,
    };
    items
        .into_iter()
        .map(|i| match i {
            Item::Int(v) => Ok(v),
            Item::Text(t) => t
                .trim()
                .parse::<i64>()
                .map_err(|_| serde::de::Error::custom(format!("{t:?} is not a Telegram user id"))),
        })
        .collect()
}

/// Environment variables of the command line itself, not configuration keys.
pub const NOT_CONFIGURATION: &[&str] = &[
    "HOTLINE_CONFIG",
    "HOTLINE_CONNECT_TOKEN",
    "HOTLINE_LOG",
    "HOTLINE_SANDBOX_BIND",
    "HOTLINE_SANDBOX_DIR",
    "HOTLINE_TEST_DATABASE_URL",
];

/// Raw configuration as read from the layers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    setup_bot_token: Option<String>,
    data_dir: PathBuf,
    database_url: Option<String>,
    bot_api_url: String,
    public_url: Option<String>,
    listen: String,
    encryption_key: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    superadmins: Vec<i64>,
    default_plan: String,
    branding_link: Option<String>,
    poll_timeout_s: u64,
    pacing: bool,
    album_window_ms: u64,
    log_format: String,
}

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
    /// How long to collect the items of an album before relaying it.
    pub album_window_ms: u64,
    pub log_format: LogFormat,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

fn err(key: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.to_string(),
        problem: problem.into(),
    }
}

impl Settings {
    /// Defaults → `file` (if given) → `HOTLINE_*` environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut b = config::Config::builder()
            .set_default("data_dir", "./data")
            .and_then(|b| b.set_default("bot_api_url", "https://api.telegram.org"))
            .and_then(|b| b.set_default("listen", "127.0.0.1:8080"))
            .and_then(|b| b.set_default("default_plan", "free"))
            .and_then(|b| b.set_default("poll_timeout_s", 25))
            .and_then(|b| b.set_default("pacing", true))
            .and_then(|b| b.set_default("album_window_ms", 1000))
            .and_then(|b| b.set_default("log_format", "text"))
            .map_err(|e| err("defaults", e.to_string()))?;
        if let Some(f) = file {
            if !f.exists() {
                return Err(err(
                    "--config",
                    format!("file {} does not exist", f.display()),
                ));
            }
            b = b.add_source(config::File::from(f).format(config::FileFormat::Toml));
        }
        // `HOTLINE_*` variables that are not configuration keys but belong to the command
        // line (`--config`, `connection add --token`, the log filter, the sandbox, tests)
        // are left out; any other unknown one is an error (a misspelt key must not pass).
        let env: std::collections::HashMap<String, String> = std::env::vars()
            .filter(|(k, _)| !NOT_CONFIGURATION.contains(&k.as_str()))
            .collect();
        b = b.add_source(
            config::Environment::with_prefix("HOTLINE")
                .source(Some(env))
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("superadmins"),
        );
        let raw: Raw = b
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| err(&key_of(&e.to_string()), e.to_string()))?;
        Self::validate(raw)
    }

    fn validate(r: Raw) -> Result<Self, ConfigError> {
        if let Some(t) = &r.setup_bot_token
            && !hotline_telegram::token_looks_valid(t)
        {
            return Err(err(
                "setup_bot_token",
                "does not look like a bot token (123456:ABC…)",
            ));
        }
        let database_url = match r.database_url {
            Some(u)
                if u.starts_with("sqlite:")
                    || u.starts_with("postgres://")
                    || u.starts_with("postgresql://") =>
            {
                u
            }
            Some(_) => {
                return Err(err(
                    "database_url",
                    "must start with sqlite: or postgres://",
                ));
            }
            None => format!("sqlite://{}", r.data_dir.join("hotline.db").display()),
        };
        if !(r.bot_api_url.starts_with("http://") || r.bot_api_url.starts_with("https://")) {
            return Err(err("bot_api_url", "must be an http(s) URL"));
        }
        if let Some(p) = &r.public_url
            && !(p.starts_with("https://") || p.starts_with("http://"))
        {
            return Err(err("public_url", "must be an http(s) URL"));
        }
        let listen: SocketAddr = r
            .listen
            .parse()
            .map_err(|_| err("listen", "must be an address like 127.0.0.1:8080"))?;
        let encryption_key = match r.encryption_key {
            Some(k) => {
                SecretBox::from_base64(&k).map_err(|e| err("encryption_key", e.to_string()))?;
                k
            }
            None => String::new(),
        };
        if r.default_plan != "free" && r.default_plan != "paid" {
            return Err(err("default_plan", "must be free or paid"));
        }
        if r.superadmins.iter().any(|id| *id <= 0) {
            return Err(err("superadmins", "must be positive Telegram user ids"));
        }
        if r.poll_timeout_s > 50 {
            return Err(err("poll_timeout_s", "must be at most 50 seconds"));
        }
        let log_format = match r.log_format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => return Err(err("log_format", "must be text or json")),
        };
        Ok(Settings {
            setup_bot_token: r.setup_bot_token,
            data_dir: r.data_dir,
            database_url,
            bot_api_url: r.bot_api_url.trim_end_matches('/').to_string(),
            public_url: r.public_url.map(|p| p.trim_end_matches('/').to_string()),
            listen,
            encryption_key,
            superadmins: r.superadmins,
            default_plan: r.default_plan,
            branding_link: r.branding_link,
            poll_timeout_s: r.poll_timeout_s,
            pacing: r.pacing,
            album_window_ms: r.album_window_ms,
            log_format,
        })
    }

    /// The instance key: configured, or kept in `{data_dir}/secret.key` (created on first
    /// start, readable only by its owner).
    pub fn secret_box(&mut self) -> Result<SecretBox, ConfigError> {
        if self.encryption_key.is_empty() {
            let path = self.data_dir.join("secret.key");
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
            format!("album_window_ms = {}", self.album_window_ms),
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
            album_window_ms: 300,
            log_format: LogFormat::Text,
        }
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

fn key_of(message: &str) -> String {
    // config's messages name the key as `… for key `name`` or `unknown field `name``.
    for marker in ["for key `", "field `"] {
        if let Some(i) = message.find(marker) {
            let rest = &message[i + marker.len()..];
            if let Some(end) = rest.find('`') {
                return rest[..end].to_string();
            }
        }
    }
    "configuration".to_string()
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(content.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_hidden_and_bad_values_name_their_key() {
        let mut raw = Raw {
            setup_bot_token: Some("123:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef012".into()),
            data_dir: "/tmp/x".into(),
            database_url: Some("postgres://hl:s3cret@db/hotline".into()),
            bot_api_url: "https://api.telegram.org".into(),
            public_url: None,
            listen: "127.0.0.1:8080".into(),
            encryption_key: Some(SecretBox::generate_key()),
            superadmins: vec![1],
            default_plan: "free".into(),
            branding_link: None,
            poll_timeout_s: 25,
            pacing: true,
            album_window_ms: 1000,
            log_format: "text".into(),
        };
        let s = Settings::validate(raw.clone()).unwrap();
        let shown = s.render();
        assert!(!shown.contains("s3cret") && !shown.contains("ABCDEFGH"));
        assert!(shown.contains("postgres://hl:**@db/hotline"));
        raw.default_plan = "gold".into();
        assert_eq!(
            Settings::validate(raw.clone()).unwrap_err().key,
            "default_plan"
        );
        raw.default_plan = "free".into();
        raw.encryption_key = Some("nope".into());
        assert_eq!(
            Settings::validate(raw.clone()).unwrap_err().key,
            "encryption_key"
        );
        raw.encryption_key = None;
        raw.database_url = Some("mysql://x".into());
        assert_eq!(Settings::validate(raw).unwrap_err().key, "database_url");
    }

    #[test]
    fn key_is_found_in_config_messages() {
        assert_eq!(
            key_of("invalid type: string \"x\", expected u64 for key `poll_timeout_s`"),
            "poll_timeout_s"
        );
        assert_eq!(
            key_of("unknown field `colour`, expected one of …"),
            "colour"
        );
    }
}
