//! Pieces that several directives' views share: badges with their tones, sources and
//! citations, dates, and the links back to the data.

use std::collections::HashMap;

use super::Context;
use crate::dataset::model::{self, Language};
use crate::dataset::{DEPENDS, Dataset};
use crate::repository::Links;
use crate::view::{
    Badge, Block, Colour, Link, Note, NoteKind, Row, Source, Span, Table, TableKind, Target, Text,
    Tone,
};

/// The tone of a verdict: a language's column (and colour), or "depends".
pub(super) fn tone(dataset: &Dataset, id: &str) -> Tone {
    match dataset.languages.iter().position(|l| l.id == id) {
        Some(index) => language_tone(index, &dataset.languages[index]),
        None if id == DEPENDS => Tone::Depends,
        None => Tone::Neutral,
    }
}

/// The tone of the language in column `index` (0-based).
pub(super) fn language_tone(index: usize, language: &Language) -> Tone {
    Tone::Language {
        column: index + 1,
        colour: language.colour.as_deref().and_then(Colour::parse),
    }
}

/// A badge for an edge or a pick, its text after `prefix`.
pub(super) fn edge(dataset: &Dataset, id: &str, prefix: &str) -> Span {
    Span::Badge(Badge {
        text: format!("{prefix}{}", dataset.verdict_name(id)),
        tone: tone(dataset, id),
    })
}

/// A badge for a category.
pub(super) fn category(dataset: &Dataset, id: &str) -> Span {
    Span::Badge(Badge {
        text: dataset.category(id).map_or(id, |c| c.name.as_str()).into(),
        tone: Tone::Category,
    })
}

/// Plain text.
pub(super) fn plain(text: impl Into<String>) -> Span {
    Span::Plain(text.into())
}

/// A source of the dataset as the view shows it.
pub(super) fn source(source: &model::Source) -> Source {
    Source {
        title: source.title.clone(),
        url: source.url.clone(),
    }
}

/// A source inline: a link to it, or its title when it has no address.
pub(super) fn source_span(source: &model::Source) -> Span {
    match &source.url {
        Some(url) => Span::Link(Link {
            text: vec![plain(&source.title)],
            target: Target::Url(url.clone()),
            title: None,
        }),
        None => Span::Title(source.title.clone()),
    }
}

/// "Sources: A; B · as of DATE" (or "· checked DATE · changed DATE").
pub(super) fn sources(list: &[model::Source], as_of: &str, changed: Option<&str>) -> Text {
    let mut text = vec![plain("Sources: ")];
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            text.push(plain("; "));
        }
        text.push(source_span(s));
    }
    text.extend(checked(as_of, changed));
    text
}

/// When the entry was checked and changed: " · checked DATE · changed DATE", or " · changed
/// and checked DATE" when both are one day, or " · as of DATE" when no change is recorded.
pub(super) fn checked(as_of: &str, changed: Option<&str>) -> Text {
    match changed {
        Some(changed) if changed != as_of => vec![
            plain(" · checked "),
            Span::Date(as_of.into()),
            plain(" · changed "),
            Span::Date(changed.into()),
        ],
        Some(_) => vec![plain(" · changed and checked "), Span::Date(as_of.into())],
        None => vec![plain(" · as of "), Span::Date(as_of.into())],
    }
}

/// " · view data · suggest a change", when the book names its repository.
pub(super) fn data_links(links: Option<Links>) -> Text {
    let Some(links) = links else {
        return Vec::new();
    };
    let link = |label: &str, url: String| {
        Span::Link(Link {
            text: vec![plain(label)],
            target: Target::Url(url),
            title: None,
        })
    };
    vec![
        plain(" · "),
        link("view data", links.view),
        plain(" · "),
        link("suggest a change", links.suggest),
    ]
}

/// How a verdict is reached, which a page says once, however many verdicts it shows.
pub(super) fn verdict_rule() -> Block {
    Block::Explanation(Note {
        kind: NoteKind::Detail,
        text: vec![
            Span::Strong("Verdicts:".into()),
            plain(" "),
            plain(super::measure::RULE),
        ],
    })
}

/// A paragraph of `kind`.
pub(super) fn note(kind: NoteKind, text: Text) -> Block {
    Block::Note(Note { kind, text })
}

/// The column headers for languages, in column order.
pub(super) fn language_headers(dataset: &Dataset) -> impl Iterator<Item = Text> + '_ {
    dataset.languages.iter().map(|l| vec![plain(&l.name)])
}

/// The sources of a table with many rows, each numbered once in order of first use, so that a
/// row cites "[1] [3]" and the list below the table spells them out.
#[derive(Debug, Default)]
pub(super) struct Citations<'d> {
    sources: Vec<&'d model::Source>,
    /// Each source's number, by title and address: a table citing n sources costs n look-ups.
    numbers: HashMap<(&'d str, Option<&'d str>), usize>,
}

impl<'d> Citations<'d> {
    /// A row's citations of `sources` and its dates, numbering new sources.
    pub(super) fn cite(
        &mut self,
        sources: &'d [model::Source],
        as_of: &str,
        changed: Option<&str>,
    ) -> Text {
        let mut text = Vec::new();
        for (i, source) in sources.iter().enumerate() {
            let key = (source.title.as_str(), source.url.as_deref());
            let number = *self.numbers.entry(key).or_insert_with(|| {
                self.sources.push(source);
                self.sources.len()
            });
            if i > 0 {
                text.push(plain(" "));
            }
            text.push(Span::Cite(number));
        }
        text.extend(checked(as_of, changed));
        text
    }

    /// The numbered list of every source cited.
    pub(super) fn list(&self) -> Block {
        Block::Sources(self.sources.iter().map(|s| source(s)).collect())
    }
}

/// Edges per category, in category order and only for categories with dimensions, with no
/// total: the dimensions are not alike, so their sum would mean nothing.
pub(super) fn scorecard<'d>(
    dataset: &'d Dataset,
    dimensions: impl Iterator<Item = &'d model::Dimension> + Clone,
) -> Block {
    let columns = dataset.verdict_choices();
    let mut header = vec![vec![plain("Category")]];
    header.extend(language_headers(dataset));
    header.push(vec![plain("Depends")]);
    let rows = dataset
        .categories
        .iter()
        .filter_map(|category| {
            let in_category = dimensions.clone().filter(|d| d.category == category.id);
            in_category.clone().next()?;
            let mut row = vec![vec![plain(&category.name)]];
            row.extend(columns.iter().map(|column| {
                let count = in_category.clone().filter(|d| d.edge == *column).count();
                vec![plain(count.to_string())]
            }));
            Some(Row::from(row))
        })
        .collect();
    Block::Table(Table {
        kind: TableKind::Scorecard,
        caption: vec![plain(
            "Edges per category (not added up: the dimensions are not alike)",
        )],
        header,
        rows,
    })
}

/// "Cited in:" and a link to each other chapter that quotes benchmark `id`, or nothing when
/// none does.
pub(super) fn cited_in(context: &Context<'_>, id: &str) -> Option<Block> {
    let citing = context.citing(id);
    if citing.is_empty() {
        return None;
    }
    let mut text = vec![Span::Strong("Cited in:".into())];
    for (i, (name, target)) in citing.into_iter().enumerate() {
        text.push(plain(if i == 0 { " " } else { ", " }));
        text.push(Span::Link(Link {
            text: vec![plain(name)],
            target,
            title: None,
        }));
    }
    Some(note(NoteKind::Detail, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::View;
    use crate::write::{html, markdown};

    #[test]
    fn a_source_without_an_address_is_still_cited_inline() {
        let list = [
            model::Source {
                title: "A talk".into(),
                url: None,
            },
            model::Source {
                title: "A post".into(),
                url: Some("https://example.org/post".into()),
            },
        ];
        let text = sources(&list, "2026-11-30", None);
        assert!(text.contains(&Span::Title("A talk".into())), "{text:?}");
        let view = View::Inline(text);
        let html = html::render(&view, &mut html::Anchors::default());
        assert!(html.contains("<cite>A talk</cite>"), "{html}");
        assert!(html.contains(">A post</a>"), "{html}");
        let markdown = markdown::render(&view);
        assert!(markdown.contains("*A talk*"), "{markdown}");
    }

    #[test]
    fn citations_number_each_source_once_in_order_of_first_use() {
        let source = |n: usize| model::Source {
            title: format!("Source {n}"),
            url: n
                .is_multiple_of(2)
                .then(|| format!("https://example.org/{n}")),
        };
        let rows: Vec<Vec<model::Source>> = (0..2000)
            .map(|row| vec![source(row % 700), source((row * 7) % 700)])
            .collect();
        let mut citations = Citations::default();
        let cited: Vec<Text> = rows
            .iter()
            .map(|r| citations.cite(r, "2026-01-01", None))
            .collect();
        let Block::Sources(list) = citations.list() else {
            panic!("a list of sources");
        };
        assert_eq!(list.len(), 700);
        for (row, text) in rows.iter().zip(&cited) {
            let numbers = text.iter().filter_map(|span| match span {
                Span::Cite(number) => Some(*number),
                _ => None,
            });
            for (source, number) in row.iter().zip(numbers) {
                assert_eq!(list[number - 1].title, source.title);
                assert_eq!(list[number - 1].url, source.url);
            }
        }
        assert_eq!(list[0].title, "Source 0");
        assert_eq!(list[1].title, "Source 1");
    }
}
