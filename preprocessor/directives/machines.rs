//! Results from several machines: a benchmark's compact "on other machines" table (each
//! machine's headline verdict with its interval and runs, its cores and architecture, and a
//! link to its environment), and, for the suite summary, on how many machines each verdict
//! holds. Every machine is shown; none is averaged into another.

use super::Context;
use super::measure::{
    self, ABOUT_THE_SAME, Basis, Comparison, NO_CLEAR_DIFFERENCE, Ratio, Verdict,
};
use super::parts::{self, plain};
use crate::dataset::Entry;
use crate::dataset::model::{Benchmark, Language, Machine, Metric};
use crate::view::{Block, Details, Link, NoteKind, Span, Table, TableKind, Target, Text};

/// One machine's figures of one metric, compared between two languages.
pub(super) struct OnMachine<'d> {
    /// The machine (`None`: the benchmark names no machine, and its figures are the only ones).
    pub(super) machine: Option<&'d Machine>,
    /// Whether these are the reference machine's figures.
    pub(super) reference: bool,
    /// The first language against the second, when the machine measured both.
    pub(super) comparison: Option<Comparison>,
}

/// Every machine's comparison of `metric`, the reference first, then the others in the
/// order of the file; a machine that did not measure the metric has no comparison.
pub(super) fn compared<'d>(
    benchmark: &'d Benchmark,
    metric: &Metric,
    first: &Language,
    second: &Language,
) -> Vec<OnMachine<'d>> {
    let mut all = vec![OnMachine {
        machine: benchmark.reference_machine(),
        reference: true,
        comparison: measure::compare(metric, benchmark, first, second),
    }];
    all.extend(benchmark.other_machines().map(|machine| {
        let basis = Basis {
            provenance: benchmark.provenance,
            provisional: machine.provisional,
        };
        OnMachine {
            machine: Some(machine),
            reference: false,
            comparison: benchmark
                .metric_on(metric, machine)
                .and_then(|figures| measure::compare(&figures, basis, first, second)),
        }
    }));
    all
}

/// The metric the machines are compared on: the headline, or else the first.
fn headline(benchmark: &Benchmark) -> Option<&Metric> {
    benchmark
        .headline
        .as_deref()
        .and_then(|id| benchmark.metric(id))
        .or_else(|| benchmark.metrics.first())
}

/// A machine's hardware in a few words: "4 cores, arm64".
fn hardware(machine: &Machine) -> String {
    let cores = match machine.cores {
        1 => "1 core".to_string(),
        n => format!("{n} cores"),
    };
    format!("{cores}, {}", machine.architecture)
}

/// The "on other machines" blocks of a benchmark that ran on more than one machine: the table,
/// then every machine's environment, folded. Empty otherwise.
pub(super) fn other_machines(context: &Context<'_>, entry: &Entry<Benchmark>) -> Vec<Block> {
    let b = &entry.value;
    let data = context.dataset;
    let ([first, second, ..], Some(metric)) = (data.languages.as_slice(), headline(b)) else {
        return Vec::new();
    };
    if b.other_machines().next().is_none() {
        return Vec::new();
    }
    let header: Vec<Text> = [
        "Machine",
        "Hardware",
        &format!(
            "{} ({})",
            metric.name,
            measure::direction_text(metric.direction)
        ),
        "Measured",
        "Environment",
    ]
    .iter()
    .map(|h| vec![plain(*h)])
    .collect();
    let rows = compared(b, metric, first, second)
        .into_iter()
        .filter_map(|on| {
            let machine = on.machine?;
            let mut name = vec![plain(&machine.name)];
            if on.reference {
                name.push(plain(" (reference, the table above)"));
            }
            let verdict = match on.comparison {
                Some(c) => plain(c.text(metric, first, second, false)),
                None => plain(format!(
                    "not measured for both {} and {}",
                    first.name, second.name
                )),
            };
            let environment = match (&machine.raw, context.repository) {
                (Some(raw), Some(repository)) => Span::Link(Link {
                    text: vec![plain("environment and raw runs")],
                    target: Target::Url(repository.file(raw)),
                    title: Some(format!(
                        "{}: the raw runs, in the book's repository",
                        machine.name
                    )),
                }),
                (Some(raw), None) => Span::Code(raw.clone()),
                (None, _) => plain("below"),
            };
            Some(
                vec![
                    name,
                    vec![plain(hardware(machine))],
                    vec![verdict],
                    vec![Span::Date(machine.as_of.clone())],
                    vec![environment],
                ]
                .into(),
            )
        })
        .collect();
    let table = Block::Table(Table {
        kind: TableKind::Machines,
        caption: vec![plain("On other machines: "), plain(&b.title)],
        header,
        rows,
    });
    let environments = b
        .machines
        .iter()
        .map(|machine| {
            parts::note(
                NoteKind::Detail,
                vec![
                    Span::Strong(format!("{}:", machine.name)),
                    plain(format!(
                        " {}, {}, {} GiB of memory; commit ",
                        machine.cpu,
                        hardware(machine),
                        measure::value_text(machine.memory_gib)
                    )),
                    Span::Code(machine.commit.clone()),
                    plain(". "),
                    Span::Markdown(machine.environment.clone()),
                ],
            )
        })
        .collect();
    vec![
        table,
        Block::Details(Details {
            summary: vec![plain("Every machine's environment")],
            blocks: environments,
        }),
    ]
}

/// On how many machines each verdict holds, for the suite summary: "Rust better on 2 of 3
/// machines (1.9x to 2.3x); no clear difference on 1 of 3 machines". Every verdict found is
/// named, so a machine that disagrees is never hidden. `None` for a benchmark of one machine.
pub(super) fn agreement(
    benchmark: &Benchmark,
    metric: &Metric,
    first: &Language,
    second: &Language,
) -> Option<String> {
    benchmark.other_machines().next()?;
    let all = compared(benchmark, metric, first, second);
    let total = all.len();
    // Each kind of verdict, in the order first seen, with how many machines give it and
    // how many times better the winner is on each.
    let mut groups: Vec<(String, usize, Vec<f64>)> = Vec::new();
    for on in &all {
        let (words, log) = match on.comparison {
            Some(c) => (kind(c.verdict, first, second), Some(c.log.abs())),
            None => ("not measured".to_string(), None),
        };
        match groups.iter_mut().find(|(w, ..)| *w == words) {
            Some((_, count, logs)) => {
                *count += 1;
                logs.extend(log);
            }
            None => groups.push((words, 1, log.into_iter().collect())),
        }
    }
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(words, count, logs)| {
            let low = logs.iter().copied().reduce(f64::min);
            let high = logs.iter().copied().reduce(f64::max);
            let range = match (low, high) {
                (Some(low), Some(high)) if words.ends_with("better") => {
                    let (low, high) = (
                        Ratio::from_log10(low).text(),
                        Ratio::from_log10(high).text(),
                    );
                    if low == high {
                        format!(", {low}")
                    } else {
                        format!(", {low} to {high}")
                    }
                }
                _ => String::new(),
            };
            format!("{words} on {count} of {total} machines{range}")
        })
        .collect();
    Some(parts.join("; "))
}

/// A verdict's kind in words, without its figures.
fn kind(verdict: Verdict, first: &Language, second: &Language) -> String {
    match verdict {
        Verdict::Clear { first_wins: true } => format!("{} better", first.name),
        Verdict::Clear { first_wins: false } => format!("{} better", second.name),
        Verdict::Same => ABOUT_THE_SAME.into(),
        Verdict::Unclear => NO_CLEAR_DIFFERENCE.into(),
        Verdict::Provisional => "provisional, no verdict".into(),
        _ => "no verdict".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Entry;
    use crate::diagnostic::SourceFile;
    use crate::directives::testing::{dataset, outcome_in, tables, words};
    use crate::view::View;

    /// A benchmark measured on four machines: the reference and one more find Rust clearly
    /// faster, one finds Go clearly faster, and one did not measure the headline.
    const FLEET: &str = r#"
title = "Fleet"
description = "A loop."
provenance = "reproduced"
environment = "The reference machine."
reproduce = "bench/run fleet"
headline = "time"
as_of = "2026-12-01"
machine = "reference"

[setup]
rust = "std only"
go = "std only"

[[sources]]
title = "This repository's harness"

[[metrics]]
id = "time"
name = "Time"
unit = "s"
direction = "lower"
[metrics.values]
rust = { median = 2.0, min = 1.9, max = 2.1, runs = 5 }
go = { median = 3.0, min = 2.9, max = 3.1, runs = 5 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 1.5
low = 1.3
high = 1.7
method = "bootstrap"

[[machines]]
name = "reference"
cpu = "A CPU"
cores = 2
architecture = "x86-64"
memory_gib = 8.0
environment = "The reference machine."
commit = "abc123"
as_of = "2026-12-01"

[[machines]]
name = "big-arm"
cpu = "Another CPU"
cores = 64
architecture = "arm64"
memory_gib = 256.0
environment = "A large arm64 machine."
commit = "abc123"
as_of = "2026-12-02"
[[machines.metrics]]
id = "time"
[machines.metrics.values]
rust = { median = 1.0, min = 0.9, max = 1.1, runs = 7 }
go = { median = 2.3, min = 2.2, max = 2.4, runs = 7 }
[[machines.metrics.intervals]]
of = "go"
over = "rust"
ratio = 2.3
low = 2.1
high = 2.5
method = "bootstrap"

[[machines]]
name = "odd-box"
cpu = "A third CPU"
cores = 1
architecture = "riscv64"
memory_gib = 2.0
environment = "A small machine that disagrees."
commit = "abc123"
as_of = "2026-12-03"
[[machines.metrics]]
id = "time"
[machines.metrics.values]
rust = { median = 5.0, min = 4.9, max = 5.1, runs = 3 }
go = { median = 4.0, min = 3.9, max = 4.1, runs = 3 }
[[machines.metrics.intervals]]
of = "go"
over = "rust"
ratio = 0.8
low = 0.7
high = 0.9
method = "bootstrap"

[[machines]]
name = "unmeasured"
cpu = "A fourth CPU"
cores = 4
architecture = "x86-64"
memory_gib = 4.0
environment = "It has not run this yet."
commit = "abc123"
as_of = "2026-12-04"
"#;

    fn fleet() -> crate::dataset::Dataset {
        let mut data = dataset();
        data.benchmarks.push(Entry {
            id: "fleet".into(),
            file: SourceFile::new("data/benchmarks/fleet.toml", FLEET),
            value: toml::from_str(FLEET).unwrap(),
        });
        data.benchmarks.sort_by(|a, b| a.id.cmp(&b.id));
        data
    }

    fn figure(text: &str) -> crate::view::Figure {
        match outcome_in(&fleet(), "bench/fleet.md", text) {
            (Some(View::Figure(figure)), report) if report.is_empty() => figure,
            (view, report) => panic!("{text}: {view:?} {report}"),
        }
    }

    #[test]
    fn the_summary_names_every_verdict_and_on_how_many_machines_it_holds() {
        let data = fleet();
        let b = &data
            .benchmarks
            .iter()
            .find(|b| b.id == "fleet")
            .unwrap()
            .value;
        let [rust, go] = [&data.languages[0], &data.languages[1]];
        assert_eq!(
            agreement(b, &b.metrics[0], rust, go).unwrap(),
            "Rust better on 2 of 4 machines, 1.50x to 2.30x; Go better on 1 of 4 machines, \
             1.25x; not measured on 1 of 4 machines"
        );
    }

    #[test]
    fn a_benchmark_of_one_machine_has_no_machine_count() {
        let data = dataset();
        let b = &data
            .benchmarks
            .iter()
            .find(|b| b.id == "startup")
            .unwrap()
            .value;
        assert!(agreement(b, &b.metrics[0], &data.languages[0], &data.languages[1]).is_none());
        let summary = crate::directives::testing::figure("<<benchmark-summary>>");
        for table in tables(&summary) {
            assert!(table.header.iter().all(|cell| words(cell) != "Machines"));
        }
    }

    #[test]
    fn the_benchmark_shows_every_machine_the_reference_first_and_the_one_that_disagrees() {
        let figure = figure("<<benchmark fleet>>");
        let table = tables(&figure)
            .into_iter()
            .find(|t| t.kind == TableKind::Machines)
            .expect("the machines table");
        let rows: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.cells.iter().map(words).collect())
            .collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0][0], "reference (reference, the table above)");
        assert_eq!(rows[1][0], "big-arm");
        assert_eq!(rows[1][1], "64 cores, arm64");
        assert!(
            rows[1][2].starts_with("Rust with 2.30x lower time (95% CI 2.10–2.50, n = 7 each)"),
            "{}",
            rows[1][2]
        );
        assert_eq!(rows[2][1], "1 core, riscv64");
        assert!(
            rows[2][2].starts_with("Go with 1.25x lower time"),
            "{}",
            rows[2][2]
        );
        assert_eq!(rows[3][2], "not measured for both Rust and Go");
        assert_eq!(rows[3][3], "2026-12-04");
    }

    #[test]
    fn a_benchmark_of_one_machine_shows_no_machines_table() {
        let figure = crate::directives::testing::figure("<<benchmark startup>>");
        assert!(
            tables(&figure)
                .iter()
                .all(|t| t.kind != TableKind::Machines)
        );
    }
}
