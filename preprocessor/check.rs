//! `mdbook-compare check`: validates the dataset and every directive of every chapter listed in
//! `SUMMARY.md` without building the book, with the same diagnostics as a build.

use std::fs;
use std::path::Path;

use mdbook_preprocessor::config::Config as BookConfig;
use mdbook_summary::{SummaryItem, parse_summary};

use crate::config::Config;
use crate::dataset::toml_error;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::expand::Expander;
use crate::load_dataset;
use crate::render::Format;

/// The result of a check: every diagnostic, and whether they fail it.
pub struct CheckReport {
    /// Everything found.
    pub diagnostics: Diagnostics,
    /// Whether the check fails (errors, or warnings when they are denied).
    pub failed: bool,
}

/// Checks the book whose `book.toml` is in `root`; `deny_warnings` makes warnings fail it even
/// when the book's configuration allows them.
pub fn check(root: &Path, deny_warnings: bool) -> CheckReport {
    let mut diagnostics = Diagnostics::default();
    let book = match read_book_toml(root) {
        Ok(book) => book,
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            return CheckReport {
                diagnostics,
                failed: true,
            };
        }
    };
    let config = Config::read(root, &book, &mut diagnostics);
    if config.deny_warnings || deny_warnings {
        diagnostics.deny_warnings();
    }
    let dataset = load_dataset(&config, &mut diagnostics);
    let src = book.book.src.display().to_string();
    let summary_path = root.join(&book.book.src).join("SUMMARY.md");
    let shown_summary = format!("{src}/SUMMARY.md");
    match fs::read_to_string(&summary_path) {
        Ok(text) => match parse_summary(&text) {
            Ok(summary) => {
                let mut expander = Expander::new(&dataset, Format::Html, config.markdown());
                let chapters = summary
                    .prefix_chapters
                    .iter()
                    .chain(&summary.numbered_chapters)
                    .chain(&summary.suffix_chapters);
                for item in chapters {
                    check_item(item, root, &src, &mut expander, &mut diagnostics);
                }
            }
            Err(err) => {
                diagnostics.push(Diagnostic::error(
                    format!("cannot parse SUMMARY.md: {err:#}"),
                    Location::Path(shown_summary),
                ));
            }
        },
        Err(err) => {
            diagnostics.push(Diagnostic::error(
                format!("cannot read SUMMARY.md: {err}"),
                Location::Path(shown_summary),
            ));
        }
    }
    let failed = diagnostics.fail();
    CheckReport {
        diagnostics,
        failed,
    }
}

/// `book.toml` read as mdBook reads it, `MDBOOK_*` environment overrides included (such as
/// `MDBOOK_PREPROCESSOR__COMPARE__DENY_WARNINGS=true`), or why it cannot be, located in the file.
fn read_book_toml(root: &Path) -> Result<BookConfig, Box<Diagnostic>> {
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

/// Checks one chapter of the summary and its nested chapters.
fn check_item(
    item: &SummaryItem,
    root: &Path,
    src: &str,
    expander: &mut Expander<'_>,
    diagnostics: &mut Diagnostics,
) {
    let SummaryItem::Link(link) = item else {
        return;
    };
    if let Some(location) = &link.location {
        let shown = format!("{src}/{}", location.display());
        match SourceFile::read(&root.join(src).join(location), shown.clone()) {
            Ok(file) => {
                expander.edits(&shown, &file.text, diagnostics);
            }
            Err(diagnostic) => {
                diagnostics.push(*diagnostic);
            }
        }
    }
    for nested in &link.nested_items {
        check_item(nested, root, src, expander, diagnostics);
    }
}
