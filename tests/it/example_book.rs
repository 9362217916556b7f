//! The example book under `examples/minimal/`, built through mdBook: another pair of languages
//! works from data alone, and the site publishes its dataset as `data.json`.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{self, Book, repo_root, site};

fn example() -> std::path::PathBuf {
    repo_root().join("examples/minimal")
}

/// Builds a copy of the example and returns it with its `data.json`.
fn built() -> (Book, Value) {
    let book = Book::copy(&example());
    let data = data_json(&book);
    (book, data)
}

/// Builds `book` and returns its `data.json`.
fn data_json(book: &Book) -> Value {
    book.build().unwrap();
    let json = fs::read_to_string(site(&book.build_dir()).join("data.json")).expect("data.json");
    serde_json::from_str(&json).expect("data.json is JSON")
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| item["id"].as_str().expect("an id"))
        .collect()
}

#[test]
fn the_example_compares_its_own_languages() {
    let (book, _) = built();
    let index = book.page("index.html");
    for header in ["Python", "Ruby"] {
        assert!(
            index.contains(&format!("<th scope=\"col\">{header}</th>")),
            "a {header} column"
        );
    }
    assert!(
        !index.contains("<th scope=\"col\">Rust</th>"),
        "nothing of the main book leaks in"
    );
    assert!(index.contains("id=\"cmp-quick-takes\""));
    let dimensions = book.page("dimensions.html");
    assert!(dimensions.contains("id=\"cmp-dimension-typing\""));
    assert!(dimensions.contains("id=\"cmp-matrix-category-tooling\""));
}

#[test]
fn data_json_describes_the_build() {
    let (_book, data) = built();
    assert_eq!(data["format_version"], 1);
    let generated = data["generated"].as_str().expect("a build date");
    assert!(
        generated.len() == 10 && generated.as_bytes()[4] == b'-',
        "{generated}"
    );
    assert_eq!(ids(&data["languages"]), ["python", "ruby"]);
    assert_eq!(ids(&data["categories"]), ["language", "tooling"]);
    assert_eq!(data["quick_takes"].as_array().map(Vec::len), Some(2));
}

/// The example copied where no git checkout holds it (as in a release tarball): `data.json`
/// names no commit, and the build does not fail for want of one.
#[test]
fn data_json_names_no_commit_outside_a_git_checkout() {
    let book = Book::copy(&example());
    if let Some(git) = common::find("git") {
        let head = git_in(&git, book.root(), &["rev-parse", "--verify", "HEAD"]);
        assert!(
            !head.status.success(),
            "the temporary folder {} is inside a git checkout: set TMPDIR to a folder outside one",
            book.root().display()
        );
    }
    let data = data_json(&book);
    assert_eq!(data.get("commit"), None, "{data:#}");
    assert_eq!(ids(&data["languages"]), ["python", "ruby"]);
}

/// The example copied into a git checkout of its own: `data.json` names that checkout's commit.
#[test]
fn data_json_names_the_commit_of_the_checkout_holding_the_book() {
    let Some(git) = common::program_or_skip("git", "apt-get install git") else {
        return;
    };
    let book = Book::copy(&example());
    let committer = [
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "commit.gpgsign=false",
    ];
    for args in [
        &["init", "--quiet"][..],
        &["add", "--all"],
        &[
            &committer[..],
            &["commit", "--quiet", "--message", "example"],
        ]
        .concat(),
    ] {
        let run = git_in(&git, book.root(), args);
        assert!(
            run.status.success(),
            "git {args:?}: {}",
            common::stderr(&run)
        );
    }
    let head = git_in(&git, book.root(), &["rev-parse", "--verify", "HEAD"]);
    let head = String::from_utf8(head.stdout).unwrap().trim().to_string();
    let data = data_json(&book);
    assert_eq!(data["commit"].as_str(), Some(head.as_str()), "{data:#}");
}

/// Runs `git` with `args` in `dir`, with the user's and the system's git configuration ignored.
fn git_in(git: &Path, dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(git)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git")
}

#[test]
fn data_json_holds_each_data_file_as_written() {
    let (_book, data) = built();
    assert_eq!(ids(&data["dimensions"]), ["packaging", "typing"]);
    for published in data["dimensions"].as_array().unwrap() {
        let id = published["id"].as_str().unwrap();
        let mut fields = published.clone();
        fields.as_object_mut().unwrap().remove("id");
        let path = example().join("data/dimensions").join(format!("{id}.toml"));
        let from_toml: toml::Value = toml::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            fields,
            serde_json::to_value(from_toml).unwrap(),
            "{}",
            Path::new(&path).display()
        );
    }
}

#[test]
fn data_json_is_published_when_mdbook_builds_elsewhere() {
    let Some(mdbook) = common::program_or_skip("mdbook", "cargo install mdbook --locked") else {
        return;
    };
    let book = Book::copy(&example());
    let elsewhere = tempfile::tempdir().unwrap();
    let built = std::process::Command::new(mdbook)
        .arg("build")
        .arg(book.root())
        .arg("-d")
        .arg(elsewhere.path())
        .current_dir(elsewhere.path())
        .env("MDBOOK_PREPROCESSOR__COMPARE__COMMAND", common::BINARY)
        .env(
            "MDBOOK_OUTPUT__SITE_DATA__COMMAND",
            format!("{} site-data", common::BINARY),
        )
        .output()
        .expect("run mdbook build");
    assert!(built.status.success(), "{}", common::stderr(&built));
    let json = fs::read_to_string(elsewhere.path().join("html/data.json")).expect("data.json");
    let data: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(ids(&data["languages"]), ["python", "ruby"]);
}
