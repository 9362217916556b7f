//! The shape of every file under `data/`, as Rust types.
//!
//! These types are the single definition of the dataset format: serde reads the TOML files into
//! them (rejecting unknown keys), and schemars derives the JSON Schemas that editors use from them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `data/languages.toml`: the languages being compared, in column order.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguagesFile {
    /// One `[[language]]` table per language; the order is the column order of every table.
    pub language: Vec<Language>,
}

/// One language: a column in every table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// Identifier used everywhere else in the dataset (`edge = "rust"`, `[takes] rust = ...`).
    pub id: String,
    /// Display name, used as the column header.
    pub name: String,
    /// One-line description of the language, in its own project's spirit (inline Markdown).
    pub tagline: String,
    /// The language's home page (http or https).
    pub homepage: String,
}

/// `data/categories.toml`: the groups dimensions belong to, in display order.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoriesFile {
    /// One `[[category]]` table per category.
    pub category: Vec<Category>,
}

/// A group of dimensions, such as "core" or "ops".
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Identifier that dimensions name in their `category` key.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the category covers, in one sentence (inline Markdown).
    pub description: String,
}

/// A cited source: a link, or a citation a reader can look up.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What the source is, e.g. "Go GC guide" or "Stack Overflow Developer Survey 2024".
    pub title: String,
    /// Where to read it (http or https). Leave it out only for a citation without a web address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `data/dimensions/<id>.toml`: one compared dimension; the file name is its id.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Display title, e.g. "Raw performance".
    pub title: String,
    /// Id of a category from `categories.toml`.
    pub category: String,
    /// The site's judgement: a language id, or "depends".
    pub edge: String,
    /// Why the edge goes that way, or what it depends on (inline Markdown).
    pub verdict: String,
    /// Each language's side of the trade-off, keyed by language id (inline Markdown).
    pub takes: BTreeMap<String, String>,
    /// Where the takes' facts come from.
    pub sources: Vec<Source>,
    /// When the takes were last checked against their sources (YYYY-MM-DD).
    pub as_of: String,
}

/// Whether a larger or a smaller value of a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// More is better (throughput).
    Higher,
    /// Less is better (latency, memory, build time, size).
    Lower,
}

/// How much a reader can trust a benchmark's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// Measured by the harness in this repository; `reproduce` says how.
    Reproduced,
    /// Published by the cited source, which documents how it was measured.
    Published,
    /// Stated by a source but not traceable to any published measurement.
    Unverified,
}

impl Provenance {
    /// The value as written in the data file.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Reproduced => "reproduced",
            Provenance::Published => "published",
            Provenance::Unverified => "unverified",
        }
    }
}

/// `data/benchmarks/<id>.toml`: one benchmark; the file name is its id.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    /// Display title.
    pub title: String,
    /// What was measured and how (inline Markdown).
    pub description: String,
    /// How far the numbers can be trusted.
    pub provenance: Provenance,
    /// What each language ran, keyed by language id (inline Markdown).
    pub setup: BTreeMap<String, String>,
    /// Hardware, OS and load parameters (inline Markdown).
    pub environment: String,
    /// The command that reproduces the numbers, for reproduced benchmarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproduce: Option<String>,
    /// Where the numbers come from.
    pub sources: Vec<Source>,
    /// When the numbers were measured or last checked (YYYY-MM-DD).
    pub as_of: String,
    /// The measured quantities, in display order.
    pub metrics: Vec<Metric>,
}

/// One measured quantity of a benchmark.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// Display name, e.g. "p99 latency".
    pub name: String,
    /// Unit shown after each value, e.g. "ms" or "req/s".
    pub unit: String,
    /// Whether higher or lower values are better.
    pub direction: Direction,
    /// Measured value per language id; leave a language out when it was not measured.
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
    /// Context for the numbers: caveats, spread, what is known when values are missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `data/quick-takes.toml`: short "if you're ..., pick ..." advice.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickTakesFile {
    /// One `[[take]]` table per situation, in display order.
    pub take: Vec<QuickTake>,
}

/// One situation and the language the site suggests for it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickTake {
    /// The reader's situation, e.g. "You're writing CLI tools" (inline Markdown).
    pub situation: String,
    /// A language id, or "depends".
    pub pick: String,
    /// Why (inline Markdown).
    pub reason: String,
    /// Where the reason's facts come from.
    pub sources: Vec<Source>,
    /// When the reason was last checked (YYYY-MM-DD).
    pub as_of: String,
}
