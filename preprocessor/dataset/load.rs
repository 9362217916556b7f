//! Reading the files under `data/` into a [`Dataset`], reporting every unreadable file, TOML
//! syntax error and schema mismatch with its location.

use std::fs;
use std::io;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, Deserializer};

use super::lint::{self, LintOptions};
use super::model::{CategoriesFile, LanguagesFile, QuickTakesFile};
use super::read::DataFolder;
use super::{Dataset, Entry, Unreadable, strings, toml_error};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile, describe_io_error};
use crate::paths;

/// Loads and validates the dataset in `dir`, shown to the user as `shown_as` (the path written
/// in book.toml, relative to the book's `root`). Problems go to `diagnostics`; whatever could be
/// read is returned. A data folder named inside the book must stay inside it: a symbolic link
/// on the way that leads out is an error, and nothing behind it is read. Only a `data-dir` that
/// itself names a place outside (absolute, or through `..`) is read there.
pub(crate) fn load(
    root: &Path,
    dir: &Path,
    shown_as: &str,
    options: &LintOptions,
    diagnostics: &mut Diagnostics,
) -> Dataset {
    let mut dataset = Dataset::default();
    if let Some(named) = paths::inside(Path::new(shown_as))
        && let Some(link) = paths::link_out(root, &named)
    {
        diagnostics.push(linked_out_of_the_book(shown_as, &link));
        dataset.unreadable = Unreadable::folder();
        return dataset;
    }
    let opened =
        fs::metadata(dir).and_then(|meta| Ok((meta.is_dir(), DataFolder::new(dir, shown_as)?)));
    let folder = match opened {
        Ok((true, folder)) => folder,
        Ok((false, _)) => {
            diagnostics.push(
                Diagnostic::error("the data folder is a file", Location::Path(shown_as.into()))
                    .with_help(
                        "point `data-dir` in `[preprocessor.compare]` of book.toml at a folder",
                    ),
            );
            dataset.unreadable = Unreadable::folder();
            return dataset;
        }
        Err(err) => {
            diagnostics.push(
                Diagnostic::error(
                    format!("cannot open the data folder: {}", describe_io_error(&err)),
                    Location::Path(shown_as.into()),
                )
                .with_help(format!(
                    "create `{shown_as}/languages.toml`, or set `data-dir` in `[preprocessor.compare]` of book.toml"
                )),
            );
            dataset.unreadable = Unreadable::folder();
            return dataset;
        }
    };

    let mut reader = Reader {
        dir,
        folder,
        shown_as,
        diagnostics,
    };
    match reader.required::<LanguagesFile>("languages.toml") {
        Some((file, parsed)) => {
            lint::languages(&parsed.language, &file, reader.diagnostics);
            dataset.languages = parsed.language;
        }
        None => dataset.unreadable.languages = true,
    }
    match reader.optional::<CategoriesFile>("categories.toml") {
        Ok(Some((file, parsed))) => {
            lint::categories(&parsed.category, &file, reader.diagnostics);
            dataset.categories = parsed.category;
        }
        Ok(None) => {}
        Err(Unread) => dataset.unreadable.categories = true,
    }
    match reader.optional::<QuickTakesFile>("quick-takes.toml") {
        Ok(Some((file, parsed))) => {
            dataset.quick_takes = Some(Entry {
                id: "quick-takes".into(),
                file,
                value: parsed.take,
            });
        }
        Ok(None) => {}
        Err(Unread) => dataset.unreadable.quick_takes = true,
    }
    (dataset.dimensions, dataset.unreadable.dimensions) =
        reader.folder("dimensions", &mut dataset.unreadable);
    (dataset.benchmarks, dataset.unreadable.benchmarks) =
        reader.folder("benchmarks", &mut dataset.unreadable);
    lint::dataset(&dataset, options, root, diagnostics);
    dataset
}

/// The error for a data folder `shown_as` that leads out of the book through the symbolic link
/// `link` (a path from the book's root).
fn linked_out_of_the_book(shown_as: &str, link: &Path) -> Diagnostic {
    Diagnostic::error(
        format!(
            "the data folder `{shown_as}` leads out of the book through the symbolic link `{}`",
            link.display()
        ),
        Location::Path(link.display().to_string()),
    )
    .with_help(
        "commit the data inside the book, not a link to it; a data folder outside the book is \
         named in `data-dir` of `[preprocessor.compare]` in book.toml itself (an absolute path, \
         or one starting with `../`)",
    )
}

/// A file that exists but could not be read or parsed (already reported).
struct Unread;

/// Reads and parses files relative to the data folder, recording failures.
struct Reader<'a> {
    dir: &'a Path,
    folder: DataFolder,
    shown_as: &'a str,
    diagnostics: &'a mut Diagnostics,
}

impl Reader<'_> {
    /// A file that must exist.
    fn required<T: DeserializeOwned>(&mut self, name: &str) -> Option<(SourceFile, T)> {
        let shown = format!("{}/{name}", self.shown_as);
        self.parse(&self.dir.join(name), shown)
    }

    /// A file that may be absent (`Ok(None)`).
    fn optional<T: DeserializeOwned>(
        &mut self,
        name: &str,
    ) -> Result<Option<(SourceFile, T)>, Unread> {
        let path = self.dir.join(name);
        if fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        self.parse(&path, format!("{}/{name}", self.shown_as))
            .map(Some)
            .ok_or(Unread)
    }

    /// Every `*.toml` file of a subfolder, keyed by file stem and sorted by it, and whether
    /// any of it could not be read (recorded in `unreadable`: the ids of unreadable files, or
    /// that the folder could not be listed at all).
    fn folder<T: DeserializeOwned>(
        &mut self,
        name: &str,
        unreadable: &mut Unreadable,
    ) -> (Vec<Entry<T>>, bool) {
        let folder = self.dir.join(name);
        let shown_folder = format!("{}/{name}", self.shown_as);
        // A linked folder is listed only when it stays inside the data folder: not even the
        // names of files elsewhere are shown.
        if let Ok(real) = fs::canonicalize(&folder)
            && !self.folder.holds(&real)
        {
            self.diagnostics
                .push(*self.folder.outside("folder", shown_folder));
            unreadable.unlisted = true;
            return (Vec::new(), true);
        }
        let listing = match fs::read_dir(&folder) {
            Ok(listing) => listing,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return (Vec::new(), false),
            Err(err) => {
                self.diagnostics.push(Diagnostic::error(
                    format!("cannot list the folder: {}", describe_io_error(&err)),
                    Location::Path(shown_folder),
                ));
                unreadable.unlisted = true;
                return (Vec::new(), true);
            }
        };
        let mut names: Vec<String> = listing
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|file_name| !file_name.starts_with('.'))
            .collect();
        names.sort();
        let mut entries = Vec::new();
        let mut any_unread = false;
        for file_name in names {
            let shown = format!("{shown_folder}/{file_name}");
            let Some(id) = file_name.strip_suffix(".toml") else {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "file ignored: only `.toml` files are read here",
                        Location::Path(shown),
                    )
                    .with_help(format!(
                        "rename it to end in `.toml`, or move it out of `{shown_folder}`"
                    )),
                );
                continue;
            };
            match self.parse::<T>(&folder.join(&file_name), shown.clone()) {
                Some((file, value)) => {
                    lint::id(id, &file, self.diagnostics);
                    entries.push(Entry {
                        id: id.to_string(),
                        file,
                        value,
                    });
                }
                None => {
                    unreadable.ids.insert(id.to_string());
                    any_unread = true;
                }
            }
        }
        // By id, which lookups binary-search: file-name order differs (`a-b.toml` < `a.toml`).
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        (entries, any_unread)
    }

    /// Reads `path` and parses it as `T`, recording any failure. The strings of a file that
    /// parses are checked for what no data text may hold.
    fn parse<T: DeserializeOwned>(
        &mut self,
        path: &Path,
        shown: String,
    ) -> Option<(SourceFile, T)> {
        let file = self
            .folder
            .read(path, shown)
            .map_err(|d| self.diagnostics.push(*d))
            .ok()?;
        // Parsed once: the strings are checked on the document, then it is read into `T`.
        let parsed = DeTable::parse(&file.text).and_then(|document| {
            let commands = strings::commands(&file, document.get_ref());
            T::deserialize(Deserializer::from(document)).map(|value| (value, commands))
        });
        match parsed {
            Ok((value, commands)) => {
                for diagnostic in commands {
                    self.diagnostics.push(diagnostic);
                }
                Some((file, value))
            }
            Err(err) => {
                let mut diagnostic = toml_error::diagnostic(&err, &file);
                if diagnostic.message.ends_with("expected a number") {
                    // In the dataset, what must be a number is a measured value.
                    diagnostic = diagnostic.with_help(
                        "write a number, e.g. `5.82`, or the median of several runs: \
                         `{ median = 5.82, min = 5.7, max = 6.1, runs = 9 }`",
                    );
                }
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }
}
