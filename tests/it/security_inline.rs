//! Hostile text and names that reach the page through the inline directives and the links to
//! chapters (issue 21, items 2, 3 and 8):
//! - data text (a metric's name or unit, a language's name) in `<<value>>` and `<<ratio>>`
//!   stays text wherever the directive stands: a table cell, after an unmatched backtick, in
//!   emphasis (in a link's text, a directive is an error of its own);
//! - a chapter's file name never becomes a URL scheme in a link the preprocessor writes;
//! - anchors and the links to them agree, and a chapter path with `..` is linked where mdBook
//!   writes it.

use std::path::{Path, PathBuf};

use mdbook_compare::Compare;
use mdbook_driver::config::Config;
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use proptest::prelude::*;

use crate::common;

// Item 2: inline expansions are inert in every Markdown context.

/// Where an inline directive may stand: `{}` is the directive. Each is a block of its own.
const CONTEXTS: &[&str] = &[
    "| a | b |\n|---|---|\n| {} | x |\n| y {} z | {} |\n",
    "An unmatched ` backtick, then {} and more.\n",
    "*In emphasis {} here* and _in {} this_ and **strong {}** and ~~struck {}~~.\n",
    "*Emphasis ends {}* here, and [a link](https://example.com/) follows {}.\n",
    "> | a |\n> |---|\n> | {} |\n",
];

/// The inline directives, each resolving with the data this test generates.
const DIRECTIVES: &[&str] = &[
    "<<value hello requests rust>>",
    "<<ratio hello requests>>",
    "<<ratio hello requests go rust>>",
];

/// A data string: Markdown's and HTML's syntax, script, and plain words, mixed.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "|",
        "`",
        "``",
        "*",
        "_",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "\\",
        "&",
        "!",
        "~",
        "#",
        "\"",
        "'",
        "$",
        "^",
        ":",
        "-",
        "=",
        "\n",
        "\r\n",
        " ",
        "x",
        "ms",
        "é",
        "&amp;",
        "&#96;",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "<script>",
        "](",
        "![i](j)",
        "**",
        "~~",
        "<!--",
        "-->",
        "{",
        "}",
        "\\|",
        "&#124;",
        "https://e.com",
        "<https://e.com>",
    ]);
    prop::collection::vec(pieces, 1..12)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("a data string is not blank", |s| !s.trim().is_empty())
        .prop_filter("no mdBook command (the dataset rejects it)", |s| {
            !s.contains("{{")
        })
}

/// The data this test varies.
#[derive(Debug, Clone)]
struct Data {
    metric_name: String,
    unit: String,
    languages: [String; 2],
}

impl Data {
    fn benign() -> Data {
        Data {
            metric_name: "Requests".into(),
            unit: "req/s".into(),
            languages: ["Rust".into(), "Go".into()],
        }
    }
}

/// A TOML string holding `text`.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.into()).to_string()
}

/// The base book of `tests/bad-inputs/` with `data`'s names and unit.
fn book_with(data: &Data) -> common::Book {
    let book = common::Book::case("");
    book.edit(
        "data/benchmarks/hello.toml",
        "name = \"Requests per second\"\nunit = \"req/s\"",
        &format!(
            "name = {}\nunit = {}",
            toml_string(&data.metric_name),
            toml_string(&data.unit)
        ),
    );
    book.edit(
        "data/languages.toml",
        "name = \"Rust\"",
        &format!("name = {}", toml_string(&data.languages[0])),
    );
    book.edit(
        "data/languages.toml",
        "name = \"Go\"",
        &format!("name = {}", toml_string(&data.languages[1])),
    );
    book
}

/// `text` as the chapter `chapter.md` of the book at `root`, after a chapter `home.md` that
/// shows the benchmark (the home the links lead to), expanded for `renderer`.
fn expand(root: &Path, text: &str, renderer: &str) -> Result<String, String> {
    let config = Config::from_disk(root.join("book.toml")).expect("read book.toml");
    let ctx = PreprocessorContext::new(root.to_path_buf(), config, renderer.into());
    let home = "# Home\n\n<<benchmark hello>>\n";
    let home = Chapter::new("Home", home.into(), "home.md", Vec::new());
    let chapter = Chapter::new("Chapter", text.into(), "chapter.md", Vec::new());
    let book = Book::new_with_items(vec![BookItem::Chapter(home), BookItem::Chapter(chapter)]);
    let book = Compare::new()
        .run(&ctx, book)
        .map_err(|e| format!("{e:#}"))?;
    match book.items.into_iter().nth(1) {
        Some(BookItem::Chapter(chapter)) => Ok(chapter.content),
        other => panic!("{other:?}"),
    }
}

/// The chapter that shows every inline directive in every context.
fn chapter() -> String {
    let mut text = String::from("# Chapter\n\n");
    for context in CONTEXTS {
        for directive in DIRECTIVES {
            text.push_str(&context.replace("{}", directive));
            text.push('\n');
        }
    }
    text
}

/// The structure mdBook reads in `markdown`: every event but text (whose pieces are merged
/// into one `text`), with the raw HTML reduced to its tag (attribute values dropped), the
/// links to their kind. Data can change the text, never this.
fn structure(markdown: &str) -> Vec<String> {
    let options = mdbook_markdown::MarkdownOptions::default();
    let mut shape: Vec<String> = Vec::new();
    for event in mdbook_markdown::new_cmark_parser(markdown, &options) {
        let item = match event {
            Event::Text(_) => {
                if shape.last().is_some_and(|last| last == "text") {
                    continue;
                }
                "text".to_string()
            }
            // A figure is one raw HTML block, whatever text it holds.
            Event::Html(_) => "html block".to_string(),
            Event::InlineHtml(html) => format!("html {}", tag_only(&html)),
            Event::Start(Tag::Link { .. }) => "link".to_string(),
            Event::End(TagEnd::Link) => "/link".to_string(),
            Event::Start(tag) => format!("{tag:?}"),
            Event::End(tag) => format!("/{tag:?}"),
            other => format!("{other:?}"),
        };
        shape.push(item);
    }
    shape
}

/// An HTML tag with its attribute values dropped: `<a href="..." title="...">` becomes
/// `<a href title>`. Anything but one whole tag is kept as it is, to show.
fn tag_only(html: &str) -> String {
    let mut out = String::new();
    let mut in_value = false;
    for c in html.chars() {
        match c {
            '"' => in_value = !in_value,
            '=' if !in_value => {}
            c if !in_value => out.push(c),
            _ => {}
        }
    }
    if in_value { html.to_string() } else { out }
}

/// The cells of each table row mdBook reads in `markdown`.
fn cells_per_row(markdown: &str) -> Vec<usize> {
    let options = mdbook_markdown::MarkdownOptions::default();
    let mut rows = Vec::new();
    for event in mdbook_markdown::new_cmark_parser(markdown, &options) {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(0),
            Event::Start(Tag::TableCell) => *rows.last_mut().expect("a row") += 1,
            _ => {}
        }
    }
    rows
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_inline_expansion_is_inert_wherever_it_stands(
        metric_name in hostile(),
        unit in hostile(),
        first in hostile(),
        second in hostile(),
    ) {
        let data = Data { metric_name, unit, languages: [first, second] };
        let hostile_book = book_with(&data);
        let benign_book = book_with(&Data::benign());
        let chapter = chapter();
        for renderer in ["html", "markdown"] {
            let hostile = expand(hostile_book.root(), &chapter, renderer);
            prop_assert!(hostile.is_ok(), "{:?}", hostile);
            let hostile = hostile.unwrap_or_default();
            let benign = expand(benign_book.root(), &chapter, renderer).expect("the benign book");
            let (read, plain) = (structure(&hostile), structure(&benign));
            let first = read.iter().zip(&plain).position(|(a, b)| a != b);
            prop_assert!(
                read.len() == plain.len() && first.is_none(),
                "from event {:?}: {:?}\ninstead of {:?}\n{}",
                first,
                &read[first.unwrap_or(0)..(first.unwrap_or(0) + 8).min(read.len())],
                &plain[first.unwrap_or(0)..(first.unwrap_or(0) + 8).min(plain.len())],
                hostile
            );
            prop_assert_eq!(cells_per_row(&hostile), cells_per_row(&benign), "{}", hostile);
            let html = common::markdown_to_html(&hostile).to_lowercase();
            prop_assert!(!html.contains("href=\"javascript"), "{}", html);
            prop_assert!(!html.contains("<img"), "{}", html);
            prop_assert!(!html.contains("<script"), "{}", html);
        }
    }
}

#[test]
fn the_benign_chapter_has_the_structure_the_property_compares() {
    let book = book_with(&Data::benign());
    let html = expand(book.root(), &chapter(), "html").unwrap();
    let shape = structure(&html);
    // One link tag per directive per place it stands, never a Markdown link of its own.
    let places: usize = CONTEXTS.iter().map(|c| c.matches("{}").count()).sum();
    let opened = shape.iter().filter(|s| s.starts_with("html <a ")).count();
    assert_eq!(opened, places * DIRECTIVES.len(), "{shape:?}");
    assert!(!shape.iter().any(|s| s.starts_with("Code")), "{shape:?}");
    // The tables keep two columns (and the quoted one, one).
    let rows = cells_per_row(&html);
    assert!(rows.iter().all(|&n| n == 2 || n == 1), "{rows:?}");
}

/// A copy of this book's `data/benchmarks/startup.toml` (with the file its `raw` names), with
/// `from` replaced by `to`: a data-only change.
fn add_startup(book: &common::Book, from: &str, to: &str) {
    let root = common::repo_root();
    let startup = std::fs::read_to_string(root.join("data/benchmarks/startup.toml")).unwrap();
    assert!(startup.contains(from), "no `{from}` in startup.toml");
    book.write(
        "data/benchmarks/startup.toml",
        startup.replacen(from, to, 1),
    );
    book.write(
        "bench/results/startup.json",
        std::fs::read(root.join("bench/results/startup.json")).unwrap(),
    );
}

/// Builds the book through mdBook into its `book/` folder; returns that folder.
fn build(book: &common::Book) -> PathBuf {
    book.build().expect("the book builds");
    book.build_dir()
}

#[test]
fn a_unit_with_a_bar_a_backtick_and_a_link_stays_in_its_title() {
    let book = common::Book::case("");
    add_startup(
        &book,
        "unit = \"ms\"",
        "unit = \"ms | ` [x](javascript:alert(1)) *a* <b>\"",
    );
    book.write(
        "src/chapter.md",
        "# Chapter\n\n<<benchmark startup>>\n\n\
         | Language | Start-up |\n|---|---|\n| Rust | <<value startup hello-time rust>> |\n\n\
         A stray ` backtick, then <<value startup hello-time go>> and <<ratio startup hello-time>>.\n",
    );
    let site = build(&book);
    let page = common::page(&site, "chapter.html");
    let main = &page[page.find("<main>").unwrap()..page.find("</main>").unwrap()];
    for href in hrefs(main) {
        assert!(!href.to_lowercase().contains("javascript"), "{href}");
    }
    assert!(!main.contains("<b>"), "{main}");
    // The table keeps its two columns: the value's link is whole in the second.
    let row = main
        .split("<tr>")
        .find(|row| row.contains("<td>Rust</td>"))
        .expect("the row");
    assert_eq!(row.matches("<td").count(), 2, "{row}");
    // mdBook writes the page from the tree it parsed, references decoded: the unit is whole
    // in the title and in the link's text, as text.
    let unit = "ms | ` [x](javascript:alert(1)) *a* &lt;b&gt;";
    // (The figures themselves are whatever this book's data holds today.)
    let cell = row
        .split("<td>")
        .nth(2)
        .expect("the second cell")
        .trim_end_matches(|c: char| c.is_whitespace() || c == '\n');
    let title_start = "<a href=\"./chapter.html#cmp-benchmark-startup\" title=\"Hello-world start to exit, Rust: ";
    assert!(cell.starts_with(title_start), "{cell}");
    let title = &cell[title_start.len()..cell.find("\">").expect("the title ends")];
    assert!(title.contains(&format!(" {unit} (")), "{title}");
    assert!(title.contains(" runs); measured "), "{title}");
    assert!(cell.contains(&format!(" {unit}</a></td>")), "{cell}");
    // After the stray backtick, both links are whole, and the backtick stays text.
    let paragraph = main
        .split("<p>")
        .find(|p| p.starts_with("A stray"))
        .expect("the paragraph");
    assert!(
        paragraph.starts_with("A stray ` backtick, then <a "),
        "{paragraph}"
    );
    assert!(!paragraph.contains("<code>"), "{paragraph}");
    assert!(!paragraph.contains("<em>"), "{paragraph}");
    assert_eq!(paragraph.matches("<a href=").count(), 2, "{paragraph}");
    assert_eq!(paragraph.matches("</a>").count(), 2, "{paragraph}");
}

// Item 3: a chapter's file name never becomes a URL scheme.

/// `href="..."` values on `page`, with character references decoded as a browser does.
fn hrefs(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(decode_references)
        .collect()
}

/// `&#N;`, `&#xN;`, `&amp;` and `&quot;` decoded.
fn decode_references(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').unwrap_or(0);
        let name = &after[..end];
        let decoded = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => name
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|n| n.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `%XX` decoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], text.get(i + 1..i + 3)) {
            (b'%', Some(hex)) if u8::from_str_radix(hex, 16).is_ok() => {
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The file a relative `href` on the page at `page` (in the site at `site`) leads to.
fn linked_file(site: &Path, page: &str, href: &str) -> PathBuf {
    let path = href.split('#').next().unwrap();
    let folder = Path::new(page).parent().unwrap();
    site.join(folder).join(percent_decode(path))
}

#[test]
fn a_chapter_named_like_a_script_url_is_linked_by_its_path() {
    let book = common::Book::case("");
    add_startup(&book, "", "");
    let name = "javascript:void(0)<!--.md";
    book.write(
        "src/SUMMARY.md",
        format!("# Summary\n\n- [Chapter](chapter.md)\n- [Home]({name})\n"),
    );
    book.write(
        &format!("src/{name}"),
        "# Home\n\n<<compare speed>>\n\n<<benchmark hello>>\n\n<<benchmark startup>>\n",
    );
    book.write(
        "src/chapter.md",
        "# Chapter\n\nQuoted: <<value hello requests rust>>, <<ratio hello requests>>.\n\n\
         <<glance>>\n\n<<quick-takes>>\n\n<<benchmark-summary>>\n\n<<compare all>>\n",
    );
    let site = build(&book);
    let page = common::page(&site, "chapter.html");
    let main = &page[page.find("<main>").unwrap()..page.find("</main>").unwrap()];
    let links: Vec<String> = hrefs(main)
        .into_iter()
        .filter(|href| href.contains("void"))
        .collect();
    // value, ratio, a glance row, a quick take, the summary's chart bar and table row.
    assert!(links.len() >= 6, "{links:?}\n{main}");
    for href in &links {
        assert!(
            href.starts_with("./javascript%3Avoid%280%29%3C%21--.html#cmp-"),
            "{href}"
        );
        let file = linked_file(&common::site(&site), "chapter.html", href);
        assert!(
            file.is_file(),
            "{href} leads to no file: {}",
            file.display()
        );
    }
    for href in hrefs(main) {
        let scheme = href.split(['/', '?', '#']).next().unwrap_or_default();
        assert!(
            !scheme.contains(':') || href.starts_with("http"),
            "a link with a scheme: {href}"
        );
    }
}

// Item 8: anchors and the links to them agree; `..` in a chapter's path is kept.

/// The `id`s on `page`.
fn ids(page: &str) -> Vec<&str> {
    page.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The heading of the figure with id `anchor` on `page`.
fn heading_at<'p>(page: &'p str, anchor: &str) -> &'p str {
    let figure = page
        .split(&format!(" id=\"{anchor}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("no figure with id {anchor}"));
    let heading = format!("<h3 class=\"cmp-heading\" id=\"{anchor}_title\">");
    figure
        .trim_start()
        .strip_prefix(heading.as_str())
        .and_then(|rest| rest.split_once("\">").map(|(_, title)| title))
        .unwrap_or_else(|| {
            panic!(
                "{anchor} is no figure: {}",
                &figure[..200.min(figure.len())]
            )
        })
}

#[test]
fn a_benchmark_whose_id_looks_like_a_part_of_another_keeps_its_anchor() {
    let book = common::Book::case("");
    add_startup(&book, "", "");
    let hello = std::fs::read_to_string(book.root().join("data/benchmarks/hello.toml")).unwrap();
    let other = hello.replace("Hello world server", "The other benchmark");
    for id in ["hello-chart-1", "hello-source-1", "summary"] {
        book.write(&format!("data/benchmarks/{id}.toml"), &other);
    }
    book.write(
        "src/chapter.md",
        "# Chapter\n\n<<benchmark hello>>\n\n<<benchmark startup>>\n\n<<benchmark-summary>>\n\n\
         <<benchmark hello-chart-1>>\n\n<<benchmark hello-source-1>>\n\n<<benchmark summary>>\n\n\
         <<benchmark hello>>\n\n\
         See <<value hello-chart-1 requests rust>>, <<value hello-source-1 requests go>> and \
         <<value summary requests go>>.\n",
    );
    let site = build(&book);
    let page = common::page(&site, "chapter.html");
    let ids = ids(&page);
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "an id repeats: {ids:?}");
    for id in ["hello-chart-1", "hello-source-1", "summary"] {
        let anchor = format!("cmp-benchmark-{id}");
        let link = format!("chapter.html#{anchor}");
        assert!(
            hrefs(&page).iter().any(|href| href.ends_with(&link)),
            "no link to {anchor}: {:?}",
            hrefs(&page)
        );
        assert!(
            heading_at(&page, &anchor).starts_with("The other benchmark"),
            "{anchor} is on another figure"
        );
    }
    for anchor in ["cmp-benchmark-hello", "cmp-2-benchmark-hello"] {
        assert!(
            heading_at(&page, anchor).starts_with("Hello world"),
            "{anchor}"
        );
    }
}

#[test]
fn a_chapter_reached_through_dot_dot_is_linked_where_mdbook_writes_it() {
    let book = common::Book::case("");
    book.write(
        "src/SUMMARY.md",
        "# Summary\n\n- [Chapter](chapter.md)\n- [Home](sub/../home.md)\n- [Deep](sub/deep.md)\n",
    );
    book.write(
        "src/sub/deep.md",
        "# Deep\n\nQuoted: <<value hello requests rust>>.\n",
    );
    book.write("src/home.md", "# Home\n\n<<benchmark hello>>\n");
    book.write(
        "src/chapter.md",
        "# Chapter\n\nQuoted: <<value hello requests go>>.\n",
    );
    let site = build(&book);
    let root = common::site(&site);
    for page in ["chapter.html", "sub/deep.html"] {
        let html = common::page(&site, page);
        let links: Vec<String> = hrefs(&html)
            .into_iter()
            .filter(|href| href.contains("#cmp-benchmark-hello"))
            .collect();
        assert_eq!(links.len(), 1, "{page}: {links:?}");
        let file = linked_file(&root, page, &links[0]);
        assert!(file.is_file(), "{page}: {} leads to no file", links[0]);
        let home = std::fs::read_to_string(&file).unwrap();
        assert!(
            home.contains("id=\"cmp-benchmark-hello\""),
            "{page}: {}",
            links[0]
        );
    }
}
