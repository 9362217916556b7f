//! The writers: a [`View`](crate::view::View) as one line of HTML (mdBook's html renderer) or
//! as GitHub-flavoured Markdown (every other renderer). Each describes every table once, from
//! the view; neither looks at the dataset.
//!
//! Whatever they write is inert to any later preprocessor and to the browser: no `{` of data
//! text survives in HTML (it becomes `&#123;`), no `{{` in Markdown, no raw line break from
//! data, and links only to http(s) addresses, to the book's own chapters and to the files the site
//! publishes beside them (by a relative path that cannot be read as a scheme).

mod chart;
pub(crate) mod html;
mod inline;
pub(crate) mod markdown;
mod tone;

use std::collections::HashSet;

use crate::policy;
use crate::stylesheet;
use crate::view::{Chart, Target};

/// A view as written, in pieces: what a page always shows, and the explanations
/// ([`Block::Explanation`](crate::view::Block::Explanation)) that it shows only where they
/// first appear.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pieces {
    /// Each piece, with the words of the explanation it is, if it is one.
    pieces: Vec<(Option<String>, String)>,
    /// What stands between two pieces: nothing in HTML, a blank line in Markdown.
    separator: &'static str,
}

impl Pieces {
    fn new(separator: &'static str) -> Pieces {
        Pieces {
            pieces: Vec::new(),
            separator,
        }
    }

    /// Adds a piece, unless it is empty: `explanation` holds its words when it is one.
    fn push(&mut self, explanation: Option<String>, text: String) {
        if !text.is_empty() {
            self.pieces.push((explanation, text));
        }
    }

    /// Every piece, each explanation included.
    pub(crate) fn whole(&self) -> String {
        let texts: Vec<&str> = self.pieces.iter().map(|(_, text)| text.as_str()).collect();
        texts.join(self.separator)
    }
}

/// The explanations a page has said.
#[derive(Debug, Default)]
pub(crate) struct Said(HashSet<String>);

impl Said {
    /// `pieces` as this page shows them: without the explanations it has said already; the
    /// others are said from now on.
    pub(crate) fn show(&mut self, pieces: &Pieces) -> String {
        let texts: Vec<&str> = (pieces.pieces.iter())
            .filter(|(explanation, _)| match explanation {
                Some(words) => self.0.insert(words.clone()),
                None => true,
            })
            .map(|(_, text)| text.as_str())
            .collect();
        texts.join(pieces.separator)
    }
}

/// Whether `url` may be linked: one absolute http(s) URL with a host, and nothing else (the
/// URL policy), with a scheme the inline policy allows too.
fn linkable(url: &str) -> bool {
    policy::url::check(url).is_ok() && policy::inline::is_safe_url(url)
}

/// Where a chapter link points in `extension` (`html` or `md`): the chapter's path with its
/// `.md` replaced, `README.md` being the folder's `index.html` in HTML.
fn chapter_path(path: &str, extension: &str) -> String {
    let stem = path.strip_suffix(".md").unwrap_or(path);
    if let Some(folder) = stem.strip_suffix("README")
        && extension == "html"
        && (folder.is_empty() || folder.ends_with('/'))
    {
        return format!("{folder}index.html");
    }
    format!("{stem}.{extension}")
}

/// The address of `target`, unencoded, or `None` when it may not be linked. `figure_anchor`
/// turns a figure id into the fragment of its anchor (HTML), or gives none (Markdown).
fn address(
    target: &Target,
    extension: &str,
    figure_anchor: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    match target {
        Target::Url(url) => linkable(url).then(|| url.clone()),
        Target::Chapter { path, figure } => {
            let mut address = policy::url::relative_path(&chapter_path(path, extension));
            if let Some(fragment) = figure_anchor(figure) {
                address.push('#');
                address.push_str(&fragment);
            }
            Some(address)
        }
        Target::Page { path } => Some(policy::url::relative_path(&chapter_path(path, extension))),
        Target::File { path, fragment } => {
            let mut address = policy::url::relative_path(path);
            if let Some(fragment) = fragment {
                address.push('#');
                address.push_str(&policy::url::relative_path(fragment)[2..]);
            }
            Some(address)
        }
    }
}

/// The page of the chapter at `path` (relative to `src`) in the HTML site.
pub(crate) fn html_page(path: &str) -> String {
    chapter_path(path, "html")
}

/// `chart` as an SVG file of its own, styled as the site draws it, to download.
pub(crate) fn chart_file(chart: &Chart) -> String {
    chart::standalone(chart, stylesheet::STYLESHEET)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod policy_tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_with_a_host_are_linked() {
        for ok in ["https://go.dev/doc", "http://x.org", "https://a.b?q=1#f"] {
            assert!(linkable(ok), "{ok}");
        }
        for bad in [
            "https://x.org/\n\n[r]:javascript:alert(1)",
            "https:// ",
            "https:///etc/passwd",
            "javascript:alert(1)",
            "//x.org",
            "/relative",
            "ftp://x.org",
            "https://x.org/a b",
            "https://x.org/\u{7}",
            "https://user@x.org/",
            "https:\\\\x.org",
            "",
        ] {
            assert!(!linkable(bad), "{bad:?}");
        }
    }

    #[test]
    fn chapter_links_follow_the_renderer() {
        assert_eq!(chapter_path("../speed.md", "html"), "../speed.html");
        assert_eq!(chapter_path("../speed.md", "md"), "../speed.md");
        assert_eq!(chapter_path("README.md", "html"), "index.html");
        assert_eq!(chapter_path("guide/README.md", "html"), "guide/index.html");
        assert_eq!(chapter_path("NOTREADME.md", "html"), "NOTREADME.html");
        assert_eq!(chapter_path("README.md", "md"), "README.md");
    }
}
