//! The packaging files — `Dockerfile`, `compose.yaml`, `deploy/hotline.service`,
//! `deploy/hotline.env.example` and `docs/deploy.md` — checked against the real binary, so
//! that none of them can name a variable, a subcommand, a port or a path that does not exist:
//!
//! - every `HOTLINE_*` variable they mention is accepted by `hotline check-config` (the
//!   loader refuses unknown `HOTLINE_*` keys, so a misspelt one fails here), and is either a
//!   configuration key or one of the command line's own (`settings::NOT_CONFIGURATION`);
//! - every `hotline <subcommand>` they run exists (`hotline <subcommand> --help` exits 0);
//! - the image's port, volume and binary agree with compose.yaml and the unit, the unit's
//!   state directory is its data directory, the builder uses the pinned toolchain;
//! - every repository file docs/deploy.md names exists.
//!
//! No container engine runs on our machines, so this is what keeps the Dockerfile and the
//! compose file honest; CI also runs `systemd-analyze verify` and `docker-compose config`.

#![allow(clippy::expect_used)] // a test: a missing file or a failed spawn is a failed check

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hotline_app::settings::NOT_CONFIGURATION;

const DOCKERFILE: &str = "Dockerfile";
const COMPOSE: &str = "compose.yaml";
const UNIT: &str = "deploy/hotline.service";
const ENV_EXAMPLE: &str = "deploy/hotline.env.example";
const DEPLOY_MD: &str = "docs/deploy.md";
const ALL: [&str; 5] = [DOCKERFILE, COMPOSE, UNIT, ENV_EXAMPLE, DEPLOY_MD];

/// Shell helpers docs/deploy.md defines that run the binary with their arguments.
const WRAPPERS: [&str; 1] = ["hotline-ctl"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn read(rel: &str) -> String {
    let p = root().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The binary with an empty environment but `PATH`, its data in `dir`.
fn hotline(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotline"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOTLINE_DATA_DIR", dir);
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run hotline")
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

// ---------------------------------------------------------------- variables

/// Every `HOTLINE_[A-Z0-9_]+` in `text`.
fn variables(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("HOTLINE_") {
        let rest = &text[at + "HOTLINE_".len()..];
        let len = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        let name = rest[..len].trim_end_matches('_');
        if !name.is_empty() {
            out.insert(format!("HOTLINE_{name}"));
        }
    }
    out
}

/// A plausible valid value for each variable the packaging mentions. A variable missing
/// here fails the test: add it, with a value `check-config` accepts.
fn sample(var: &str, dir: &Path) -> Option<String> {
    let v = match var {
        "HOTLINE_DATA_DIR" => return Some(dir.display().to_string()),
        "HOTLINE_CONFIG" => {
            let file = dir.join("hotline.toml");
            std::fs::write(&file, "default_plan = \"free\"\n").expect("write hotline.toml");
            return Some(file.display().to_string());
        }
        "HOTLINE_SETUP_BOT_TOKEN" | "HOTLINE_CONNECT_TOKEN" => {
            "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
        }
        "HOTLINE_SUPERADMINS" => "12345678,87654321",
        "HOTLINE_DATABASE_URL" => "postgres://hotline:secret@postgres:5432/hotline",
        "HOTLINE_TEST_DATABASE_URL" => "postgres://postgres@127.0.0.1:5432/postgres",
        "HOTLINE_PUBLIC_URL" => "https://help.example.com",
        "HOTLINE_LISTEN" => "0.0.0.0:8080",
        "HOTLINE_ENCRYPTION_KEY" => "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "HOTLINE_BOT_API_URL" => "https://api.telegram.org",
        "HOTLINE_BRANDING_LINK" => "https://example.com",
        "HOTLINE_DEFAULT_PLAN" => "free",
        "HOTLINE_POLL_TIMEOUT_S" => "25",
        "HOTLINE_PACING" => "true",
        "HOTLINE_ALBUM_WINDOW_MS" => "1000",
        "HOTLINE_LOG_FORMAT" => "json",
        "HOTLINE_LOG" => "info,hotline_app=debug",
        "HOTLINE_SANDBOX_BIND" => "127.0.0.1:8081",
        "HOTLINE_SANDBOX_DIR" => "sandbox-data",
        _ => return None,
    };
    Some(v.to_string())
}

#[test]
fn every_variable_mentioned_is_one_hotline_accepts() {
    let mut mentioned: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for file in ALL {
        for v in variables(&read(file)) {
            mentioned.entry(v).or_default().push(file);
        }
    }
    assert!(
        mentioned.contains_key("HOTLINE_SETUP_BOT_TOKEN"),
        "the scan finds nothing: {mentioned:?}"
    );
    let mut problems = Vec::new();
    for (var, files) in &mentioned {
        let dir = tempfile::tempdir().expect("tempdir");
        let Some(value) = sample(var, dir.path()) else {
            problems.push(format!(
                "{var} ({files:?}) has no sample value in packaging.rs: add one"
            ));
            continue;
        };
        let out = run(hotline(dir.path()).env(var, &value).arg("check-config"));
        if !out.status.success() {
            problems.push(format!(
                "{var}={value} ({files:?}): check-config refused it: {}",
                said(&out).trim()
            ));
            continue;
        }
        if NOT_CONFIGURATION.contains(&var.as_str()) {
            continue;
        }
        // A configuration key: check-config prints it.
        let key = var["HOTLINE_".len()..].to_lowercase();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !stdout.lines().any(|l| l.starts_with(&format!("{key} = "))) {
            problems.push(format!(
                "{var} ({files:?}) is neither a configuration key check-config prints \
                 nor in settings::NOT_CONFIGURATION:\n{stdout}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_misspelt_variable_is_refused_so_the_check_above_means_something() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(hotline(dir.path())
        .env("HOTLINE_LISTN", "0.0.0.0:8080")
        .arg("check-config"));
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
}

// ---------------------------------------------------------------- Dockerfile

/// The Dockerfile's instructions, continuation lines joined and comments dropped:
/// (INSTRUCTION, arguments).
fn instructions(dockerfile: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in dockerfile.lines() {
        let t = line.trim();
        if t.starts_with('#') || (t.is_empty() && current.is_empty()) {
            continue;
        }
        match t.strip_suffix('\\') {
            Some(part) => {
                current.push_str(part);
                current.push(' ');
            }
            None => {
                current.push_str(t);
                let full = std::mem::take(&mut current);
                let (ins, args) = full.split_once(char::is_whitespace).unwrap_or((&full, ""));
                out.push((ins.to_uppercase(), args.trim().to_string()));
            }
        }
    }
    out
}

fn instruction<'a>(ins: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    ins.iter()
        .filter(|(i, _)| i == name)
        .map(|(_, a)| a.as_str())
        .collect()
}

/// The one instruction `name` (the last, for those where the last wins).
fn last<'a>(ins: &'a [(String, String)], name: &str) -> &'a str {
    instruction(ins, name)
        .last()
        .copied()
        .unwrap_or_else(|| panic!("the Dockerfile has no {name}"))
}

/// `["a", "b"]` → [a, b]; a plain `a b` → [a, b].
fn words_of(spec: &str) -> Vec<String> {
    let spec = spec.trim();
    match spec.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        Some(inner) => inner
            .split(',')
            .map(|w| w.trim().trim_matches('"').to_string())
            .filter(|w| !w.is_empty())
            .collect(),
        None => spec.split_whitespace().map(str::to_string).collect(),
    }
}

/// `KEY=value` pairs of all ENV instructions (the `ENV KEY value` form too).
fn docker_env(ins: &[(String, String)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for args in instruction(ins, "ENV") {
        if !args.contains('=') {
            if let Some((k, v)) = args.split_once(char::is_whitespace) {
                out.insert(k.to_string(), v.trim().to_string());
            }
            continue;
        }
        for pair in args.split_whitespace() {
            if let Some((k, v)) = pair.split_once('=') {
                out.insert(k.to_string(), v.trim_matches('"').to_string());
            }
        }
    }
    out
}

fn port_of(addr: &str) -> String {
    let addr = addr.trim().trim_matches('"');
    let port = addr.rsplit(':').next().unwrap_or(addr);
    port.split('/').next().unwrap_or(port).to_string()
}

// ---------------------------------------------------------------- compose.yaml

/// The lines of one service of compose.yaml (below `services:`, indented by two).
fn service<'a>(compose: &'a str, name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut in_services = false;
    let mut inside = false;
    for line in compose.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            in_services = line.trim() == "services:";
            inside = false;
            continue;
        }
        if in_services && indent == 2 {
            inside = line.trim() == format!("{name}:");
            continue;
        }
        if inside {
            out.push(line);
        }
    }
    assert!(!out.is_empty(), "compose.yaml has no service {name}");
    out
}

/// The scalar value of `key:` in a service, quotes removed.
fn scalar(service: &[&str], key: &str) -> Option<String> {
    service.iter().find_map(|l| {
        let t = l.trim();
        let v = t.strip_prefix(&format!("{key}:"))?;
        let v = v.split(" #").next().unwrap_or(v).trim();
        Some(v.trim_matches('"').trim_matches('\'').to_string())
    })
}

/// The entries below `key:` in a service (`- item` lists, or `name: value` maps).
fn entries(service: &[&str], key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut depth = 0;
    for l in service {
        let indent = l.len() - l.trim_start().len();
        let t = l.trim();
        if t == format!("{key}:") {
            inside = true;
            depth = indent;
            continue;
        }
        if inside {
            if indent <= depth {
                break;
            }
            let item = t.strip_prefix("- ").unwrap_or(t);
            out.push(item.trim_matches('"').trim_matches('\'').to_string());
        }
    }
    out
}

// ---------------------------------------------------------------- the unit

/// The values of `Key=` in the unit, in order.
fn unit_values<'a>(unit: &'a str, key: &str) -> Vec<&'a str> {
    unit.lines()
        .filter_map(|l| l.trim().strip_prefix(&format!("{key}=")))
        .map(str::trim)
        .collect()
}

/// The unit's `Environment=` assignments.
fn unit_env(unit: &str) -> BTreeMap<String, String> {
    unit_values(unit, "Environment")
        .into_iter()
        .flat_map(|v| v.split_whitespace())
        .filter_map(|a| {
            let (k, v) = a.trim_matches('"').split_once('=')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect()
}

#[test]
fn ports_volumes_binary_and_state_directory_agree() {
    let ins = instructions(&read(DOCKERFILE));
    let env = docker_env(&ins);
    let compose = read(COMPOSE);
    let svc = service(&compose, "hotline");
    let unit = read(UNIT);

    // The port: EXPOSE = HOTLINE_LISTEN's = compose's container port (and only loopback
    // on the host: the listener must not be public without a proxy).
    let exposed = port_of(last(&ins, "EXPOSE"));
    let listen = env.get("HOTLINE_LISTEN").expect("ENV HOTLINE_LISTEN");
    assert_eq!(
        port_of(listen),
        exposed,
        "HOTLINE_LISTEN={listen} vs EXPOSE"
    );
    let ports = entries(&svc, "ports");
    assert_eq!(ports.len(), 1, "compose publishes one port: {ports:?}");
    for p in &ports {
        let parts: Vec<&str> = p.split(':').collect();
        assert_eq!(
            parts.len(),
            3,
            "compose port {p}: host address, host port, container port"
        );
        assert_eq!(
            parts[0], "127.0.0.1",
            "compose publishes {p} beyond loopback"
        );
        assert_eq!(
            port_of(p),
            exposed,
            "compose's container port {p} vs EXPOSE"
        );
    }
    for e in entries(&svc, "environment") {
        if let Some(v) = e.strip_prefix("HOTLINE_LISTEN:") {
            assert_eq!(port_of(v), exposed, "compose's HOTLINE_LISTEN vs EXPOSE");
        }
    }

    // The data: VOLUME = HOTLINE_DATA_DIR = compose's volume target.
    let volume = words_of(last(&ins, "VOLUME"));
    let data = env.get("HOTLINE_DATA_DIR").expect("ENV HOTLINE_DATA_DIR");
    assert_eq!(volume, vec![data.clone()], "VOLUME vs HOTLINE_DATA_DIR");
    let mounts = entries(&svc, "volumes");
    assert!(
        mounts
            .iter()
            .any(|m| m.split(':').nth(1) == Some(data.as_str())),
        "compose mounts no volume at {data}: {mounts:?}"
    );

    // Not root, and the data stays out of the build context.
    let user = last(&ins, "USER");
    let uid = user.split(':').next().unwrap_or(user);
    assert!(
        uid != "root" && uid != "0",
        "the image runs as root: USER {user}"
    );
    let ignored: Vec<String> = read(".dockerignore")
        .lines()
        .map(|l| l.trim().trim_end_matches('/').to_string())
        .collect();
    for must in ["target", "data", "sandbox-data", ".git"] {
        assert!(
            ignored.iter().any(|i| i == must),
            ".dockerignore lacks {must}"
        );
    }

    // The binary: where the image puts it is where the unit runs it.
    let copied = instruction(&ins, "COPY")
        .into_iter()
        .filter(|a| a.starts_with("--from="))
        .filter_map(|a| a.split_whitespace().last())
        .collect::<Vec<_>>();
    let exec = unit_values(&unit, "ExecStart");
    assert_eq!(exec.len(), 1, "one ExecStart: {exec:?}");
    let binary = exec[0]
        .split_whitespace()
        .next()
        .expect("ExecStart's binary");
    assert_eq!(
        copied,
        vec![binary],
        "the image's binary vs the unit's ExecStart"
    );

    // The unit: its data directory is its state directory.
    let state = unit_values(&unit, "StateDirectory");
    assert_eq!(state.len(), 1, "one StateDirectory: {state:?}");
    let unit_data = unit_env(&unit);
    assert_eq!(
        unit_data.get("HOTLINE_DATA_DIR").map(String::as_str),
        Some(format!("/var/lib/{}", state[0]).as_str()),
        "HOTLINE_DATA_DIR vs StateDirectory"
    );
    assert_eq!(
        unit_values(&unit, "DynamicUser"),
        vec!["yes"],
        "DynamicUser=yes"
    );
}

#[test]
fn the_image_builds_with_the_pinned_toolchain_on_one_debian() {
    let ins = instructions(&read(DOCKERFILE));
    let froms = instruction(&ins, "FROM");
    assert_eq!(froms.len(), 2, "a builder and a runtime stage: {froms:?}");
    let builder = froms[0].split_whitespace().next().expect("builder image");
    let runtime = froms[1].split_whitespace().next().expect("runtime image");
    let tag = builder
        .strip_prefix("rust:")
        .expect("the builder is rust:…");
    let (version, debian) = tag.split_once('-').expect("rust:VERSION-DEBIAN");
    let toolchain = read("rust-toolchain.toml");
    let channel = toolchain
        .lines()
        .find_map(|l| l.trim().strip_prefix("channel"))
        .and_then(|l| l.split('"').nth(1))
        .expect("rust-toolchain.toml's channel");
    assert!(
        channel == version || channel.starts_with(&format!("{version}.")),
        "the builder uses Rust {version}, rust-toolchain.toml pins {channel}"
    );
    assert_eq!(
        runtime,
        format!("debian:{debian}-slim"),
        "the runtime's Debian is the builder's (same glibc)"
    );
    let build = instruction(&ins, "RUN")
        .into_iter()
        .find(|r| r.contains("cargo build"))
        .expect("a cargo build");
    assert!(
        build.contains("--release") && build.contains("--locked") && build.contains("-p hotline"),
        "{build}"
    );
}

// ---------------------------------------------------------------- subcommands

/// What docs/deploy.md shows as code: fenced blocks and inline spans, one line each.
fn code_lines(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            out.push(line.to_string());
        } else {
            out.extend(line.split('`').skip(1).step_by(2).map(str::to_string));
        }
    }
    out
}

fn is_word(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && w.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The subcommand (one or two words) that starts `args`, if any.
fn subcommand(args: &[String]) -> Option<Vec<String>> {
    let words: Vec<String> = args
        .iter()
        .take_while(|w| is_word(w))
        .take(2)
        .cloned()
        .collect();
    (!words.is_empty()).then_some(words)
}

/// Every `hotline …` the packaging runs: (the subcommand, where).
fn subcommands() -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let ins = instructions(&read(DOCKERFILE));
    let entry = words_of(last(&ins, "ENTRYPOINT"));
    assert_eq!(entry, vec!["hotline"], "ENTRYPOINT");
    let cmd = words_of(last(&ins, "CMD"));
    out.extend(subcommand(&cmd).map(|s| (s, "Dockerfile CMD".to_string())));
    let health = last(&ins, "HEALTHCHECK");
    let probe = words_of(health.split_once("CMD").map(|(_, c)| c).unwrap_or(health));
    assert_eq!(
        probe.first().map(String::as_str),
        Some("hotline"),
        "{health}"
    );
    out.extend(subcommand(&probe[1..]).map(|s| (s, "Dockerfile HEALTHCHECK".to_string())));

    let compose = read(COMPOSE);
    let svc = service(&compose, "hotline");
    if let Some(c) = scalar(&svc, "command") {
        out.extend(subcommand(&words_of(&c)).map(|s| (s, "compose.yaml command".to_string())));
    }

    let unit = read(UNIT);
    for exec in unit_values(&unit, "ExecStart") {
        let words: Vec<String> = exec
            .split_whitespace()
            .skip(1)
            .map(str::to_string)
            .collect();
        out.extend(subcommand(&words).map(|s| (s, "the unit's ExecStart".to_string())));
    }

    for line in code_lines(&read(DEPLOY_MD)) {
        let tokens: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        for (i, t) in tokens.iter().enumerate() {
            let runs = t == "hotline" || t.ends_with("/hotline") || WRAPPERS.contains(&t.as_str());
            // `docker compose exec hotline hotline …`: the service, then the binary.
            let then_binary = tokens.get(i + 1).is_some_and(|n| n == "hotline");
            if runs && !then_binary {
                out.extend(
                    subcommand(&tokens[i + 1..]).map(|s| (s, format!("docs/deploy.md: {line}"))),
                );
            }
        }
    }
    out
}

#[test]
fn every_subcommand_mentioned_exists() {
    let all = subcommands();
    let mut seen = BTreeSet::new();
    let mut missing = Vec::new();
    for (sub, place) in &all {
        if !seen.insert(sub.clone()) {
            continue;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let out = run(hotline(dir.path()).args(sub).arg("--help"));
        if !out.status.success() {
            let first = said(&out).lines().next().unwrap_or_default().to_string();
            missing.push(format!("hotline {} ({place}): {first}", sub.join(" ")));
        }
    }
    for must in [["serve"].as_slice(), &["healthcheck"], &["backup"]] {
        assert!(
            seen.iter().any(|s| s == must),
            "the scan misses `hotline {}`: {seen:?}",
            must.join(" ")
        );
    }
    assert!(
        missing.is_empty(),
        "subcommands the packaging runs but the binary lacks:\n{}",
        missing.join("\n")
    );
}

// ---------------------------------------------------------------- paths

#[test]
fn every_repository_file_deploy_md_names_exists() {
    let root = root();
    // Names at the top of the repository; build outputs and local data are not its files.
    let top: BTreeSet<String> = std::fs::read_dir(&root)
        .expect("workspace root")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !["target", "data", "sandbox-data", ".git"].contains(&n.as_str()))
        .collect();
    let mut named = BTreeSet::new();
    let mut missing = Vec::new();
    for line in code_lines(&read(DEPLOY_MD)) {
        for token in line.split_whitespace() {
            let t = token.trim_matches(|c: char| ",;:()\"'".contains(c));
            let t = t.strip_prefix("./").unwrap_or(t);
            if t.is_empty()
                || t.contains("://")
                || t.contains(['{', '$', '*', '='])
                || t.starts_with(['/', '~', '-'])
            {
                continue;
            }
            let first = t.split('/').next().unwrap_or(t);
            if !top.contains(first) {
                continue;
            }
            named.insert(t.to_string());
            if !root.join(t).exists() {
                missing.push(t.to_string());
            }
        }
    }
    for must in [UNIT, ENV_EXAMPLE, COMPOSE, DOCKERFILE] {
        assert!(named.contains(must), "the scan misses {must}: {named:?}");
    }
    assert!(
        missing.is_empty(),
        "docs/deploy.md names files that do not exist: {missing:?}"
    );
}
