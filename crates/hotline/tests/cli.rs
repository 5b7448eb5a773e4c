//! The binary's configuration handling, as an operator meets it.
#![allow(clippy::expect_used)] // a test helper: a failure to spawn is the test failing

use std::process::Command;

fn hotline(envs: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATA_DIR", dir.path());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run hotline");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_config_hides_secrets() {
    let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let (code, out, err) = hotline(
        &[
            ("HOTLINE_ENCRYPTION_KEY", key),
            (
                "HOTLINE_SETUP_BOT_TOKEN",
                "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi",
            ),
            (
                "HOTLINE_DATABASE_URL",
                "postgres://hotline:hunter2@db.internal/hotline",
            ),
            ("HOTLINE_SUPERADMINS", "42,43"),
        ],
        &["check-config"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("configuration is valid"));
    assert!(out.contains("superadmins = [42, 43]"), "{out}");
    for secret in [key, "ABCDEFGHIJ", "hunter2"] {
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "{secret} leaked: {out}{err}"
        );
    }
}

#[test]
fn bad_configuration_names_the_key_and_fails() {
    for (var, value, key) in [
        ("HOTLINE_DEFAULT_PLAN", "gold", "default_plan"),
        ("HOTLINE_ENCRYPTION_KEY", "tooshort", "encryption_key"),
        ("HOTLINE_DATABASE_URL", "mysql://x", "database_url"),
        ("HOTLINE_LISTEN", "nowhere", "listen"),
        ("HOTLINE_POLL_TIMEOUT_S", "many", "poll_timeout_s"),
    ] {
        let (code, _, err) = hotline(&[(var, value)], &["check-config"]);
        assert_eq!(code, 1, "{var}={value} must fail");
        assert!(
            err.contains(key),
            "{var}={value}: the error names {key}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "one clear error: {err}");
    }
}

#[test]
fn a_missing_config_file_is_an_error() {
    let (code, _, err) = hotline(
        &[],
        &["--config", "/nonexistent/hotline.toml", "check-config"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("does not exist"), "{err}");
}
