//! Browser tests: the built book in headless Chromium (Debian's `chromium`), in every mdBook
//! theme at a desktop and a phone width, and a hostile dataset that must not run script.
//!
//! Without `mdbook` or `chromium` on the machine the tests pass after printing that they were
//! skipped and why; with `CI=true` they fail instead. Screenshots go to `tests/screenshots/`.

/// The tests' helpers, in `tests/browser/`.
mod browser {
    pub(crate) mod cdp;
    pub(crate) mod injection;
    pub(crate) mod layout;
    pub(crate) mod pages;
    pub(crate) mod server;
    pub(crate) mod setup;
}

use std::path::Path;

use anyhow::Result;

use browser::cdp::Browser;
use browser::injection::{LINK_PAYLOAD, copy_without};
use browser::server::Server;
use browser::setup::{build_book, tools_or_skip};

/// This package's root, which is also the book's.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn site_reads_well_in_every_theme_and_width() -> Result<()> {
    let Some(tools) = tools_or_skip("site_reads_well_in_every_theme_and_width") else {
        return Ok(());
    };
    let dest = tempfile::tempdir()?;
    let site = build_book(&tools.mdbook, Path::new(ROOT), dest.path())?;
    let pages = browser::pages::pages_to_check(&site)?;
    let server = Server::start(site)?;
    let mut chromium = Browser::launch(&tools.chromium)?;
    let shots = Path::new(ROOT).join("tests/screenshots");
    let problems = browser::layout::check_site(&mut chromium, &server, &pages, &shots)?;
    assert_no_problems(&problems);
    Ok(())
}

#[test]
fn data_from_the_dataset_cannot_run_script() -> Result<()> {
    let Some(tools) = tools_or_skip("data_from_the_dataset_cannot_run_script") else {
        return Ok(());
    };
    let dest = tempfile::tempdir()?;
    let fixture = Path::new(ROOT).join("tests/fixtures/xss-book");
    let without_links = tempfile::tempdir()?;
    let site = match build_book(&tools.mdbook, &fixture, dest.path()) {
        Ok(site) => site,
        // The preprocessor may refuse the `javascript:` links outright. Then the same book
        // without them must build (so the links were the only reason) and still be inert.
        Err(_) => {
            copy_without(&fixture, without_links.path(), LINK_PAYLOAD)?;
            build_book(&tools.mdbook, without_links.path(), dest.path())?
        }
    };
    let server = Server::start(site)?;
    let mut chromium = Browser::launch(&tools.chromium)?;
    chromium.navigate(&server.url("evil.html"))?;
    let problems = browser::injection::check_injection(&mut chromium)?;
    assert_no_problems(&problems);
    Ok(())
}

/// Fails the test listing every problem found, one per line.
fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
