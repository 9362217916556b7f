//! The reader's check: on the pages a reader comes for, at a phone's and a laptop's width, in a
//! light and a dark theme, the answer is in view, every chart explains itself, every table that
//! scrolls can be scrolled from the keyboard, and axe-core finds nothing wrong with this
//! project's markup.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use super::driver::{Browser, ChromeDriver, DESKTOP, PHONE, Viewport};
use super::pages::file_url;

/// The pages a reader comes for, by their path in the built site and a name for screenshots:
/// the landing page, At a glance, the decision guide, a dimension chapter, the benchmark suite
/// and a page showing one benchmark.
pub(crate) const PAGES: [(&str, &str); 6] = [
    ("index.html", "landing"),
    ("at-a-glance.html", "glance"),
    ("decision-guide.html", "decision-guide"),
    ("performance.html", "dimension"),
    ("benchmark-suite.html", "benchmark-suite"),
    ("case-studies.html", "benchmark"),
];

/// A light and a dark theme.
const THEMES: [&str; 2] = ["light", "coal"];

/// axe-core's script, which `.ci/run` installs with npm under `.ci/node_modules`, or `None`
/// after saying that the accessibility check is skipped; under `CI=true` its absence fails.
pub(crate) fn axe_or_skip(root: &Path) -> Option<String> {
    let path = root.join(".ci/node_modules/axe-core/axe.min.js");
    if let Ok(script) = std::fs::read_to_string(&path) {
        return Some(script);
    }
    let why = format!(
        "{} is missing (npm install --prefix .ci axe-core@$(cat .ci/axe-core-version))",
        path.display()
    );
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{why}; CI=true requires the accessibility check to run");
    }
    eprintln!("SKIPPED the accessibility check: {why}");
    None
}

/// Loads every page of [`PAGES`] in each theme at a phone's and a laptop's width, saves a
/// screenshot of each as `read-LABEL-THEME-WIDTH.png` in `shots`, and returns the problems
/// found. `axe` is axe-core's script, run on every page.
pub(crate) async fn check_reading(
    driver: &ChromeDriver,
    chromium: &Path,
    site: &Path,
    axe: Option<&str>,
    shots: &Path,
) -> Result<Vec<String>> {
    std::fs::create_dir_all(shots)?;
    let mut problems = Vec::new();
    for viewport in [PHONE, DESKTOP] {
        let check =
            async |browser: &Browser| check_viewport(browser, viewport, site, axe, shots).await;
        problems.extend(driver.session(chromium, viewport, check).await?);
    }
    Ok(problems)
}

async fn check_viewport(
    browser: &Browser,
    viewport: Viewport,
    site: &Path,
    axe: Option<&str>,
    shots: &Path,
) -> Result<Vec<String>> {
    let width = viewport.width;
    let mut problems = Vec::new();
    for theme in THEMES {
        browser.navigate(&file_url(site, PAGES[0].0)?).await?;
        let set_theme = "localStorage.setItem('mdbook-theme', arguments[0])";
        browser.eval(set_theme, vec![theme.into()]).await?;
        for (path, label) in PAGES {
            let at = format!("{path} {theme} {width}px");
            browser
                .navigate(&file_url(site, path)?)
                .await
                .with_context(|| at.clone())?;
            if path == LANDING_PAGE {
                let found = browser.eval(LANDING, Vec::new()).await?;
                problems.extend(strings(&found).map(|p| format!("{at}: {p}")));
            }
            let found = browser.eval(MEASURE, Vec::new()).await?;
            problems.extend(strings(&found).map(|p| format!("{at}: {p}")));
            let links = browser.eval(EVIDENCE, Vec::new()).await?;
            problems.extend(unresolved(&links).map(|p| format!("{at}: {p}")));
            let violations = match axe {
                Some(axe) => browser
                    .eval(AXE, vec![axe.into()])
                    .await
                    .with_context(|| format!("axe-core on {at}"))?,
                None => Value::Null,
            };
            for v in violations.as_array().into_iter().flatten() {
                let line = format!("{at}: axe {}", v["text"].as_str().unwrap_or_default());
                if v["ours"] == true {
                    problems.push(line);
                } else {
                    // mdBook's own page: said, not failed.
                    eprintln!("not this project's markup: {line}");
                }
            }
            let file = shots.join(format!("read-{label}-{theme}-{width}.png"));
            browser.screenshot(&file, 6_000.0).await?;
        }
    }
    Ok(problems)
}

/// The problems with the evidence links [`EVIDENCE`] found: one not a link, or one whose file
/// is not in the built site.
fn unresolved(found: &Value) -> impl Iterator<Item = String> + '_ {
    found.as_array().into_iter().flatten().filter_map(|link| {
        let label = link["label"].as_str().unwrap_or_default();
        let Some(href) = link["href"].as_str() else {
            return Some(format!("\"{label}\" is not a link"));
        };
        let file = href.split('#').next().unwrap_or_default();
        let path = file.strip_prefix("file://").map(|path| {
            percent_encoding::percent_decode_str(path)
                .decode_utf8_lossy()
                .into_owned()
        });
        match path {
            Some(path) if Path::new(&path).is_file() => None,
            _ => Some(format!(
                "\"{label}\" links to {href}, not a file of the built site"
            )),
        }
    })
}

/// The strings of a JSON array.
fn strings(value: &Value) -> impl Iterator<Item = String> + '_ {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
}

/// The landing page, which [`LANDING`] checks too.
const LANDING_PAGE: &str = PAGES[0].0;

/// The landing page, as loaded: the verdict (each language's edges) comes before the
/// introduction's prose and ends within the first screen, and nothing is wider than the
/// viewport. Returns the problems as strings.
const LANDING: &str = r#"
const problems = [];
const verdict = document.querySelector('main .cmp-edges');
if (!verdict) return ['the landing page shows no verdict (a figure .cmp-edges)'];
const r = verdict.getBoundingClientRect();
if (r.height === 0 || r.bottom > innerHeight) {
  problems.push(`the verdict spans y = ${r.top}..${r.bottom}, not within the first ${innerHeight}px screen`);
}
const prose = [...document.querySelectorAll('main p')].find(p => !p.closest('.cmp'));
if (prose && prose.getBoundingClientRect().top < r.top) {
  problems.push('the introduction\'s prose comes before the verdict');
}
const wide = document.documentElement.scrollWidth;
if (wide > innerWidth) {
  problems.push(`the page is ${wide}px wide in a ${innerWidth}px viewport`);
}
return problems;
"#;

/// Measures the loaded page; returns its problems as strings.
const MEASURE: &str = r#"
const problems = [];
const width = innerWidth;
const box = e => e.getBoundingClientRect();
const visible = e => {
  const r = box(e);
  return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
};
const name = e => (e.closest('[id]') || e).id || e.className;
// An answer: a cell of an answer table (At a glance, the quick takes, a comparison) that holds
// only a badge (an edge, a pick).
const answerTables = ['glance', 'quick-takes', 'matrix', 'takes'].map(k => `table.cmp-${k} td`);
for (const cell of document.querySelectorAll(answerTables.join(', '))) {
  const only = cell.children.length === 1 && cell.firstElementChild.matches('.cmp-badge')
    && cell.textContent.trim() === cell.firstElementChild.textContent.trim();
  if (!only) continue;
  const r = box(cell.firstElementChild);
  if (r.left >= width || r.right > width + 0.5) {
    problems.push(`answer "${cell.textContent.trim()}" in ${name(cell)} spans x = ${r.left}..${r.right}, beyond the ${width}px viewport`);
  }
}
// A benchmark's results: each metric's name, its better language and its verdict.
for (const table of document.querySelectorAll('table.cmp-results')) {
  const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  const answers = ['Better', 'Verdict'].map(h => heads.indexOf(h)).filter(i => i > 0);
  for (const row of table.querySelectorAll('tbody tr')) {
    const cells = [row.cells[0], ...answers.map(i => row.cells[i])];
    for (const cell of cells.filter(c => c && visible(c))) {
      const r = box(cell);
      if (r.left >= width || r.right > width + 0.5) {
        problems.push(`result "${cell.textContent.trim().slice(0, 40)}" in ${name(cell)} spans x = ${r.left}..${r.right}, beyond the ${width}px viewport`);
      }
    }
  }
}
for (const svg of document.querySelectorAll('svg.cmp-chart')) {
  const where = name(svg);
  const caption = svg.closest('figure')?.querySelector('figcaption');
  if (!caption || !visible(caption) || caption.textContent.trim() === '') {
    problems.push(`chart in ${where} has no visible caption`);
  }
  const ticks = [...svg.querySelectorAll('.cmp-chart-axis')].filter(visible);
  const axisLabel = [...svg.querySelectorAll('.cmp-chart-axis-label')].filter(visible);
  if (ticks.length < 2 || axisLabel.length < 1) {
    problems.push(`chart in ${where} has ${ticks.length} tick labels and ${axisLabel.length} axis labels`);
  }
  if (svg.matches('[role="img"]') && svg.querySelector('a, [tabindex]')) {
    problems.push(`chart in ${where} is an image holding a link`);
  }
  const frame = box(svg);
  for (const text of svg.querySelectorAll('text')) {
    const r = box(text);
    if (r.left < frame.left - 0.5 || r.right > Math.min(frame.right, width) + 0.5) {
      problems.push(`chart in ${where} clips "${text.textContent}" (x = ${r.left}..${r.right}, chart ${frame.left}..${frame.right})`);
    }
  }
}
for (const wrapper of document.querySelectorAll('.cmp-scroll')) {
  // A folded table cannot be scrolled until it is unfolded.
  if (!wrapper.checkVisibility() || wrapper.scrollWidth <= wrapper.clientWidth) continue;
  const where = `${name(wrapper)} ("${wrapper.getAttribute('aria-label')}", ${wrapper.scrollWidth} > ${wrapper.clientWidth}px)`;
  if (wrapper.tabIndex !== 0 || wrapper.getAttribute('role') !== 'region'
      || !wrapper.getAttribute('aria-label')) {
    problems.push(`a table in ${where} scrolls but is no focusable, named region`);
  }
  const caption = wrapper.querySelector('caption');
  const hint = caption && getComputedStyle(caption, '::after').content;
  if (!hint || !hint.includes('Scroll')) {
    problems.push(`a table in ${where} scrolls without saying so`);
  }
}
// Each benchmark is a heading that mdBook's heading navigation lists.
const navigation = [...document.querySelectorAll('#mdbook-sidebar a.header-in-summary')]
  .map(a => a.getAttribute('href'));
for (const figure of document.querySelectorAll('.cmp-benchmark')) {
  const heading = figure.querySelector('h3.cmp-heading[id]');
  if (!heading || !navigation.includes('#' + heading.id)) {
    problems.push(`benchmark ${figure.id} is not in the page's heading navigation`);
  }
}
// A benchmark folds its setup, environment and sources under a summary in view; the page
// says how verdicts are reached once.
for (const figure of document.querySelectorAll('.cmp-benchmark')) {
  const details = figure.querySelector('details.cmp-details');
  const summary = details?.querySelector(':scope > summary');
  const body = details?.querySelector(':scope > :not(summary)');
  // Folded content keeps a layout (the browser only skips painting it): checkVisibility
  // knows it is not shown.
  if (!summary || !visible(summary) || details.open || !body || body.checkVisibility()) {
    problems.push(`benchmark ${figure.id} does not fold its setup under a visible summary`);
  }
}
const rules = [...document.querySelectorAll('.cmp strong')]
  .filter(s => s.textContent.trim() === 'Verdicts:').length;
if (rules > 1) {
  problems.push(`the page explains verdicts ${rules} times`);
}
// Every glance row, quick take and metric row has a permalink to itself; the first one marks
// the row it reaches (last: it scrolls the page).
const linked = ['glance', 'quick-takes', 'results'].map(k => `table.cmp-${k} tbody tr`);
for (const row of document.querySelectorAll(linked.join(', '))) {
  const link = row.cells[0]?.querySelector('a.cmp-permalink');
  if (!row.id || !link || link.getAttribute('href') !== '#' + row.id || !visible(link)) {
    problems.push(`row "${row.cells[0]?.textContent.trim().slice(0, 40)}" in ${name(row.parentElement)} has no permalink`);
  }
}
const permalink = document.querySelector('.cmp-table a.cmp-permalink');
if (permalink) {
  permalink.click();
  const row = document.querySelector(':target');
  if (!row || row.id !== permalink.hash.slice(1) || getComputedStyle(row).outlineStyle === 'none') {
    problems.push(`the permalink ${permalink.hash} does not mark its row`);
  }
  scrollTo(0, 0);
}
return problems;
"#;

/// Every "Source", "Raw runs" and "Rerun it" of a benchmark: `{ label, href }`, the `href`
/// resolved by the browser (`null` when the label has no link).
const EVIDENCE: &str = r#"
const labels = ['Source:', 'Raw runs:', 'Rerun it:'];
const found = [];
for (const strong of document.querySelectorAll('.cmp-benchmark strong')) {
  const label = strong.textContent.trim();
  if (!labels.includes(label)) continue;
  const links = [...strong.closest('p').querySelectorAll('a')].filter(a => !/^https?:/.test(a.href));
  if (links.length === 0) found.push({ label, href: null });
  for (const a of links) found.push({ label, href: a.href });
}
return found;
"#;

/// Runs axe-core (its script is `arguments[0]`) against WCAG 2.2 A and AA on the loaded page
/// (with `target-size`), and returns each violation as `{ text, ours }`: `ours` when one of its
/// elements is this project's output (inside a `.cmp`), or when it is one of the rules this
/// book's theme fixes in mdBook's own page (`theme/mdbook-chrome.*`): those fail wherever they
/// are.
const AXE: &str = r#"
if (!window.axe) {
  const script = document.createElement('script');
  script.textContent = arguments[0];
  document.head.appendChild(script);
}
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const fixedInChrome = ['aria-allowed-attr', 'aria-prohibited-attr', 'target-size'];
return axe.run(document, { runOnly: { type: 'tag', values: tags } }).then(result =>
  result.violations.flatMap(v => v.nodes.map(node => {
    const element = document.querySelector(node.target[0]);
    const ours = (!!element && !!element.closest('.cmp')) || fixedInChrome.includes(v.id);
    return { ours, text: `${v.id} (${v.impact}) at ${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ').slice(0, 300)}` };
  })));
"#;
