//! `<<benchmark ID>>` (or `<<benchmark>>` when the dataset has one benchmark): what it
//! measures and what not, its results with their spread and a chart per metric, its setup per
//! language, environment, how to rerun it and where its raw runs are. Unverified figures are a
//! plain table of claims: no bars, no "better", nothing drawn like a measurement.

use super::measure::{self, Outcome};
use super::parts::{self, plain};
use super::{Call, Cites, Context, Directive, Home, Placement, args};
use crate::dataset::Entry;
use crate::dataset::model::{Benchmark, Metric, Provenance};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::evidence;
use crate::view::{
    Badge, Bar, Block, Chart, Details, Figure, FigureKind, Link, Note, NoteKind, Row, Scale, Span,
    Table, TableKind, Target, Text, Tone, Trust, View,
};

/// The registry's entry.
pub(super) const DIRECTIVE: Directive = Directive {
    name: "benchmark",
    placement: Placement::Block,
    usage: USAGE,
    resolve,
    home,
    cites: Cites::first_argument,
};

const USAGE: &str = "<<benchmark ID>>";

/// `<<benchmark ID>>` is the home of benchmark `ID`.
fn home(call: &Call<'_>) -> Option<Home> {
    match call.args.as_slice() {
        [id] if !id.text.contains('=') => Some(Home::Benchmark(id.text.to_string())),
        _ => None,
    }
}

fn resolve(call: &Call<'_>, context: &Context<'_>, diagnostics: &mut Diagnostics) -> Option<View> {
    let data = context.dataset;
    let entry = match call.args.as_slice() {
        [] => match data.benchmarks.as_slice() {
            // With a file that could not be read (already reported), "the only one" and
            // "none" may both be untrue.
            [] | [_] if data.unreadable.benchmarks => return None,
            [only] => only,
            all => {
                diagnostics.push(
                    Diagnostic::error(
                        format!(
                            "`<<benchmark>>` needs an id when there are {} benchmarks",
                            all.len()
                        ),
                        context.at(call.span.clone()),
                    )
                    .with_label("name the benchmark here")
                    .with_help(args::usage(DIRECTIVE.usage))
                    .with_choices(
                        "benchmarks",
                        "",
                        all.iter().map(|b| b.id.as_str()),
                    ),
                );
                return None;
            }
        },
        [id] if id.text.contains('=') => {
            args::error(
                context,
                diagnostics,
                "`benchmark` takes no options",
                id.span.clone(),
                args::usage(DIRECTIVE.usage),
            );
            return None;
        }
        [id] => args::benchmark(context, diagnostics, id)?,
        [_, second, ..] => {
            args::error(
                context,
                diagnostics,
                "`benchmark` shows one benchmark at a time",
                second.span.start..args::args_span(call).end,
                "write one `<<benchmark ID>>` line per benchmark".into(),
            );
            return None;
        }
    };
    Some(View::Figure(figure(context, entry)))
}

/// How far the figures can be trusted, as a badge text and an explanation.
fn trust(provenance: Provenance) -> (Trust, &'static str, &'static str) {
    match provenance {
        Provenance::Reproduced => (
            Trust::Reproduced,
            "Reproduced here",
            "Measured by the harness in this repository: the command below reruns it.",
        ),
        Provenance::Published => (
            Trust::Published,
            "Published figures",
            "As published by the cited source, which documents how they were measured.",
        ),
        Provenance::Unverified => (
            Trust::Unverified,
            "Unverified claims",
            "Quoted from the cited source, which does not trace them to a published measurement: claims, not results, so they are not charted or compared.",
        ),
    }
}

/// What a provisional benchmark's note says.
const PROVISIONAL: &str = "These figures were measured on a machine that missed the suite's quiet gate (the environment below gives its load), so they are shown with their spread but give no verdict until the benchmark is measured again on a quiet machine.";

/// `label` in bold, then inline Markdown.
fn detail(label: &str, markdown: &str) -> Block {
    parts::note(
        NoteKind::Detail,
        vec![
            Span::Strong(label.into()),
            plain(" "),
            Span::Markdown(markdown.into()),
        ],
    )
}

/// The whole benchmark.
fn figure(context: &Context<'_>, entry: &Entry<Benchmark>) -> Figure {
    let data = context.dataset;
    let b = &entry.value;
    let (trust, badge, explanation) = trust(b.provenance);
    let mut blocks = vec![parts::note(
        NoteKind::Heading,
        vec![
            plain(&b.title),
            plain(" "),
            Span::Badge(Badge {
                text: badge.into(),
                tone: Tone::Provenance(trust),
            }),
        ],
    )];
    let explanation = Note {
        kind: NoteKind::Caveat,
        text: vec![plain(explanation)],
    };
    // What reproduced and published figures are, a page says once; that claims are not
    // results, each unverified benchmark says again.
    blocks.push(match trust {
        Trust::Unverified => Block::Note(explanation),
        _ => Block::Explanation(explanation),
    });
    if b.provisional {
        blocks.push(parts::note(
            NoteKind::Caveat,
            vec![
                Span::Strong("Provisional.".into()),
                plain(" "),
                plain(PROVISIONAL),
            ],
        ));
    }
    blocks.push(detail("What it measures:", &b.description));
    if let Some(limits) = &b.limits {
        blocks.push(detail("What it does not measure:", limits));
    }
    let charts = charts(context, entry);
    if trust == Trust::Unverified {
        blocks.push(claimed(context, entry));
        blocks.extend(downloads(context, entry, &charts));
    } else {
        blocks.push(results(context, entry));
        blocks.extend(downloads(context, entry, &charts));
        blocks.push(parts::verdict_rule());
        blocks.extend(charts.into_iter().map(|(_, chart)| Block::Chart(chart)));
    }
    blocks.extend(super::machines::other_machines(context, entry));
    let setup = Block::Table(Table {
        kind: TableKind::Setup,
        caption: vec![plain("Setup")],
        header: vec![vec![plain("Language")], vec![plain("What ran")]],
        rows: data
            .languages
            .iter()
            .map(|l| {
                let setup = b
                    .setup
                    .get(&l.id)
                    .map_or(Span::Missing, |s| Span::Markdown(s.clone()));
                Row::from(vec![vec![plain(&l.name)], vec![setup]])
            })
            .collect(),
    });
    blocks.extend(evidence(context, entry));
    blocks.extend(parts::cited_in(context, &entry.id));
    let mut meta = parts::sources(&b.sources, &b.as_of, b.changed.as_deref());
    meta.extend(parts::data_links(
        context.repository.map(|r| r.benchmark(entry)),
    ));
    // Setup, environment and sources are there for whoever wants them: folded, with the
    // date in view.
    let mut summary = vec![plain("Setup, environment and sources")];
    summary.extend(parts::checked(&b.as_of, b.changed.as_deref()));
    blocks.push(Block::Details(Details {
        summary,
        blocks: vec![
            setup,
            detail("Environment:", &b.environment),
            parts::note(NoteKind::Meta, meta),
        ],
    }));
    Figure {
        kind: FigureKind::Benchmark,
        id: format!("benchmark-{}", entry.id),
        blocks,
    }
}

/// Links to the benchmark's figures as CSV and JSON and to each of its `charts` as SVG, when
/// the site publishes them.
fn downloads(
    context: &Context<'_>,
    entry: &Entry<Benchmark>,
    charts: &[(usize, Chart)],
) -> Option<Block> {
    if !context.evidence {
        return None;
    }
    let link = |text: &str, path: String, title: &str| {
        Span::Link(Link {
            text: vec![plain(text)],
            target: context.site_file(&path, None),
            title: Some(title.into()),
        })
    };
    let id = &entry.id;
    let mut text = vec![
        Span::Strong("Download:".into()),
        plain(" the figures as "),
        link(
            "CSV",
            evidence::download(id, "csv"),
            "A row per metric and language",
        ),
        plain(" or "),
        link(
            "JSON",
            evidence::download(id, "json"),
            "The benchmark as its data file holds it",
        ),
    ];
    for (i, (position, _)) in charts.iter().enumerate() {
        text.push(plain(if i == 0 {
            "; the charts as SVG: "
        } else {
            ", "
        }));
        let name = &entry.value.metrics[position - 1].name;
        text.push(link(
            name,
            evidence::chart(id, *position),
            "The chart as an SVG file",
        ));
    }
    Some(parts::note(NoteKind::Detail, text))
}

/// Where the evidence is: the source (programs, raw runs and data file, published with the
/// site when it publishes them), the command that reruns the benchmark, and the raw runs.
fn evidence(context: &Context<'_>, entry: &Entry<Benchmark>) -> Vec<Block> {
    let b = &entry.value;
    let page = evidence::page(&entry.id);
    let published = |fragment: Option<&str>| context.site_file(&page, fragment);
    let mut blocks = Vec::new();
    if context.evidence && b.provenance == Provenance::Reproduced {
        blocks.push(parts::note(
            NoteKind::Detail,
            vec![
                Span::Strong("Source:".into()),
                plain(" "),
                Span::Link(Link {
                    text: vec![plain("the programs, the raw runs and the data file")],
                    target: published(Some(evidence::section::PROGRAMS)),
                    title: Some("Copies published with this site".into()),
                }),
            ],
        ));
    }
    if let Some(command) = &b.reproduce {
        let label = Span::Strong("Rerun it:".into());
        let label = if context.evidence {
            Span::Link(Link {
                text: vec![label],
                target: published(Some(evidence::section::RERUN)),
                title: Some("How to rerun it, with what it needs".into()),
            })
        } else {
            label
        };
        blocks.push(parts::note(
            NoteKind::Detail,
            vec![label, plain(" "), Span::Code(command.clone())],
        ));
    }
    if let Some(raw) = &b.raw {
        let mut text = vec![Span::Strong("Raw runs:".into()), plain(" ")];
        if context.evidence {
            text.push(Span::Link(Link {
                text: vec![Span::Code(raw.clone())],
                target: context.site_file(&evidence::copy(raw), None),
                title: Some("The raw runs, published with this site".into()),
            }));
            if let Some(repository) = context.repository {
                text.push(plain(" ("));
                text.push(Span::Link(Link {
                    text: vec![plain("in the book's repository")],
                    target: Target::Url(repository.file(raw)),
                    title: None,
                }));
                text.push(plain(")"));
            }
        } else if let Some(repository) = context.repository {
            text.push(Span::Link(Link {
                text: vec![Span::Code(raw.clone())],
                target: Target::Url(repository.file(raw)),
                title: Some("The raw runs, in the book's repository".into()),
            }));
            text.push(plain(" in the book's repository"));
        } else {
            text.push(Span::Code(raw.clone()));
            text.push(plain(" in the book's repository"));
        }
        blocks.push(parts::note(NoteKind::Detail, text));
    }
    blocks
}

/// Each metric's chart of benchmark `entry` that has one, by the metric's position (from 1):
/// none for an unverified benchmark, whose claims are not drawn.
pub(super) fn charts(context: &Context<'_>, entry: &Entry<Benchmark>) -> Vec<(usize, Chart)> {
    let b = &entry.value;
    if b.provenance == Provenance::Unverified {
        return Vec::new();
    }
    (b.metrics.iter().enumerate())
        .filter_map(|(i, metric)| Some((i + 1, chart(context, b, metric)?)))
        .collect()
}

/// A metric's name and its direction.
fn metric_name(metric: &Metric) -> Text {
    vec![
        plain(&metric.name),
        plain(format!(" ({})", measure::direction_text(metric.direction))),
    ]
}

/// The results table, the answer first: each metric (a row a reader can link to), the clearly
/// better language, the verdict with its interval and runs, then each value with its spread,
/// and the note with the metric's band.
fn results(context: &Context<'_>, entry: &Entry<Benchmark>) -> Block {
    let data = context.dataset;
    let mut header = vec![
        vec![plain("Metric")],
        vec![plain("Better")],
        vec![plain("Verdict")],
    ];
    header.extend(parts::language_headers(data));
    header.push(vec![plain("Note")]);
    let rows = entry
        .value
        .metrics
        .iter()
        .enumerate()
        .map(|(index, metric)| {
            let outcome = Outcome::of(metric, &entry.value, &data.languages);
            let mut row = vec![metric_name(metric)];
            row.push(match outcome.best {
                Some(best) => vec![parts::edge(data, &outcome.values[best].0.id, "")],
                None => vec![Span::Missing],
            });
            row.push(match outcome.verdict_text(metric) {
                Some(text) => vec![plain(text)],
                None => vec![Span::Missing],
            });
            row.extend(outcome.values.iter().map(|(_, value)| match value {
                Some(spread) => vec![plain(measure::spread_text(*spread, &metric.unit))],
                None => vec![plain("not measured")],
            }));
            let mut note = note_cell(metric);
            if let Some(band) = &metric.band {
                if !note.is_empty() {
                    note.push(plain(" "));
                }
                note.push(plain(format!(
                    "Equivalence band {}: ",
                    measure::band_text(band.width)
                )));
                note.push(Span::Markdown(band.reason.clone()));
            }
            if let Some(why) = &metric.descriptive {
                if !note.is_empty() {
                    note.push(plain(" "));
                }
                note.push(Span::Strong("Descriptive, no verdict:".into()));
                note.push(plain(" "));
                note.push(Span::Markdown(why.clone()));
            }
            row.push(note);
            Row::anchored(metric_anchor(index, metric), row)
        })
        .collect();
    Block::Table(Table {
        kind: TableKind::Results,
        caption: vec![plain("Results: "), plain(&entry.value.title)],
        header,
        rows,
    })
}

/// The anchor of a metric's row: `metric-ID`, or `row-N` (its place, from 1) for a metric
/// without an id, which no id can spell the same way.
fn metric_anchor(index: usize, metric: &Metric) -> String {
    match metric.id.as_str() {
        "" => format!("row-{}", index + 1),
        id => format!("metric-{id}"),
    }
}

/// A metric's note, for the Note column (empty when it has none).
fn note_cell(metric: &Metric) -> Text {
    metric
        .note
        .as_ref()
        .map_or_else(Vec::new, |note| vec![Span::Markdown(note.clone())])
}

/// The claims of an unverified source, as plain figures: no ranking, no ratio.
fn claimed(context: &Context<'_>, entry: &Entry<Benchmark>) -> Block {
    let data = context.dataset;
    let mut header = vec![vec![plain("Claimed figure")]];
    header.extend(parts::language_headers(data));
    header.push(vec![plain("Note")]);
    let rows = entry
        .value
        .metrics
        .iter()
        .enumerate()
        .map(|(index, metric)| {
            let mut row = vec![vec![plain(&metric.name)]];
            row.extend(
                data.languages
                    .iter()
                    .map(|l| match measure::spread(metric, &l.id) {
                        Some(spread) => vec![plain(measure::spread_text(spread, &metric.unit))],
                        None => vec![plain("not stated")],
                    }),
            );
            row.push(note_cell(metric));
            Row::anchored(metric_anchor(index, metric), row)
        })
        .collect();
    Block::Table(Table {
        kind: TableKind::Claimed,
        caption: vec![
            plain("Claimed figures, not measured here: "),
            plain(&entry.value.title),
        ],
        header,
        rows,
    })
}

/// A metric's chart: a bar per language, the spread as a whisker, the runs after the value;
/// `None` when nothing was measured.
fn chart(context: &Context<'_>, benchmark: &Benchmark, metric: &Metric) -> Option<Chart> {
    let outcome = Outcome::of(metric, benchmark, &context.dataset.languages);
    if outcome.values.iter().all(|(_, v)| v.is_none()) {
        return None;
    }
    let bars: Vec<Bar> = outcome
        .values
        .iter()
        .enumerate()
        .map(|(index, (language, value))| {
            let best = outcome.best == Some(index);
            // The whisker shows the spread; the table and the description spell it out.
            let text = match value {
                Some(spread) => {
                    let mut text =
                        format!("{} {}", measure::value_text(spread.median), metric.unit);
                    if let Some(runs) = spread.runs {
                        text.push_str(&format!(", n = {runs}"));
                    }
                    text
                }
                None => "not measured".into(),
            };
            Bar {
                label: language.name.clone(),
                target: None,
                value: *value,
                text: if best {
                    format!("{text} ✓ better")
                } else {
                    text
                },
                best,
                tone: parts::language_tone(index, language),
            }
        })
        .collect();
    let values: Vec<String> = outcome
        .values
        .iter()
        .map(|(language, value)| match value {
            Some(spread) => format!(
                "{} {}",
                language.name,
                measure::spread_text(*spread, &metric.unit)
            ),
            None => format!("{} not measured", language.name),
        })
        .collect();
    let verdict = outcome
        .verdict_text(metric)
        .map_or_else(String::new, |verdict| format!(" Verdict: {verdict}."));
    Some(Chart {
        title: format!(
            "{}: {}",
            metric.name,
            measure::direction_text(metric.direction)
        ),
        description: format!("{}.{verdict}", values.join("; ")),
        scale: Scale::Linear {
            unit: metric.unit.clone(),
        },
        bars,
    })
}
