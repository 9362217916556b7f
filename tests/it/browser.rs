//! Browser tests: the built book in headless Chromium (Debian's `chromium`), in every mdBook
//! theme at a desktop and a phone width, and a hostile dataset that must not run script.
//!
//! They drive Chromium over WebDriver, with the fantoccini client and Debian's `chromedriver`
//! (package `chromium-driver`), which each test starts on a free port of its own. Without
//! `mdbook`, `chromium` or `chromedriver` on the machine the tests pass after printing that they
//! were skipped and why; with `CI=true` they fail instead. Screenshots go to
//! `tests/screenshots/`.
//!
//! The pages are loaded from `file://` addresses, with no HTTP server: an mdBook site is
//! static files made to work that way. Checked in headless Chromium 156, a page loaded from a
//! file has its theme from localStorage (which every `file://` page shares, as every page of
//! one server does), its web fonts, its JavaScript and search (mdBook loads its search index as
//! a script, not with `fetch`), and no console error: the measurements and the injection check
//! see the same page a server would have sent. A missing file is logged as an error as a
//! missing URL would be.

#![cfg(unix)] // ChromeDriver runs in a process group of its own, to end its Chromium with it.

// The tests' helpers, in `tests/it/browser/`.
mod driver;
mod injection;
mod layout;
mod pages;
mod reading;
mod setup;

use std::path::Path;

use anyhow::{Result, ensure};

use driver::{Browser, ChromeDriver, DESKTOP};
use injection::{LINK_PAYLOAD, copy_without};
use pages::file_url;
use setup::{build_book, tools_or_skip};

/// This package's root, which is also the book's.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[tokio::test]
async fn site_reads_well_in_every_theme_and_width() -> Result<()> {
    let Some(tools) = tools_or_skip() else {
        return Ok(());
    };
    let dest = tempfile::tempdir()?;
    let site = build_book(&tools.mdbook, Path::new(ROOT), dest.path())?;
    let pages = pages::pages_to_check(&site)?;
    let driver = ChromeDriver::start(&tools.chromedriver)?;
    let shots = Path::new(ROOT).join("tests/screenshots");
    let problems = layout::check_site(&driver, &tools.chromium, &site, &pages, &shots).await?;
    assert_no_problems(&problems);
    Ok(())
}

/// The pages a reader comes for, at a phone's and a laptop's width, in a light and a dark
/// theme: the answer in view, charts that explain themselves, scrolling tables the keyboard
/// reaches, no axe-core violation in this project's markup, and every "Source", "Raw runs" and
/// "Rerun it" of a benchmark a link to a file of the built site.
#[tokio::test]
async fn answers_charts_and_markup_read_on_every_screen() -> Result<()> {
    let Some(tools) = tools_or_skip() else {
        return Ok(());
    };
    let axe = reading::axe_or_skip(Path::new(ROOT));
    let dest = tempfile::tempdir()?;
    let site = build_book(&tools.mdbook, Path::new(ROOT), dest.path())?;
    let driver = ChromeDriver::start(&tools.chromedriver)?;
    let shots = Path::new(ROOT).join("tests/screenshots");
    let problems =
        reading::check_reading(&driver, &tools.chromium, &site, axe.as_deref(), &shots).await?;
    assert_no_problems(&problems);
    Ok(())
}

#[tokio::test]
async fn data_from_the_dataset_cannot_run_script() -> Result<()> {
    let Some(tools) = tools_or_skip() else {
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
    let driver = ChromeDriver::start(&tools.chromedriver)?;
    let inspect = async |browser: &Browser| {
        browser.navigate(&file_url(&site, "evil.html")?).await?;
        injection::check_injection(browser).await
    };
    let problems = driver.session(&tools.chromium, DESKTOP, inspect).await?;
    assert_no_problems(&problems);
    Ok(())
}

/// The check for console errors can fail: a page that logs an error, throws one and misses a
/// stylesheet is reported three times, its warning not at all, and the next page starts clean.
#[tokio::test]
async fn console_errors_are_reported() -> Result<()> {
    let Some(tools) = tools_or_skip() else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("broken.html"),
        r#"<!doctype html><title>broken</title><link rel="stylesheet" href="missing.css">
<script>console.warn("only a warning"); console.error("logged on purpose");</script>
<script>throw new Error("thrown on purpose");</script>"#,
    )?;
    std::fs::write(
        dir.path().join("clean.html"),
        "<!doctype html><title>clean</title>",
    )?;
    let driver = ChromeDriver::start(&tools.chromedriver)?;
    let check = async |browser: &Browser| {
        browser
            .navigate(&file_url(dir.path(), "broken.html")?)
            .await?;
        let broken = browser.take_errors().await?;
        browser
            .navigate(&file_url(dir.path(), "clean.html")?)
            .await?;
        let clean = browser.take_errors().await?;
        Ok((broken, clean))
    };
    let (broken, clean) = driver.session(&tools.chromium, DESKTOP, check).await?;
    let all = broken.join("\n");
    for expected in ["logged on purpose", "thrown on purpose", "missing.css"] {
        ensure!(
            all.contains(expected),
            "{expected:?} not reported in:\n{all}"
        );
    }
    ensure!(broken.len() == 3, "not three errors:\n{all}");
    ensure!(clean.is_empty(), "errors on a clean page: {clean:?}");
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
