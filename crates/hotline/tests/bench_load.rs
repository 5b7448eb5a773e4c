//! `hotline bench load`, the external benchmark, run small through the binary: three
//! processes (the load generator, `bench sim`, `serve`), every phase delivering each message
//! exactly once, its figures present and plausible — on SQLite and, when available,
//! PostgreSQL. (The numbers themselves are for BENCHMARKS.md, not for a test to judge.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // test fixtures

use std::process::Command;

use serde_json::Value;

fn bench(extra: &[&str]) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args([
            "bench",
            "load",
            "--json",
            "--scale",
            "0.05",
            "--seconds",
            "1",
        ])
        .args(extra)
        .env_remove("HOTLINE_CONFIG")
        .output()
        .expect("running hotline bench load");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "bench load failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

fn n(r: &Value, key: &str) -> f64 {
    r[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {r}"))
}

fn check(results: &[Value], database: &str) {
    let phases: Vec<&str> = results.iter().filter_map(|r| r["phase"].as_str()).collect();
    assert_eq!(
        phases,
        ["burst1", "burst100", "rate200", "operator", "idle"]
    );
    for r in results {
        assert_eq!(r["database"], database, "{r}");
        assert!(r.get("error").is_none(), "{r}");
        if r["phase"] == "idle" {
            assert_eq!(n(r, "bots"), 3.0, "{r}");
            assert!(n(r, "rss_mb") > 1.0, "{r}");
            continue;
        }
        // Every message the customers (or operators) sent arrived once.
        assert!(n(r, "messages") >= 1.0, "{r}");
        assert_eq!(n(r, "delivered"), n(r, "messages"), "{r}");
        assert_eq!((n(r, "lost"), n(r, "duplicated")), (0.0, 0.0), "{r}");
        assert_eq!(n(r, "http_429"), 0.0, "{r}");
        // Latencies from tgsim's clock: ordered, and the copy never before its original.
        let (p50, p99, max) = (n(r, "p50_ms"), n(r, "p99_ms"), n(r, "max_ms"));
        assert!(0.0 <= p50 && p50 <= p99 && p99 <= max, "{r}");
        // CPU and memory are those of the serve process.
        assert!(n(r, "cpu_s_per_1k") > 0.0 && n(r, "rss_mb") > 1.0, "{r}");
    }
    let burst100 = &results[1];
    assert_eq!(n(burst100, "connections"), 5.0, "{burst100}");
    let rate = &results[2];
    assert_eq!(n(rate, "rate"), 200.0, "{rate}");
}

const PHASES: &[&str] = &[
    "--phases",
    "burst1,burst100,rate200,operator,idle",
    "--idle-bots",
    "3",
    "--idle-seconds",
    "1",
];

#[test]
fn every_phase_delivers_exactly_once_on_sqlite() {
    check(&bench(PHASES), "sqlite");
}

#[test]
fn every_phase_delivers_exactly_once_on_postgres() {
    let Some(admin) = hotline_store::testing::postgres_admin_url() else {
        eprintln!("skipped: no PostgreSQL (HOTLINE_TEST_DATABASE_URL)");
        return;
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let url = rt
        .block_on(hotline_store::testing::fresh_postgres(&admin))
        .expect("a fresh database");
    let mut args = PHASES.to_vec();
    args.extend(["--postgres", &url]);
    check(&bench(&args), "postgres");
}
