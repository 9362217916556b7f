//! Checks beyond what the types enforce: references between files, complete takes, sane
//! numbers, real sources and dates, and freshness.

use std::collections::{BTreeMap, BTreeSet};

use super::date::Date;
use super::locate::{KeyPath, Step, Target, locate};
use super::model::{Benchmark, Category, Dimension, Language, Provenance, QuickTake, Source};
use super::{DEPENDS, Dataset};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::render::inline::{self, Neutralised};

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

    /// Where `fragment` stands in the string value at `path`: the fragment itself when the
    /// file spells it out verbatim (no escapes in it), else the whole value.
    fn at_fragment(&self, path: &KeyPath<'_>, fragment: &str) -> Location {
        let value = locate(&self.file.text, path, Target::Value);
        let span = self
            .file
            .text
            .get(value.clone())
            .and_then(|source| source.find(fragment))
            .map_or(value.clone(), |i| {
                value.start + i..value.start + i + fragment.len()
            });
        Location::Span(self.file.clone(), span)
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

/// Words a dimension's or benchmark's id cannot be: `depends` is a verdict and `all` a
/// selection (`<<compare all>>`).
const RESERVED_IDS: [&str; 2] = [DEPENDS, "all"];

/// Checks the file name of a dimension or benchmark, which is its id. Ids are unique by
/// construction: they are the names of the files of one folder.
pub fn id(id: &str, file: &SourceFile, diagnostics: &mut Diagnostics) {
    if !is_valid_id(id) || RESERVED_IDS.contains(&id) {
        diagnostics.push(
            Diagnostic::error(
                format!("`{id}` cannot be an id"),
                Location::Path(file.path.clone()),
            )
            .with_help(format!(
                "rename the file; {ID_HELP}, and neither `{DEPENDS}` nor `all`"
            )),
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
        let tagline = [Step::Key("language"), Step::Index(i), Step::Key("tagline")];
        markdown(&mut here, &language.tagline, &tagline);
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
        let description = [
            Step::Key("category"),
            Step::Index(i),
            Step::Key("description"),
        ];
        markdown(&mut here, &category.description, &description);
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
    if !dataset.unreadable.categories && dataset.category(&dimension.category).is_none() {
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
    markdown(here, &dimension.verdict, &[Step::Key("verdict")]);
    per_language(here, &dimension.takes, "takes", "take", dataset);
    provenance(here, &dimension.sources, &dimension.as_of, &[], options);
}

fn benchmark(here: &mut In<'_>, benchmark: &Benchmark, dataset: &Dataset, options: &LintOptions) {
    per_language(here, &benchmark.setup, "setup", "setup", dataset);
    markdown(here, &benchmark.description, &[Step::Key("description")]);
    markdown(here, &benchmark.environment, &[Step::Key("environment")]);
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
        if let Some(note) = &metric.note {
            markdown(
                here,
                note,
                &[Step::Key("metrics"), Step::Index(m), Step::Key("note")],
            );
        }
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
            if !dataset.unreadable.languages && dataset.language(language).is_none() {
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
    markdown(
        here,
        &take.situation,
        &[at[0], at[1], Step::Key("situation")],
    );
    markdown(here, &take.reason, &[at[0], at[1], Step::Key("reason")]);
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
    if value != DEPENDS && !dataset.unreadable.languages && dataset.language(value).is_none() {
        let location = here.at(path, Target::Value);
        here.push(
            Diagnostic::error(format!("`{value}` names no language"), location)
                .with_label(format!("expected a language id or `{DEPENDS}`"))
                .with_choices("values", value, dataset.verdict_choices()),
        );
    }
}

/// A per-language table of Markdown (takes, setup) must cover exactly the defined languages.
fn per_language(
    here: &mut In<'_>,
    table: &BTreeMap<String, String>,
    key: &str,
    what: &str,
    dataset: &Dataset,
) {
    for (language, text) in table {
        markdown(here, text, &[Step::Key(key), Step::Key(language)]);
    }
    if dataset.unreadable.languages {
        return;
    }
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
            let missing = here.error(
                format!("`{}` has no {what} in `[{key}]`", language.id),
                &[Step::Key(key)],
                Target::Value,
            );
            missing.label = format!("no `{}` in this table", language.id);
            missing.help = Some(format!("add `{} = \"...\"` to `[{key}]`", language.id));
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

/// Inline Markdown must show as written: raw HTML and images are warnings (the text still
/// reads, as in `Vec<T>`, but not as markup), a link that is not http(s) or relative is an error
/// (the renderers drop it and keep only its text).
fn markdown(here: &mut In<'_>, text: &str, path: &KeyPath<'_>) {
    for (kind, range) in inline::neutralised(text) {
        let fragment = text.get(range).unwrap_or_default();
        let at = here.at_fragment(path, fragment);
        let (diagnostic, label, help) = match kind {
            Neutralised::Html => (
                Diagnostic::warning("raw HTML is shown as text", at),
                "not rendered as HTML",
                "use Markdown (`*emphasis*`, `[text](https://...)`), \
                 or put code in backticks (`` `Vec<T>` ``)",
            ),
            Neutralised::Link => (
                Diagnostic::error(
                    "this link would be removed: only http(s) and relative links are kept",
                    at,
                ),
                "only its text is shown",
                "link to a full `https://` address",
            ),
            Neutralised::Image => (
                Diagnostic::warning("images are not shown: only their alt text is", at),
                "shown as its alt text",
                "link to the image instead: `[description](https://...)`",
            ),
        };
        here.push(diagnostic.with_label(label).with_help(help));
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
