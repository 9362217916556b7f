//! The `[preprocessor.compare]` table of `book.toml`.

use std::path::{Path, PathBuf};

use mdbook_markdown::MarkdownOptions;
use mdbook_preprocessor::config::Config as BookConfig;

use crate::dataset::locate::{Step, Target, locate};
use crate::dataset::{self, Dataset, Date, LintOptions};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::repository::Repository;

/// The keys this preprocessor reads.
const OWN_KEYS: [&str; 3] = ["data-dir", "deny-warnings", "stale-after-months"];
/// The keys mdBook itself reads from every preprocessor table.
const MDBOOK_KEYS: [&str; 5] = ["command", "renderers", "before", "after", "optional"];

/// Settings of one run, from `book.toml` with defaults.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The book's root, the folder of `book.toml`.
    pub(crate) root: PathBuf,
    /// The dataset folder, absolute.
    pub(crate) data_dir: PathBuf,
    /// The dataset folder as written (relative to the book root), for messages.
    pub(crate) data_dir_shown: String,
    /// Whether warnings fail the build.
    pub(crate) deny_warnings: bool,
    /// An `as_of` older than this many months is stale.
    pub(crate) stale_after_months: u32,
    /// The book's repository (`git-repository-url` in `[output.html]`), for links from every
    /// table to its data.
    pub(crate) repository: Option<Repository>,
    /// mdBook's Markdown extensions for this book: smart punctuation, definition lists,
    /// admonitions (from `[output.html]`).
    markdown: [bool; 3],
}

impl Config {
    /// Reads the settings for the book at `root`, reporting bad keys and values in book.toml.
    pub(crate) fn read(root: &Path, book: &BookConfig, diagnostics: &mut Diagnostics) -> Config {
        let table = match book.get::<toml::Table>("preprocessor.compare") {
            Ok(table) => table.unwrap_or_default(),
            Err(err) => {
                diagnostics.push(Diagnostic::error(
                    format!("`[preprocessor.compare]` must be a table: {err:#}"),
                    Location::Path("book.toml".into()),
                ));
                toml::Table::new()
            }
        };
        let book_toml = BookToml::read(root);
        let mut config = Config {
            root: root.to_path_buf(),
            data_dir: root.join("data"),
            data_dir_shown: "data".into(),
            deny_warnings: false,
            stale_after_months: 18,
            markdown: markdown_flags(book),
            repository: book
                .html_config()
                .and_then(|html| Repository::from_html_config(&html)),
        };
        for (key, value) in &table {
            let wrong_type = |expected: &str| {
                Diagnostic::error(
                    format!("`{key}` must be {expected}"),
                    book_toml.at(key, Target::Value),
                )
            };
            match key.as_str() {
                "data-dir" => match value.as_str() {
                    Some(dir) => {
                        config.data_dir = root.join(dir);
                        config.data_dir_shown = dir.trim_end_matches('/').to_string();
                    }
                    None => {
                        diagnostics.push(wrong_type("a path (a string), e.g. `\"data\"`"));
                    }
                },
                "deny-warnings" => match value.as_bool() {
                    Some(deny) => config.deny_warnings = deny,
                    None => {
                        diagnostics.push(wrong_type("`true` or `false`"));
                    }
                },
                "stale-after-months" => {
                    match value.as_integer().and_then(|n| u32::try_from(n).ok()) {
                        Some(months) => config.stale_after_months = months,
                        None => {
                            diagnostics.push(wrong_type("a whole number of months, e.g. `18`"));
                        }
                    }
                }
                other if MDBOOK_KEYS.contains(&other) => {}
                other => {
                    diagnostics.push(
                        Diagnostic::error(
                            format!("unknown key `{other}` in `[preprocessor.compare]`"),
                            book_toml.at(other, Target::Key),
                        )
                        .with_label("unknown key")
                        .with_choices(
                            "keys",
                            other,
                            OWN_KEYS.iter().chain(&MDBOOK_KEYS).copied(),
                        ),
                    );
                }
            }
        }
        config
    }
}

impl Config {
    /// How mdBook parses Markdown for this book, to scan chapters the same way.
    pub(crate) fn markdown(&self) -> MarkdownOptions {
        let mut options = MarkdownOptions::default();
        [
            options.smart_punctuation,
            options.definition_lists,
            options.admonitions,
        ] = self.markdown;
        options
    }

    /// Loads and lints the dataset this configuration names, measuring staleness against today.
    pub(crate) fn load_dataset(&self, diagnostics: &mut Diagnostics) -> Dataset {
        let options = LintOptions {
            stale_after_months: self.stale_after_months,
            today: Date::today(),
        };
        dataset::load(
            &self.root,
            &self.data_dir,
            &self.data_dir_shown,
            &options,
            diagnostics,
        )
    }
}

/// mdBook's Markdown extension switches for this book, as in [`Config::markdown`].
fn markdown_flags(book: &BookConfig) -> [bool; 3] {
    let html = book.html_config().unwrap_or_default();
    [
        html.smart_punctuation,
        html.definition_lists,
        html.admonitions,
    ]
}

/// The text of `book.toml`, to point at keys in it.
struct BookToml(Option<SourceFile>);

impl BookToml {
    fn read(root: &Path) -> Self {
        let text = std::fs::read_to_string(root.join("book.toml")).ok();
        BookToml(text.map(|text| SourceFile::new("book.toml", text)))
    }

    fn at(&self, key: &str, target: Target) -> Location {
        match &self.0 {
            Some(file) => {
                let path = [
                    Step::Key("preprocessor"),
                    Step::Key("compare"),
                    Step::Key(key),
                ];
                Location::Span(file.clone(), locate(&file.text, &path, target))
            }
            None => Location::Path("book.toml".into()),
        }
    }
}
