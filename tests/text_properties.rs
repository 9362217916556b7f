//! Properties of expansion over generated chapters:
//! - text without a directive comes back byte for byte (or is not touched at all);
//! - an escaped directive, `\<<compare x>>`, comes back literal and renders as text, in
//!   paragraphs, list items and blockquotes alike.

use std::path::Path;
use std::sync::LazyLock;

use mdbook_compare::dataset::{self, Dataset, Date, LintOptions};
use mdbook_compare::diagnostic::Diagnostics;
use mdbook_compare::expand::Expander;
use mdbook_compare::render::Format;
use mdbook_compare::scan::DIRECTIVE_NAMES;
use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::html::push_html;
use proptest::prelude::*;

/// The base book's dataset of `tests/bad-inputs/`, loaded once.
static DATASET: LazyLock<Dataset> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs/_base/data");
    let options = LintOptions {
        stale_after_months: 600,
        today: Date::today(),
    };
    let mut diagnostics = Diagnostics::default();
    let dataset = dataset::load(&dir, "data", &options, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
    dataset
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

/// Whether `text` holds a directive candidate: `<<` and a directive name followed by a space, a
/// tab, `>`, a line break or the end of the text.
fn has_candidate(text: &str) -> bool {
    DIRECTIVE_NAMES.iter().any(|name| {
        let opening = format!("<<{name}");
        text.match_indices(&opening).any(|(at, _)| {
            matches!(
                text.as_bytes().get(at + opening.len()),
                None | Some(b' ' | b'\t' | b'>' | b'\r' | b'\n')
            )
        })
    })
}

/// The chapter expanded in `format`, and what was reported.
fn expand(text: &str, format: Format) -> (Option<String>, Diagnostics) {
    let mut expander = Expander::new(&DATASET, format, MarkdownOptions::default());
    let mut diagnostics = Diagnostics::default();
    let expanded = expander.expand("src/chapter.md", text, &mut diagnostics);
    (expanded, diagnostics)
}

/// Markdown rendered to HTML the way mdBook does.
fn to_html(markdown: &str) -> String {
    let mut html = String::new();
    push_html(
        &mut html,
        mdbook_markdown::new_cmark_parser(markdown, &MarkdownOptions::default()),
    );
    html
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
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn text_without_a_directive_comes_back_unchanged(text in chapter()) {
        prop_assume!(!has_candidate(&text));
        for format in [Format::Html, Format::Markdown] {
            let (expanded, diagnostics) = expand(&text, format);
            prop_assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
            if let Some(expanded) = expanded {
                prop_assert_eq!(&expanded, &text);
            }
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
        for format in [Format::Html, Format::Markdown] {
            let (expanded, diagnostics) = expand(&text, format);
            prop_assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
            let expanded = expanded.expect("the escape is rewritten");
            prop_assert!(expanded.contains(&literal), "{:?}", expanded);
            prop_assert!(!expanded.contains("class=\"cmp "), "{:?}", expanded);
            let shown = directive[1..].replace('<', "&lt;").replace('>', "&gt;");
            prop_assert!(to_html(&expanded).contains(&shown), "{}", to_html(&expanded));
        }
    }
}
