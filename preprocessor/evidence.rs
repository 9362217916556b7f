//! A benchmark's evidence published with the site, so that it is one click away on any host:
//! its programs, its raw runs and its data file, copied under `evidence/files/`, and a page per
//! benchmark, `evidence/ID.html`, that lists them with the command that reruns it.
//!
//! The programs are the folders the raw runs name: a raw file of the suite records, under
//! `environment.compilers`, each language's program folders (`{"LANG": {"FOLDER": ...}}`),
//! which are `FOLDER/LANG` beside the raw file's folder (`bench/results/x.json` names
//! `bench/FOLDER/LANG`).
//!
//! Everything here comes from contributors: a path is used only when it stays inside the book
//! with no symbolic link anywhere along it, a file only when it is regular, text and small; each
//! copy ends in `.txt`, so that no contributed file is served as a page of the site; and every
//! name is escaped where the page shows it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark_escape::escape_html;

use crate::dataset::Entry;
use crate::dataset::model::{Benchmark, Language};
use crate::paths;
use crate::policy::url::relative_path;

/// The site's folder that holds every benchmark's evidence.
const FOLDER: &str = "evidence";

/// The largest file published, in bytes.
const MAX_FILE: u64 = 1 << 20;

/// The most files one benchmark's programs may hold.
const MAX_FILES: usize = 200;

/// How deep a program folder's subfolders may go.
const MAX_DEPTH: usize = 8;

/// The page of benchmark `id`'s evidence, from the site's root.
pub(crate) fn page(id: &str) -> String {
    format!("{FOLDER}/{id}.html")
}

/// Where the copy of `path` (from the book's root) is, from the site's root.
pub(crate) fn copy(path: &str) -> String {
    format!("{FOLDER}/files/{path}.txt")
}

/// Where benchmark `id`'s figures are, as a download in `format` (`csv`, `json`), from the
/// site's root.
pub(crate) fn download(id: &str, format: &str) -> String {
    format!("{FOLDER}/{id}.{format}")
}

/// Where the chart of benchmark `id`'s metric at `position` (from 1) is, as an SVG file, from
/// the site's root.
pub(crate) fn chart(id: &str, position: usize) -> String {
    format!("{FOLDER}/{id}/chart-{position}.svg")
}

/// The fragments of a benchmark's evidence page.
pub(crate) mod section {
    /// The programs.
    pub(crate) const PROGRAMS: &str = "programs";
    /// The command that reruns the benchmark.
    pub(crate) const RERUN: &str = "rerun";
}

/// One benchmark's evidence, gathered and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Evidence {
    /// The benchmark's id.
    id: String,
    /// Its title.
    title: String,
    /// Its data file, from the book's root.
    data: String,
    /// Its raw runs, from the book's root.
    raw: Option<String>,
    /// The command that reruns it.
    reproduce: Option<String>,
    /// The runner's README beside the programs, from the book's root, when there is one.
    readme: Option<String>,
    /// Each program: its language and folder, and its files from the book's root.
    programs: Vec<Program>,
    /// Each language's name by its id, as the page shows it.
    names: BTreeMap<String, String>,
    /// The page of the chapter that shows the benchmark, from the site's root, if any.
    chapter: Option<String>,
}

/// One language's program of a benchmark.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Program {
    /// The language's id, as the raw runs name it.
    language: String,
    /// The folder, from the book's root.
    folder: String,
    /// Every file in it, from the book's root, sorted.
    files: Vec<String>,
}

impl Evidence {
    /// The evidence of `entry` in the book at `root`; the error says which path cannot be
    /// published and why.
    pub(crate) fn gather(root: &Path, entry: &Entry<Benchmark>) -> Result<Evidence, String> {
        let b = &entry.value;
        if !is_name(&entry.id) {
            return Err(format!("`{}` cannot name a page", entry.id));
        }
        let data = entry.file.path.trim_start_matches("./").to_string();
        regular_file(root, &data)?;
        let mut evidence = Evidence {
            id: entry.id.clone(),
            title: b.title.clone(),
            data,
            raw: None,
            reproduce: b.reproduce.clone(),
            readme: None,
            programs: Vec::new(),
            names: BTreeMap::new(),
            chapter: None,
        };
        if let Some(raw) = &b.raw {
            let text = regular_file(root, raw)?;
            evidence.raw = Some(raw.clone());
            let suite = Path::new(raw).parent().and_then(Path::parent);
            if let Some(suite) = suite.and_then(|s| s.to_str()) {
                evidence.programs = programs(root, suite, &text)?;
                let readme = join(suite, "README.md");
                if regular_file(root, &readme).is_ok() {
                    evidence.readme = Some(readme);
                }
            }
        }
        Ok(evidence)
    }

    /// The evidence, its page naming each language by its name in `languages` and linking
    /// back to `chapter`, the page (from the site's root) that shows the benchmark.
    pub(crate) fn shown_in(mut self, languages: &[Language], chapter: Option<&str>) -> Self {
        self.names = (languages.iter())
            .map(|l| (l.id.clone(), l.name.clone()))
            .collect();
        self.chapter = chapter.map(String::from);
        self
    }

    /// Every file to copy, from the book's root.
    fn files(&self) -> impl Iterator<Item = &String> {
        let programs = self.programs.iter().flat_map(|p| &p.files);
        std::iter::once(&self.data)
            .chain(&self.raw)
            .chain(&self.readme)
            .chain(programs)
    }

    /// Writes the benchmark's figures as CSV and JSON and `charts` (each metric's position and
    /// its chart as SVG) into `site`; the error names what could not be written.
    pub(crate) fn publish_downloads(
        site: &Path,
        entry: &Entry<Benchmark>,
        languages: &[Language],
        charts: &[(usize, String)],
    ) -> Result<(), String> {
        if !is_name(&entry.id) {
            return Err(format!("`{}` cannot name a file", entry.id));
        }
        write_inside(
            site,
            &download(&entry.id, "csv"),
            &downloads::csv(entry, languages),
        )?;
        write_inside(site, &download(&entry.id, "json"), &downloads::json(entry))?;
        for (position, svg) in charts {
            write_inside(site, &chart(&entry.id, *position), svg)?;
        }
        Ok(())
    }

    /// Writes the copies and the page into `site`; the error names what could not be written.
    pub(crate) fn publish(&self, root: &Path, site: &Path) -> Result<(), String> {
        for file in self.files() {
            let text = regular_file(root, file)?;
            write_inside(site, &copy(file), &text)?;
        }
        write_inside(site, &page(&self.id), &self.html())
    }

    /// The evidence page: a plain HTML document, every name escaped.
    fn html(&self) -> String {
        let mut out = String::new();
        let title = format!("Evidence: {}", self.title);
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.push_str("<title>");
        text(&mut out, &title);
        out.push_str("</title>\n</head>\n<body>\n<main>\n<h1>");
        text(&mut out, &title);
        out.push_str("</h1>\n<p>");
        if let Some(chapter) = &self.chapter {
            let mut href = relative_path(&format!("../{chapter}"));
            href.push_str("#cmp-benchmark-");
            href.push_str(&relative_path(&self.id)[2..]);
            out.push_str("<a href=\"");
            text(&mut out, &href);
            out.push_str("\">The benchmark's results</a> · ");
        }
        out.push_str("<a href=\"../index.html\">The book</a></p>\n");
        out.push_str("<p>Copies of the files in the book's repository, as the site was built from it; each ends in <code>.txt</code> so that it opens as text.</p>\n");
        out.push_str(&format!("<h2 id=\"{}\">Programs</h2>\n", section::PROGRAMS));
        if self.programs.is_empty() {
            out.push_str("<p>The raw runs name no program folder.</p>\n");
        }
        for program in &self.programs {
            out.push_str("<h3><code>");
            text(&mut out, &program.folder);
            out.push_str("</code> (");
            let name = self.names.get(&program.language);
            text(&mut out, name.unwrap_or(&program.language));
            out.push_str(")</h3>\n<ul>\n");
            for file in &program.files {
                let shown = file.strip_prefix(&program.folder).unwrap_or(file);
                out.push_str("<li>");
                link(&mut out, file, shown.trim_start_matches('/'));
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        out.push_str("<h2 id=\"raw-runs\">Raw runs</h2>\n<p>");
        match &self.raw {
            Some(raw) => link(&mut out, raw, raw),
            None => out.push_str("This benchmark records no raw runs."),
        }
        out.push_str("</p>\n<h2 id=\"data\">Data file</h2>\n<p>");
        link(&mut out, &self.data, &self.data);
        out.push_str(&format!(
            "</p>\n<h2 id=\"{}\">Rerun it</h2>\n",
            section::RERUN
        ));
        match &self.reproduce {
            Some(command) => {
                out.push_str("<p>From a checkout of the book's repository:</p>\n<pre><code>");
                text(&mut out, command);
                out.push_str("</code></pre>\n");
            }
            None => out.push_str("<p>This benchmark records no command that reruns it.</p>\n"),
        }
        if let Some(readme) = &self.readme {
            out.push_str("<p>What the runner needs and how it measures: ");
            link(&mut out, readme, readme);
            out.push_str("</p>\n");
        }
        out.push_str("</main>\n</body>\n</html>\n");
        out
    }
}

/// `text`, escaped for HTML.
fn text(out: &mut String, text: &str) {
    let _ = escape_html(out, text);
}

/// A link from the evidence page to the copy of `file`, showing `shown`.
fn link(out: &mut String, file: &str, shown: &str) {
    let from_page = copy(file);
    let href = relative_path(from_page.strip_prefix("evidence/").unwrap_or(&from_page));
    out.push_str("<a href=\"");
    text(out, &href);
    out.push_str("\"><code>");
    text(out, shown);
    out.push_str("</code></a>");
}

/// `folder/name` with `/`.
fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

/// Whether `name` is one plain path component: not empty, no `/`, `\` or control character,
/// not `.` or `..`, not hidden.
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

/// The program folders the raw runs `raw` (text) name, under `suite`, with their files.
fn programs(root: &Path, suite: &str, raw: &str) -> Result<Vec<Program>, String> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(raw) else {
        return Ok(Vec::new());
    };
    let Some(compilers) = json
        .pointer("/environment/compilers")
        .and_then(|c| c.as_object())
    else {
        return Ok(Vec::new());
    };
    let mut programs = Vec::new();
    let mut count = 0;
    for (language, folders) in compilers {
        let Some(folders) = folders.as_object() else {
            continue;
        };
        for name in folders.keys() {
            if !is_name(language) || !is_name(name) {
                return Err(format!(
                    "the raw runs name the program folder `{name}/{language}`, which is not a plain folder name"
                ));
            }
            let folder = join(&join(suite, name), language);
            no_link_along(root, &folder)?;
            if !fs::symlink_metadata(root.join(&folder)).is_ok_and(|m| m.is_dir()) {
                if fs::symlink_metadata(root.join(&folder)).is_ok() {
                    return Err(format!("`{folder}` is not a folder"));
                }
                continue;
            }
            let mut files = Vec::new();
            walk(root, &folder, 0, &mut files)?;
            files.sort();
            count += files.len();
            if count > MAX_FILES {
                return Err(format!(
                    "the programs hold more than {MAX_FILES} files, up to `{folder}`"
                ));
            }
            programs.push(Program {
                language: language.clone(),
                folder,
                files,
            });
        }
    }
    Ok(programs)
}

/// Every file under `folder` (from the book's root), hidden ones left out; a symbolic link,
/// a name that is not UTF-8 or a tree too deep is an error.
fn walk(root: &Path, folder: &str, depth: usize, files: &mut Vec<String>) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("`{folder}` is deeper than {MAX_DEPTH} folders"));
    }
    let entries = fs::read_dir(root.join(folder)).map_err(|e| format!("`{folder}`: {e}"))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("`{folder}`: {e}"))?;
        let Some(name) = entry.file_name().to_str().map(String::from) else {
            return Err(format!("`{folder}` holds a name that is not UTF-8"));
        };
        if name.starts_with('.') {
            continue;
        }
        let path = join(folder, &name);
        if !is_name(&name) {
            return Err(format!("`{path}` is not a plain file name"));
        }
        let kind = entry.file_type().map_err(|e| format!("`{path}`: {e}"))?;
        if kind.is_symlink() {
            return Err(format!("`{path}` is a symbolic link"));
        } else if kind.is_dir() {
            walk(root, &path, depth + 1, files)?;
        } else if kind.is_file() {
            files.push(path);
            if files.len() > MAX_FILES {
                return Err(format!("`{folder}` holds more than {MAX_FILES} files"));
            }
        } else {
            return Err(format!("`{path}` is not a regular file"));
        }
    }
    Ok(())
}

/// `relative` as a path inside a folder, or the error saying why it is not.
fn inside(relative: &str) -> Result<PathBuf, String> {
    let path = Path::new(relative);
    let clean = paths::inside(path).filter(|_| {
        path.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    });
    clean.ok_or_else(|| format!("`{relative}` is not a path inside the book"))
}

/// An error when a folder or file along `relative` (inside `base`) is a symbolic link.
fn no_link_along(base: &Path, relative: &str) -> Result<(), String> {
    let mut prefix = PathBuf::new();
    for component in inside(relative)?.components() {
        prefix.push(component);
        if fs::symlink_metadata(base.join(&prefix)).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "`{}` is a symbolic link, which is not followed",
                prefix.display()
            ));
        }
    }
    Ok(())
}

/// The text of the regular file `relative` inside `root`: no symbolic link along it, at most
/// [`MAX_FILE`] bytes, UTF-8.
fn regular_file(root: &Path, relative: &str) -> Result<String, String> {
    no_link_along(root, relative)?;
    let path = root.join(inside(relative)?);
    let meta = fs::symlink_metadata(&path).map_err(|e| format!("`{relative}`: {e}"))?;
    if !meta.is_file() {
        return Err(format!("`{relative}` is not a regular file"));
    }
    if meta.len() > MAX_FILE {
        return Err(format!(
            "`{relative}` is larger than {} KiB",
            MAX_FILE / 1024
        ));
    }
    let bytes = fs::read(&path).map_err(|e| format!("`{relative}`: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("`{relative}` is not UTF-8 text"))
}

/// Writes `text` as `relative` inside `site`, creating its folders; a symbolic link along the
/// way is an error, and one at the name is replaced, not followed.
fn write_inside(site: &Path, relative: &str, text: &str) -> Result<(), String> {
    let clean = inside(relative)?;
    if let Some(parent) = clean.parent() {
        let mut prefix = PathBuf::new();
        for component in parent.components() {
            prefix.push(component);
            let path = site.join(&prefix);
            match fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    return Err(format!(
                        "`{}` in the site is not a folder",
                        prefix.display()
                    ));
                }
                Err(_) => fs::create_dir(&path)
                    .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?,
            }
        }
    }
    paths::write_output(&site.join(&clean), text)
        .map(|_| ())
        .map_err(|e| format!("cannot write `{relative}`: {e}"))
}

mod downloads;

#[cfg(test)]
mod tests;
