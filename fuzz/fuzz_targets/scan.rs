//! A directive followed by arbitrary Markdown, on the line right after it: whatever that
//! Markdown is, once the directive is expanded it must render exactly as it renders alone, for
//! the html and the markdown renderer (the block after a directive is never swallowed), and the
//! expansion must not panic.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mdbook_compare::Compare;
use mdbook_driver::config::Config;
use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::html::push_html;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The repository's book and its configuration, read once.
static BOOK: LazyLock<(PathBuf, Config)> = LazyLock::new(|| {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let config = Config::from_disk(root.join("book.toml")).expect("book.toml");
    (root, config)
});

/// Directives to put before the fuzzed text.
const DIRECTIVES: [&str; 3] = [
    "<<compare tooling>>",
    "<<compare tooling concurrency>>",
    "<<quick-takes>>",
];

fn html(markdown: &str) -> String {
    let mut html = String::new();
    push_html(
        &mut html,
        mdbook_markdown::new_cmark_parser(markdown, &MarkdownOptions::default()),
    );
    html
}

fuzz_target!(|input: (u8, &str)| {
    let (which, after) = input;
    if after.contains("<<") || after.contains('\r') {
        return;
    }
    let text = format!("{}\n{after}", DIRECTIVES[usize::from(which) % DIRECTIVES.len()]);
    for renderer in ["html", "markdown"] {
        let ctx = PreprocessorContext::new(BOOK.0.clone(), BOOK.1.clone(), renderer.into());
        let chapter = Chapter::new("Fuzz", text.clone(), "fuzz.md", Vec::new());
        let book = Book::new_with_items(vec![BookItem::Chapter(chapter)]);
        // A line that makes the directive's line part of a heading or a table fails the run.
        let Ok(book) = Compare::new().run(&ctx, book) else {
            continue;
        };
        let Some(BookItem::Chapter(chapter)) = book.items.first() else {
            panic!("the chapter is gone");
        };
        assert!(chapter.content.ends_with(after), "{:?}", chapter.content);
        let alone = html(after);
        assert!(
            html(&chapter.content).ends_with(&alone),
            "{renderer}: {after:?} renders differently after the directive"
        );
    }
});
