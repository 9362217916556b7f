//! Data comes from pull requests: raw HTML, event-handler attributes and `javascript:` links in
//! any String field of any dataset type must end up inert, in the HTML that readers load and in
//! the Markdown that other renderers get.
//!
//! The hostile dataset is written here, file by file; a test compares it with the data files'
//! JSON Schemas (generated from the model's types), so a field added to the model fails here
//! until it carries a payload too. Books are built through mdBook (html and markdown backends)
//! on the most hostile dataset the checks let through; the checker must refuse a dataset where
//! ids, URLs and dates are hostile too.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fs;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::common::{self, Book, markdown_to_html};

/// Markup that runs script if it reaches the page as markup: tags, handlers, quotes that end
/// an attribute, a Markdown image with a script URL, and a blank line that starts an HTML block.
const MARKUP: &str = r#"<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)" onclick="alert(1)">a</a>"><svg onload=alert(1)>' onmouseover='alert(1)<iframe src="javascript:alert(1)"></iframe> ![i](javascript:alert(1)) | `x` </td><td onclick=alert(1)>

<div onclick="alert(1)">block</div>"#;

/// mdBook's own syntax, which its `links` preprocessor expands wherever it finds it in a chapter:
/// a file of the book, a file outside it, and a page title. The checks refuse it as written.
const MDBOOK_SYNTAX: &str = "{{#include secret.txt}} {{#include /etc/passwd}} {{#playground secret.txt}} {{#rustdoc_include secret.txt}} {{#title Pwned}}";

/// The same, escaped as inline Markdown (`\{`), which the checks let through: the text shows
/// `{{#include ...}}`, and must reach the page as text, not as a link for mdBook to follow.
const MDBOOK_SYNTAX_ESCAPED: &str = r"\{\{#include secret.txt}} \{\{#include /etc/passwd}} \{\{#playground secret.txt}} \{\{#rustdoc_include secret.txt}} \{\{#title Pwned}}";

/// The content of `src/secret.txt` in the hostile books: it must never reach a page.
const SECRET: &str = "SECRET-7f3a9c";

/// Markdown links to script URLs, plain and disguised.
const LINKS: &str = "[a](javascript:alert(1)) [b](JaVa\tScRiPt:alert(1)) [c](data:text/html,<script>alert(1)</script>) <javascript:alert(1)>";

/// The book's repository, so that tables carry "view data" and "suggest a change" links.
const REPOSITORY: &str = "https://example.com/book";

/// An http(s) URL without whitespace (so the checks accept it) that tries to end its attribute.
const URL: &str = r#"https://example.com/"><script>alert(1)</script><img/src=x/onerror=alert(1)>"#;

/// Markup and mdBook syntax in the 60 characters a summary may hold.
const SHORT: &str = r"<b onclick=alert(1)>x</b> \{\{#include secret.txt}}";

/// How hostile the dataset is.
#[derive(Clone, Copy, PartialEq)]
enum Hostility {
    /// Every string is hostile.
    Everywhere,
    /// Only what the dataset's checks accept: valid ids and dates, http(s) URLs, no script
    /// links in Markdown fields.
    PastTheChecks,
}

/// `text` as a TOML string.
fn q(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The hostile values for one level, as TOML.
struct Payloads(Hostility);

impl Payloads {
    /// A text field.
    fn text(&self) -> String {
        q(&match self.0 {
            Hostility::Everywhere => format!("{MARKUP} {LINKS} {MDBOOK_SYNTAX}"),
            // One paragraph: the checks refuse block Markdown in a one-line text.
            Hostility::PastTheChecks => {
                format!("{} {MDBOOK_SYNTAX_ESCAPED}", MARKUP.replace("\n\n", " "))
            }
        })
    }

    /// A summary: a few words.
    fn short(&self) -> String {
        q(&match self.0 {
            Hostility::Everywhere => format!("{MARKUP} {MDBOOK_SYNTAX}"),
            Hostility::PastTheChecks => SHORT.to_string(),
        })
    }

    /// An id, or a value that must name one (edge, pick, category).
    fn id(&self, valid: &str) -> String {
        q(&match self.0 {
            Hostility::Everywhere => format!("{valid}{MARKUP}"),
            Hostility::PastTheChecks => valid.to_string(),
        })
    }

    /// A URL.
    fn url(&self) -> String {
        q(match self.0 {
            Hostility::Everywhere => "javascript:alert(1)",
            Hostility::PastTheChecks => URL,
        })
    }

    /// A path in the book.
    fn path(&self, valid: &str) -> String {
        q(&match self.0 {
            Hostility::Everywhere => format!("../../{valid}{MARKUP}"),
            Hostility::PastTheChecks => valid.to_string(),
        })
    }

    /// A date.
    fn date(&self) -> String {
        match self.0 {
            Hostility::Everywhere => self.text(),
            Hostility::PastTheChecks => q("2026-01-15"),
        }
    }

    /// A table of one entry per language.
    fn per_language(&self, table: &str, value: &str) -> String {
        let rust = self.id("rust");
        let go = self.id("go");
        format!("[{table}]\n{rust} = {value}\n{go} = {value}\n")
    }

    /// Two sources, one with a URL, as the array of tables `key`.
    fn sources(&self, key: &str) -> String {
        let (text, url) = (self.text(), self.url());
        format!("[[{key}]]\ntitle = {text}\nurl = {url}\n\n[[{key}]]\ntitle = {text}\n")
    }

    fn languages(&self) -> String {
        let (text, url) = (self.text(), self.url());
        ["rust", "go"]
            .map(|id| {
                let id = self.id(id);
                format!(
                    "[[language]]\nid = {id}\nname = {text}\ntagline = {text}\nhomepage = {url}\n\
                     colour = \"#b7410e\"\n"
                )
            })
            .join("\n")
    }

    fn categories(&self) -> String {
        let text = self.text();
        let id = self.id("core");
        format!("[[category]]\nid = {id}\nname = {text}\ndescription = {text}\n")
    }

    fn dimension(&self) -> String {
        let text = self.text();
        format!(
            "title = {text}\ncategory = {}\nedge = {}\nverdict = {text}\nas_of = {}\nchanged = {}\n\n{}\n{}\n{}",
            self.id("core"),
            self.id("rust"),
            self.date(),
            self.date(),
            self.per_language("takes", &text),
            self.per_language("summary", &self.short()),
            self.sources("sources"),
        )
    }

    fn benchmark(&self) -> String {
        let text = self.text();
        let metric = |id: &str, direction: &str, value: &str| {
            format!(
                "[[metrics]]\nid = {}\nname = {text}\nunit = {text}\ndirection = \"{direction}\"\n\
                 note = {text}\nquantity = {text}\ndescriptive = {text}\n[metrics.band]\nwidth = 0.0\nreason = {text}\n{}\
                 [[metrics.intervals]]\nof = {}\nover = {}\nratio = 1.0\nlow = 1.0\nhigh = 1.0\n\
                 method = \"exact\"\n",
                self.id(id),
                self.per_language("metrics.values", value),
                self.id("rust"),
                self.id("go"),
            )
        };
        format!(
            "title = {text}\ndescription = {text}\nprovenance = \"reproduced\"\nenvironment = {text}\n\
             reproduce = {text}\nlimits = {text}\nheadline = {}\nraw = {}\nas_of = {}\nchanged = {}\nprovisional = true\n\
             machine = {}\n\n{}\n{}\n{}\n{}\n{}",
            self.id("first"),
            self.path("bench/results/evil.txt"),
            self.date(),
            self.date(),
            self.id("reference"),
            self.per_language("setup", &text),
            self.sources("sources"),
            metric("first", "higher", "2.0"),
            metric(
                "second",
                "lower",
                "{ median = 2.0, min = 1.5, max = 2.5, runs = 3 }"
            ),
            self.machines(),
        )
    }

    /// The reference machine and one other, with its figures of the first metric.
    fn machines(&self) -> String {
        let text = self.text();
        let machine = |name: &str| {
            format!(
                "[[machines]]\nname = {}\ncpu = {text}\ncores = 4\narchitecture = {text}\n\
                 memory_gib = 16.0\nenvironment = {text}\ncommit = {text}\nas_of = {}\nraw = {}\n\
                 provisional = true\n",
                self.id(name),
                self.date(),
                self.path("bench/results/evil.txt"),
            )
        };
        format!(
            "{}\n{}[[machines.metrics]]\nid = {}\n{}[[machines.metrics.intervals]]\nof = {}\n\
             over = {}\nratio = 1.0\nlow = 1.0\nhigh = 1.0\nmethod = \"exact\"\n",
            machine("reference"),
            machine("other"),
            self.id("first"),
            self.per_language("machines.metrics.values", "2.0"),
            self.id("rust"),
            self.id("go"),
        )
    }

    fn quick_takes(&self) -> String {
        let text = self.text();
        format!(
            "[[take]]\nsituation = {text}\npick = {}\nreason = {text}\ndimension = {}\nas_of = {}\nchanged = {}\n\n{}",
            self.id("go"),
            self.id("evil"),
            self.date(),
            self.date(),
            self.sources("take.sources"),
        )
    }
}

/// Every key of a TOML document, at any depth.
fn toml_keys(value: &toml::Value, keys: &mut BTreeSet<String>) {
    match value {
        toml::Value::Table(table) => {
            for (key, value) in table {
                keys.insert(key.clone());
                toml_keys(value, keys);
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|item| toml_keys(item, keys)),
        _ => {}
    }
}

/// Every property name of a JSON Schema, at any depth, definitions included.
fn schema_properties(value: &serde_json::Value, names: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(object) => {
            if let Some(serde_json::Value::Object(properties)) = object.get("properties") {
                names.extend(properties.keys().cloned());
            }
            object.values().for_each(|v| schema_properties(v, names));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| schema_properties(v, names)),
        _ => {}
    }
}

#[test]
fn every_field_of_the_data_format_carries_a_payload() {
    let schemas = tempfile::tempdir().unwrap();
    mdbook_compare::schema(schemas.path()).unwrap();
    let payloads = Payloads(Hostility::PastTheChecks);
    let files = [
        ("languages.json", payloads.languages()),
        ("categories.json", payloads.categories()),
        ("dimension.json", payloads.dimension()),
        ("benchmark.json", payloads.benchmark()),
        ("quick-takes.json", payloads.quick_takes()),
    ];
    for (schema, toml) in files {
        let schema: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(schemas.path().join(schema)).unwrap())
                .unwrap();
        let mut expected = BTreeSet::new();
        schema_properties(&schema, &mut expected);
        let mut written = BTreeSet::new();
        let table: toml::Table = toml::from_str(&toml).unwrap();
        toml_keys(&toml::Value::Table(table), &mut written);
        let missing: Vec<_> = expected.difference(&written).collect();
        assert!(missing.is_empty(), "{schema}: no payload for {missing:?}");
    }
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
    "details",
    "div",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "li",
    "main",
    "ol",
    "p",
    "path",
    "pre",
    "rect",
    "span",
    "strong",
    "summary",
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
    "d",
    "dominant-baseline",
    "height",
    "href",
    "id",
    "rel",
    "role",
    "rx",
    "scope",
    "tabindex",
    "target",
    "text-anchor",
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
            // A language's colour, checked by the dataset as `#rrggbb`, and nothing else.
            let colour = attribute == "style"
                && value.strip_prefix("--cmp-c:#").is_some_and(|hex| {
                    hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit())
                });
            let known = colour
                || ATTRIBUTES.contains(&attribute.as_str())
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

/// Asserts that no mdBook link (`{{#...}}`) is left in text a later preprocessor may read.
fn assert_no_mdbook_links(text: &str, what: &str) {
    assert!(!text.contains("{{#"), "{what}: mdBook syntax survives");
}

#[test]
fn the_checker_refuses_the_fully_hostile_dataset() {
    let book = hostile_book(Hostility::Everywhere);
    let out = book.check();
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
    let built = common::mdbook_build(&mdbook, book.root(), &[]);
    let report = common::stderr(&built);
    assert!(built.status.success(), "{report}");
    assert!(
        report.contains("warning: raw HTML is shown as text"),
        "{report}"
    );
    let main = book.main("chapter.html");
    assert_eq!(main.matches("<div class=\"cmp cmp-").count(), 5, "{main}");
    assert_inert(&main, "html site");
    let markdown = book.markdown("chapter.md");
    assert!(markdown.contains("**Quick takes"), "{markdown}");
    assert_inert(&markdown_to_html(&markdown), "markdown backend");
}

/// Where `compare` runs among mdBook's preprocessors.
const ORDERS: [&str; 3] = [
    "after = [\"links\"]\n",
    "before = [\"links\"]\n",
    "# mdBook's default: by name, so before `links`\n",
];

#[test]
fn mdbook_syntax_in_data_stays_text_in_every_order_and_renderer() {
    for order in ORDERS {
        let book = hostile_book(Hostility::PastTheChecks);
        book.edit(
            "book.toml",
            "[preprocessor.compare]\n",
            &format!("[preprocessor.compare]\n{order}"),
        );
        book.build().unwrap_or_else(|e| panic!("{order}: {e}"));
        let html = book.page("chapter.html");
        let markdown = book.markdown("chapter.md");
        for (what, text) in [("html", &html), ("markdown", &markdown)] {
            let what = format!("{what}, {order}");
            assert!(!text.contains(SECRET), "{what}: an included file leaked");
            assert!(!text.contains("root:x:0:0"), "{what}: /etc/passwd leaked");
            assert_no_mdbook_links(text, &what);
        }
        assert!(
            !html.contains("<title>Pwned"),
            "{order}: the data set the title"
        );
        assert!(
            html.contains("#include /etc/passwd}}"),
            "{order}: the payload is not shown as text"
        );
        for index in ["searchindex.js", "searchindex.json"] {
            if let Ok(text) = fs::read_to_string(common::site(&book.build_dir()).join(index)) {
                assert!(
                    !text.contains(SECRET),
                    "{order}: {index} holds the included file"
                );
            }
        }
    }
}

#[test]
fn an_html_fence_right_after_a_directive_stays_code() {
    let payload = "<img src=x onerror=alert(1)>";
    let chapters = [
        format!("<<compare evil>>\n```html\n{payload}\n```\n"),
        format!("- <<compare evil>>\n  ```html\n  {payload}\n  ```\n"),
        format!("> <<compare evil>>\n> ```html\n> {payload}\n> ```\n"),
    ];
    for chapter in chapters {
        let book = hostile_book(Hostility::PastTheChecks);
        book.write("src/chapter.md", format!("# Chapter\n\n{chapter}"));
        book.build().unwrap_or_else(|e| panic!("{chapter}: {e}"));
        let html = book.page("chapter.html");
        let markdown = book.markdown("chapter.md");
        for (what, page) in [("html", html), ("markdown", markdown_to_html(&markdown))] {
            assert!(
                page.contains("<code class=\"language-html\">&lt;img src=x onerror=alert(1)&gt;"),
                "{what}: the fence is not code after {chapter:?}:\n{page}"
            );
            assert!(
                !page.contains(payload),
                "{what}: the fence became HTML: {chapter:?}"
            );
        }
    }
}

/// A book whose `data/` is the hostile dataset, with a chapter showing every view, built for
/// the html and markdown backends.
fn hostile_book(hostility: Hostility) -> Book {
    let payloads = Payloads(hostility);
    let book = Book::empty();
    let write = |path: &str, text: String| {
        book.write(path, text);
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
    write("data/languages.toml", payloads.languages());
    write("data/categories.toml", payloads.categories());
    write("data/dimensions/evil.toml", payloads.dimension());
    write("data/dimensions/evil-too.toml", payloads.dimension());
    write("data/benchmarks/evil.toml", payloads.benchmark());
    write("data/quick-takes.toml", payloads.quick_takes());
    write("src/secret.txt", SECRET.into());
    write("bench/results/evil.txt", format!("{MARKUP}\n"));
    book
}
