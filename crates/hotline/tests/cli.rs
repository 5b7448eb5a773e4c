//! The binary's configuration handling, as an operator meets it.
#![allow(clippy::expect_used)] // a test helper: a failure to spawn is the test failing

use std::process::Command;

fn hotline(envs: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    hotline_in(dir.path(), envs, args)
}

fn hotline_in(
    dir: &std::path::Path,
    envs: &[(&str, &str)],
    args: &[&str],
) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATA_DIR", dir);
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
fn a_single_superadmin_from_the_environment_is_a_list_of_one() {
    let (code, out, err) = hotline(&[("HOTLINE_SUPERADMINS", "12345678")], &["check-config"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("superadmins = [12345678]"), "{out}");
}

#[test]
fn bad_configuration_names_the_variable_and_fails() {
    for (var, value) in [
        ("HOTLINE_DEFAULT_PLAN", "gold"),
        ("HOTLINE_ENCRYPTION_KEY", "tooshort"),
        ("HOTLINE_DATABASE_URL", "mysql://x"),
        ("HOTLINE_LISTEN", "nowhere"),
        ("HOTLINE_POLL_TIMEOUT_S", "many"),
        ("HOTLINE_LOGG", "debug"),
    ] {
        let (code, _, err) = hotline(&[(var, value)], &["check-config"]);
        assert_eq!(code, 1, "{var}={value} must fail");
        assert!(
            err.starts_with(&format!("error: {var}: ")),
            "{var}={value}: the error names the variable: {err}"
        );
        assert_eq!(err.lines().count(), 1, "one clear error: {err}");
        assert!(
            !err.contains(value) || var == "HOTLINE_DATABASE_URL" || var == "HOTLINE_LOGG",
            "{err}"
        );
    }
}

#[test]
fn every_configuration_problem_is_reported_once_a_line() {
    let (code, out, err) = hotline(
        &[
            ("HOTLINE_DEFAULT_PLAN", "gold"),
            ("HOTLINE_LISTEN", "nowhere"),
            ("HOTLINE_POLL_TIMEOUT_S", "many"),
            ("HOTLINE_LOGG", "debug"),
            ("HOTLINE_PUBLIC_URL", "http://help.example.com"),
        ],
        &["check-config"],
    );
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 5, "{err}");
    for var in [
        "HOTLINE_DEFAULT_PLAN",
        "HOTLINE_LISTEN",
        "HOTLINE_POLL_TIMEOUT_S",
        "HOTLINE_LOGG",
        "HOTLINE_PUBLIC_URL",
    ] {
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.starts_with(&format!("error: {var}: ")))
                .count(),
            1,
            "{var}: {err}"
        );
    }
    assert!(err.contains("https://"), "{err}");

    // The same in a file: each key named with its file, and a file that does not parse
    // is one line, said once.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("hotline.toml");
    std::fs::write(
        &file,
        "default_plan = \"gold\"\ncolour = 1\npoll_timeout_s = \"x\"\n",
    )
    .expect("toml");
    let f = file.display().to_string();
    let (code, _, err) = hotline_in(dir.path(), &[], &["--config", &f, "check-config"]);
    assert_eq!(code, 1);
    for key in ["default_plan", "colour", "poll_timeout_s"] {
        assert!(
            err.contains(&format!("error: {key} ({f}): ")),
            "{key}: {err}"
        );
    }
    assert_eq!(err.lines().count(), 3, "{err}");
    std::fs::write(&file, "poll_timeout_s = \n").expect("toml");
    let (code, _, err) = hotline_in(dir.path(), &[], &["--config", &f, "check-config"]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("line 1, column 18"), "{err}");
    assert!(!err.contains("configuration: configuration"), "{err}");
}

#[test]
fn plain_http_webhooks_only_for_a_local_bot_api() {
    let (code, _, err) = hotline(
        &[("HOTLINE_PUBLIC_URL", "http://help.example.com")],
        &["check-config"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("HOTLINE_PUBLIC_URL") && err.contains("https://"),
        "{err}"
    );
    for api in [
        "http://localhost:8081",
        "http://127.0.0.1:8081",
        "http://[::1]:8081",
    ] {
        let (code, _, err) = hotline(
            &[
                ("HOTLINE_PUBLIC_URL", "http://127.0.0.1:9000"),
                ("HOTLINE_BOT_API_URL", api),
            ],
            &["check-config"],
        );
        assert_eq!(code, 0, "{api}: {err}");
    }
}

#[test]
fn check_config_warns_when_there_is_no_admin_ui() {
    let (code, out, err) = hotline(&[], &["check-config"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("configuration is valid"));
    let warnings: Vec<&str> = err.lines().collect();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(warnings.iter().all(|w| w.starts_with("warning: ")), "{err}");
    assert!(
        err.contains("setup_bot_token") && err.contains("superadmins"),
        "{err}"
    );
    assert!(
        err.contains("hotline connection add"),
        "how to manage connections: {err}"
    );
    let (code, _, err) = hotline(
        &[
            (
                "HOTLINE_SETUP_BOT_TOKEN",
                "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi",
            ),
            ("HOTLINE_SUPERADMINS", "42"),
        ],
        &["check-config"],
    );
    assert_eq!((code, err.as_str()), (0, ""));
}

/// Without a database, the commands that need one say so and create nothing; only serve,
/// migrate, `connection add` (setting an instance up before its first start) and the
/// sandbox create it.
#[test]
fn a_missing_database_is_reported_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data dir");
    let copy = dir.path().join("copy.db").display().to_string();
    for args in [
        &["connection", "list"][..],
        &["connection", "params", "1"],
        &["connection", "set", "1", "AUTOCLOSE", "24"],
        &["connection", "remove", "1"],
        &["backup", &copy],
        &["key", "rotate"],
    ] {
        let (code, out, err) = hotline_in(&data, &[], args);
        assert_eq!(code, 1, "{args:?}: {out}");
        assert_eq!(
            err.trim(),
            format!(
                "error: no database at {}; run `hotline serve` or `hotline migrate` first",
                data.join("hotline.db").display()
            ),
            "{args:?}"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .chain(std::fs::read_dir(&data).expect("data"))
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left, ["data"], "{args:?} created something");
    }
    let (code, out, err) = hotline_in(&data, &[], &["migrate"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("up to date"));
    let (code, out, err) = hotline_in(&data, &[], &["connection", "list"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
}

/// An error's text shows each cause once (no "x: x: x").
fn says_each_cause_once(err: &str) {
    for line in err.lines() {
        let parts: Vec<&str> = line.trim_start_matches("error: ").split(": ").collect();
        for (i, p) in parts.iter().enumerate() {
            assert!(
                !parts[i + 1..]
                    .iter()
                    .any(|q| q.contains(p) || p.contains(q)),
                "a cause is repeated: {line}"
            );
        }
    }
}

#[test]
fn postgres_backups_point_to_pg_dump() {
    let (code, out, err) = hotline(
        &[(
            "HOTLINE_DATABASE_URL",
            "postgres://hotline:hunter2@127.0.0.1:1/hotline",
        )],
        &["backup", "/tmp/never-written.db"],
    );
    assert_eq!(code, 1, "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("pg_dump") && err.contains("not in the dump"),
        "{err}"
    );
    assert!(!err.contains("hunter2"));
    assert!(!std::path::Path::new("/tmp/never-written.db").exists());
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

#[test]
fn connection_settings_are_checked_and_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:{}", dir.path().join("hotline.db").display());
    // A connection as `connection add` would store it (that needs a Bot API server).
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = hotline_store::Store::open(&url).await.expect("store");
        store
            .connections()
            .add(&hotline_store::NewConnection {
                name: "@acme_bot → Acme".into(),
                bot_user_id: hotline_core::UserId(7),
                bot_username: "acme_bot".into(),
                token_enc: "sealed".into(),
                group_chat_id: hotline_core::ChatId(-1_001_000_000_001),
                plan: "free".into(),
                admin_user_id: Some(hotline_core::UserId(42)),
                group_title: Some("Acme".into()),
                api_key_enc: None,
                now_ms: 0,
            })
            .await
            .expect("connection");
        store.close().await;
    });
    let env = [("HOTLINE_DATABASE_URL", url.as_str())];
    let run = |args: &[&str]| hotline_in(dir.path(), &env, args);

    let (code, out, err) = run(&["connection", "set", "1", "autoclose", "24"]);
    assert_eq!((code, out.trim()), (0, "AUTOCLOSE = 24"), "{err}");
    let (code, out, err) = run(&["connection", "set", "1", "WELCOME", "Hi", "{title}!"]);
    assert_eq!((code, out.trim()), (0, "WELCOME = Hi {title}!"), "{err}");
    // The free plan's limits, bad values and unknown names: refused, nothing changes.
    for args in [
        &["connection", "set", "1", "AUTOCLOSE", "72"][..],
        &["connection", "set", "1", "AUTOCLOSE", "soon"],
        &["connection", "set", "1", "HIDE_INFO", "name"],
        &["connection", "set", "1", "NOPE", "1"],
        &["connection", "set", "9", "AUTOCLOSE", "1"],
        &["connection", "params", "9"],
        &["connection", "plan", "1", "gold"],
        &["connection", "role", "1", "43", "boss"],
        &["connection", "role", "1", "42", "observer"],
        &["connection", "language", "1", "fr"],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 1, "{args:?} must fail");
        assert_eq!(err.lines().count(), 1, "one clear error: {err}");
        says_each_cause_once(&err);
    }
    let (_, _, err) = run(&["connection", "set", "1", "AUTOCLOSE", "abc"]);
    assert_eq!(err.trim(), "error: not a number of hours: \"abc\"");
    let (_, _, err) = run(&["connection", "params", "9"]);
    assert_eq!(err.trim(), "error: no connection 9");
    let (code, out, _) = run(&["connection", "params", "1"]);
    assert_eq!(code, 0);
    assert!(out.contains("AUTOCLOSE = 24\n"), "{out}");
    assert!(out.contains("WELCOME = Hi {title}!\n"), "{out}");

    let (code, _, err) = run(&["connection", "plan", "1", "paid"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&["connection", "set", "1", "AUTOCLOSE", "72"]);
    assert_eq!((code, out.trim()), (0, "AUTOCLOSE = 72"), "{err}");
    let (code, _, err) = run(&["connection", "set", "1", "HIDE_INFO", "name"]);
    assert_eq!(code, 0, "{err}");
    // Back on the free plan, the stored values stay but the plan's limits apply.
    run(&["connection", "plan", "1", "free"]);
    let (_, out, _) = run(&["connection", "params", "1"]);
    assert!(
        out.contains("AUTOCLOSE = 72    # the free plan applies: 48"),
        "{out}"
    );
    let (code, out, err) = run(&["connection", "role", "1", "43", "observer"]);
    assert_eq!(
        (code, out.trim()),
        (0, "user 43 is observer of connection 1"),
        "{err}"
    );
    let (code, _, err) = run(&["connection", "language", "1", "de"]);
    assert_eq!(code, 0, "{err}");
    // Admin is never a default role: every member would manage the connection.
    let (code, _, err) = run(&["connection", "default-role", "1", "admin"]);
    assert_eq!(code, 1);
    assert!(err.contains("admin cannot be the default role"), "{err}");
    let (code, out, err) = run(&["connection", "default-role", "1", "observer"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("observers"), "{out}");
}

/// `hotline serve` in `dir` on `url`, its log (on stdout) read until it says it runs.
fn serving(dir: &std::path::Path, url: &str) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATA_DIR", dir)
        .env("HOTLINE_DATABASE_URL", url)
        .env("HOTLINE_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn serve");
    // The log is on stderr.
    let log = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(log).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.expect("read the log");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("hotline is running") {
            // Keep draining, so the child never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines {});
            return (child, seen);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not start: {seen}");
}

/// Runs a second `hotline serve`, bounded: if it does not exit within a minute (the guard
/// failed and it serves), it is killed and the test fails instead of hanging.
fn second_serve(dir: &std::path::Path, url: &str) -> (i32, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATA_DIR", dir)
        .env("HOTLINE_DATABASE_URL", url)
        .env("HOTLINE_LISTEN", "127.0.0.1:0")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn the second serve");
    let pid = child.id().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(out) => {
            let out = out.expect("second serve");
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        }
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid]).status();
            panic!("a second instance kept running on {url}");
        }
    }
}

/// A second `hotline serve` on the same database exits at once with a message naming the
/// first, which keeps running — on SQLite and, when available, PostgreSQL.
#[test]
fn a_second_instance_on_the_same_database_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut urls = vec![format!(
        "sqlite://{}",
        dir.path().join("hotline.db").display()
    )];
    if let Some(admin) = hotline_store::testing::postgres_admin_url() {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        urls.push(
            rt.block_on(hotline_store::testing::fresh_postgres(&admin))
                .expect("fresh database"),
        );
    }
    for url in urls {
        let (mut first, _) = serving(dir.path(), &url);
        let pid = first.id().to_string();
        let (code, err) = second_serve(dir.path(), &url);
        let still = first.try_wait().expect("try_wait");
        let _ = first.kill();
        let _ = first.wait();
        assert_eq!(code, 1, "{url}: {err}");
        assert!(
            err.contains("another Hotline instance is already running")
                && err.contains(&format!("pid {pid}")),
            "{url}: {err}"
        );
        assert!(still.is_none(), "{url}: the first instance stopped");
        // Once the first is gone (killed, not stopped cleanly), a new one starts.
        let (mut next, _) = serving(dir.path(), &url);
        let _ = next.kill();
        let _ = next.wait();
    }
}

#[test]
fn healthcheck_without_a_running_instance_fails_in_one_line() {
    // A port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let (code, _, err) = hotline(&[("HOTLINE_LISTEN", &listen)], &["healthcheck"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "error: no answer from http://{listen}/readyz: nothing listens there (is serve running?)"
        )
    );
}
