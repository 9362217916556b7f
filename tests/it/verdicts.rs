//! The figures behind verdicts, refused where they are wrong, each error at its place: a band's
//! width and reason, and each interval's languages, order, method and agreement with the
//! medians. Each case is the base book `tests/bad-inputs/_base/` with its benchmark's metric
//! given a band or intervals, run through `mdbook-compare check`.

use crate::common::{Book, check, stderr};

const FILE: &str = "data/benchmarks/hello.toml";

/// The base book with `keys` added to its metric and `intervals` after its values.
fn book(keys: &str, intervals: &str) -> Book {
    let book = Book::case("");
    book.edit(
        FILE,
        "direction = \"higher\"\n",
        &format!("direction = \"higher\"\n{keys}"),
    )
    .edit(FILE, "go = 200000\n", &format!("go = 200000\n{intervals}"));
    book
}

/// An interval of the metric's requests per second (Rust 500,000, Go 200,000).
fn interval(of: &str, over: &str, [ratio, low, high]: [f64; 3], method: &str) -> String {
    format!(
        "\n[[metrics.intervals]]\nof = \"{of}\"\nover = \"{over}\"\nratio = {ratio:?}\n\
         low = {low:?}\nhigh = {high:?}\nmethod = \"{method}\"\n"
    )
}

/// `check` on `book` ends with `code`, nothing panics, and each `(headline, at)` is a line of
/// the report with its location right under it. Returns the report.
fn reports(book: &Book, code: i32, expected: &[(&str, &str)]) -> String {
    let output = check(book.root(), &[]);
    let report = stderr(&output);
    assert!(!report.contains("panicked"), "a panic:\n{report}");
    assert_eq!(output.status.code(), Some(code), "{report}");
    let lines: Vec<&str> = report.lines().collect();
    for (headline, at) in expected {
        let located = lines.windows(2).any(|pair| {
            pair[0] == *headline && pair[1].trim_start().strip_prefix("--> ") == Some(*at)
        });
        assert!(located, "expected `{headline}` at {at}, got:\n{report}");
    }
    report
}

#[test]
fn a_band_and_intervals_used_well_pass() {
    let book = book(
        "quantity = \"throughput\"\nband = { width = 0.1, reason = \"Varies *little*.\" }\n",
        &interval("rust", "go", [2.5, 2.1, 3.0], "bootstrap"),
    );
    let report = reports(&book, 0, &[]);
    assert!(report.is_empty(), "{report}");
}

#[test]
fn a_band_has_a_width_of_at_least_0_and_a_reason() {
    let book = book("band = { width = -0.1, reason = \" \" }\n", "");
    reports(
        &book,
        1,
        &[
            (
                "error: `-0.1` cannot be a band's width: it must be finite and at least 0",
                "data/benchmarks/hello.toml:22:18",
            ),
            (
                "error: `reason` is empty",
                "data/benchmarks/hello.toml:22:33",
            ),
        ],
    );
    let book = self::book("band = { width = 0.1 }\n", "");
    let report = reports(&book, 1, &[]);
    assert!(report.contains("error: missing key `reason`"), "{report}");
}

#[test]
fn an_interval_compares_two_languages_with_values() {
    let book = book(
        "",
        &(interval("zig", "go", [2.5, 2.1, 3.0], "bootstrap")
            + &interval("go", "go", [1.0, 1.0, 1.0], "exact")),
    );
    let report = reports(
        &book,
        1,
        &[
            (
                "error: `zig` has no value in this metric, so no ratio of it",
                "data/benchmarks/hello.toml:28:6",
            ),
            (
                "error: `go` is compared with itself",
                "data/benchmarks/hello.toml:37:8",
            ),
        ],
    );
    assert!(
        report.contains("languages with a value: `go`, `rust`"),
        "{report}"
    );
}

#[test]
fn an_interval_is_in_order_and_exact_only_without_spread() {
    let book = book(
        "",
        &(interval("rust", "go", [2.5, 2.6, 3.0], "bootstrap")
            + &interval("go", "rust", [0.4, 0.3, 0.5], "exact")),
    );
    reports(
        &book,
        1,
        &[
            (
                "error: the interval is out of order: low 2.6, ratio 2.5, high 3",
                "data/benchmarks/hello.toml:30:9",
            ),
            (
                "error: an exact ratio has no spread, but its interval is 0.3 to 0.5",
                "data/benchmarks/hello.toml:41:10",
            ),
            (
                "error: a second interval of `go` and `rust` in this metric",
                "data/benchmarks/hello.toml:35:1",
            ),
        ],
    );
}

#[test]
fn an_interval_agrees_with_the_medians_and_is_positive() {
    let book = book(
        "",
        &(interval("rust", "go", [3.0, 2.9, 3.1], "bootstrap")
            + &interval("go", "rust", [0.0, -1.0, 0.5], "bootstrap")),
    );
    reports(
        &book,
        1,
        &[
            (
                "error: the ratio 3 is not the medians' ratio: rust / go is 2.500",
                "data/benchmarks/hello.toml:30:9",
            ),
            (
                "error: `0` cannot be a ratio: ratios must be finite and positive",
                "data/benchmarks/hello.toml:38:9",
            ),
            (
                "error: `-1` cannot be a ratio: ratios must be finite and positive",
                "data/benchmarks/hello.toml:39:7",
            ),
        ],
    );
}

#[test]
fn an_unknown_method_is_told_the_three() {
    let book = book("", &interval("rust", "go", [2.5, 2.1, 3.0], "t-test"));
    let report = reports(&book, 1, &[]);
    assert!(
        report.contains("`bootstrap`, `hodges-lehmann`") && report.contains("`exact`"),
        "{report}"
    );
}
