//! The Markdown renderer: GitHub-flavoured tables (pipes and line breaks escaped) for renderers
//! other than html, so the output stays readable anywhere.

use super::links::{Links, Repository};
use super::metric::{Outcome, direction_text, format_ratio, format_value};
use super::{
    Citations, Matrix, View, inline, provenance_text, scorecard, scorecard_headers, verdict_label,
};
use crate::dataset::model::{Benchmark, Dimension, QuickTake, Source};
use crate::dataset::{Dataset, Entry};

/// Renders a view as Markdown blocks separated by blank lines, linking each table to its data in
/// `repository`.
pub fn render(view: &View<'_>, dataset: &Dataset, repository: Option<&Repository>) -> String {
    let blocks = match view {
        View::Dimension(entry) => dimension(entry, dataset, repository.map(|r| r.dimension(entry))),
        View::Matrix(matrix) => self::matrix(matrix, dataset, repository),
        View::Benchmark(entry) => benchmark(entry, dataset, repository.map(|r| r.benchmark(entry))),
        View::QuickTakes(entry) => {
            quick_takes(entry, dataset, repository.map(|r| r.quick_takes(entry)))
        }
    };
    blocks.join("\n\n")
}

/// Plain text escaped for Markdown.
fn text(plain: &str) -> String {
    inline::escape_text(plain)
}

/// A GFM table; every cell is already safe inline Markdown.
fn table(headers: &[String], rows: &[Vec<String>]) -> String {
    let line = |cells: &[String]| format!("| {} |", cells.join(" | "));
    let mut lines = vec![line(headers), line(&vec!["---".to_string(); headers.len()])];
    lines.extend(rows.iter().map(|row| line(row)));
    lines.join("\n")
}

fn sources(sources: &[Source], as_of: &str) -> String {
    let list: Vec<String> = sources.iter().map(source).collect();
    format!("Sources: {} · as of {}", list.join("; "), text(as_of))
}

/// "view data · suggest a change", linking to the repository.
fn data_links(links: &Links) -> String {
    format!(
        "{} · {}",
        inline::link("view data", &links.view),
        inline::link("suggest a change", &links.suggest)
    )
}

/// `text`, followed by the data links when there are any.
fn with_links(text: String, links: Option<Links>) -> String {
    match links {
        Some(links) => format!("{text} · {}", data_links(&links)),
        None => text,
    }
}

/// A source as a link, or as an emphasised citation when it has no (safe) address.
fn source(source: &Source) -> String {
    match source.url.as_deref().filter(|u| inline::is_safe_url(u)) {
        Some(url) => inline::link(&source.title, url),
        None => format!("*{}*", text(&source.title)),
    }
}

/// A row's citations, "\[1\] \[3\] · as of DATE".
fn cite(numbers: &[usize], as_of: &str) -> String {
    let numbers: Vec<String> = numbers.iter().map(|n| format!("\\[{n}\\]")).collect();
    format!("{} · as of {}", numbers.join(" "), text(as_of))
}

/// The numbered list of every source cited in a table.
fn citation_list(citations: &Citations<'_>) -> String {
    let items: Vec<String> = citations
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {}", i + 1, source(s)))
        .collect();
    format!("Sources:\n\n{}", items.join("\n"))
}

fn edge(dataset: &Dataset, id: &str) -> String {
    format!("**{}**", text(dataset.verdict_name(id)))
}

fn category(dataset: &Dataset, id: &str) -> String {
    text(dataset.category(id).map_or(id, |c| c.name.as_str()))
}

fn language_headers(dataset: &Dataset) -> impl Iterator<Item = String> + '_ {
    dataset.languages.iter().map(|l| text(&l.name))
}

fn dimension(entry: &Entry<Dimension>, dataset: &Dataset, links: Option<Links>) -> Vec<String> {
    let d = &entry.value;
    let rows: Vec<Vec<String>> = dataset
        .languages
        .iter()
        .map(|l| {
            let take = d.takes.get(&l.id).map_or("", String::as_str);
            vec![format!("**{}**", text(&l.name)), inline::to_markdown(take)]
        })
        .collect();
    vec![
        format!(
            "**{}** · {} · edge: {}",
            text(&d.title),
            category(dataset, &d.category),
            edge(dataset, &d.edge)
        ),
        table(&["Language".into(), "Take".into()], &rows),
        format!(
            "*{}* {}",
            verdict_label(&d.edge),
            inline::to_markdown(&d.verdict)
        ),
        with_links(sources(&d.sources, &d.as_of), links),
    ]
}

fn matrix(matrix: &Matrix<'_>, dataset: &Dataset, repository: Option<&Repository>) -> Vec<String> {
    let mut headers = vec!["Dimension".to_string()];
    headers.extend(language_headers(dataset));
    headers.extend(["Edge".to_string(), "Sources".to_string()]);
    let mut citations = Citations::default();
    let rows: Vec<Vec<String>> = matrix
        .rows
        .iter()
        .map(|entry| {
            let d = &entry.value;
            let mut row = vec![format!(
                "**{}** ({})",
                text(&d.title),
                category(dataset, &d.category)
            )];
            row.extend(
                dataset
                    .languages
                    .iter()
                    .map(|l| inline::to_markdown(d.takes.get(&l.id).map_or("", String::as_str))),
            );
            row.push(edge(dataset, &d.edge));
            row.push(with_links(
                cite(&citations.cite(&d.sources), &d.as_of),
                repository.map(|r| r.dimension(entry)),
            ));
            row
        })
        .collect();
    let mut blocks = vec![
        format!("**{}**", text(&matrix.caption)),
        table(&headers, &rows),
        citation_list(&citations),
    ];
    if matrix.scorecard {
        let (per_category, total) = scorecard(dataset, &matrix.rows);
        let mut headers = vec!["Category".to_string()];
        headers.extend(scorecard_headers(dataset).into_iter().map(text));
        let count_row = |name: &str, counts: &[usize]| {
            let mut row = vec![text(name)];
            row.extend(counts.iter().map(usize::to_string));
            row
        };
        let mut rows: Vec<Vec<String>> = per_category
            .iter()
            .map(|r| count_row(r.name, &r.counts))
            .collect();
        rows.push(count_row("All dimensions", &total));
        blocks.push("**Scorecard: edges per category**".to_string());
        blocks.push(table(&headers, &rows));
    }
    blocks
}

fn benchmark(entry: &Entry<Benchmark>, dataset: &Dataset, links: Option<Links>) -> Vec<String> {
    let b = &entry.value;
    let (badge, explanation) = provenance_text(b.provenance);
    let mut headers = vec!["Metric".to_string()];
    headers.extend(language_headers(dataset));
    headers.extend([
        "Better".to_string(),
        "Ratio".to_string(),
        "Note".to_string(),
    ]);
    let rows: Vec<Vec<String>> = b
        .metrics
        .iter()
        .map(|metric| {
            let outcome = Outcome::of(metric, &dataset.languages);
            let mut row = vec![format!(
                "{} ({})",
                text(&metric.name),
                direction_text(metric.direction).to_lowercase()
            )];
            row.extend(outcome.values.iter().map(|(_, v)| match v {
                Some(v) => text(&format!("{} {}", format_value(*v), metric.unit)),
                None => "*not measured*".to_string(),
            }));
            row.push(
                outcome
                    .best
                    .map_or("—".to_string(), |l| edge(dataset, &l.id)),
            );
            let ratios: Vec<String> = outcome
                .ratios
                .iter()
                .map(|(_, r)| format_ratio(*r))
                .collect();
            row.push(if ratios.is_empty() {
                "—".to_string()
            } else {
                ratios.join(", ")
            });
            row.push(
                metric
                    .note
                    .as_deref()
                    .map_or(String::new(), inline::to_markdown),
            );
            row
        })
        .collect();
    let setup: Vec<Vec<String>> = dataset
        .languages
        .iter()
        .map(|l| {
            vec![
                format!("**{}**", text(&l.name)),
                inline::to_markdown(b.setup.get(&l.id).map_or("", String::as_str)),
            ]
        })
        .collect();
    let mut blocks = vec![
        format!("**{}** · *{badge}*: {explanation}", text(&b.title)),
        inline::to_markdown(&b.description),
        table(&headers, &rows),
        table(&["Setup".into(), String::new()], &setup),
        format!("*Environment:* {}", inline::to_markdown(&b.environment)),
    ];
    if let Some(command) = &b.reproduce {
        blocks.push(format!("*Reproduce:* {}", inline::code_span(command)));
    }
    blocks.push(with_links(sources(&b.sources, &b.as_of), links));
    blocks
}

fn quick_takes(
    entry: &Entry<Vec<QuickTake>>,
    dataset: &Dataset,
    links: Option<Links>,
) -> Vec<String> {
    let mut citations = Citations::default();
    let rows: Vec<Vec<String>> = entry
        .value
        .iter()
        .map(|take| {
            vec![
                inline::to_markdown(&take.situation),
                edge(dataset, &take.pick),
                inline::to_markdown(&take.reason),
                cite(&citations.cite(&take.sources), &take.as_of),
            ]
        })
        .collect();
    let mut blocks = vec![
        "**Quick takes: which language for which job**".to_string(),
        table(
            &[
                "If you're…".into(),
                "Pick".into(),
                "Because".into(),
                "Sources".into(),
            ],
            &rows,
        ),
        citation_list(&citations),
    ];
    blocks.extend(links.as_ref().map(data_links));
    blocks
}
