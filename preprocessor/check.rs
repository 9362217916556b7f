//! `mdbook-compare check`: the same [`Compare`] run a build would make, through mdBook's own
//! loader and preprocessors (so includes are spliced in and byte order marks dropped as in a
//! build), without rendering anything.
//!
//! A checked book may come from anyone, so `check` first runs the [guard](crate::guard) (and
//! stops there when it finds a problem: mdBook's loader would create SUMMARY's missing files),
//! and it runs none of the book's commands: each other `[preprocessor.*]` stands in place, not
//! run, and one the build may run before this preprocessor is a warning, since what it would
//! change in the chapters is then not checked.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use mdbook_driver::MDBook;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::config::Config as BookConfig;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use mdbook_renderer::{RenderContext, Renderer};

use crate::dataset::toml_error;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::pipeline::{Compare, NAME, Run};

/// What a check found.
#[derive(Debug)]
pub struct Checked {
    /// Whether the check fails (errors, or warnings when they are denied).
    pub failed: bool,
    /// Every diagnostic, rendered (empty when there is none).
    pub report: String,
    /// One line saying what was checked, e.g.
    /// `mdbook-compare: checked 12 chapters, 30 directives and 25 data files: 0 warnings`.
    pub summary: String,
}

/// Checks the book whose `book.toml` is in `root` as an html build would preprocess it;
/// `deny_warnings` makes warnings fail even when the book allows them. `styled` colours the
/// report.
pub fn check(root: &Path, deny_warnings: bool, styled: bool) -> Checked {
    let run = match preprocess(root, deny_warnings) {
        Ok(run) => run,
        Err(diagnostic) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(*diagnostic);
            Run {
                diagnostics,
                ..Run::default()
            }
        }
    };
    let diagnostics = &run.diagnostics;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    Checked {
        failed: diagnostics.fail(),
        report: if diagnostics.is_empty() {
            String::new()
        } else {
            diagnostics.render(styled)
        },
        summary: format!(
            "mdbook-compare: checked {}, {} and {}: {}",
            plural(run.chapters, "chapter"),
            plural(run.directives, "directive"),
            plural(run.data_files, "data file"),
            plural(
                diagnostics.count(crate::diagnostic::Severity::Warning),
                "warning"
            ),
        ),
    }
}

/// Guards the book, then loads it with mdBook and runs its preprocessors for the html renderer,
/// with [`Compare`] in place of the command `book.toml` names and every other command not run.
fn preprocess(root: &Path, deny_warnings: bool) -> Result<Run, Box<Diagnostic>> {
    let config = read_book_toml(root)?;
    let guarded = crate::guard::guard(root, &config);
    if !guarded.is_empty() {
        return Ok(Run {
            diagnostics: guarded,
            ..Run::default()
        });
    }
    let commands = commands(&config);
    let src = config.book.src.clone();
    let mut book = MDBook::load_with_config(root, config)
        .map_err(|err| unloadable(&err, root, &src.display().to_string()))?;
    // The build runs mdbook-compare as a command, whose book mdBook reads back only so deep.
    if let Some(problem) =
        crate::input::book_too_deep(&book.book, &format!("{}/SUMMARY.md", src.display()))
    {
        return Err(problem);
    }
    let collect = Rc::new(RefCell::new(None));
    let before = Rc::new(RefCell::new(Vec::new()));
    // In the place of each: mdBook keeps a preprocessor's place in its order when it is replaced.
    for name in commands {
        book.with_preprocessor(NotRun {
            name,
            compare_ran: Rc::clone(&collect),
            before: Rc::clone(&before),
        });
    }
    book.with_preprocessor(Compare::collecting(Rc::clone(&collect), deny_warnings));
    if let Err(err) = book.preprocess_book(&Html) {
        return Err(Box::new(Diagnostic::error(
            format!("mdBook cannot preprocess the book: {err:#}"),
            Location::Path("book.toml".into()),
        )));
    }
    let mut run = collect.take();
    if let Some(run) = &mut run {
        for name in before.take() {
            run.diagnostics.push(not_run(&name));
        }
    }
    run.ok_or_else(|| {
        Box::new(
            Diagnostic::error(
                format!("the book does not run `{NAME}` for the html renderer"),
                Location::Path("book.toml".into()),
            )
            .with_help(format!(
                "add `[preprocessor.{NAME}]`, with `html` among its `renderers`"
            )),
        )
    })
}

/// The renderer a check preprocesses the book for. mdBook's `preprocess_book` asks a renderer
/// only its name (which preprocessors run, and the context's `renderer`), and a check renders
/// nothing, so the name is all it needs of mdBook's html renderer.
struct Html;

impl Renderer for Html {
    fn name(&self) -> &str {
        "html"
    }

    fn render(&self, _: &RenderContext) -> anyhow::Result<()> {
        anyhow::bail!("a check renders nothing")
    }
}

/// The `[preprocessor.*]` tables of `book.toml` that name a command: all but this one and
/// mdBook's own `links` and `index`.
fn commands(config: &BookConfig) -> Vec<String> {
    config
        .preprocessors::<serde::de::IgnoredAny>()
        .unwrap_or_default()
        .into_keys()
        .filter(|name| !matches!(name.as_str(), NAME | "links" | "index"))
        .collect()
}

/// Stands in place of a preprocessor command of the book, which `check` never runs (neither to
/// ask which renderers it supports): it notes whether it came before [`Compare`].
struct NotRun {
    name: String,
    /// Filled once [`Compare`] has run.
    compare_ran: Rc<RefCell<Option<Run>>>,
    /// The names of those that came before it.
    before: Rc<RefCell<Vec<String>>>,
}

impl Preprocessor for NotRun {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(&self, _: &PreprocessorContext, book: Book) -> anyhow::Result<Book> {
        if self.compare_ran.borrow().is_none() {
            self.before.borrow_mut().push(self.name.clone());
        }
        Ok(book)
    }

    /// Whether the command supports html is not asked: it may.
    fn supports_renderer(&self, _: &str) -> anyhow::Result<bool> {
        Ok(true)
    }
}

/// The warning for the preprocessor `name`, not run, that a build may run before this one.
fn not_run(name: &str) -> Diagnostic {
    Diagnostic::warning(
        format!(
            "`[preprocessor.{name}]` was not run: a build may run it before `{NAME}`, and what it \
             changes in the chapters is not checked"
        ),
        Location::Path("book.toml".into()),
    )
    .with_help(
        "check never runs a book's commands, so that checking a book from anyone is safe; \
         `mdbook build` runs them, and this preprocessor after them",
    )
}

/// Why mdBook cannot load the book. A chapter it cannot read is read again here, to point at the
/// first byte that is not UTF-8.
fn unloadable(err: &anyhow::Error, root: &Path, src: &str) -> Box<Diagnostic> {
    let message = format!("{err:#}");
    let chapter = message
        .split_once("failed to read chapter `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(chapter, _)| chapter.to_string());
    if let Some(chapter) = chapter {
        let shown = format!("{src}/{chapter}");
        if let Err(diagnostic) = SourceFile::read(&root.join(src).join(&chapter), shown) {
            return diagnostic;
        }
    }
    Box::new(Diagnostic::error(
        format!("mdBook cannot load the book: {message}"),
        Location::Path(format!("{src}/SUMMARY.md")),
    ))
}

/// `book.toml` read as mdBook reads it, `MDBOOK_*` environment overrides included (such as
/// `MDBOOK_PREPROCESSOR__COMPARE__DENY_WARNINGS=true`), or why it cannot be, located in the file.
fn read_book_toml(root: &Path) -> Result<BookConfig, Box<Diagnostic>> {
    // A link could quote a line of any file in a TOML error: the guard starts here.
    if std::fs::symlink_metadata(root.join("book.toml")).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Box::new(
            Diagnostic::error(
                "`book.toml` is a symbolic link",
                Location::Path("book.toml".into()),
            )
            .with_help("commit the book's configuration itself, not a link to it"),
        ));
    }
    let file = SourceFile::read(&root.join("book.toml"), "book.toml".into()).map_err(|d| {
        Box::new(d.with_help("run `mdbook-compare check` in a book's folder, or pass the folder"))
    })?;
    let mut config: BookConfig =
        toml::from_str(&file.text).map_err(|err| Box::new(toml_error::diagnostic(&err, &file)))?;
    config.update_from_env().map_err(|err| {
        Box::new(Diagnostic::error(
            format!("cannot apply the MDBOOK_* environment variables: {err:#}"),
            Location::Path("book.toml".into()),
        ))
    })?;
    Ok(config)
}
