//! Which pages of a built site to check: the first page showing each kind of directive output.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, anyhow, ensure};

/// A kind of directive output, recognised by a marker in the built HTML.
struct Kind {
    /// Names the page in reports and screenshot files.
    name: &'static str,
    /// Text that only a page showing this kind contains.
    marker: &'static str,
    /// Whether the site must have such a page.
    required: bool,
    /// Whether such a page must show at least one chart.
    has_chart: bool,
}

/// The kinds of output checked in every theme and width.
const KINDS: [Kind; 4] = [
    Kind {
        name: "dimension",
        marker: r#"class="cmp cmp-dimension""#,
        required: true,
        has_chart: false,
    },
    Kind {
        name: "matrix-all",
        marker: r#"class="cmp-table cmp-scorecard""#,
        required: true,
        has_chart: false,
    },
    Kind {
        name: "benchmark",
        marker: r#"class="cmp cmp-benchmark""#,
        required: true,
        has_chart: true,
    },
    Kind {
        name: "quick-takes",
        marker: r#"class="cmp cmp-quick-takes""#,
        required: false,
        has_chart: false,
    },
];

/// A page of the built site to check.
pub(crate) struct Page {
    /// Path of the HTML file relative to the site root, with `/` separators.
    pub(crate) path: String,
    /// The kinds of output found on it, joined by `+`; names its screenshots.
    pub(crate) label: String,
    /// Whether the page must show a chart.
    pub(crate) has_chart: bool,
}

/// Picks, for each kind of output, the first page of the site (in path order) showing it.
pub(crate) fn pages_to_check(site: &Path) -> Result<Vec<Page>> {
    let mut sources = BTreeMap::new();
    collect_html(site, site, &mut sources)?;
    let mut pages: Vec<Page> = Vec::new();
    for kind in &KINDS {
        let found = sources.iter().find(|(_, html)| html.contains(kind.marker));
        let Some((path, _)) = found else {
            ensure!(!kind.required, "no page of the site shows a {}", kind.name);
            continue;
        };
        match pages.iter_mut().find(|p| &p.path == path) {
            Some(page) => {
                page.label = format!("{}+{}", page.label, kind.name);
                page.has_chart |= kind.has_chart;
            }
            None => pages.push(Page {
                path: path.clone(),
                label: kind.name.to_owned(),
                has_chart: kind.has_chart,
            }),
        }
    }
    Ok(pages)
}

/// Reads every chapter page under `dir` into `into`, keyed by its path relative to `site`.
/// `print.html`, `toc.html` and `404.html` are left out: they repeat or frame the chapters.
fn collect_html(site: &Path, dir: &Path, into: &mut BTreeMap<String, String>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_html(site, &path, into)?;
            continue;
        }
        let relative = path
            .strip_prefix(site)?
            .to_string_lossy()
            .replace('\\', "/");
        let skip = ["print.html", "toc.html", "404.html"].contains(&relative.as_str());
        if relative.ends_with(".html") && !skip {
            into.insert(relative, std::fs::read_to_string(&path)?);
        }
    }
    Ok(())
}

/// The `file://` address of the page at `path` (relative, `/`-separated) in the built `site`.
pub(crate) fn file_url(site: &Path, path: &str) -> Result<String> {
    let file = site.join(path);
    let url = url::Url::from_file_path(&file)
        .map_err(|()| anyhow!("{} is not an absolute path", file.display()))?;
    Ok(url.into())
}
