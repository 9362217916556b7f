//! Reading and writing outside the book (issue 21, items 4, 5, 6 and 9): a pull request may
//! commit symbolic links, `{{#include}}` paths and SUMMARY entries that lead anywhere on the
//! machine that builds it. `mdbook-compare schema` writes only regular files inside its folder;
//! the data folder and a benchmark's raw figures stay inside the book; `check` guards the book
//! against what mdBook itself would read or publish, and runs none of the book's commands.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::{self, BINARY, Book, check, stderr};

/// A secret outside the book, in its own temporary folder next to the book's.
fn outside(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("outside folder");
    fs::write(dir.path().join("secret.txt"), text).expect("write the secret");
    dir
}

/// Asserts that `output` failed and reported `expected` (each a headline and the place it points
/// at, `file[:line:column]`), and never quoted `secret`. Returns the report.
fn refused(output: &Output, expected: &[(&str, &str)], secret: &str) -> String {
    let report = stderr(output);
    assert!(!output.status.success(), "expected a failure:\n{report}");
    let lines: Vec<&str> = report.lines().collect();
    for (headline, at) in expected {
        let located = lines.windows(2).any(|pair| {
            pair[0].starts_with(&format!("error: {headline}"))
                && pair[1].trim_start().strip_prefix("--> ") == Some(at)
        });
        assert!(located, "expected `{headline}` at {at}, got:\n{report}");
    }
    assert!(secret.is_empty() || !report.contains(secret), "{report}");
    report
}

/// Runs `mdbook-compare schema DIR` in the folder `cwd`.
fn schema(cwd: &Path, dir: &str) -> Output {
    Command::new(BINARY)
        .args(["schema", dir])
        .current_dir(cwd)
        .output()
        .expect("run mdbook-compare schema")
}

// Item 4: `schema DIR` writes only regular files inside DIR.

#[test]
fn schema_replaces_a_linked_schema_file_and_leaves_its_target_alone() {
    let elsewhere = outside("precious\n");
    let target = elsewhere.path().join("secret.txt");
    let repo = tempfile::tempdir().expect("repository");
    fs::create_dir_all(repo.path().join("data/schemas")).unwrap();
    symlink(&target, repo.path().join("data/schemas/benchmark.json")).unwrap();

    let output = schema(repo.path(), "data/schemas");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&target).unwrap(), "precious\n");
    let written = repo.path().join("data/schemas/benchmark.json");
    assert!(fs::symlink_metadata(&written).unwrap().is_file());
    assert!(
        fs::read_to_string(&written)
            .unwrap()
            .contains("\"$schema\"")
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("wrote data/schemas/benchmark.json (a symbolic link was there"),
        "{said}"
    );
    assert!(
        said.contains("wrote data/schemas/dimension.json\n"),
        "{said}"
    );
    let names: Vec<String> = fs::read_dir(repo.path().join("data/schemas"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 5, "no temporary file is left: {names:?}");
}

#[test]
fn schema_refuses_a_linked_folder_and_writes_nothing() {
    let elsewhere = tempfile::tempdir().expect("outside folder");
    let repo = tempfile::tempdir().expect("repository");
    fs::create_dir(repo.path().join("data")).unwrap();
    symlink(elsewhere.path(), repo.path().join("data/schemas")).unwrap();

    let output = schema(repo.path(), "data/schemas");
    refused(
        &output,
        &[(
            "`data/schemas` is a symbolic link: nothing was written",
            "data/schemas",
        )],
        "",
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

#[test]
fn schema_refuses_a_folder_that_leads_out_through_a_link() {
    let elsewhere = tempfile::tempdir().expect("outside folder");
    let repo = tempfile::tempdir().expect("repository");
    symlink(elsewhere.path(), repo.path().join("data")).unwrap();

    let output = schema(repo.path(), "data/schemas");
    refused(
        &output,
        &[(
            "`data/schemas` leads out of the current folder through the symbolic link `data`",
            "data",
        )],
        "",
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

// Item 5: the data folder resolves inside the book, unless book.toml names a place outside.

/// The fixture book with its data moved to `elsewhere/data`.
fn book_with_data_elsewhere(elsewhere: &Path) -> Book {
    let book = Book::fixture("basic");
    common::copy_dir(&book.root().join("data"), &elsewhere.join("data"));
    fs::remove_dir_all(book.root().join("data")).unwrap();
    book
}

#[test]
fn a_data_folder_linked_out_of_the_book_is_refused_unread() {
    let elsewhere = tempfile::tempdir().expect("outside folder");
    let book = book_with_data_elsewhere(elsewhere.path());
    let secret = "TOKEN-hunter2 = [";
    fs::write(elsewhere.path().join("data/categories.toml"), secret).unwrap();
    symlink(elsewhere.path().join("data"), book.root().join("data")).unwrap();

    refused(
        &book.check(),
        &[(
            "the data folder `data` leads out of the book through the symbolic link `data`",
            "data",
        )],
        "hunter2",
    );
}

#[test]
fn a_data_folder_outside_named_in_book_toml_is_read() {
    let elsewhere = tempfile::tempdir().expect("outside folder");
    let book = book_with_data_elsewhere(elsewhere.path());
    book.configure(&format!(
        "data-dir = \"{}\"\n",
        elsewhere.path().join("data").display()
    ));
    let output = book.check();
    assert!(output.status.success(), "{}", stderr(&output));
}

// Item 6: a benchmark's `raw` file is checked wherever the data folder is.

#[test]
fn raw_figures_are_checked_when_the_data_folder_is_outside_the_book() {
    let elsewhere = tempfile::tempdir().expect("outside folder");
    let secrets = outside("runs\n");
    let book = book_with_data_elsewhere(elsewhere.path());
    book.configure(&format!(
        "data-dir = \"{}\"\n",
        elsewhere.path().join("data").display()
    ));
    let benchmark = elsewhere.path().join("data/benchmarks/hello.toml");
    let text = fs::read_to_string(&benchmark).unwrap();
    fs::write(&benchmark, format!("raw = \"bench/missing.csv\"\n{text}")).unwrap();
    fs::create_dir(book.root().join("bench")).unwrap();
    symlink(
        secrets.path().join("secret.txt"),
        book.root().join("bench/linked.csv"),
    )
    .unwrap();
    let shown = format!("{}:1:7", benchmark.display());
    refused(
        &book.check(),
        &[(
            "`bench/missing.csv` cannot be the raw figures: it does not exist",
            &shown,
        )],
        "",
    );

    fs::write(&benchmark, format!("raw = \"bench/linked.csv\"\n{text}")).unwrap();
    refused(
        &book.check(),
        &[(
            "`bench/linked.csv` cannot be the raw figures: it leads out of the book",
            &shown,
        )],
        "",
    );

    fs::write(book.root().join("bench/runs.csv"), "1\n").unwrap();
    fs::write(&benchmark, format!("raw = \"bench/runs.csv\"\n{text}")).unwrap();
    let output = book.check();
    assert!(output.status.success(), "{}", stderr(&output));
}

// Item 9: the guard `check` runs before mdBook loads the book.

#[test]
fn check_refuses_a_symbolic_link_in_src() {
    let elsewhere = outside("hunter2\n");
    let book = Book::fixture("basic");
    symlink(
        elsewhere.path().join("secret.txt"),
        book.root().join("src/notes.txt"),
    )
    .unwrap();
    refused(
        &book.check(),
        &[("`src/notes.txt` is a symbolic link", "src/notes.txt")],
        "hunter2",
    );
}

#[test]
fn check_refuses_includes_that_read_outside_the_book() {
    let elsewhere = outside("hunter2\n");
    let name = elsewhere.path().file_name().unwrap().to_string_lossy();
    let book = Book::fixture("basic");
    let chapter = fs::read_to_string(book.root().join("src/chapter.md")).unwrap();
    let lines = chapter.lines().count();
    fs::create_dir_all(book.root().join(".git")).unwrap();
    fs::write(book.root().join(".git/config"), "token\n").unwrap();
    symlink(elsewhere.path(), book.root().join("lib")).unwrap();
    book.write(
        "src/chapter.md",
        format!(
            "{chapter}\n{{{{#include {}}}}}\n\
             {{{{ #include ../../{name}/secret.txt:1:2 }}}}\n\
             {{{{#rustdoc_include ../.git/config}}}}\n\
             x {{{{#playground ../lib/secret.txt editable}}}}\n\
             {{{{#include part.md}}}}\n\
             \\{{{{#include /etc/escaped-and-not-read}}}}\n",
            elsewhere.path().join("secret.txt").display()
        ),
    );
    book.write(
        "src/part.md",
        format!("Nested:\n{{{{#include ../../{name}/secret.txt}}}}\n"),
    );
    let at = |line: usize, column: usize| format!("src/chapter.md:{}:{column}", lines + line);
    refused(
        &book.check(),
        &[
            (
                "`{{#include}}` reads a file outside the book: the path is absolute",
                &at(2, 12),
            ),
            (
                "`{{#include}}` reads a file outside the book: its `..` lead out of the book",
                &at(3, 13),
            ),
            (
                "`{{#rustdoc_include}}` reads a file outside the book: `.git` is hidden",
                &at(4, 20),
            ),
            (
                "`{{#playground}}` reads a file outside the book: it leads out of the book \
                 through a symbolic link",
                &at(5, 17),
            ),
            (
                "`{{#include}}` reads a file outside the book: its `..` lead out of the book",
                "src/part.md:2:12",
            ),
        ],
        "hunter2",
    );
}

#[test]
fn check_passes_includes_inside_the_book() {
    let book = Book::fixture("basic");
    book.configure("after = [\"links\"]\n");
    book.write("shared/part.md", "Shared text.\n{{#include more.md}}\n");
    book.write("shared/more.md", "More.\n");
    let chapter = fs::read_to_string(book.root().join("src/nested.md")).unwrap();
    book.write(
        "src/nested.md",
        format!("{chapter}\n{{{{#include ../shared/part.md}}}}\n"),
    );
    let output = book.check();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn check_refuses_summary_paths_that_leave_src_or_are_not_plain() {
    let elsewhere = tempfile::tempdir().expect("outside folder");
    let name = elsewhere.path().file_name().unwrap().to_string_lossy();
    let book = Book::fixture("basic");
    book.write(
        "src/SUMMARY.md",
        format!(
            "# Summary\n\n- [Every directive](chapter.md)\n    - [Nested chapter](nested.md)\n\
             - [Out](../../{name}/created.md)\n\
             - [Script](javascript:void(0)<!--.md)\n\
             - [Spaced](a%20b.md)\n"
        ),
    );
    refused(
        &book.check(),
        &[
            (
                &format!(
                    "the chapter path `../../{name}/created.md` is not a plain path inside \
                     `src/`: its `..` lead out of the folder"
                ),
                "src/SUMMARY.md:5:9",
            ),
            (
                "the chapter path `javascript:void(0)<!--.md` is not a plain path inside \
                 `src/`: a `:` before the first `/` reads as a URL scheme",
                "src/SUMMARY.md:6:12",
            ),
            (
                "the chapter path `a b.md` is not a plain path inside `src/`: ` ` is not allowed",
                "src/SUMMARY.md:7:12",
            ),
        ],
        "",
    );
    assert!(
        !elsewhere.path().join("created.md").exists(),
        "check created a chapter outside the book"
    );
    assert!(!book.root().join("src/a b.md").exists());
}

#[test]
fn check_runs_none_of_the_books_commands() {
    let elsewhere = tempfile::tempdir().expect("outside folder");
    let marker = elsewhere.path().join("ran");
    let book = Book::fixture("basic");
    book.configure(&format!(
        "\n[preprocessor.aaa-probe]\ncommand = \"touch {}\"\n",
        marker.display()
    ));
    let output = check(book.root(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!marker.exists(), "check ran a command of the book");
    let report = stderr(&output);
    assert!(
        report.contains(
            "warning: `[preprocessor.aaa-probe]` was not run: a build may run it before \
             `compare`"
        ),
        "{report}"
    );
    let denied = check(book.root(), &["--deny-warnings"]);
    assert!(!denied.status.success());
    assert!(!marker.exists(), "check ran a command of the book");
}

#[test]
fn check_refuses_stylesheets_and_scripts_from_outside_the_book() {
    let elsewhere = outside("hunter2\n");
    let name = elsewhere.path().file_name().unwrap().to_string_lossy();
    let book = Book::fixture("basic");
    let lines = fs::read_to_string(book.root().join("book.toml"))
        .unwrap()
        .lines()
        .count();
    book.configure(&format!(
        "[output.html]\nadditional-css = [\"../{name}/secret.txt\"]\nadditional-js = [\".git/hooks.js\"]\n"
    ));
    refused(
        &book.check(),
        &[
            (
                "`additional-css` names a file outside the book: its `..` lead out of the book",
                &format!("book.toml:{}:19", lines + 2),
            ),
            (
                "`additional-js` names a file outside the book: `.git` is hidden",
                &format!("book.toml:{}:18", lines + 3),
            ),
        ],
        "hunter2",
    );
}

#[test]
fn check_refuses_a_linked_book_toml_without_quoting_it() {
    let elsewhere = outside("[book\nTOKEN = \"hunter2\"\n");
    let book = Book::fixture("basic");
    fs::remove_file(book.root().join("book.toml")).unwrap();
    symlink(
        elsewhere.path().join("secret.txt"),
        book.root().join("book.toml"),
    )
    .unwrap();
    refused(
        &book.check(),
        &[("`book.toml` is a symbolic link", "book.toml")],
        "hunter2",
    );
}
