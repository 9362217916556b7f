//! Expanding one chapter: scan it, parse and resolve each directive, render it, and splice the
//! result in by byte range. Text outside directives is copied unchanged.
//!
//! [`Expander::edits`] finds what changes (and every problem) without building the expanded
//! chapter: the preprocessor streams each chapter through its [`Edits`] into its output.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use mdbook_markdown::MarkdownOptions;

use crate::dataset::model::{Benchmark, Category, Dimension};
use crate::dataset::{Dataset, Entry};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::directive::{self, Directive, Selection, Word};
use crate::edits::{Edits, Rendered};
use crate::render::inline::InlineHtml;
use crate::render::links::Repository;
use crate::render::{self, Format, Matrix, View};
use crate::scan::{self, Found, Place, Placed};

/// Expands directives in chapters, rendering each distinct directive once per run.
pub struct Expander<'d> {
    dataset: &'d Dataset,
    format: Format,
    markdown: MarkdownOptions,
    /// The first rendering on a page of each directive, by its normalized words, with the
    /// view's anchor.
    rendered: HashMap<String, (String, Rc<Rendered>)>,
    /// Later renderings on the same page, by the words and how many came before plus one.
    repeats: HashMap<(String, usize), Rc<Rendered>>,
    inline_html: InlineHtml,
    repository: Option<Repository>,
}

/// A chapter's display path and text, for diagnostics.
struct Chapter<'a> {
    path: &'a str,
    text: &'a str,
    /// The text as diagnostics hold it: copied once, when the first diagnostic is made, and
    /// shared by the others.
    file: OnceCell<SourceFile>,
}

impl Chapter<'_> {
    /// A location in the chapter.
    fn at(&self, span: Range<usize>) -> Location {
        let file = self
            .file
            .get_or_init(|| SourceFile::new(self.path, self.text));
        Location::Span(file.clone(), span)
    }
}

impl<'d> Expander<'d> {
    /// An expander for `dataset`, producing `format`, scanning with mdBook's `markdown` options.
    pub fn new(dataset: &'d Dataset, format: Format, markdown: MarkdownOptions) -> Self {
        Expander {
            dataset,
            format,
            markdown,
            rendered: HashMap::new(),
            repeats: HashMap::new(),
            inline_html: InlineHtml::default(),
            repository: None,
        }
    }

    /// Links every table to its data file in `repository` ("view data", "suggest a change").
    pub fn with_repository(mut self, repository: Option<Repository>) -> Self {
        self.repository = repository;
        self
    }

    /// The chapter with every directive expanded, or `None` when nothing in it changes.
    /// Problems go to `diagnostics`; the chapter is then best left as it was.
    pub fn expand(
        &mut self,
        path: &str,
        text: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<String> {
        let edits = self.edits(path, text, diagnostics)?;
        Some(edits.apply(text))
    }

    /// What [`Expander::expand`] changes in the chapter, or `None` when it holds no directive
    /// at all. Problems go to `diagnostics`.
    pub fn edits(
        &mut self,
        path: &str,
        text: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<Edits> {
        let found = scan::scan(text, &self.markdown);
        self.edits_found(path, text, found, diagnostics)
    }

    /// [`Expander::edits`] for a chapter already scanned: `found` is what [`scan::scan`]
    /// returned for `text` with this expander's Markdown options.
    pub fn edits_found(
        &mut self,
        path: &str,
        text: &str,
        found: Vec<Found>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Edits> {
        if found.is_empty() {
            return None;
        }
        let chapter = Chapter {
            path,
            text,
            file: OnceCell::new(),
        };
        let mut edits = Edits::default();
        let mut on_page = HashMap::new();
        for item in found {
            match item {
                Found::Directive(placed) => {
                    if let Some(rendered) =
                        self.directive(&chapter, &placed, &mut on_page, diagnostics)
                    {
                        edits.directive(placed, rendered);
                    }
                }
                Found::Escaped { span } => edits.escape(span),
                Found::Misplaced { span, place } => {
                    diagnostics.push(misplaced(&chapter, span, place));
                }
                Found::Unclosed { span } => {
                    diagnostics.push(
                        Diagnostic::error(
                            "unclosed directive: no `>>` before the end of the line",
                            chapter.at(span),
                        )
                        .with_label("this directive is not closed")
                        .with_help(
                            "close it with `>>` on the same line, or write `\\<<` to show the text literally",
                        ),
                    );
                }
            }
        }
        Some(edits)
    }

    /// Parses, resolves and renders one directive, cached by its normalized words. `on_page`
    /// counts the views already on the page by anchor: a repeated view is rendered again with
    /// anchors of its own (and cached by its words and count).
    fn directive(
        &mut self,
        chapter: &Chapter<'_>,
        placed: &Placed,
        on_page: &mut HashMap<String, usize>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Rc<Rendered>> {
        let words = chapter.text[placed.inner.clone()]
            .split_ascii_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !self.rendered.contains_key(&words) {
            let view = self.view(chapter, placed, diagnostics)?;
            let first = (view.anchor(), self.render(&view, 1));
            self.rendered.insert(words.clone(), first);
        }
        let (anchor, first) = &self.rendered[&words];
        let count = match on_page.get_mut(anchor) {
            Some(count) => {
                *count += 1;
                *count
            }
            None => {
                on_page.insert(anchor.clone(), 1);
                return Some(Rc::clone(first));
            }
        };
        let key = (words, count);
        if let Some(repeat) = self.repeats.get(&key) {
            return Some(Rc::clone(repeat));
        }
        let view = self.view(chapter, placed, diagnostics)?;
        let repeat = self.render(&view, count);
        self.repeats.insert(key, Rc::clone(&repeat));
        Some(repeat)
    }

    /// Parses and resolves one directive.
    fn view(
        &self,
        chapter: &Chapter<'_>,
        placed: &Placed,
        diagnostics: &mut Diagnostics,
    ) -> Option<View<'d>> {
        let directive = match directive::parse(chapter.text, placed.inner.clone()) {
            Ok(directive) => directive,
            Err(problem) => {
                diagnostics.push(
                    Diagnostic::error(problem.message, chapter.at(problem.span))
                        .with_help(problem.help),
                );
                return None;
            }
        };
        self.resolve(chapter, &directive, placed.span.clone(), diagnostics)
    }

    /// Renders `view`, the `occurrence`-th of its anchor on the page.
    fn render(&mut self, view: &View<'_>, occurrence: usize) -> Rc<Rendered> {
        Rc::new(Rendered::new(render::render(
            view,
            self.dataset,
            self.format,
            self.repository.as_ref(),
            &mut self.inline_html,
            occurrence,
        )))
    }

    /// Looks a directive's ids up in the dataset.
    fn resolve(
        &self,
        chapter: &Chapter<'_>,
        directive: &Directive<'_>,
        span: Range<usize>,
        diagnostics: &mut Diagnostics,
    ) -> Option<View<'d>> {
        let data = self.dataset;
        let mut lookup = Lookup {
            chapter,
            data,
            diagnostics,
        };
        match directive {
            Directive::Compare(Selection::One(id)) => lookup.dimension(id).map(View::Dimension),
            Directive::Compare(Selection::Many(ids)) => {
                let rows: Vec<_> = ids.iter().filter_map(|id| lookup.dimension(id)).collect();
                (rows.len() == ids.len()).then(|| {
                    View::Matrix(Matrix {
                        id: ids.iter().map(|w| w.text).collect::<Vec<_>>().join("-"),
                        caption: format!(
                            "Compared: {}",
                            rows.iter()
                                .map(|d| d.value.title.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        rows,
                        scorecard: false,
                    })
                })
            }
            Directive::Compare(Selection::Category(word)) => {
                let category = lookup.category(word)?;
                let rows: Vec<_> = data
                    .dimensions_in_order()
                    .into_iter()
                    .filter(|d| d.value.category == category.id)
                    .collect();
                if rows.is_empty() {
                    lookup.diagnostics.push(
                        Diagnostic::error(
                            format!("category `{}` has no dimensions", category.id),
                            chapter.at(word.span.clone()),
                        )
                        .with_help(
                            "add a dimension with this `category`, or compare another category",
                        ),
                    );
                    return None;
                }
                Some(View::Matrix(Matrix {
                    id: format!("category-{}", category.id),
                    caption: format!("{}: every dimension compared", category.name),
                    rows,
                    scorecard: false,
                }))
            }
            Directive::Compare(Selection::All) => {
                let rows = data.dimensions_in_order();
                if rows.is_empty() && data.unreadable.dimensions {
                    return None;
                }
                if rows.is_empty() {
                    lookup.diagnostics.push(
                        Diagnostic::error("no dimensions are defined", chapter.at(span))
                            .with_help("add a file under `data/dimensions/`"),
                    );
                    return None;
                }
                Some(View::Matrix(Matrix {
                    id: "all".into(),
                    caption: "Every dimension at a glance".into(),
                    rows,
                    scorecard: true,
                }))
            }
            Directive::Benchmark(Some(id)) => lookup.benchmark(id).map(View::Benchmark),
            Directive::Benchmark(None) => match data.benchmarks.as_slice() {
                [only] => Some(View::Benchmark(only)),
                [] if data.unreadable.benchmarks => None,
                all => {
                    let ids: Vec<&str> = all.iter().map(|b| b.id.as_str()).collect();
                    lookup.diagnostics.push(
                        Diagnostic::error(
                            format!(
                                "`<<benchmark>>` needs an id when there are {} benchmarks",
                                all.len()
                            ),
                            chapter.at(span),
                        )
                        .with_label("name the benchmark here")
                        .with_help("write `<<benchmark ID>>`")
                        .with_choices("benchmarks", "", ids),
                    );
                    None
                }
            },
            Directive::QuickTakes => {
                match &data.quick_takes {
                    Some(entry) => Some(View::QuickTakes(entry)),
                    None if data.unreadable.quick_takes => None,
                    None => {
                        lookup.diagnostics.push(
                        Diagnostic::error("no quick takes are defined", chapter.at(span))
                            .with_help("add `quick-takes.toml` with `[[take]]` tables to the data folder"),
                    );
                        None
                    }
                }
            }
        }
    }
}

/// Looks ids up in the dataset, reporting unknown ones with suggestions.
struct Lookup<'a, 'd> {
    chapter: &'a Chapter<'a>,
    data: &'d Dataset,
    diagnostics: &'a mut Diagnostics,
}

impl<'d> Lookup<'_, 'd> {
    fn dimension(&mut self, id: &Word<'_>) -> Option<&'d Entry<Dimension>> {
        let data = self.data;
        let choices = data.dimensions.iter().map(|d| d.id.as_str());
        let unreadable = data.unreadable.may_define(id.text);
        self.reported(
            data.dimension(id.text),
            "dimension",
            id,
            choices,
            unreadable,
        )
    }

    fn benchmark(&mut self, id: &Word<'_>) -> Option<&'d Entry<Benchmark>> {
        let data = self.data;
        let choices = data.benchmarks.iter().map(|b| b.id.as_str());
        let unreadable = data.unreadable.may_define(id.text);
        self.reported(
            data.benchmark(id.text),
            "benchmark",
            id,
            choices,
            unreadable,
        )
    }

    fn category(&mut self, id: &Word<'_>) -> Option<&'d Category> {
        let data = self.data;
        let choices = data.categories.iter().map(|c| c.id.as_str());
        self.reported(
            data.category(id.text),
            "category",
            id,
            choices,
            data.unreadable.categories,
        )
    }

    /// Passes `found` through, reporting the id as unknown when it is `None`.
    fn reported<'c, T>(
        &mut self,
        found: Option<T>,
        what: &str,
        id: &Word<'_>,
        choices: impl Iterator<Item = &'c str>,
        unreadable: bool,
    ) -> Option<T> {
        if found.is_none() {
            self.unknown(what, id, choices, unreadable);
        }
        found
    }

    /// Reports an unknown id, unless the file that may define it could not be read (which is
    /// already reported).
    fn unknown<'c>(
        &mut self,
        what: &str,
        id: &Word<'_>,
        choices: impl Iterator<Item = &'c str>,
        unreadable: bool,
    ) {
        if unreadable {
            return;
        }
        self.diagnostics.push(
            Diagnostic::error(
                format!("unknown {what} `{}`", id.text),
                self.chapter.at(id.span.clone()),
            )
            .with_label(format!("no {what} has this id"))
            .with_choices(&format!("{what} ids"), id.text, choices),
        );
    }
}

/// The diagnostic for a directive that stands where it cannot be expanded.
fn misplaced(chapter: &Chapter<'_>, span: Range<usize>, place: Place) -> Diagnostic {
    let (message, help) = match place {
        Place::SharesLine => (
            "a directive must stand alone on its line",
            "put it on a line of its own, or write `\\<<` (or use a code span) to show it literally",
        ),
        Place::Heading => (
            "a directive cannot be expanded inside a heading",
            "put it on its own line below the heading",
        ),
        Place::TableCell => (
            "a directive cannot be expanded inside a table cell",
            "tables cannot nest: put the directive on its own line outside the table",
        ),
        Place::OutsideParagraph => (
            "a directive cannot be expanded here",
            "put it on its own line in a paragraph or list item",
        ),
    };
    Diagnostic::error(message, chapter.at(span))
        .with_label("not expanded here")
        .with_help(help)
}
