//! Links from each table back to the book's repository: "view data" opens the table's TOML file,
//! "suggest a change" opens a new issue that names the table. Both exist only when `book.toml`
//! sets `git-repository-url` under `[output.html]`.

use mdbook_preprocessor::config::HtmlConfig;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::dataset::Entry;
use crate::dataset::model::{Benchmark, Dimension, QuickTake};
use crate::policy::inline::is_safe_url;

/// The branch a file is viewed on when `edit-url-template` does not say.
const DEFAULT_BRANCH: &str = "main";

/// Where the book's repository is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Repository {
    /// `git-repository-url`, without a trailing `/`.
    url: String,
    /// The address of a file, with `{path}` for its path from the book's root.
    file_template: String,
}

/// The two links of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Links {
    /// The table's data file on the repository.
    pub(crate) view: String,
    /// A new issue, its title and body filled in.
    pub(crate) suggest: String,
}

/// What a table shows, for the links' wording.
#[derive(Debug, Clone, Copy)]
struct Subject<'a> {
    /// "dimension", "benchmark" or "quick takes".
    kind: &'a str,
    /// The id, when the kind has several (a dimension's or benchmark's file name).
    id: Option<&'a str>,
    /// The data file's path from the book's root, e.g. `data/dimensions/tooling.toml`.
    file: &'a str,
}

impl<'a> Subject<'a> {
    /// A dataset item with an id of its own.
    fn of<T>(kind: &'a str, entry: &'a Entry<T>) -> Self {
        Subject {
            kind,
            id: Some(&entry.id),
            file: &entry.file.path,
        }
    }
}

impl Repository {
    /// The repository named by `[output.html]`: `git-repository-url`, and for file addresses
    /// `edit-url-template` when it is set, with its `/edit/` turned into `/blob/` so that the
    /// link shows the file rather than an editor; otherwise `{url}/blob/main/{path}`.
    /// `None` when no http(s) repository URL is set.
    pub(crate) fn from_html_config(html: &HtmlConfig) -> Option<Repository> {
        let url = html.git_repository_url.as_deref()?.trim_end_matches('/');
        if !is_safe_url(url) || url.is_empty() {
            return None;
        }
        let file_template = match html.edit_url_template.as_deref() {
            Some(template) if template.contains("{path}") && is_safe_url(template) => {
                template.replacen("/edit/", "/blob/", 1)
            }
            _ => format!("{url}/blob/{DEFAULT_BRANCH}/{{path}}"),
        };
        Some(Repository {
            url: url.to_string(),
            file_template,
        })
    }

    /// The address showing the file at `path`, from the book's root (e.g.
    /// `bench/results/http-json.json`).
    pub(crate) fn file(&self, path: &str) -> String {
        let path = path.trim_start_matches("./");
        self.file_template.replace("{path}", &encode(path, PATH))
    }

    /// The links of a dimension's table or matrix row.
    pub(crate) fn dimension(&self, entry: &Entry<Dimension>) -> Links {
        self.links(Subject::of("dimension", entry), Some(&entry.value.as_of))
    }

    /// The links of a benchmark.
    pub(crate) fn benchmark(&self, entry: &Entry<Benchmark>) -> Links {
        self.links(Subject::of("benchmark", entry), Some(&entry.value.as_of))
    }

    /// The links of the quick-takes table (one file, a date per take).
    pub(crate) fn quick_takes(&self, entry: &Entry<Vec<QuickTake>>) -> Links {
        let subject = Subject {
            kind: "quick takes",
            id: None,
            file: &entry.file.path,
        };
        self.links(subject, None)
    }

    /// The links of a table showing `subject`, checked `as_of` when it has one date.
    fn links(&self, subject: Subject<'_>, as_of: Option<&str>) -> Links {
        let file = subject.file.trim_start_matches("./");
        let named = match subject.id {
            Some(id) => format!("{} \"{id}\"", subject.kind),
            None => subject.kind.to_string(),
        };
        let title = format!("Suggested change: {named}");
        let checked = as_of.map_or_else(String::new, |date| format!(" (as of {date})"));
        let body = format!(
            "Data file: {file}{checked}\n\nWhat should change:\n\n\
             Source that supports it (a link, or a citation a reader can look up):\n"
        );
        Links {
            view: self.file(file),
            suggest: format!(
                "{}/issues/new?title={}&body={}",
                self.url,
                encode(&title, COMPONENT),
                encode(&body, COMPONENT)
            ),
        }
    }
}

/// What a query value keeps as it is: ASCII letters, digits and `-._~` (RFC 3986's unreserved).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a path keeps as it is: the same, and `/`.
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// `text` percent-encoded but for what `keep` leaves as it is.
fn encode(text: &str, keep: &'static AsciiSet) -> String {
    utf8_percent_encode(text, keep).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repository(url: Option<&str>, template: Option<&str>) -> Option<Repository> {
        let mut html = HtmlConfig::default();
        html.git_repository_url = url.map(String::from);
        html.edit_url_template = template.map(String::from);
        Repository::from_html_config(&html)
    }

    const TOOLING: Subject<'static> = Subject {
        kind: "dimension",
        id: Some("tooling"),
        file: "data/dimensions/tooling.toml",
    };

    #[test]
    fn no_url_no_links() {
        assert_eq!(repository(None, None), None);
        assert_eq!(repository(Some("javascript:alert(1)"), None), None);
    }

    #[test]
    fn links_to_the_file_on_main_and_a_prefilled_issue() {
        let links = repository(Some("https://github.com/o/r/"), None)
            .unwrap()
            .links(TOOLING, Some("2026-11-27"));
        assert_eq!(
            links.view,
            "https://github.com/o/r/blob/main/data/dimensions/tooling.toml"
        );
        assert_eq!(
            links.suggest,
            "https://github.com/o/r/issues/new?title=Suggested%20change%3A%20dimension%20%22tooling%22\
             &body=Data%20file%3A%20data%2Fdimensions%2Ftooling.toml%20%28as%20of%202026-11-27%29\
             %0A%0AWhat%20should%20change%3A%0A%0ASource%20that%20supports%20it%20%28a%20link%2C\
             %20or%20a%20citation%20a%20reader%20can%20look%20up%29%3A%0A"
        );
    }

    #[test]
    fn the_edit_url_template_gives_branch_and_folder() {
        let repo = repository(
            Some("https://github.com/o/r"),
            Some("https://github.com/o/r/edit/trunk/guide/{path}"),
        )
        .unwrap();
        let links = repo.links(TOOLING, None);
        assert_eq!(
            links.view,
            "https://github.com/o/r/blob/trunk/guide/data/dimensions/tooling.toml"
        );
    }

    #[test]
    fn odd_characters_are_encoded() {
        let repo = repository(Some("https://example.org/r"), None).unwrap();
        let subject = Subject {
            kind: "benchmark",
            id: Some("a b&c<\"é"),
            file: "./data/benchmarks/a b&c<\"é.toml",
        };
        let links = repo.links(subject, None);
        assert_eq!(
            links.view,
            "https://example.org/r/blob/main/data/benchmarks/a%20b%26c%3C%22%C3%A9.toml"
        );
        assert!(links.suggest.contains(
            "title=Suggested%20change%3A%20benchmark%20%22a%20b%26c%3C%22%C3%A9%22&body="
        ));
    }
}
