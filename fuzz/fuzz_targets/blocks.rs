//! The block after a block directive renders as mdBook renders it without the directive: the
//! chapter is arbitrary text, then a directive behind an arbitrary container prefix (spaces,
//! tabs, `>`, list markers), then arbitrary Markdown. Expanded by the public `Compare` for the
//! html renderer, it is rendered through pulldown-cmark with mdBook's options, and so is the
//! same chapter with the directive replaced by a plain paragraph. The expansion's HTML block
//! must hold the expansion alone; and when the placeholder is a paragraph of its own (no line
//! of the same paragraph before or after it, which the expansion deliberately splits off),
//! what follows the directive must render the same in both.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mdbook_compare::Compare;
use mdbook_driver::config::Config;
use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::html::push_html;
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The repository's book and its configuration, read once.
static BOOK: LazyLock<(PathBuf, Config)> = LazyLock::new(|| {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let config = Config::from_disk(root.join("book.toml")).expect("book.toml");
    (root, config)
});

/// Block directives of the repository's book.
const DIRECTIVES: [&str; 3] = [
    "<<compare tooling>>",
    "<<compare tooling concurrency>>",
    "<<quick-takes>>",
];

/// What stands for the directive in the reference.
const PLACEHOLDER: &str = "PLACEHOLDER";

/// The first line of each directive's expansion alone.
static EXPANSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    DIRECTIVES
        .iter()
        .map(|directive| {
            let expanded = expand(&format!("{directive}\n")).expect("expands alone");
            expanded.lines().next().unwrap_or_default().to_string()
        })
        .collect()
});

/// The chapter expanded for the html renderer; `None` when the run fails.
fn expand(text: &str) -> Option<String> {
    let ctx = PreprocessorContext::new(BOOK.0.clone(), BOOK.1.clone(), "html".into());
    let chapter = Chapter::new("Fuzz", text.into(), "fuzz.md", Vec::new());
    let book = Book::new_with_items(vec![BookItem::Chapter(chapter)]);
    let book = Compare::new().run(&ctx, book).ok()?;
    match book.items.into_iter().next() {
        Some(BookItem::Chapter(chapter)) => Some(chapter.content),
        _ => panic!("the chapter is gone"),
    }
}

fn html(markdown: &str) -> String {
    let mut html = String::new();
    push_html(
        &mut html,
        mdbook_markdown::new_cmark_parser(markdown, &MarkdownOptions::default()),
    );
    html
}

/// The text of each raw HTML block of `markdown`.
fn html_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut inside: Option<String> = None;
    for event in mdbook_markdown::new_cmark_parser(markdown, &MarkdownOptions::default()) {
        match event {
            Event::Start(Tag::HtmlBlock) => inside = Some(String::new()),
            Event::Html(html) => inside.get_or_insert_default().push_str(&html),
            Event::End(TagEnd::HtmlBlock) => blocks.extend(inside.take()),
            _ => {}
        }
    }
    blocks
}

/// Whether, in the reference, the placeholder is a paragraph of its own: not among other
/// lines of a paragraph, which the directive, expanded, splits.
fn placeholder_stands_alone(reference: &str) -> bool {
    let mut previous = None;
    let mut events = mdbook_markdown::new_cmark_parser(reference, &MarkdownOptions::default());
    while let Some(event) = events.next() {
        if matches!(&event, Event::Text(t) if &**t == PLACEHOLDER) {
            return matches!(previous, Some(Event::Start(Tag::Paragraph | Tag::Item)))
                && matches!(
                    events.next(),
                    None | Some(Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::Start(_))
                );
        }
        previous = Some(event);
    }
    false
}

/// The rendering after `marker` (and the end of its paragraph), without line breaks.
fn after(rendered: &str, marker: &str) -> Option<String> {
    let at = rendered.find(marker)? + marker.len();
    let rest = rendered[at..].trim_start();
    let rest = rest.strip_prefix("</p>").unwrap_or(rest).trim_start();
    Some(rest.replace('\n', ""))
}

fuzz_target!(|input: (u8, &str, &str, &str)| {
    let (which, before, lead, rest) = input;
    let container = |c: char| matches!(c, ' ' | '\t' | '>' | '-' | '*' | '+' | '.' | ')' | '0'..='9');
    if lead.len() > 12 || !lead.chars().all(container) {
        return;
    }
    if [before, rest]
        .iter()
        .any(|t| t.contains("<<") || t.contains('\r') || t.contains(PLACEHOLDER))
    {
        return;
    }
    let which = usize::from(which) % DIRECTIVES.len();
    let directive = DIRECTIVES[which];
    let expansion = EXPANSIONS[which].as_str();
    let text = format!("{before}{lead}{directive}\n{rest}");
    // A directive where it cannot stand fails the run, which is right.
    let Some(expanded) = expand(&text) else {
        return;
    };
    if !expanded.contains(expansion) {
        return;
    }
    if let Some(block) = html_blocks(&expanded)
        .into_iter()
        .find(|b| b.contains(expansion))
    {
        assert_eq!(
            block.trim(),
            expansion.trim(),
            "the expansion runs into what follows it: {text:?}"
        );
    } else {
        panic!("the expansion is not a block of its own: {text:?}\n{expanded}");
    }
    let reference = text.replacen(directive, PLACEHOLDER, 1);
    if !placeholder_stands_alone(&reference) {
        return;
    }
    assert_eq!(
        after(&html(&expanded), expansion),
        after(&html(&reference), PLACEHOLDER),
        "the block after the directive renders differently: {text:?}\n{expanded}"
    );
});
