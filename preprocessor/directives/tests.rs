//! The directives against the test dataset: what each resolves into, and what each reports.

use super::testing::{
    self, call, chapter, charts, dataset, figure, inline_link, outcome_in, outcome_with, problems,
    tables, words,
};
use super::{DIRECTIVES, Home, Homes, find};
use crate::view::{Block, Span, TableKind};

#[test]
fn compare_resolves_every_form() {
    let one = figure("<<compare speed>>");
    assert_eq!(one.id, "dimension-speed");
    assert_eq!(tables(&one)[0].rows.len(), 3);
    let many = figure("<<compare speed onboarding>>");
    assert_eq!(many.id, "matrix-speed-onboarding");
    assert_eq!(tables(&many)[0].rows.len(), 2);
    let category = figure("<<compare category=ops>>");
    assert_eq!(category.id, "matrix-category-ops");
    assert_eq!(tables(&category)[0].rows.len(), 2);
    let all = figure("<<compare all>>");
    let all_tables = tables(&all);
    assert_eq!(all_tables.len(), 2, "the matrix and the scorecard");
    assert_eq!(all_tables[1].kind, TableKind::Scorecard);
}

#[test]
fn the_scorecard_is_per_category_with_no_total() {
    let all = figure("<<compare all>>");
    let scorecard = tables(&all)[1];
    let names: Vec<String> = scorecard.rows.iter().map(|r| words(&r[0])).collect();
    assert_eq!(names, ["Core", "Operations"]);
    let ops: Vec<String> = scorecard.rows[1].iter().map(words).collect();
    assert_eq!(ops, ["Operations", "0", "1", "0", "1"]);
}

#[test]
fn compare_reports_bad_arguments_where_they_are() {
    let cases = [
        ("<<compare>>", "`compare` needs something to compare"),
        ("<<compare all speed>>", "`all` cannot be combined with ids"),
        ("<<compare category=>>", "`category=` needs a category id"),
        ("<<compare colour=red>>", "unknown option `colour`"),
        (
            "<<compare category=core speed>>",
            "`category=` cannot be combined with other arguments",
        ),
        (
            "<<compare speed onboarding speed>>",
            "`speed` is listed twice",
        ),
        ("<<compare sped>>", "did you mean `speed`?"),
        ("<<compare category=cor>>", "did you mean `core`?"),
    ];
    for (text, expected) in cases {
        let report = problems(text);
        assert!(report.contains(expected), "{text}: {report}");
        assert!(report.contains("src/guide/page.md:1:"), "{text}: {report}");
    }
    let report = problems("<<compare speed onboarding speed>>");
    assert!(report.contains("page.md:1:28"), "{report}");
}

#[test]
fn homes_are_single_compares_and_benchmarks_by_id() {
    let home = |text: &str| (find(call(text).name.text).unwrap().home)(&call(text));
    assert_eq!(
        home("<<compare speed>>"),
        Some(Home::Dimension("speed".into()))
    );
    assert_eq!(home("<<compare speed tooling>>"), None);
    assert_eq!(home("<<compare all>>"), None);
    assert_eq!(home("<<compare category=core>>"), None);
    assert_eq!(
        home("<<benchmark http-json>>"),
        Some(Home::Benchmark("http-json".into()))
    );
    for name in ["glance", "quick-takes", "benchmark-summary"] {
        assert_eq!(home(&format!("<<{name}>>")), None);
    }
    assert_eq!(home("<<value http-json throughput rust>>"), None);
}

#[test]
fn reproduced_benchmarks_show_spread_charts_and_how_to_rerun() {
    let b = figure("<<benchmark http-json>>");
    let results = tables(&b)
        .into_iter()
        .find(|t| t.kind == TableKind::Results)
        .unwrap();
    let throughput: Vec<String> = results.rows[0].iter().map(words).collect();
    assert_eq!(
        throughput,
        [
            "Throughput (higher is better)",
            "Rust",
            "Rust with 3.04x higher throughput (95% CI 2.95–3.20, n = 9 each)",
            "510,000 req/s (500,000–520,000, 9 runs)",
            "168,000 req/s (160,000–170,000, 9 runs)",
            "not measured",
            "Closed loop."
        ]
    );
    assert_eq!(results.rows[0].anchor.as_deref(), Some("metric-throughput"));
    let latency: Vec<String> = results.rows[1].iter().map(words).collect();
    assert_eq!(
        latency[1..3],
        [
            "—",
            "no clear difference (Rust 1.18x lower, 95% CI 0.92–1.40, n = 9 each)"
        ]
    );
    assert_eq!(charts(&b), 3);
    let all = format!("{b:?}");
    for expected in [
        "What it does not measure:",
        "Not TLS, not a database.",
        "bench/run http-json",
        "bench/results/http-json.json",
        "2 cores, Linux 6.8",
    ] {
        assert!(all.contains(expected), "{expected}");
    }
}

#[test]
fn metric_rows_have_anchors_of_their_own_with_or_without_an_id() {
    let mut data = dataset();
    let b = data
        .benchmarks
        .iter_mut()
        .find(|b| b.id == "http-json")
        .unwrap();
    b.value.metrics[0].id = String::new();
    b.value.metrics[1].id = String::new();
    let (view, _) = outcome_in(&data, "guide/page.md", "<<benchmark http-json>>");
    let Some(crate::view::View::Figure(b)) = view else {
        panic!("no figure");
    };
    let results = tables(&b)[0];
    let anchors: Vec<_> = results.rows.iter().map(|r| r.anchor.clone()).collect();
    assert_eq!(
        anchors,
        [
            Some("row-1".to_string()),
            Some("row-2".to_string()),
            Some("metric-peak-rss".to_string())
        ]
    );
}

#[test]
fn unverified_benchmarks_are_plain_claims() {
    let b = figure("<<benchmark cited>>");
    assert_eq!(charts(&b), 0, "no bars");
    let kinds: Vec<TableKind> = tables(&b).iter().map(|t| t.kind).collect();
    assert_eq!(kinds, [TableKind::Claimed, TableKind::Setup]);
    let all = format!("{b:?}");
    assert!(!all.contains("better"), "{all}");
    assert!(!all.contains("Better"), "{all}");
}

#[test]
fn benchmark_needs_an_id_among_many() {
    let report = problems("<<benchmark>>");
    assert!(
        report.contains("needs an id when there are 4 benchmarks"),
        "{report}"
    );
    assert!(problems("<<benchmark http-jsn>>").contains("did you mean `http-json`?"));
    assert!(problems("<<benchmark a b>>").contains("one benchmark at a time"));
    assert!(problems("<<benchmark id=a>>").contains("takes no options"));
}

#[test]
fn quick_takes_link_the_chapter_to_read() {
    let q = figure("<<quick-takes>>");
    let table = tables(&q)[0];
    assert_eq!(words(&table.header[3]), "Read");
    match &table.rows[0][3][..] {
        [Span::Link(link)] => {
            assert_eq!(words(&link.text), "Speed");
            assert_eq!(
                link.target,
                chapter("../dimensions/speed.md", "dimension-speed")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(table.rows[2][3], vec![Span::Missing]);
    assert!(problems("<<quick-takes now>>").contains("`quick-takes` takes no arguments"));
}

#[test]
fn the_summary_charts_each_reproduced_headline_and_links_home() {
    let s = figure("<<benchmark-summary>>");
    let Some(Block::Chart(chart)) = s.blocks.first() else {
        panic!("a chart first");
    };
    let labels: Vec<&str> = chart.bars.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["HTTP JSON", "Startup"]);
    assert_eq!(chart.bars[0].text, "Rust 3.04x higher, n = 9 each");
    assert_eq!(chart.bars[1].text, "no interval: no verdict, n = 20 each");
    assert_eq!(chart.bars[1].value, None, "no bar without an interval");
    assert_eq!(
        chart.bars[0].target,
        Some(chapter("../bench/http-json.md", "benchmark-http-json"))
    );
    let spread = chart.bars[0].value.unwrap();
    assert!(spread.min < spread.median && spread.median < spread.max);
    assert!((spread.median - 3.04f64.log10()).abs() < 1e-12);
    assert!((spread.min - 2.95f64.log10()).abs() < 1e-12);
}

#[test]
fn value_quotes_a_figure_with_its_unit_and_links_home() {
    let (text, target, title) = inline_link("<<value http-json peak-rss rust>>");
    assert_eq!(text, "5.82 MiB");
    assert_eq!(
        target,
        chapter("../bench/http-json.md", "benchmark-http-json")
    );
    assert_eq!(title, "Peak memory, Rust: 5.82 MiB; measured 2026-11-30");
    let (_, _, title) = inline_link("<<value http-json throughput go>>");
    assert!(title.contains("160,000–170,000, 9 runs"), "{title}");
    let (text, _, _) = inline_link("<<value cited rps go>>");
    assert_eq!(text, "168,000 req/s (claimed)");
}

#[test]
fn value_reports_every_unknown_key() {
    let cases = [
        (
            "<<value http-jsn throughput rust>>",
            "did you mean `http-json`?",
        ),
        (
            "<<value http-json througput rust>>",
            "did you mean `throughput`?",
        ),
        (
            "<<value http-json throughput rsut>>",
            "did you mean `rust`?",
        ),
        ("<<value http-json throughput zig>>", "`zig` has no value"),
        (
            "<<value http-json throughput>>",
            "`value` needs a language id",
        ),
        (
            "<<value http-json throughput rust go>>",
            "takes 3 arguments",
        ),
    ];
    for (text, expected) in cases {
        let report = problems(text);
        assert!(report.contains(expected), "{text}: {report}");
    }
}

#[test]
fn ratio_says_who_is_better_or_that_it_is_unclear() {
    assert_eq!(
        inline_link("<<ratio http-json throughput>>").0,
        "Rust with 3.04x higher throughput (95% CI 2.95–3.20, n = 9 each)"
    );
    assert_eq!(
        inline_link("<<ratio http-json latency-p99>>").0,
        "no clear difference (Rust 1.18x lower, 95% CI 0.92–1.40, n = 9 each)"
    );
    assert_eq!(
        inline_link("<<ratio http-json peak-rss zig go>>").0,
        "no interval: no verdict (n not stated)"
    );
    assert_eq!(
        inline_link("<<ratio tasks rss-1m>>").0,
        "Rust with 12x lower memory for 1M tasks (as published, no interval, n not stated)"
    );
    let (_, _, title) = inline_link("<<ratio http-json throughput>>");
    assert!(
        title.starts_with("Throughput (higher is better): Rust 510,000"),
        "{title}"
    );
    let cases = [
        ("<<ratio http-json peak-rss>>", "has 3 values"),
        ("<<ratio cited rps>>", "unverified claims"),
        (
            "<<ratio http-json throughput rust zig>>",
            "`zig` has no value",
        ),
        (
            "<<ratio http-json throughput rust rust>>",
            "compared with itself",
        ),
        (
            "<<ratio http-json>>",
            "needs a benchmark id and a metric id",
        ),
        (
            "<<ratio http-json throughput rust>>",
            "two languages or none",
        ),
    ];
    for (text, expected) in cases {
        let report = problems(text);
        assert!(report.contains(expected), "{text}: {report}");
    }
}

#[test]
fn a_figure_without_a_chapter_to_link_is_an_error() {
    let data = dataset();
    for text in [
        "<<value http-json peak-rss rust>>",
        "<<ratio http-json throughput>>",
    ] {
        let (view, report) = outcome_with(&data, &Homes::default(), "page.md", text);
        assert!(view.is_none(), "{text}");
        assert!(
            report.contains("has no chapter to link this figure to"),
            "{report}"
        );
    }
    let (view, report) = outcome_with(&data, &Homes::default(), "page.md", "<<benchmark-summary>>");
    assert!(view.is_none());
    assert!(
        report.contains("`<<benchmark http-json>>`, `<<benchmark startup>>`"),
        "{report}"
    );
}

#[test]
fn every_directive_resolves_on_the_test_dataset() {
    for directive in DIRECTIVES {
        let text = match directive.name {
            "compare" => "<<compare speed>>",
            "benchmark" => "<<benchmark http-json>>",
            "value" => "<<value http-json throughput rust>>",
            "ratio" => "<<ratio http-json throughput>>",
            name => &format!("<<{name}>>"),
        };
        let (view, report) = outcome_in(&dataset(), "guide/page.md", text);
        assert!(view.is_some(), "{text}: {report}");
    }
}

#[test]
fn an_unreadable_data_file_causes_no_second_error() {
    let mut data = dataset();
    data.dimensions.clear();
    data.benchmarks.truncate(1);
    data.unreadable.dimensions = true;
    data.unreadable.benchmarks = true;
    for text in [
        "<<compare all>>",
        "<<compare category=core>>",
        "<<glance>>",
        "<<benchmark>>",
        "<<benchmark-summary>>",
    ] {
        let (view, report) = outcome_in(&data, "page.md", text);
        assert!(view.is_none(), "{text}");
        assert_eq!(report, "", "{text}");
    }
    data.unreadable.dimensions = false;
    let (_, report) = outcome_in(&data, "page.md", "<<compare all>>");
    assert!(report.contains("no dimensions are defined"), "{report}");
}

#[test]
fn a_take_whose_dimension_has_no_chapter_is_a_warning() {
    let mut data = dataset();
    if let Some(takes) = &mut data.quick_takes {
        takes.value[2].dimension = Some("tooling".into());
    }
    let (view, report) = outcome_in(&data, "guide/page.md", "<<quick-takes>>");
    assert!(view.is_some());
    assert!(
        report.contains("warning: some quick takes name a dimension"),
        "{report}"
    );
    assert!(report.contains("`<<compare tooling>>`"), "{report}");
}

#[test]
fn a_dimension_without_a_chapter_is_named_once_however_many_takes_name_it() {
    let mut data = dataset();
    if let Some(takes) = &mut data.quick_takes {
        takes.value[2].dimension = Some("speed".into());
    }
    // In a book with no homes, the takes name speed, onboarding and speed again.
    let (_, report) = outcome_with(&data, &Homes::default(), "page.md", "<<quick-takes>>");
    assert_eq!(report.matches("`<<compare speed>>`").count(), 1, "{report}");
    assert!(report.contains("`<<compare onboarding>>`"), "{report}");
}

#[test]
fn many_unknown_metrics_of_a_large_benchmark_cost_linear_time() {
    // 3,000 metric ids of one length, so the closest-id search measures every one, and 400
    // directives naming a missing one: only the errors that are kept (not only counted) look
    // for the closest id, so the work is bounded by the kept errors, not by the chapter.
    let mut data = dataset();
    let http = data
        .benchmarks
        .iter_mut()
        .find(|b| b.id == "http-json")
        .expect("the test dataset's http-json");
    let template = http.value.metrics[0].clone();
    http.value.metrics = (0..3_000)
        .map(|i| {
            let mut metric = template.clone();
            metric.id = format!("m{i:04}");
            metric
        })
        .collect();
    let homes = super::testing::homes(&data);
    let directive = "<<value http-json m9999x rust>>";
    let chapter_text = format!("{directive}\n").repeat(400);
    let source = crate::diagnostic::SourceFile::new("src/guide/page.md", chapter_text.as_str());
    let context = super::Context {
        evidence: false,
        dataset: &data,
        homes: &homes,
        chapter: std::path::Path::new("guide/page.md"),
        repository: None,
        source: &source,
    };
    let mut diagnostics = crate::diagnostic::Diagnostics::default();
    crate::diagnostic::MEASURED.with(|measured| measured.set(0));
    for _ in 0..400 {
        let call = call(directive);
        let value = find("value").expect("the value directive");
        assert!((value.resolve)(&call, &context, &mut diagnostics).is_none());
    }
    let measured = crate::diagnostic::MEASURED.with(std::cell::Cell::get);
    let bound = (crate::diagnostic::KEPT_PER_FILE + 1) * 3_000;
    assert!(
        measured <= bound,
        "{measured} distances measured, over {bound}"
    );
    assert_eq!(diagnostics.pushed(), 400, "every error is still counted");
    let report = diagnostics.render(false);
    assert!(
        report.contains("unknown metric of `http-json` `m9999x`"),
        "{report}"
    );
}

#[test]
fn a_recorded_change_shows_beside_the_check() {
    // `speed` records a change before its last check; `onboarding` records none.
    let speed = format!("{:?}", figure("<<compare speed>>"));
    assert!(
        speed.contains(" · checked ") && speed.contains(" · changed "),
        "{speed}"
    );
    assert!(
        speed.contains("2026-09-01") && speed.contains("2026-11-01"),
        "{speed}"
    );
    let onboarding = format!("{:?}", figure("<<compare onboarding>>"));
    assert!(onboarding.contains(" · as of "), "{onboarding}");
    assert!(!onboarding.contains(" · changed "), "{onboarding}");
}

#[test]
fn a_benchmark_lists_the_other_chapters_that_cite_it_as_links_in_both_formats() {
    let data = dataset();
    let mut homes = testing::homes(&data);
    let cite = |homes: &mut Homes, text: &str, chapter: &str, name: &str| {
        let call = call(text);
        let cites = (find(call.name.text).unwrap().cites)(&call);
        homes.cite(cites, std::path::Path::new(chapter), name);
    };
    cite(
        &mut homes,
        "<<benchmark http-json>>",
        "bench/http-json.md",
        "Suite",
    );
    cite(
        &mut homes,
        "<<value http-json throughput rust>>",
        "guide/speed.md",
        "Speed <b>",
    );
    cite(
        &mut homes,
        "<<ratio http-json throughput>>",
        "guide/speed.md",
        "Speed <b>",
    );
    cite(
        &mut homes,
        "<<ratio startup time>>",
        "guide/start.md",
        "Start",
    );
    cite(&mut homes, "<<benchmark-summary>>", "summary.md", "Summary");
    let (view, report) = outcome_with(
        &data,
        &homes,
        "bench/http-json.md",
        "<<benchmark http-json>>",
    );
    assert_eq!(report, "");
    let Some(crate::view::View::Figure(figure)) = view.clone() else {
        panic!("{view:?}");
    };
    let cited = figure
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Note(n) if words(&n.text).starts_with("Cited in:") => Some(n),
            _ => None,
        })
        .expect("a \"Cited in\" note");
    assert_eq!(words(&cited.text), "Cited in: Speed <b>, Summary");
    let view = view.unwrap();
    let html = crate::write::html::render(&view, &mut Default::default());
    assert!(
        html.contains(r#"<a href="../guide/speed.html">Speed &lt;b&gt;</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="../summary.html">Summary</a>"#),
        "{html}"
    );
    let markdown = crate::write::markdown::render(&view);
    assert!(markdown.contains("(../guide/speed.md)"), "{markdown}");
    // The suite's summary shows only reproduced benchmarks with a headline.
    let (published, _) = outcome_with(&data, &homes, "bench/tasks.md", "<<benchmark tasks>>");
    let html = crate::write::html::render(&published.unwrap(), &mut Default::default());
    assert!(!html.contains("Cited in:"), "{html}");
}
