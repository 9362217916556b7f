//! Writing the book back to mdBook with each chapter's [`Edits`] applied on the way out: every
//! chapter is streamed through its edits into the JSON, so the expanded book is never held in
//! memory, only the book as read and one copy of each distinct rendering (escaped for JSON once).
//!
//! The JSON is the one serde derives for mdBook's `Book`: the same structs, fields and order,
//! compact. mdBook 0.5 keeps these types exhaustive for preprocessors; the destructuring below
//! stops compiling if a field is added, and the tests compare with serde's own output. Every
//! value but a chapter's content is written by serde_json; the content, most of the bytes, by
//! the faster [`json`] escaping.

use std::io::{self, BufWriter, Write};

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use serde::Serialize;

use crate::edits::Edits;
use crate::json;

/// The edits of one book item and of its nested items, shaped like the book.
#[derive(Debug, Default)]
pub struct ItemEdits {
    /// The chapter's edits; `None` for a chapter without directives and for other items.
    pub edits: Option<Edits>,
    /// One entry per nested item.
    pub sub_items: Vec<ItemEdits>,
}

/// Every chapter of `items`, nested ones included, in the order [`plan`] takes their edits:
/// the order of `Book::for_each_mut` (nested chapters before their parent).
pub fn chapters(items: &[BookItem]) -> Vec<&Chapter> {
    let mut chapters = Vec::new();
    collect_chapters(items, &mut chapters);
    chapters
}

fn collect_chapters<'b>(items: &'b [BookItem], chapters: &mut Vec<&'b Chapter>) {
    for item in items {
        if let BookItem::Chapter(chapter) = item {
            collect_chapters(&chapter.sub_items, chapters);
            chapters.push(chapter);
        }
    }
}

/// Shapes `edits`, one per chapter in the order of [`chapters`], like the book.
pub fn plan(items: &[BookItem], edits: &mut impl Iterator<Item = Option<Edits>>) -> Vec<ItemEdits> {
    items
        .iter()
        .map(|item| match item {
            BookItem::Chapter(chapter) => {
                let sub_items = plan(&chapter.sub_items, edits);
                ItemEdits {
                    edits: edits.next().flatten(),
                    sub_items,
                }
            }
            BookItem::Separator | BookItem::PartTitle(_) => ItemEdits::default(),
        })
        .collect()
}

/// Writes `book` with `edits` (what [`plan`] returned for it) applied, as mdBook's JSON, in
/// blocks of 64 KiB.
pub fn write(book: &Book, edits: &[ItemEdits], out: &mut dyn Write) -> io::Result<()> {
    let Book { items } = book;
    let mut out = BufWriter::with_capacity(1 << 16, out);
    out.write_all(b"{\"items\":")?;
    write_items(items, edits, &mut out)?;
    out.write_all(b"}")?;
    out.flush()
}

fn write_items(items: &[BookItem], edits: &[ItemEdits], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        match (item, edits.get(i)) {
            (BookItem::Chapter(chapter), Some(edits)) => write_chapter(chapter, edits, out)?,
            _ => value(item, out)?,
        }
    }
    out.write_all(b"]")
}

/// `BookItem::Chapter`, with the chapter's content and its nested items edited.
fn write_chapter(chapter: &Chapter, edits: &ItemEdits, out: &mut impl Write) -> io::Result<()> {
    let Chapter {
        name,
        content,
        number,
        sub_items,
        path,
        source_path,
        parent_names,
    } = chapter;
    out.write_all(b"{\"Chapter\":{\"name\":")?;
    value(name, out)?;
    out.write_all(b",\"content\":")?;
    match &edits.edits {
        Some(edits) => edits.write_json(content, out)?,
        None => json::write_string(out, content)?,
    }
    out.write_all(b",\"number\":")?;
    value(number, out)?;
    out.write_all(b",\"sub_items\":")?;
    write_items(sub_items, &edits.sub_items, out)?;
    out.write_all(b",\"path\":")?;
    value(path, out)?;
    out.write_all(b",\"source_path\":")?;
    value(source_path, out)?;
    out.write_all(b",\"parent_names\":")?;
    value(parent_names, out)?;
    out.write_all(b"}}")
}

/// One value as serde_json writes it.
fn value(value: &impl Serialize, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer(out, value).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use mdbook_markdown::MarkdownOptions;
    use mdbook_preprocessor::book::SectionNumber;

    use super::*;
    use crate::dataset::{self, Date, LintOptions};
    use crate::diagnostic::Diagnostics;
    use crate::expand::Expander;
    use crate::render::Format;

    /// Directives at the top level, in a list item and in a blockquote, an escape, quotes,
    /// tabs and HTML.
    const TEXT: &str = "Intro\n\n<<compare speed>>\n\n- item\n\n  <<compare speed onboarding>>\n\n\
                        > <<benchmark hello>>\n> more\n\nWrite \\<<compare x>> for a table.\n\n\
                        \"Quotes\", tabs\tand <html>\n";

    fn chapter(name: &str, content: &str, sub_items: Vec<BookItem>) -> BookItem {
        let mut chapter = Chapter::new(name, content.into(), format!("{name}.md"), Vec::new());
        chapter.number = Some(SectionNumber::new([1, 2]));
        chapter.sub_items = sub_items;
        BookItem::Chapter(chapter)
    }

    fn book() -> Book {
        let mut draft = Chapter::new_draft("Draft", vec!["Parent".into()]);
        draft.content = TEXT.into();
        draft.source_path = Some(PathBuf::from("draft.md"));
        Book::new_with_items(vec![
            BookItem::PartTitle("Part".into()),
            chapter(
                "Parent",
                TEXT,
                vec![
                    chapter("Plain", "no directive\n", vec![]),
                    BookItem::Chapter(draft),
                    BookItem::Separator,
                ],
            ),
            BookItem::Separator,
            chapter("Last", "1 << 3 and Vec<Vec<T>>\n", vec![]),
        ])
    }

    #[test]
    fn writes_what_serde_writes_for_the_expanded_book() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/data");
        let options = LintOptions {
            stale_after_months: 1200,
            today: Date::today(),
        };
        let mut diagnostics = Diagnostics::default();
        let dataset = dataset::load(&data, "data", &options, &mut diagnostics);
        let book = book();
        for format in [Format::Html, Format::Markdown] {
            let mut expander = Expander::new(&dataset, format, MarkdownOptions::default());
            let chapter_edits: Vec<_> = chapters(&book.items)
                .into_iter()
                .map(|chapter| expander.edits(&chapter.name, &chapter.content, &mut diagnostics))
                .collect();
            let edits = plan(&book.items, &mut chapter_edits.into_iter());
            let mut streamed = Vec::new();
            write(&book, &edits, &mut streamed).unwrap();

            let mut expanded = book.clone();
            expanded.for_each_mut(|item| {
                if let BookItem::Chapter(chapter) = item {
                    let text = expander.expand(&chapter.name, &chapter.content, &mut diagnostics);
                    chapter.content = text.unwrap_or_else(|| chapter.content.clone());
                }
            });
            assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
            let streamed = String::from_utf8(streamed).unwrap();
            assert!(streamed.contains(r"Write \\<\\<compare x>>"), "{streamed}");
            assert!(!streamed.contains("<<compare speed"), "{streamed}");
            assert_eq!(streamed, serde_json::to_string(&expanded).unwrap());
        }
    }
}
