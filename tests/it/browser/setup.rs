//! What the browser tests need from the machine: the `mdbook`, `chromium` and `chromedriver`
//! programs, and books built with this package's preprocessor.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::common::program_or_skip;

/// The programs the browser tests run.
pub(crate) struct Tools {
    /// mdBook's command-line program.
    pub(crate) mdbook: PathBuf,
    /// Debian's Chromium (`/usr/bin/chromium`).
    pub(crate) chromium: PathBuf,
    /// Debian's ChromeDriver for it (`/usr/bin/chromedriver`, package `chromium-driver`).
    pub(crate) chromedriver: PathBuf,
}

/// Finds `mdbook`, `chromium` and `chromedriver`, or, after saying which is missing, `None`.
///
/// On a developer's machine a missing program skips the calling test with a note on stderr;
/// under `CI=true` it fails the test instead (see [`program_or_skip`]).
pub(crate) fn tools_or_skip() -> Option<Tools> {
    let install_mdbook = format!(
        "cargo install mdbook --version {} --locked",
        include_str!("../../../.ci/mdbook-version").trim()
    );
    // All three are looked for before giving up, so that a skip names every missing one.
    let mdbook = program_or_skip("mdbook", &install_mdbook);
    let chromium = program_or_skip("chromium", "apt-get install chromium");
    let chromedriver = program_or_skip("chromedriver", "apt-get install chromium-driver");
    Some(Tools {
        mdbook: mdbook?,
        chromium: chromium?,
        chromedriver: chromedriver?,
    })
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
