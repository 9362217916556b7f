//! Smoke test of the HTTP JSON benchmark harness: `bench/http-json/run --smoke` builds both
//! servers, loads each for a second and must write a benchmark file of the dataset's format, with
//! all six metrics measured for both languages.
//!
//! It takes minutes (a cold release build of actix-web), so it runs only when
//! `MDBOOK_COMPARE_BENCH_SMOKE=1` is set; otherwise, and when the harness finds a prerequisite
//! (Go, wrk, ...) missing, it passes after printing that it was skipped and why.

use std::io::{self, Write};
use std::path::Path;
use std::process::Command;

/// The metrics the harness promises, with their units and directions.
const METRICS: [(&str, &str, &str); 6] = [
    ("Requests per second", "req/s", "higher"),
    ("p50 latency", "ms", "lower"),
    ("p99 latency", "ms", "lower"),
    ("Peak memory (VmHWM)", "MB", "lower"),
    ("Cold build time", "s", "lower"),
    ("Binary size", "MB", "lower"),
];

/// The harness's exit status for a missing prerequisite (`EXIT_MISSING_PREREQUISITES` in `run`).
const MISSING_PREREQUISITES: i32 = 3;

/// Says why the test did not run. Written straight to stderr, which the test harness does not
/// capture, so the message shows in a plain `cargo test`.
fn skip(why: &str) {
    let _ = writeln!(io::stderr(), "SKIPPED http_json_smoke: {why}");
}

/// Whether `text` has the shape YYYY-MM-DD.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, byte)| match i {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

#[test]
fn smoke_run_writes_all_metrics_for_both_languages() {
    if std::env::var("MDBOOK_COMPARE_BENCH_SMOKE").as_deref() != Ok("1") {
        skip("it takes minutes; set MDBOOK_COMPARE_BENCH_SMOKE=1 to run it");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().expect("temporary directory");
    let output = out_dir.path().join("http-json-smoke.toml");

    let run = Command::new("python3")
        .arg(root.join("bench/http-json/run"))
        .arg("--smoke")
        .arg("--output")
        .arg(&output)
        .output();
    let run = match run {
        Ok(run) => run,
        Err(err) => return skip(&format!("python3 could not be started: {err}")),
    };
    let stderr = String::from_utf8_lossy(&run.stderr);
    if run.status.code() == Some(MISSING_PREREQUISITES) {
        return skip(stderr.trim());
    }
    assert!(
        run.status.success(),
        "bench/http-json/run --smoke failed ({}):\n{stderr}",
        run.status
    );

    let text = std::fs::read_to_string(&output).expect("the harness wrote its output file");
    assert!(
        text.starts_with("#:schema ../schemas/benchmark.json\n"),
        "schema line first:\n{text}"
    );
    let benchmark: toml::Table =
        toml::from_str(&text).unwrap_or_else(|err| panic!("{err}\n{text}"));
    let string = |table: &toml::Table, key: &str| {
        table
            .get(key)
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(string(&benchmark, "provenance"), "reproduced");
    assert_eq!(
        string(&benchmark, "reproduce"),
        "bench/http-json/run --smoke"
    );
    assert!(
        benchmark
            .get("sources")
            .and_then(toml::Value::as_array)
            .is_some_and(|s| !s.is_empty())
    );
    let as_of = string(&benchmark, "as_of");
    assert!(is_date(&as_of), "as_of: {as_of}");
    let setup = benchmark
        .get("setup")
        .and_then(toml::Value::as_table)
        .expect("setup");
    for lang in ["rust", "go"] {
        assert!(setup.contains_key(lang), "setup for {lang}");
    }
    let metrics = benchmark
        .get("metrics")
        .and_then(toml::Value::as_array)
        .expect("metrics");
    let metrics: Vec<&toml::Table> = metrics.iter().filter_map(toml::Value::as_table).collect();
    let names: Vec<String> = metrics.iter().map(|m| string(m, "name")).collect();
    assert_eq!(
        names,
        METRICS.map(|(name, _, _)| name),
        "metric names and order"
    );
    for (metric, (name, unit, direction)) in metrics.iter().zip(METRICS) {
        assert_eq!(
            (string(metric, "unit"), string(metric, "direction")),
            (unit.into(), direction.into()),
            "{name}"
        );
        assert!(metric.contains_key("note"), "{name} has a note");
        let values = metric
            .get("values")
            .and_then(toml::Value::as_table)
            .expect("values");
        for lang in ["rust", "go"] {
            let value = values.get(lang).and_then(|v| match v {
                toml::Value::Table(spread) => spread.get("median").and_then(toml::Value::as_float),
                other => other.as_float().or(other.as_integer().map(|i| i as f64)),
            });
            assert!(
                value.is_some_and(|v| v.is_finite() && v > 0.0),
                "{name} for {lang}: {value:?}"
            );
        }
    }
}
