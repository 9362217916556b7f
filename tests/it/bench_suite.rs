//! The benchmark suite's output, read back by the dataset's own checks.
//!
//! `bench/run --from-raw` rewrites every benchmark file from the committed raw runs
//! (`bench/results/*.json`) into a temporary book: the files must come out exactly as committed
//! in `data/benchmarks/` (so every committed median, min and max is the raw runs'), and the book
//! must pass `mdbook-compare check`. A language the suite does not measure must survive a rewrite.
//!
//! The smoke run of the whole suite takes minutes (it builds actix-web four ways the first time),
//! so it runs only when `MDBOOK_COMPARE_BENCH_SMOKE=1` is set; otherwise, and when the runner
//! reports a missing prerequisite, it passes after printing that it was skipped and why.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common;

/// The runner's exit status for a missing prerequisite (`EXIT_MISSING_PREREQUISITES`).
const MISSING_PREREQUISITES: i32 = 3;

/// The benchmark file of the suite that no raw run writes: published figures, typed by hand.
const PUBLISHED: &str = "tasks-memory-published";

/// The ids of the committed raw runs, sorted.
fn raw_ids() -> Vec<String> {
    let results = common::repo_root().join("bench/results");
    let mut ids: Vec<String> = fs::read_dir(&results)
        .unwrap_or_else(|err| panic!("{}: {err}", results.display()))
        .map(|entry| entry.expect("folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            path.file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    ids.sort();
    ids
}

/// The committed benchmark file of `id`.
fn committed(id: &str) -> PathBuf {
    common::repo_root()
        .join("data/benchmarks")
        .join(format!("{id}.toml"))
}

/// A temporary book with the repository's languages, the committed benchmark files of `ids`,
/// and one chapter that shows each of them.
fn book_with(ids: &[&str]) -> tempfile::TempDir {
    let book = tempfile::tempdir().expect("temporary folder");
    let root = book.path();
    fs::create_dir_all(root.join("src")).expect("src folder");
    fs::create_dir_all(root.join("data/benchmarks")).expect("benchmarks folder");
    fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Suite\"\nsrc = \"src\"\n\n[preprocessor.compare]\ndata-dir = \"data\"\n",
    )
    .expect("book.toml");
    fs::copy(
        common::repo_root().join("data/languages.toml"),
        root.join("data/languages.toml"),
    )
    .expect("languages.toml");
    let mut chapter = String::from("# Benchmarks\n");
    for &id in ids {
        let target = root.join("data/benchmarks").join(format!("{id}.toml"));
        fs::copy(committed(id), &target)
            .unwrap_or_else(|err| panic!("{}: {err}", committed(id).display()));
        chapter.push_str(&format!("\n<<benchmark {id}>>\n"));
    }
    fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Benchmarks](benchmarks.md)\n",
    )
    .expect("SUMMARY.md");
    fs::write(root.join("src/benchmarks.md"), chapter).expect("chapter");
    book
}

/// Runs `bench/run` with `args`, writing into `book`.
fn runner(book: &Path, args: &[&str]) -> io::Result<Output> {
    Command::new("python3")
        .arg(common::repo_root().join("bench/run"))
        .args(args)
        .arg("--book")
        .arg(book)
        .output()
}

/// Fails unless `mdbook-compare check --deny-warnings` passes on `book`.
fn assert_checks(book: &Path) {
    let check = common::check(book, &["--deny-warnings"]);
    assert!(
        check.status.success(),
        "mdbook-compare check failed:\n{}",
        common::stderr(&check)
    );
}

/// Fails unless every value of every metric in `text` is a `{ median, min, max, runs }` table.
fn assert_spread_values(id: &str, text: &str) {
    let file: toml::Table = toml::from_str(text).unwrap_or_else(|err| panic!("{id}: {err}"));
    let metrics = file["metrics"].as_array().expect("metrics");
    assert!(!metrics.is_empty(), "{id} has metrics");
    for metric in metrics {
        for (language, value) in metric["values"].as_table().expect("values") {
            let table = value
                .as_table()
                .unwrap_or_else(|| panic!("{id} {}: {language} has no spread", metric["id"]));
            let mut keys: Vec<&str> = table.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["max", "median", "min", "runs"], "{id} {language}");
        }
    }
}

#[test]
fn committed_benchmark_files_are_their_raw_runs_and_pass_the_checks() {
    let ids = raw_ids();
    assert!(!ids.is_empty(), "bench/results has raw runs");
    let mut shown: Vec<&str> = ids.iter().map(String::as_str).collect();
    shown.push(PUBLISHED);
    let book = book_with(&shown);
    let run = runner(
        book.path(),
        &[
            "--from-raw",
            &common::repo_root().join("bench/results").to_string_lossy(),
        ],
    )
    .expect("run python3");
    assert!(
        run.status.success(),
        "bench/run --from-raw failed:\n{}",
        common::stderr(&run)
    );
    for id in &ids {
        let rewritten = fs::read_to_string(book.path().join(format!("data/benchmarks/{id}.toml")))
            .expect("rewritten file");
        let expected = fs::read_to_string(committed(id)).expect("committed file");
        assert_eq!(
            rewritten, expected,
            "data/benchmarks/{id}.toml differs from what bench/results/{id}.json gives"
        );
        assert_spread_values(id, &rewritten);
        assert!(
            book.path()
                .join(format!("bench/results/{id}.json"))
                .is_file(),
            "the raw file of {id} is in the book"
        );
    }
    assert_checks(book.path());
}

#[test]
fn a_rewrite_keeps_the_languages_it_does_not_measure() {
    let id = "http-json";
    let book = book_with(&[id]);
    let root = book.path();
    let languages = root.join("data/languages.toml");
    let mut text = fs::read_to_string(&languages).expect("languages.toml");
    text.push_str(
        "\n[[language]]\nid = \"zig\"\nname = \"Zig\"\ntagline = \"A third language, added by data.\"\nhomepage = \"https://ziglang.org/\"\n",
    );
    fs::write(&languages, text).expect("languages.toml");
    let file = root.join(format!("data/benchmarks/{id}.toml"));
    let text = fs::read_to_string(&file)
        .expect("benchmark file")
        .replace(
            "[setup]\n",
            "[setup]\nzig = \"A Zig server, measured by hand.\"\n",
        )
        .replace("[metrics.values]\n", "[metrics.values]\nzig = 42\n");
    fs::write(&file, text).expect("benchmark file");

    let raw = common::repo_root().join("bench/results");
    let run = runner(root, &["--from-raw", &raw.to_string_lossy(), id]).expect("run python3");
    assert!(
        run.status.success(),
        "bench/run --from-raw failed:\n{}",
        common::stderr(&run)
    );
    let rewritten: toml::Table =
        toml::from_str(&fs::read_to_string(&file).expect("rewritten file")).expect("TOML");
    assert_eq!(
        rewritten["setup"]["zig"].as_str(),
        Some("A Zig server, measured by hand.")
    );
    for metric in rewritten["metrics"].as_array().expect("metrics") {
        assert_eq!(
            metric["values"]
                .get("zig")
                .and_then(toml::Value::as_integer),
            Some(42),
            "{}",
            metric["id"]
        );
        assert!(metric["values"].get("rust").is_some(), "{}", metric["id"]);
    }
    assert_checks(root);
}

/// The runner's exit status when it refuses to publish (`EXIT_REFUSED`).
const REFUSED: i32 = 4;

#[test]
fn publishing_on_a_busy_machine_is_refused_with_the_reason_and_measures_nothing() {
    let id = "n-body";
    let book = book_with(&[id]);
    let committed_text = fs::read_to_string(committed(id)).expect("committed file");
    // The simulated reading can only raise the real one, so this is a busy machine whatever
    // this machine's load.
    let run = Command::new("python3")
        .arg(common::repo_root().join("bench/run"))
        .args([id, "--publish", "--quiet-timeout", "0", "--book"])
        .arg(book.path())
        .env("BENCH_SIMULATE_LOAD", "1000")
        .output()
        .expect("run python3");
    let stderr = common::stderr(&run);
    assert_eq!(run.status.code(), Some(REFUSED), "{stderr}");
    assert!(stderr.contains("refusing to publish"), "{stderr}");
    assert!(
        stderr.contains("the 1-minute load average is 1000, not below"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(book.path().join(format!("data/benchmarks/{id}.toml")))
            .expect("benchmark file"),
        committed_text,
        "the book's file is untouched"
    );
    assert!(
        !book.path().join("bench").exists(),
        "no raw file was written"
    );
}

/// Says why the smoke test did not run, straight to stderr (past the harness's capture).
fn skip(why: &str) {
    let _ = writeln!(io::stderr(), "SKIPPED bench_suite smoke: {why}");
}

#[test]
fn smoke_run_of_the_whole_suite_passes_the_checks() {
    if std::env::var("MDBOOK_COMPARE_BENCH_SMOKE").as_deref() != Ok("1") {
        return skip("it takes minutes; set MDBOOK_COMPARE_BENCH_SMOKE=1 to run it");
    }
    let ids = raw_ids();
    let book = book_with(&ids.iter().map(String::as_str).collect::<Vec<_>>());
    let run = match runner(book.path(), &["--smoke"]) {
        Ok(run) => run,
        Err(err) => return skip(&format!("python3 could not be started: {err}")),
    };
    if run.status.code() == Some(MISSING_PREREQUISITES) {
        return skip(common::stderr(&run).trim());
    }
    assert!(
        run.status.success(),
        "bench/run --smoke failed:\n{}",
        common::stderr(&run)
    );
    for id in &ids {
        let text = fs::read_to_string(book.path().join(format!("data/benchmarks/{id}.toml")))
            .expect("smoke output");
        assert!(
            text.contains(&format!("reproduce = \"bench/run {id} --smoke\"")),
            "{id} is marked as a smoke run"
        );
        assert_spread_values(id, &text);
    }
    assert_checks(book.path());
}
