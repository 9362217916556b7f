//! The guard `check` runs before mdBook loads the book: what mdBook 0.5 itself would let a pull
//! request do to the published site, refused with its location. mdBook publishes what a symbolic
//! link in `src/` points at, splices any file of the machine into a chapter with
//! `{{#include}}`, writes a chapter whose SUMMARY path leaves `src/` outside the site, and puts a
//! chapter's file name into the sidebar's links. So:
//!
//! - `src` is a folder inside the book, and nothing in it is a symbolic link;
//! - every path in `SUMMARY.md` is a plain relative path inside `src/` ([`chapter_path`]);
//! - every file a chapter reads with `{{#include}}`, `{{#rustdoc_include}}` or `{{#playground}}`
//!   (and the files those read in turn) is inside the book, every link resolved, and is not
//!   hidden (no part of its path starts with `.`, such as `.git`); and so is every file of
//!   `additional-css` and `additional-js` in `[output.html]`, which mdBook copies into the site.
//!
//! The data folder needs no guard here: the preprocessor itself, in every build, reads nothing
//! that leads out of it (dataset/read.rs, dataset/load.rs).

mod commands;

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use mdbook_preprocessor::config::Config as BookConfig;
use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::paths;

/// How deep mdBook follows includes inside included files (its `MAX_LINK_NESTED_DEPTH`).
const MAX_DEPTH: usize = 10;

/// The characters a chapter's path may hold, besides ASCII letters and digits.
const CHAPTER_PATH_PUNCTUATION: [char; 4] = ['-', '_', '.', '/'];

/// Checks the book at `root`, configured by `config`, for what would read, write or publish
/// outside it; every problem is an error.
pub(crate) fn guard(root: &Path, config: &BookConfig) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let Some(root) = std::path::absolute(root)
        .ok()
        .and_then(|root| paths::normalize(&root))
    else {
        return diagnostics;
    };
    let src_written = config.book.src.clone();
    let src_shown = src_written.display().to_string();
    let Some(src) = paths::inside(&src_written) else {
        diagnostics.push(
            Diagnostic::error(
                format!("the book's `src` folder `{src_shown}` is outside the book"),
                Location::Path("book.toml".into()),
            )
            .with_help("name a folder inside the book in `src` of `[book]`, e.g. `\"src\"`"),
        );
        return diagnostics;
    };
    if let Some(link) = paths::link_out(&root, &src) {
        diagnostics.push(
            Diagnostic::error(
                format!(
                    "the book's `src` folder `{src_shown}` leads out of the book through the \
                     symbolic link `{}`",
                    link.display()
                ),
                Location::Path(link.display().to_string()),
            )
            .with_help("commit the chapters inside the book, not a link to them"),
        );
        return diagnostics;
    }
    let links = symbolic_links(&root, &src, &src_shown);
    let linked = !links.is_empty();
    for link in links {
        diagnostics.push(link);
    }
    if linked {
        // Nothing behind a link is read.
        return diagnostics;
    }
    let chapters = summary(&root.join(&src), &src_shown, &mut diagnostics);
    let mut includes = Includes {
        root: &root,
        real_root: fs::canonicalize(&root).unwrap_or_else(|_| root.clone()),
        seen: HashSet::new(),
        diagnostics: &mut diagnostics,
    };
    includes.html_files(config);
    for chapter in chapters {
        let path = root.join(&src).join(&chapter);
        let shown = format!("{src_shown}/{}", chapter.display());
        includes.scan(&path, shown, 0);
    }
    diagnostics
}

/// An error for each symbolic link in the folder `src` of the book at `root` (the folder itself
/// included), shown under `src_shown`.
fn symbolic_links(root: &Path, src: &Path, src_shown: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut stack = vec![(root.join(src), src_shown.to_string())];
    while let Some((path, shown)) = stack.pop() {
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            found.push(
                Diagnostic::error(
                    format!("`{shown}` is a symbolic link"),
                    Location::Path(shown),
                )
                .with_help(
                    "mdBook publishes what a link in the book's source folder points at, \
                     wherever that is: commit the file itself, not a link",
                ),
            );
        } else if meta.is_dir() {
            let mut names: Vec<_> = fs::read_dir(&path)
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.ok())
                .map(|entry| entry.file_name())
                .collect();
            names.sort();
            for name in names.into_iter().rev() {
                let child = format!("{shown}/{}", name.to_string_lossy());
                stack.push((path.join(&name), child));
            }
        }
    }
    found
}

/// The chapter paths of `SUMMARY.md` in `src` (shown as `src_shown`) that are plain paths
/// inside `src/`; an error for each other path. mdBook reads the summary with pulldown-cmark's
/// default options and takes each link's destination, `%20` read as a space, as a path.
fn summary(src: &Path, src_shown: &str, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let shown = format!("{src_shown}/SUMMARY.md");
    let Ok(file) = SourceFile::read(&src.join("SUMMARY.md"), shown) else {
        // mdBook cannot load the book, and `check` says why.
        return Vec::new();
    };
    let mut chapters = Vec::new();
    for (event, range) in Parser::new(&file.text).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let path = dest_url.replace("%20", " ");
        if path.is_empty() {
            continue;
        }
        match chapter_path(&path) {
            Ok(()) => chapters.push(PathBuf::from(path)),
            Err(problem) => {
                let span = file.text[range.clone()]
                    .find(&*dest_url)
                    .map_or(range.clone(), |at| {
                        range.start + at..range.start + at + dest_url.len()
                    });
                diagnostics.push(
                    Diagnostic::error(
                        format!(
                            "the chapter path `{}` is not a plain path inside `{src_shown}/`: {problem}",
                            path.escape_debug()
                        ),
                        Location::Span(file.clone(), span),
                    )
                    .with_label("this path")
                    .with_help(format!(
                        "a chapter's path is relative to `{src_shown}/` and made of ASCII letters, \
                         digits and `-`, `_`, `.`, separated by `/`, with no part that starts \
                         with `.`, e.g. `guide/getting-started.md`"
                    )),
                );
            }
        }
    }
    chapters
}

/// Whether `path`, from a SUMMARY link, is a plain relative path inside `src/`: ASCII letters,
/// digits, `-`, `_` and `.` in parts separated by `/`, no part empty or starting with `.`
/// (so no `..`), one leading `./` allowed. mdBook writes the path into links of every page's
/// sidebar, where anything else could be read as a URL scheme (`javascript:`), break out of the
/// attribute, or lead out of the site.
pub(crate) fn chapter_path(path: &str) -> Result<(), String> {
    let relative = Path::new(path);
    if path.starts_with(['/', '\\']) || relative.has_root() {
        return Err("it is absolute".into());
    }
    if path
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        return Err(
            "a `:` before the first `/` reads as a URL scheme, such as `javascript:`".into(),
        );
    }
    if paths::inside(relative).is_none() {
        return Err("its `..` lead out of the folder".into());
    }
    if let Some(c) = path
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !CHAPTER_PATH_PUNCTUATION.contains(c))
    {
        return Err(format!("`{}` is not allowed in it", c.escape_debug()));
    }
    let plain = path.strip_prefix("./").unwrap_or(path);
    for part in plain.split('/') {
        if part.is_empty() {
            return Err("it has an empty part (`//`, or a `/` at an end)".into());
        }
        if part.starts_with('.') {
            return Err(format!(
                "`{part}`: no part may start with `.` (no `.`, `..` or hidden names)"
            ));
        }
    }
    Ok(())
}

/// Follows the file commands of chapters and of the files they include.
struct Includes<'a> {
    /// The book's root, absolute (links not resolved: mdBook joins paths to it as they are).
    root: &'a Path,
    /// The book's root, every link resolved.
    real_root: PathBuf,
    /// Files already scanned (every link resolved).
    seen: HashSet<PathBuf>,
    diagnostics: &'a mut Diagnostics,
}

impl Includes<'_> {
    /// Checks the commands of the file at `path` (as mdBook joins it, shown as `shown`) and
    /// of the files they read, `depth` includes deep.
    fn scan(&mut self, path: &Path, shown: String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Ok(real) = fs::canonicalize(path) else {
            return;
        };
        if !fs::metadata(&real).is_ok_and(|meta| meta.is_file()) || !self.seen.insert(real) {
            return;
        }
        let Ok(file) = SourceFile::read(path, shown) else {
            // Not text: mdBook cannot read it either.
            return;
        };
        let base = path.parent().unwrap_or(self.root).to_path_buf();
        for command in commands::file_commands(&file.text) {
            match self.target(&base, command.path) {
                Ok(target) => {
                    let shown = target
                        .strip_prefix(self.root)
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    self.scan(&base.join(command.path), shown, depth + 1);
                }
                Err(problem) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            format!(
                                "`{{{{#{}}}}}` reads a file outside the book: {problem}",
                                command.name
                            ),
                            Location::Span(file.clone(), command.span),
                        )
                        .with_label("this path")
                        .with_help(
                            "mdBook publishes what it includes: name a file inside the book \
                             (the folder of book.toml) by a relative path, not in a hidden \
                             folder such as `.git`",
                        ),
                    );
                }
            }
        }
    }

    /// The stylesheets and scripts of `[output.html]`, which mdBook copies into the site from
    /// wherever they are.
    fn html_files(&mut self, config: &BookConfig) {
        let html = config.html_config().unwrap_or_default();
        let book_toml = SourceFile::read(&self.root.join("book.toml"), "book.toml".into()).ok();
        for (key, files) in [
            ("additional-css", &html.additional_css),
            ("additional-js", &html.additional_js),
        ] {
            for file in files {
                let written = file.to_string_lossy();
                let Err(problem) = self.target(self.root, &written) else {
                    continue;
                };
                let quoted = format!("\"{written}\"");
                let location = match &book_toml {
                    Some(toml) => match toml.text.find(&quoted) {
                        Some(at) => Location::Span(toml.clone(), at..at + quoted.len()),
                        None => Location::Path("book.toml".into()),
                    },
                    None => Location::Path("book.toml".into()),
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("`{key}` names a file outside the book: {problem}"),
                        location,
                    )
                    .with_label("this path")
                    .with_help(
                        "mdBook copies it into the site: name a file inside the book by a \
                         relative path, not in a hidden folder such as `.git`",
                    ),
                );
            }
        }
    }

    /// Where `written`, a path in a command of a file in the folder `base`, leads: the file
    /// lexically (links not resolved), or why mdBook may not read it.
    fn target(&self, base: &Path, written: &str) -> Result<PathBuf, String> {
        let relative = Path::new(written);
        if relative.has_root() || relative.is_absolute() {
            return Err("the path is absolute".into());
        }
        let joined = base.join(relative);
        let lexical = paths::normalize(&joined)
            .filter(|path| path.starts_with(self.root))
            .ok_or("its `..` lead out of the book")?;
        hidden(lexical.strip_prefix(self.root).unwrap_or(&lexical))?;
        if fs::symlink_metadata(&joined).is_ok() {
            let real = fs::canonicalize(&joined)
                .map_err(|_| "it cannot be resolved (a symbolic link loop?)".to_string())?;
            let inside = real
                .strip_prefix(&self.real_root)
                .map_err(|_| "it leads out of the book through a symbolic link".to_string())?;
            hidden(inside)?;
        }
        Ok(lexical)
    }
}

/// An error when a part of `relative` (a path inside the book) starts with `.`.
fn hidden(relative: &Path) -> Result<(), String> {
    match relative.components().find_map(|c| match c {
        Component::Normal(name) if name.to_string_lossy().starts_with('.') => Some(name),
        _ => None,
    }) {
        Some(name) => Err(format!(
            "`{}` is hidden (its name starts with `.`)",
            name.to_string_lossy().escape_debug()
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_paths_are_plain_relative_paths() {
        for ok in ["a.md", "./a.md", "guide/getting-started.md", "x_1.2.md"] {
            assert_eq!(chapter_path(ok), Ok(()), "{ok}");
        }
        for (bad, problem) in [
            ("/etc/x.md", "it is absolute"),
            ("javascript:void(0)<!--.md", "a `:` before the first `/`"),
            ("../x.md", "its `..` lead out"),
            ("sub/../../x.md", "its `..` lead out"),
            ("sub/../x.md", "`..`: no part may start with `.`"),
            ("a b.md", "` ` is not allowed"),
            ("a\"b.md", "`\\\"` is not allowed"),
            ("a<b.md", "`<` is not allowed"),
            ("a\u{1b}.md", "`\\u{1b}` is not allowed"),
            ("a\\b.md", "`\\\\` is not allowed"),
            ("sub//a.md", "an empty part"),
            (".hidden.md", "`.hidden.md`: no part"),
            ("é.md", "`é` is not allowed"),
        ] {
            let got = chapter_path(bad).unwrap_err();
            assert!(got.contains(problem), "{bad}: {got}");
        }
    }
}
