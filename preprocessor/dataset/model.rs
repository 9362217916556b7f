//! The shape of every file under `data/`, as Rust types.
//!
//! These types are the single definition of the dataset format: serde reads the TOML files into
//! them (rejecting unknown keys), and schemars derives the JSON Schemas that editors use from them.
//! The schemas say what a static schema can (patterns, lengths, required keys); the checks in
//! `lint.rs` say the rest, each at the place it is about.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// An id: lowercase letters, digits and hyphens, not starting with a hyphen.
const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";
/// A source URL: absolute http(s), a host, no whitespace.
const URL_PATTERN: &str = r"^https?://[^\s/?#@\\]+([/?#]\S*)?$";
/// A date: `YYYY-MM-DD`.
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// A colour: `#rrggbb`.
const COLOUR_PATTERN: &str = "^#[0-9a-fA-F]{6}$";

/// The most characters a dimension's summary of one language may have.
pub(crate) const SUMMARY_MAX_CHARS: usize = 60;

/// `data/languages.toml`: the languages being compared, in column order.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LanguagesFile {
    /// One `[[language]]` table per language; the order is the column order of every table.
    #[schemars(length(min = 1))]
    pub(crate) language: Vec<Language>,
}

/// One language: a column in every table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Language {
    /// Identifier used everywhere else in the dataset (`edge = "rust"`, `[takes] rust = ...`).
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) id: String,
    /// Display name, used as the column header.
    #[schemars(length(min = 1))]
    pub(crate) name: String,
    /// One-line description of the language, in its own project's spirit (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) tagline: String,
    /// The language's home page (http or https).
    #[schemars(pattern(URL_PATTERN))]
    pub(crate) homepage: String,
    /// The language's colour in tables and charts, `#rrggbb`; without it, the stylesheet gives
    /// each column a default colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(COLOUR_PATTERN))]
    pub(crate) colour: Option<String>,
}

/// `data/categories.toml`: the groups dimensions belong to, in display order.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoriesFile {
    /// One `[[category]]` table per category.
    pub(crate) category: Vec<Category>,
}

/// A group of dimensions, such as "core" or "ops".
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Category {
    /// Identifier that dimensions name in their `category` key.
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) id: String,
    /// Display name.
    #[schemars(length(min = 1))]
    pub(crate) name: String,
    /// What the category covers, in one sentence (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) description: String,
}

/// A cited source: a link, or a citation a reader can look up.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Source {
    /// What the source is, e.g. "Go GC guide" or "Stack Overflow Developer Survey 2024".
    #[schemars(length(min = 1))]
    pub(crate) title: String,
    /// Where to read it (http or https). Leave it out only for a citation without a web address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(URL_PATTERN))]
    pub(crate) url: Option<String>,
}

/// `data/dimensions/<id>.toml`: one compared dimension; the file name is its id.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = summary_without_default)]
pub(crate) struct Dimension {
    /// Display title, e.g. "Raw performance".
    #[schemars(length(min = 1))]
    pub(crate) title: String,
    /// Id of a category from `categories.toml`.
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) category: String,
    /// The site's judgement: a language id, or "depends".
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) edge: String,
    /// Why the edge goes that way, or what it depends on (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) verdict: String,
    /// Each language's side of the trade-off, keyed by language id (inline Markdown).
    #[schemars(extend("additionalProperties" = { "type": "string", "minLength": 1 }))]
    pub(crate) takes: BTreeMap<String, String>,
    /// Each language in a few words, keyed by language id, for the "at a glance" table: plain
    /// inline Markdown of at most 60 characters.
    #[serde(default)]
    #[schemars(extend("additionalProperties" = {
        "type": "string", "minLength": 1, "maxLength": SUMMARY_MAX_CHARS
    }))]
    pub(crate) summary: BTreeMap<String, String>,
    /// Where the takes' facts come from.
    #[schemars(length(min = 1))]
    pub(crate) sources: Vec<Source>,
    /// When the takes were last checked against their sources (YYYY-MM-DD).
    #[schemars(pattern(DATE_PATTERN))]
    pub(crate) as_of: String,
    /// When the entry's content last changed (YYYY-MM-DD), no later than `as_of`: shown as
    /// "changed" beside "checked", so that a recent check of old content reads as such. Absent
    /// when not recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(DATE_PATTERN))]
    pub(crate) changed: Option<String>,
}

/// Whether a larger or a smaller value of a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Direction {
    /// More is better (throughput).
    Higher,
    /// Less is better (latency, memory, build time, size).
    Lower,
}

/// How much a reader can trust a benchmark's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Provenance {
    /// Measured by the harness in this repository; `reproduce` says how.
    Reproduced,
    /// Published by the cited source, which documents how it was measured.
    Published,
    /// Stated by a source but not traceable to any published measurement.
    Unverified,
}

/// `data/benchmarks/<id>.toml`: one benchmark; the file name is its id.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Benchmark {
    /// Display title.
    #[schemars(length(min = 1))]
    pub(crate) title: String,
    /// What was measured and how (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) description: String,
    /// What the benchmark does not measure, so that no one reads more into it (inline Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1))]
    pub(crate) limits: Option<String>,
    /// How far the numbers can be trusted.
    pub(crate) provenance: Provenance,
    /// What each language ran, keyed by language id (inline Markdown).
    #[schemars(extend("additionalProperties" = { "type": "string", "minLength": 1 }))]
    pub(crate) setup: BTreeMap<String, String>,
    /// Hardware, OS and load parameters (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) environment: String,
    /// The command that reproduces the numbers, for reproduced benchmarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1))]
    pub(crate) reproduce: Option<String>,
    /// The committed raw per-run figures: a file path relative to the book root, such as
    /// `bench/results/http-json.csv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1))]
    pub(crate) raw: Option<String>,
    /// Where the numbers come from.
    #[schemars(length(min = 1))]
    pub(crate) sources: Vec<Source>,
    /// When the numbers were measured or last checked (YYYY-MM-DD).
    #[schemars(pattern(DATE_PATTERN))]
    pub(crate) as_of: String,
    /// When the entry's content last changed (YYYY-MM-DD), no later than `as_of`: shown as
    /// "changed" beside "checked", so that a recent check of old content reads as such. Absent
    /// when not recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(DATE_PATTERN))]
    pub(crate) changed: Option<String>,
    /// The `id` of the metric that sums the benchmark up in the suite's summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub(crate) headline: Option<String>,
    /// The measured quantities, in display order.
    #[schemars(length(min = 1))]
    pub(crate) metrics: Vec<Metric>,
    /// Measured on a machine that missed the suite's quiet gate (`bench/run --provisional`, or
    /// runs recorded before the gate existed): the figures are shown, marked as provisional,
    /// and give no verdict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) provisional: bool,
    /// The name of the machine the figures above were measured on, one of `machines`: the
    /// reference, shown first. Absent when the benchmark's figures come from one machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub(crate) machine: Option<String>,
    /// Every machine the benchmark ran on, the reference (`machine`) among them: its hardware,
    /// environment, commit and date, and, for each machine but the reference (whose figures are
    /// the benchmark's own `metrics`), its figures per metric.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) machines: Vec<Machine>,
    /// Where each metric id first stands in `metrics`, built at the first lookup, so that a
    /// chapter quoting many metrics of a large benchmark costs time linear in both.
    #[serde(skip)]
    #[schemars(skip)]
    metric_index: OnceLock<HashMap<String, usize>>,
}

impl Benchmark {
    /// The metric with `id` (the first, should two share it).
    pub(crate) fn metric(&self, id: &str) -> Option<&Metric> {
        let index = self.metric_index.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.metrics.len());
            for (position, metric) in self.metrics.iter().enumerate() {
                index.entry(metric.id.clone()).or_insert(position);
            }
            index
        });
        index.get(id).map(|&position| &self.metrics[position])
    }
}

/// A machine a benchmark ran on: who named it, its hardware, and what it measured.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Machine {
    /// The machine's identity, unique within the benchmark: the name its contributor gave
    /// (`bench/run --machine NAME`) with a digest of its hardware, e.g. `ada-x86-64-2c-3f9a1c`.
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) name: String,
    /// The processor's model, e.g. "AMD EPYC 9R14" (plain text).
    #[schemars(length(min = 1))]
    pub(crate) cpu: String,
    /// How many CPU cores the measured programs could use.
    #[schemars(range(min = 1))]
    pub(crate) cores: u32,
    /// The machine's architecture, e.g. `x86-64` or `arm64` (plain text).
    #[schemars(length(min = 1))]
    pub(crate) architecture: String,
    /// Its memory, in GiB.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub(crate) memory_gib: f64,
    /// Hardware, OS, toolchains and load while it measured (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) environment: String,
    /// The repository commit whose programs it measured.
    #[schemars(length(min = 1))]
    pub(crate) commit: String,
    /// When it measured (YYYY-MM-DD).
    #[schemars(pattern(DATE_PATTERN))]
    pub(crate) as_of: String,
    /// Its committed raw per-run figures: a file path relative to the book root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1))]
    pub(crate) raw: Option<String>,
    /// It missed the suite's quiet gate: its figures are shown and give no verdict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) provisional: bool,
    /// Its figures, one entry per metric of the benchmark it measured; empty for the reference,
    /// whose figures are the benchmark's own `metrics`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) metrics: Vec<MachineMetric>,
}

/// One machine's figures of one metric: its values and intervals, with the name, unit,
/// direction and band of the benchmark's metric of the same `id`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MachineMetric {
    /// The `id` of one of the benchmark's metrics.
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) id: String,
    /// Measured value per language id.
    #[serde(default)]
    pub(crate) values: BTreeMap<String, Value>,
    /// The ratio of two languages' medians with its 95% interval, one per pair compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) intervals: Vec<Interval>,
}

impl Benchmark {
    /// The machines other than the reference, in the order of the file.
    pub(crate) fn other_machines(&self) -> impl Iterator<Item = &Machine> {
        self.machines
            .iter()
            .filter(move |m| Some(&m.name) != self.machine.as_ref())
    }

    /// The reference machine, when the benchmark names one.
    pub(crate) fn reference_machine(&self) -> Option<&Machine> {
        let name = self.machine.as_ref()?;
        self.machines.iter().find(|m| &m.name == name)
    }

    /// `metric` as `machine` measured it: the benchmark's metric with that machine's values
    /// and intervals; `None` when the machine did not measure it.
    pub(crate) fn metric_on(&self, metric: &Metric, machine: &Machine) -> Option<Metric> {
        let figures = machine.metrics.iter().find(|m| m.id == metric.id)?;
        Some(Metric {
            values: figures.values.clone(),
            intervals: figures.intervals.clone(),
            ..metric.clone()
        })
    }
}

/// One measured quantity of a benchmark.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = id_without_default)]
pub(crate) struct Metric {
    /// Identifier, unique within the benchmark, that `<<value>>`, `<<ratio>>` and `headline`
    /// use: lowercase letters, digits and hyphens, e.g. `latency-p99`.
    #[serde(default)]
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) id: String,
    /// Display name, e.g. "p99 latency".
    #[schemars(length(min = 1))]
    pub(crate) name: String,
    /// Unit shown after each value, e.g. "ms" or "req/s".
    #[schemars(length(min = 1))]
    pub(crate) unit: String,
    /// Whether higher or lower values are better.
    pub(crate) direction: Direction,
    /// Measured value per language id; leave a language out when it was not measured.
    #[serde(default)]
    pub(crate) values: BTreeMap<String, Value>,
    /// Context for the numbers: caveats, spread, what is known when values are missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1))]
    pub(crate) note: Option<String>,
    /// What the metric measures, as a noun after "lower" or "higher" in a verdict, e.g.
    /// "latency" or "throughput" (plain text): a verdict then reads "Rust with 2.4x lower
    /// latency". Without it, the metric's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1))]
    pub(crate) quantity: Option<String>,
    /// The equivalence band around a ratio of 1, when it is not the default ±5%, with the
    /// reason: a difference is clear only when the ratio's interval lies wholly outside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Band")]
    pub(crate) band: Option<Band>,
    /// Figures that describe and do not compare, such as a closed-loop client's latency
    /// percentiles, which restate its throughput: shown with their spread, never given a
    /// verdict. The text says why (inline Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1))]
    pub(crate) descriptive: Option<String>,
    /// The ratio of two languages' medians with its 95% interval, one per pair compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) intervals: Vec<Interval>,
}

/// The default half-width of the equivalence band: ±5% around a ratio of 1.
pub(crate) const DEFAULT_BAND_WIDTH: f64 = 0.05;

impl Metric {
    /// The band's width `w`: the band is `1 / (1 + w)` to `1 + w` on the ratio.
    pub(crate) fn band_width(&self) -> f64 {
        self.band
            .as_ref()
            .map_or(DEFAULT_BAND_WIDTH, |band| band.width)
    }
}

/// An equivalence band other than the default, and why.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Band {
    /// The band's half-width `w`: ratios from `1 / (1 + w)` to `1 + w` count as the same, e.g.
    /// `0.0` for a deterministic figure such as a file's size.
    #[schemars(range(min = 0))]
    pub(crate) width: f64,
    /// Why this metric needs another band than ±5% (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) reason: String,
}

/// The ratio of two languages' medians, `median(of) / median(over)`, with its 95% interval.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Interval {
    /// The language id of the numerator.
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) of: String,
    /// The language id of the denominator.
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) over: String,
    /// `median(of) / median(over)`.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub(crate) ratio: f64,
    /// The lower end of the ratio's 95% interval.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub(crate) low: f64,
    /// The upper end of the ratio's 95% interval.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub(crate) high: f64,
    /// How the interval was computed.
    pub(crate) method: Method,
}

/// How a ratio's interval was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Method {
    /// A percentile bootstrap of the ratio of medians.
    Bootstrap,
    /// A Hodges-Lehmann interval of the ratio (from the shift between the logarithms).
    HodgesLehmann,
    /// Deterministic values: `low = high = ratio`.
    Exact,
}

/// One language's result for a metric: a single figure, or the median of several runs with
/// their range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Value {
    /// One figure, e.g. `5.82`.
    Single(f64),
    /// Several runs: `{ median = 5.82, min = 5.7, max = 6.1, runs = 9 }`.
    Spread(Spread),
}

/// The median of several runs, with the smallest and largest run and how many there were.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Spread {
    /// The median of the runs: the figure shown.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub(crate) median: f64,
    /// The smallest run.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub(crate) min: f64,
    /// The largest run.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub(crate) max: f64,
    /// How many runs there were.
    #[schemars(range(min = 1))]
    pub(crate) runs: u32,
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::Single(value)
    }
}

impl<'de> Deserialize<'de> for Value {
    /// A number, or a table read as [`Spread`]. Written by hand so that a wrong type is reported
    /// as "expected a number", where serde's untagged enums only say that nothing matched.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberOrSpread;

        impl<'de> Visitor<'de> for NumberOrSpread {
            type Value = Value;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
                Ok(Value::Single(value))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
                Ok(Value::Single(value as f64))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
                Ok(Value::Single(value as f64))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
                Spread::deserialize(de::value::MapAccessDeserializer::new(map)).map(Value::Spread)
            }
        }

        deserializer.deserialize_any(NumberOrSpread)
    }
}

impl JsonSchema for Value {
    fn schema_name() -> Cow<'static, str> {
        "Value".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A positive number, or the median of several runs with their range.",
            "anyOf": [
                { "type": "number", "exclusiveMinimum": 0 },
                generator.subschema_for::<Spread>(),
            ]
        })
    }
}

/// `data/quick-takes.toml`: short "if you're ..., pick ..." advice.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuickTakesFile {
    /// One `[[take]]` table per situation, in display order.
    #[schemars(length(min = 1))]
    pub(crate) take: Vec<QuickTake>,
}

/// One situation and the language the site suggests for it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuickTake {
    /// The reader's situation, e.g. "You're writing CLI tools" (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) situation: String,
    /// A language id, or "depends".
    #[schemars(pattern(ID_PATTERN))]
    pub(crate) pick: String,
    /// Why (inline Markdown).
    #[schemars(length(min = 1))]
    pub(crate) reason: String,
    /// The id of the dimension whose chapter to read next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub(crate) dimension: Option<String>,
    /// Where the reason's facts come from.
    #[schemars(length(min = 1))]
    pub(crate) sources: Vec<Source>,
    /// When the reason was last checked (YYYY-MM-DD).
    #[schemars(pattern(DATE_PATTERN))]
    pub(crate) as_of: String,
    /// When the entry's content last changed (YYYY-MM-DD), no later than `as_of`: shown as
    /// "changed" beside "checked", so that a recent check of old content reads as such. Absent
    /// when not recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", pattern(DATE_PATTERN))]
    pub(crate) changed: Option<String>,
}

/// Serde defaults `summary` only so that the checks, rather than the parser, say what is
/// missing (per language, with the fix): to an editor it has no default.
fn summary_without_default(schema: &mut Schema) {
    without_default(schema, "summary");
}

/// Serde defaults a metric's `id` only so that the checks say what is missing, with an id made
/// from its name: to an editor it has no default.
fn id_without_default(schema: &mut Schema) {
    without_default(schema, "id");
}

/// Removes the default of the property `key`.
fn without_default(schema: &mut Schema, key: &str) {
    if let Some(property) = schema
        .get_mut("properties")
        .and_then(|properties| properties.get_mut(key))
        .and_then(serde_json::Value::as_object_mut)
    {
        property.remove("default");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(toml: &str) -> Result<BTreeMap<String, Value>, String> {
        #[derive(Deserialize)]
        struct Values {
            values: BTreeMap<String, Value>,
        }
        toml::from_str::<Values>(toml)
            .map(|parsed| parsed.values)
            .map_err(|err| err.message().to_string())
    }

    #[test]
    fn a_value_is_a_number_or_a_spread() {
        let read =
            values("values = { a = 2, b = 2.5, c = { median = 3, min = 2, max = 4.5, runs = 9 } }")
                .unwrap();
        assert_eq!(read["a"], Value::Single(2.0));
        assert_eq!(read["b"], Value::Single(2.5));
        let spread = Spread {
            median: 3.0,
            min: 2.0,
            max: 4.5,
            runs: 9,
        };
        assert_eq!(read["c"], Value::Spread(spread));
    }

    #[test]
    fn a_value_of_another_type_expects_a_number() {
        assert_eq!(
            values("values = { a = \"fast\" }").unwrap_err(),
            "invalid type: string \"fast\", expected a number"
        );
        assert!(
            values("values = { a = { median = 1, min = 1, max = 1, runs = 1, mean = 1 } }")
                .unwrap_err()
                .starts_with("unknown field `mean`")
        );
    }

    #[test]
    fn a_benchmark_finds_its_metrics_by_id() {
        let benchmark: Benchmark = toml::from_str(
            "title = \"t\"\ndescription = \"d\"\nprovenance = \"published\"\nenvironment = \"e\"\n\
             as_of = \"2026-01-01\"\nheadline = \"b\"\nsources = []\n[setup]\n\
             [[metrics]]\nid = \"a\"\nname = \"A\"\nunit = \"ms\"\ndirection = \"lower\"\n\
             [[metrics]]\nid = \"b\"\nname = \"B\"\nunit = \"ms\"\ndirection = \"lower\"\n",
        )
        .unwrap();
        assert_eq!(benchmark.metric("a").map(|m| m.name.as_str()), Some("A"));
        assert_eq!(benchmark.metric("b").map(|m| m.name.as_str()), Some("B"));
        assert!(benchmark.metric("c").is_none());
    }
}
