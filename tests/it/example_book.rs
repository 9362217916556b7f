//! The example book under `examples/minimal/`, built through mdBook: another pair of languages
//! works from data alone, and the site publishes its dataset as `data.json`.

use crate::common;

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{build, page, repo_root, site};

fn example() -> std::path::PathBuf {
    repo_root().join("examples/minimal")
}

/// Builds the example into a temporary folder and returns it with its `data.json`.
fn built() -> (tempfile::TempDir, Value) {
    let out = tempfile::tempdir().unwrap();
    build(&example(), out.path()).unwrap();
    let json = fs::read_to_string(site(out.path()).join("data.json")).expect("data.json");
    (out, serde_json::from_str(&json).expect("data.json is JSON"))
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
    let (out, _) = built();
    let index = page(out.path(), "index.html");
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
    let dimensions = page(out.path(), "dimensions.html");
    assert!(dimensions.contains("id=\"cmp-dimension-typing\""));
    assert!(dimensions.contains("id=\"cmp-matrix-category-tooling\""));
}

#[test]
fn data_json_describes_the_build() {
    let (_out, data) = built();
    assert_eq!(data["format_version"], 1);
    let generated = data["generated"].as_str().expect("a build date");
    assert!(
        generated.len() == 10 && generated.as_bytes()[4] == b'-',
        "{generated}"
    );
    // The example lives in this repository's git checkout, so the commit is known.
    let commit = data["commit"].as_str().expect("a commit");
    assert!(
        commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
        "{commit}"
    );
    assert_eq!(ids(&data["languages"]), ["python", "ruby"]);
    assert_eq!(ids(&data["categories"]), ["language", "tooling"]);
    assert_eq!(data["quick_takes"].as_array().map(Vec::len), Some(2));
}

#[test]
fn data_json_holds_each_data_file_as_written() {
    let (_out, data) = built();
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
    let book = common::copy_to_temp(&example());
    let elsewhere = tempfile::tempdir().unwrap();
    let built = std::process::Command::new(mdbook)
        .arg("build")
        .arg(book.path())
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
