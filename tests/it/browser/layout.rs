//! The visual check: every page in every theme and viewport, measured and photographed.

use std::path::Path;

use anyhow::{Context, Result};

use super::driver::{Browser, ChromeDriver, DESKTOP, PHONE, Viewport};
use super::pages::{Page, file_url};

/// mdBook 0.5's themes, as the class its front end puts on `<html>`.
const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];

/// Full-page screenshots stop this many CSS pixels down.
const SCREENSHOT_MAX_HEIGHT: f64 = 12_000.0;

/// Loads every page of the built `site` in every theme and viewport, saves a screenshot of each
/// as `LABEL-THEME-WIDTH.png` in `shots`, and returns the problems found.
pub(crate) async fn check_site(
    driver: &ChromeDriver,
    chromium: &Path,
    site: &Path,
    pages: &[Page],
    shots: &Path,
) -> Result<Vec<String>> {
    std::fs::create_dir_all(shots)?;
    let mut problems = Vec::new();
    // One session a viewport: Chromium emulates a viewport for the whole session.
    for viewport in [DESKTOP, PHONE] {
        let check =
            async |browser: &Browser| check_viewport(browser, viewport, site, pages, shots).await;
        problems.extend(driver.session(chromium, viewport, check).await?);
    }
    Ok(problems)
}

/// Loads every page in every theme in `browser`, which emulates `viewport`.
async fn check_viewport(
    browser: &Browser,
    viewport: Viewport,
    site: &Path,
    pages: &[Page],
    shots: &Path,
) -> Result<Vec<String>> {
    let width = viewport.width;
    let mut problems = Vec::new();
    for theme in THEMES {
        // mdBook's front end reads the theme from localStorage, which every file:// page shares.
        browser.navigate(&file_url(site, &pages[0].path)?).await?;
        let set_theme = "localStorage.setItem('mdbook-theme', arguments[0])";
        browser.eval(set_theme, vec![theme.into()]).await?;
        for page in pages {
            let at = format!("{} ({}) {theme} {width}px", page.path, page.label);
            browser
                .navigate(&file_url(site, &page.path)?)
                .await
                .with_context(|| at.clone())?;
            let found = check_page(browser, page, theme, width).await?;
            problems.extend(found.into_iter().map(|p| format!("{at}: {p}")));
            let file = shots.join(format!("{}-{theme}-{width}.png", page.label));
            browser.screenshot(&file, SCREENSHOT_MAX_HEIGHT).await?;
        }
    }
    Ok(problems)
}

/// Measures the loaded page: theme, sizes and overflow of the comparison output.
const MEASURE: &str = r#"
const visible = e => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
};
const tables = [...document.querySelectorAll('table.cmp-table')];
const charts = [...document.querySelectorAll('svg.cmp-chart')];
return {
  classes: document.documentElement.className,
  innerWidth: innerWidth,
  scrollWidth: document.documentElement.scrollWidth,
  tables: tables.length,
  charts: charts.length,
  hidden: [...tables, ...charts].filter(e => !visible(e)).map(e => e.outerHTML.slice(0, 80)),
  overflowing: [...document.querySelectorAll('.cmp')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
    .map(e => `${e.id || e.className}: right edge at ${e.getBoundingClientRect().right}px`),
};
"#;

/// Checks the loaded page; returns what is wrong with it.
async fn check_page(
    browser: &Browser,
    page: &Page,
    theme: &str,
    width: u32,
) -> Result<Vec<String>> {
    let m = browser.eval(MEASURE, Vec::new()).await?;
    let number = |key: &str| m[key].as_f64().unwrap_or(f64::NAN);
    let mut problems = Vec::new();
    let classes = m["classes"].as_str().unwrap_or("");
    if !classes.split(' ').any(|c| c == theme) {
        problems.push(format!("theme not applied: <html class=\"{classes}\">"));
    }
    // A page too wide for a phone could also make Chromium zoom out to fit it.
    if number("innerWidth") != f64::from(width) {
        problems.push(format!(
            "viewport is {}px wide, not {width}px",
            number("innerWidth")
        ));
    }
    if number("scrollWidth") > number("innerWidth") {
        problems.push(format!(
            "page scrolls sideways: scrollWidth {}",
            number("scrollWidth")
        ));
    }
    if number("tables") < 1.0 {
        problems.push("no table.cmp-table".to_owned());
    }
    if page.has_chart && number("charts") < 1.0 {
        problems.push("no svg.cmp-chart".to_owned());
    }
    for key in ["hidden", "overflowing"] {
        for item in m[key].as_array().into_iter().flatten() {
            problems.push(format!("{key}: {}", item.as_str().unwrap_or_default()));
        }
    }
    let errors = browser.take_errors().await?;
    problems.extend(errors.into_iter().map(|e| format!("console: {e}")));
    Ok(problems)
}
