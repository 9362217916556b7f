//! The machines a benchmark ran on: each named once, the reference among them, each described,
//! and each machine's figures about the benchmark's own metrics and languages.

use std::collections::BTreeSet;

use super::{In, kebab_id, markdown, metric_id, positive, quoted, raw_file, value};
use crate::dataset::Dataset;
use crate::dataset::date::Date;
use crate::dataset::locate::{KeyPath, Step, Target};
use crate::dataset::model::{Benchmark, Machine};
use crate::diagnostic::Diagnostic;

use std::path::Path;

/// Checks `machine` and `machines` of a benchmark.
pub(super) fn machines(here: &mut In<'_>, benchmark: &Benchmark, dataset: &Dataset, root: &Path) {
    let names: Vec<&str> = benchmark.machines.iter().map(|m| m.name.as_str()).collect();
    match &benchmark.machine {
        Some(reference) if !names.contains(&reference.as_str()) => {
            let location = here.at(&[Step::Key("machine")], Target::Value);
            here.push(
                Diagnostic::error(format!("unknown machine `{}`", quoted(reference)), location)
                    .with_label("no `[[machines]]` entry has this name")
                    .with_help(
                        "name the reference machine after one `[[machines]]` entry, or add it \
                         with its hardware and environment",
                    )
                    .with_choices("machines", reference, names.iter().copied()),
            );
        }
        None if !names.is_empty() => {
            let location = here.at(&[Step::Key("machines")], Target::Value);
            here.push(
                Diagnostic::error(
                    "the benchmark lists machines and names none as its reference",
                    location,
                )
                .with_help(
                    "add `machine = \"NAME\"` with the machine the benchmark's own figures \
                     come from",
                )
                .with_choices("machines", "", names.iter().copied()),
            );
        }
        _ => {}
    }
    let mut seen = BTreeSet::new();
    for (index, machine) in benchmark.machines.iter().enumerate() {
        let at = |key| [Step::Key("machines"), Step::Index(index), Step::Key(key)];
        if name(here, &machine.name, &at("name")) && !seen.insert(machine.name.as_str()) {
            here.error(
                format!("machine `{}` is listed twice", machine.name),
                &at("name"),
                Target::Value,
            )
            .help = Some("list each machine once; a rerun replaces its entry".into());
        }
        described(here, machine, index, root);
        let reference = benchmark.machine.as_ref() == Some(&machine.name);
        if reference && !machine.metrics.is_empty() {
            here.error(
                format!(
                    "machine `{}` is the reference: its figures are the benchmark's own `metrics`",
                    machine.name
                ),
                &at("metrics"),
                Target::Key,
            )
            .help = Some("move the figures into the benchmark's `[[metrics]]`".into());
        }
        figures(here, benchmark, machine, index, dataset);
    }
}

/// A machine's name is an id. Returns whether it is one.
fn name(here: &mut In<'_>, name: &str, path: &KeyPath<'_>) -> bool {
    kebab_id(here, name, path, "a machine's name")
}

/// A machine's hardware, environment, commit and date are there and sane.
fn described(here: &mut In<'_>, machine: &Machine, index: usize, root: &Path) {
    let at = |key| [Step::Key("machines"), Step::Index(index), Step::Key(key)];
    here.filled(&machine.cpu, &at("cpu"));
    here.filled(&machine.architecture, &at("architecture"));
    here.filled(&machine.commit, &at("commit"));
    markdown(here, &machine.environment, &at("environment"));
    if machine.cores == 0 {
        here.error("`cores` is 0".into(), &at("cores"), Target::Value)
            .help = Some("write how many cores the measured programs could use".into());
    }
    if !(machine.memory_gib.is_finite() && machine.memory_gib > 0.0) {
        here.error(
            format!("`{}` cannot be a machine's memory", machine.memory_gib),
            &at("memory_gib"),
            Target::Value,
        )
        .help = Some("write the memory in GiB, e.g. `16.0`".into());
    }
    if here.filled(&machine.as_of, &at("as_of")) && Date::parse(&machine.as_of).is_none() {
        here.error(
            format!("`{}` is not a date", quoted(&machine.as_of)),
            &at("as_of"),
            Target::Value,
        )
        .help = Some("write the day it measured as `\"YYYY-MM-DD\"`".into());
    }
    if let Some(raw) = &machine.raw {
        raw_file(here, raw, &at("raw"), root);
    }
}

/// A machine's figures name the benchmark's metrics and the dataset's languages.
fn figures(
    here: &mut In<'_>,
    benchmark: &Benchmark,
    machine: &Machine,
    index: usize,
    dataset: &Dataset,
) {
    let languages: Vec<&str> = dataset.languages.iter().map(|l| l.id.as_str()).collect();
    for (m, figures) in machine.metrics.iter().enumerate() {
        let at = |key| {
            [
                Step::Key("machines"),
                Step::Index(index),
                Step::Key("metrics"),
                Step::Index(m),
                Step::Key(key),
            ]
        };
        if metric_id(here, &figures.id, &at("id")) && benchmark.metric(&figures.id).is_none() {
            let location = here.at(&at("id"), Target::Value);
            here.push(
                Diagnostic::error(
                    format!("unknown metric `{}`", quoted(&figures.id)),
                    location,
                )
                .with_label("no metric of this benchmark has this id")
                .with_choices(
                    "metric ids",
                    &figures.id,
                    benchmark.metrics.iter().map(|m| m.id.as_str()),
                ),
            );
        }
        for (language, figure) in &figures.values {
            let path = [&at("values")[..], &[Step::Key(language.as_str())]].concat();
            if !dataset.unreadable.languages && dataset.language(language).is_none() {
                let location = here.at(&path, Target::Key);
                here.push(
                    Diagnostic::error(format!("unknown language `{}`", quoted(language)), location)
                        .with_label("not defined in languages.toml")
                        .with_choices("languages", language, languages.iter().copied()),
                );
            }
            value(here, *figure, &path);
        }
        for (i, interval) in figures.intervals.iter().enumerate() {
            let path = |key| [&at("intervals")[..], &[Step::Index(i), Step::Key(key)]].concat();
            for (key, id) in [("of", &interval.of), ("over", &interval.over)] {
                if here.filled(id, &path(key)) && !figures.values.contains_key(id) {
                    let location = here.at(&path(key), Target::Value);
                    here.push(
                        Diagnostic::error(
                            format!(
                                "`{}` has no value on this machine, so no ratio of it",
                                quoted(id)
                            ),
                            location,
                        )
                        .with_label("not among this machine's `values`")
                        .with_choices(
                            "languages with a value",
                            id,
                            figures.values.keys().map(String::as_str),
                        ),
                    );
                }
            }
            for (key, figure) in [
                ("ratio", interval.ratio),
                ("low", interval.low),
                ("high", interval.high),
            ] {
                positive(here, figure, &path(key));
            }
            if interval.low > interval.ratio || interval.ratio > interval.high {
                here.error(
                    format!(
                        "the interval is out of order: low {}, ratio {}, high {}",
                        interval.low, interval.ratio, interval.high
                    ),
                    &path("ratio"),
                    Target::Value,
                )
                .help = Some("check which figure is which: `low <= ratio <= high`".into());
            }
        }
    }
}
