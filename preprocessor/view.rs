//! The format-neutral view model: what a directive shows, with no HTML or Markdown in it.
//!
//! A directive resolves into a [`View`]; the writers in [`crate::write`] turn the same view
//! into HTML or into Markdown, so that every table is described once. Text from the dataset
//! stays text here ([`Span::Plain`] or [`Span::Markdown`]); the writers make it inert.

/// What one directive shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum View {
    /// A block of its own: tables, charts, notes.
    Figure(Figure),
    /// A few words inside a paragraph, such as a value or a ratio.
    Inline(Text),
}

/// A block view: its kind, its id on the page and its parts in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figure {
    /// What the figure is, for styling.
    pub(crate) kind: FigureKind,
    /// A name unique to what it shows (`dimension-speed`, `matrix-a-b`); anchors start with it.
    pub(crate) id: String,
    /// The parts, top to bottom.
    pub(crate) blocks: Vec<Block>,
}

/// The kinds of figures, one per directive form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FigureKind {
    /// One dimension in full.
    Dimension,
    /// Several dimensions side by side.
    Matrix,
    /// The at-a-glance table.
    Glance,
    /// One benchmark.
    Benchmark,
    /// The summary of every reproduced benchmark.
    BenchmarkSummary,
    /// The quick-takes table.
    QuickTakes,
    /// Each language's edges, in a few lines.
    Edges,
}

impl FigureKind {
    /// The kind's name, as its anchors and classes spell it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            FigureKind::Dimension => "dimension",
            FigureKind::Matrix => "matrix",
            FigureKind::Glance => "glance",
            FigureKind::Benchmark => "benchmark",
            FigureKind::BenchmarkSummary => "benchmark-summary",
            FigureKind::QuickTakes => "quick-takes",
            FigureKind::Edges => "edges",
        }
    }
}

/// One part of a figure.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A paragraph of a given kind.
    Note(Note),
    /// A table.
    Table(Table),
    /// A bar chart.
    Chart(Chart),
    /// The numbered list of the sources that [`Span::Cite`] points into.
    Sources(Vec<Source>),
    /// A paragraph that explains what figures share (how a verdict is reached, what a
    /// provenance means): a page says it once, where it first appears.
    Explanation(Note),
    /// Parts a reader opens when they want them (setup, environment, sources): folded under
    /// a summary that stays in view.
    Details(Details),
}

/// Folded parts and the summary that stays in view.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Details {
    /// What the folded parts hold.
    pub(crate) summary: Text,
    /// The parts, top to bottom.
    pub(crate) blocks: Vec<Block>,
}

/// A paragraph, and what it says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Note {
    /// What kind of paragraph it is, for styling.
    pub(crate) kind: NoteKind,
    /// Its text.
    pub(crate) text: Text,
}

/// The kinds of paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoteKind {
    /// A section heading of the page (a benchmark's title and its badges): in the page's
    /// heading navigation, and linked to by its own anchor.
    Heading,
    /// The verdict under a dimension's table.
    Verdict,
    /// Sources, dates and data links.
    Meta,
    /// What a benchmark measures, its limits, its environment, how to rerun it.
    Detail,
    /// A caveat next to a figure (how far it can be trusted).
    Caveat,
}

/// Inline content: a run of spans.
pub(crate) type Text = Vec<Span>;

/// One piece of inline content.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Span {
    /// Plain text, shown as written.
    Plain(String),
    /// Inline Markdown from the dataset, shown through the inline-Markdown policy.
    Markdown(String),
    /// Plain text in bold.
    Strong(String),
    /// Plain text as code (a command, a path).
    Code(String),
    /// The title of a cited work that has no address.
    Title(String),
    /// A date (YYYY-MM-DD).
    Date(String),
    /// A short label with a tone.
    Badge(Badge),
    /// A link.
    Link(Link),
    /// A citation: the 1-based number of an entry of the figure's [`Block::Sources`].
    Cite(usize),
    /// An empty cell or value.
    Missing,
}

/// A short label: an edge, a pick, a category, a provenance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Badge {
    /// Its text.
    pub(crate) text: String,
    /// Its colour, by meaning.
    pub(crate) tone: Tone,
}

/// What colour a badge or a bar takes, by what it stands for. No tone names a language: a
/// language is known by its column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tone {
    /// The language of column `column` (1-based), in its own colour when the data gives one.
    Language {
        /// The language's column, 1 for the first.
        column: usize,
        /// The language's colour from the data.
        colour: Option<Colour>,
    },
    /// "Depends": no single language.
    Depends,
    /// A category.
    Category,
    /// How far a benchmark's figures can be trusted.
    Provenance(Trust),
    /// Nothing in particular.
    Neutral,
}

/// How far a benchmark's figures can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trust {
    /// Measured here, reproducible.
    Reproduced,
    /// Published with a method.
    Published,
    /// Claimed, not traceable.
    Unverified,
}

impl Trust {
    /// The name, as the data spells it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Trust::Reproduced => "reproduced",
            Trust::Published => "published",
            Trust::Unverified => "unverified",
        }
    }
}

/// A colour `#rrggbb`: six hex digits, checked when made, so that a writer may emit it as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Colour([u8; 7]);

impl Colour {
    /// The colour written `#rrggbb` (either case), or `None` for anything else.
    pub(crate) fn parse(text: &str) -> Option<Colour> {
        let bytes = text.as_bytes();
        let hex = bytes.strip_prefix(b"#")?;
        if hex.len() != 6 || !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let mut colour = [b'#'; 7];
        for (slot, digit) in colour[1..].iter_mut().zip(hex) {
            *slot = digit.to_ascii_lowercase();
        }
        Some(Colour(colour))
    }

    /// The colour as `#rrggbb`, in lower case.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits and `#` are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("#000000")
    }
}

/// A link: its text, where it goes, and an optional title (shown on hover).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    /// The link's text.
    pub(crate) text: Text,
    /// Where it goes.
    pub(crate) target: Target,
    /// Extra words about the target (spread, date).
    pub(crate) title: Option<String>,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// An absolute URL from the dataset or the configuration.
    Url(String),
    /// A chapter of the book, by its Markdown path relative to the current chapter
    /// (`../speed.md`), and the view there it shows (`dimension-speed`). The HTML writer links
    /// the rendered page and the view's anchor.
    Chapter {
        /// The chapter's source path relative to the current chapter, with `/` separators.
        path: String,
        /// The id of the figure the link is about, on that chapter.
        figure: String,
    },
    /// A chapter of the book, at its top.
    Page {
        /// The chapter's source path relative to the current chapter, with `/` separators.
        path: String,
    },
    /// A file the site publishes beside its pages (a benchmark's evidence), by its path
    /// relative to the current chapter's page, and a fragment there.
    File {
        /// The file's path relative to the current chapter, with `/` separators.
        path: String,
        /// An anchor on that page, one of the fixed ones it has.
        fragment: Option<String>,
    },
}

/// A cited source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Source {
    /// What it is.
    pub(crate) title: String,
    /// Where to read it, when it has an address.
    pub(crate) url: Option<String>,
}

/// A table: caption, one header row, rows, and optional footer rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// What the table is, for styling.
    pub(crate) kind: TableKind,
    /// Its caption.
    pub(crate) caption: Text,
    /// The column headers.
    pub(crate) header: Vec<Text>,
    /// The rows; the first cell of each is its row header.
    pub(crate) rows: Vec<Row>,
}

/// A table row: its cells, and the anchor a reader may link it by.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// A name unique in its figure, made of data ids (`metric-throughput`), which the HTML
    /// writer turns into the row's id and a permalink; `None` for a row nobody links to.
    pub(crate) anchor: Option<String>,
    /// The cells, the row header first.
    pub(crate) cells: Vec<Text>,
}

impl Row {
    /// A row that can be linked to as `anchor`.
    pub(crate) fn anchored(anchor: String, cells: Vec<Text>) -> Row {
        Row {
            anchor: Some(anchor),
            cells,
        }
    }
}

impl From<Vec<Text>> for Row {
    /// A row nobody links to.
    fn from(cells: Vec<Text>) -> Row {
        Row {
            anchor: None,
            cells,
        }
    }
}

impl std::ops::Deref for Row {
    type Target = [Text];

    fn deref(&self) -> &[Text] {
        &self.cells
    }
}

/// The kinds of tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    /// A dimension's takes, a row per language.
    Takes,
    /// Dimensions by languages.
    Matrix,
    /// The compact at-a-glance table.
    Glance,
    /// Edges counted per category.
    Scorecard,
    /// Measured results, with the better language and the ratio.
    Results,
    /// Figures claimed by a source, shown without judgement.
    Claimed,
    /// What each language ran.
    Setup,
    /// Quick takes.
    QuickTakes,
    /// The suite summary.
    Summary,
    /// A benchmark's headline on every machine it ran on.
    Machines,
}

impl TableKind {
    /// The kind's name, as classes spell it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            TableKind::Takes => "takes",
            TableKind::Matrix => "matrix",
            TableKind::Glance => "glance",
            TableKind::Scorecard => "scorecard",
            TableKind::Results => "results",
            TableKind::Claimed => "claimed",
            TableKind::Setup => "setup",
            TableKind::QuickTakes => "quick-takes",
            TableKind::Summary => "summary",
            TableKind::Machines => "machines",
        }
    }

    /// Whether each row ends in an answer (an edge, a pick) that a reader must see on any
    /// screen: such a table becomes cards on a narrow one rather than scroll.
    pub(crate) fn is_answer(self) -> bool {
        matches!(
            self,
            TableKind::Glance
                | TableKind::Matrix
                | TableKind::QuickTakes
                | TableKind::Takes
                | TableKind::Results
                | TableKind::Claimed
        )
    }
}

/// A horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chart {
    /// What the chart shows, e.g. "p99 latency: lower is better".
    pub(crate) title: String,
    /// The chart in words, for readers who cannot see it.
    pub(crate) description: String,
    /// How values map to lengths.
    pub(crate) scale: Scale,
    /// One bar per row.
    pub(crate) bars: Vec<Bar>,
}

/// How a chart maps values to lengths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scale {
    /// Bars from zero, lengths proportional to values in `unit`.
    Linear {
        /// The values' unit, which labels the axis.
        unit: String,
    },
    /// Ratios on a logarithmic axis: each bar's values are base-10 logarithms (so that any
    /// ratio is finite), bars go right of 1x when above 0 and left when below.
    Log {
        /// What a bar to the left means, e.g. "Go better".
        below: String,
        /// What a bar to the right means.
        above: String,
    },
}

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    /// The row's label, e.g. a language's name.
    pub(crate) label: String,
    /// Where the label links to.
    pub(crate) target: Option<Target>,
    /// The value, with its spread; `None` when it was not measured.
    pub(crate) value: Option<Spread>,
    /// The value as text, written after the bar.
    pub(crate) text: String,
    /// Whether this bar is the clearly better one.
    pub(crate) best: bool,
    /// Its colour.
    pub(crate) tone: Tone,
}

/// A value with the range it was measured over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spread {
    /// The median (or the only value).
    pub(crate) median: f64,
    /// The smallest run.
    pub(crate) min: f64,
    /// The largest run.
    pub(crate) max: f64,
    /// How many runs, when known.
    pub(crate) runs: Option<u32>,
}

impl Spread {
    /// A single value with no spread.
    pub(crate) fn exact(value: f64) -> Spread {
        Spread {
            median: value,
            min: value,
            max: value,
            runs: None,
        }
    }

    /// Whether it has a range wider than its median.
    pub(crate) fn has_range(&self) -> bool {
        self.min < self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_six_hex_digits() {
        assert_eq!(Colour::parse("#A0b1C2").unwrap().as_str(), "#a0b1c2");
        for bad in [
            "",
            "#",
            "a0b1c2",
            "#a0b1c",
            "#a0b1c2d",
            "#a0b1cg",
            "red",
            "#a0b1c2;",
            "#ａ0b1c2",
        ] {
            assert_eq!(Colour::parse(bad), None, "{bad}");
        }
    }
}
