//! Setting a book up for `mdbook-compare`, and keeping it set up.
//!
//! `mdbook-compare install [BOOK_DIR] [--force]` ([`run`]) writes the stylesheet for the tables
//! and charts into the book and adds to `book.toml` what the book needs: the preprocessor, the
//! stylesheet and the data folder to watch. It edits `book.toml` in place, keeping its comments
//! and order, checks everything before it writes anything, and writes each file whole (a
//! temporary file in the same folder, renamed over it). A second run changes nothing.
//!
//! The stylesheet's first line names the version of mdbook-compare that wrote it and a checksum
//! of the rest. From it `install` tells its own copy (which it replaces) from one a person
//! edited (which it replaces only with `--force`), and [`stale_stylesheets`] lets a build warn
//! that an installed copy is another version's, reading nothing but that line.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::dataset::locate::{Step as KeyStep, Target, locate};
use crate::diagnostic::{Diagnostic, Location, SourceFile, describe_io_error};
use crate::paths;
use crate::stylesheet::{self, VERSION};

/// Where `install` puts the stylesheet, relative to the book root, unless `additional-css`
/// already lists a copy it wrote.
pub(crate) const FILE_NAME: &str = "mdbook-compare.css";
/// The command `book.toml` runs the preprocessor with once it is installed.
const COMMAND: &str = "mdbook-compare";
/// A file larger than this is neither read as `book.toml` nor as a stylesheet.
const MAX_BYTES: u64 = 1 << 20;
const USAGE: &str = "usage: mdbook-compare install [BOOK_DIR] [--force]";

/// `install [BOOK_DIR] [--force]`: sets the book up and prints what was changed and what was
/// already in place, or why nothing was changed.
pub fn run(args: &[&str]) -> ExitCode {
    let force = args.contains(&"--force");
    let dirs: Vec<&str> = args.iter().copied().filter(|a| *a != "--force").collect();
    let root = match dirs.as_slice() {
        [] => Path::new("."),
        [dir] if !dir.starts_with('-') => Path::new(dir),
        _ => {
            eprintln!(
                "error: unexpected arguments to install: {}\n\n{USAGE}",
                args.join(" ")
            );
            return ExitCode::from(2);
        }
    };
    match install(root, force) {
        Ok(steps) => {
            print!("{}", report(root, &steps));
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            eprintln!("{}", diagnostic.render(io::stderr().is_terminal()));
            ExitCode::FAILURE
        }
    }
}

/// One thing a book needs, as `install` found or left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    /// Whether this run changed it.
    pub(crate) changed: bool,
    /// What was done ("wrote", "added", "found", ...).
    pub(crate) verb: &'static str,
    /// What it was done to.
    pub(crate) what: String,
}

impl Step {
    /// A step this run carried out.
    fn changed(verb: &'static str, what: impl Into<String>) -> Self {
        Step {
            changed: true,
            verb,
            what: what.into(),
        }
    }

    /// A step that found the book as it should be, or left it as it was.
    fn unchanged(verb: &'static str, what: impl Into<String>) -> Self {
        Step {
            changed: false,
            ..Step::changed(verb, what)
        }
    }
}

/// The report of a successful run: one line per step, then what it comes to.
pub(crate) fn report(root: &Path, steps: &[Step]) -> String {
    let mut out = format!("mdbook-compare install: the book in `{}`\n", root.display());
    for step in steps {
        let _ = writeln!(out, "  {:<9} {}", step.verb, step.what);
    }
    let changed = steps.iter().filter(|s| s.changed).count();
    out.push_str(&match changed {
        0 => "Nothing changed: the book was already set up.\n".to_string(),
        1 => "Changed 1 thing.\n".to_string(),
        n => format!("Changed {n} things.\n"),
    });
    out
}

/// Sets up the book at `root`: the stylesheet, and the `book.toml` entries for it, the
/// preprocessor and the data folder. Returns what it changed and what it found in place, or the
/// first thing that stops it, before anything was written. `force` replaces a stylesheet that
/// was edited after `install` wrote it.
pub(crate) fn install(root: &Path, force: bool) -> Result<Vec<Step>, Box<Diagnostic>> {
    let book_toml = root.join("book.toml");
    let toml_shown = shown(root, Path::new("book.toml"));
    let file = read_book_toml(&book_toml, &toml_shown)?;
    let mut doc: DocumentMut = file.text.parse().map_err(|err: toml_edit::TomlError| {
        let span = err.span().unwrap_or(0..0);
        Box::new(
            Diagnostic::error(
                format!("cannot parse book.toml: {}", err.message()),
                Location::Span(file.clone(), span),
            )
            .with_help("fix the TOML there and run `mdbook-compare install` again"),
        )
    })?;
    let data_dir = data_dir(&doc, &file)?;
    let css = if builds_html(&doc) {
        let css = stylesheet_path(root, &doc);
        let step = plan_stylesheet(root, &css, force)?;
        Some((css, step))
    } else {
        None
    };
    let mut steps = match &css {
        Some((_, step)) => vec![step.clone()],
        None => vec![Step::unchanged(
            "skipped",
            format!(
                "{FILE_NAME}: book.toml has `[output]` tables but no `[output.html]`, so the \
                 book builds no html to style (add `[output.html]` and run install again)"
            ),
        )],
    };
    let css_entry = css.as_ref().map(|(path, _)| path.as_path());
    steps.extend(edit_book_toml(&file, &mut doc, css_entry, &data_dir)?);
    let new_text = with_line_endings_of(&file.text, doc.to_string());
    let css_changes = css.as_ref().filter(|(_, step)| step.changed);
    if new_text != *file.text {
        refuse_read_only(&book_toml, &toml_shown)?;
    }
    if let Some((css, _)) = css_changes {
        refuse_read_only(&root.join(css), &shown(root, css))?;
    }
    // Nothing is written before everything is known to be right; then the stylesheet first, so
    // that book.toml never names a stylesheet that is not there.
    if let Some((css, _)) = css_changes {
        paths::write_whole(&root.join(css), &stylesheet::installed())
            .map_err(|err| write_error(&shown(root, css), &err))?;
    }
    if new_text != *file.text {
        paths::write_whole(&book_toml, &new_text).map_err(|err| write_error(&toml_shown, &err))?;
    }
    Ok(steps)
}

/// The text of `book.toml`: a regular file of at most [`MAX_BYTES`], not a symbolic link.
fn read_book_toml(path: &Path, shown: &str) -> Result<SourceFile, Box<Diagnostic>> {
    let refuse = |message: String, help: &str| {
        Box::new(Diagnostic::error(message, Location::Path(shown.to_string())).with_help(help))
    };
    match fs::symlink_metadata(path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Err(refuse(
            format!("no book.toml in `{}`", parent_shown(shown)),
            "run `mdbook-compare install` in the book's folder (where book.toml is) or name \
             that folder: `mdbook-compare install path/to/book`; `mdbook init` makes a new book",
        )),
        Err(err) => Err(refuse(
            format!("cannot read book.toml: {}", describe_io_error(&err)),
            "make the file readable and run install again",
        )),
        Ok(meta) if meta.file_type().is_symlink() => Err(refuse(
            "book.toml is a symbolic link; install edits only a regular file in the book".into(),
            "replace the link with a copy of the file it points to, or run install in the book \
             that holds the file",
        )),
        Ok(meta) if !meta.is_file() => Err(refuse(
            "book.toml is not a regular file".into(),
            "book.toml must be the book's configuration file",
        )),
        Ok(meta) if meta.len() > MAX_BYTES => Err(refuse(
            format!(
                "book.toml is {} bytes, more than the {MAX_BYTES} a configuration file can be",
                meta.len()
            ),
            "check that this is the book's book.toml",
        )),
        Ok(_) => SourceFile::read(path, shown.to_string()),
    }
}

/// The dataset folder: `data-dir` in `[preprocessor.compare]`, or `data`.
fn data_dir(doc: &DocumentMut, file: &SourceFile) -> Result<String, Box<Diagnostic>> {
    let item = doc
        .get("preprocessor")
        .and_then(|p| p.get("compare"))
        .and_then(|c| c.get("data-dir"));
    match item {
        None => Ok("data".into()),
        Some(item) => match item.as_str() {
            Some(dir) => Ok(dir.to_string()),
            None => Err(wrong_type(
                file,
                &["preprocessor", "compare", "data-dir"],
                "`data-dir` in `[preprocessor.compare]` must be a path (a string)",
                "write e.g. `data-dir = \"data\"`",
            )),
        },
    }
}

/// Whether the book builds html: it has `[output.html]`, or no `[output]` at all (then mdBook
/// builds html alone). Adding `[output.html]` to a book with other outputs would add a renderer.
fn builds_html(doc: &DocumentMut) -> bool {
    match doc.get("output").and_then(Item::as_table_like) {
        Some(output) => output.is_empty() || output.contains_key("html"),
        None => true,
    }
}

/// Where the stylesheet goes: the first `additional-css` entry that `install` wrote (so a copy
/// moved elsewhere is updated where it is), or [`FILE_NAME`].
fn stylesheet_path(root: &Path, doc: &DocumentMut) -> PathBuf {
    let entries = doc
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("additional-css"))
        .and_then(Item::as_array);
    entries
        .into_iter()
        .flat_map(Array::iter)
        .filter_map(Value::as_str)
        .map(PathBuf::from)
        .find(|entry| {
            stylesheet::first_line(root, entry)
                .is_some_and(|line| stylesheet::Header::parse(&line).is_some())
        })
        .unwrap_or_else(|| PathBuf::from(FILE_NAME))
}

/// What writing the stylesheet at `css` (relative to `root`) would do, or why it must not.
fn plan_stylesheet(root: &Path, css: &Path, force: bool) -> Result<Step, Box<Diagnostic>> {
    let path = root.join(css);
    let shown = shown(root, css);
    let refuse = |message: String, help: String| {
        Box::new(Diagnostic::error(message, Location::Path(shown.clone())).with_help(help))
    };
    // Escaped: a file name is the one thing here that may hold control characters.
    let name = css.to_string_lossy().escape_debug().to_string();
    let described = format!("{name}, the stylesheet of mdbook-compare {VERSION}");
    let meta = match fs::symlink_metadata(&path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Ok(Step::changed("wrote", described));
        }
        Err(err) => {
            return Err(refuse(
                format!("cannot read the stylesheet: {}", describe_io_error(&err)),
                "make it readable, or remove it, and run install again".into(),
            ));
        }
        Ok(meta) => meta,
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            "the stylesheet is a symbolic link; install writes only a regular file in the book"
                .into(),
            format!("remove the link and run install again to write {shown} in its place"),
        ));
    }
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return Err(refuse(
            "this is not a stylesheet that `mdbook-compare install` wrote".into(),
            format!("move it away and run install again to write {shown}"),
        ));
    }
    let text = fs::read(&path).map_err(|err| {
        refuse(
            format!("cannot read the stylesheet: {}", describe_io_error(&err)),
            "make it readable and run install again".into(),
        )
    })?;
    let text = String::from_utf8_lossy(&text);
    if text == stylesheet::installed() {
        return Ok(Step::unchanged("in place", described));
    }
    let (first, body) = text.split_once('\n').unwrap_or((&text, ""));
    match stylesheet::Header::parse(first) {
        Some(header) if header.checksum == stylesheet::checksum(body) => {
            let old = &first[header.version];
            let what = if old == VERSION {
                format!("{name}, to the stylesheet this mdbook-compare {VERSION} was built with")
            } else {
                format!("{name}, from mdbook-compare {old}'s stylesheet to {VERSION}'s")
            };
            Ok(Step::changed("updated", what))
        }
        _ if force => Ok(Step::changed(
            "replaced",
            format!("{described} (--force: the edited copy is gone)"),
        )),
        found => Err(refuse(
            if found.is_some() {
                "the stylesheet was edited after `mdbook-compare install` wrote it".into()
            } else {
                "this is not a stylesheet that `mdbook-compare install` wrote".into()
            },
            format!(
                "keep your own rules in a stylesheet of your own (listed in `additional-css` \
                 too), then run `mdbook-compare install --force` to replace {shown}"
            ),
        )),
    }
}

/// Adds to `doc` (the text of `file`) what is missing of: the preprocessor's table, the
/// stylesheet `css` (when given) and the data folder to watch; says what it found in place.
fn edit_book_toml(
    file: &SourceFile,
    doc: &mut DocumentMut,
    css: Option<&Path>,
    data_dir: &str,
) -> Result<Vec<Step>, Box<Diagnostic>> {
    let mut steps = Vec::new();
    let compare = table(file, doc, &["preprocessor", "compare"])?;
    steps.push(match compare.get("command") {
        None => {
            compare.insert("command", Item::Value(COMMAND.into()));
            Step::changed(
                "added",
                format!("[preprocessor.compare] command = \"{COMMAND}\""),
            )
        }
        Some(item) => match item.as_str() {
            Some(COMMAND) => Step::unchanged(
                "found",
                format!("[preprocessor.compare] command = \"{COMMAND}\""),
            ),
            Some(other) => Step::unchanged(
                "kept",
                format!("[preprocessor.compare] command = {other:?}, as the book sets it"),
            ),
            None => {
                return Err(wrong_type(
                    file,
                    &["preprocessor", "compare", "command"],
                    "`command` in `[preprocessor.compare]` must be a string",
                    &format!("write `command = \"{COMMAND}\"`"),
                ));
            }
        },
    });
    steps.push(add_to_list(
        file,
        compare,
        &["preprocessor", "compare", "after"],
        "links",
    )?);
    if let Some(css) = css {
        let html = table(file, doc, &["output", "html"])?;
        let entry = css.to_string_lossy();
        steps.push(add_to_list(
            file,
            html,
            &["output", "html", "additional-css"],
            &entry,
        )?);
    }
    let build = table(file, doc, &["build"])?;
    steps.push(add_to_list(
        file,
        build,
        &["build", "extra-watch-dirs"],
        data_dir,
    )?);
    Ok(steps)
}

/// The table at `path`, made where missing (its parents implicit, so only it gets a header);
/// or why not, at the first part of the path that is there and not a table.
fn table<'d>(
    file: &SourceFile,
    doc: &'d mut DocumentMut,
    path: &[&str],
) -> Result<&'d mut dyn TableLike, Box<Diagnostic>> {
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    let mut inline = false;
    for (i, key) in path.iter().enumerate() {
        let item = table.entry(key).or_insert_with(|| {
            if inline {
                Item::Value(Value::InlineTable(InlineTable::new()))
            } else {
                let mut made = Table::new();
                made.set_implicit(i + 1 < path.len());
                Item::Table(made)
            }
        });
        inline |= item.is_inline_table();
        table = match item.as_table_like_mut() {
            Some(next) => next,
            None => {
                let name = path[..=i].join(".");
                return Err(wrong_type(
                    file,
                    &path[..=i],
                    &format!("`{name}` in book.toml must be a table"),
                    &format!("make it a table (`[{name}]`) and run install again"),
                ));
            }
        };
    }
    Ok(table)
}

/// Adds `value` to the list `path` (whose last part is a key of `table`), making the list if
/// there is none; or says that it is there already.
fn add_to_list(
    file: &SourceFile,
    table: &mut dyn TableLike,
    path: &[&str],
    value: &str,
) -> Result<Step, Box<Diagnostic>> {
    let (key, parent) = path.split_last().expect("a path to a key");
    let at = format!("[{}] {key}", parent.join("."));
    let Some(item) = table.get_mut(key) else {
        table.insert(key, Item::Value(Array::from_iter([value]).into()));
        return Ok(Step::changed("added", format!("{at} = [{value:?}]")));
    };
    let Some(list) = item.as_array_mut() else {
        return Err(wrong_type(
            file,
            path,
            &format!("`{key}` in `[{}]` must be a list", parent.join(".")),
            &format!("write it as a list, e.g. `{key} = [{value:?}]`"),
        ));
    };
    if list
        .iter()
        .filter_map(Value::as_str)
        .any(|v| same_path(v, value))
    {
        Ok(Step::unchanged("found", format!("{value:?} in {at}")))
    } else {
        list.push(value);
        Ok(Step::changed("added", format!("{value:?} to {at}")))
    }
}

/// Whether two paths as written in book.toml name the same file (`data`, `./data/`).
fn same_path(a: &str, b: &str) -> bool {
    fn parts(path: &str) -> impl Iterator<Item = Component<'_>> {
        Path::new(path)
            .components()
            .filter(|c| *c != Component::CurDir)
    }
    parts(a).eq(parts(b))
}

/// An error at the value at `path` in book.toml.
fn wrong_type(file: &SourceFile, path: &[&str], message: &str, help: &str) -> Box<Diagnostic> {
    let steps: Vec<KeyStep<'_>> = path.iter().map(|k| KeyStep::Key(k)).collect();
    let span = locate(&file.text, &steps, Target::Value);
    Box::new(
        Diagnostic::error(message, Location::Span(file.clone(), span))
            .with_label("install cannot add to this")
            .with_help(help),
    )
}

/// `edited` with the line endings of `original`: a book.toml written with `\r\n` keeps them,
/// on the lines install adds too.
fn with_line_endings_of(original: &str, edited: String) -> String {
    if original.contains("\r\n") {
        edited.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        edited
    }
}

/// Refuses to replace a file that its owner made read-only: install writes a new file and
/// renames it over the old one, which the folder's permissions allow whatever the file's.
fn refuse_read_only(path: &Path, shown: &str) -> Result<(), Box<Diagnostic>> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.permissions().readonly() => Err(Box::new(
            Diagnostic::error(
                format!("{shown} is read-only; install does not replace a read-only file"),
                Location::Path(shown.to_string()),
            )
            .with_note("nothing was written")
            .with_help(format!(
                "make it writable (e.g. `chmod u+w {shown}`) and run install again"
            )),
        )),
        _ => Ok(()),
    }
}

/// Why a file could not be written (nothing of it was).
fn write_error(shown: &str, err: &io::Error) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            format!("cannot write the file: {}", describe_io_error(err)),
            Location::Path(shown.to_string()),
        )
        .with_note("the file is as it was: install writes a whole new file or none")
        .with_help("make the book's folder writable and run install again"),
    )
}

/// `relative` in the book at `root`, as the user would write it from where they ran install.
fn shown(root: &Path, relative: &Path) -> String {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.display().to_string()
    } else {
        root.join(relative).display().to_string()
    }
}

/// The folder of a shown `book.toml`.
fn parent_shown(shown: &str) -> String {
    match Path::new(shown).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.display().to_string(),
        _ => ".".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A book.toml as a person writes it: comments, an order of its own, no trailing newline
    /// after the last table's comment.
    const BOOK_TOML: &str = "\
# My comparison book.
[book]
title = \"Python vs Ruby\" # the title
src = \"src\"

# Html output: the default theme.
[output.html]
default-theme = \"light\"
";

    fn book(toml: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temporary folder");
        fs::write(dir.path().join("book.toml"), toml).expect("write book.toml");
        dir
    }

    fn read(dir: &tempfile::TempDir, name: &str) -> String {
        fs::read_to_string(dir.path().join(name)).expect("read file")
    }

    fn files(dir: &tempfile::TempDir) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .expect("read folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn error(result: Result<Vec<Step>, Box<Diagnostic>>) -> Box<Diagnostic> {
        result.expect_err("install should refuse")
    }

    fn config(toml: &str) -> mdbook_preprocessor::config::Config {
        toml.parse().expect("a valid book.toml")
    }

    #[test]
    fn install_adds_what_is_missing_and_keeps_comments_and_order() {
        let dir = book(BOOK_TOML);
        let steps = install(dir.path(), false).expect("install");
        assert_eq!(
            read(&dir, "book.toml"),
            "\
# My comparison book.
[book]
title = \"Python vs Ruby\" # the title
src = \"src\"

# Html output: the default theme.
[output.html]
default-theme = \"light\"
additional-css = [\"mdbook-compare.css\"]

[preprocessor.compare]
command = \"mdbook-compare\"
after = [\"links\"]

[build]
extra-watch-dirs = [\"data\"]
"
        );
        let css = read(&dir, FILE_NAME);
        let (first, body) = css.split_once('\n').expect("a header line");
        assert!(
            first.starts_with(&format!("/* mdbook-compare {VERSION}, ")),
            "{first}"
        );
        assert!(first.ends_with("*/"), "{first}");
        assert_eq!(body, stylesheet::STYLESHEET);
        assert!(steps.iter().all(|s| s.changed), "{steps:?}");
        assert_eq!(steps.len(), 5, "{steps:?}");
        assert_eq!(
            files(&dir),
            ["book.toml", FILE_NAME],
            "no temporary file is left"
        );
    }

    #[test]
    fn a_second_run_changes_nothing_and_says_so() {
        let dir = book(BOOK_TOML);
        install(dir.path(), false).expect("first install");
        let (toml, css) = (read(&dir, "book.toml"), read(&dir, FILE_NAME));
        let steps = install(dir.path(), false).expect("second install");
        assert!(steps.iter().all(|s| !s.changed), "{steps:?}");
        assert_eq!(read(&dir, "book.toml"), toml);
        assert_eq!(read(&dir, FILE_NAME), css);
        let out = report(Path::new("my-book"), &steps);
        assert!(out.contains(&format!("in place  {FILE_NAME}")), "{out}");
        assert!(
            out.contains("found     \"links\" in [preprocessor.compare] after"),
            "{out}"
        );
        assert!(
            out.ends_with("Nothing changed: the book was already set up.\n"),
            "{out}"
        );
    }

    #[test]
    fn existing_entries_are_kept_and_lists_grow() {
        let dir = book(
            "[preprocessor.compare]\ncommand = \"cargo run --\"\nafter = [\"index\"]\n\
             data-dir = \"comparison\"\n\n[output.html]\nadditional-css = [\"theme/mine.css\"]\n\n\
             [build]\nextra-watch-dirs = [\"./comparison/\"]\n",
        );
        let steps = install(dir.path(), false).expect("install");
        let toml = read(&dir, "book.toml");
        assert!(toml.contains("command = \"cargo run --\"\n"), "{toml}");
        assert!(toml.contains("after = [\"index\", \"links\"]\n"), "{toml}");
        assert!(
            toml.contains("additional-css = [\"theme/mine.css\", \"mdbook-compare.css\"]\n"),
            "{toml}"
        );
        assert!(
            toml.contains("extra-watch-dirs = [\"./comparison/\"]\n"),
            "{toml}"
        );
        let out = report(Path::new("."), &steps);
        assert!(
            out.contains("kept      [preprocessor.compare] command = \"cargo run --\""),
            "{out}"
        );
        assert!(out.contains("found     \"comparison\" in [build]"), "{out}");
    }

    #[test]
    fn dotted_keys_and_inline_tables_are_edited_where_they_are() {
        let dir = book("[output]\nhtml = { default-theme = \"navy\" }\n");
        install(dir.path(), false).expect("install");
        let toml = read(&dir, "book.toml");
        assert!(
            toml.starts_with("[output]\nhtml = { default-theme = \"navy\""),
            "{toml}"
        );
        assert!(!toml.contains("[output.html]"), "{toml}");
        let parsed = config(&toml);
        let html = parsed.html_config().expect("[output.html]");
        assert_eq!(html.additional_css, [PathBuf::from(FILE_NAME)]);
    }

    #[test]
    fn a_book_without_html_output_gets_no_stylesheet() {
        let dir = book("[output.markdown]\n");
        let steps = install(dir.path(), false).expect("install");
        let toml = read(&dir, "book.toml");
        assert!(!toml.contains("[output.html]"), "{toml}");
        assert!(!dir.path().join(FILE_NAME).exists());
        assert_eq!(steps[0].verb, "skipped");
    }

    #[test]
    fn a_missing_book_toml_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let err = error(install(dir.path(), false));
        assert!(err.message.starts_with("no book.toml in"), "{err}");
        assert!(
            err.help
                .as_deref()
                .is_some_and(|h| h.contains("mdbook init")),
            "{err}"
        );
        assert!(files_empty(dir.path()));
    }

    fn files_empty(path: &Path) -> bool {
        fs::read_dir(path).expect("read folder").next().is_none()
    }

    #[test]
    fn an_unparsable_book_toml_is_refused_at_the_mistake() {
        let dir = book("[book]\ntitle = \"x\"\n[output.html\n");
        let err = error(install(dir.path(), false));
        assert!(
            err.position().ends_with("book.toml:3:13"),
            "{}",
            err.position()
        );
        assert!(err.message.starts_with("cannot parse book.toml"), "{err}");
        assert_eq!(files(&dir), ["book.toml"]);
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_at_the_value() {
        let dir = book("[book]\n\n[preprocessor.compare]\nafter = \"links\"\n");
        let err = error(install(dir.path(), false));
        assert!(
            err.position().ends_with("book.toml:4:9"),
            "{}",
            err.position()
        );
        assert!(err.message.contains("must be a list"), "{err}");
        assert!(
            err.help
                .as_deref()
                .is_some_and(|h| h.contains("after = [\"links\"]"))
        );
        assert_eq!(files(&dir), ["book.toml"], "nothing was written");
        let dir = book("output = 3\n");
        let err = error(install(dir.path(), false));
        assert!(
            err.message
                .contains("`output` in book.toml must be a table"),
            "{err}"
        );
    }

    #[test]
    fn an_edited_stylesheet_is_replaced_only_with_force() {
        let dir = book(BOOK_TOML);
        install(dir.path(), false).expect("install");
        let edited = read(&dir, FILE_NAME).replace(".cmp", ".mine");
        fs::write(dir.path().join(FILE_NAME), &edited).expect("edit the stylesheet");
        let toml = read(&dir, "book.toml");
        let err = error(install(dir.path(), false));
        assert!(err.message.contains("was edited after"), "{err}");
        assert!(
            err.help.as_deref().is_some_and(|h| h.contains("--force")),
            "{err}"
        );
        assert_eq!(read(&dir, FILE_NAME), edited);
        assert_eq!(read(&dir, "book.toml"), toml);
        let steps = install(dir.path(), true).expect("install --force");
        assert_eq!(steps[0].verb, "replaced");
        assert_eq!(read(&dir, FILE_NAME), stylesheet::installed());
    }

    #[test]
    fn a_stylesheet_install_did_not_write_is_not_replaced() {
        let dir = book(BOOK_TOML);
        fs::write(dir.path().join(FILE_NAME), "body { color: red; }\n").expect("write");
        let err = error(install(dir.path(), false));
        assert!(err.message.contains("not a stylesheet that"), "{err}");
        assert_eq!(read(&dir, "book.toml"), BOOK_TOML, "nothing was written");
    }

    #[test]
    fn an_older_versions_stylesheet_is_updated() {
        let dir = book(BOOK_TOML);
        fs::write(
            dir.path().join(FILE_NAME),
            stylesheet::stylesheet_of("0.0.1", ".old {}\n"),
        )
        .expect("old");
        let steps = install(dir.path(), false).expect("install");
        assert_eq!(steps[0].verb, "updated");
        assert!(
            steps[0].what.contains("from mdbook-compare 0.0.1's"),
            "{steps:?}"
        );
        assert_eq!(read(&dir, FILE_NAME), stylesheet::installed());
    }

    #[test]
    fn a_copy_listed_elsewhere_is_updated_where_it_is() {
        let dir = book("[output.html]\nadditional-css = [\"theme/compare.css\"]\n");
        fs::create_dir(dir.path().join("theme")).expect("theme folder");
        let old = stylesheet::stylesheet_of("0.0.1", ".old {}\n");
        fs::write(dir.path().join("theme/compare.css"), old).expect("old copy");
        install(dir.path(), false).expect("install");
        assert!(!dir.path().join(FILE_NAME).exists());
        assert_eq!(read(&dir, "theme/compare.css"), stylesheet::installed());
        assert!(!read(&dir, "book.toml").contains(FILE_NAME));
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_not_followed() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().expect("outside folder");
        let target = outside.path().join("target.css");
        fs::write(&target, "outside\n").expect("outside file");
        let dir = book(BOOK_TOML);
        symlink(&target, dir.path().join(FILE_NAME)).expect("link");
        let err = error(install(dir.path(), true));
        assert!(err.message.contains("symbolic link"), "{err}");
        assert_eq!(fs::read_to_string(&target).expect("read"), "outside\n");
        assert_eq!(read(&dir, "book.toml"), BOOK_TOML);

        let linked = tempfile::tempdir().expect("book folder");
        fs::write(outside.path().join("book.toml"), BOOK_TOML).expect("outside book.toml");
        symlink(
            outside.path().join("book.toml"),
            linked.path().join("book.toml"),
        )
        .expect("link");
        let err = error(install(linked.path(), false));
        assert!(
            err.message.contains("book.toml is a symbolic link"),
            "{err}"
        );
        assert_eq!(
            fs::read_to_string(outside.path().join("book.toml")).expect("read"),
            BOOK_TOML
        );
    }

    #[test]
    fn the_example_book_has_this_versions_stylesheet() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal");
        let installed = fs::read_to_string(example.join(FILE_NAME)).expect("the example's copy");
        assert!(
            installed == stylesheet::installed(),
            "examples/minimal/{FILE_NAME} is not theme/compare.css as this version installs \
             it; run `cargo run -- install examples/minimal` and commit the result"
        );
    }

    #[test]
    fn a_book_toml_with_crlf_line_endings_keeps_them() {
        let dir = book(&BOOK_TOML.replace('\n', "\r\n"));
        install(dir.path(), false).expect("install");
        let written = read(&dir, "book.toml");
        assert!(
            written.contains("[preprocessor.compare]\r\n"),
            "{written:?}"
        );
        assert_eq!(
            written.matches('\n').count(),
            written.matches("\r\n").count(),
            "{written:?}"
        );
        assert_eq!(written.replace("\r\n", "\n"), {
            let plain = book(BOOK_TOML);
            install(plain.path(), false).expect("install");
            read(&plain, "book.toml")
        });
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_book_toml_is_refused_and_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = book(BOOK_TOML);
        let path = dir.path().join("book.toml");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
        let err = error(install(dir.path(), false));
        let message = err.render(false);
        assert!(message.contains("read-only"), "{message}");
        assert!(message.contains("chmod u+w"), "{message}");
        assert_eq!(read(&dir, "book.toml"), BOOK_TOML);
        assert_eq!(files(&dir), ["book.toml"], "nothing else was written");
    }
}
