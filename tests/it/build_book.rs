//! End-to-end: books built through mdBook itself with the test-built preprocessor. The whole
//! `<main>` of the fixture's chapter and the Markdown it becomes for other renderers are insta
//! snapshots (`cargo insta review` after a deliberate change); beside them, the properties a
//! snapshot cannot state (unique ids, text outside directives unchanged, a new language in every
//! table, a located error).

use std::fs;

use crate::common::{Book, build, page, repo_root, stderr};

/// The `<div class="cmp ...">` blocks of a page, in order, each up to its matching `</div>`.
fn blocks(html: &str) -> Vec<&str> {
    html.match_indices("<div class=\"cmp cmp-")
        .map(|(start, _)| {
            let mut depth = 0;
            let mut at = start;
            loop {
                let open = html[at..].find("<div").map(|i| at + i);
                let close = html[at..]
                    .find("</div>")
                    .map(|i| at + i)
                    .expect("a closing </div>");
                match open {
                    Some(open) if open < close => {
                        depth += 1;
                        at = open + 4;
                    }
                    _ => {
                        depth -= 1;
                        at = close + 6;
                        if depth == 0 {
                            return &html[start..at];
                        }
                    }
                }
            }
        })
        .collect()
}

/// The chapter contents the preprocessor sent back, by chapter order.
fn chapters(stdout: &[u8]) -> Vec<String> {
    let book: serde_json::Value = serde_json::from_slice(stdout).expect("the book as JSON");
    book["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["Chapter"]["content"].as_str().map(String::from))
        .collect()
}

#[test]
fn fixture_book_renders_every_directive_form() {
    let book = Book::fixture("basic");
    book.build().unwrap();
    let html = book.page("chapter.html");
    let mut anchors: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let count = anchors.len();
    anchors.sort_unstable();
    anchors.dedup();
    assert_eq!(anchors.len(), count, "every id on the page is unique");
    // Every directive form (alone, in a list item, in a block quote, repeated, inline), and
    // code, raw HTML and escapes left as written.
    insta::assert_snapshot!("basic_chapter_html", book.main("chapter.html"));
    assert_eq!(
        blocks(&book.page("nested.html")).len(),
        1,
        "nested chapters are expanded too"
    );
}

#[test]
fn text_outside_directives_comes_back_byte_for_byte() {
    let book = Book::fixture("basic");
    let output = book.preprocess("html");
    assert!(output.status.success(), "{}", stderr(&output));
    let content = &chapters(&output.stdout)[0];
    let source = fs::read_to_string(book.root().join("src/chapter.md")).unwrap();
    let first = source.find("<<compare speed>>").unwrap();
    assert_eq!(&content[..first], &source[..first]);
    let tail_start = source.find("Code is never touched").unwrap();
    let tail = &source[tail_start..];
    let tail = tail.replace("\\<<compare speed>> shows", "\\<\\<compare speed>> shows");
    assert!(
        content.ends_with(&tail),
        "everything after the last directive is unchanged"
    );
}

#[test]
fn other_renderers_get_github_flavoured_markdown() {
    let output = Book::fixture("basic").preprocess("markdown");
    assert!(output.status.success(), "{}", stderr(&output));
    let content = &chapters(&output.stdout)[0];
    assert!(
        !content.contains("<div class=\"cmp"),
        "no HTML for other renderers"
    );
    // Tables in GitHub's syntax, a list item's keeping its indent, a block quote's its `>`.
    insta::assert_snapshot!("basic_chapter_markdown", content);
}

#[test]
fn a_third_language_adds_a_column_to_every_table_without_code_changes() {
    let book = Book::fixture("basic");
    let data = book.root().join("data");
    let append = |file: &str, text: &str| {
        let path = data.join(file);
        let mut contents = fs::read_to_string(&path).unwrap();
        contents.push_str(text);
        fs::write(path, contents).unwrap();
    };
    append(
        "languages.toml",
        "\n[[language]]\nid = \"zig\"\nname = \"Zig\"\ntagline = \"Robust, optimal, reusable.\"\nhomepage = \"https://ziglang.org/\"\n",
    );
    for dimension in ["speed", "onboarding"] {
        let path = data.join(format!("dimensions/{dimension}.toml"));
        let contents = fs::read_to_string(&path).unwrap();
        fs::write(
            &path,
            contents
                .replace("[takes]\n", "[takes]\nzig = \"Zig take.\"\n")
                .replace("[summary]\n", "[summary]\nzig = \"Zig summary\"\n"),
        )
        .unwrap();
    }
    let path = data.join("benchmarks/hello.toml");
    let contents = fs::read_to_string(&path).unwrap();
    let contents = contents
        .replace("[setup]\n", "[setup]\nzig = \"std.http\"\n")
        .replace("rust = 510000\n", "rust = 510000\nzig = 400000\n");
    fs::write(&path, contents).unwrap();

    book.build().unwrap();
    let html = book.page("chapter.html");
    for block in blocks(&html) {
        if block.contains("cmp-quick-takes") {
            continue; // One row per situation, not a column per language.
        }
        assert!(block.contains(">Zig</th>"), "Zig missing in {block}");
    }
    assert!(html.contains("Zig take."));
}

#[test]
fn an_unknown_id_fails_the_build_naming_file_line_and_choices() {
    let book = Book::fixture("basic");
    book.write("src/nested.md", "# Nested\n\nText.\n\n<<compare nope>>\n");
    assert!(book.build().is_err(), "the build must fail");
    assert!(
        !book.build_dir().join("nested.html").exists(),
        "nothing half-written"
    );

    let output = book.preprocess("html");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no book on stdout after an error");
    let message = stderr(&output);
    assert!(
        message.contains("error: unknown dimension `nope`"),
        "{message}"
    );
    assert!(message.contains("src/nested.md:5:11"), "{message}");
    assert!(
        message.contains("valid dimension ids: `onboarding`, `speed`"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn the_real_book_builds() {
    let out = tempfile::tempdir().unwrap();
    build(&repo_root(), out.path()).unwrap();
    let glance = page(out.path(), "at-a-glance.html");
    assert!(glance.contains("id=\"cmp-glance\""));
    let guide = page(out.path(), "decision-guide.html");
    assert!(guide.contains("id=\"cmp-quick-takes\""));
    let suite = page(out.path(), "benchmark-suite.html");
    assert!(suite.contains("id=\"cmp-summary-of-benchmarks\""));
    // The cited figures come after every measured benchmark.
    let cited = suite
        .find("id=\"cmp-benchmark-http-json-cited\"")
        .expect("the cited benchmark");
    let measured = suite
        .find("id=\"cmp-benchmark-http-json\"")
        .expect("the measured one");
    assert!(
        measured < cited,
        "the unverified figures come after our own"
    );
    let contributing = page(out.path(), "contributing/directives.html");
    assert!(
        !contributing.contains("<div class=\"cmp "),
        "the directive docs show directives, not tables"
    );
}
