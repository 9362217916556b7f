//! Reading mdBook's `[context, book]` JSON, with clear messages for input from another mdBook
//! version, input that is cut short, and a book nested deeper than mdBook can read back.
//!
//! The input is read whole and parsed from the bytes (`serde_json::from_slice`), which is both
//! the simplest way and the fastest.

use std::io::Read;

use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{MDBOOK_VERSION, PreprocessorContext};
use semver::{Version, VersionReq};
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location};

/// How deeply mdBook reads nested JSON arrays and objects back from a preprocessor: serde_json's
/// default limit.
const MDBOOK_READS: usize = 127;

/// Reads mdBook's input to a preprocessor, as `mdbook_preprocessor::parse_input` does, with
/// messages that say what to do. A book that mdBook could not read back (its `SUMMARY.md`
/// nests chapters 42 levels deep or more) is refused here, with the way out, rather than by
/// mdBook after the run with serde_json's "recursion limit exceeded".
pub fn parse_input(mut reader: impl Read) -> anyhow::Result<(PreprocessorContext, Book)> {
    let mut input = Vec::new();
    reader
        .read_to_end(&mut input)
        .map_err(|err| {
            Box::new(Diagnostic::error(
                format!("cannot read mdBook's input: {err}"),
                stdin(),
            ))
        })
        .and_then(|_| parse(&input))
        .map_err(|diagnostic| anyhow::anyhow!("{}", diagnostic.render(false)))
}

/// Parses the input, or says why it cannot be read.
fn parse(input: &[u8]) -> Result<(PreprocessorContext, Book), Box<Diagnostic>> {
    let mut deserializer = serde_json::Deserializer::from_slice(input);
    // Deeper books are refused below with a message of their own.
    deserializer.disable_recursion_limit();
    let (ctx, book) = <(PreprocessorContext, Book)>::deserialize(&mut deserializer)
        .and_then(|parsed| deserializer.end().map(|()| parsed))
        .map_err(|err| Box::new(unreadable(sender(input).as_deref(), &err)))?;
    match too_deep(book_depth(&book), stdin()) {
        Some(problem) => Err(problem),
        None => Ok((ctx, book)),
    }
}

/// The version of mdBook that sent `input`, when its context, the first element, is a whole
/// JSON object that names it: the message about input that cannot be read depends on it.
fn sender(input: &[u8]) -> Option<String> {
    /// The part of mdBook's context that every version sends.
    #[derive(Deserialize)]
    struct Context {
        mdbook_version: String,
    }
    let rest = input.trim_ascii_start().strip_prefix(b"[")?;
    let context = serde_json::Deserializer::from_slice(rest)
        .into_iter::<Context>()
        .next()?;
    context.ok().map(|context| context.mdbook_version)
}

/// The error for a book nested `depth` JSON levels deep, when mdBook could not read it back
/// from a command preprocessor.
fn too_deep(depth: usize, location: Location) -> Option<Box<Diagnostic>> {
    if depth <= MDBOOK_READS {
        return None;
    }
    // A chapter nests three JSON levels below its parent: the item, the chapter, its list.
    let levels = depth.saturating_sub(2) / 3;
    Some(Box::new(
        Diagnostic::error(
            format!(
                "SUMMARY.md nests chapters {levels} levels deep, but mdBook reads a \
                 preprocessor's book back only up to {} levels (serde_json's limit of \
                 {MDBOOK_READS} nested values)",
                (MDBOOK_READS - 2) / 3
            ),
            location,
        )
        .with_help(
            "nest SUMMARY.md less deeply, or run mdbook-compare in process \
             (`MDBook::with_preprocessor(Compare::new())`), which has no such limit",
        ),
    ))
}

/// For `check`: the error the build would give, as a command preprocessor, for `book`.
pub(crate) fn book_too_deep(book: &Book, summary: &str) -> Option<Box<Diagnostic>> {
    too_deep(book_depth(book), Location::Path(summary.to_string()))
}

/// How deeply the JSON of `book` nests arrays and objects: the book, its list of items, then
/// three levels a chapter (the item, the chapter, its lists of numbers, names and sub-items).
fn book_depth(book: &Book) -> usize {
    1 + items_depth(&book.items)
}

/// The depth of a JSON list of `items`.
fn items_depth(items: &[BookItem]) -> usize {
    let deepest = items.iter().map(|item| match item {
        BookItem::Chapter(chapter) => 2 + items_depth(&chapter.sub_items),
        BookItem::PartTitle(_) => 1,
        BookItem::Separator => 0,
    });
    1 + deepest.max().unwrap_or(0)
}

/// The warning for input from mdBook `version`, when this preprocessor was built for another
/// minor version.
pub(crate) fn version_warning(version: &str) -> Option<Diagnostic> {
    if same_minor(version) {
        return None;
    }
    Some(
        Diagnostic::warning(
            format!(
                "mdBook {version} is running mdbook-compare, which was built for mdBook {MDBOOK_VERSION}"
            ),
            stdin(),
        )
        .with_help(format!(
            "install mdBook {MDBOOK_VERSION}, or rebuild mdbook-compare against your mdBook"
        )),
    )
}

fn stdin() -> Location {
    Location::Path("<standard input from mdBook>".into())
}

/// Why the input could not be read, naming mdBook's version when the input says it.
fn unreadable(version: Option<&str>, err: &serde_json::Error) -> Diagnostic {
    let diagnostic = match version {
        Some(version) if !same_minor(version) => Diagnostic::error(
            format!(
                "this input comes from mdBook {version}, but mdbook-compare reads mdBook {MDBOOK_VERSION}'s format"
            ),
            stdin(),
        )
        .with_help(format!("build the book with mdBook {MDBOOK_VERSION} (`cargo install mdbook --locked --version {MDBOOK_VERSION}`)")),
        Some(version) => Diagnostic::error(
            format!("cannot read the book sent by mdBook {version}: {err}"),
            stdin(),
        ),
        None if err.is_eof() => Diagnostic::error(
            format!("the input from mdBook ends early (line {}, column {}): was it cut short?", err.line(), err.column()),
            stdin(),
        )
        .with_help("run mdbook-compare through `mdbook build`; to test it by hand, pipe a complete `[context, book]` JSON"),
        None => Diagnostic::error(
            format!("the input is not mdBook's preprocessor JSON: {err}"),
            stdin(),
        )
        .with_help("run mdbook-compare through `mdbook build`, which sends `[context, book]` on standard input"),
    };
    diagnostic.with_note(format!(
        "mdbook-compare {} is built for mdBook {MDBOOK_VERSION}",
        env!("CARGO_PKG_VERSION")
    ))
}

/// Whether mdBook `version` has the major and minor version this preprocessor was built for
/// (`~0.5`: mdBook keeps the preprocessor format within a minor version).
fn same_minor(version: &str) -> bool {
    let (Ok(version), Ok(built)) = (Version::parse(version), Version::parse(MDBOOK_VERSION)) else {
        return false;
    };
    VersionReq::parse(&format!("~{}.{}", built.major, built.minor))
        .is_ok_and(|requirement| requirement.matches(&version))
}

#[cfg(test)]
mod tests {
    use mdbook_preprocessor::book::{Chapter, SectionNumber};

    use super::*;

    #[test]
    fn versions_compare_by_minor() {
        assert!(same_minor("0.5.0"));
        assert!(same_minor(MDBOOK_VERSION));
        assert!(!same_minor("0.4.40"));
        assert!(!same_minor("not a version"));
    }

    /// How deeply a JSON value nests arrays and objects.
    fn json_depth(value: &serde_json::Value) -> usize {
        match value {
            serde_json::Value::Array(items) => 1 + items.iter().map(json_depth).max().unwrap_or(0),
            serde_json::Value::Object(map) => 1 + map.values().map(json_depth).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// A chapter with `sub_items`, numbered when `numbered`.
    fn chapter(sub_items: Vec<BookItem>, numbered: bool) -> BookItem {
        let mut chapter = Chapter::new("c", "text".into(), "c.md", vec!["parent".into()]);
        chapter.number = numbered.then(|| SectionNumber::new(vec![1, 2]));
        chapter.sub_items = sub_items;
        BookItem::Chapter(chapter)
    }

    #[test]
    fn book_depth_is_the_depth_of_its_json() {
        let mut nested = chapter(Vec::new(), true);
        let mut books = vec![
            Book::new_with_items(Vec::new()),
            Book::new_with_items(vec![BookItem::Separator]),
            Book::new_with_items(vec![BookItem::PartTitle("Part".into())]),
            Book::new_with_items(vec![chapter(Vec::new(), false)]),
        ];
        for level in 0..50 {
            nested = chapter(
                vec![BookItem::Separator, nested, BookItem::PartTitle("p".into())],
                level % 2 == 0,
            );
            books.push(Book::new_with_items(vec![nested.clone()]));
        }
        for book in books {
            let json = serde_json::to_value(&book).unwrap();
            assert_eq!(book_depth(&book), json_depth(&json), "{json}");
        }
    }

    #[test]
    fn a_book_too_deep_for_mdbook_is_refused_with_the_way_out() {
        let mut nested = chapter(Vec::new(), true);
        for _ in 1..41 {
            nested = chapter(vec![nested], true);
        }
        let book = Book::new_with_items(vec![nested.clone()]);
        assert!(book_too_deep(&book, "src/SUMMARY.md").is_none());
        let book = Book::new_with_items(vec![chapter(vec![nested], true)]);
        let text = book_too_deep(&book, "src/SUMMARY.md")
            .unwrap()
            .render(false);
        assert!(
            text.contains("42 levels deep") && text.contains("in process"),
            "{text}"
        );
    }

    #[test]
    fn explains_truncated_and_foreign_input() {
        let text = parse(b"[{\"root\": \"/x\", ").unwrap_err().render(false);
        assert!(text.contains("ends early"), "{text}");
        let old = br#"[{"root":"/x","config":{},"renderer":"html","mdbook_version":"0.4.40"},{"sections":[]}]"#;
        let text = parse(old).unwrap_err().render(false);
        assert!(
            text.contains("mdBook 0.4.40") && text.contains(MDBOOK_VERSION),
            "{text}"
        );
        let cut = format!(
            r#"[{{"root":"/x","config":{{}},"renderer":"html","mdbook_version":"{MDBOOK_VERSION}"}}, {{"items":["#
        );
        let text = parse(cut.as_bytes()).unwrap_err().render(false);
        assert!(
            text.contains(&format!(
                "cannot read the book sent by mdBook {MDBOOK_VERSION}"
            )),
            "{text}"
        );
    }
}
