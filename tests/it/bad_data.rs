//! Hostile and careless data, refused where it stands: data files that lead out of the data
//! folder, never end or never stop growing; URLs that are more than one URL; block Markdown,
//! blank text and mdBook's own commands in one-line fields; and every field of the v2 format.
//!
//! Each case is the base book `tests/bad-inputs/_base/` with `tests/bad-inputs/<case>/` laid
//! over it, or with a file made on disk at test time (links, FIFOs, big files, dates relative to
//! today). Every case runs the real binary twice, as `mdbook-compare check <book>` and as the
//! preprocessor fed with mdBook's `[context, book]` JSON, and asserts the exit code, each
//! expected headline with its `file:line:column` right under it, and that nothing panicked.

use std::fs;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::{BINARY, Book, preprocessor_input, stderr};
use jiff::ToSpan;
/// How this module runs a case: both runs bounded in time and memory. A trait, not an inherent
/// `impl Book`, so its names stay in this module (`bad_inputs` runs its cases its own way).
trait BoundedRuns {
    fn reports(&self, code: i32, expected: &[(&str, &str)], env: &[(&str, &str)]) -> String;
    fn fails(&self, expected: &[(&str, &str)]) -> String;
    fn passes(&self);
}

impl BoundedRuns for Book {
    /// Runs `check` and the preprocessor, each bounded in time and memory (a regression could
    /// otherwise read `/dev/zero` until the machine runs out, or wait on a FIFO forever), with
    /// `env` set. Both must exit with `code` and report every `(headline, at)`. Returns the
    /// report of `check`.
    fn reports(&self, code: i32, expected: &[(&str, &str)], env: &[(&str, &str)]) -> String {
        let root = self.root().to_str().expect("a UTF-8 temporary path");
        let checked = bounded(&["check", root], None, env);
        let report = assert_reported(&checked, code, expected);
        let input = preprocessor_input(self.root(), "html");
        let preprocessed = bounded(&[], Some(&input), env);
        assert_reported(&preprocessed, code, expected);
        assert_eq!(
            preprocessed.stdout.is_empty(),
            code != 0,
            "the preprocessor writes the book back exactly when it succeeds"
        );
        report
    }

    /// Errors at their places: both runs fail.
    fn fails(&self, expected: &[(&str, &str)]) -> String {
        let expected: Vec<(String, &str)> = expected
            .iter()
            .map(|(headline, at)| (format!("error: {headline}"), *at))
            .collect();
        let expected: Vec<(&str, &str)> =
            expected.iter().map(|(h, at)| (h.as_str(), *at)).collect();
        self.reports(1, &expected, &[])
    }

    /// Nothing to report: both runs succeed in silence.
    fn passes(&self) {
        let report = self.reports(0, &[], &[]);
        assert!(report.is_empty(), "{report}");
    }
}

/// Runs the binary with `args` (and `input` on stdin) under `timeout` and `ulimit -v`.
fn bounded(args: &[&str], input: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new("timeout")
        .args(["--kill-after=5", "60", "sh", "-c"])
        .arg("ulimit -v 4194304 && exec \"$0\" \"$@\"")
        .arg(BINARY)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start mdbook-compare under timeout");
    let mut stdin = child.stdin.take().expect("stdin");
    // A run that fails early may close stdin before reading it all.
    let _ = stdin.write_all(input.unwrap_or_default());
    drop(stdin);
    let output = child.wait_with_output().expect("wait for mdbook-compare");
    assert_ne!(
        output.status.code(),
        Some(124),
        "timed out after 60 s:\n{}",
        stderr(&output)
    );
    output
}

/// Asserts how a run ended, that nothing panicked, and that stderr has every headline on a line
/// of its own with its location (`path:line:column`, or a bare path) right under it.
fn assert_reported(output: &Output, code: i32, expected: &[(&str, &str)]) -> String {
    let report = stderr(output);
    assert!(!report.contains("panicked"), "a panic:\n{report}");
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code; stderr:\n{report}"
    );
    let lines: Vec<&str> = report.lines().collect();
    for (headline, at) in expected {
        let located = lines.windows(2).any(|pair| {
            pair[0] == *headline && pair[1].trim_start().strip_prefix("--> ") == Some(at)
        });
        assert!(located, "expected `{headline}` at {at}, got:\n{report}");
    }
    report
}

// Data files: regular files inside the data folder, bounded, read without blocking.

#[cfg(unix)]
fn link(book: &Book, path: &str, target: &str) {
    std::os::unix::fs::symlink(target, book.root().join(path)).expect("make a symlink");
}

#[cfg(unix)]
#[test]
fn a_link_to_the_environment_is_refused_without_quoting_it() {
    let book = Book::case("");
    link(&book, "data/dimensions/x.toml", "/proc/self/environ");
    let secret = "TOKEN=hunter2-do-not-print";
    let report = book.reports(
        1,
        &[(
            "error: the file leads out of the data folder `data`",
            "data/dimensions/x.toml",
        )],
        &[("MDBOOK_COMPARE_TEST_SECRET", secret)],
    );
    assert!(!report.contains("hunter2"), "{report}");
}

#[cfg(unix)]
#[test]
fn links_to_devices_and_out_of_the_folder_are_refused() {
    let book = Book::case("");
    link(&book, "data/benchmarks/zero.toml", "/dev/zero");
    link(&book, "data/dimensions/book.toml", "../../book.toml");
    fs::remove_file(book.root().join("data/categories.toml")).unwrap();
    link(&book, "data/categories.toml", "../src/chapter.md");
    book.fails(&[
        (
            "the file leads out of the data folder `data`",
            "data/benchmarks/zero.toml",
        ),
        (
            "the file leads out of the data folder `data`",
            "data/dimensions/book.toml",
        ),
        (
            "the file leads out of the data folder `data`",
            "data/categories.toml",
        ),
    ]);
}

#[cfg(unix)]
#[test]
fn a_linked_folder_out_of_the_data_folder_is_not_listed() {
    let book = Book::case("");
    fs::remove_dir_all(book.root().join("data/benchmarks")).unwrap();
    link(&book, "data/benchmarks", "/etc");
    let report = book.fails(&[(
        "the folder leads out of the data folder `data`",
        "data/benchmarks",
    )]);
    assert!(!report.contains("passwd"), "{report}");
    assert!(
        report.ends_with("mdbook-compare: 1 error, 0 warnings\n"),
        "{report}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let book = Book::case("");
    let fifo = book.root().join("data/dimensions/pipe.toml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    book.fails(&[(
        "expected a regular file, found a named pipe (FIFO)",
        "data/dimensions/pipe.toml",
    )]);
}

#[cfg(unix)]
#[test]
fn a_loop_of_two_links_is_refused() {
    let book = Book::case("");
    link(&book, "data/benchmarks/a.toml", "b.toml");
    link(&book, "data/benchmarks/b.toml", "a.toml");
    book.fails(&[
        (
            "cannot read the file: too many levels of symbolic links (a symlink loop?)",
            "data/benchmarks/a.toml",
        ),
        (
            "cannot read the file: too many levels of symbolic links (a symlink loop?)",
            "data/benchmarks/b.toml",
        ),
    ]);
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_data_folder_is_read() {
    let book = Book::case("");
    link(&book, "data/dimensions/speed-again.toml", "speed.toml");
    book.passes();
}

#[test]
fn a_file_over_8_mib_is_refused_unread() {
    let book = Book::case("");
    let mut text = String::from("title = \"Speed\"\n# ");
    text.push_str(&"secret ".repeat(9 * 1024 * 1024 / 7));
    book.write("data/dimensions/big.toml", &text);
    let report = book.fails(&[(
        "the file is larger than the 8 MiB a data file may have",
        "data/dimensions/big.toml",
    )]);
    assert!(!report.contains("secret"), "{report}");
}

// URLs: one absolute http(s) URL with a host, and nothing else.

#[test]
fn a_url_is_one_url_and_nothing_else() {
    let report = Book::case("url-not-one-url").fails(&[
        (
            "`https://x.org/\\n\\n[r]: javascript:alert(1)` is not a URL: it holds a line break",
            "data/dimensions/speed.toml:13:7",
        ),
        (
            "`https:// ` is not a URL: it holds a space",
            "data/dimensions/speed.toml:17:7",
        ),
        (
            "`https:///etc/passwd` has no host",
            "data/dimensions/speed.toml:21:7",
        ),
    ]);
    assert!(
        report.contains("help: write the site's name after `https://`"),
        "{report}"
    );
}

#[test]
fn a_home_page_in_capitals_is_told_the_lowercase_scheme() {
    let book = Book::case("");
    book.edit(
        "data/languages.toml",
        "\"https://go.dev/\"",
        "\"HTTPS://go.dev/\"",
    );
    let report = book.fails(&[(
        "`HTTPS://go.dev/` is not an http(s) URL",
        "data/languages.toml:12:12",
    )]);
    assert!(
        report.contains("help: write the scheme in lowercase: `https://go.dev/`"),
        "{report}"
    );
}

#[test]
fn a_link_in_text_is_one_url_with_a_host_or_a_relative_link() {
    let report = Book::case("inline-link-not-one-url").fails(&[
        (
            "`//evil.example/gc` is a link to another site without a scheme",
            "data/dimensions/speed.toml:4:15",
        ),
        (
            "`https:///etc/passwd` has no host",
            "data/dimensions/speed.toml:8:35",
        ),
        (
            "`/\\\\evil.example/gc` is a link to another site without a scheme",
            "data/dimensions/speed.toml:9:6",
        ),
        (
            "`HTTPS://llvm.org/` is not an http(s) URL",
            "data/dimensions/speed.toml:16:9",
        ),
    ]);
    for help in [
        "help: write the full address, `https://evil.example/gc`, or a link inside the book",
        "help: write the site's name after `https://`",
        "help: write the scheme in lowercase: `https://llvm.org/`",
    ] {
        assert!(report.contains(help), "{help}: {report}");
    }
    assert!(
        report.ends_with("mdbook-compare: 4 errors, 0 warnings\n"),
        "{report}"
    );
    // Links inside the book, as they were allowed, still are.
    let book = Book::case("");
    book.edit(
        "data/dimensions/speed.toml",
        "\"No garbage collector.\"",
        "\"No [garbage collector](../chapter.html#gc), [here](#gc), [there](/gc.html) or \
         [elsewhere](gc.html?a=b:c).\"",
    );
    book.passes();
}

// Text: one line of inline Markdown, with words, and none of mdBook's commands.

#[test]
fn block_markdown_in_a_one_line_field_is_an_error() {
    Book::case("block-markdown-in-data").fails(&[
        (
            "a heading in a one-line text",
            "data/dimensions/speed.toml:4:12",
        ),
        (
            "a second paragraph in a one-line text",
            "data/dimensions/speed.toml:8:15",
        ),
        (
            "a list in a one-line text",
            "data/dimensions/speed.toml:9:6",
        ),
    ]);
}

#[test]
fn blank_text_is_an_error() {
    Book::case("blank-values").fails(&[
        ("`title` is empty", "data/dimensions/speed.toml:1:9"),
        ("`go` is empty", "data/dimensions/speed.toml:9:6"),
        ("`name` is empty", "data/languages.toml:3:8"),
        ("`name` is empty", "data/benchmarks/hello.toml:19:8"),
    ]);
}

#[test]
fn an_empty_list_of_quick_takes_is_an_error() {
    Book::case("empty-quick-takes")
        .fails(&[("no quick takes are listed", "data/quick-takes.toml:1:8")]);
}

#[test]
fn a_file_that_does_not_parse_is_the_only_error() {
    let report = Book::case("unparsable-data").fails(&[
        (
            "invalid basic string, expected `\"`",
            "data/dimensions/speed.toml:1:15",
        ),
        (
            "string values must be quoted, expected literal string",
            "data/benchmarks/hello.toml:2:15",
        ),
    ]);
    assert!(
        report.ends_with("mdbook-compare: 2 errors, 0 warnings\n"),
        "{report}"
    );
}

#[test]
fn mdbook_commands_in_any_string_are_errors() {
    let headline =
        |command: &str| format!("`{command}` is mdBook syntax, which no data text may hold");
    let expected = [
        (headline("{{#title"), "data/dimensions/speed.toml:1:16"),
        (headline("{{#include"), "data/dimensions/speed.toml:8:13"),
        (
            headline("{{ #playground"),
            "data/dimensions/speed.toml:9:11",
        ),
        (
            headline("{{#rustdoc_include"),
            "data/dimensions/speed.toml:12:24",
        ),
        (headline("{{#include"), "data/benchmarks/hello.toml:20:9"),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|(h, at)| (h.as_str(), *at)).collect();
    Book::case("mdbook-syntax-in-data").fails(&expected);
}

// Dates: a day of slack either way around today's date in UTC.

/// Today's date in UTC moved by `days` days and `months` months.
fn today_plus(days: i32, months: i32) -> String {
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    today
        .checked_add(days.days().months(months))
        .expect("a date near today")
        .to_string()
}

#[test]
fn tomorrow_is_not_in_the_future_but_the_day_after_is() {
    let book = Book::case("");
    book.edit(
        "data/dimensions/speed.toml",
        "2026-01-15",
        &today_plus(1, 0),
    );
    book.passes();
    let after = today_plus(2, 0);
    book.edit("data/dimensions/speed.toml", &today_plus(1, 0), &after);
    book.fails(&[(
        &format!("`{after}` is in the future"),
        "data/dimensions/speed.toml:5:9",
    )]);
}

#[test]
fn staleness_allows_a_day_of_slack() {
    let book = Book::case("");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Stale\"\n\n[preprocessor.compare]\nstale-after-months = 18\n",
    );
    // Exactly 19 months ago in UTC, still 18 months ago where it is yesterday.
    for file in [
        "data/dimensions/speed.toml",
        "data/benchmarks/hello.toml",
        "data/quick-takes.toml",
    ] {
        book.edit(file, "2026-01-15", &today_plus(0, -19));
    }
    book.passes();
    book.edit(
        "data/dimensions/speed.toml",
        &today_plus(0, -19),
        &today_plus(-1, -19),
    );
    // 19 months and a day before today is 19 whole months.
    book.reports(
        0,
        &[(
            "warning: stale data: checked 19 months ago, more than the 18 allowed",
            "data/dimensions/speed.toml:5:9",
        )],
        &[],
    );
}

// The v2 fields.

#[test]
fn every_v2_field_used_well_passes() {
    Book::case("v2-complete").passes();
}

#[test]
fn a_colour_is_six_hex_digits() {
    let report = Book::case("colour-not-hex").fails(&[
        ("`#fff` is not a colour", "data/languages.toml:6:10"),
        ("`00add8` is not a colour", "data/languages.toml:13:10"),
    ]);
    assert!(report.contains("help: did you mean `#ffffff`?"), "{report}");
    assert!(report.contains("help: did you mean `#00add8`?"), "{report}");
}

#[test]
fn a_summary_has_at_most_60_characters_and_every_language() {
    Book::case("summary-too-long").fails(&[(
        "the summary is 72 characters long, more than the 60 allowed",
        "data/dimensions/speed.toml:16:8",
    )]);
    let book = Book::case("");
    book.edit(
        "data/dimensions/speed.toml",
        "go = \"Compiled, with a GC\"",
        "og = \"Compiled, with a GC\"",
    );
    let report = book.fails(&[
        ("unknown language `og`", "data/dimensions/speed.toml:17:1"),
        (
            "`go` has no summary in `[summary]`",
            "data/dimensions/speed.toml:15:1",
        ),
    ]);
    assert!(report.contains("help: did you mean `go`?"), "{report}");
}

#[test]
fn metric_ids_are_kebab_case_unique_and_named_by_the_headline() {
    let report = Book::case("metric-ids").fails(&[
        (
            "metric id `requests` is used twice in this benchmark",
            "data/benchmarks/hello.toml:23:6",
        ),
        (
            "`Latency_P99` cannot be a metric id",
            "data/benchmarks/hello.toml:29:6",
        ),
        (
            "unknown metric `requets`",
            "data/benchmarks/hello.toml:6:12",
        ),
    ]);
    assert!(report.contains("did you mean `latency-p99`?"), "{report}");
    assert!(
        report.contains("help: did you mean `requests`?"),
        "{report}"
    );
}

#[test]
fn a_spread_is_positive_in_order_and_of_at_least_one_run() {
    let report = Book::case("spread-values").fails(&[
        (
            "the spread is out of order: min 510000, median 500000, max 520000",
            "data/benchmarks/hello.toml:22:8",
        ),
        (
            "`-1` is not a measurement: values must be finite and positive",
            "data/benchmarks/hello.toml:23:31",
        ),
        (
            "`runs` is 0: a median needs at least one run",
            "data/benchmarks/hello.toml:23:56",
        ),
    ]);
    assert!(
        report.ends_with("mdbook-compare: 3 errors, 0 warnings\n"),
        "{report}"
    );
}

#[test]
fn a_spread_table_has_its_four_keys_and_no_other() {
    let value = "go = { median = 2.25, min = 2.0, max = 3.0, runs = 9 }";
    let book = Book::case("v2-complete");
    book.edit(
        "data/benchmarks/hello.toml",
        value,
        "go = { median = 2.25, min = 2.0, runs = 9 }",
    );
    book.fails(&[("missing key `max`", "data/benchmarks/hello.toml:37:6")]);
    let book = Book::case("v2-complete");
    book.edit(
        "data/benchmarks/hello.toml",
        value,
        "go = { median = 2.25, mean = 2.3, min = 2.0, max = 3.0, runs = 9 }",
    );
    let report = book.fails(&[("unknown key `mean`", "data/benchmarks/hello.toml:37:23")]);
    assert!(report.contains("help: did you mean `median`?"), "{report}");
}

#[test]
fn raw_figures_are_a_committed_file_inside_the_book() {
    let at = "data/benchmarks/hello.toml:7:7";
    for (raw, headline) in [
        (
            "../secret.csv",
            "`../secret.csv` is not a path inside the book: `..` is not allowed",
        ),
        (
            "/etc/passwd",
            "`/etc/passwd` is not a path inside the book: it is absolute",
        ),
        (
            "bench/results",
            "`bench/results` cannot be the raw figures: it is a folder, not a file",
        ),
        (
            "bench/results/helo.csv",
            "`bench/results/helo.csv` cannot be the raw figures: it does not exist",
        ),
    ] {
        let book = Book::case("v2-complete");
        book.edit(
            "data/benchmarks/hello.toml",
            "raw = \"bench/results/hello.csv\"",
            &format!("raw = \"{raw}\""),
        );
        let report = book.fails(&[(headline, at)]);
        if raw.ends_with("helo.csv") {
            assert!(
                report.contains("help: did you mean `hello.csv`?"),
                "{report}"
            );
        }
    }
    #[cfg(unix)]
    {
        let book = Book::case("v2-complete");
        fs::remove_file(book.root().join("bench/results/hello.csv")).unwrap();
        link(&book, "bench/results/hello.csv", "/etc/hostname");
        book.fails(&[(
            "`bench/results/hello.csv` cannot be the raw figures: it leads out of the book",
            at,
        )]);
        let book = Book::case("v2-complete");
        link(&book, "bench/etc", "/etc");
        book.edit(
            "data/benchmarks/hello.toml",
            "raw = \"bench/results/hello.csv\"",
            "raw = \"bench/etc/passwdd\"",
        );
        let report = book.fails(&[(
            "`bench/etc/passwdd` cannot be the raw figures: it does not exist",
            at,
        )]);
        assert!(
            !report.contains("passwd`"),
            "no names from outside the book: {report}"
        );
    }
}

#[test]
fn a_quick_take_names_an_existing_dimension() {
    let report = Book::case("quick-take-unknown-dimension")
        .fails(&[("unknown dimension `sped`", "data/quick-takes.toml:5:13")]);
    assert!(report.contains("help: did you mean `speed`?"), "{report}");
}

#[test]
fn a_value_that_is_not_a_number_is_told_both_forms() {
    let book = Book::case("");
    book.edit("data/benchmarks/hello.toml", "go = 200000", "go = \"fast\"");
    let report = book.fails(&[(
        "invalid type: string \"fast\", expected a number",
        "data/benchmarks/hello.toml:25:6",
    )]);
    assert!(
        report.contains(
            "or the median of several runs: `{ median = 5.82, min = 5.7, max = 6.1, runs = 9 }`"
        ),
        "{report}"
    );
}
