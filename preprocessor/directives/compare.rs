//! `<<compare ID>>`, `<<compare ID ID ...>>`, `<<compare category=CAT>>`, `<<compare all>>`:
//! one dimension in full, or several as a matrix (`all` with the per-category scorecard).

use super::parts::{self, Citations, plain};
use super::{Call, Cites, Context, Directive, Home, Placement, Word, args};
use crate::dataset::model::Dimension;
use crate::dataset::{DEPENDS, Entry};
use crate::diagnostic::Diagnostics;
use crate::view::{Block, Figure, FigureKind, NoteKind, Row, Span, Table, TableKind, View};

/// The registry's entry.
pub(super) const DIRECTIVE: Directive = Directive {
    name: "compare",
    placement: Placement::Block,
    usage: USAGE,
    resolve,
    home,
    cites: |_| Cites::Nothing,
};

const USAGE: &str = "<<compare ID [ID ...] | category=CAT | all>>";

/// Which dimensions a call shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selection<'c, 'a> {
    /// One dimension, in full.
    One(&'c Word<'a>),
    /// Several, as a matrix.
    Many(&'c [Word<'a>]),
    /// Every dimension of a category (the value after `category=`), as a matrix.
    Category(Word<'a>),
    /// Every dimension, as a matrix with a scorecard.
    All,
}

/// Reads the call's arguments; `Err` holds the message and its span.
fn select<'c, 'a>(
    call: &'c Call<'a>,
) -> Result<Selection<'c, 'a>, (String, std::ops::Range<usize>)> {
    let whole = args::args_span(call);
    match call.args.as_slice() {
        [] => Err((
            "`compare` needs something to compare".into(),
            call.span.clone(),
        )),
        [only] => match only.text.split_once('=') {
            Some(("category", "")) => {
                Err(("`category=` needs a category id".into(), only.span.clone()))
            }
            Some(("category", value)) => Ok(Selection::Category(Word {
                text: value,
                span: only.span.end - value.len()..only.span.end,
            })),
            Some((key, _)) => Err((
                format!("unknown option `{key}`: the only option is `category=CAT`"),
                only.span.start..only.span.start + key.len(),
            )),
            None if only.text == "all" => Ok(Selection::All),
            None => Ok(Selection::One(only)),
        },
        many => {
            if let Some(option) = many.iter().find(|w| w.text.contains('=')) {
                let message = if option.text.starts_with("category=") {
                    "`category=` cannot be combined with other arguments".to_string()
                } else {
                    "options cannot be combined with ids".to_string()
                };
                return Err((message, whole));
            }
            if many.iter().any(|w| w.text == "all") {
                return Err(("`all` cannot be combined with ids".into(), whole));
            }
            for (i, id) in many.iter().enumerate() {
                if many[..i].iter().any(|earlier| earlier.text == id.text) {
                    return Err((format!("`{}` is listed twice", id.text), id.span.clone()));
                }
            }
            Ok(Selection::Many(many))
        }
    }
}

/// `<<compare ID>>` is the home of dimension `ID`.
fn home(call: &Call<'_>) -> Option<Home> {
    match select(call) {
        Ok(Selection::One(id)) => Some(Home::Dimension(id.text.to_string())),
        _ => None,
    }
}

fn resolve(call: &Call<'_>, context: &Context<'_>, diagnostics: &mut Diagnostics) -> Option<View> {
    let selection = match select(call) {
        Ok(selection) => selection,
        Err((message, span)) => {
            args::error(
                context,
                diagnostics,
                message,
                span,
                args::usage(DIRECTIVE.usage),
            );
            return None;
        }
    };
    let data = context.dataset;
    let figure = match selection {
        Selection::One(id) => dimension(context, args::dimension(context, diagnostics, id)?),
        Selection::Many(ids) => {
            let rows: Vec<_> = ids
                .iter()
                .filter_map(|id| args::dimension(context, diagnostics, id))
                .collect();
            if rows.len() < ids.len() {
                return None;
            }
            let titles: Vec<&str> = rows.iter().map(|d| d.value.title.as_str()).collect();
            let id = ids.iter().map(|w| w.text).collect::<Vec<_>>().join("-");
            matrix(
                context,
                &id,
                format!("Compared: {}", titles.join(", ")),
                &rows,
                false,
            )
        }
        Selection::Category(word) => {
            let category = args::category(context, diagnostics, &word)?;
            let rows: Vec<_> = data
                .dimensions_in_order()
                .into_iter()
                .filter(|d| d.value.category == category.id)
                .collect();
            if rows.is_empty() {
                // A dimension file that could not be read may be in it: that is reported.
                if data.unreadable.dimensions {
                    return None;
                }
                args::error(
                    context,
                    diagnostics,
                    format!("category `{}` has no dimensions", category.id),
                    word.span.clone(),
                    "compare a category that has dimensions, or give the dimensions' ids".into(),
                );
                return None;
            }
            let caption = format!("{}: every dimension compared", category.name);
            matrix(
                context,
                &format!("category-{}", category.id),
                caption,
                &rows,
                false,
            )
        }
        Selection::All => {
            let rows = args::every_dimension(call, context, diagnostics)?;
            matrix(
                context,
                "all",
                "Every dimension compared".into(),
                &rows,
                true,
            )
        }
    };
    Some(View::Figure(figure))
}

/// The label in front of a dimension's verdict.
fn verdict_label(dimension: &Dimension) -> &'static str {
    if dimension.edge == DEPENDS {
        "What it depends on:"
    } else {
        "Why:"
    }
}

/// One dimension in full: its takes, its verdict, its sources.
fn dimension(context: &Context<'_>, entry: &Entry<Dimension>) -> Figure {
    let data = context.dataset;
    let d = &entry.value;
    let rows = data
        .languages
        .iter()
        .map(|l| {
            let take = d
                .takes
                .get(&l.id)
                .map_or(Span::Missing, |t| Span::Markdown(t.clone()));
            Row::from(vec![vec![plain(&l.name)], vec![take]])
        })
        .collect();
    let mut meta = parts::sources(&d.sources, &d.as_of, d.changed.as_deref());
    meta.extend(parts::data_links(
        context.repository.map(|r| r.dimension(entry)),
    ));
    Figure {
        kind: FigureKind::Dimension,
        id: format!("dimension-{}", entry.id),
        blocks: vec![
            Block::Table(Table {
                kind: TableKind::Takes,
                caption: vec![
                    Span::Strong(d.title.clone()),
                    plain(" "),
                    parts::category(data, &d.category),
                    plain(" "),
                    parts::edge(data, &d.edge, "Edge: "),
                ],
                header: vec![vec![plain("Language")], vec![plain("Take")]],
                rows,
            }),
            parts::note(
                NoteKind::Verdict,
                vec![
                    Span::Strong(verdict_label(d).into()),
                    plain(" "),
                    Span::Markdown(d.verdict.clone()),
                ],
            ),
            parts::note(NoteKind::Meta, meta),
        ],
    }
}

/// Dimensions side by side, with their sources numbered below (and the scorecard for `all`).
fn matrix(
    context: &Context<'_>,
    id: &str,
    caption: String,
    rows: &[&Entry<Dimension>],
    scorecard: bool,
) -> Figure {
    let data = context.dataset;
    let mut header = vec![vec![plain("Dimension")]];
    header.extend(parts::language_headers(data));
    header.extend([vec![plain("Edge")], vec![plain("Sources")]]);
    let mut citations = Citations::default();
    let table_rows = rows
        .iter()
        .map(|entry| {
            let d = &entry.value;
            let mut row = vec![vec![
                plain(&d.title),
                plain(" "),
                parts::category(data, &d.category),
            ]];
            row.extend(data.languages.iter().map(|l| {
                vec![
                    d.takes
                        .get(&l.id)
                        .map_or(Span::Missing, |t| Span::Markdown(t.clone())),
                ]
            }));
            row.push(vec![parts::edge(data, &d.edge, "")]);
            let mut cited = citations.cite(&d.sources, &d.as_of, d.changed.as_deref());
            cited.extend(parts::data_links(
                context.repository.map(|r| r.dimension(entry)),
            ));
            row.push(cited);
            Row::anchored(format!("dimension-{}", entry.id), row)
        })
        .collect();
    let mut blocks = vec![
        Block::Table(Table {
            kind: TableKind::Matrix,
            caption: vec![plain(caption)],
            header,
            rows: table_rows,
        }),
        citations.list(),
    ];
    if scorecard {
        blocks.push(parts::scorecard(data, rows.iter().map(|e| &e.value)));
    }
    Figure {
        kind: FigureKind::Matrix,
        id: format!("matrix-{id}"),
        blocks,
    }
}
