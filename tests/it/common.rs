//! Helpers shared by the integration tests: [`Book`], the harness of every test that builds a
//! book (through mdBook with the test-built preprocessor, in process or as a command), checks
//! it or feeds the preprocessor mdBook's JSON directly, and the programs the tests run.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use mdbook_driver::MDBook;
use mdbook_driver::config::Config;
use mdbook_preprocessor::PreprocessorContext;

/// The preprocessor binary cargo built for this test run.
pub(crate) const BINARY: &str = env!("CARGO_BIN_EXE_mdbook-compare");

/// The repository root (where the real book lives).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture book under `tests/fixtures/`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Copies a folder recursively into a fresh temporary folder and returns it.
pub(crate) fn copy_to_temp(source: &Path) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("create a temporary folder");
    copy_dir(source, temp.path());
    temp
}

/// Copies `from` into `to` recursively, skipping build output.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            if entry.file_name() != "book" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The book's configuration with the preprocessor command (and the `site-data` backend's, when
/// the book has one) pointed at the test-built binary.
fn config_for(root: &Path, build_dir: &Path) -> Config {
    let mut config = Config::from_disk(root.join("book.toml")).expect("read book.toml");
    config
        .set("preprocessor.compare.command", BINARY)
        .expect("set the preprocessor command");
    if matches!(config.get::<toml::Value>("output.site-data"), Ok(Some(_))) {
        config
            .set("output.site-data.command", format!("{BINARY} site-data"))
            .expect("set the site-data command");
    }
    config
        .set("build.build-dir", build_dir.to_string_lossy().as_ref())
        .expect("set the build folder");
    config
}

/// Builds the book at `root` through mdBook into `build_dir`, with the preprocessor in process
/// (as mdBook's own test suite runs preprocessors). A failed build returns mdBook's error
/// chain, which holds every diagnostic of the run.
pub(crate) fn build(root: &Path, build_dir: &Path) -> Result<(), String> {
    let mut book = MDBook::load_with_config(root, config_for(root, build_dir))
        .map_err(|e| format!("{e:#}"))?;
    book.with_preprocessor(mdbook_compare::Compare::new());
    book.build().map_err(|e| format!("{e:#}"))
}

/// Builds the book at `root` through mdBook into `build_dir`, running the test-built binary as
/// mdBook runs a preprocessor command: the book goes through JSON both ways.
pub(crate) fn build_with_binary(root: &Path, build_dir: &Path) -> Result<(), String> {
    let book = MDBook::load_with_config(root, config_for(root, build_dir))
        .map_err(|e| format!("{e:#}"))?;
    book.build().map_err(|e| format!("{e:#}"))
}

/// `tests/bad-inputs/`: the base book of the bad-input tests and the cases laid over it.
pub(crate) fn cases_dir() -> PathBuf {
    repo_root().join("tests/bad-inputs")
}

/// A book in a temporary folder, the one harness of the tests that build books: made from a
/// fixture, a bad-input case or any folder, with files written over it; built through mdBook
/// with the test-built preprocessor into its `book/` folder, checked, or preprocessed, and its
/// outputs read back.
pub(crate) struct Book {
    dir: tempfile::TempDir,
}

impl Book {
    /// A bad-input case: the base book `tests/bad-inputs/_base/` with the files of
    /// `tests/bad-inputs/<overlay>/` laid over it (`""` for none).
    pub(crate) fn case(overlay: &str) -> Book {
        let book = Book::copy(&cases_dir().join("_base"));
        if !overlay.is_empty() {
            let files = cases_dir().join(overlay);
            assert!(files.is_dir(), "no case folder {}", files.display());
            copy_dir(&files, book.root());
        }
        book
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub(crate) fn fixture(name: &str) -> Book {
        Book::copy(&fixture(name))
    }

    /// An empty folder, for a book written file by file.
    pub(crate) fn empty() -> Book {
        Book {
            dir: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    /// A copy of the book in `folder` (its build output left out).
    pub(crate) fn copy(folder: &Path) -> Book {
        Book {
            dir: copy_to_temp(folder),
        }
    }

    /// The book's root folder.
    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` to `path` in the book, creating folders.
    pub(crate) fn write(&self, path: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().expect("a file in a folder")).expect("create folder");
        fs::write(path, bytes).expect("write file");
        self
    }

    /// The book's file at `path` with `from` replaced by `to`, written back.
    pub(crate) fn edit(&self, path: &str, from: &str, to: &str) -> &Self {
        let text = fs::read_to_string(self.root().join(path)).expect("read file");
        assert!(text.contains(from), "no `{from}` in {path}");
        self.write(path, text.replacen(from, to, 1))
    }

    /// Appends `text` to the book's `book.toml`.
    pub(crate) fn configure(&self, text: &str) -> &Self {
        let path = self.root().join("book.toml");
        let mut toml = fs::read_to_string(&path).expect("read book.toml");
        toml.push_str(text);
        fs::write(path, toml).expect("write book.toml");
        self
    }

    /// The build folder, `book/` in the book.
    pub(crate) fn build_dir(&self) -> PathBuf {
        self.root().join("book")
    }

    /// Builds the book in process (see [`build`]).
    pub(crate) fn build(&self) -> Result<(), String> {
        build(self.root(), &self.build_dir())
    }

    /// Builds the book with the binary as mdBook's preprocessor command (see
    /// [`build_with_binary`]).
    pub(crate) fn build_with_binary(&self) -> Result<(), String> {
        build_with_binary(self.root(), &self.build_dir())
    }

    /// A page of the html site of the last build.
    pub(crate) fn page(&self, name: &str) -> String {
        page(&self.build_dir(), name)
    }

    /// The `<main>` of a page of the html site: the chapter, without mdBook's navigation.
    pub(crate) fn main(&self, name: &str) -> String {
        let page = self.page(name);
        let start = page.find("<main>").expect("a <main>");
        let end = page.find("</main>").expect("a </main>");
        page[start..end + "</main>".len()].to_string()
    }

    /// A chapter as the markdown backend wrote it in the last build.
    pub(crate) fn markdown(&self, name: &str) -> String {
        let path = self.build_dir().join("markdown").join(name);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Runs `mdbook-compare check` on the book.
    pub(crate) fn check(&self) -> Output {
        check(self.root(), &[])
    }

    /// Runs the binary as mdBook runs a preprocessor for `renderer` (see [`run_preprocessor`]).
    pub(crate) fn preprocess(&self, renderer: &str) -> Output {
        run_preprocessor(self.root(), renderer)
    }
}

/// Markdown rendered to HTML as mdBook renders it (default options).
pub(crate) fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::new();
    mdbook_markdown::pulldown_cmark::html::push_html(
        &mut html,
        mdbook_markdown::new_cmark_parser(markdown, &mdbook_markdown::MarkdownOptions::default()),
    );
    html
}

/// The html site in a build folder: `html/` when the book has several backends.
pub(crate) fn site(build_dir: &Path) -> PathBuf {
    let html = build_dir.join("html");
    if html.is_dir() {
        html
    } else {
        build_dir.to_path_buf()
    }
}

/// Reads a built page.
pub(crate) fn page(build_dir: &Path, name: &str) -> String {
    fs::read_to_string(site(build_dir).join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
}

/// Runs the preprocessor on the book at `root` for `renderer`, as mdBook would: the
/// `[context, book]` JSON on stdin. Returns the process output.
pub(crate) fn run_preprocessor(root: &Path, renderer: &str) -> Output {
    pipe(&preprocessor_input(root, renderer), &[])
}

/// The `[context, book]` JSON that mdBook sends a preprocessor for the book at `root`.
pub(crate) fn preprocessor_input(root: &Path, renderer: &str) -> Vec<u8> {
    let config = Config::from_disk(root.join("book.toml")).expect("read book.toml");
    let book = MDBook::load_with_config(root, config.clone()).expect("load the book");
    let ctx = PreprocessorContext::new(root.to_path_buf(), config, renderer.to_string());
    serde_json::to_vec(&(&ctx, &book.book)).expect("serialize the input")
}

/// Runs the binary with `args`, feeding `input` on stdin.
pub(crate) fn pipe(input: &[u8], args: &[&str]) -> Output {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start mdbook-compare");
    let mut stdin = child.stdin.take().expect("stdin");
    // A preprocessor that fails early may close stdin before reading it all.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("wait for mdbook-compare")
}

/// Runs `mdbook-compare check` on a book.
pub(crate) fn check(root: &Path, extra: &[&str]) -> Output {
    Command::new(BINARY)
        .arg("check")
        .arg(root)
        .args(extra)
        .output()
        .expect("run mdbook-compare check")
}

/// Runs the real `mdbook build` in `root` with the test-built preprocessor (through mdBook's
/// environment override `MDBOOK_PREPROCESSOR__COMPARE__COMMAND`) and `env`, capturing its output.
pub(crate) fn mdbook_build(mdbook: &Path, root: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(mdbook)
        .arg("build")
        .current_dir(root)
        .env("MDBOOK_PREPROCESSOR__COMPARE__COMMAND", BINARY)
        .envs(env.iter().copied())
        .output()
        .expect("run mdbook build")
}

/// The text of a process's stderr.
pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The program `name` from `PATH` or `~/.cargo/bin`, or `None` after explaining that the calling
/// test is skipped. Under `CI=true` a missing program fails the test instead: CI must never pass
/// by skipping. `install` tells how to get the program.
pub(crate) fn program_or_skip(name: &str, install: &str) -> Option<PathBuf> {
    if let Some(found) = find(name) {
        return Some(found);
    }
    let why = format!("`{name}` is not installed ({install})");
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{why}; CI=true requires this test to run");
    }
    // Straight to stderr, past the test harness's capture, so that a plain `cargo test` shows it.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
    None
}

/// The first executable file called `name` in `PATH`, then in `~/.cargo/bin`.
pub(crate) fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let cargo_bin = std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo/bin"));
    std::env::split_paths(&path)
        .chain(cargo_bin)
        .map(|dir| dir.join(name))
        .find(|file| file.is_file())
}
