//! Both writers on every view of the test dataset (snapshots: review with `cargo insta
//! review`), anchors on a page, and inertness against hostile data.

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::html::{self, Anchors};
use super::{linkable, markdown};
use crate::dataset::Dataset;
use crate::directives::testing::{dataset, outcome_in};
use crate::view::{Block, Figure, FigureKind, Source, View};

/// Every form of every directive, by snapshot name.
const DIRECTIVES: &[(&str, &str)] = &[
    ("dimension", "<<compare speed>>"),
    ("matrix", "<<compare speed onboarding>>"),
    ("category", "<<compare category=ops>>"),
    ("all", "<<compare all>>"),
    ("glance", "<<glance>>"),
    ("benchmark_reproduced", "<<benchmark http-json>>"),
    ("benchmark_published", "<<benchmark tasks>>"),
    ("benchmark_unverified", "<<benchmark cited>>"),
    ("benchmark_summary", "<<benchmark-summary>>"),
    ("quick_takes", "<<quick-takes>>"),
    ("value", "<<value http-json throughput rust>>"),
    ("value_unverified", "<<value cited rps go>>"),
    ("ratio", "<<ratio http-json throughput>>"),
    ("ratio_unclear", "<<ratio http-json latency-p99>>"),
    ("edges", "<<edges>>"),
];

/// The views of [`DIRECTIVES`] on `data`, from a chapter in a folder.
fn views(data: &Dataset) -> Vec<(&'static str, View)> {
    DIRECTIVES
        .iter()
        .map(|(name, text)| {
            let (view, report) = outcome_in(data, "guide/page.md", text);
            let view = view.unwrap_or_else(|| panic!("{text}: {report}"));
            (*name, view)
        })
        .collect()
}

#[test]
fn html_snapshots() {
    for (name, view) in views(&dataset()) {
        let html = html::render(&view, &mut Anchors::default());
        assert!(!html.contains('\n'), "{name}: one line, one raw HTML block");
        // One tag per line keeps the snapshot reviewable.
        insta::assert_snapshot!(format!("html_{name}"), html.replace("><", ">\n<"));
    }
}

#[test]
fn markdown_snapshots() {
    for (name, view) in views(&dataset()) {
        insta::assert_snapshot!(format!("markdown_{name}"), markdown::render(&view));
    }
}

#[test]
fn every_table_scrolls_in_a_named_region_the_keyboard_reaches() {
    for (name, view) in views(&dataset()) {
        let html = html::render(&view, &mut Anchors::default());
        let mut names = Vec::new();
        for wrapper in html.split("<div class=\"cmp-scroll\"").skip(1) {
            let label = wrapper
                .strip_prefix(" tabindex=\"0\" role=\"region\" aria-label=\"")
                .unwrap_or_else(|| panic!("{name}: {}", &wrapper[..80]));
            let label = &label[..label.find('"').unwrap_or_default()];
            assert!(!label.is_empty(), "{name}: an empty name");
            names.push(label);
        }
        if name.starts_with("benchmark_") && name != "benchmark_summary" {
            // The setup table is every benchmark's: its name says whose.
            assert!(
                names.iter().any(|n| n.starts_with("Setup: ")),
                "{name}: {names:?}"
            );
        }
    }
}

/// The HTML of the directive of [`DIRECTIVES`] named `directive`, alone on its page.
fn html_of(directive: &str) -> String {
    let (_, view) = views(&dataset())
        .into_iter()
        .find(|(name, _)| *name == directive)
        .expect("a directive of DIRECTIVES");
    html::render(&view, &mut Anchors::default())
}

#[test]
fn answer_tables_label_their_cells_for_cards_and_other_tables_do_not() {
    let glance = html_of("glance");
    assert!(glance.contains("<table class=\"cmp-table cmp-glance cmp-cards\">"));
    assert!(glance.contains("<td data-label=\"Edge\"><span class=\"cmp-badge"));
    assert!(
        !glance.contains("cmp-scorecard cmp-cards"),
        "counts, not answers"
    );
    let takes = html_of("quick_takes");
    assert!(takes.contains("<td data-label=\"Pick\"><span class=\"cmp-badge"));
    assert!(html_of("matrix").contains("cmp-matrix cmp-cards"));
    let benchmark = html_of("benchmark_reproduced");
    assert!(benchmark.contains("<table class=\"cmp-table cmp-results cmp-cards\">"));
    // The answer first: the metric, the better language and the verdict, then the values.
    let row = benchmark.split("<tbody>").nth(1).unwrap_or_default();
    let better = row.find("data-label=\"Better\"").unwrap();
    let verdict = row.find("data-label=\"Verdict\"").unwrap();
    let value = row.find("data-label=\"Rust\"").unwrap();
    assert!(better < verdict && verdict < value, "{row}");
    let claims = html_of("benchmark_unverified");
    assert!(
        claims.contains("cmp-claimed cmp-cards"),
        "claims scroll no more"
    );
    assert!(benchmark.contains("<table class=\"cmp-table cmp-setup\">"));
}

#[test]
fn benchmarks_are_headings_in_the_page_navigation() {
    let benchmark = html_of("benchmark_reproduced");
    // mdBook lists a heading with an id whose first child is a link.
    let id = "cmp-benchmark-http-json_title";
    let heading = format!(
        "<h3 class=\"cmp-heading\" id=\"{id}\"><a class=\"header\" href=\"#{id}\">HTTP JSON</a> <span class=\"cmp-badge"
    );
    assert!(benchmark.contains(&heading), "{benchmark}");
    let markdown = markdown::render(&views(&dataset())[5].1);
    assert!(
        markdown.starts_with("### HTTP JSON *Reproduced here*\n"),
        "{markdown}"
    );
}

#[test]
fn setup_environment_and_sources_fold_under_a_summary() {
    let benchmark = html_of("benchmark_reproduced");
    let folded = benchmark
        .split("<details class=\"cmp-details\"><summary>")
        .nth(1)
        .unwrap_or_else(|| panic!("{benchmark}"));
    assert!(folded.starts_with("Setup, environment and sources · as of <time>"));
    for part in ["cmp-setup", "<strong>Environment:</strong>", "Sources: "] {
        assert!(folded.contains(part), "{part}: {folded}");
    }
    // The way to rerun it stays in view.
    assert!(!folded.contains("Rerun it:"));
    let markdown = markdown::render(&views(&dataset())[5].1);
    assert!(markdown.contains("\n\n**Setup, environment and sources · as of "));
}

#[test]
fn glance_rows_quick_takes_and_metric_rows_have_permalinks() {
    for (directive, row) in [
        ("glance", "cmp-glance_dimension-speed"),
        ("quick_takes", "cmp-quick-takes_take-1"),
        (
            "benchmark_reproduced",
            "cmp-benchmark-http-json_metric-throughput",
        ),
        ("benchmark_unverified", "cmp-benchmark-cited_metric-rps"),
    ] {
        let html = html_of(directive);
        assert!(
            html.contains(&format!("<tr id=\"{row}\">")),
            "{directive}: {html}"
        );
        let link = format!("<a class=\"cmp-permalink\" href=\"#{row}\" aria-label=\"Link to ");
        assert!(html.contains(&link), "{directive}: {html}");
    }
}

/// Every `id="..."` of some HTML.
fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap_or(rest.len())])
        .collect()
}

fn figure_with_sources(id: &str) -> View {
    View::Figure(Figure {
        kind: FigureKind::Matrix,
        id: id.into(),
        blocks: vec![Block::Sources(vec![Source {
            title: "A".into(),
            url: None,
        }])],
    })
}

#[test]
fn anchors_are_unique_on_a_page() {
    let mut anchors = Anchors::default();
    let mut page = String::new();
    for view in [
        figure_with_sources("matrix-x-y"),
        figure_with_sources("matrix-x-y-source-1"),
        figure_with_sources("matrix-x-y"),
    ] {
        page.push_str(&html::render(&view, &mut anchors));
    }
    let mut all = ids(&page);
    assert_eq!(
        all,
        [
            "cmp-matrix-x-y",
            "cmp-matrix-x-y_source-1",
            "cmp-matrix-x-y-source-1",
            "cmp-matrix-x-y-source-1_source-1",
            "cmp-2-matrix-x-y",
            "cmp-2-matrix-x-y_source-1",
        ]
    );
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 6);
    for (_, view) in views(&dataset()) {
        let mut anchors = Anchors::default();
        let first = html::render(&view, &mut anchors);
        let second = html::render(&view, &mut anchors);
        let mut both = ids(&first);
        both.extend(ids(&second));
        let count = both.len();
        both.sort_unstable();
        both.dedup();
        assert_eq!(both.len(), count, "{first}\n{second}");
    }
}

/// The test dataset with every text field an attacker can reach set to hostile input.
fn hostile() -> Dataset {
    const INCLUDE: &str = "{{#include /etc/passwd}} {{ #title x}} \\{{#playground y}}";
    const BLOCKS: &str = "A.\n\n[r]: javascript:alert(1)\n\n<script>alert(1)</script>\n\n# H\n\n```html\n<img src=x onerror=alert(1)>\n```";
    const URL: &str = "https://x.org/\n\n[r]:javascript:alert(1)";
    let mut data = dataset();
    for language in &mut data.languages {
        language.name = format!("{}{INCLUDE}<b>", language.name);
        language.colour = Some("red;background:url(javascript:alert(1))".into());
    }
    for category in &mut data.categories {
        category.name = format!("{INCLUDE}{BLOCKS}");
    }
    for d in &mut data.dimensions {
        let d = &mut d.value;
        d.title = format!("{}{INCLUDE}</table><script>", d.title);
        d.verdict = format!("{INCLUDE}{BLOCKS}");
        for take in d.takes.values_mut().chain(d.summary.values_mut()) {
            *take =
                format!("{take}{INCLUDE}{BLOCKS}[x](javascript:alert(1))[y](java&#115;cript:z)");
        }
        for source in &mut d.sources {
            source.title = format!("{INCLUDE}{BLOCKS}");
            source.url = Some(URL.into());
        }
        d.as_of = format!("{}{INCLUDE}", d.as_of);
    }
    for b in &mut data.benchmarks {
        let b = &mut b.value;
        b.title = format!("{}{INCLUDE}", b.title);
        b.description = format!("{INCLUDE}{BLOCKS}");
        b.environment = format!("{INCLUDE}{BLOCKS}");
        b.limits = Some(format!("{INCLUDE}{BLOCKS}"));
        b.reproduce = Some(format!("run {INCLUDE}{BLOCKS}"));
        b.raw = Some(format!("bench/{INCLUDE}{BLOCKS}"));
        for setup in b.setup.values_mut() {
            *setup = format!("{INCLUDE}{BLOCKS}");
        }
        for metric in &mut b.metrics {
            metric.name = format!("{}{INCLUDE}{BLOCKS}", metric.name);
            metric.unit = format!("*[u](javascript:alert(1))*{INCLUDE}\n\n<script>");
            metric.note = Some(format!("{INCLUDE}{BLOCKS}"));
        }
        for source in &mut b.sources {
            source.url = Some(URL.into());
        }
    }
    if let Some(takes) = &mut data.quick_takes {
        for take in &mut takes.value {
            take.situation = format!("{INCLUDE}{BLOCKS}");
            take.reason = format!("{INCLUDE}{BLOCKS}");
            take.sources[0].url = Some("javascript:alert(1)".into());
        }
    }
    data
}

/// Whether a link destination found in rendered output is one the writers may emit.
fn allowed(url: &str) -> bool {
    linkable(url)
        || url.starts_with('#')
        || ((url.starts_with("../") || url.starts_with("./")) && !url.contains(':'))
}

/// The links, raw HTML and emphasis that `markdown` holds when rendered, with the options
/// mdBook uses.
fn parse(markdown: &str) -> (Vec<String>, Vec<String>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut links = Vec::new();
    let mut html = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string());
            }
            Event::Html(h) | Event::InlineHtml(h) => html.push(h.to_string()),
            _ => {}
        }
    }
    (links, html)
}

#[test]
fn html_from_hostile_data_is_inert() {
    for (name, view) in views(&hostile()) {
        let html = html::render(&view, &mut Anchors::default());
        assert!(!html.contains('{'), "{name}: {html}");
        assert!(!html.contains('\n') && !html.contains('\r'), "{name}");
        for tag in ["<script", "<img", "<b>", "</table><script", "<h1"] {
            assert!(!html.contains(tag), "{name}: {tag} in {html}");
        }
        assert!(
            !html.contains("style=\""),
            "{name}: an invalid colour is dropped"
        );
        let lower = html.to_lowercase();
        assert!(!lower.contains("href=\"javascript"), "{name}: {html}");
        assert!(!lower.contains("href=\"java&"), "{name}: {html}");
        // mdBook reads the output as Markdown: a figure must stay one raw HTML block, and an
        // inline view, inside a paragraph, must add no link and no emphasis of the data's.
        match view {
            View::Figure(_) => {
                let block = format!("{html}\n");
                let events: Vec<_> = Parser::new(&block).collect();
                assert!(
                    events.iter().all(|e| matches!(
                        e,
                        Event::Html(_) | Event::Start(Tag::HtmlBlock) | Event::End(_)
                    )),
                    "{name}: {events:?}"
                );
            }
            View::Inline(_) => {
                let paragraph = format!("Before {html} after.\n");
                let events: Vec<_> = Parser::new(&paragraph).collect();
                assert!(
                    !events.iter().any(|e| matches!(
                        e,
                        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. })
                    )),
                    "{name}: {events:?}"
                );
            }
        }
    }
}

#[test]
fn markdown_from_hostile_data_is_inert() {
    for (name, view) in views(&hostile()) {
        let markdown = markdown::render(&view);
        assert!(!markdown.contains("{{"), "{name}: {markdown}");
        let (links, html) = parse(&markdown);
        assert!(
            links.iter().all(|l| allowed(l)),
            "{name}: {links:?}\n{markdown}"
        );
        assert!(html.is_empty(), "{name}: raw HTML {html:?}\n{markdown}");
        // Rendered once more (as a later renderer would), it is still inert.
        let mut again = String::new();
        pulldown_cmark::html::push_html(
            &mut again,
            Parser::new_ext(&markdown, Options::ENABLE_TABLES),
        );
        let lower = again.to_lowercase();
        assert!(
            !lower.contains("<script") && !lower.contains("<img"),
            "{name}: {again}"
        );
        assert!(!lower.contains("href=\"javascript"), "{name}: {again}");
    }
}

#[test]
fn a_colour_from_the_data_is_a_custom_property() {
    let (view, _) = outcome_in(&dataset(), "guide/page.md", "<<compare speed>>");
    let html = html::render(&view.unwrap(), &mut Anchors::default());
    assert!(
        html.contains("class=\"cmp-badge cmp-badge-language\" data-column=\"1\" style=\"--cmp-c:#b7410e\">Edge: Rust<"),
        "{html}"
    );
}

#[test]
fn extreme_values_give_finite_ratios_and_charts() {
    use crate::dataset::model::{Provenance, Value};
    let mut data = dataset();
    for b in &mut data.benchmarks {
        // Without intervals, only published figures show their ratio.
        if b.id == "http-json" {
            b.value.provenance = Provenance::Published;
            b.value.headline = None;
        }
        for metric in &mut b.value.metrics {
            metric.intervals.clear();
            for (language, value) in metric.values.iter_mut() {
                *value = Value::Single(if language == "rust" { 1e300 } else { 1e-300 });
            }
        }
    }
    for text in [
        "<<benchmark http-json>>",
        "<<benchmark-summary>>",
        "<<ratio http-json throughput>>",
    ] {
        let (view, report) = outcome_in(&data, "guide/page.md", text);
        let view = view.unwrap_or_else(|| panic!("{text}: {report}"));
        let html = html::render(&view, &mut Anchors::default());
        let markdown = markdown::render(&view);
        for out in [&html, &markdown] {
            assert!(
                !out.contains("inf") && !out.contains("NaN"),
                "{text}: {out}"
            );
            if text != "<<benchmark-summary>>" {
                assert!(out.contains("1.0e600x"), "{text}: {out}");
            }
        }
    }
}
