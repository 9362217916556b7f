//! `<<benchmark-summary>>`: every reproduced benchmark with a `headline` metric, the verdict
//! between the first two languages with the ratio's 95% interval and the runs, on one
//! log-scale chart, each linking to the benchmark's chapter; and the same in a table. Only a
//! clear difference takes a language's colour; without a verdict no bar is drawn.

use super::measure::{self, Comparison, Verdict};
use super::parts::{self, plain};
use super::{Call, Cites, Context, Directive, Home, Placement, args};
use crate::dataset::Entry;
use crate::dataset::model::{Benchmark, Language, Metric, Provenance};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::view::{
    Bar, Block, Chart, Figure, FigureKind, Link, NoteKind, Scale, Span, Table, TableKind, Text,
    Tone, View,
};

/// The registry's entry.
pub(super) const DIRECTIVE: Directive = Directive {
    name: "benchmark-summary",
    placement: Placement::Block,
    usage: USAGE,
    resolve,
    home: |_| None,
    cites: |_| Cites::Summary,
};

const USAGE: &str = "<<benchmark-summary>>";

/// The headline metric of `b` that the summary shows: a reproduced benchmark's, if it names one.
pub(super) fn headline(b: &Benchmark) -> Option<&String> {
    (b.provenance == Provenance::Reproduced)
        .then_some(b.headline.as_ref())
        .flatten()
}

/// One benchmark's headline, compared.
struct Row<'d> {
    entry: &'d Entry<Benchmark>,
    metric: &'d Metric,
    /// The first language against the second, when both were measured.
    comparison: Option<Comparison>,
}

fn resolve(call: &Call<'_>, context: &Context<'_>, diagnostics: &mut Diagnostics) -> Option<View> {
    args::exactly(call, context, diagnostics, &[], DIRECTIVE.usage)?;
    let data = context.dataset;
    let [first, second, ..] = data.languages.as_slice() else {
        if !data.unreadable.languages {
            args::error(
                context,
                diagnostics,
                "the benchmark summary compares two languages, and fewer are defined",
                call.span.clone(),
                "define at least two languages in `languages.toml`".into(),
            );
        }
        return None;
    };
    let mut rows = Vec::new();
    for entry in &data.benchmarks {
        let b = &entry.value;
        let Some(headline) = headline(b) else {
            continue;
        };
        let Some(metric) = b.metric(headline) else {
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "benchmark `{}` names headline `{headline}`, which is none of its metrics",
                        entry.id
                    ),
                    context.at(call.span.clone()),
                )
                .with_choices(
                    "metric ids",
                    headline,
                    b.metrics.iter().map(|m| m.id.as_str()),
                ),
            );
            return None;
        };
        rows.push(Row {
            entry,
            metric,
            comparison: measure::compare(metric, b, first, second),
        });
    }
    if rows.is_empty() {
        if !data.unreadable.benchmarks {
            args::error(
                context,
                diagnostics,
                "no reproduced benchmark has a `headline` metric",
                call.span.clone(),
                "set `headline = \"METRIC-ID\"` in a reproduced benchmark's file".into(),
            );
        }
        return None;
    }
    let mut homeless = Vec::new();
    let targets: Vec<_> = rows
        .iter()
        .map(|row| {
            let target = context.home_target(&Home::Benchmark(row.entry.id.clone()));
            if target.is_none() {
                homeless.push(format!("`<<benchmark {}>>`", row.entry.id));
            }
            target
        })
        .collect();
    if !homeless.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                "the benchmark summary links each benchmark to its chapter, and some have none",
                context.at(call.span.clone()),
            )
            .with_help(format!("add to a chapter: {}", homeless.join(", "))),
        );
        return None;
    }
    let chart = chart(&rows, &targets, first, second, data);
    let mut table = table(&rows, &targets, first, second);
    add_machines_column(&mut table, &rows, first, second);
    Some(View::Figure(Figure {
        kind: FigureKind::BenchmarkSummary,
        // Not `benchmark-...`: that is the anchor of the benchmark with the rest as its id.
        id: "summary-of-benchmarks".into(),
        blocks: vec![
            Block::Chart(chart),
            table,
            parts::note(
                NoteKind::Meta,
                vec![plain(format!(
                    "Each bar compares {} with {}.",
                    first.name, second.name,
                ))],
            ),
            parts::verdict_rule(),
        ],
    }))
}

/// The verdict in words, with its interval and runs: "Rust with 1.54x lower start-up time
/// (95% CI 1.49–1.58, n = 300 each)"; shorter (without the quantity) for a bar.
fn verdict_text(row: &Row<'_>, first: &Language, second: &Language, short: bool) -> String {
    match row.comparison {
        Some(c) if short => c.short_text(row.metric, first, second),
        Some(c) => c.text(row.metric, first, second, false),
        None => format!("not measured for both {} and {}", first.name, second.name),
    }
}

/// The chart: a bar per benchmark, right when the first language is better.
fn chart(
    rows: &[Row<'_>],
    targets: &[Option<crate::view::Target>],
    first: &Language,
    second: &Language,
    data: &crate::dataset::Dataset,
) -> Chart {
    let bars = rows
        .iter()
        .zip(targets)
        .map(|(row, target)| {
            let tone = match row.comparison.map(|c| c.verdict) {
                Some(Verdict::Clear { first_wins }) => {
                    parts::tone(data, if first_wins { &first.id } else { &second.id })
                }
                _ => Tone::Neutral,
            };
            // A bar only where there is an interval to draw, as a whisker.
            let value = row.comparison.and_then(|c| match (c.verdict, c.interval) {
                (
                    Verdict::Clear { .. } | Verdict::Same | Verdict::Unclear,
                    Some((low, high, _)),
                ) => Some(crate::view::Spread {
                    median: c.log,
                    min: low,
                    max: high,
                    runs: None,
                }),
                _ => None,
            });
            Bar {
                label: row.entry.value.title.clone(),
                target: target.clone(),
                value,
                text: verdict_text(row, first, second, true),
                best: false,
                tone,
            }
        })
        .collect();
    let description: Vec<String> = rows
        .iter()
        .map(|row| {
            format!(
                "{} ({}): {}",
                row.entry.value.title,
                row.metric.name,
                verdict_text(row, first, second, false)
            )
        })
        .collect();
    Chart {
        title: format!(
            "Headline ratios, {} against {} (log scale)",
            first.name, second.name
        ),
        description: format!("{}.", description.join("; ")),
        scale: Scale::Log {
            below: format!("{} better", second.name),
            above: format!("{} better", first.name),
        },
        bars,
    }
}

/// The same figures as a table, with each headline metric and date.
fn table(
    rows: &[Row<'_>],
    targets: &[Option<crate::view::Target>],
    first: &Language,
    second: &Language,
) -> Block {
    let header: Vec<Text> = ["Benchmark", "Headline", "Result", "Measured"]
        .iter()
        .map(|h| vec![plain(*h)])
        .collect();
    let rows = rows
        .iter()
        .zip(targets)
        .map(|(row, target)| {
            let title = plain(&row.entry.value.title);
            let title = match target {
                Some(target) => Span::Link(Link {
                    text: vec![title],
                    target: target.clone(),
                    title: None,
                }),
                None => title,
            };
            vec![
                vec![title],
                vec![plain(format!(
                    "{} ({})",
                    row.metric.name,
                    measure::direction_text(row.metric.direction)
                ))],
                vec![plain(verdict_text(row, first, second, false))],
                vec![Span::Date(row.entry.value.as_of.clone())],
            ]
            .into()
        })
        .collect();
    Block::Table(Table {
        kind: TableKind::Summary,
        caption: vec![plain("Every reproduced benchmark's headline")],
        header,
        rows,
    })
}

/// When any benchmark ran on several machines, a column saying on how many machines each
/// verdict holds (see `machines::agreement`); the table is unchanged otherwise.
fn add_machines_column(table: &mut Block, rows: &[Row<'_>], first: &Language, second: &Language) {
    let Block::Table(table) = table else {
        return;
    };
    let agreements: Vec<Option<String>> = rows
        .iter()
        .map(|row| super::machines::agreement(&row.entry.value, row.metric, first, second))
        .collect();
    if agreements.iter().all(Option::is_none) {
        return;
    }
    table.header.push(vec![plain("Machines")]);
    for (row, agreement) in table.rows.iter_mut().zip(agreements) {
        row.cells.push(vec![match agreement {
            Some(text) => plain(text),
            None => plain("one machine"),
        }]);
    }
}
