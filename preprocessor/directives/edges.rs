//! `<<edges>>`: the verdict in a few lines, for a landing page. For each language, then for
//! "depends", the dimensions where it has the edge, each linked to its chapter; the full table
//! is `<<glance>>`.

use super::parts::{self, plain};
use super::{Call, Cites, Context, Directive, Home, Placement, args};
use crate::dataset::DEPENDS;
use crate::diagnostic::Diagnostics;
use crate::view::{Figure, FigureKind, Link, NoteKind, Span, View};

/// The registry's entry.
pub(super) const DIRECTIVE: Directive = Directive {
    name: "edges",
    placement: Placement::Block,
    usage: USAGE,
    resolve,
    home: |_| None,
    cites: |_| Cites::Nothing,
};

const USAGE: &str = "<<edges>>";

fn resolve(call: &Call<'_>, context: &Context<'_>, diagnostics: &mut Diagnostics) -> Option<View> {
    args::exactly(call, context, diagnostics, &[], DIRECTIVE.usage)?;
    let data = context.dataset;
    let dimensions = args::every_dimension(call, context, diagnostics)?;
    let verdicts = data
        .languages
        .iter()
        .map(|l| l.id.as_str())
        .chain([DEPENDS]);
    let mut blocks = vec![parts::note(
        NoteKind::Detail,
        vec![Span::Strong(
            "Where each has the edge, dimension by dimension:".into(),
        )],
    )];
    for verdict in verdicts {
        let mut text = vec![parts::edge(data, verdict, ""), plain(": ")];
        let mut any = false;
        for entry in dimensions.iter().filter(|d| d.value.edge == verdict) {
            if any {
                text.push(plain(", "));
            }
            any = true;
            let title = plain(&entry.value.title);
            text.push(
                match context.home_target(&Home::Dimension(entry.id.clone())) {
                    Some(target) => Span::Link(Link {
                        text: vec![title],
                        target,
                        title: None,
                    }),
                    None => title,
                },
            );
        }
        if any {
            blocks.push(parts::note(NoteKind::Detail, text));
        }
    }
    Some(View::Figure(Figure {
        kind: FigureKind::Edges,
        id: "edges".into(),
        blocks,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{dataset, figure, problems, words};
    use crate::view::Block;

    #[test]
    fn each_verdict_lists_the_dimensions_it_wins_each_once() {
        let figure = figure("<<edges>>");
        assert_eq!(figure.id, "edges");
        let lines: Vec<String> = figure
            .blocks
            .iter()
            .skip(1)
            .map(|b| match b {
                Block::Note(n) => words(&n.text),
                other => panic!("{other:?}"),
            })
            .collect();
        let data = dataset();
        let listed: usize = lines.iter().map(|l| l.matches(", ").count() + 1).sum();
        assert_eq!(listed, data.dimensions.len(), "{lines:?}");
        for d in &data.dimensions {
            let line = lines
                .iter()
                .find(|l| l.contains(&d.value.title))
                .unwrap_or_else(|| panic!("{} missing from {lines:?}", d.id));
            assert!(line.starts_with(data.verdict_name(&d.value.edge)), "{line}");
        }
    }

    #[test]
    fn edges_takes_no_argument() {
        assert!(problems("<<edges all>>").contains("<<edges>>"));
    }
}
