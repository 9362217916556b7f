//! What the browser tests need from the machine: the `mdbook` and `chromium` programs, and
//! books built with this package's preprocessor.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The programs the browser tests run.
pub(crate) struct Tools {
    /// mdBook's command-line program.
    pub(crate) mdbook: PathBuf,
    /// Debian's Chromium (`/usr/bin/chromium`).
    pub(crate) chromium: PathBuf,
}

/// Finds `mdbook` and `chromium`, or says why `test` cannot run.
///
/// On a developer's machine a missing program skips the test with a note on stderr (written
/// past the test harness's output capture, so it shows in a plain `cargo test`). Under
/// `CI=true` a missing program fails the test instead: CI must never pass by skipping.
pub(crate) fn tools_or_skip(test: &str) -> Option<Tools> {
    let mdbook = find_program("mdbook").or_else(|| {
        let home = std::env::var_os("HOME")?;
        let cargo_bin = Path::new(&home).join(".cargo/bin/mdbook");
        cargo_bin.is_file().then_some(cargo_bin)
    });
    let chromium = find_program("chromium");
    let missing: Vec<&str> = [
        mdbook
            .is_none()
            .then_some("`mdbook` (cargo install mdbook --version 0.5.4 --locked)"),
        chromium
            .is_none()
            .then_some("`chromium` (apt-get install chromium)"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() {
        return Some(Tools {
            mdbook: mdbook?,
            chromium: chromium?,
        });
    }
    let why = format!("not found on PATH: {}", missing.join(", "));
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{test}: {why}; CI=true requires the browser tests to run");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED browser test {test}: {why}");
    None
}

/// The first executable file called `name` in a directory of `PATH`.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|file| file.is_file())
}

/// Builds the book at `root` into `dest` with the `mdbook-compare` binary of this test build,
/// whatever command the book's `book.toml` names, and returns the HTML output directory.
pub(crate) fn build_book(mdbook: &Path, root: &Path, dest: &Path) -> Result<PathBuf> {
    let mut command = Command::new(mdbook);
    command
        .arg("build")
        .arg(root)
        .arg("--dest-dir")
        .arg(dest)
        // mdBook reads `MDBOOK_A__B__C` as the config key `a.b.c`.
        .env(
            "MDBOOK_PREPROCESSOR__COMPARE__COMMAND",
            env!("CARGO_BIN_EXE_mdbook-compare"),
        );
    // Setting a backend's command would add the backend, so only for a book that has it.
    let book: toml::Table = toml::from_str(&std::fs::read_to_string(root.join("book.toml"))?)?;
    if book
        .get("output")
        .and_then(|o| o.get("site-data"))
        .is_some()
    {
        command.env(
            "MDBOOK_OUTPUT__SITE_DATA__COMMAND",
            concat!(env!("CARGO_BIN_EXE_mdbook-compare"), " site-data"),
        );
    }
    let output = command
        .output()
        .with_context(|| format!("running {}", mdbook.display()))?;
    if !output.status.success() {
        bail!(
            "mdbook build {} failed ({}):\n{}",
            root.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // With several renderers mdBook writes each one's output to its own subdirectory.
    let html = [dest.join("html"), dest.to_path_buf()]
        .into_iter()
        .find(|d| d.join("index.html").is_file());
    html.with_context(|| format!("no index.html under {}", dest.display()))
}
