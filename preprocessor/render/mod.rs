//! Turning a resolved directive into HTML (for mdBook's html renderer) or GitHub-flavoured
//! Markdown (for every other renderer).

mod chart;
mod html;
pub mod inline;
pub mod links;
mod markdown;
pub mod metric;

use crate::dataset::model::{Benchmark, Dimension, Provenance, QuickTake, Source};
use crate::dataset::{DEPENDS, Dataset, Entry};
use inline::InlineHtml;
use links::Repository;

/// The output a renderer wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// HTML, for mdBook's `html` renderer.
    Html,
    /// GitHub-flavoured Markdown, readable anywhere.
    Markdown,
}

impl Format {
    /// The format suited to an mdBook renderer name.
    pub fn for_renderer(renderer: &str) -> Format {
        if renderer == "html" {
            Format::Html
        } else {
            Format::Markdown
        }
    }
}

/// A directive resolved against the dataset, ready to render.
#[derive(Debug, Clone)]
pub enum View<'d> {
    /// One dimension in full.
    Dimension(&'d Entry<Dimension>),
    /// Several dimensions side by side.
    Matrix(Matrix<'d>),
    /// One benchmark.
    Benchmark(&'d Entry<Benchmark>),
    /// The quick-takes table.
    QuickTakes(&'d Entry<Vec<QuickTake>>),
}

impl View<'_> {
    /// The view's name on its page, unique to it: `KIND-ID` (`dimension-speed`, `matrix-all`,
    /// `benchmark-http`), or `quick-takes`. HTML anchors are built from it.
    pub fn anchor(&self) -> String {
        match self {
            View::Dimension(entry) => format!("dimension-{}", entry.id),
            View::Matrix(matrix) => format!("matrix-{}", matrix.id),
            View::Benchmark(entry) => format!("benchmark-{}", entry.id),
            View::QuickTakes(_) => "quick-takes".to_owned(),
        }
    }
}

/// Dimensions shown as a matrix.
#[derive(Debug, Clone)]
pub struct Matrix<'d> {
    /// Anchor id, unique per selection (e.g. `all`, `category-core`).
    pub id: String,
    /// The table's caption.
    pub caption: String,
    /// The dimensions, in display order.
    pub rows: Vec<&'d Entry<Dimension>>,
    /// Whether to add a scorecard of edges per language per category.
    pub scorecard: bool,
}

/// Renders `view` in `format`, with "view data" and "suggest a change" links when the book names
/// its `repository`. HTML comes out as a single line, so that it forms one raw HTML block
/// wherever the directive stood (even in a list item or blockquote). `inline_html` keeps the
/// dataset's inline Markdown rendered as HTML across calls. `occurrence` counts the times the
/// same view stands on its page (1 for the first), so that each copy has its own HTML anchors.
pub fn render(
    view: &View<'_>,
    dataset: &Dataset,
    format: Format,
    repository: Option<&Repository>,
    inline_html: &mut InlineHtml,
    occurrence: usize,
) -> String {
    match format {
        Format::Html => html::render(view, dataset, repository, inline_html, occurrence),
        Format::Markdown => markdown::render(view, dataset, repository),
    }
}

/// Badge text and explanation for a benchmark's provenance.
fn provenance_text(provenance: Provenance) -> (&'static str, &'static str) {
    match provenance {
        Provenance::Reproduced => (
            "Reproduced here",
            "Measured by the harness in this repository; the command below reproduces it.",
        ),
        Provenance::Published => (
            "Published figures",
            "As published by the cited source, which documents how they were measured.",
        ),
        Provenance::Unverified => (
            "Unverified figures",
            "Quoted from the cited source, which does not trace them to a published measurement: treat them as claims, not results.",
        ),
    }
}

/// Label in front of a dimension's verdict.
fn verdict_label(edge: &str) -> &'static str {
    if edge == DEPENDS {
        "What it depends on:"
    } else {
        "Why:"
    }
}

/// One scorecard row: a category's name and its edge counts per column (languages, then
/// "depends").
struct ScoreRow<'d> {
    name: &'d str,
    counts: Vec<usize>,
}

/// Edges per category (in category order, only categories with dimensions), then the total.
fn scorecard<'d>(
    dataset: &'d Dataset,
    rows: &[&'d Entry<Dimension>],
) -> (Vec<ScoreRow<'d>>, Vec<usize>) {
    let columns = dataset.verdict_choices();
    let count = |dims: &[&&Entry<Dimension>]| -> Vec<usize> {
        columns
            .iter()
            .map(|c| dims.iter().filter(|d| d.value.edge == *c).count())
            .collect()
    };
    let per_category = dataset
        .categories
        .iter()
        .filter_map(|category| {
            let dims: Vec<_> = rows
                .iter()
                .filter(|d| d.value.category == category.id)
                .collect();
            (!dims.is_empty()).then(|| ScoreRow {
                name: &category.name,
                counts: count(&dims),
            })
        })
        .collect();
    let total = count(&rows.iter().collect::<Vec<_>>());
    (per_category, total)
}

/// Column headers of a scorecard: language names, then "Depends".
fn scorecard_headers(dataset: &Dataset) -> Vec<&str> {
    dataset
        .languages
        .iter()
        .map(|l| l.name.as_str())
        .chain(["Depends"])
        .collect()
}

/// The sources of a table with many rows, each numbered once in order of first use, so that a
/// row cites "[1] [3]" and the list below the table spells them out.
#[derive(Default)]
struct Citations<'d> {
    sources: Vec<&'d Source>,
}

impl<'d> Citations<'d> {
    /// The 1-based numbers of `sources`, numbering new ones.
    fn cite(&mut self, sources: &'d [Source]) -> Vec<usize> {
        sources
            .iter()
            .map(
                |source| match self.sources.iter().position(|s| *s == source) {
                    Some(index) => index + 1,
                    None => {
                        self.sources.push(source);
                        self.sources.len()
                    }
                },
            )
            .collect()
    }
}
