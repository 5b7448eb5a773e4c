//! The invariants ARCHITECTURE.md states as absences, checked against the manifests and
//! sources so the map cannot drift from the code (rust-analyzer's tidy tests):
//!
//! - hotline-core has no dependency and does no IO (no clock, files, network, processes,
//!   threads, environment, async runtime);
//! - the emulators (tgsim, and any later `*sim` crate) depend on no hotline crate;
//! - only hotline-store knows SQL (no other crate depends on sqlx);
//! - only hotline-telegram builds Bot API JSON: no production source elsewhere spells a
//!   Bot API parameter in a `json!` object or calls a method by its name;
//! - no production source file passes 800 lines;
//! - no import circle between the modules of one crate (a module may use its ancestors'
//!   items; edges from a module into its own descendants are ownership, not imports);
//! - ARCHITECTURE.md names every crate and every source file, and no file that does not
//!   exist.

#![allow(clippy::expect_used)] // a test: a missing file or name is a failed check

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn crates() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(workspace().join("crates"))
        .expect("crates/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, p)
        })
        .collect();
    out.sort();
    out
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A source file of production code: under `src/`, not a `tests.rs` unit-test file.
fn is_production(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n != "tests.rs")
        && !path.components().any(|c| c.as_os_str() == "tests")
}

/// The source without comments and without the trailing `#[cfg(test)] mod …` block.
fn production_text(src: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = src.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("#[cfg(test)]")
            && lines
                .get(i + 1)
                .is_some_and(|l| l.starts_with("mod ") && l.trim_end().ends_with('{'))
        {
            break;
        }
        let code = match line.find("//") {
            // A `//` inside a string literal ("https://…") is not a comment.
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
        i += 1;
    }
    out
}

/// The dependency names of one section of a manifest (`[dependencies]`, …).
fn dependencies(manifest: &str, section: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == format!("[{section}]");
            continue;
        }
        if !inside || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line
            .split(['=', '.', ' '])
            .next()
            .expect("a dependency line has a name");
        out.push(name.to_string());
    }
    out
}

fn all_dependencies(manifest: &str) -> Vec<String> {
    ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .flat_map(|s| dependencies(manifest, s))
        .collect()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn core_has_no_dependency_and_does_no_io() {
    let core = workspace().join("crates/hotline-core");
    let deps = dependencies(&read(&core.join("Cargo.toml")), "dependencies");
    assert!(deps.is_empty(), "hotline-core depends on {deps:?}");
    let forbidden = [
        "std::fs",
        "std::net",
        "std::process",
        "std::thread",
        "std::env",
        "std::io",
        "SystemTime",
        "Instant::now",
        "tokio",
        "async fn",
        ".await",
    ];
    for f in rust_files(&core.join("src")) {
        let text = production_text(&read(&f));
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} uses {word}: hotline-core does no IO and reads no clock",
                f.display()
            );
        }
    }
}

#[test]
fn emulators_depend_on_no_hotline_crate() {
    let emulators: Vec<_> = crates()
        .into_iter()
        .filter(|(name, _)| name.ends_with("sim"))
        .collect();
    assert!(emulators.iter().any(|(n, _)| n == "tgsim"), "tgsim exists");
    let hotline_crates: Vec<String> = crates()
        .iter()
        .map(|(n, _)| n.replace('-', "_"))
        .filter(|n| n.starts_with("hotline"))
        .collect();
    for (name, dir) in emulators {
        let deps = all_dependencies(&read(&dir.join("Cargo.toml")));
        let ours: Vec<_> = deps.iter().filter(|d| d.starts_with("hotline")).collect();
        assert!(ours.is_empty(), "{name} depends on {ours:?}");
        for f in rust_files(&dir) {
            let text = read(&f);
            for crate_name in &hotline_crates {
                let used = [format!("use {crate_name}"), format!("{crate_name}::")];
                assert!(
                    !used.iter().any(|u| text.contains(u.as_str())),
                    "{} uses {crate_name}",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn only_the_store_knows_sql() {
    for (name, dir) in crates() {
        let deps = all_dependencies(&read(&dir.join("Cargo.toml")));
        if name != "hotline-store" {
            assert!(
                !deps.iter().any(|d| d == "sqlx"),
                "{name} depends on sqlx: only hotline-store knows SQL"
            );
        }
    }
}

/// Bot API parameter and markup names: an object spelling one is a Bot API request.
const BOT_API_KEYS: &[&str] = &[
    "\"chat_id\"",
    "\"message_thread_id\"",
    "\"reply_markup\"",
    "\"inline_keyboard\"",
    "\"callback_data\"",
    "\"callback_query_id\"",
    "\"parse_mode\"",
    "\"from_chat_id\"",
    "\"message_ids\"",
    "\"request_chat\"",
    "\"secret_token\"",
    "\"reply_parameters\"",
    "\"link_preview_options\"",
    "\"disable_notification\"",
];

/// The text of every `json!( … )` in `src`, brackets balanced.
fn json_macros(src: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find("json!(") {
        let body = &rest[at + "json!(".len()..];
        let mut depth = 1usize;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

#[test]
fn only_hotline_telegram_builds_bot_api_json() {
    // Test infrastructure and the emulators act as Telegram and as its users: exempt.
    let exempt = ["hotline-telegram", "hotline-testkit"];
    for (name, dir) in crates() {
        if exempt.contains(&name.as_str()) || name.ends_with("sim") {
            continue;
        }
        for f in rust_files(&dir.join("src"))
            .into_iter()
            .filter(|f| is_production(f))
        {
            let text = production_text(&read(&f));
            for body in json_macros(&text) {
                for key in BOT_API_KEYS {
                    assert!(
                        !body.contains(key),
                        "{} builds Bot API JSON ({key}); use hotline_telegram::requests",
                        f.display()
                    );
                }
            }
            for call in [".call(\"", ".call_with_timeout(\""] {
                assert!(
                    !text.contains(call),
                    "{} calls a Bot API method by name; use hotline_telegram::requests",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn no_production_file_passes_800_lines() {
    let mut long = Vec::new();
    for (_, dir) in crates() {
        for f in rust_files(&dir.join("src"))
            .into_iter()
            .filter(|f| is_production(f))
        {
            let n = read(&f).lines().count();
            if n > 800 {
                long.push(format!("{} ({n} lines)", f.display()));
            }
        }
    }
    assert!(long.is_empty(), "split along the logic: {long:?}");
}

/// A module's path in its crate (`setup::screens`) from its file.
fn module_of(src_dir: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src_dir).expect("under src");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if !matches!(stem.as_str(), "mod" | "lib" | "main") {
            parts.push(stem);
        }
    }
    parts
}

/// The `pub use module::{A, B}` re-exports of a crate root: item → module.
fn reexports(root: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in root.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        for item in items.trim_matches(['{', '}']).split(',') {
            let item = item.trim().split(" as ").last().unwrap_or("").trim();
            if !item.is_empty() {
                out.insert(item.to_string(), module.to_string());
            }
        }
    }
    out
}

/// Every module path a source refers to through `crate::…` or `super::…`.
fn references(text: &str, me: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let ident = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| {
                p.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|p| !p.is_empty())
            .collect()
    };
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("super::", {
            let mut b = me.to_vec();
            b.pop();
            b
        }),
    ] {
        let mut rest = text;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for part in group[..end].split(',') {
                    let mut path = base.clone();
                    path.extend(ident(part.trim()));
                    out.push(path);
                }
            } else {
                let mut path = base.clone();
                path.extend(ident(rest));
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn no_import_circle_between_modules_of_a_crate() {
    for (name, dir) in crates() {
        let src = dir.join("src");
        let files: Vec<_> = rust_files(&src)
            .into_iter()
            .filter(|f| is_production(f))
            .collect();
        let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
        let root = ["lib.rs", "main.rs"]
            .iter()
            .map(|r| src.join(r))
            .find(|p| p.is_file())
            .map(|p| read(&p))
            .unwrap_or_default();
        let reexported = reexports(&root);
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for f in &files {
            let me = module_of(&src, f);
            for mut path in references(&production_text(&read(f)), &me) {
                // `crate::Item` re-exported from a module is that module.
                if path.len() == 1
                    && let Some(m) = reexported.get(&path[0])
                {
                    path = vec![m.clone()];
                }
                let target = (0..=path.len())
                    .rev()
                    .map(|n| path[..n].to_vec())
                    .find(|p| modules.contains(p))
                    .unwrap_or_default();
                // Into itself or its own descendants: ownership, not an import.
                if target.starts_with(&me) {
                    continue;
                }
                edges.entry(me.clone()).or_default().insert(target);
            }
        }
        // Depth-first search for a cycle.
        fn visit(
            n: &Vec<String>,
            edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
            stack: &mut Vec<Vec<String>>,
            done: &mut BTreeSet<Vec<String>>,
        ) -> Option<Vec<Vec<String>>> {
            if let Some(at) = stack.iter().position(|s| s == n) {
                let mut cycle = stack[at..].to_vec();
                cycle.push(n.clone());
                return Some(cycle);
            }
            if done.contains(n) {
                return None;
            }
            stack.push(n.clone());
            for m in edges.get(n).into_iter().flatten() {
                if let Some(c) = visit(m, edges, stack, done) {
                    return Some(c);
                }
            }
            stack.pop();
            done.insert(n.clone());
            None
        }
        let mut done = BTreeSet::new();
        for m in &modules {
            if let Some(cycle) = visit(m, &edges, &mut Vec::new(), &mut done) {
                let shown: Vec<String> = cycle
                    .iter()
                    .map(|p| {
                        if p.is_empty() {
                            "crate".into()
                        } else {
                            p.join("::")
                        }
                    })
                    .collect();
                panic!("{name}: import circle {}", shown.join(" → "));
            }
        }
    }
}

#[test]
fn the_architecture_map_names_what_exists_and_nothing_else() {
    let map = read(&workspace().join("ARCHITECTURE.md"));
    let mut missing = Vec::new();
    let mut files_named = BTreeSet::new();
    for (name, dir) in crates() {
        if !map.contains(&name) {
            missing.push(format!("crate {name}"));
        }
        let src = dir.join("src");
        for f in rust_files(&src).into_iter().filter(|f| is_production(f)) {
            let rel = f
                .strip_prefix(&src)
                .expect("under src")
                .to_string_lossy()
                .into_owned();
            files_named.insert(rel.clone());
            let file_name = f.file_name().expect("name").to_string_lossy().into_owned();
            // Named by its path inside the crate (`setup/screens.rs`), or by its file name
            // where that is unique enough to read (`runtime.rs`).
            if !map.contains(&rel) && !map.contains(&format!("`{file_name}`")) {
                missing.push(format!("{name}/src/{rel}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name {missing:?}"
    );
    // Every `something.rs` the map names exists.
    let everything: Vec<PathBuf> = crates().iter().flat_map(|(_, d)| rust_files(d)).collect();
    let mut stale = Vec::new();
    for word in map.split(|c: char| c.is_whitespace() || "`(),|*".contains(c)) {
        let Some(stem) = word.strip_suffix(".rs") else {
            continue;
        };
        if stem.is_empty() || stem.contains('{') {
            continue;
        }
        let named = format!("{stem}.rs");
        // A bare name must be a production source (or a build script); a path names any
        // file, tests included, that ends with it.
        let exists = if named.contains('/') {
            everything
                .iter()
                .any(|f| f.to_string_lossy().ends_with(&format!("/{named}")))
        } else {
            named == "build.rs"
                || files_named
                    .iter()
                    .any(|f| f == &named || f.ends_with(&format!("/{named}")))
        };
        if !exists {
            stale.push(named);
        }
    }
    assert!(
        stale.is_empty(),
        "ARCHITECTURE.md names files that do not exist: {stale:?}"
    );
}
