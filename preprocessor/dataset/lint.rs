//! Checks beyond what the types enforce: references between files, complete takes, sane
//! numbers, real sources and dates, and freshness.

use std::collections::{BTreeMap, BTreeSet};

use super::date::Date;
use super::locate::{KeyPath, Step, Target, locate};
use super::model::{Benchmark, Category, Dimension, Language, Provenance, QuickTake, Source};
use super::{DEPENDS, Dataset};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};

/// Settings for the checks that depend on the book's configuration.
#[derive(Debug, Clone, Copy)]
pub struct LintOptions {
    /// An `as_of` older than this many months is reported as stale.
    pub stale_after_months: u32,
    /// The date staleness is measured against.
    pub today: Date,
}

/// A diagnostic builder bound to one file.
struct In<'a> {
    file: &'a SourceFile,
    diagnostics: &'a mut Diagnostics,
}

impl In<'_> {
    fn at(&self, path: &KeyPath<'_>, target: Target) -> Location {
        Location::Span(self.file.clone(), locate(&self.file.text, path, target))
    }

    fn error(&mut self, message: String, path: &KeyPath<'_>, target: Target) -> &mut Diagnostic {
        let location = self.at(path, target);
        self.push(Diagnostic::error(message, location))
    }

    fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        self.diagnostics.push(diagnostic)
    }
}

/// An id must be usable in a directive and a URL: lowercase letters, digits and hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

const ID_HELP: &str = "ids use lowercase letters, digits and hyphens, e.g. `raw-performance`";

/// Checks the file name of a dimension or benchmark, which is its id.
pub fn id(id: &str, file: &SourceFile, diagnostics: &mut Diagnostics) {
    if !is_valid_id(id) || id == DEPENDS {
        diagnostics.push(
            Diagnostic::error(
                format!("`{id}` cannot be an id"),
                Location::Path(file.path.clone()),
            )
            .with_help(format!("rename the file; {ID_HELP}, and not `{DEPENDS}`")),
        );
    }
}

/// Checks `languages.toml`.
pub fn languages(languages: &[Language], file: &SourceFile, diagnostics: &mut Diagnostics) {
    let mut here = In { file, diagnostics };
    if languages.is_empty() {
        here.error("no languages are defined".into(), &[], Target::Value)
            .help =
            Some("add a `[[language]]` table with `id`, `name`, `tagline` and `homepage`".into());
    }
    let mut seen = BTreeSet::new();
    for (i, language) in languages.iter().enumerate() {
        let path = [Step::Key("language"), Step::Index(i), Step::Key("id")];
        if !is_valid_id(&language.id) || language.id == DEPENDS {
            here.error(
                format!("`{}` cannot be a language id", language.id),
                &path,
                Target::Value,
            )
            .help = Some(format!("{ID_HELP}, and not `{DEPENDS}`"));
        }
        if !seen.insert(language.id.as_str()) {
            here.error(
                format!("language `{}` is defined twice", language.id),
                &path,
                Target::Value,
            )
            .help = Some("give each language a unique id".into());
        }
        let homepage = [Step::Key("language"), Step::Index(i), Step::Key("homepage")];
        url(&mut here, &language.homepage, &homepage);
    }
}

/// Checks `categories.toml`.
pub fn categories(categories: &[Category], file: &SourceFile, diagnostics: &mut Diagnostics) {
    let mut here = In { file, diagnostics };
    let mut seen = BTreeSet::new();
    for (i, category) in categories.iter().enumerate() {
        let path = [Step::Key("category"), Step::Index(i), Step::Key("id")];
        if !is_valid_id(&category.id) {
            here.error(
                format!("`{}` cannot be a category id", category.id),
                &path,
                Target::Value,
            )
            .help = Some(ID_HELP.into());
        }
        if !seen.insert(category.id.as_str()) {
            here.error(
                format!("category `{}` is defined twice", category.id),
                &path,
                Target::Value,
            )
            .help = Some("give each category a unique id".into());
        }
    }
}

/// Checks everything that refers across files, once all files are read.
pub fn dataset(dataset: &Dataset, options: &LintOptions, diagnostics: &mut Diagnostics) {
    for entry in &dataset.dimensions {
        let mut here = In {
            file: &entry.file,
            diagnostics,
        };
        dimension(&mut here, &entry.value, dataset, options);
    }
    for entry in &dataset.benchmarks {
        let mut here = In {
            file: &entry.file,
            diagnostics,
        };
        benchmark(&mut here, &entry.value, dataset, options);
    }
    if let Some(entry) = &dataset.quick_takes {
        let mut here = In {
            file: &entry.file,
            diagnostics,
        };
        for (i, take) in entry.value.iter().enumerate() {
            quick_take(&mut here, take, i, dataset, options);
        }
    }
}

fn dimension(here: &mut In<'_>, dimension: &Dimension, dataset: &Dataset, options: &LintOptions) {
    let categories: Vec<&str> = dataset.categories.iter().map(|c| c.id.as_str()).collect();
    if dataset.category(&dimension.category).is_none() {
        let location = here.at(&[Step::Key("category")], Target::Value);
        here.push(
            Diagnostic::error(
                format!("unknown category `{}`", dimension.category),
                location,
            )
            .with_label("not defined in categories.toml")
            .with_choices("categories", &dimension.category, categories),
        );
    }
    verdict(here, &dimension.edge, &[Step::Key("edge")], dataset);
    per_language(here, &dimension.takes, "takes", "a take", dataset);
    provenance(here, &dimension.sources, &dimension.as_of, &[], options);
}

fn benchmark(here: &mut In<'_>, benchmark: &Benchmark, dataset: &Dataset, options: &LintOptions) {
    per_language(here, &benchmark.setup, "setup", "a setup", dataset);
    provenance(here, &benchmark.sources, &benchmark.as_of, &[], options);
    if benchmark.provenance == Provenance::Reproduced && benchmark.reproduce.is_none() {
        here.error(
            "a reproduced benchmark needs the command that reproduces it".into(),
            &[Step::Key("provenance")],
            Target::Value,
        )
        .help = Some("add `reproduce = \"...\"` with the command".into());
    }
    if benchmark.metrics.is_empty() {
        here.error(
            "the benchmark has no metrics".into(),
            &[Step::Key("metrics")],
            Target::Value,
        )
        .help =
            Some("add a `[[metrics]]` table with `name`, `unit`, `direction` and `values`".into());
    }
    let languages: Vec<&str> = dataset.languages.iter().map(|l| l.id.as_str()).collect();
    for (m, metric) in benchmark.metrics.iter().enumerate() {
        if metric.unit.trim().is_empty() {
            here.error(
                format!("metric `{}` has an empty unit", metric.name),
                &[Step::Key("metrics"), Step::Index(m), Step::Key("unit")],
                Target::Value,
            )
            .help = Some("name the unit, e.g. `\"ms\"` or `\"req/s\"`".into());
        }
        for (language, value) in &metric.values {
            let path = [
                Step::Key("metrics"),
                Step::Index(m),
                Step::Key("values"),
                Step::Key(language.as_str()),
            ];
            if dataset.language(language).is_none() {
                let location = here.at(&path, Target::Key);
                here.push(
                    Diagnostic::error(format!("unknown language `{language}`"), location)
                        .with_label("not defined in languages.toml")
                        .with_choices("languages", language, languages.iter().copied()),
                );
            }
            if !value.is_finite() || *value <= 0.0 {
                here.error(
                    format!("`{value}` is not a measurement: values must be finite and positive"),
                    &path,
                    Target::Value,
                )
                .help = Some("leave the language out of `values` when it was not measured".into());
            }
        }
    }
}

fn quick_take(
    here: &mut In<'_>,
    take: &QuickTake,
    index: usize,
    dataset: &Dataset,
    options: &LintOptions,
) {
    let at = [Step::Key("take"), Step::Index(index)];
    verdict(
        here,
        &take.pick,
        &[at[0], at[1], Step::Key("pick")],
        dataset,
    );
    provenance(here, &take.sources, &take.as_of, &at, options);
}

/// An edge or pick must name a language or "depends".
fn verdict(here: &mut In<'_>, value: &str, path: &KeyPath<'_>, dataset: &Dataset) {
    if value != DEPENDS && dataset.language(value).is_none() {
        let location = here.at(path, Target::Value);
        here.push(
            Diagnostic::error(format!("`{value}` names no language"), location)
                .with_label(format!("expected a language id or `{DEPENDS}`"))
                .with_choices("values", value, dataset.verdict_choices()),
        );
    }
}

/// A per-language table (takes, setup) must cover exactly the defined languages.
fn per_language(
    here: &mut In<'_>,
    table: &BTreeMap<String, String>,
    key: &str,
    what: &str,
    dataset: &Dataset,
) {
    let languages: Vec<&str> = dataset.languages.iter().map(|l| l.id.as_str()).collect();
    for language in table.keys() {
        if dataset.language(language).is_none() {
            let location = here.at(&[Step::Key(key), Step::Key(language)], Target::Key);
            here.push(
                Diagnostic::error(format!("unknown language `{language}`"), location)
                    .with_label("not defined in languages.toml")
                    .with_choices("languages", language, languages.iter().copied()),
            );
        }
    }
    for language in &dataset.languages {
        if !table.contains_key(&language.id) {
            here.error(
                format!("`{}` has no {what} in `[{key}]`", language.id),
                &[Step::Key(key)],
                Target::Value,
            )
            .help = Some(format!("add `{} = \"...\"` to `[{key}]`", language.id));
        }
    }
}

/// Sources must be links or citations, and `as_of` a recent date.
fn provenance(
    here: &mut In<'_>,
    sources: &[Source],
    as_of: &str,
    at: &KeyPath<'_>,
    options: &LintOptions,
) {
    let path = |key| [at, &[Step::Key(key)]].concat();
    if sources.is_empty() {
        here.error(
            "no sources are cited".into(),
            &path("sources"),
            Target::Value,
        )
        .help = Some("add a `[[sources]]` table with `title` and `url`".into());
    }
    for (i, source) in sources.iter().enumerate() {
        let source_path = [at, &[Step::Key("sources"), Step::Index(i)]].concat();
        if source.title.trim().is_empty() {
            here.error("a source needs a title".into(), &source_path, Target::Value)
                .help = Some("name the document or the citation in `title`".into());
        }
        if let Some(link) = &source.url {
            url(
                here,
                link,
                &[source_path.as_slice(), &[Step::Key("url")]].concat(),
            );
        }
    }
    match Date::parse(as_of) {
        None => {
            here.error(
                format!("`{as_of}` is not a date"),
                &path("as_of"),
                Target::Value,
            )
            .help = Some("write the date as `\"YYYY-MM-DD\"`, e.g. `\"2026-11-27\"`".into());
        }
        Some(date) if date > options.today => {
            here.error(
                format!("`{as_of}` is in the future"),
                &path("as_of"),
                Target::Value,
            )
            .help = Some("use the date the facts were checked".into());
        }
        Some(date) if date.months_until(options.today) > i64::from(options.stale_after_months) => {
            let location = here.at(&path("as_of"), Target::Value);
            here.push(
                Diagnostic::warning(
                    format!(
                        "stale data: checked {} months ago, more than the {} allowed",
                        date.months_until(options.today),
                        options.stale_after_months
                    ),
                    location,
                )
                .with_help("check the facts against the sources again and update `as_of`")
                .with_note("the limit is `stale-after-months` in `[preprocessor.compare]`"),
            );
        }
        Some(_) => {}
    }
}

/// A link must be absolute http or https.
fn url(here: &mut In<'_>, link: &str, path: &KeyPath<'_>) {
    let lower = link.to_ascii_lowercase();
    let ok = ["https://", "http://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len());
    if !ok {
        here.error(
            format!("`{link}` is not an http(s) URL"),
            path,
            Target::Value,
        )
        .help = Some("use a full `https://` address, or leave `url` out for a citation".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_words_with_hyphens() {
        assert!(is_valid_id("raw-performance"));
        assert!(is_valid_id("c99"));
        for bad in ["", "-x", "Raw", "a b", "a_b", "é"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
