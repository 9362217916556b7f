//! Checks beyond what the types enforce: references between files, complete takes, sane
//! numbers, real sources and dates, freshness, and text that shows as written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path};

use super::date::Date;
use super::locate::{KeyPath, Step, Target, locate};
use super::model::{
    Band, Benchmark, Category, Dimension, Language, Method, Metric, Provenance, QuickTake,
    SUMMARY_MAX_CHARS, Source, Value,
};
use super::{DEPENDS, Dataset};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::paths;
use crate::policy::inline::{self, Block, LinkProblem, Neutralised};
use crate::policy::url::{self, Problem};

mod machines;

/// Settings for the checks that depend on the book's configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LintOptions {
    /// An `as_of` older than this many months is reported as stale.
    pub(crate) stale_after_months: u32,
    /// The date staleness is measured against. A contributor's own date may be a day before or
    /// after it, so a day of slack is allowed either way.
    pub(crate) today: Date,
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
            .and_then(|source| source.find(fragment).filter(|_| !fragment.is_empty()))
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

    /// Whether `text` has words; a blank one is reported at `path`.
    fn filled(&mut self, text: &str, path: &KeyPath<'_>) -> bool {
        if !text.trim().is_empty() {
            return true;
        }
        let key = path
            .iter()
            .rev()
            .find_map(|step| match step {
                Step::Key(key) => Some(*key),
                Step::Index(_) => None,
            })
            .unwrap_or("value");
        let empty = self.error(format!("`{key}` is empty"), path, Target::Value);
        empty.label = "no text here".into();
        empty.help = Some("write the text; an optional key can be left out instead".into());
        false
    }
}

/// `text` as it may be quoted in a one-line message: control characters and line breaks
/// escaped, so that a message can neither be split nor send codes to the terminal.
fn quoted(text: &str) -> String {
    text.escape_debug().to_string()
}

/// An id must be usable in a directive and a URL: lowercase letters, digits and hyphens.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The id closest to `text`: lowercase, with every run of other characters made one hyphen
/// (`Latency p99` becomes `latency-p99`), or `None` when nothing of it is left.
fn as_id(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    (!words.is_empty()).then(|| words.join("-"))
}

const ID_HELP: &str = "ids use lowercase letters, digits and hyphens, e.g. `raw-performance`";

/// Words a dimension's or benchmark's id cannot be: `depends` is a verdict and `all` a
/// selection (`<<compare all>>`).
const RESERVED_IDS: [&str; 2] = [DEPENDS, "all"];

/// Checks the file name of a dimension or benchmark, which is its id. Ids are unique by
/// construction: they are the names of the files of one folder.
pub(crate) fn id(id: &str, file: &SourceFile, diagnostics: &mut Diagnostics) {
    if !is_valid_id(id) || RESERVED_IDS.contains(&id) {
        diagnostics.push(
            Diagnostic::error(
                format!("`{}` cannot be an id", quoted(id)),
                Location::Path(file.path.clone()),
            )
            .with_help(format!(
                "rename the file; {ID_HELP}, and neither `{DEPENDS}` nor `all`"
            )),
        );
    }
}

/// Checks `languages.toml`.
pub(crate) fn languages(languages: &[Language], file: &SourceFile, diagnostics: &mut Diagnostics) {
    let mut here = In { file, diagnostics };
    if languages.is_empty() {
        here.error("no languages are defined".into(), &[], Target::Value)
            .help =
            Some("add a `[[language]]` table with `id`, `name`, `tagline` and `homepage`".into());
    }
    let mut seen = BTreeSet::new();
    for (i, language) in languages.iter().enumerate() {
        let at = |key| [Step::Key("language"), Step::Index(i), Step::Key(key)];
        if here.filled(&language.id, &at("id")) {
            if !is_valid_id(&language.id) || language.id == DEPENDS {
                here.error(
                    format!("`{}` cannot be a language id", quoted(&language.id)),
                    &at("id"),
                    Target::Value,
                )
                .help = Some(match as_id(&language.id).filter(|id| id != DEPENDS) {
                    Some(id) => format!("did you mean `{id}`? {ID_HELP}, and not `{DEPENDS}`"),
                    None => format!("{ID_HELP}, and not `{DEPENDS}`"),
                });
            }
            if !seen.insert(language.id.as_str()) {
                here.error(
                    format!("language `{}` is defined twice", language.id),
                    &at("id"),
                    Target::Value,
                )
                .help = Some("give each language a unique id".into());
            }
        }
        here.filled(&language.name, &at("name"));
        link(&mut here, &language.homepage, &at("homepage"));
        markdown(&mut here, &language.tagline, &at("tagline"));
        if let Some(colour) = &language.colour {
            self::colour(&mut here, colour, &at("colour"));
        }
    }
}

/// Checks `categories.toml`.
pub(crate) fn categories(
    categories: &[Category],
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
) {
    let mut here = In { file, diagnostics };
    let mut seen = BTreeSet::new();
    for (i, category) in categories.iter().enumerate() {
        let at = |key| [Step::Key("category"), Step::Index(i), Step::Key(key)];
        if here.filled(&category.id, &at("id")) {
            if !is_valid_id(&category.id) {
                here.error(
                    format!("`{}` cannot be a category id", quoted(&category.id)),
                    &at("id"),
                    Target::Value,
                )
                .help = Some(match as_id(&category.id) {
                    Some(id) => format!("did you mean `{id}`? {ID_HELP}"),
                    None => ID_HELP.into(),
                });
            }
            if !seen.insert(category.id.as_str()) {
                here.error(
                    format!("category `{}` is defined twice", category.id),
                    &at("id"),
                    Target::Value,
                )
                .help = Some("give each category a unique id".into());
            }
        }
        here.filled(&category.name, &at("name"));
        markdown(&mut here, &category.description, &at("description"));
    }
}

/// Checks everything that refers across files, once all files are read. `book_root` is the
/// folder `raw` paths are relative to, wherever the data folder is.
pub(crate) fn dataset(
    dataset: &Dataset,
    options: &LintOptions,
    book_root: &Path,
    diagnostics: &mut Diagnostics,
) {
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
        benchmark(&mut here, &entry.value, dataset, options, book_root);
    }
    if let Some(entry) = &dataset.quick_takes {
        let mut here = In {
            file: &entry.file,
            diagnostics,
        };
        if entry.value.is_empty() {
            here.error(
                "no quick takes are listed".into(),
                &[Step::Key("take")],
                Target::Value,
            )
            .help = Some(
                "add a `[[take]]` table with `situation`, `pick`, `reason`, `as_of` and \
                 `[[take.sources]]`, or remove the file"
                    .into(),
            );
        }
        for (i, take) in entry.value.iter().enumerate() {
            quick_take(&mut here, take, i, dataset, options);
        }
    }
}

fn dimension(here: &mut In<'_>, dimension: &Dimension, dataset: &Dataset, options: &LintOptions) {
    here.filled(&dimension.title, &[Step::Key("title")]);
    let categories: Vec<&str> = dataset.categories.iter().map(|c| c.id.as_str()).collect();
    if here.filled(&dimension.category, &[Step::Key("category")])
        && !dataset.unreadable.categories
        && dataset.category(&dimension.category).is_none()
    {
        let location = here.at(&[Step::Key("category")], Target::Value);
        here.push(
            Diagnostic::error(
                format!("unknown category `{}`", quoted(&dimension.category)),
                location,
            )
            .with_label("not defined in categories.toml")
            .with_choices("categories", &dimension.category, categories),
        );
    }
    verdict(here, &dimension.edge, &[Step::Key("edge")], dataset);
    markdown(here, &dimension.verdict, &[Step::Key("verdict")]);
    per_language(here, &dimension.takes, "takes", "take", dataset);
    if !dimension.summary.is_empty() {
        per_language(here, &dimension.summary, "summary", "summary", dataset);
        for (language, text) in &dimension.summary {
            summary_length(here, text, &[Step::Key("summary"), Step::Key(language)]);
        }
    }
    provenance(
        here,
        &dimension.sources,
        Dates::of(&dimension.as_of, dimension.changed.as_deref()),
        &[],
        options,
    );
}

/// A summary fits the "at a glance" table: at most [`SUMMARY_MAX_CHARS`] characters.
fn summary_length(here: &mut In<'_>, text: &str, path: &KeyPath<'_>) {
    let length = text.chars().count();
    if length > SUMMARY_MAX_CHARS {
        let long = here.error(
            format!(
                "the summary is {length} characters long, more than the {SUMMARY_MAX_CHARS} allowed"
            ),
            path,
            Target::Value,
        );
        long.label = format!("{length} characters");
        long.help = Some(format!(
            "say it in a few words: the \"at a glance\" table has room for {SUMMARY_MAX_CHARS} \
             characters, and the chapter for the rest"
        ));
    }
}

fn benchmark(
    here: &mut In<'_>,
    benchmark: &Benchmark,
    dataset: &Dataset,
    options: &LintOptions,
    book_root: &Path,
) {
    here.filled(&benchmark.title, &[Step::Key("title")]);
    per_language(here, &benchmark.setup, "setup", "setup", dataset);
    markdown(here, &benchmark.description, &[Step::Key("description")]);
    if let Some(limits) = &benchmark.limits {
        markdown(here, limits, &[Step::Key("limits")]);
    }
    markdown(here, &benchmark.environment, &[Step::Key("environment")]);
    if let Some(reproduce) = &benchmark.reproduce {
        here.filled(reproduce, &[Step::Key("reproduce")]);
    }
    if let Some(raw) = &benchmark.raw {
        raw_file(here, raw, &[Step::Key("raw")], book_root);
    }
    provenance(
        here,
        &benchmark.sources,
        Dates::of(&benchmark.as_of, benchmark.changed.as_deref()),
        &[],
        options,
    );
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
        .help = Some(
            "add a `[[metrics]]` table with `id`, `name`, `unit`, `direction` and `values`".into(),
        );
    }
    let mut ids = BTreeSet::new();
    for (m, metric) in benchmark.metrics.iter().enumerate() {
        let at = |key| [Step::Key("metrics"), Step::Index(m), Step::Key(key)];
        if !metric.id.is_empty()
            && metric_id(here, &metric.id, &at("id"))
            && !ids.insert(metric.id.as_str())
        {
            here.error(
                format!("metric id `{}` is used twice in this benchmark", metric.id),
                &at("id"),
                Target::Value,
            )
            .help = Some("give each metric of a benchmark its own id".into());
        }
        self::metric(here, metric, m, dataset);
    }
    if let Some(headline) = &benchmark.headline
        && here.filled(headline, &[Step::Key("headline")])
        && benchmark.metric(headline).is_none()
    {
        let location = here.at(&[Step::Key("headline")], Target::Value);
        here.push(
            Diagnostic::error(format!("unknown metric `{}`", quoted(headline)), location)
                .with_label("no metric of this benchmark has this id")
                .with_choices(
                    "metric ids",
                    headline,
                    benchmark.metrics.iter().map(|m| m.id.as_str()),
                ),
        );
    }
    machines::machines(here, benchmark, dataset, book_root);
}

/// A metric's id: kebab-case. Returns whether it is one.
fn metric_id(here: &mut In<'_>, id: &str, path: &KeyPath<'_>) -> bool {
    kebab_id(here, id, path, "a metric id")
}

/// An id at `path` that names `what` ("a metric id"): kebab-case, with the id it could be when
/// it is not. Returns whether it is one.
fn kebab_id(here: &mut In<'_>, id: &str, path: &KeyPath<'_>, what: &str) -> bool {
    if !here.filled(id, path) {
        return false;
    }
    if is_valid_id(id) {
        return true;
    }
    here.error(
        format!("`{}` cannot be {what}", quoted(id)),
        path,
        Target::Value,
    )
    .help = Some(match as_id(id) {
        Some(id) => format!("did you mean `{id}`? {ID_HELP}"),
        None => ID_HELP.into(),
    });
    false
}

fn metric(here: &mut In<'_>, metric: &Metric, m: usize, dataset: &Dataset) {
    let at = |key| [Step::Key("metrics"), Step::Index(m), Step::Key(key)];
    here.filled(&metric.name, &at("name"));
    if let Some(note) = &metric.note {
        markdown(here, note, &at("note"));
    }
    if metric.unit.trim().is_empty() {
        here.error(
            format!("metric `{}` has an empty unit", metric.name),
            &at("unit"),
            Target::Value,
        )
        .help = Some("name the unit, e.g. `\"ms\"` or `\"req/s\"`".into());
    }
    let languages: Vec<&str> = dataset.languages.iter().map(|l| l.id.as_str()).collect();
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
                Diagnostic::error(format!("unknown language `{}`", quoted(language)), location)
                    .with_label("not defined in languages.toml")
                    .with_choices("languages", language, languages.iter().copied()),
            );
        }
        self::value(here, *value, &path);
    }
    if let Some(quantity) = &metric.quantity {
        here.filled(quantity, &at("quantity"));
    }
    if let Some(band) = &metric.band {
        self::band(here, band, &at("band"));
    }
    if let Some(why) = &metric.descriptive {
        markdown(here, why, &at("descriptive"));
    }
    for i in 0..metric.intervals.len() {
        interval(here, metric, m, i);
    }
    duplicate_intervals(here, metric, m);
}

/// A band is a finite width of at least 0, with a reason.
fn band(here: &mut In<'_>, band: &Band, path: &KeyPath<'_>) {
    let key = |key| [path, &[Step::Key(key)]].concat();
    if !(band.width.is_finite() && band.width >= 0.0) {
        here.error(
            format!(
                "`{}` cannot be a band's width: it must be finite and at least 0",
                band.width
            ),
            &key("width"),
            Target::Value,
        )
        .help = Some(
            "write the half-width around a ratio of 1 as a fraction: `0.05` is ±5%, `0.0` \
             suits a figure that is the same on every run"
                .into(),
        );
    }
    markdown(here, &band.reason, &key("reason"));
}

/// How far a stored ratio may be from the ratio of the medians as written, which are rounded:
/// 2%.
const RATIO_TOLERANCE: f64 = 1.02;

/// An interval compares two measured languages, and its figures are in order and agree with
/// the medians.
fn interval(here: &mut In<'_>, metric: &Metric, m: usize, i: usize) {
    let interval = &metric.intervals[i];
    let at = |key| {
        [
            Step::Key("metrics"),
            Step::Index(m),
            Step::Key("intervals"),
            Step::Index(i),
            Step::Key(key),
        ]
    };
    let mut medians = Vec::new();
    for (key, id) in [("of", &interval.of), ("over", &interval.over)] {
        if !here.filled(id, &at(key)) {
            continue;
        }
        match metric.values.get(id) {
            Some(value) => medians.push(match *value {
                Value::Single(figure) => figure,
                Value::Spread(spread) => spread.median,
            }),
            None => {
                let location = here.at(&at(key), Target::Value);
                here.push(
                    Diagnostic::error(
                        format!(
                            "`{}` has no value in this metric, so no ratio of it",
                            quoted(id)
                        ),
                        location,
                    )
                    .with_label("not among `[metrics.values]`")
                    .with_choices(
                        "languages with a value",
                        id,
                        metric.values.keys().map(String::as_str),
                    ),
                );
            }
        }
    }
    if medians.len() == 2 && interval.of == interval.over {
        here.error(
            format!("`{}` is compared with itself", interval.of),
            &at("over"),
            Target::Value,
        )
        .help = Some("name two different languages in `of` and `over`".into());
        return;
    }
    let figures = [
        ("ratio", interval.ratio),
        ("low", interval.low),
        ("high", interval.high),
    ];
    let all_measured = figures.iter().fold(true, |ok, &(name, figure)| {
        positive(here, figure, &at(name)) && ok
    });
    if !all_measured {
        return;
    }
    let (ratio, low, high) = (interval.ratio, interval.low, interval.high);
    if !(low <= ratio && ratio <= high) {
        let order = here.error(
            format!("the interval is out of order: low {low}, ratio {ratio}, high {high}"),
            &at("ratio"),
            Target::Value,
        );
        order.label = "expected `low <= ratio <= high`".into();
        order.help = Some("check which figure is which: `low` is the interval's lower end".into());
    } else if interval.method == Method::Exact && !(low == ratio && ratio == high) {
        let exact = here.error(
            format!("an exact ratio has no spread, but its interval is {low} to {high}"),
            &at("method"),
            Target::Value,
        );
        exact.label = "`exact` needs `low = ratio = high`".into();
        exact.help = Some(
            "write `method = \"bootstrap\"` or `\"hodges-lehmann\"` for figures that vary, or \
             make `low` and `high` the ratio"
                .into(),
        );
    }
    if let [of, over] = medians[..]
        && of.is_finite()
        && over.is_finite()
        && of > 0.0
        && over > 0.0
    {
        let expected = of / over;
        if (ratio.ln() - expected.ln()).abs() > RATIO_TOLERANCE.ln() {
            here.error(
                format!(
                    "the ratio {ratio} is not the medians' ratio: {} / {} is {expected:.3}",
                    interval.of, interval.over
                ),
                &at("ratio"),
                Target::Value,
            )
            .help = Some(format!(
                "write `ratio = median({}) / median({})`, with the interval of that ratio \
                 (the two may differ by the medians' rounding, at most 2%)",
                interval.of, interval.over
            ));
        }
    }
}

/// Two intervals of the same two languages, either way round, could say two things.
fn duplicate_intervals(here: &mut In<'_>, metric: &Metric, m: usize) {
    let mut pairs = BTreeSet::new();
    for (i, interval) in metric.intervals.iter().enumerate() {
        let mut pair = [interval.of.as_str(), interval.over.as_str()];
        pair.sort_unstable();
        if interval.of != interval.over && !pairs.insert(pair) {
            here.error(
                format!(
                    "a second interval of `{}` and `{}` in this metric",
                    pair[0], pair[1]
                ),
                &[
                    Step::Key("metrics"),
                    Step::Index(m),
                    Step::Key("intervals"),
                    Step::Index(i),
                ],
                Target::Value,
            )
            .help = Some("keep one interval per pair of languages".into());
        }
    }
}

/// Whether `figure` is finite and positive; if not, it is reported at `path`.
fn positive(here: &mut In<'_>, figure: f64, path: &KeyPath<'_>) -> bool {
    let ok = figure.is_finite() && figure > 0.0;
    if !ok {
        here.error(
            format!("`{figure}` cannot be a ratio: ratios must be finite and positive"),
            path,
            Target::Value,
        )
        .help = Some("write the ratio of the medians and its interval's ends".into());
    }
    ok
}

/// A value is a measurement: finite and positive, and a spread is in order.
fn value(here: &mut In<'_>, value: Value, path: &KeyPath<'_>) {
    let spread = match value {
        Value::Single(figure) => {
            measurement(here, figure, path);
            return;
        }
        Value::Spread(spread) => spread,
    };
    let key = |key| [path, &[Step::Key(key)]].concat();
    let figures = [
        ("median", spread.median),
        ("min", spread.min),
        ("max", spread.max),
    ];
    let all_measured = figures.iter().fold(true, |ok, &(name, figure)| {
        measurement(here, figure, &key(name)) && ok
    });
    if all_measured && !(spread.min <= spread.median && spread.median <= spread.max) {
        let order = here.error(
            format!(
                "the spread is out of order: min {}, median {}, max {}",
                spread.min, spread.median, spread.max
            ),
            path,
            Target::Value,
        );
        order.label = "expected `min <= median <= max`".into();
        order.help = Some("check which figure is which: `min` is the smallest run".into());
    }
    if spread.runs == 0 {
        here.error(
            "`runs` is 0: a median needs at least one run".into(),
            &key("runs"),
            Target::Value,
        )
        .help = Some("write how many runs the median and the range are of".into());
    }
}

/// Whether `figure` is a measurement (finite and positive); if not, it is reported at `path`.
fn measurement(here: &mut In<'_>, figure: f64, path: &KeyPath<'_>) -> bool {
    let ok = figure.is_finite() && figure > 0.0;
    if !ok {
        here.error(
            format!("`{figure}` is not a measurement: values must be finite and positive"),
            path,
            Target::Value,
        )
        .help = Some("leave the language out of `values` when it was not measured".into());
    }
    ok
}

/// `raw` names a committed regular file inside the book, by a relative path without `..`.
fn raw_file(here: &mut In<'_>, raw: &str, path: &KeyPath<'_>, root: &Path) {
    if !here.filled(raw, path) {
        return;
    }
    const HELP: &str = "write the path from the book's root (the folder of book.toml), \
                        with `/`, e.g. `bench/results/http-json.csv`";
    let relative = Path::new(raw);
    let problem = if raw.starts_with('/') || relative.has_root() || relative.is_absolute() {
        Some("it is absolute")
    } else if relative.components().any(|c| c == Component::ParentDir) {
        Some("`..` is not allowed")
    } else if raw.contains('\\') {
        Some("`\\` is not a folder separator here")
    } else if raw.chars().any(char::is_control) {
        Some("it holds a control character")
    } else {
        None
    };
    if let Some(problem) = problem {
        here.error(
            format!("`{}` is not a path inside the book: {problem}", quoted(raw)),
            path,
            Target::Value,
        )
        .help = Some(HELP.into());
        return;
    }
    let file = root.join(relative);
    let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Whether `path` exists and, with every link resolved, is inside the book.
    let inside = |path: &Path| paths::resolves_inside(path, &real_root);
    let metadata = fs::metadata(&file);
    let problem = match &metadata {
        Ok(_) if !inside(&file) => "it leads out of the book",
        Ok(meta) if meta.is_file() => return,
        Ok(meta) if meta.is_dir() => "it is a folder, not a file",
        Ok(_) => "it is not a regular file",
        Err(_) => "it does not exist",
    };
    let location = here.at(path, Target::Value);
    let mut diagnostic = Diagnostic::error(
        format!("`{}` cannot be the raw figures: {problem}", quoted(raw)),
        location,
    )
    .with_help(
        "commit the file with the raw per-run figures, and give its path from the book's \
         root (the folder of book.toml)",
    );
    // For a missing file, the files of its folder are the choices, if that folder is the book's.
    if metadata.is_err()
        && let (Some(folder), Some(name)) = (file.parent(), relative.file_name())
        && inside(folder)
    {
        let siblings: Vec<String> = fs::read_dir(folder)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        if !siblings.is_empty() {
            let what = match relative.parent().map(Path::to_string_lossy) {
                Some(folder) if !folder.is_empty() => format!("files in `{folder}/`"),
                _ => "files at the book's root".to_string(),
            };
            diagnostic = diagnostic.with_choices(
                &what,
                &name.to_string_lossy(),
                siblings.iter().map(String::as_str),
            );
        }
    }
    here.push(diagnostic);
}

fn quick_take(
    here: &mut In<'_>,
    take: &QuickTake,
    index: usize,
    dataset: &Dataset,
    options: &LintOptions,
) {
    let at = [Step::Key("take"), Step::Index(index)];
    let path = |key| [at[0], at[1], Step::Key(key)];
    markdown(here, &take.situation, &path("situation"));
    markdown(here, &take.reason, &path("reason"));
    verdict(here, &take.pick, &path("pick"), dataset);
    if let Some(dimension) = &take.dimension
        && here.filled(dimension, &path("dimension"))
        && dataset.dimension(dimension).is_none()
        && !dataset.unreadable.may_define(dimension)
    {
        let location = here.at(&path("dimension"), Target::Value);
        here.push(
            Diagnostic::error(
                format!("unknown dimension `{}`", quoted(dimension)),
                location,
            )
            .with_label("no dimension has this id")
            .with_choices(
                "dimension ids",
                dimension,
                dataset.dimensions.iter().map(|d| d.id.as_str()),
            ),
        );
    }
    provenance(
        here,
        &take.sources,
        Dates::of(&take.as_of, take.changed.as_deref()),
        &at,
        options,
    );
}

/// An edge or pick must name a language or "depends".
fn verdict(here: &mut In<'_>, value: &str, path: &KeyPath<'_>, dataset: &Dataset) {
    if here.filled(value, path)
        && value != DEPENDS
        && !dataset.unreadable.languages
        && dataset.language(value).is_none()
    {
        let location = here.at(path, Target::Value);
        here.push(
            Diagnostic::error(format!("`{}` names no language", quoted(value)), location)
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
                Diagnostic::error(format!("unknown language `{}`", quoted(language)), location)
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

/// When an entry was checked (`as_of`) and when it last changed (`changed`), as written.
struct Dates<'a> {
    as_of: &'a str,
    changed: Option<&'a str>,
}

impl<'a> Dates<'a> {
    fn of(as_of: &'a str, changed: Option<&'a str>) -> Dates<'a> {
        Dates { as_of, changed }
    }
}

/// Sources must be links or citations, `as_of` a date no later than tomorrow and no older than
/// the limit, counted from yesterday (the day of slack either way), and `changed` a date no
/// later than `as_of`.
fn provenance(
    here: &mut In<'_>,
    sources: &[Source],
    dates: Dates<'_>,
    at: &KeyPath<'_>,
    options: &LintOptions,
) {
    let as_of = dates.as_of;
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
        if let Some(url) = &source.url {
            link(
                here,
                url,
                &[source_path.as_slice(), &[Step::Key("url")]].concat(),
            );
        }
    }
    if let Some(changed) = dates.changed {
        changed_date(here, changed, as_of, &path("changed"), options.today);
    }
    if !here.filled(as_of, &path("as_of")) {
        return;
    }
    let today = options.today;
    match Date::parse(as_of) {
        None => {
            here.error(
                format!("`{}` is not a date", quoted(as_of)),
                &path("as_of"),
                Target::Value,
            )
            .help = Some(format!(
                "write the date as `\"YYYY-MM-DD\"`, e.g. `\"{today}\"`"
            ));
        }
        Some(date) if date > today.tomorrow() => {
            here.error(
                format!("`{as_of}` is in the future"),
                &path("as_of"),
                Target::Value,
            )
            .help = Some("use the date the facts were checked".into());
        }
        Some(date)
            if date.months_until(today.yesterday()) > i64::from(options.stale_after_months) =>
        {
            let location = here.at(&path("as_of"), Target::Value);
            here.push(
                Diagnostic::warning(
                    format!(
                        "stale data: checked {} months ago, more than the {} allowed",
                        date.months_until(today),
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

/// `changed` must be a date, and no later than `as_of` (a change is checked when it is made).
fn changed_date(here: &mut In<'_>, changed: &str, as_of: &str, at: &KeyPath<'_>, today: Date) {
    if !here.filled(changed, at) {
        return;
    }
    match (Date::parse(changed), Date::parse(as_of)) {
        (None, _) => {
            here.error(
                format!("`{}` is not a date", quoted(changed)),
                at,
                Target::Value,
            )
            .help = Some(format!(
                "write the date as `\"YYYY-MM-DD\"`, e.g. `\"{today}\"`, or leave `changed` out"
            ));
        }
        (Some(changed_on), Some(checked_on)) if changed_on > checked_on => {
            here.error(
                format!("`changed` ({changed}) is after `as_of` ({as_of})"),
                at,
                Target::Value,
            )
            .help = Some(
                "an entry is checked when it changes: set `as_of` to the day you checked it".into(),
            );
        }
        _ => {}
    }
}

/// Inline Markdown must show as written: raw HTML and images are warnings (the text still
/// reads, as in `Vec<T>`, but not as markup); a link that is neither one absolute http(s) URL
/// with a host nor a link inside the book is an error (the writers drop it and keep only its
/// text), and so is block Markdown (the writers would glue it into one line).
fn markdown(here: &mut In<'_>, text: &str, path: &KeyPath<'_>) {
    if !here.filled(text, path) {
        return;
    }
    for (kind, range) in inline::neutralised(text) {
        let fragment = text.get(range).unwrap_or_default();
        let at = here.at_fragment(path, fragment.trim_end());
        let (diagnostic, label, help) = match kind {
            Neutralised::Html => (
                Diagnostic::warning("raw HTML is shown as text", at),
                "not rendered as HTML",
                "use Markdown (`*emphasis*`, `[text](https://...)`), \
                 or put code in backticks (`` `Vec<T>` ``)"
                    .into(),
            ),
            Neutralised::Link { problem, target } => {
                let (message, help) = bad_link(problem, &target);
                (
                    Diagnostic::error(message, at),
                    "only its text is shown",
                    help,
                )
            }
            Neutralised::Image => (
                Diagnostic::warning("images are not shown: only their alt text is", at),
                "shown as its alt text",
                "link to the image instead: `[description](https://...)`".into(),
            ),
            Neutralised::Block(block) => {
                let (what, help) = match block {
                    Block::Paragraph => (
                        "a second paragraph",
                        "join the paragraphs: remove the blank line before this one",
                    ),
                    Block::Heading => (
                        "a heading",
                        "remove the `#` (or the underline), or write `\\#` for a literal one",
                    ),
                    Block::List => (
                        "a list",
                        "write the items as a sentence, or escape the marker: `\\-`, `1\\.`",
                    ),
                    Block::Quote => ("a block quote", "remove the `>`, or write `\\>`"),
                    Block::Code => (
                        "a code block",
                        "use a code span instead (`` `code` ``), without a four-space indent",
                    ),
                    Block::Rule => (
                        "a thematic break",
                        "remove the line of `-`, `*` or `_`, or escape it: `\\---`",
                    ),
                };
                (
                    Diagnostic::error(format!("{what} in a one-line text"), at),
                    "the field is shown on one line: this would run into the rest",
                    help.into(),
                )
            }
        };
        here.push(diagnostic.with_label(label).with_help(help));
    }
}

/// What is wrong with a link in inline Markdown to `target`, and how to fix it.
fn bad_link(problem: LinkProblem, target: &str) -> (String, String) {
    match problem {
        LinkProblem::Scheme => (
            "this link would be removed: only http(s) and relative links are kept".into(),
            "link to a full `https://` address".into(),
        ),
        LinkProblem::NoScheme => (
            format!(
                "`{}` is a link to another site without a scheme",
                quoted(target)
            ),
            format!(
                "write the full address, `https://{}`, or a link inside the book",
                quoted(target.trim_start().trim_start_matches(['/', '\\']))
            ),
        ),
        LinkProblem::Url(problem) => url_problem(
            target,
            problem,
            "use a full `https://` address, or a link inside the book",
        ),
    }
}

/// A source URL or home page: one absolute http(s) URL with a host, and nothing else.
fn link(here: &mut In<'_>, link: &str, path: &KeyPath<'_>) {
    if !here.filled(link, path) {
        return;
    }
    let Err(problem) = url::check(link) else {
        return;
    };
    let (message, help) = url_problem(
        link,
        problem,
        "use a full `https://` address, or leave `url` out for a citation",
    );
    here.error(message, path, Target::Value).help = Some(help);
}

/// What is wrong with `link`, which breaks the URL rule with `problem`, and how to fix it;
/// `otherwise` is the help when no lowercase scheme fixes it.
fn url_problem(link: &str, problem: Problem, otherwise: &str) -> (String, String) {
    let shown = quoted(link);
    match problem {
        Problem::Space(_, c) => (
            format!(
                "`{shown}` is not a URL: it holds {}",
                match c {
                    ' ' => "a space".to_string(),
                    '\n' | '\r' => "a line break".to_string(),
                    '\t' => "a tab".to_string(),
                    c => format!("the invisible character U+{:04X}", u32::from(c)),
                }
            ),
            "a URL has no whitespace: remove it (a space inside an address is written `%20`)"
                .to_string(),
        ),
        Problem::Scheme => (
            format!("`{shown}` is not an http(s) URL"),
            match link_lowercase(link) {
                lowered if lowered != link && url::check(&lowered).is_ok() => {
                    format!("write the scheme in lowercase: `{}`", quoted(&lowered))
                }
                _ => otherwise.into(),
            },
        ),
        Problem::NoHost => (
            format!("`{shown}` has no host"),
            "write the site's name after `https://`, e.g. `https://example.org/page`".to_string(),
        ),
        Problem::UserInfo => (
            format!("`{shown}` has a user name before its host"),
            "remove everything from `//` up to the `@`: a link to a source carries no user"
                .to_string(),
        ),
        Problem::Host(_, c) => (
            format!("`{shown}` has `{}` in its host", c.escape_debug()),
            "a host is a name of letters, digits, `-` and `.`, and an optional `:port`".to_string(),
        ),
    }
}

/// `link` with its scheme lowercased (`HTTPS://x.org/A` becomes `https://x.org/A`).
fn link_lowercase(link: &str) -> String {
    match link.split_once("://") {
        Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
        None => link.to_string(),
    }
}

/// A colour is `#rrggbb`.
fn colour(here: &mut In<'_>, colour: &str, path: &KeyPath<'_>) {
    if !here.filled(colour, path) {
        return;
    }
    let digits = colour.strip_prefix('#').unwrap_or(colour);
    let hex = digits.bytes().all(|b| b.is_ascii_hexdigit());
    if colour.starts_with('#') && digits.len() == 6 && hex {
        return;
    }
    let closest = match digits.len() {
        6 if hex => Some(format!("#{digits}")),
        3 if hex => Some(format!(
            "#{}",
            digits.chars().flat_map(|c| [c, c]).collect::<String>()
        )),
        _ => None,
    };
    let wrong = here.error(
        format!("`{}` is not a colour", quoted(colour)),
        path,
        Target::Value,
    );
    wrong.label = "expected `#rrggbb`".into();
    wrong.help = Some(match closest {
        Some(closest) => format!("did you mean `{closest}`?"),
        None => "write `#` and six hexadecimal digits, e.g. `#dea584`".into(),
    });
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

    #[test]
    fn the_closest_id_is_kebab_case() {
        assert_eq!(as_id("Latency p99").as_deref(), Some("latency-p99"));
        assert_eq!(as_id("peak_RSS (MiB)").as_deref(), Some("peak-rss-mib"));
        assert_eq!(as_id("--"), None);
    }

    #[test]
    fn quoted_text_stays_on_one_line() {
        assert_eq!(quoted("a\n\u{1b}[2Jb"), "a\\n\\u{1b}[2Jb");
    }
}
