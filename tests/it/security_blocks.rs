//! Issue 21: a fence or raw HTML after a block directive stays what it is, whatever the
//! container prefixes around them (checked in the HTML mdBook builds); and the wrong or missing
//! messages of its item 8 that concern blocks, includes, SUMMARY.md and the Markdown renderer.

use std::fs;

use crate::common::{self, Book, check, stderr};

const PAYLOAD: &str = "<img src=x onerror=alert(1)>";

/// The base book with `chapter` as its chapter, built; the chapter's HTML page.
fn built(book: &Book, chapter: &str) -> String {
    book.write("src/chapter.md", format!("# Chapter\n\n{chapter}"));
    book.build().unwrap_or_else(|e| panic!("{chapter:?}: {e}"));
    book.page("chapter.html")
}

#[test]
fn a_fence_after_a_block_directive_stays_code_whatever_the_prefixes() {
    let fence = |prefix: &str| format!("{prefix}```html\n{prefix}{PAYLOAD}\n{prefix}```\n");
    let chapters = [
        format!(" <<compare speed>>\n{}", fence("")),
        format!("  <<compare speed>>\n{}", fence("")),
        format!("   <<compare speed>>\n{}", fence("")),
        format!("> <<compare speed>>\n{}", fence(">")),
        format!("> <<compare speed>>\n{}", fence(">  ")),
        format!(">  <<compare speed>>\n{}", fence("> ")),
        format!("- a\n\n- <<compare speed>>\n{}", fence("\t")),
        format!(
            "Text.[^1]\n\n[^1]: Note.\n\n    <<compare speed>>\n{}",
            fence("\t")
        ),
    ];
    for chapter in chapters {
        let book = Book::case("");
        let html = built(&book, &chapter);
        assert!(
            html.contains("<code class=\"language-html\">&lt;img src=x onerror=alert(1)&gt;"),
            "the fence is not code after {chapter:?}:\n{html}"
        );
        assert!(
            !html.contains(PAYLOAD),
            "the fence became HTML: {chapter:?}"
        );
    }
}

#[test]
fn a_heading_after_an_indented_block_directive_stays_a_heading() {
    let book = Book::case("");
    let html = built(&book, "   <<compare speed>>\n# Next\n");
    assert!(html.contains("<h1 id=\"next\">"), "{html}");
    assert!(!html.contains("# Next"), "{html}");
}

/// The base book, with mdBook's `links` (which splices `{{#include}}`s in) run before the
/// preprocessor.
fn book_with_includes() -> Book {
    let book = Book::case("");
    book.edit(
        "book.toml",
        "command = \"mdbook-compare\"",
        "command = \"mdbook-compare\"\nafter = [\"links\"]",
    );
    book
}

/// `check` fails with `headline` located at `at`.
fn fails_at(book: &Book, headline: &str, at: &str) -> String {
    let output = check(book.root(), &[]);
    let report = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    let lines: Vec<&str> = report.lines().collect();
    let located = lines.windows(2).any(|pair| {
        pair[0] == format!("error: {headline}")
            && pair[1].trim_start().strip_prefix("--> ") == Some(at)
    });
    assert!(located, "expected `{headline}` at {at}, got:\n{report}");
    report
}

#[test]
fn an_error_in_an_included_crlf_file_is_located_in_it() {
    let book = book_with_includes();
    book.write(
        "src/part.md",
        "One.\r\n\r\nTwo.\r\n\r\n<<compare nope>>\r\n\r\nEnd.\r\n",
    )
    .write("src/other.md", "Other.\r\n\r\n<<compare speed>>\r\n")
    .write(
        "src/chapter.md",
        "# Chapter\n\n{{#include other.md}}\n\n{{#include part.md}}\n\nAfter.\n",
    );
    let report = fails_at(&book, "unknown dimension `nope`", "src/part.md:5:11");
    assert!(report.contains("included by src/chapter.md:5"), "{report}");
}

#[test]
fn a_directive_after_a_byte_order_mark_in_an_included_file_expands() {
    let book = book_with_includes();
    book.write("src/part.md", "\u{feff}<<compare speed>>\n");
    let html = built(&book, "{{#include part.md}}\n");
    assert!(html.contains("cmp-dimension-speed"), "{html}");
    assert!(!html.contains("\u{feff}"), "the mark stays in the page");
    book.write("src/part.md", "\u{feff}<<compare nope>>\n");
    // The column counts the mark, a character of the file.
    fails_at(&book, "unknown dimension `nope`", "src/part.md:1:12");
}

#[test]
fn a_directive_in_summary_md_is_an_error_located_there() {
    let book = Book::case("");
    book.write(
        "src/SUMMARY.md",
        "# Summary\n\n- [Chapter](chapter.md)\n\n# Part <<value hello requests rust>>\n\n- [Speed <<compare speed>>](speed.md)\n",
    )
    .write("src/speed.md", "# Speed\n");
    let report = fails_at(
        &book,
        "a directive cannot be expanded in SUMMARY.md",
        "src/SUMMARY.md:5:8",
    );
    assert!(report.contains("SUMMARY.md:7:"), "{report}");
}

#[test]
fn a_no_break_space_separates_arguments() {
    let book = Book::case("");
    let html = built(
        &book,
        "<<benchmark hello>>\n\nRust does <<value hello\u{a0}requests\u{a0}rust>> here.\n",
    );
    assert!(
        html.contains("Rust does <a href=\"./chapter.html#cmp-benchmark-hello\""),
        "{html}"
    );
    assert!(!html.contains("needs a language"), "{html}");
}

#[test]
fn a_value_after_an_exclamation_mark_is_no_image_in_markdown() {
    let book = Book::case("");
    book.write(
        "book.toml",
        format!(
            "{}\n[output.html]\n\n[output.markdown]\n",
            fs::read_to_string(book.root().join("book.toml")).unwrap()
        ),
    );
    book.write(
        "src/chapter.md",
        "# Chapter\n\n<<benchmark hello>>\n\nfast!<<value hello requests rust>> and fast\\!<<value hello requests rust>>\n",
    );
    book.build().unwrap();
    let markdown = book.markdown("chapter.md");
    let html = common::markdown_to_html(&markdown);
    assert!(!html.contains("<img"), "an image in {markdown}");
    assert_eq!(html.matches("fast!<a ").count(), 2, "{html}");
}
