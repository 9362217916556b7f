//! The JSON Schemas under `data/schemas/` and what editors do with them: the committed schemas
//! match the dataset's types, every data file names the right one, and taplo (when installed)
//! accepts the dataset and flags a mistyped key.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

/// The repository's root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The datasets in this repository: the book's, and the example's.
const DATASETS: [&str; 2] = ["data", "examples/minimal/data"];

/// The schema of the data file at `file` (relative to the data folder).
fn schema_for(file: &str) -> Option<&'static str> {
    match file.split_once('/') {
        Some(("dimensions", _)) => Some("dimension.json"),
        Some(("benchmarks", _)) => Some("benchmark.json"),
        Some(_) => None,
        None => match file {
            "languages.toml" => Some("languages.json"),
            "categories.toml" => Some("categories.json"),
            "quick-takes.toml" => Some("quick-takes.json"),
            _ => None,
        },
    }
}

#[test]
fn committed_schemas_match_the_types() {
    let generated = tempfile::tempdir().unwrap();
    mdbook_compare::schema(generated.path()).unwrap();
    let mut names: Vec<String> = fs::read_dir(generated.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    for data in DATASETS {
        let dir = root().join(data).join("schemas");
        let stale: Vec<&String> = names
            .iter()
            .filter(|name| {
                fs::read_to_string(dir.join(name)).ok()
                    != fs::read_to_string(generated.path().join(name)).ok()
            })
            .collect();
        assert!(
            stale.is_empty(),
            "{data}/schemas/ is out of date with preprocessor/dataset/model.rs: {stale:?}\n\
             regenerate it with `cargo run --quiet -- schema {data}/schemas` and commit the result"
        );
    }
}

/// Every TOML file under `data`, as paths relative to it with `/` separators.
fn data_files(data: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(data.join(&folder)).unwrap() {
            let relative = folder.join(entry.unwrap().file_name());
            if data.join(&relative).is_dir() {
                folders.push(relative);
            } else if relative.extension().is_some_and(|e| e == "toml") {
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_data_file_names_its_schema() {
    for data in DATASETS {
        let data = root().join(data);
        let files = data_files(&data);
        assert!(!files.is_empty(), "no data files under {}", data.display());
        for file in files {
            let expected_schema = schema_for(&file)
                .unwrap_or_else(|| panic!("{file}: not a known kind of data file"));
            let up = "../".repeat(file.matches('/').count());
            let expected = format!("#:schema {up}schemas/{expected_schema}");
            let text = fs::read_to_string(data.join(&file)).unwrap();
            assert_eq!(
                text.lines().next(),
                Some(expected.as_str()),
                "first line of {}",
                data.join(&file).display()
            );
        }
    }
}

/// Runs `taplo check` on `files` in `dir`, returning whether it passed and what it printed.
fn taplo_check(taplo: &Path, dir: &Path, files: &[&str]) -> (bool, String) {
    let output = Command::new(taplo)
        .arg("check")
        .args(files)
        .current_dir(dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("taplo runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

#[test]
fn taplo_accepts_the_dataset() {
    let Some(taplo) = common::program_or_skip("taplo", "cargo install taplo-cli --locked") else {
        return;
    };
    let (passed, printed) = taplo_check(&taplo, root(), &[]);
    assert!(passed, "taplo check failed on the dataset:\n{printed}");
}

#[test]
fn taplo_flags_a_mistyped_key() {
    let Some(taplo) = common::program_or_skip("taplo", "cargo install taplo-cli --locked") else {
        return;
    };
    let book = tempfile::tempdir().unwrap();
    let data = book.path().join("data");
    fs::create_dir_all(data.join("dimensions")).unwrap();
    mdbook_compare::schema(&data.join("schemas")).unwrap();
    let good = fs::read_to_string(root().join("data/dimensions/tooling.toml")).unwrap();
    let typo = good.replacen("\nverdict = ", "\nverdikt = ", 1);
    assert_ne!(good, typo, "the fixture has a `verdict` key to misspell");
    fs::write(data.join("dimensions/tooling.toml"), typo).unwrap();

    let (passed, printed) = taplo_check(&taplo, book.path(), &["data/dimensions/tooling.toml"]);
    assert!(!passed, "taplo accepted a misspelled key:\n{printed}");
    assert!(printed.contains("verdikt"), "{printed}");
}
