//! The whole dataset as one JSON document, published with the site as `data.json` for anyone who
//! wants the data rather than the pages. `src/use-the-data.md` documents its layout.

use serde::Serialize;

use crate::dataset::model::{Benchmark, Category, Dimension, Language, QuickTake};
use crate::dataset::{Dataset, Entry};

/// Version of the document's layout. It changes only when a field is removed, renamed or changes
/// meaning; new fields may appear without a change.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// The published document.
#[derive(Debug, Serialize)]
pub(crate) struct Published<'d> {
    /// [`FORMAT_VERSION`].
    pub(crate) format_version: u32,
    /// The build's date (UTC), `YYYY-MM-DD`.
    pub(crate) generated: String,
    /// The repository commit the site was built from, when the book is in a git checkout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) commit: Option<String>,
    /// Languages in column order.
    pub(crate) languages: &'d [Language],
    /// Categories in display order.
    pub(crate) categories: &'d [Category],
    /// Dimensions sorted by id, each with its `id` first.
    pub(crate) dimensions: Vec<WithId<'d, Dimension>>,
    /// Benchmarks sorted by id, each with its `id` first.
    pub(crate) benchmarks: Vec<WithId<'d, Benchmark>>,
    /// Quick takes in display order (empty when the dataset has none).
    pub(crate) quick_takes: &'d [QuickTake],
}

/// A dimension or benchmark with its id (its file name) as a field of its own.
#[derive(Debug, Serialize)]
pub(crate) struct WithId<'d, T> {
    /// The id.
    pub(crate) id: &'d str,
    /// Every key of the data file.
    #[serde(flatten)]
    pub(crate) value: &'d T,
}

impl<'d> Published<'d> {
    /// The document for `dataset`, built on `generated` from `commit`.
    pub(crate) fn new(dataset: &'d Dataset, generated: String, commit: Option<String>) -> Self {
        Published {
            format_version: FORMAT_VERSION,
            generated,
            commit,
            languages: &dataset.languages,
            categories: &dataset.categories,
            dimensions: with_ids(&dataset.dimensions),
            benchmarks: with_ids(&dataset.benchmarks),
            quick_takes: dataset
                .quick_takes
                .as_ref()
                .map_or(&[], |entry| entry.value.as_slice()),
        }
    }

    /// The document as pretty-printed JSON, ending in a newline.
    pub(crate) fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("the dataset serializes to JSON");
        json.push('\n');
        json
    }
}

fn with_ids<T>(entries: &[Entry<T>]) -> Vec<WithId<'_, T>> {
    entries
        .iter()
        .map(|entry| WithId {
            id: &entry.id,
            value: &entry.value,
        })
        .collect()
}
