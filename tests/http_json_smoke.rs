//! Smoke test of the HTTP JSON benchmark harness: `bench/http-json/run --smoke` builds both
//! servers, loads each for a second and must write a benchmark file that reads as the dataset's
//! `Benchmark` type, with all six metrics measured for both languages.
//!
//! It takes minutes (a cold release build of actix-web), so it runs only when
//! `MDBOOK_COMPARE_BENCH_SMOKE=1` is set; otherwise, and when the harness finds a prerequisite
//! (Go, wrk, ...) missing, it passes after printing that it was skipped and why.

use std::io::{self, Write};
use std::path::Path;
use std::process::Command;

use mdbook_compare::dataset::model::{Benchmark, Direction, Provenance};

/// The metrics the harness promises, with their units and directions.
const METRICS: [(&str, &str, Direction); 6] = [
    ("Requests per second", "req/s", Direction::Higher),
    ("p50 latency", "ms", Direction::Lower),
    ("p99 latency", "ms", Direction::Lower),
    ("Peak memory (VmHWM)", "MB", Direction::Lower),
    ("Cold build time", "s", Direction::Lower),
    ("Binary size", "MB", Direction::Lower),
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
    let benchmark: Benchmark = toml::from_str(&text).unwrap_or_else(|err| panic!("{err}\n{text}"));

    assert_eq!(benchmark.provenance, Provenance::Reproduced);
    assert_eq!(
        benchmark.reproduce.as_deref(),
        Some("bench/http-json/run --smoke")
    );
    assert!(!benchmark.sources.is_empty());
    assert!(is_date(&benchmark.as_of), "as_of: {}", benchmark.as_of);
    for lang in ["rust", "go"] {
        assert!(benchmark.setup.contains_key(lang), "setup for {lang}");
    }
    let names: Vec<&str> = benchmark.metrics.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        METRICS.map(|(name, _, _)| name),
        "metric names and order"
    );
    for (metric, (_, unit, direction)) in benchmark.metrics.iter().zip(METRICS) {
        assert_eq!(
            (metric.unit.as_str(), metric.direction),
            (unit, direction),
            "{}",
            metric.name
        );
        assert!(metric.note.is_some(), "{} has a note", metric.name);
        for lang in ["rust", "go"] {
            let value = metric.values.get(lang).map(|v| v.median());
            assert!(
                value.is_some_and(|v| v.is_finite() && v > 0.0),
                "{} for {lang}: {value:?}",
                metric.name
            );
        }
    }
}
