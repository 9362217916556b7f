//! "view data" and "suggest a change": with `git-repository-url` set, every table links to its
//! TOML file on the repository and to a new issue naming it, in HTML and in Markdown; without
//! it, no links at all.

use std::fs;
use std::io::Write;

use crate::common::{build, copy_to_temp, fixture, page, run_preprocessor, stderr};

const REPOSITORY: &str = "https://github.com/example/compare";

/// The basic fixture book with `git-repository-url` set.
fn fixture_with_repository() -> tempfile::TempDir {
    let book = copy_to_temp(&fixture("basic"));
    let mut config = fs::OpenOptions::new()
        .append(true)
        .open(book.path().join("book.toml"))
        .unwrap();
    writeln!(
        config,
        "\n[output.html]\ngit-repository-url = \"{REPOSITORY}/\""
    )
    .unwrap();
    book
}

#[test]
fn html_tables_link_to_their_data_file_and_a_new_issue() {
    let book = fixture_with_repository();
    let out = tempfile::tempdir().unwrap();
    build(book.path(), out.path()).unwrap();
    let html = page(out.path(), "chapter.html");
    for file in [
        "dimensions/speed.toml",
        "dimensions/onboarding.toml",
        "benchmarks/hello.toml",
        "quick-takes.toml",
    ] {
        let view = format!("<a href=\"{REPOSITORY}/blob/main/data/{file}\">view data</a>");
        assert!(html.contains(&view), "a link to {file}");
    }
    let issue = format!(
        "<a href=\"{REPOSITORY}/issues/new?title=Suggested%20change%3A%20dimension%20%22speed%22&amp;body=Data%20file%3A%20data%2Fdimensions%2Fspeed.toml"
    );
    assert!(html.contains(&issue), "an issue link with the id and file");
    assert!(html.contains(&format!(
        "href=\"{REPOSITORY}/issues/new?title=Suggested%20change%3A%20quick%20takes&amp;body="
    )));
}

#[test]
fn a_benchmark_s_raw_runs_link_to_their_file() {
    let book = fixture_with_repository();
    fs::create_dir(book.path().join("bench")).unwrap();
    fs::write(book.path().join("bench/hello runs.csv"), "run,ms\n1,2\n").unwrap();
    let data = book.path().join("data/benchmarks/hello.toml");
    let toml = fs::read_to_string(&data).unwrap();
    fs::write(&data, format!("raw = \"bench/hello runs.csv\"\n{toml}")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(book.path(), out.path()).unwrap();
    let html = page(out.path(), "chapter.html");
    let link = format!("href=\"{REPOSITORY}/blob/main/bench/hello%20runs.csv\"");
    assert!(html.contains(&link), "{html}");
    let output = run_preprocessor(book.path(), "markdown");
    let book_json = String::from_utf8(output.stdout).unwrap();
    let link = format!("(<{REPOSITORY}/blob/main/bench/hello%20runs.csv>");
    let bare = format!("({REPOSITORY}/blob/main/bench/hello%20runs.csv");
    assert!(
        book_json.contains(&link) || book_json.contains(&bare),
        "{book_json}"
    );
}

#[test]
fn markdown_tables_link_too() {
    let book = fixture_with_repository();
    let output = run_preprocessor(book.path(), "markdown");
    assert!(output.status.success(), "{}", stderr(&output));
    let book_json = String::from_utf8(output.stdout).unwrap();
    let view = format!("[view data]({REPOSITORY}/blob/main/data/dimensions/speed.toml)");
    assert!(book_json.contains(&view), "{book_json}");
    let issue = format!(
        "[suggest a change]({REPOSITORY}/issues/new?title=Suggested%20change%3A%20benchmark%20%22hello%22&body="
    );
    assert!(book_json.contains(&issue), "{book_json}");
}

#[test]
fn without_a_repository_url_there_are_no_links() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("basic"), out.path()).unwrap();
    let html = page(out.path(), "chapter.html");
    assert!(!html.contains("cmp-data-link"));
    assert!(!html.contains("suggest a change"));
}
