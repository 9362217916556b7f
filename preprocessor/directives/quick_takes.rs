//! `<<quick-takes>>`: "if you're ..., pick ...", each take with a "Read" link to the chapter of
//! its dimension. The site's decision guide is this table.

use super::parts::{self, Citations, plain};
use super::{Call, Cites, Context, Directive, Home, Placement, args};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::view::{Block, Figure, FigureKind, Link, NoteKind, Row, Span, Table, TableKind, View};

/// The registry's entry.
pub(super) const DIRECTIVE: Directive = Directive {
    name: "quick-takes",
    placement: Placement::Block,
    usage: USAGE,
    resolve,
    home: |_| None,
    cites: |_| Cites::Nothing,
};

const USAGE: &str = "<<quick-takes>>";

fn resolve(call: &Call<'_>, context: &Context<'_>, diagnostics: &mut Diagnostics) -> Option<View> {
    args::exactly(call, context, diagnostics, &[], DIRECTIVE.usage)?;
    let data = context.dataset;
    let Some(entry) = &data.quick_takes else {
        if !data.unreadable.quick_takes {
            args::error(
                context,
                diagnostics,
                "no quick takes are defined",
                call.span.clone(),
                "add `quick-takes.toml` with `[[take]]` tables to the data folder".into(),
            );
        }
        return None;
    };
    let mut citations = Citations::default();
    let mut homeless = Vec::new();
    let rows = entry
        .value
        .iter()
        .enumerate()
        .map(|(index, take)| {
            let read = take
                .dimension
                .as_deref()
                .and_then(|id| {
                    let dimension = data.dimension(id)?;
                    let Some(target) = context.home_target(&Home::Dimension(id.into())) else {
                        let directive = format!("`<<compare {id}>>`");
                        if !homeless.contains(&directive) {
                            homeless.push(directive);
                        }
                        return None;
                    };
                    Some(Span::Link(Link {
                        text: vec![plain(&dimension.value.title)],
                        target,
                        title: None,
                    }))
                })
                .unwrap_or(Span::Missing);
            let cells = vec![
                vec![Span::Markdown(take.situation.clone())],
                vec![parts::edge(data, &take.pick, "")],
                vec![Span::Markdown(take.reason.clone())],
                vec![read],
                citations.cite(&take.sources, &take.as_of, take.changed.as_deref()),
            ];
            // Quick takes have no ids: a take is known by its place in the file.
            Row::anchored(format!("take-{}", index + 1), cells)
        })
        .collect();
    if !homeless.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                "some quick takes name a dimension with no chapter of its own, so they have nothing to read",
                context.at(call.span.clone()),
            )
            .with_help(format!("show each alone in a chapter: {}", homeless.join(", "))),
        );
    }
    let header = ["If you're…", "Pick", "Because", "Read", "Sources"]
        .iter()
        .map(|h| vec![plain(*h)])
        .collect();
    let mut blocks = vec![
        Block::Table(Table {
            kind: TableKind::QuickTakes,
            caption: vec![plain("Quick takes: which language for which job")],
            header,
            rows,
        }),
        citations.list(),
    ];
    let links = parts::data_links(context.repository.map(|r| r.quick_takes(entry)));
    if let [_separator, rest @ ..] = links.as_slice() {
        blocks.push(parts::note(NoteKind::Meta, rest.to_vec()));
    }
    Some(View::Figure(Figure {
        kind: FigureKind::QuickTakes,
        id: "quick-takes".into(),
        blocks,
    }))
}
