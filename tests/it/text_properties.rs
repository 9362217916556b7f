//! Properties of expansion over generated chapters:
//! - text without a directive comes back byte for byte (or is not touched at all);
//! - an escaped directive, `\<<compare x>>`, comes back literal and renders as text, in
//!   paragraphs, list items and blockquotes alike.

use std::sync::LazyLock;

use mdbook_compare::Compare;
use mdbook_driver::config::Config;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use proptest::prelude::*;

use crate::common;

/// The directive names the generated chapters use.
const DIRECTIVE_NAMES: [&str; 3] = ["compare", "benchmark", "quick-takes"];

/// The base book of `tests/bad-inputs/`, read once.
static BASE: LazyLock<(std::path::PathBuf, Config)> = LazyLock::new(|| {
    let root = common::repo_root().join("tests/bad-inputs/_base");
    let config = Config::from_disk(root.join("book.toml")).expect("read book.toml");
    (root, config)
});

/// Pieces of Markdown, near-miss directives among them, from which chapters are generated.
const PIECES: &[&str] = &[
    "word",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "é",
    "<<",
    ">>",
    "<",
    ">",
    "\\",
    "`",
    "```\n",
    "*",
    "_",
    "# ",
    "- ",
    "1. ",
    "> ",
    "| a | b |\n|---|---|\n",
    "| ",
    "[x](https://e.com)",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "    ",
    "1 << 3",
    "Vec<Vec<T>>",
    "<<comparex>>",
    "<<benchmarks>>",
    "<<quick-takesy>>",
    "compare",
    "benchmark",
    "quick-takes",
    "speed",
    "=",
    "category=core",
    "$x$",
    "> [!NOTE]\n",
    "Term\n: definition\n",
];

/// Pieces that open a block running past a blank line: a code fence, an HTML comment.
const LONG_OPENERS: &[&str] = &["```\n", "<!--"];

/// A chapter of up to 60 pieces.
fn chapter() -> impl Strategy<Value = String> {
    chapter_of(PIECES.to_vec())
}

/// A chapter of up to 60 pieces whose blocks all end at a blank line.
fn closed_chapter() -> impl Strategy<Value = String> {
    let pieces = PIECES.iter().filter(|p| !LONG_OPENERS.contains(p));
    chapter_of(pieces.copied().collect())
}

fn chapter_of(pieces: Vec<&'static str>) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|pieces| pieces.concat())
}

/// Whether `text` may hold a directive or something close to one: `<<`, perhaps space, then a
/// letter.
fn has_candidate(text: &str) -> bool {
    text.match_indices("<<").any(|(at, _)| {
        text[at..]
            .trim_start_matches('<')
            .trim_start_matches([' ', '\t'])
            .starts_with(|c: char| c.is_ascii_alphabetic())
    })
}

/// The chapter expanded by the preprocessor for `renderer` in the base book: its text, or the
/// error that failed the run.
fn expand(text: &str, renderer: &str) -> Result<String, String> {
    let (root, config) = &*BASE;
    let ctx = PreprocessorContext::new(root.clone(), config.clone(), renderer.into());
    let chapter = Chapter::new("Chapter", text.into(), "chapter.md", Vec::new());
    let book = Book::new_with_items(vec![BookItem::Chapter(chapter)]);
    let book = Compare::new()
        .run(&ctx, book)
        .map_err(|e| format!("{e:#}"))?;
    match book.items.into_iter().next() {
        Some(BookItem::Chapter(chapter)) => Ok(chapter.content),
        other => panic!("{other:?}"),
    }
}

/// Where an escaped directive may stand: a paragraph, a list item, a blockquote, nested.
const CONTAINERS: &[&str] = &["", "- ", "1. ", "> ", "> - ", "- > ", "  "];

/// An escaped directive with arguments, valid or not.
fn escaped_directive() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&DIRECTIVE_NAMES[..]),
        prop::sample::select(&["", " speed", " nope", " category=core", " all", " a b"][..]),
    )
        .prop_map(|(name, args)| format!("\\<<{name}{args}>>"))
}

proptest! {
    #![proptest_config(ProptestConfig { max_global_rejects: 100_000, ..ProptestConfig::with_cases(512) })]

    #[test]
    fn text_without_a_directive_comes_back_unchanged(text in chapter()) {
        prop_assume!(!has_candidate(&text));
        for renderer in ["html", "markdown"] {
            let expanded = expand(&text, renderer);
            prop_assert_eq!(expanded.as_deref(), Ok(text.as_str()));
        }
    }

    #[test]
    fn an_escaped_directive_stays_literal(
        before in closed_chapter(),
        container in prop::sample::select(CONTAINERS),
        directive in escaped_directive(),
        tail in prop::sample::select(&["", " and more", "\nnext line"][..]),
    ) {
        prop_assume!(!has_candidate(&before));
        // Backticks can line up into a code fence (e.g. "```word") that runs to the end of the
        // chapter: then the directive is code, and rightly left alone.
        prop_assume!(!before.contains("```"));
        // A blank line keeps the generated text from swallowing the directive's block.
        let text = format!("{before}\n\n{container}{directive}{tail}\n");
        let literal = directive.replacen("\\<<", "\\<\\<", 1);
        for renderer in ["html", "markdown"] {
            let expanded = expand(&text, renderer);
            prop_assert!(expanded.is_ok(), "{:?}", expanded);
            let expanded = expanded.unwrap_or_default();
            prop_assert!(expanded.contains(&literal), "{:?}", expanded);
            prop_assert!(!expanded.contains("class=\"cmp "), "{:?}", expanded);
            let shown = directive[1..].replace('<', "&lt;").replace('>', "&gt;");
            prop_assert!(common::markdown_to_html(&expanded).contains(&shown), "{}", common::markdown_to_html(&expanded));
        }
    }
}
