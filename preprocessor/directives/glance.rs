//! `<<glance>>`: the At a glance table. One row per dimension (its title linking to its
//! chapter), each language's short summary and the edge; one "checked" date range for the
//! whole table; then the per-category scorecard. Sources stay in each chapter.

use super::parts::{self, plain};
use super::{Call, Cites, Context, Directive, Home, Placement, args};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::view::{Block, Figure, FigureKind, Link, NoteKind, Row, Span, Table, TableKind, View};

/// The registry's entry.
pub(super) const DIRECTIVE: Directive = Directive {
    name: "glance",
    placement: Placement::Block,
    usage: USAGE,
    resolve,
    home: |_| None,
    cites: |_| Cites::Nothing,
};

const USAGE: &str = "<<glance>>";

fn resolve(call: &Call<'_>, context: &Context<'_>, diagnostics: &mut Diagnostics) -> Option<View> {
    args::exactly(call, context, diagnostics, &[], DIRECTIVE.usage)?;
    let data = context.dataset;
    let dimensions = args::every_dimension(call, context, diagnostics)?;
    let mut header = vec![vec![plain("Dimension")]];
    header.extend(parts::language_headers(data));
    header.push(vec![plain("Edge")]);
    let mut homeless = Vec::new();
    let rows = dimensions
        .iter()
        .map(|entry| {
            let d = &entry.value;
            let title = match context.home_target(&Home::Dimension(entry.id.clone())) {
                Some(target) => Span::Link(Link {
                    text: vec![plain(&d.title)],
                    target,
                    title: None,
                }),
                None => {
                    homeless.push(entry.id.as_str());
                    plain(&d.title)
                }
            };
            let mut row = vec![vec![title]];
            row.extend(data.languages.iter().map(|l| {
                vec![
                    d.summary
                        .get(&l.id)
                        .map_or(Span::Missing, |s| Span::Markdown(s.clone())),
                ]
            }));
            row.push(vec![parts::edge(data, &d.edge, "")]);
            Row::anchored(format!("dimension-{}", entry.id), row)
        })
        .collect();
    if !homeless.is_empty() {
        let list: Vec<String> = homeless
            .iter()
            .map(|id| format!("`<<compare {id}>>`"))
            .collect();
        diagnostics.push(
            Diagnostic::warning(
                format!(
                    "{} dimension(s) have no chapter of their own, so their rows link nowhere: {}",
                    homeless.len(),
                    homeless.join(", ")
                ),
                context.at(call.span.clone()),
            )
            .with_help(format!("show each alone in a chapter: {}", list.join(", "))),
        );
    }
    let dates = dimensions.iter().map(|d| d.value.as_of.as_str());
    let (first, last) = (dates.clone().min(), dates.max());
    let mut checked = match (first, last) {
        (Some(first), Some(last)) if first != last => vec![
            plain("Checked between "),
            Span::Date(first.into()),
            plain(" and "),
            Span::Date(last.into()),
        ],
        (Some(only), _) => vec![plain("Checked on "), Span::Date(only.into())],
        _ => Vec::new(),
    };
    checked.push(plain(
        ". Each dimension's sources, dates and full takes are in its chapter: follow its title.",
    ));
    Some(View::Figure(Figure {
        kind: FigureKind::Glance,
        id: "glance".into(),
        blocks: vec![
            Block::Table(Table {
                kind: TableKind::Glance,
                caption: vec![plain("At a glance")],
                header,
                rows,
            }),
            parts::note(NoteKind::Meta, checked),
            parts::scorecard(data, dimensions.iter().map(|e| &e.value)),
        ],
    }))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{chapter, dataset, outcome_in, tables, words};
    use crate::view::{Span, TableKind, View};

    #[test]
    fn glance_is_compact_and_links_each_row_home() {
        let (view, report) = outcome_in(&dataset(), "guide/page.md", "<<glance>>");
        assert!(
            report.contains("warning: 1 dimension(s) have no chapter of their own"),
            "{report}"
        );
        assert!(report.contains("`<<compare tooling>>`"), "{report}");
        let Some(View::Figure(glance)) = view else {
            panic!("a figure");
        };
        let table = tables(&glance)[0];
        let header: Vec<String> = table.header.iter().map(words).collect();
        assert_eq!(header, ["Dimension", "Rust", "Go", "Zig", "Edge"]);
        let speed = table.rows.iter().find(|r| words(&r[0]) == "Speed").unwrap();
        assert!(
            matches!(&speed[0][..], [Span::Link(l)] if l.target == chapter("../dimensions/speed.md", "dimension-speed"))
        );
        assert_eq!(words(&speed[1]), "Native, no GC");
        let tooling = table
            .rows
            .iter()
            .find(|r| words(&r[0]) == "Tooling")
            .unwrap();
        assert_eq!(tooling[3], vec![Span::Missing], "no summary for zig");
        let all = format!("{glance:?}");
        assert!(all.contains("Checked between "), "{all}");
        assert!(all.contains("2026-10-15") && all.contains("2026-11-20"));
        assert_eq!(tables(&glance)[1].kind, TableKind::Scorecard);
    }
}
