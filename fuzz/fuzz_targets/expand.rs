//! The whole preprocessor on one arbitrary chapter against the repository's real `data/`, for
//! the html and the markdown renderer, under every combination of mdBook's Markdown options: it
//! must not panic, text without anything like a directive must come back unchanged, and no
//! mdBook link (`{{#`) may come out that the chapter did not hold: whatever the dataset says is
//! inert to mdBook's `links` preprocessor.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mdbook_compare::Compare;
use mdbook_driver::config::Config;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The repository's book and its configuration, read once.
static BOOK: LazyLock<(PathBuf, Config)> = LazyLock::new(|| {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let config = Config::from_disk(root.join("book.toml")).expect("book.toml");
    (root, config)
});

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

/// The book's configuration with mdBook's Markdown options switched by the bits of `flags`.
fn config(flags: u8) -> Config {
    let mut config = BOOK.1.clone();
    for (bit, key) in ["smart-punctuation", "definition-lists", "admonitions"]
        .iter()
        .enumerate()
    {
        config
            .set(format!("output.html.{key}"), flags & (1 << bit) != 0)
            .expect("a boolean option");
    }
    config
}

fuzz_target!(|input: (u8, &str)| {
    let (flags, text) = input;
    for renderer in ["html", "markdown"] {
        let ctx = PreprocessorContext::new(BOOK.0.clone(), config(flags), renderer.into());
        let chapter = Chapter::new("Fuzz", text.into(), "fuzz.md", Vec::new());
        let book = Book::new_with_items(vec![BookItem::Chapter(chapter)]);
        let Ok(book) = Compare::new().run(&ctx, book) else {
            continue;
        };
        let Some(BookItem::Chapter(chapter)) = book.items.first() else {
            panic!("the chapter is gone");
        };
        if !has_candidate(text) {
            assert_eq!(chapter.content, text, "changed a text without directives");
        }
        assert!(
            chapter.content.matches("{{#").count() <= text.matches("{{#").count(),
            "mdBook syntax came out of the dataset: {:?}",
            chapter.content
        );
    }
});
