//! `mdbook-compare`: an mdBook preprocessor that expands comparison tables, benchmark charts and
//! quick takes from a TOML dataset.
//!
//! Data flows one way: mdBook's JSON input is read ([`input`]), the dataset is loaded and
//! validated once ([`dataset`]), each chapter is scanned for directives ([`scan`]), each
//! directive is parsed ([`directive`]), resolved and rendered ([`render`]) and spliced in
//! ([`expand`]); the book goes back as JSON. Every problem becomes a located [`diagnostic`].

pub mod check;
pub mod config;
pub mod dataset;
pub mod diagnostic;
pub mod directive;
pub mod edits;
pub mod expand;
pub mod input;
pub mod install;
pub mod json;
pub mod output;
pub mod policy;
pub mod publish;
pub mod render;
pub mod scan;
pub mod site_data;

use std::io::Write;
use std::thread;

use crate::config::Config;
use crate::dataset::{Dataset, LintOptions};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::expand::Expander;
use crate::render::Format;

/// Runs the preprocessor: reads mdBook's `[context, book]` JSON from `input` and, when nothing is
/// wrong, writes the expanded book to `output`. Returns every diagnostic of the run; when it
/// holds an error (or a warning with `deny-warnings`), nothing was written.
///
/// The input is freed once parsed, and each chapter is expanded as it is written, so that the
/// run holds little more than the book as read.
pub fn preprocess(input: Vec<u8>, output: &mut dyn Write) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let parsed = input::parse(&input, &mut diagnostics);
    drop(input);
    let Some((ctx, book)) = parsed else {
        return diagnostics;
    };
    let config = Config::read(&ctx.root, &ctx.config, &mut diagnostics);
    if config.deny_warnings {
        diagnostics.deny_warnings();
    }
    let chapters = output::chapters(&book.items);
    let texts: Vec<&str> = chapters.iter().map(|c| c.content.as_str()).collect();
    let markdown = config.markdown();
    // A large book is scanned while the dataset loads: neither needs the other.
    let (dataset, found) = if scan::worth_threads(&texts) {
        thread::scope(|scope| {
            let scanning = scope.spawn(|| scan::scan_all(&texts, &markdown));
            let dataset = load_dataset(&config, &mut diagnostics);
            let found = scanning
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (dataset, found)
        })
    } else {
        (
            load_dataset(&config, &mut diagnostics),
            scan::scan_all(&texts, &markdown),
        )
    };
    let mut expander = Expander::new(&dataset, Format::for_renderer(&ctx.renderer), markdown)
        .with_repository(config.repository.clone());
    let src = ctx.config.book.src.display().to_string();
    let chapter_edits: Vec<_> = chapters
        .iter()
        .zip(found)
        .map(|(chapter, found)| {
            let path = chapter.source_path.as_ref().map_or_else(
                || chapter.name.clone(),
                |p| format!("{src}/{}", p.display()),
            );
            expander.edits_found(&path, &chapter.content, found, &mut diagnostics)
        })
        .collect();
    let edits = output::plan(&book.items, &mut chapter_edits.into_iter());
    if !diagnostics.fail() {
        let written = output::write(&book, &edits, output);
        if let Err(err) = written {
            diagnostics.push(Diagnostic::error(
                format!("cannot write the book to mdBook: {err}"),
                Location::Path("<stdout>".into()),
            ));
        }
    }
    diagnostics
}

/// Loads the dataset named by `config`, measuring staleness against today.
pub fn load_dataset(config: &Config, diagnostics: &mut Diagnostics) -> Dataset {
    let options = LintOptions {
        stale_after_months: config.stale_after_months,
        today: dataset::Date::today(),
    };
    dataset::load(
        &config.data_dir,
        &config.data_dir_shown,
        &options,
        diagnostics,
    )
}
