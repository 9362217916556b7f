//! The HTML renderer: real tables with captions and scoped headers, badges with text, inline SVG
//! charts. Everything from the dataset is escaped or passed through [`inline::to_html`].

use std::collections::BTreeMap;
use std::fmt::Write;

use super::inline::{self, InlineHtml};
use super::links::{Links, Repository};
use super::metric::{Outcome, direction_text, format_value};
use super::{
    Citations, Matrix, View, chart, provenance_text, scorecard, scorecard_headers, verdict_label,
};
use crate::dataset::model::{Benchmark, Dimension, QuickTake, Source};
use crate::dataset::{Dataset, Entry};

/// Renders a view as one line of HTML, linking each table to its data in `repository`, with
/// inline Markdown from `inline_html`. Its anchor is `cmp-` and the view's [`View::anchor`], with
/// `cmp-N-` instead for the `occurrence` N > 1 of the same view on a page; every other anchor
/// in it starts with that one.
pub fn render(
    view: &View<'_>,
    dataset: &Dataset,
    repository: Option<&Repository>,
    inline_html: &mut InlineHtml,
    occurrence: usize,
) -> String {
    let mut out = Html {
        out: String::with_capacity(4096),
        inline_html,
        anchor: match occurrence {
            0 | 1 => format!("cmp-{}", view.anchor()),
            n => format!("cmp-{n}-{}", view.anchor()),
        },
    };
    match view {
        View::Dimension(entry) => {
            out.dimension(entry, dataset, repository.map(|r| r.dimension(entry)));
        }
        View::Matrix(matrix) => out.matrix(matrix, dataset, repository),
        View::Benchmark(entry) => {
            out.benchmark(entry, dataset, repository.map(|r| r.benchmark(entry)));
        }
        View::QuickTakes(entry) => {
            out.quick_takes(entry, dataset, repository.map(|r| r.quick_takes(entry)));
        }
    }
    out.out.replace('\n', " ")
}

/// An HTML buffer with helpers for the pieces every table shares.
struct Html<'c> {
    out: String,
    inline_html: &'c mut InlineHtml,
    /// The anchor of this rendering, which the others in it start with.
    anchor: String,
}

impl Html<'_> {
    fn raw(&mut self, html: &str) -> &mut Self {
        self.out.push_str(html);
        self
    }

    fn text(&mut self, text: &str) -> &mut Self {
        let _ = pulldown_cmark_escape::escape_html(&mut self.out, text);
        self
    }

    fn markdown(&mut self, markdown: &str) -> &mut Self {
        self.out.push_str(self.inline_html.get(markdown));
        self
    }

    /// Opens the wrapper of one directive's output, of `kind`, with its anchor.
    fn open_figure(&mut self, kind: &str) {
        self.raw("<div class=\"cmp cmp-").raw(kind).raw("\" id=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut self.out, &self.anchor);
        self.raw("\">");
    }

    fn open_table(&mut self, class: &str, caption: impl FnOnce(&mut Self)) {
        let _ = write!(
            self.out,
            "<div class=\"cmp-scroll\"><table class=\"{class}\"><caption>"
        );
        caption(self);
        self.raw("</caption>");
    }

    fn close_table(&mut self) {
        self.raw("</table></div>");
    }

    fn head(&mut self, headers: &[&str]) {
        self.raw("<thead><tr>");
        for header in headers {
            self.raw("<th scope=\"col\">").text(header).raw("</th>");
        }
        self.raw("</tr></thead>");
    }

    fn edge_badge(&mut self, dataset: &Dataset, edge: &str, prefix: &str) {
        self.raw("<span class=\"cmp-badge cmp-badge-edge\" data-edge=\"")
            .text(edge)
            .raw("\">")
            .text(prefix)
            .text(dataset.verdict_name(edge))
            .raw("</span>");
    }

    /// A `<tbody>` with one row per language: its name, then its entry of `per_language`.
    fn language_rows(&mut self, dataset: &Dataset, per_language: &BTreeMap<String, String>) {
        self.raw("<tbody>");
        for language in &dataset.languages {
            self.raw("<tr><th scope=\"row\">")
                .text(&language.name)
                .raw("</th><td>");
            self.markdown(per_language.get(&language.id).map_or("", String::as_str));
            self.raw("</td></tr>");
        }
        self.raw("</tbody>");
    }

    fn category_badge(&mut self, dataset: &Dataset, category: &str) {
        let name = dataset
            .category(category)
            .map_or(category, |c| c.name.as_str());
        self.raw("<span class=\"cmp-badge cmp-badge-category\">")
            .text(name)
            .raw("</span>");
    }

    fn sources(&mut self, sources: &[Source], as_of: &str) {
        self.raw("Sources: ");
        for (i, source) in sources.iter().enumerate() {
            if i > 0 {
                self.raw("; ");
            }
            self.source(source);
        }
        self.as_of(as_of);
    }

    /// A source as a link, or as a citation when it has no (safe) address.
    fn source(&mut self, source: &Source) {
        match source.url.as_deref().filter(|u| inline::is_safe_url(u)) {
            Some(url) => {
                self.raw("<a href=\"");
                let _ = pulldown_cmark_escape::escape_href(&mut self.out, url);
                self.raw("\">").text(&source.title).raw("</a>");
            }
            None => {
                self.raw("<cite>").text(&source.title).raw("</cite>");
            }
        }
    }

    fn as_of(&mut self, as_of: &str) {
        self.raw(" · as of <time>").text(as_of).raw("</time>");
    }

    /// A row's citations as numbered links to the list under the table, then its date.
    fn cite(&mut self, anchor: &str, numbers: &[usize], as_of: &str) {
        for (i, number) in numbers.iter().enumerate() {
            if i > 0 {
                self.raw(" ");
            }
            self.raw("<a href=\"#").text(anchor);
            let _ = write!(self.out, "-source-{number}\">[{number}]</a>");
        }
        self.as_of(as_of);
    }

    /// The numbered list of every source cited in a table.
    fn citation_list(&mut self, anchor: &str, citations: &Citations<'_>) {
        self.raw("<ol class=\"cmp-sources\">");
        for (i, source) in citations.sources.iter().enumerate() {
            self.raw("<li id=\"").text(anchor);
            let _ = write!(self.out, "-source-{}\">", i + 1);
            self.source(source);
            self.raw("</li>");
        }
        self.raw("</ol>");
    }

    /// "view data · suggest a change", linking to the repository.
    fn data_links(&mut self, links: &Links) {
        self.data_link(&links.view, "view data");
        self.raw(" · ");
        self.data_link(&links.suggest, "suggest a change");
    }

    fn data_link(&mut self, url: &str, label: &str) {
        self.raw("<a class=\"cmp-data-link\" href=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut self.out, url);
        self.raw("\">").text(label).raw("</a>");
    }

    fn meta(&mut self, sources: &[Source], as_of: &str, links: Option<Links>) {
        self.raw("<p class=\"cmp-meta\">");
        self.sources(sources, as_of);
        if let Some(links) = links {
            self.raw(" · ");
            self.data_links(&links);
        }
        self.raw("</p>");
    }

    fn dimension(&mut self, entry: &Entry<Dimension>, dataset: &Dataset, links: Option<Links>) {
        let dimension = &entry.value;
        self.open_figure("dimension");
        self.open_table("cmp-table", |h| {
            h.raw("<span class=\"cmp-title\">")
                .text(&dimension.title)
                .raw("</span> ");
            h.category_badge(dataset, &dimension.category);
            h.raw(" ");
            h.edge_badge(dataset, &dimension.edge, "Edge: ");
        });
        self.head(&["Language", "Take"]);
        self.language_rows(dataset, &dimension.takes);
        self.close_table();
        self.raw("<p class=\"cmp-verdict\"><strong>")
            .text(verdict_label(&dimension.edge))
            .raw("</strong> ")
            .markdown(&dimension.verdict)
            .raw("</p>");
        self.meta(&dimension.sources, &dimension.as_of, links);
        self.raw("</div>");
    }

    fn matrix(&mut self, matrix: &Matrix<'_>, dataset: &Dataset, repository: Option<&Repository>) {
        self.open_figure("matrix");
        self.open_table("cmp-table cmp-matrix-table", |h| {
            h.text(&matrix.caption);
        });
        let mut headers = vec!["Dimension"];
        headers.extend(dataset.languages.iter().map(|l| l.name.as_str()));
        headers.extend(["Edge", "Sources"]);
        self.head(&headers);
        let anchor = self.anchor.clone();
        let mut citations = Citations::default();
        self.raw("<tbody>");
        for entry in &matrix.rows {
            let dimension = &entry.value;
            self.raw("<tr><th scope=\"row\">")
                .text(&dimension.title)
                .raw(" ");
            self.category_badge(dataset, &dimension.category);
            self.raw("</th>");
            for language in &dataset.languages {
                self.raw("<td>");
                self.markdown(dimension.takes.get(&language.id).map_or("", String::as_str));
                self.raw("</td>");
            }
            self.raw("<td>");
            self.edge_badge(dataset, &dimension.edge, "");
            self.raw("</td><td class=\"cmp-meta\">");
            let numbers = citations.cite(&dimension.sources);
            self.cite(&anchor, &numbers, &dimension.as_of);
            if let Some(repository) = repository {
                self.raw(" · ");
                self.data_links(&repository.dimension(entry));
            }
            self.raw("</td></tr>");
        }
        self.raw("</tbody>");
        self.close_table();
        self.citation_list(&anchor, &citations);
        if matrix.scorecard {
            self.scorecard(matrix, dataset);
        }
        self.raw("</div>");
    }

    fn scorecard(&mut self, matrix: &Matrix<'_>, dataset: &Dataset) {
        let (rows, total) = scorecard(dataset, &matrix.rows);
        self.open_table("cmp-table cmp-scorecard", |h| {
            h.text("Scorecard: edges per category");
        });
        let mut headers = vec!["Category"];
        headers.extend(scorecard_headers(dataset));
        self.head(&headers);
        self.raw("<tbody>");
        for row in rows {
            self.score_row(row.name, &row.counts);
        }
        self.raw("</tbody><tfoot>");
        self.score_row("All dimensions", &total);
        self.raw("</tfoot>");
        self.close_table();
    }

    fn score_row(&mut self, name: &str, counts: &[usize]) {
        self.raw("<tr><th scope=\"row\">").text(name).raw("</th>");
        for count in counts {
            let _ = write!(self.out, "<td>{count}</td>");
        }
        self.raw("</tr>");
    }

    fn benchmark(&mut self, entry: &Entry<Benchmark>, dataset: &Dataset, links: Option<Links>) {
        let benchmark = &entry.value;
        let (badge, explanation) = provenance_text(benchmark.provenance);
        self.open_figure("benchmark");
        self.raw("<p class=\"cmp-benchmark-title\"><strong>")
            .text(&benchmark.title)
            .raw("</strong> <span class=\"cmp-badge cmp-badge-provenance\" data-provenance=\"");
        self.raw(benchmark.provenance.as_str())
            .raw("\">")
            .text(badge)
            .raw("</span></p>");
        self.raw("<p class=\"cmp-provenance\">")
            .text(explanation)
            .raw("</p>");
        self.raw("<p class=\"cmp-description\">")
            .markdown(&benchmark.description)
            .raw("</p>");
        self.results(entry, dataset);
        for (index, metric) in benchmark.metrics.iter().enumerate() {
            let outcome = Outcome::of(metric, &dataset.languages);
            self.raw("<div class=\"cmp-metric\"><p class=\"cmp-metric-name\"><strong>")
                .text(&metric.name)
                .raw("</strong></p>");
            if outcome.is_measured() {
                let id = format!("{}-metric-{index}", self.anchor);
                self.raw(&chart::svg(&id, metric, &outcome));
            } else {
                self.raw("<p class=\"cmp-not-measured\">Not measured</p>");
            }
            self.raw("<p class=\"cmp-direction\">")
                .text(direction_text(metric.direction));
            let ratio = outcome.ratio_text();
            if !ratio.is_empty() {
                self.raw(" · ").text(&ratio);
            }
            self.raw("</p>");
            if let Some(note) = &metric.note {
                self.raw("<p class=\"cmp-note\">")
                    .markdown(note)
                    .raw("</p>");
            }
            self.raw("</div>");
        }
        self.open_table("cmp-table cmp-setup", |h| {
            h.text("Setup");
        });
        self.language_rows(dataset, &benchmark.setup);
        self.close_table();
        self.raw("<p class=\"cmp-environment\"><strong>Environment:</strong> ")
            .markdown(&benchmark.environment)
            .raw("</p>");
        if let Some(command) = &benchmark.reproduce {
            self.raw("<p class=\"cmp-reproduce\"><strong>Reproduce:</strong> <code>")
                .text(command)
                .raw("</code></p>");
        }
        self.meta(&benchmark.sources, &benchmark.as_of, links);
        self.raw("</div>");
    }

    fn results(&mut self, entry: &Entry<Benchmark>, dataset: &Dataset) {
        self.open_table("cmp-table cmp-results", |h| {
            h.text("Results: ").text(&entry.value.title);
        });
        let mut headers = vec!["Metric"];
        headers.extend(dataset.languages.iter().map(|l| l.name.as_str()));
        headers.extend(["Better", "Ratio"]);
        self.head(&headers);
        self.raw("<tbody>");
        for metric in &entry.value.metrics {
            let outcome = Outcome::of(metric, &dataset.languages);
            self.raw("<tr><th scope=\"row\">")
                .text(&metric.name)
                .raw(" <span class=\"cmp-direction\">(")
                .text(&direction_text(metric.direction).to_lowercase())
                .raw(")</span></th>");
            for (_, value) in &outcome.values {
                match value {
                    Some(value) => {
                        self.raw("<td>")
                            .text(&format_value(*value))
                            .raw(" ")
                            .text(&metric.unit)
                            .raw("</td>");
                    }
                    None => {
                        self.raw("<td class=\"cmp-not-measured\">not measured</td>");
                    }
                }
            }
            self.raw("<td>");
            match outcome.best {
                Some(best) => {
                    self.edge_badge(dataset, &best.id, "");
                }
                None => {
                    self.text("—");
                }
            }
            self.raw("</td><td>");
            let ratios: Vec<String> = outcome
                .ratios
                .iter()
                .map(|(_, r)| super::metric::format_ratio(*r))
                .collect();
            self.text(
                if ratios.is_empty() {
                    "—".to_string()
                } else {
                    ratios.join(", ")
                }
                .as_str(),
            );
            self.raw("</td></tr>");
        }
        self.raw("</tbody>");
        self.close_table();
    }

    fn quick_takes(
        &mut self,
        entry: &Entry<Vec<QuickTake>>,
        dataset: &Dataset,
        links: Option<Links>,
    ) {
        self.open_figure("quick-takes");
        self.open_table("cmp-table", |h| {
            h.text("Quick takes: which language for which job");
        });
        self.head(&["If you're…", "Pick", "Because", "Sources"]);
        let anchor = self.anchor.clone();
        let mut citations = Citations::default();
        self.raw("<tbody>");
        for take in &entry.value {
            self.raw("<tr><th scope=\"row\">")
                .markdown(&take.situation)
                .raw("</th><td>");
            self.edge_badge(dataset, &take.pick, "");
            self.raw("</td><td>")
                .markdown(&take.reason)
                .raw("</td><td class=\"cmp-meta\">");
            let numbers = citations.cite(&take.sources);
            self.cite(&anchor, &numbers, &take.as_of);
            self.raw("</td></tr>");
        }
        self.raw("</tbody>");
        self.close_table();
        self.citation_list(&anchor, &citations);
        if let Some(links) = links {
            self.raw("<p class=\"cmp-meta\">");
            self.data_links(&links);
            self.raw("</p>");
        }
        self.raw("</div>");
    }
}
