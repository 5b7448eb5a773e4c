//! Reading the configuration: defaults, then a TOML file, then `HOTLINE_*` environment
//! variables, every value read on its own and every problem reported, then validated.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use hotline_store::SecretBox;

use super::{ConfigError, ConfigErrors, LogFormat, Settings, err};

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
#[derive(Debug, Clone)]
struct Raw {
    setup_bot_token: Option<String>,
    data_dir: PathBuf,
    database_url: Option<String>,
    bot_api_url: String,
    public_url: Option<String>,
    listen: String,
    encryption_key: Option<String>,
    superadmins: Vec<i64>,
    default_plan: String,
    branding_link: Option<String>,
    poll_timeout_s: u64,
    pacing: bool,
    delivery_concurrency: u64,
    delivery_concurrency_total: u64,
    album_window_ms: u64,
    retention_inbox_hours: u64,
    retention_message_map_days: u64,
    log_format: String,
}

/// The configuration keys, in the order messages list them.
const KEYS: &[&str] = &[
    "setup_bot_token",
    "data_dir",
    "database_url",
    "bot_api_url",
    "public_url",
    "listen",
    "encryption_key",
    "superadmins",
    "default_plan",
    "branding_link",
    "poll_timeout_s",
    "pacing",
    "delivery_concurrency",
    "delivery_concurrency_total",
    "album_window_ms",
    "retention_inbox_hours",
    "retention_message_map_days",
    "log_format",
];

/// `superadmins` as one or many ids ([`one_or_many`]).
#[derive(Deserialize)]
struct Ids(#[serde(deserialize_with = "one_or_many")] Vec<i64>);

/// How messages name each key: the environment variable its value came from
/// (`HOTLINE_LISTEN`), the key and its file (`listen (hotline.toml)`), or the key itself.
#[derive(Debug, Clone, Default)]
struct Names(std::collections::HashMap<String, String>);

impl Names {
    fn of(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    fn err(&self, key: &str, problem: impl Into<String>) -> ConfigError {
        ConfigError {
            key: key.to_string(),
            name: self.of(key),
            problem: problem.into(),
        }
    }
}

/// Reads each value on its own, so that every wrong one is reported (not just the first),
/// naming what it must be.
struct Reader<'a> {
    names: &'a Names,
    errors: &'a mut Vec<ConfigError>,
}

impl Reader<'_> {
    fn opt<T: serde::de::DeserializeOwned>(
        &mut self,
        value: Option<config::Value>,
        key: &str,
        what: &str,
    ) -> Option<T> {
        match value?.try_deserialize::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                // Never the value itself: it may be a secret.
                self.errors
                    .push(self.names.err(key, format!("must be {what}")));
                None
            }
        }
    }

    /// A key with a default (so always present); a wrong value reads as `T::default()`
    /// after its error was recorded.
    fn req<T: serde::de::DeserializeOwned + Default>(
        &mut self,
        value: Option<config::Value>,
        key: &str,
        what: &str,
    ) -> T {
        self.opt(value, key, what).unwrap_or_default()
    }
}

/// Whether a Bot API URL names this machine (a local Bot API server, tgsim): then Telegram
/// is not the one calling `public_url`, and plain http is acceptable.
fn is_local(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    match u.host_str() {
        Some(h) if h.eq_ignore_ascii_case("localhost") => true,
        Some(h) => h
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// A message of the `config` crate on one line: a TOML error's source excerpt and caret
/// lines are dropped (the line and column stay in its first line), and so is its trailing
/// ` in FILE` (the caller names the file).
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with('|')
                && !l.starts_with("in ")
                && !l
                    .split_once(" |")
                    .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        })
        .collect::<Vec<_>>()
        .join(": ")
}

impl Settings {
    /// Defaults → `file` (if given) → `HOTLINE_*` environment. Reports every problem it
    /// finds, each naming where the value came from.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigErrors> {
        let mut b = config::Config::builder()
            .set_default("data_dir", "./data")
            .and_then(|b| b.set_default("bot_api_url", "https://api.telegram.org"))
            .and_then(|b| b.set_default("listen", "127.0.0.1:8080"))
            .and_then(|b| b.set_default("default_plan", "free"))
            .and_then(|b| b.set_default("poll_timeout_s", 25))
            .and_then(|b| b.set_default("pacing", true))
            .and_then(|b| b.set_default("delivery_concurrency", 16))
            .and_then(|b| b.set_default("delivery_concurrency_total", 256))
            .and_then(|b| b.set_default("album_window_ms", 1000))
            .and_then(|b| b.set_default("retention_inbox_hours", 168))
            .and_then(|b| b.set_default("retention_message_map_days", 180))
            .and_then(|b| b.set_default("log_format", "text"))
            .map_err(|e| err("defaults", e.to_string()))?;
        if let Some(f) = file {
            if !f.exists() {
                return Err(err("--config", format!("file {} does not exist", f.display())).into());
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
                .source(Some(env.clone()))
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("superadmins"),
        );
        // A file that does not parse fails here, or a variable that is not Unicode (the
        // values themselves are read key by key below).
        let built = b.build().map_err(|e| {
            let (key, name) = match file {
                Some(f) => ("--config".to_string(), f.display().to_string()),
                None => ("environment".to_string(), "the environment".to_string()),
            };
            ConfigError {
                key,
                name,
                problem: one_line(&e.to_string()),
            }
        })?;
        let table = config::Source::collect(&built)
            .map_err(|e| err("configuration", one_line(&e.to_string())))?;
        let mut names = Names::default();
        for (key, value) in &table {
            let name = match value.origin() {
                Some("the environment") => env
                    .keys()
                    .find(|k| k.to_lowercase() == format!("hotline_{key}"))
                    .cloned()
                    .unwrap_or_else(|| format!("HOTLINE_{}", key.to_uppercase())),
                // The file as the operator named it (config shows it relative to the
                // working directory).
                Some(origin) => format!(
                    "{key} ({})",
                    file.map_or_else(|| origin.to_string(), |f| f.display().to_string())
                ),
                None => key.clone(),
            };
            names.0.insert(key.clone(), name);
        }
        let mut errors = Vec::new();
        let mut keys: Vec<(&String, &config::Value)> = table.iter().collect();
        keys.sort_by_key(|(k, _)| *k);
        for (key, value) in keys {
            if !KEYS.contains(&key.as_str()) {
                let problem = if value.origin() == Some("the environment") {
                    "not a configuration variable (misspelt? the README lists them)"
                } else {
                    "not a configuration key (misspelt? the README lists them)"
                };
                errors.push(names.err(key, problem));
            }
        }
        let get = |key: &str| table.get(key).cloned();
        let mut read = Reader {
            names: &names,
            errors: &mut errors,
        };
        let raw = Raw {
            setup_bot_token: read.opt(get("setup_bot_token"), "setup_bot_token", "text"),
            data_dir: read.req(get("data_dir"), "data_dir", "a path"),
            database_url: read.opt(get("database_url"), "database_url", "text"),
            bot_api_url: read.req(get("bot_api_url"), "bot_api_url", "a URL"),
            public_url: read.opt(get("public_url"), "public_url", "a URL"),
            listen: read.req(get("listen"), "listen", "an address like 127.0.0.1:8080"),
            encryption_key: read.opt(get("encryption_key"), "encryption_key", "text"),
            superadmins: read
                .opt::<Ids>(
                    get("superadmins"),
                    "superadmins",
                    "Telegram user ids (12345678, or a list)",
                )
                .map(|i| i.0)
                .unwrap_or_default(),
            default_plan: read.req(get("default_plan"), "default_plan", "free or paid"),
            branding_link: read.opt(get("branding_link"), "branding_link", "a URL"),
            poll_timeout_s: read.req(
                get("poll_timeout_s"),
                "poll_timeout_s",
                "a whole number of seconds",
            ),
            pacing: read.req(get("pacing"), "pacing", "true or false"),
            delivery_concurrency: read.req(
                get("delivery_concurrency"),
                "delivery_concurrency",
                "a whole number of calls",
            ),
            delivery_concurrency_total: read.req(
                get("delivery_concurrency_total"),
                "delivery_concurrency_total",
                "a whole number of calls",
            ),
            album_window_ms: read.req(
                get("album_window_ms"),
                "album_window_ms",
                "a whole number of milliseconds",
            ),
            retention_inbox_hours: read.req(
                get("retention_inbox_hours"),
                "retention_inbox_hours",
                "a whole number of hours",
            ),
            retention_message_map_days: read.req(
                get("retention_message_map_days"),
                "retention_message_map_days",
                "a whole number of days (0: keep forever)",
            ),
            log_format: read.req(get("log_format"), "log_format", "text or json"),
        };
        match Self::validate(raw, &names) {
            Ok(s) if errors.is_empty() => Ok(s),
            Ok(_) => Err(ConfigErrors(errors)),
            Err(more) => {
                // A value that did not read was replaced by its type's default; its own
                // error says what is wrong, so validation's word on it is left out.
                let read_wrong: Vec<String> = errors.iter().map(|e| e.key.clone()).collect();
                errors.extend(more.0.into_iter().filter(|e| !read_wrong.contains(&e.key)));
                Err(ConfigErrors(errors))
            }
        }
    }

    fn validate(r: Raw, names: &Names) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        let mut fail = |key: &str, problem: &str| errors.push(names.err(key, problem));
        if let Some(t) = &r.setup_bot_token
            && !hotline_telegram::token_looks_valid(t)
        {
            fail(
                "setup_bot_token",
                "does not look like a bot token (123456:ABC…)",
            );
        }
        let database_url = match r.database_url {
            Some(u)
                if u.starts_with("sqlite:")
                    || u.starts_with("postgres://")
                    || u.starts_with("postgresql://") =>
            {
                u
            }
            Some(u) => {
                fail("database_url", "must start with sqlite: or postgres://");
                u
            }
            None => format!("sqlite://{}", r.data_dir.join("hotline.db").display()),
        };
        let api_is_http =
            r.bot_api_url.starts_with("http://") || r.bot_api_url.starts_with("https://");
        if !api_is_http {
            fail("bot_api_url", "must be an http(s) URL");
        }
        if let Some(p) = &r.public_url {
            if p.starts_with("http://") {
                if !(api_is_http && is_local(&r.bot_api_url)) {
                    fail(
                        "public_url",
                        "must be an https:// URL: Telegram sends webhooks over HTTPS only (http:// is accepted only with a local bot_api_url: localhost, 127.0.0.0/8, ::1)",
                    );
                }
            } else if !p.starts_with("https://") {
                fail("public_url", "must be an https:// URL");
            }
        }
        let listen: Option<SocketAddr> = r.listen.parse().ok();
        if listen.is_none() {
            fail("listen", "must be an address like 127.0.0.1:8080");
        }
        let encryption_key = match r.encryption_key {
            Some(k) => {
                if let Err(e) = SecretBox::from_base64(&k) {
                    fail("encryption_key", &e.to_string());
                }
                k
            }
            None => String::new(),
        };
        if r.default_plan != "free" && r.default_plan != "paid" {
            fail("default_plan", "must be free or paid");
        }
        if r.superadmins.iter().any(|id| *id <= 0) {
            fail("superadmins", "must be positive Telegram user ids");
        }
        if r.poll_timeout_s > 50 {
            fail("poll_timeout_s", "must be at most 50 seconds");
        }
        if !(1..=1000).contains(&r.delivery_concurrency) {
            fail("delivery_concurrency", "must be between 1 and 1000 calls");
        }
        if !(1..=100_000).contains(&r.delivery_concurrency_total) {
            fail(
                "delivery_concurrency_total",
                "must be between 1 and 100000 calls",
            );
        }
        if !(1..=24 * 365).contains(&r.retention_inbox_hours) {
            fail(
                "retention_inbox_hours",
                "must be between 1 and 8760 hours (a year)",
            );
        }
        if r.retention_message_map_days > 36_500 {
            fail(
                "retention_message_map_days",
                "must be at most 36500 days (0: keep forever)",
            );
        }
        let log_format = match r.log_format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => {
                fail("log_format", "must be text or json");
                LogFormat::Text
            }
        };
        let Some(listen) = listen.filter(|_| errors.is_empty()) else {
            return Err(ConfigErrors(errors));
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
            delivery_concurrency: usize::try_from(r.delivery_concurrency).unwrap_or(16),
            delivery_concurrency_total: usize::try_from(r.delivery_concurrency_total)
                .unwrap_or(256),
            album_window_ms: r.album_window_ms,
            retention_inbox_hours: r.retention_inbox_hours,
            retention_message_map_days: r.retention_message_map_days,
            log_format,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> Raw {
        Raw {
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
            delivery_concurrency: 16,
            delivery_concurrency_total: 256,
            album_window_ms: 1000,
            retention_inbox_hours: 168,
            retention_message_map_days: 180,
            log_format: "text".into(),
        }
    }

    fn keys(r: Raw) -> Vec<String> {
        Settings::validate(r, &Names::default())
            .unwrap_err()
            .keys()
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn secrets_are_hidden_and_bad_values_name_their_key() {
        let mut raw = raw();
        let s = Settings::validate(raw.clone(), &Names::default()).unwrap();
        let shown = s.render();
        assert!(!shown.contains("s3cret") && !shown.contains("ABCDEFGH"));
        assert!(shown.contains("postgres://hl:**@db/hotline"));
        raw.default_plan = "gold".into();
        assert_eq!(keys(raw.clone()), ["default_plan"]);
        raw.default_plan = "free".into();
        raw.encryption_key = Some("nope".into());
        assert_eq!(keys(raw.clone()), ["encryption_key"]);
        raw.encryption_key = None;
        raw.database_url = Some("mysql://x".into());
        assert_eq!(keys(raw), ["database_url"]);
    }

    #[test]
    fn every_problem_is_reported() {
        let mut r = raw();
        r.default_plan = "gold".into();
        r.listen = "nowhere".into();
        r.log_format = "xml".into();
        r.poll_timeout_s = 99;
        assert_eq!(
            keys(r),
            ["listen", "default_plan", "poll_timeout_s", "log_format"]
        );
    }

    #[test]
    fn public_url_is_https_unless_the_bot_api_is_local() {
        let mut r = raw();
        r.public_url = Some("http://hooks.example.com".into());
        assert_eq!(keys(r.clone()), ["public_url"]);
        r.public_url = Some("ftp://hooks.example.com".into());
        assert_eq!(keys(r.clone()), ["public_url"]);
        r.public_url = Some("https://hooks.example.com/".into());
        let s = Settings::validate(r.clone(), &Names::default()).unwrap();
        assert_eq!(s.public_url.as_deref(), Some("https://hooks.example.com"));
        r.public_url = Some("http://127.0.0.1:9000".into());
        for local in [
            "http://localhost:8081",
            "http://127.0.0.1:8081",
            "http://127.3.4.5",
            "http://[::1]:8081/",
        ] {
            r.bot_api_url = local.into();
            assert!(
                Settings::validate(r.clone(), &Names::default()).is_ok(),
                "{local}"
            );
        }
        for remote in [
            "http://10.0.0.1:8081",
            "https://api.telegram.org",
            "http://localhost.example.com",
        ] {
            r.bot_api_url = remote.into();
            assert_eq!(keys(r.clone()), ["public_url"], "{remote}");
        }
    }

    #[test]
    fn config_messages_become_one_line() {
        let toml = "TOML parse error at line 1, column 18\n  |\n1 | poll_timeout_s = \n  |                  ^\nstring values must be quoted, expected literal string\n in hl1/c.toml";
        assert_eq!(
            one_line(toml),
            "TOML parse error at line 1, column 18: string values must be quoted, expected literal string"
        );
    }
}
