//! Everything a user can get wrong ends in a located message, never a panic.
//!
//! Each case is the base book `tests/bad-inputs/_base/` with the files of
//! `tests/bad-inputs/<case>/` laid over it, plus, for what git cannot hold or what is too big to
//! commit (bytes that are not UTF-8, folders, symlinks, 50 MB), a change made on disk. Every case
//! runs the real binary twice, as `mdbook-compare check <book>` and as the preprocessor fed with
//! mdBook's `[context, book]` JSON, and asserts the exit code, the exact headline, the location
//! printed under it and that nothing panicked. A handful of full reports are insta snapshots:
//! the message is the interface.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{
    self, BINARY, Book, cases_dir, check, mdbook_build, pipe, run_preprocessor, stderr,
};

impl Book {
    /// Runs `check` and the preprocessor; both must exit with `code` and report `headline`
    /// at `at`. Returns the report of `check`.
    fn reports(&self, code: i32, headline: &str, at: &str) -> String {
        let checked = check(self.root(), &[]);
        let report = assert_reported(&checked, code, headline, at);
        let preprocessed = run_preprocessor(self.root(), "html");
        assert_reported(&preprocessed, code, headline, at);
        assert_eq!(
            preprocessed.stdout.is_empty(),
            code != 0,
            "the preprocessor writes the book back exactly when it succeeds"
        );
        report
    }

    /// An error at `at`: both runs fail.
    fn fails(&self, headline: &str, at: &str) -> String {
        self.reports(1, &format!("error: {headline}"), at)
    }

    /// A warning at `at`: both runs succeed.
    fn warns(&self, headline: &str, at: &str) -> String {
        self.reports(0, &format!("warning: {headline}"), at)
    }
}

/// Asserts how a run ended and that its stderr has `headline` on a line of its own with the
/// location `at` right under it (`path:line:column`, or the bare path of a file or folder with
/// no line to show). Returns stderr.
fn assert_reported(output: &Output, code: i32, headline: &str, at: &str) -> String {
    let report = stderr(output);
    assert!(!report.contains("panicked"), "a panic:\n{report}");
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code; stderr:\n{report}"
    );
    let lines: Vec<&str> = report.lines().collect();
    let located = lines
        .windows(2)
        .any(|pair| pair[0] == headline && pair[1].trim_start().strip_prefix("--> ") == Some(at));
    assert!(located, "expected `{headline}` at {at}, got:\n{report}");
    report
}

// The dataset.

#[test]
fn malformed_toml() {
    Book::case("malformed-toml").fails(
        "invalid basic string, expected `\"`",
        "data/dimensions/speed.toml:1:15",
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let report =
        Book::case("unknown-key").fails("unknown key `titel`", "data/dimensions/speed.toml:1:1");
    insta::assert_snapshot!(report);
}

#[test]
fn wrong_type() {
    Book::case("wrong-type").fails(
        "invalid type: integer `3`, expected a string",
        "data/dimensions/speed.toml:3:8",
    );
}

#[test]
fn date_without_quotes() {
    let report = Book::case("unquoted-date").fails(
        "expected a string, found a TOML date",
        "data/dimensions/speed.toml:5:9",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_language_in_takes() {
    let report = Book::case("unknown-language")
        .fails("unknown language `rsut`", "data/dimensions/speed.toml:8:1");
    assert!(report.contains("help: did you mean `rust`?"), "{report}");
    assert!(
        report.contains("note: valid languages: `rust`, `go`"),
        "{report}"
    );
}

#[test]
fn missing_take() {
    let report = Book::case("missing-take").fails(
        "`go` has no take in `[takes]`",
        "data/dimensions/speed.toml:7:1",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn edge_names_no_language() {
    let report = Book::case("edge-names-no-language")
        .fails("`zig` names no language", "data/dimensions/speed.toml:3:8");
    assert!(
        report.contains("note: valid values: `rust`, `go`, `depends`"),
        "{report}"
    );
}

#[test]
fn pick_names_no_language() {
    let report = Book::case("pick-names-no-language")
        .fails("`rusty` names no language", "data/quick-takes.toml:3:8");
    assert!(report.contains("help: did you mean `rust`?"), "{report}");
}

#[test]
fn unknown_category_in_a_dimension() {
    let report = Book::case("unknown-category")
        .fails("unknown category `cor`", "data/dimensions/speed.toml:2:12");
    assert!(report.contains("help: did you mean `core`?"), "{report}");
}

#[test]
fn negative_value() {
    Book::case("negative-value").fails(
        "`-5` is not a measurement: values must be finite and positive",
        "data/benchmarks/hello.toml:21:8",
    );
}

#[test]
fn nan_value() {
    Book::case("nan-value").fails(
        "`NaN` is not a measurement: values must be finite and positive",
        "data/benchmarks/hello.toml:21:8",
    );
}

#[test]
fn non_numeric_value() {
    Book::case("non-numeric-value").fails(
        "invalid type: string \"fast\", expected a number",
        "data/benchmarks/hello.toml:21:8",
    );
}

#[test]
fn metric_without_direction() {
    Book::case("metric-without-direction")
        .fails("missing key `direction`", "data/benchmarks/hello.toml:15:1");
}

#[test]
fn metric_without_unit() {
    Book::case("metric-without-unit").fails(
        "metric `Requests per second` has an empty unit",
        "data/benchmarks/hello.toml:17:8",
    );
}

#[test]
fn unknown_direction() {
    let report = Book::case("unknown-direction").fails(
        "`up` is not an allowed value",
        "data/benchmarks/hello.toml:18:13",
    );
    assert!(
        report.contains("note: valid values: `higher`, `lower`"),
        "{report}"
    );
}

#[test]
fn duplicate_language() {
    Book::case("duplicate-language").fails(
        "language `rust` is defined twice",
        "data/languages.toml:8:6",
    );
}

#[test]
fn duplicate_category() {
    Book::case("duplicate-category").fails(
        "category `core` is defined twice",
        "data/categories.toml:7:6",
    );
}

#[test]
fn source_not_a_url() {
    Book::case("source-not-a-url").fails(
        "`doc.rust-lang.org/book` is not an http(s) URL",
        "data/dimensions/speed.toml:13:7",
    );
}

#[test]
fn as_of_not_a_date() {
    Book::case("as-of-not-a-date").fails(
        "`2026-13-01` is not a date",
        "data/dimensions/speed.toml:5:9",
    );
}

#[test]
fn changed_after_as_of() {
    Book::case("changed-after-as-of").fails(
        "`changed` (2026-02-01) is after `as_of` (2026-01-15)",
        "data/dimensions/speed.toml:6:11",
    );
}

#[test]
fn changed_not_a_date() {
    Book::case("changed-not-a-date").fails(
        "`last week` is not a date",
        "data/dimensions/speed.toml:6:11",
    );
}

#[test]
fn reserved_id() {
    Book::case("reserved-id").fails("`all` cannot be an id", "data/dimensions/all.toml");
}

#[test]
fn raw_html_in_data_is_a_warning() {
    Book::case("html-in-data").warns(
        "raw HTML is shown as text",
        "data/dimensions/speed.toml:4:15",
    );
}

#[test]
fn script_link_in_data_is_an_error() {
    Book::case("script-link-in-data").fails(
        "this link would be removed: only http(s) and relative links are kept",
        "data/benchmarks/hello.toml:4:18",
    );
}

#[test]
fn unknown_key_in_book_toml() {
    let report = Book::case("unknown-config-key").fails(
        "unknown key `stale-after-month` in `[preprocessor.compare]`",
        "book.toml:9:1",
    );
    assert!(
        report.contains("help: did you mean `stale-after-months`?"),
        "{report}"
    );
}

#[test]
fn data_file_not_utf8() {
    Book::case("")
        .write("data/dimensions/speed.toml", b"title = \"Sp\xffeed\"\n")
        .fails(
            "the file is not valid UTF-8",
            "data/dimensions/speed.toml:1:12",
        );
}

#[test]
fn empty_data_folder() {
    let book = Book::case("");
    fs::remove_dir_all(book.root().join("data")).unwrap();
    fs::create_dir(book.root().join("data")).unwrap();
    book.fails(
        "cannot read the file: it does not exist",
        "data/languages.toml",
    );
}

#[test]
fn missing_data_folder_is_reported_once() {
    let book = Book::case("");
    fs::remove_dir_all(book.root().join("data")).unwrap();
    let report = book.fails("cannot open the data folder: it does not exist", "data");
    assert!(
        report.ends_with("mdbook-compare: 1 error, 0 warnings\n"),
        "{report}"
    );
}

#[test]
fn data_file_that_is_a_folder() {
    let book = Book::case("");
    fs::create_dir(book.root().join("data/dimensions/folder.toml")).unwrap();
    book.fails(
        "expected a file, found a folder",
        "data/dimensions/folder.toml",
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let book = Book::case("");
    let link = book.root().join("data/benchmarks/loop.toml");
    std::os::unix::fs::symlink("loop.toml", link).unwrap();
    book.fails(
        "cannot read the file: too many levels of symbolic links (a symlink loop?)",
        "data/benchmarks/loop.toml",
    );
}

// What mdBook itself refuses before running a preprocessor, so only `check` can report.

#[test]
fn malformed_book_toml() {
    let book = Book::case("malformed-book-toml");
    assert_reported(
        &check(book.root(), &[]),
        1,
        "error: invalid basic string, expected `\"`",
        "book.toml:2:31",
    );
}

#[test]
fn chapter_not_utf8() {
    let book = Book::case("");
    book.write("src/chapter.md", b"# Chapter\n\nna\xefve\n");
    assert_reported(
        &check(book.root(), &[]),
        1,
        "error: the file is not valid UTF-8",
        "src/chapter.md:3:3",
    );
}

// Staleness: a warning that fails the run only when warnings are denied.

#[test]
fn stale_data_is_a_located_warning() {
    let book = Book::case("stale-as-of");
    let report = check(book.root(), &[]);
    assert_reported(
        &report,
        0,
        &stale_headline(),
        "data/dimensions/speed.toml:5:9",
    );
    let denied = check(book.root(), &["--deny-warnings"]);
    let report = assert_reported(
        &denied,
        1,
        &stale_headline(),
        "data/dimensions/speed.toml:5:9",
    );
    assert!(
        report.ends_with("0 errors, 1 warning (warnings are denied)\n"),
        "{report}"
    );
    // As mdBook does, `check` applies the MDBOOK_* environment overrides of book.toml.
    let denied_by_env = Command::new(BINARY)
        .arg("check")
        .arg(book.root())
        .env("MDBOOK_PREPROCESSOR__COMPARE__DENY_WARNINGS", "true")
        .output()
        .unwrap();
    assert_reported(
        &denied_by_env,
        1,
        &stale_headline(),
        "data/dimensions/speed.toml:5:9",
    );
}

#[test]
fn stale_data_denied_in_book_toml() {
    Book::case("stale-as-of-denied").reports(
        1,
        &stale_headline(),
        "data/dimensions/speed.toml:5:9",
    );
}

/// The warning for `as_of = "2000-01-01"` with the default limit of 18 months, today (UTC).
fn stale_headline() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400;
    // Days since 1970-01-01 to a civil year and month (Howard Hinnant's `civil_from_days`).
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let months = (year - 2000) * 12 + (month - 1);
    format!("warning: stale data: checked {months} months ago, more than the 18 allowed")
}

// The chapters.

#[test]
fn unknown_dimension_suggests_the_right_one() {
    let report =
        Book::case("unknown-dimension").fails("unknown dimension `speeed`", "src/chapter.md:3:11");
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_benchmark() {
    let report =
        Book::case("unknown-benchmark").fails("unknown benchmark `helo`", "src/chapter.md:3:13");
    assert!(report.contains("help: did you mean `hello`?"), "{report}");
}

#[test]
fn unknown_category_in_a_directive() {
    let report = Book::case("unknown-category-directive")
        .fails("unknown category `cor`", "src/chapter.md:3:20");
    assert!(
        report.contains("note: valid category ids: `core`"),
        "{report}"
    );
}

#[test]
fn unclosed_directive() {
    Book::case("unclosed-directive").fails(
        "unclosed directive: no `>>` before the end of the line",
        "src/chapter.md:3:1",
    );
}

#[test]
fn empty_compare() {
    Book::case("empty-compare").fails("`compare` needs something to compare", "src/chapter.md:3:1");
}

#[test]
fn directive_sharing_its_line() {
    Book::case("shares-its-line").fails(
        "a directive must stand alone on its line",
        "src/chapter.md:3:14",
    );
}

#[test]
fn directive_in_a_table_cell() {
    Book::case("in-table-cell").fails(
        "a directive cannot be expanded inside a table cell",
        "src/chapter.md:5:11",
    );
}

#[test]
fn directive_in_a_link_s_text() {
    let report = Book::case("in-link-text").fails(
        "a directive cannot be expanded inside a link",
        "src/chapter.md:3:9",
    );
    assert!(
        report.contains("help: a value or ratio links to its benchmark already"),
        "{report}"
    );
}

#[test]
fn directive_in_an_image_s_description() {
    let report = Book::case("in-image-alt").fails(
        "a directive cannot be expanded inside an image's description",
        "src/chapter.md:3:3",
    );
    assert!(report.contains("help: "), "{report}");
}

#[test]
fn unknown_directive_far_from_every_name() {
    let report =
        Book::case("unknown-directive").fails("unknown directive `cmp`", "src/chapter.md:3:3");
    insta::assert_snapshot!(report);
}

#[test]
fn dataset_and_chapter_errors_are_reported_together() {
    let book = Book::case("data-and-chapter-errors");
    let data_error = "error: `-5` is not a measurement: values must be finite and positive";
    let report = book.fails("unknown dimension `speeed`", "src/chapter.md:3:11");
    assert_reported(
        &run_preprocessor(book.root(), "html"),
        1,
        data_error,
        "data/benchmarks/hello.toml:21:8",
    );
    insta::assert_snapshot!(report);
}

#[test]
fn a_50_mb_chapter_is_checked_to_its_last_line() {
    let paragraph =
        "Prose with `code << 2`, Vec<Vec<T>>, *emphasis* and [a link](https://example.com).\n\n";
    let paragraphs = 50_000_000 / paragraph.len();
    let mut chapter = String::from("# Chapter\n\n<<compare speed>>\n\n");
    chapter.push_str(&paragraph.repeat(paragraphs));
    chapter.push_str("<<compare speeed>>\n");
    // Four lines of heading and directive, two per paragraph, then the wrong directive.
    let line = 4 + 2 * paragraphs + 1;
    let book = Book::case("");
    book.write("src/chapter.md", &chapter);
    // How long it takes is measured by the benchmarks (BENCHMARKS.md), not here.
    book.fails(
        "unknown dimension `speeed`",
        &format!("src/chapter.md:{line}:11"),
    );
}

#[test]
fn a_chapter_of_mistakes_reports_the_first_50() {
    let book = Book::case("");
    book.write(
        "src/chapter.md",
        "See <<compare speed>> here.\n".repeat(100_000),
    );
    let report = book.fails(
        "a directive must stand alone on its line",
        "src/chapter.md:1:5",
    );
    assert!(
        report.contains("src/chapter.md: 99950 more not shown (only the first 50 of a file are)"),
        "{}",
        &report[report.len().saturating_sub(500)..]
    );
    assert!(report.ends_with("mdbook-compare: 100000 errors, 0 warnings\n"));
}

// What must work.

#[test]
fn ids_prefixing_each_other_are_all_found() {
    let book = Book::case("ids-prefixing-each-other");
    let checked = check(book.root(), &[]);
    assert!(
        checked.status.success() && checked.stderr.is_empty(),
        "{}",
        stderr(&checked)
    );
    let out = run_preprocessor(book.root(), "html");
    let book_json = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    for id in ["cmp-dimension-speed-up", "cmp-matrix-speed-speed-up"] {
        assert!(book_json.contains(id), "no {id}");
    }
}

// Directives that do expand where they stand.

#[test]
fn directives_in_list_items_expand() {
    let html = built_chapter(&Book::case("in-list-item"));
    assert!(
        html.contains("<li>\n<p>First, the numbers:</p>\n<div class=\"cmp cmp-benchmark\" id=\"cmp-benchmark-hello\">"),
        "{html}"
    );
    assert!(
        html.contains("<li>\n<p>Then the verdict:</p>\n<div class=\"cmp cmp-dimension\" id=\"cmp-dimension-speed\">"),
        "{html}"
    );
}

#[test]
fn directives_in_blockquotes_expand() {
    let html = built_chapter(&Book::case("in-blockquote"));
    assert!(
        html.contains("<blockquote>\n<p>Quoted:</p>\n<div class=\"cmp cmp-dimension\" id=\"cmp-dimension-speed\">"),
        "{html}"
    );
}

/// The book built through mdBook (in process, with the test-built preprocessor), after
/// checking that neither run reports anything: its `chapter.html`.
fn built_chapter(book: &Book) -> String {
    let checked = check(book.root(), &[]);
    assert!(
        checked.status.success() && checked.stderr.is_empty(),
        "{}",
        stderr(&checked)
    );
    let out = tempfile::tempdir().unwrap();
    common::build(book.root(), out.path()).expect("the book builds");
    common::page(out.path(), "chapter.html")
}

// The command line.

#[test]
fn help_and_usage_errors_end_with_a_line_break() {
    let help = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(
        text.ends_with("  mdbook-compare --version | --help\n"),
        "{text:?}"
    );
    for args in [
        &["--nope"][..],
        &["check", "a", "b"],
        &["install", "--nope"],
    ] {
        let usage = Command::new(BINARY).args(args).output().unwrap();
        assert_eq!(usage.status.code(), Some(2), "{args:?}");
        let text = stderr(&usage);
        assert!(
            text.starts_with("error: unexpected arguments"),
            "{args:?}: {text:?}"
        );
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{args:?}: {text:?}"
        );
    }
    // Run by hand, as a preprocessor without mdBook's input: the message and its help.
    for input in [&b""[..], b"<html>not json</html>", b"[{}, {}]"] {
        let out = pipe(input, &[]);
        assert_eq!(out.status.code(), Some(1));
        let text = stderr(&out);
        let last = text.lines().last().unwrap_or_default();
        assert!(last.starts_with(" = help: "), "{text:?}");
        assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text:?}");
    }
}

// mdBook's input.

/// The base book and mdBook's JSON input for it (which names the book's folder: keep the
/// book while the input is used).
fn base_input() -> (Book, Vec<u8>) {
    let book = Book::case("");
    let input = common::preprocessor_input(book.root(), "html");
    (book, input)
}

/// The base book's input with mdBook's version replaced, run through the preprocessor.
fn run_with_version(version: &str) -> Output {
    let (_book, input) = base_input();
    let input = String::from_utf8(input).unwrap();
    let current = format!(
        "\"mdbook_version\":\"{}\"",
        mdbook_preprocessor::MDBOOK_VERSION
    );
    assert!(input.contains(&current));
    let input = input.replace(&current, &format!("\"mdbook_version\":\"{version}\""));
    pipe(input.as_bytes(), &[])
}

const STDIN: &str = "<standard input from mdBook>";

#[test]
fn input_from_mdbook_0_4_is_an_error_naming_both_versions() {
    let input = fs::read(cases_dir().join("mdbook-0.4.40-input.json")).unwrap();
    let out = pipe(&input, &[]);
    let headline = format!(
        "error: this input comes from mdBook 0.4.40, but mdbook-compare reads mdBook {}'s format",
        mdbook_preprocessor::MDBOOK_VERSION
    );
    assert_reported(&out, 1, &headline, STDIN);
    assert!(out.stdout.is_empty());
}

#[test]
fn input_from_another_minor_version_is_a_warning() {
    let out = run_with_version("0.6.0");
    let headline = format!(
        "warning: mdBook 0.6.0 is running mdbook-compare, which was built for mdBook {}",
        mdbook_preprocessor::MDBOOK_VERSION
    );
    assert_reported(&out, 0, &headline, STDIN);
    assert!(!out.stdout.is_empty(), "the book is still expanded");
}

#[test]
fn input_from_another_patch_version_is_fine() {
    let out = run_with_version("0.5.0");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        stderr(&out)
    );
}

#[test]
fn truncated_input() {
    let (_book, input) = base_input();
    let out = pipe(&input[..input.len() / 2], &[]);
    let report = stderr(&out);
    let headline = report.lines().next().unwrap_or_default();
    assert!(
        headline.starts_with("error: the input from mdBook ends early (line 1, column ")
            && headline.ends_with("): was it cut short?"),
        "{report}"
    );
    assert_reported(&out, 1, headline, STDIN);
    assert!(out.stdout.is_empty());
}

#[test]
fn input_that_is_not_json() {
    let out = pipe(b"<html>not json</html>", &[]);
    let report = stderr(&out);
    let headline = report.lines().next().unwrap_or_default();
    assert!(
        headline.starts_with("error: the input is not mdBook's preprocessor JSON: "),
        "{report}"
    );
    assert_reported(&out, 1, headline, STDIN);
}

// The real `mdbook build`.

/// Every file under `dir` with its contents and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let modified = fs::metadata(&path).unwrap().modified().unwrap();
                files.push((path.clone(), fs::read(&path).unwrap(), modified));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_failed_mdbook_build_leaves_the_previous_book_as_it_was() {
    let Some(mdbook) = common::program_or_skip("mdbook", "cargo install mdbook --locked") else {
        return;
    };
    let book = Book::case("");
    let first = mdbook_build(&mdbook, book.root(), &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let output = book.root().join("book");
    let before = snapshot(&output);
    let chapter = fs::read_to_string(output.join("chapter.html")).unwrap();
    assert!(
        chapter.contains("id=\"cmp-dimension-speed\""),
        "the override ran our binary"
    );

    book.write(
        "data/dimensions/speed.toml",
        fs::read(cases_dir().join("malformed-toml/data/dimensions/speed.toml")).unwrap(),
    );
    let second = mdbook_build(&mdbook, book.root(), &[]);
    assert_reported(
        &second,
        101,
        "error: invalid basic string, expected `\"`",
        "data/dimensions/speed.toml:1:15",
    );
    assert!(
        snapshot(&output) == before,
        "book/ changed after a failed build"
    );
}

#[test]
fn mdbook_build_prints_warnings_and_denies_them_on_request() {
    let Some(mdbook) = common::program_or_skip("mdbook", "cargo install mdbook --locked") else {
        return;
    };
    let book = Book::case("stale-as-of");
    let at = "data/dimensions/speed.toml:5:9";
    let built = mdbook_build(&mdbook, book.root(), &[]);
    assert_reported(&built, 0, &stale_headline(), at);
    assert!(book.root().join("book/chapter.html").is_file());
    let denied = mdbook_build(
        &mdbook,
        book.root(),
        &[("MDBOOK_PREPROCESSOR__COMPARE__DENY_WARNINGS", "true")],
    );
    assert_reported(&denied, 101, &stale_headline(), at);
}
