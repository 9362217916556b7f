//! The preprocessor's run, as a list of stages: the book's configuration, directives in
//! `SUMMARY.md`, every chapter scanned, the dataset loaded and linted, the homes of dimensions
//! and benchmarks, then every chapter's directives expanded. `ARCHITECTURE.md` draws it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::rc::Rc;

use mdbook_markdown::MarkdownOptions;
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::config::Config as BookConfig;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::config::Config;
use crate::dataset::Dataset;
use crate::diagnostic::{self, Diagnostic, Diagnostics, Location};
use crate::expand::{self, Chapter, Expander, Format};
use crate::include::Origins;
use crate::scan::{self, Found};
use crate::{input, policy, site_data, stylesheet};

/// The preprocessor's name, as in `[preprocessor.compare]`.
pub const NAME: &str = "compare";

/// The `compare` preprocessor. Every problem in the book's configuration, its dataset or its
/// directives is reported with its file, line and column; any error (or warning, under
/// `deny-warnings`) fails the run with all of them in the error.
#[derive(Default)]
pub struct Compare {
    /// Where a check collects the run instead of failing it.
    collect: Option<Rc<RefCell<Option<Run>>>>,
    /// Whether warnings fail the run whatever the book says.
    deny_warnings: bool,
}

/// What one run found: every diagnostic, and what was checked.
#[derive(Debug, Default)]
pub(crate) struct Run {
    /// Every problem.
    pub(crate) diagnostics: Diagnostics,
    /// Chapters with text.
    pub(crate) chapters: usize,
    /// Directives in them.
    pub(crate) directives: usize,
    /// Data files read.
    pub(crate) data_files: usize,
}

impl Compare {
    /// The preprocessor, for [`mdbook_driver::MDBook::with_preprocessor`] or
    /// [`handle_preprocessing`].
    pub fn new() -> Compare {
        Compare::default()
    }

    /// A preprocessor that puts its run into `collect` and lets the book through, for `check`.
    pub(crate) fn collecting(collect: Rc<RefCell<Option<Run>>>, deny_warnings: bool) -> Compare {
        Compare {
            collect: Some(collect),
            deny_warnings,
        }
    }

    /// Expands `book`, recording everything in `run`: the stages in order.
    fn expand(&self, ctx: &PreprocessorContext, book: &mut Book, run: &mut Run) {
        let config = self.configure(ctx, &mut run.diagnostics);
        let markdown = config.markdown();
        directives_in_summary(ctx, &markdown, &mut run.diagnostics);
        let mut scanned = scan::chapters(book, &markdown);
        let dataset = config.load_dataset(&mut run.diagnostics);
        run.data_files = data_files(&dataset);
        let homes = expand::book_homes(book, &scanned);
        let mut expander = Expander::new(
            &dataset,
            &homes,
            config.repository.as_ref(),
            Format::for_renderer(&ctx.renderer),
        )
        .with_evidence(site_data::publishes_evidence(&ctx.config));
        expand_chapters(ctx, book, &mut scanned, &mut expander, run);
    }

    /// The book's `[preprocessor.compare]`, with a warning for each stylesheet of another
    /// version, and whether warnings fail the run.
    fn configure(&self, ctx: &PreprocessorContext, diagnostics: &mut Diagnostics) -> Config {
        if let Some(warning) = input::version_warning(&ctx.mdbook_version) {
            diagnostics.push(warning);
        }
        let config = Config::read(&ctx.root, &ctx.config, diagnostics);
        for warning in stylesheet::stale(&ctx.root, &ctx.config).iter() {
            diagnostics.push(warning.clone());
        }
        if config.deny_warnings || self.deny_warnings {
            diagnostics.deny_warnings();
        }
        config
    }
}

/// Expands the directives of every chapter with what the scan found in it, and names the
/// included file behind a problem in text an `{{#include}}` spliced in.
fn expand_chapters(
    ctx: &PreprocessorContext,
    book: &mut Book,
    scanned: &mut HashMap<PathBuf, Vec<Found>>,
    expander: &mut Expander<'_>,
    run: &mut Run,
) {
    let src_dir = ctx.root.join(&ctx.config.book.src);
    let src_shown = ctx.config.book.src.display().to_string();
    let links_ran = links_runs_first(&ctx.config);
    book.for_each_mut(|item| {
        let BookItem::Chapter(chapter) = item else {
            return;
        };
        let Some(path) = chapter.path.clone() else {
            return;
        };
        let source = chapter.source_path.clone().unwrap_or_else(|| path.clone());
        let shown = format!("{src_shown}/{}", source.display());
        run.chapters += 1;
        let mark = run.diagnostics.len();
        if !links_ran {
            unexpanded_links(&chapter.content, &shown, &mut run.diagnostics);
        }
        let found = scanned.remove(&path).unwrap_or_default();
        let expanded = expander.expand(
            &Chapter {
                path: &path,
                shown: &shown,
                text: &chapter.content,
            },
            found,
            &mut run.diagnostics,
        );
        run.directives += expanded.directives;
        if run.diagnostics.len() > mark
            && let Some(origins) = Origins::new(
                &chapter.content,
                &src_dir.join(&source),
                &shown,
                &src_dir,
                &src_shown,
            )
        {
            run.diagnostics
                .relocate_since(mark, |d| origins.relocate(d));
        }
        if let Some(text) = expanded.text {
            chapter.content = text;
        }
    });
}

/// Reports each directive (or word like one) in `SUMMARY.md`: mdBook shows chapter names and
/// part titles as they are written, expands nothing there, and Markdown drops `<<name ...>>`
/// as an HTML tag.
fn directives_in_summary(
    ctx: &PreprocessorContext,
    markdown: &MarkdownOptions,
    diagnostics: &mut Diagnostics,
) {
    let path = ctx.root.join(&ctx.config.book.src).join("SUMMARY.md");
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let found = scan::scan(&text, markdown);
    if found.is_empty() {
        return;
    }
    let shown = format!("{}/SUMMARY.md", ctx.config.book.src.display());
    let summary = diagnostic::SourceFile::new(shown, text);
    for span in found.iter().filter_map(Found::directive_span) {
        diagnostics.push(
            Diagnostic::error(
                "a directive cannot be expanded in SUMMARY.md",
                Location::Span(summary.clone(), span),
            )
            .with_label("not expanded in a chapter's name or a part's title")
            .with_note(
                "mdBook shows chapter names and part titles as they are written, and Markdown \
                 would drop `<<name ...>>` there as an HTML tag",
            )
            .with_help(
                "write the words out, put the directive in the chapter itself, or write `\\<<` \
                 to show the text literally",
            ),
        );
    }
}

impl Preprocessor for Compare {
    fn name(&self) -> &str {
        NAME
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> anyhow::Result<Book> {
        let mut run = Run::default();
        self.expand(ctx, &mut book, &mut run);
        if let Some(collect) = &self.collect {
            *collect.borrow_mut() = Some(run);
            return Ok(book);
        }
        let diagnostics = &run.diagnostics;
        if diagnostics.is_empty() {
            return Ok(book);
        }
        let report = diagnostics.render(io::stderr().is_terminal());
        if diagnostics.fail() {
            anyhow::bail!("{report}");
        }
        eprint!("{report}");
        Ok(book)
    }

    /// Every renderer but this package's own backend, which reads the dataset, not the chapters.
    fn supports_renderer(&self, renderer: &str) -> anyhow::Result<bool> {
        Ok(renderer != site_data::NAME)
    }
}

/// Whether mdBook's `links` preprocessor, which splices included files in, runs before this
/// one: it is off, or `book.toml` orders this one after it.
fn links_runs_first(config: &BookConfig) -> bool {
    let names = |key: &str| {
        config
            .get::<Vec<String>>(key)
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    let links_on = config.build.use_default_preprocessors
        || matches!(config.get::<toml::Value>("preprocessor.links"), Ok(Some(_)));
    !links_on
        || names(&format!("preprocessor.{NAME}.after"))
            .iter()
            .any(|n| n == "links")
        || names("preprocessor.links.before").iter().any(|n| n == NAME)
}

/// Reports each `{{#include}}` still in a chapter: mdBook's `links` runs after this
/// preprocessor, so directives in the included file would never be expanded.
fn unexpanded_links(text: &str, shown: &str, diagnostics: &mut Diagnostics) {
    let mut file = None;
    let mut from = 0;
    // mdBook reads `{{`, any whitespace, then `#include` or `#rustdoc_include`: the same matcher
    // as the dataset's check, so that `{{ #include f}}` is caught as surely as `{{#include f}}`.
    while let Some(found) = policy::mdbook::command(&text[from..]) {
        let (at, command_end) = (from + found.start, from + found.end);
        from = command_end;
        let kind = text[at..command_end].trim_start_matches('{').trim_start();
        if !matches!(kind, "#include" | "#rustdoc_include") || text[..at].ends_with('\\') {
            continue;
        }
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let file = file
            .get_or_insert_with(|| diagnostic::SourceFile::new(shown, text))
            .clone();
        diagnostics.push(
            Diagnostic::error(
                format!("`{{{{{kind}}}}}` is expanded only after mdbook-compare has run"),
                Location::Span(file, at..end),
            )
            .with_label("directives in this file would not be expanded")
            .with_help(format!(
                "run mdbook-compare after mdBook's links: add `after = [\"links\"]` to `[preprocessor.{NAME}]` in book.toml"
            )),
        );
    }
}

/// How many data files `dataset` was read from.
fn data_files(dataset: &Dataset) -> usize {
    usize::from(!dataset.languages.is_empty())
        + usize::from(!dataset.categories.is_empty())
        + dataset.dimensions.len()
        + dataset.benchmarks.len()
        + usize::from(dataset.quick_takes.is_some())
}
