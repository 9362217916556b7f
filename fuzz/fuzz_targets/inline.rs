//! Every inline expansion (`<<value>>`, `<<ratio>>`) is inert wherever a paragraph puts it:
//! with an arbitrary metric name, unit and language names in the data, the chapter that shows
//! them in a table cell, after an unmatched backtick, in emphasis and beside a link must
//! read, for mdBook's Markdown parser, exactly as it reads with plain names: the same links,
//! HTML tags, code spans and emphasis, and the same number of cells in each table row. For
//! the html and the markdown renderer; no panic.

#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mdbook_compare::Compare;
use mdbook_driver::config::Config;
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// Where an inline directive may stand: `{}` is the directive.
const CONTEXTS: &[&str] = &[
    "| a | b |\n|---|---|\n| {} | x |\n| y {} z | {} |\n",
    "An unmatched ` backtick, then {} and more.\n",
    "*In emphasis {} here* and **strong {}** and ~~struck {}~~.\n",
    "*Emphasis ends {}* here, and [a link](https://example.com/) follows {}.\n",
];

/// The inline directives, resolving against the base book's benchmark.
const DIRECTIVES: &[&str] = &[
    "<<value hello requests rust>>",
    "<<ratio hello requests go rust>>",
];

/// A copy of the bad-input tests' base book, in a folder of this process, read once.
static BOOK: LazyLock<PathBuf> = LazyLock::new(|| {
    let from = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/bad-inputs/_base"
    ));
    let to = std::env::temp_dir().join(format!("mdbook-compare-fuzz-inline-{}", std::process::id()));
    copy(&from, &to);
    to
});

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A TOML string holding `text`.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The base book's data with these names and unit.
fn write_data(root: &Path, names: [&str; 4]) {
    let [metric, unit, first, second] = names.map(quoted);
    let hello = include_str!("../../tests/bad-inputs/_base/data/benchmarks/hello.toml").replacen(
        "name = \"Requests per second\"\nunit = \"req/s\"",
        &format!("name = {metric}\nunit = {unit}"),
        1,
    );
    let languages = include_str!("../../tests/bad-inputs/_base/data/languages.toml")
        .replacen("name = \"Rust\"", &format!("name = {first}"), 1)
        .replacen("name = \"Go\"", &format!("name = {second}"), 1);
    fs::write(root.join("data/benchmarks/hello.toml"), hello).expect("write");
    fs::write(root.join("data/languages.toml"), languages).expect("write");
}

/// The chapter expanded for `renderer`, after a chapter that shows the benchmark (the home
/// its links lead to); `None` when the run fails (the dataset may reject a name).
fn expand(root: &Path, text: &str, renderer: &str) -> Option<String> {
    let config = Config::from_disk(root.join("book.toml")).expect("book.toml");
    let ctx = PreprocessorContext::new(root.to_path_buf(), config, renderer.into());
    let home = "# Home\n\n<<benchmark hello>>\n";
    let home = Chapter::new("Home", home.into(), "home.md", Vec::new());
    let chapter = Chapter::new("Chapter", text.into(), "chapter.md", Vec::new());
    let book = Book::new_with_items(vec![BookItem::Chapter(home), BookItem::Chapter(chapter)]);
    let book = Compare::new().run(&ctx, book).ok()?;
    match book.items.into_iter().nth(1) {
        Some(BookItem::Chapter(chapter)) => Some(chapter.content),
        other => panic!("the chapter is gone: {other:?}"),
    }
}

/// What mdBook's parser reads in `markdown`, text and attribute values left out: every
/// event, merged runs of text as one, raw HTML as its tag and attribute names only.
fn structure(markdown: &str) -> Vec<String> {
    let options = mdbook_markdown::MarkdownOptions::default();
    let mut shape: Vec<String> = Vec::new();
    for event in mdbook_markdown::new_cmark_parser(markdown, &options) {
        let item = match event {
            Event::Text(_) if shape.last().is_some_and(|last| last == "text") => continue,
            Event::Text(_) => "text".to_string(),
            // A figure is one raw HTML block, whatever text it holds.
            Event::Html(_) => "html block".to_string(),
            Event::InlineHtml(html) => {
                let mut tag = String::from("html ");
                let mut in_value = false;
                for c in html.chars() {
                    match c {
                        '"' => in_value = !in_value,
                        c if !in_value => tag.push(c),
                        _ => {}
                    }
                }
                tag
            }
            Event::Start(Tag::Link { .. }) => "link".to_string(),
            Event::End(TagEnd::Link) => "/link".to_string(),
            Event::Start(tag) => format!("{tag:?}"),
            Event::End(tag) => format!("/{tag:?}"),
            other => format!("{other:?}"),
        };
        shape.push(item);
    }
    shape
}

/// The chapter with every directive in every context.
static CHAPTER: LazyLock<String> = LazyLock::new(|| {
    let mut text = String::from("# Chapter\n\n");
    for context in CONTEXTS {
        for directive in DIRECTIVES {
            text.push_str(&context.replace("{}", directive));
            text.push('\n');
        }
    }
    text
});

/// The structure of the chapter with plain names, per renderer.
static PLAIN: LazyLock<[Vec<String>; 2]> = LazyLock::new(|| {
    write_data(&BOOK, ["Requests", "req/s", "Rust", "Go"]);
    ["html", "markdown"].map(|renderer| {
        structure(&expand(&BOOK, &CHAPTER, renderer).expect("the plain book expands"))
    })
});

fuzz_target!(|names: [&str; 4]| {
    let plain = &*PLAIN;
    write_data(&BOOK, names);
    for (renderer, plain) in ["html", "markdown"].into_iter().zip(plain) {
        let Some(expanded) = expand(&BOOK, &CHAPTER, renderer) else {
            continue;
        };
        assert_eq!(
            &structure(&expanded),
            plain,
            "data changed how the chapter reads:\n{expanded}"
        );
    }
});
