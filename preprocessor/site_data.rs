//! The `site-data` mdBook backend: publishes the dataset as `data.json` at the root of the HTML
//! site (see [`publish`](crate::publish)), and each benchmark's evidence under `evidence/` (see
//! [`evidence`](crate::evidence)) with its figures as CSV and JSON and its charts as SVG.
//!
//! A preprocessor cannot add a file to mdBook's output: the html renderer empties its output
//! folder after the preprocessors have run and then copies only `src/` into it. A backend can
//! write files. With two backends mdBook gives each a folder of its own under the build folder,
//! `html/` (the site) and `site-data/`, and mdBook 0.5 runs backends in the order of their names,
//! so `site-data` runs once `html` has written the site and adds `data.json` to it.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use mdbook_renderer::RenderContext;

use crate::config::Config;
use crate::dataset::Date;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, Severity};
use crate::directives::{self, Home};
use crate::evidence::Evidence;
use crate::expand;
use crate::publish::Published;
use crate::scan;
use crate::write;

/// The backend's name: its table in `book.toml` is `[output.site-data]`.
pub const NAME: &str = "site-data";

/// The file written at the root of the site.
const FILE: &str = "data.json";

/// The name of the backend that writes the site.
const HTML: &str = "html";

/// Whether the book publishes with this backend, so that chapters may link to what it writes.
pub(crate) fn is_configured(config: &mdbook_preprocessor::config::Config) -> bool {
    matches!(
        config.get::<toml::Value>(&format!("output.{NAME}")),
        Ok(Some(_))
    )
}

/// Whether this build publishes each benchmark's evidence (programs, raw runs, downloads), so a
/// benchmark may link it: when the backend is configured and the build is not `mdbook serve`'s.
/// `serve` rebuilds on every save and mdBook's html renderer empties its folder each time, so
/// the evidence, some hundreds of files, would be written again per save; `serve` is told apart
/// by the live-reload endpoint it sets.
pub(crate) fn publishes_evidence(config: &mdbook_preprocessor::config::Config) -> bool {
    is_configured(config) && !is_served(config)
}

/// Whether `config` is that of `mdbook serve` (a live-reload endpoint is set).
fn is_served(config: &mdbook_preprocessor::config::Config) -> bool {
    matches!(
        config.get::<toml::Value>("output.html.live-reload-endpoint"),
        Ok(Some(_))
    )
}

/// Runs the backend on mdBook's render context JSON read from `input`: writes `data.json` into
/// the html site. Returns the errors of the run, rendered (empty when there are none); warnings
/// about the dataset are left to the preprocessor, which has already reported them.
pub fn render_from(input: impl Read) -> String {
    let errors = render(input);
    if errors.has_errors() {
        errors.render(false)
    } else {
        String::new()
    }
}

/// [`render_from`], returning the errors.
fn render(input: impl Read) -> Diagnostics {
    let mut errors = Diagnostics::default();
    let ctx = match RenderContext::from_json(input) {
        Ok(ctx) => ctx,
        Err(err) => {
            errors.push(
                Diagnostic::error(
                    format!("the input is not mdBook's render context: {err:#}"),
                    Location::Path("<standard input from mdBook>".into()),
                )
                .with_help(format!(
                    "run it through `mdbook build`, as the command of `[output.{NAME}]`"
                )),
            );
            return errors;
        }
    };
    let has_html = matches!(ctx.config.get::<toml::Value>("output.html"), Ok(Some(_)));
    let site = match html_site(&ctx.destination, has_html) {
        Ok(site) => site,
        Err(problem) => {
            errors.push(
                Diagnostic::error(problem, Location::Path("book.toml".into())).with_help(format!(
                    "add `[output.{HTML}]` and name this backend's table `[output.{NAME}]`: mdBook runs backends in the order of their names"
                )),
            );
            return errors;
        }
    };
    let mut diagnostics = Diagnostics::default();
    let config = Config::read(&ctx.root, &ctx.config, &mut diagnostics);
    let dataset = config.load_dataset(&mut diagnostics);
    for diagnostic in diagnostics.iter() {
        if diagnostic.severity == Severity::Error {
            errors.push(diagnostic.clone());
        }
    }
    if errors.has_errors() {
        return errors;
    }
    // This preprocessor does not run for this backend: its book still holds the directives,
    // which tell where each benchmark is shown.
    let homes = expand::book_homes(&ctx.book, &scan::chapters(&ctx.book, &config.markdown()));
    let benchmarks = if is_served(&ctx.config) {
        &[][..]
    } else {
        &dataset.benchmarks[..]
    };
    for entry in benchmarks {
        let chapter = (homes.get(&Home::Benchmark(entry.id.clone()))).map(|path| {
            let parts: Vec<_> = path.iter().map(|part| part.to_string_lossy()).collect();
            write::html_page(&parts.join("/"))
        });
        let charts: Vec<(usize, String)> = directives::benchmark_charts(&dataset, entry)
            .iter()
            .map(|(position, chart)| (*position, write::chart_file(chart)))
            .collect();
        let published = Evidence::gather(&ctx.root, entry)
            .map(|evidence| evidence.shown_in(&dataset.languages, chapter.as_deref()))
            .and_then(|evidence| evidence.publish(&ctx.root, &site))
            .and_then(|()| Evidence::publish_downloads(&site, entry, &dataset.languages, &charts));
        if let Err(problem) = published {
            errors.push(
                Diagnostic::error(
                    format!("cannot publish the evidence of benchmark `{}`: {problem}", entry.id),
                    Location::Path(entry.file.path.clone()),
                )
                .with_help(
                    "programs, raw runs and data files are published as committed: regular text files inside the book, no symbolic links, at most 1 MiB each",
                ),
            );
        }
    }
    let published = Published::new(&dataset, Date::today().to_string(), commit(&ctx.root));
    let path = site.join(FILE);
    if let Err(err) = fs::write(&path, published.to_json()) {
        errors.push(Diagnostic::error(
            format!("cannot write the dataset: {err}"),
            Location::Path(path.display().to_string()),
        ));
    }
    errors
}

/// The html site's folder, beside this backend's `destination`, once the html backend has run;
/// `has_html` tells whether the book has an `[output.html]` table. The error says why there is
/// no such site.
fn html_site(destination: &Path, has_html: bool) -> Result<PathBuf, String> {
    let name = destination
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if !has_html {
        Err("the book has no `[output.html]` site to add `data.json` to".into())
    } else if name.as_str() <= HTML {
        Err(format!(
            "`[output.{name}]` runs before the html backend, which then empties the site"
        ))
    } else {
        Ok(destination.with_file_name(HTML))
    }
}

/// The commit checked out in the repository holding `root`, when git can tell.
fn commit(root: &Path) -> Option<String> {
    let output = Command::new("git")
        .args(["rev-parse", "--verify", "HEAD"])
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let hash = String::from_utf8(output.stdout).ok()?.trim().to_string();
    let is_hash = matches!(hash.len(), 40 | 64) && hash.bytes().all(|b| b.is_ascii_hexdigit());
    (output.status.success() && is_hash).then_some(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_is_the_html_folder_beside_this_one() {
        let site = html_site(Path::new("/b/book/site-data"), true).unwrap();
        assert_eq!(site, Path::new("/b/book/html"));
    }

    #[test]
    fn refuses_to_run_before_html_or_without_it() {
        let early = html_site(Path::new("/b/book/data"), true).unwrap_err();
        assert!(early.contains("runs before"), "{early}");
        let alone = html_site(Path::new("/b/book"), false).unwrap_err();
        assert!(alone.contains("no `[output.html]`"), "{alone}");
    }
}
