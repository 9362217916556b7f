//! Data comes from pull requests: raw HTML, event-handler attributes and `javascript:` links in
//! any String field of any dataset type must end up inert, in the HTML that readers load and in
//! the Markdown that other renderers get.
//!
//! The hostile dataset is built from the model's own types, so a field added to them does not
//! compile here until it carries a payload too. Two layers are tested:
//! - the renderers, on a dataset where every String is hostile (ids, URLs and dates included,
//!   which the dataset's checks would refuse before rendering);
//! - the real pipeline (mdBook with the test-built preprocessor, html and markdown backends), on
//!   the most hostile dataset the checks let through.

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use mdbook_compare::dataset::model::{
    Benchmark, CategoriesFile, Category, Dimension, Direction, Language, LanguagesFile, Metric,
    Provenance, QuickTake, QuickTakesFile, Source, Value,
};
use mdbook_compare::dataset::{Dataset, Entry};
use mdbook_compare::diagnostic::SourceFile;
use mdbook_compare::render::inline::InlineHtml;
use mdbook_compare::render::links::Repository;
use mdbook_compare::render::{self, Format, Matrix, View};
use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::html::push_html;
use mdbook_preprocessor::config::HtmlConfig;

/// Markup that runs script if it reaches the page as markup: tags, handlers, quotes that end
/// an attribute, a Markdown image with a script URL, and a blank line that starts an HTML block.
const MARKUP: &str = r#"<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)" onclick="alert(1)">a</a>"><svg onload=alert(1)>' onmouseover='alert(1)<iframe src="javascript:alert(1)"></iframe> ![i](javascript:alert(1)) | `x` </td><td onclick=alert(1)>

<div onclick="alert(1)">block</div>"#;

/// Markdown links to script URLs, plain and disguised.
const LINKS: &str = "[a](javascript:alert(1)) [b](JaVa\tScRiPt:alert(1)) [c](data:text/html,<script>alert(1)</script>) <javascript:alert(1)>";

/// The book's repository, so that tables carry "view data" and "suggest a change" links.
const REPOSITORY: &str = "https://example.com/book";

/// An http(s) URL (so the checks accept it: no whitespace) that tries to end its attribute.
const URL: &str = r#"https://example.com/"><script>alert(1)</script><img/src=x/onerror=alert(1)>"#;

/// How hostile the dataset is.
#[derive(Clone, Copy, PartialEq)]
enum Hostility {
    /// Every String is hostile.
    Everywhere,
    /// Only what the dataset's checks accept: valid ids and dates, http(s) URLs, no script
    /// links in Markdown fields.
    PastTheChecks,
}

/// Builds the hostile values for one level.
struct Payloads(Hostility);

impl Payloads {
    /// A text field. Past the checks it is one paragraph: they refuse block Markdown.
    fn text(&self) -> String {
        match self.0 {
            Hostility::Everywhere => format!("{MARKUP} {LINKS}"),
            Hostility::PastTheChecks => MARKUP.replace("\n\n", " "),
        }
    }

    /// A summary, which past the checks has at most 60 characters.
    fn summary(&self) -> String {
        match self.0 {
            Hostility::Everywhere => self.text(),
            Hostility::PastTheChecks => "<img src=x onerror=alert(1)>`|`".to_string(),
        }
    }

    /// A colour.
    fn colour(&self) -> String {
        match self.0 {
            Hostility::Everywhere => self.text(),
            Hostility::PastTheChecks => "#dea584".to_string(),
        }
    }

    /// An id, or a value that must name one (edge, pick, category).
    fn id(&self, valid: &str) -> String {
        match self.0 {
            Hostility::Everywhere => format!("{valid}{MARKUP}"),
            Hostility::PastTheChecks => valid.to_string(),
        }
    }

    /// A URL.
    fn url(&self) -> String {
        match self.0 {
            Hostility::Everywhere => "javascript:alert(1)".to_string(),
            Hostility::PastTheChecks => URL.to_string(),
        }
    }

    /// A date.
    fn date(&self) -> String {
        match self.0 {
            Hostility::Everywhere => self.text(),
            Hostility::PastTheChecks => "2026-01-15".to_string(),
        }
    }

    /// One entry per language, keyed by the languages' ids.
    fn per_language<T>(&self, value: impl Fn() -> T) -> BTreeMap<String, T> {
        ["rust", "go"]
            .into_iter()
            .map(|id| (self.id(id), value()))
            .collect()
    }

    fn sources(&self) -> Vec<Source> {
        vec![
            Source {
                title: self.text(),
                url: Some(self.url()),
            },
            Source {
                title: self.text(),
                url: None,
            },
        ]
    }

    fn languages(&self) -> LanguagesFile {
        let language = |id: &str| Language {
            id: self.id(id),
            name: self.text(),
            tagline: self.text(),
            homepage: self.url(),
            colour: Some(self.colour()),
        };
        LanguagesFile {
            language: vec![language("rust"), language("go")],
        }
    }

    fn categories(&self) -> CategoriesFile {
        CategoriesFile {
            category: vec![Category {
                id: self.id("core"),
                name: self.text(),
                description: self.text(),
            }],
        }
    }

    fn dimension(&self) -> Dimension {
        Dimension {
            title: self.text(),
            category: self.id("core"),
            edge: self.id("rust"),
            verdict: self.text(),
            takes: self.per_language(|| self.text()),
            summary: self.per_language(|| self.summary()),
            sources: self.sources(),
            as_of: self.date(),
        }
    }

    fn benchmark(&self) -> Benchmark {
        let metric = |id, direction| Metric {
            id: self.id(id),
            name: self.text(),
            unit: self.text(),
            direction,
            values: self.per_language(|| Value::from(2.0)),
            note: Some(self.text()),
        };
        Benchmark {
            title: self.text(),
            description: self.text(),
            limits: Some(self.text()),
            provenance: Provenance::Reproduced,
            setup: self.per_language(|| self.text()),
            environment: self.text(),
            reproduce: Some(self.text()),
            raw: None,
            sources: self.sources(),
            as_of: self.date(),
            headline: Some(self.id("more")),
            metrics: vec![
                metric("more", Direction::Higher),
                metric("less", Direction::Lower),
            ],
        }
    }

    fn quick_takes(&self) -> QuickTakesFile {
        QuickTakesFile {
            take: vec![QuickTake {
                situation: self.text(),
                pick: self.id("go"),
                reason: self.text(),
                dimension: Some(self.id("evil")),
                sources: self.sources(),
                as_of: self.date(),
            }],
        }
    }
}

/// The hostile dataset in memory, as the loader would return it (without its checks).
fn dataset(payloads: &Payloads) -> Dataset {
    Dataset {
        languages: payloads.languages().language,
        categories: payloads.categories().category,
        dimensions: vec![entry(payloads.id("evil"), payloads.dimension())],
        benchmarks: vec![entry(payloads.id("evil"), payloads.benchmark())],
        quick_takes: Some(entry("quick-takes".into(), payloads.quick_takes().take)),
        unreadable: Default::default(),
    }
}

/// A dataset entry whose file name is as hostile as its id (it ends up in "view data" links).
fn entry<T>(id: String, value: T) -> Entry<T> {
    Entry {
        file: SourceFile::new(format!("data/{id}.toml"), ""),
        id,
        value,
    }
}

/// Every view of the dataset, rendered in `format` with the repository links, as one chapter.
fn rendered_chapter(dataset: &Dataset, format: Format) -> String {
    let mut html = HtmlConfig::default();
    html.git_repository_url = Some(REPOSITORY.into());
    let repository = Repository::from_html_config(&html).expect("an http(s) repository");
    let dimension = &dataset.dimensions[0];
    let views = [
        View::Dimension(dimension),
        View::Matrix(Matrix {
            id: dimension.id.clone(),
            caption: dimension.value.title.clone(),
            rows: vec![dimension, dimension],
            scorecard: true,
        }),
        View::Benchmark(&dataset.benchmarks[0]),
        View::QuickTakes(dataset.quick_takes.as_ref().unwrap()),
    ];
    let mut inline_html = InlineHtml::default();
    views
        .iter()
        .map(|view| {
            render::render(
                view,
                dataset,
                format,
                Some(&repository),
                &mut inline_html,
                1,
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Markdown rendered to HTML the way mdBook does.
fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::new();
    push_html(
        &mut html,
        mdbook_markdown::new_cmark_parser(markdown, &MarkdownOptions::default()),
    );
    html
}

/// Tags that the renderers and mdBook's Markdown produce; any other tag got in from the data.
const TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "del",
    "desc",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "rect",
    "span",
    "strong",
    "svg",
    "table",
    "tbody",
    "td",
    "text",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "ul",
];

/// Attributes they produce (`aria-*` and `data-*` too).
const ATTRIBUTES: &[&str] = &[
    "class",
    "dominant-baseline",
    "height",
    "href",
    "id",
    "rel",
    "role",
    "rx",
    "scope",
    "target",
    "title",
    "viewbox",
    "width",
    "x",
    "y",
];

/// A start tag: its name and its attributes' names and values.
type StartTag = (String, Vec<(String, String)>);

/// Collects the start tags of an HTML text with HTML5's own tokenizer, as a browser reads them.
#[derive(Default)]
struct StartTags(RefCell<Vec<StartTag>>);

impl TokenSink for StartTags {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let attributes = tag
                .attrs
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            self.0.borrow_mut().push((tag.name.to_string(), attributes));
        }
        TokenSinkResult::Continue
    }
}

/// Every element that the data could have injected: a tag the renderers never write, an
/// attribute they never write (event handlers among them), or a link with a script URL.
fn injected(html: &str) -> Vec<String> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(StartTags::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let tags = tokenizer.sink.0.take();
    let mut problems = Vec::new();
    for (name, attributes) in tags {
        if !TAGS.contains(&name.as_str()) {
            problems.push(format!("<{name}> {attributes:?}"));
        }
        for (attribute, value) in attributes {
            let known = ATTRIBUTES.contains(&attribute.as_str())
                || attribute.starts_with("aria-")
                || attribute.starts_with("data-");
            if !known || attribute.starts_with("on") {
                problems.push(format!("<{name} {attribute}={value:?}>"));
            }
            let url: String = value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if ["javascript:", "data:", "vbscript:"]
                .iter()
                .any(|scheme| url.starts_with(scheme))
            {
                problems.push(format!("<{name} {attribute}={value:?}>"));
            }
        }
    }
    problems
}

/// Asserts that `html` holds nothing injected, and that the payloads are there as text.
fn assert_inert(html: &str, what: &str) {
    let problems = injected(html);
    assert!(
        problems.is_empty(),
        "{what}: {} injected:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{what}: the payload is not shown as text"
    );
}

#[test]
fn the_html_renderer_keeps_every_field_inert() {
    let dataset = dataset(&Payloads(Hostility::Everywhere));
    let chapter = rendered_chapter(&dataset, Format::Html);
    assert_inert(&markdown_to_html(&chapter), "html");
}

#[test]
fn the_markdown_renderer_keeps_every_field_inert() {
    let dataset = dataset(&Payloads(Hostility::Everywhere));
    let chapter = rendered_chapter(&dataset, Format::Markdown);
    assert_inert(&markdown_to_html(&chapter), "markdown rendered to html");
}

#[test]
fn the_checker_refuses_the_fully_hostile_dataset() {
    let book = hostile_book(Hostility::Everywhere);
    let out = common::check(book.path(), &[]);
    let report = common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(!report.contains("panicked"), "{report}");
    assert!(
        report.contains("error: `javascript:alert(1)` is not an http(s) URL"),
        "{report}"
    );
}

#[test]
fn a_book_built_by_mdbook_keeps_every_field_inert() {
    let Some(mdbook) = common::program_or_skip("mdbook", "cargo install mdbook --locked") else {
        return;
    };
    let book = hostile_book(Hostility::PastTheChecks);
    let built = common::mdbook_build(&mdbook, book.path(), &[]);
    let report = common::stderr(&built);
    assert!(built.status.success(), "{report}");
    assert!(
        report.contains("warning: raw HTML is shown as text"),
        "{report}"
    );
    let page = fs::read_to_string(book.path().join("book/html/chapter.html")).unwrap();
    let main = &page[page.find("<main>").unwrap()..page.find("</main>").unwrap()];
    assert_eq!(main.matches("<div class=\"cmp cmp-").count(), 5, "{main}");
    assert_inert(main, "html site");
    let markdown = fs::read_to_string(book.path().join("book/markdown/chapter.md")).unwrap();
    assert!(markdown.contains("**Quick takes"), "{markdown}");
    assert_inert(&markdown_to_html(&markdown), "markdown backend");
}

/// A book whose `data/` is the hostile dataset, with a chapter showing every view, built for
/// the html and markdown backends.
fn hostile_book(hostility: Hostility) -> tempfile::TempDir {
    let payloads = Payloads(hostility);
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: String| {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "book.toml",
        format!(
            "[book]\ntitle = \"Hostile data\"\n\n[preprocessor.compare]\ncommand = \"mdbook-compare\"\nstale-after-months = 600\n\n[output.html]\ngit-repository-url = \"{REPOSITORY}\"\n\n[output.markdown]\n"
        ),
    );
    write("src/SUMMARY.md", "- [Chapter](chapter.md)\n".into());
    write(
        "src/chapter.md",
        "# Chapter\n\n<<compare evil>>\n\n<<compare evil evil-too>>\n\n<<compare category=core>>\n\n<<benchmark evil>>\n\n<<quick-takes>>\n".into(),
    );
    write("data/languages.toml", toml(&payloads.languages()));
    write("data/categories.toml", toml(&payloads.categories()));
    write("data/dimensions/evil.toml", toml(&payloads.dimension()));
    write("data/dimensions/evil-too.toml", toml(&payloads.dimension()));
    write("data/benchmarks/evil.toml", toml(&payloads.benchmark()));
    write("data/quick-takes.toml", toml(&payloads.quick_takes()));
    dir
}

/// A dataset file's text.
fn toml(value: &impl serde::Serialize) -> String {
    toml::to_string(value).expect("the model serializes to TOML")
}
