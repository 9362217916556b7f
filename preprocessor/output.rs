//! Writing the book back to mdBook with each chapter's [`Edits`] applied on the way out: every
//! chapter is streamed through its edits into the JSON, so the expanded book is never held in
//! memory, only the book as read and one copy of each distinct rendering.
//!
//! The JSON is the one serde derives for mdBook's `Book`: the same structs, fields and order.
//! mdBook 0.5 keeps these types exhaustive for preprocessors; the destructuring below stops
//! compiling if a field is added, and the tests compare with serde's own output.

use std::fmt;

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

use crate::expand::Edits;

/// The edits of one book item and of its nested items, shaped like the book.
#[derive(Debug, Default)]
pub struct ItemEdits {
    /// The chapter's edits; `None` for a chapter without directives and for other items.
    pub edits: Option<Edits>,
    /// One entry per nested item.
    pub sub_items: Vec<ItemEdits>,
}

/// Plans the edits of `items` with `edit`, visiting chapters in the order of
/// `Book::for_each_mut` (nested chapters before their parent).
pub fn plan(
    items: &[BookItem],
    edit: &mut impl FnMut(&Chapter) -> Option<Edits>,
) -> Vec<ItemEdits> {
    items
        .iter()
        .map(|item| match item {
            BookItem::Chapter(chapter) => {
                let sub_items = plan(&chapter.sub_items, edit);
                ItemEdits {
                    edits: edit(chapter),
                    sub_items,
                }
            }
            BookItem::Separator | BookItem::PartTitle(_) => ItemEdits::default(),
        })
        .collect()
}

/// A book and the edits planned for it, serialized as the edited `Book`.
pub struct Edited<'a> {
    /// The book as mdBook sent it.
    pub book: &'a Book,
    /// What [`plan`] returned for the book's items.
    pub edits: &'a [ItemEdits],
}

impl Serialize for Edited<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Book { items } = self.book;
        let mut book = serializer.serialize_struct("Book", 1)?;
        book.serialize_field("items", &Items(items, self.edits))?;
        book.end()
    }
}

/// Items and their edits.
struct Items<'a>(&'a [BookItem], &'a [ItemEdits]);

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Items(items, edits) = *self;
        let mut seq = serializer.serialize_seq(Some(items.len()))?;
        for (i, item) in items.iter().enumerate() {
            match (item, edits.get(i)) {
                (BookItem::Chapter(chapter), Some(edits)) => {
                    seq.serialize_element(&EditedItem(chapter, edits))?
                }
                _ => seq.serialize_element(item)?,
            }
        }
        seq.end()
    }
}

/// `BookItem::Chapter` with its edits.
struct EditedItem<'a>(&'a Chapter, &'a ItemEdits);

impl Serialize for EditedItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let EditedItem(chapter, edits) = *self;
        serializer.serialize_newtype_variant(
            "BookItem",
            0,
            "Chapter",
            &EditedChapter(chapter, edits),
        )
    }
}

/// A chapter with its edits.
struct EditedChapter<'a>(&'a Chapter, &'a ItemEdits);

impl Serialize for EditedChapter<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let EditedChapter(chapter, edits) = *self;
        let Chapter {
            name,
            content,
            number,
            sub_items,
            path,
            source_path,
            parent_names,
        } = chapter;
        let mut out = serializer.serialize_struct("Chapter", 7)?;
        out.serialize_field("name", name)?;
        match &edits.edits {
            Some(edits) => out.serialize_field("content", &Content(content, edits))?,
            None => out.serialize_field("content", content)?,
        }
        out.serialize_field("number", number)?;
        out.serialize_field("sub_items", &Items(sub_items, &edits.sub_items))?;
        out.serialize_field("path", path)?;
        out.serialize_field("source_path", source_path)?;
        out.serialize_field("parent_names", parent_names)?;
        out.end()
    }
}

/// A chapter's text with its edits applied, written as one string piece by piece.
struct Content<'a>(&'a str, &'a Edits);

impl Serialize for Content<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Content<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.1.write_to(self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use mdbook_markdown::MarkdownOptions;
    use mdbook_preprocessor::book::SectionNumber;

    use super::*;
    use crate::dataset::Dataset;
    use crate::diagnostic::Diagnostics;
    use crate::expand::Expander;
    use crate::render::Format;

    fn chapter(name: &str, content: &str, sub_items: Vec<BookItem>) -> BookItem {
        let mut chapter = Chapter::new(name, content.into(), format!("{name}.md"), Vec::new());
        chapter.number = Some(SectionNumber::new([1, 2]));
        chapter.sub_items = sub_items;
        BookItem::Chapter(chapter)
    }

    #[test]
    fn writes_what_serde_writes_for_the_expanded_book() {
        let escaped = "Write \\<<compare x>> for a table.\n\n\"Quotes\", tabs\tand <html>\n";
        let mut draft = Chapter::new_draft("Draft", vec!["Parent".into()]);
        draft.content = escaped.into();
        draft.source_path = Some(PathBuf::from("draft.md"));
        let book = Book::new_with_items(vec![
            BookItem::PartTitle("Part".into()),
            chapter(
                "Parent",
                escaped,
                vec![
                    chapter("Plain", "no directive\n", vec![]),
                    BookItem::Chapter(draft),
                    BookItem::Separator,
                ],
            ),
            BookItem::Separator,
            chapter("Last", "1 << 3 and Vec<Vec<T>>\n", vec![]),
        ]);

        let dataset = Dataset::default();
        let mut diagnostics = Diagnostics::default();
        let mut expander = Expander::new(&dataset, Format::Html, MarkdownOptions::default());
        let edits = plan(&book.items, &mut |chapter| {
            expander.edits(&chapter.name, &chapter.content, &mut diagnostics)
        });
        let streamed = serde_json::to_string(&Edited {
            book: &book,
            edits: &edits,
        })
        .unwrap();

        let mut expanded = book.clone();
        expanded.for_each_mut(|item| {
            if let BookItem::Chapter(chapter) = item {
                let text = expander.expand(&chapter.name, &chapter.content, &mut diagnostics);
                chapter.content = text.unwrap_or_else(|| chapter.content.clone());
            }
        });
        assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
        assert!(streamed.contains(r"Write \\<\\<compare x>>"), "{streamed}");
        assert_eq!(streamed, serde_json::to_string(&expanded).unwrap());
    }
}
