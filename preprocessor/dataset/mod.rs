//! The comparison dataset: loading `data/`, validating it, and looking things up in it.

mod date;
mod lint;
mod load;
pub(crate) mod locate;
pub(crate) mod model;
mod read;
pub(crate) mod schema;
mod strings;
pub(crate) mod toml_error;

use std::collections::BTreeSet;

pub(crate) use date::Date;
pub(crate) use lint::LintOptions;
pub(crate) use load::load;
use model::{Benchmark, Category, Dimension, Language, QuickTake};

use crate::diagnostic::SourceFile;

/// The edge or pick that means "no single winner".
pub(crate) const DEPENDS: &str = "depends";

/// A dataset item together with its id and the file it came from.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    /// The item's id (the file name for dimensions and benchmarks).
    pub(crate) id: String,
    /// The file the item was read from, for diagnostics and "view data" links.
    pub(crate) file: SourceFile,
    /// The item itself.
    pub(crate) value: T,
}

/// Everything under `data/`, loaded and validated.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dataset {
    /// Languages in column order.
    pub(crate) languages: Vec<Language>,
    /// Categories in display order.
    pub(crate) categories: Vec<Category>,
    /// Dimensions sorted by id.
    pub(crate) dimensions: Vec<Entry<Dimension>>,
    /// Benchmarks sorted by id.
    pub(crate) benchmarks: Vec<Entry<Benchmark>>,
    /// Quick takes in display order, with the file they came from.
    pub(crate) quick_takes: Option<Entry<Vec<QuickTake>>>,
    /// What could not be read.
    pub(crate) unreadable: Unreadable,
}

/// The parts of the data folder that could not be read. What refers to them is neither checked
/// nor reported: the read error already was, and guesses on top of it would only be noise.
#[derive(Debug, Clone, Default)]
pub(crate) struct Unreadable {
    /// The data folder itself (which makes every other part unreadable too).
    pub(crate) folder: bool,
    /// `languages.toml`.
    pub(crate) languages: bool,
    /// `categories.toml`.
    pub(crate) categories: bool,
    /// `quick-takes.toml`.
    pub(crate) quick_takes: bool,
    /// Some file of `dimensions/` (or the folder's listing).
    pub(crate) dimensions: bool,
    /// Some file of `benchmarks/` (or the folder's listing): "there are 0 benchmarks" may be
    /// untrue.
    pub(crate) benchmarks: bool,
    /// `dimensions/` or `benchmarks/` could not be listed: any id may be defined there.
    pub(crate) unlisted: bool,
    /// Ids of dimensions and benchmarks whose file could not be read.
    pub(crate) ids: BTreeSet<String>,
}

impl Unreadable {
    /// Nothing could be read: the data folder is missing or is not a folder.
    pub(crate) fn folder() -> Self {
        Unreadable {
            folder: true,
            languages: true,
            categories: true,
            quick_takes: true,
            dimensions: true,
            benchmarks: true,
            unlisted: true,
            ids: BTreeSet::new(),
        }
    }

    /// Whether the dimension or benchmark `id` may be defined in a file that could not be read.
    pub(crate) fn may_define(&self, id: &str) -> bool {
        self.folder || self.unlisted || self.ids.contains(id)
    }
}

impl Dataset {
    /// The language with `id`.
    pub(crate) fn language(&self, id: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.id == id)
    }

    /// The category with `id`.
    pub(crate) fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The dimension with `id`.
    pub(crate) fn dimension(&self, id: &str) -> Option<&Entry<Dimension>> {
        find(&self.dimensions, id)
    }

    /// The benchmark with `id`.
    pub(crate) fn benchmark(&self, id: &str) -> Option<&Entry<Benchmark>> {
        find(&self.benchmarks, id)
    }

    /// Display name for an edge or pick: the language's name, or "depends".
    pub(crate) fn verdict_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.language(id).map_or(id, |l| l.name.as_str())
    }

    /// Dimensions in display order: by category order, then by title.
    pub(crate) fn dimensions_in_order(&self) -> Vec<&Entry<Dimension>> {
        let rank = |category: &str| {
            self.categories
                .iter()
                .position(|c| c.id == category)
                .unwrap_or(usize::MAX)
        };
        let mut all: Vec<_> = self.dimensions.iter().collect();
        all.sort_by(|a, b| {
            (rank(&a.value.category), &a.value.title)
                .cmp(&(rank(&b.value.category), &b.value.title))
        });
        all
    }

    /// Ids a verdict (edge or pick) may name: every language id, then "depends".
    pub(crate) fn verdict_choices(&self) -> Vec<&str> {
        self.languages
            .iter()
            .map(|l| l.id.as_str())
            .chain([DEPENDS])
            .collect()
    }
}

/// The entry with `id` in a list sorted by id.
fn find<'a, T>(entries: &'a [Entry<T>], id: &str) -> Option<&'a Entry<T>> {
    entries
        .binary_search_by(|e| e.id.as_str().cmp(id))
        .ok()
        .map(|i| &entries[i])
}
