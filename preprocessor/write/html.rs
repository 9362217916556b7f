//! The HTML writer: a figure becomes one line (so that it is a single raw HTML block wherever
//! the directive stood): real tables with captions and scoped headers, badges with text, inline
//! SVG charts. An inline view becomes inline HTML whose text Markdown cannot read as syntax.
//!
//! Text is escaped, inline Markdown from the data goes through the inline-Markdown policy, and
//! at the end every `{` becomes `&#123;` and every line break a space: nothing from the data
//! can reach a later preprocessor (`{{#include ...}}`) or the browser as live syntax.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use pulldown_cmark_escape::{escape_href, escape_html};

use super::inline;
use super::tone::tone_attributes;
use super::{Pieces, address, chart};
use crate::view::{
    Badge, Block, Details, Figure, Link, Note, NoteKind, Source, Span, Table, Target, Text, View,
};

/// The anchors already used on a page, so that each figure gets its own.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    used: HashSet<String>,
    /// For each figure id, the first occurrence (from 0) not yet tried on this page: every
    /// earlier one is taken (ids are only ever added), so it is never tried again.
    next: HashMap<String, usize>,
    /// How many occurrences were tried, to test that a page's anchors cost linear time.
    #[cfg(test)]
    pub(crate) tries: usize,
}

/// A view written as HTML, with every id it uses.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    /// The HTML, in pieces: a page leaves out an explanation it has given.
    pub(crate) html: Pieces,
    /// The ids in it, to be unique on the page.
    ids: Vec<String>,
}

impl Anchors {
    /// Takes the ids of `rendered` for the page, if none is taken yet.
    pub(crate) fn take(&mut self, rendered: &Rendered) -> bool {
        #[cfg(test)]
        {
            self.tries += 1;
        }
        if rendered.ids.iter().any(|id| self.used.contains(id)) {
            return false;
        }
        self.used.extend(rendered.ids.iter().cloned());
        true
    }
}

/// Renders `view` as HTML with anchors unique among `anchors` (which it then holds too): a
/// figure repeated on a page gets `cmp-2-...`, `cmp-3-...`.
pub(crate) fn render(view: &View, anchors: &mut Anchors) -> String {
    let mut html = String::new();
    claim(view, anchors, |i, anchors| {
        let rendered = render_occurrence(view, i + 1);
        let free = anchors.take(&rendered);
        if free {
            html = rendered.html.whole();
        }
        free
    });
    html
}

/// Which of `occurrences`, the writings of `view` for its first, second... occurrence on a page
/// (each written here when first needed), is the first whose anchors are all free in `anchors`,
/// which then holds them. A run keeps them to reuse on every page.
pub(crate) fn first_free(
    view: &View,
    occurrences: &mut Vec<Rendered>,
    anchors: &mut Anchors,
) -> usize {
    claim(view, anchors, |i, anchors| {
        while occurrences.len() <= i {
            occurrences.push(render_occurrence(view, occurrences.len() + 1));
        }
        anchors.take(&occurrences[i])
    })
}

/// The first occurrence of `view` on the page (from 0) that `take` finds free, trying them in
/// order from the one after the occurrence its figure last took here: every earlier one is
/// taken, so the k-th copy of a table costs one try, not k.
fn claim(
    view: &View,
    anchors: &mut Anchors,
    mut take: impl FnMut(usize, &mut Anchors) -> bool,
) -> usize {
    let figure = match view {
        View::Figure(figure) => Some(figure.id.as_str()),
        View::Inline(_) => None,
    };
    let start = figure.map_or(0, |id| anchors.next.get(id).copied().unwrap_or(0));
    let free = (start..).find(|&i| take(i, anchors)).unwrap_or_default();
    if let Some(id) = figure {
        anchors.next.insert(id.to_string(), free + 1);
    }
    free
}

/// Renders `view` as HTML for its `occurrence` on a page (from 1): a figure as one line, under
/// the base anchor `cmp-ID` for the first, `cmp-2-ID` for the second and so on; an inline view
/// as inline HTML that Markdown cannot read as anything else.
fn render_occurrence(view: &View, occurrence: usize) -> Rendered {
    match view {
        View::Figure(figure) => {
            let base = match occurrence {
                1 => format!("cmp-{}", figure.id),
                n => format!("cmp-{n}-{}", figure.id),
            };
            let mut writer = Writer::new(base);
            writer.figure(figure);
            let mut html = Pieces::new("");
            let ends = (writer.cuts.iter().skip(1).map(|(at, _)| *at)).chain([writer.out.len()]);
            for ((start, explanation), end) in writer.cuts.iter().zip(ends) {
                html.push(explanation.clone(), inert(&writer.out[*start..end]));
            }
            Rendered {
                html,
                ids: writer.ids,
            }
        }
        View::Inline(text) => {
            let mut writer = Writer::new(String::new());
            writer.text(text);
            let mut html = Pieces::new("");
            html.push(None, inert_inline(&inert(&writer.out)));
            Rendered {
                html,
                ids: Vec::new(),
            }
        }
    }
}

/// Every `{` as `&#123;` and every line break as a space.
fn inert(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    for c in html.chars() {
        match c {
            '{' => out.push_str("&#123;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Inline HTML (escaped, on one line) with every character that Markdown reads as syntax
/// written as a character reference, in text and attribute values alike (browsers decode both):
/// wherever the paragraph puts it (a table cell, after an unmatched backtick, in emphasis or
/// in a link's text), no `|` splits the cell, no backtick closes a code span, and no bracket,
/// star or underscore starts a link or emphasis. What stays is the tags' own `<`, `>`, `"` and
/// `=`, and the `&` and `#` that start the references.
fn inert_inline(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut previous = ' ';
    for c in html.chars() {
        match c {
            '#' if previous == '&' => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '~' | '|' | '#' | '\'' | '$' | '^' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c => out.push(c),
        }
        previous = c;
    }
    out
}

/// An HTML buffer for one view.
struct Writer {
    out: String,
    /// The figure's anchor, which every other id in it starts with.
    base: String,
    /// Every id written.
    ids: Vec<String>,
    /// Charts written so far.
    charts: usize,
    /// The words of the figure's title line, which name its tables' regions with their caption.
    title: String,
    /// Where each piece of `out` starts, with the words of the explanation it is, if it is one
    /// (from 0, in order).
    cuts: Vec<(usize, Option<String>)>,
}

impl Writer {
    fn new(base: String) -> Self {
        Writer {
            out: String::with_capacity(4096),
            base,
            ids: Vec::new(),
            charts: 0,
            title: String::new(),
            cuts: vec![(0, None)],
        }
    }

    fn raw(&mut self, html: &str) -> &mut Self {
        self.out.push_str(html);
        self
    }

    /// Plain text, escaped.
    fn plain(&mut self, text: &str) -> &mut Self {
        let _ = escape_html(&mut self.out, text);
        self
    }

    /// An attribute value, escaped.
    fn attribute(&mut self, value: &str) -> &mut Self {
        let _ = escape_html(&mut self.out, value);
        self
    }

    /// A new id, `base_suffix`, recorded. Data ids never hold `_`, so no figure's part can
    /// take another figure's anchor (benchmark `speed`'s first chart is `..._chart-1`, not the
    /// anchor of benchmark `speed-chart-1`), and links to a figure always find it.
    fn id(&mut self, suffix: &str) -> String {
        let id = if suffix.is_empty() {
            self.base.clone()
        } else {
            format!("{}_{suffix}", self.base)
        };
        self.ids.push(id.clone());
        id
    }

    fn figure(&mut self, figure: &Figure) {
        let id = self.id("");
        self.raw("<div class=\"cmp cmp-")
            .raw(figure.kind.name())
            .raw("\" id=\"")
            .attribute(&id)
            .raw("\">");
        for block in &figure.blocks {
            self.block(block);
        }
        self.raw("</div>");
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Note(note) => self.note(note),
            Block::Table(table) => self.table(table),
            Block::Chart(chart) => {
                self.charts += 1;
                let id = self.id(&format!("chart-{}", self.charts));
                self.ids.push(format!("{id}-title"));
                self.ids.push(format!("{id}-desc"));
                let svg = chart::svg(&id, chart, |target| self.href(target));
                self.raw(&svg);
            }
            Block::Sources(sources) => self.sources(sources),
            Block::Explanation(note) => {
                self.cuts.push((self.out.len(), Some(words(&note.text))));
                self.note(note);
                self.cuts.push((self.out.len(), None));
            }
            Block::Details(details) => self.details(details),
        }
    }

    /// Folded parts, under a summary that stays in view.
    fn details(&mut self, details: &Details) {
        self.raw("<details class=\"cmp-details\"><summary>");
        self.text(&details.summary);
        self.raw("</summary>");
        for block in &details.blocks {
            self.block(block);
        }
        self.raw("</details>");
    }

    fn note(&mut self, note: &Note) {
        if note.kind == NoteKind::Heading && self.title.is_empty() {
            self.title = words(&without_badges(&note.text));
        }
        let class = match note.kind {
            NoteKind::Heading => return self.heading(&note.text),
            NoteKind::Verdict => "cmp-verdict",
            NoteKind::Meta => "cmp-meta",
            NoteKind::Detail => "cmp-detail",
            NoteKind::Caveat => "cmp-caveat",
        };
        self.raw("<p class=\"").raw(class).raw("\">");
        self.text(&note.text);
        self.raw("</p>");
    }

    /// A heading of the page (`h3`, under the chapter's sections), which mdBook lists in its
    /// heading navigation as it does its own: an id, and the title in a link to it first. Its
    /// badges follow the link, so that the navigation shows the title alone.
    fn heading(&mut self, text: &Text) {
        let id = self.id("title");
        self.raw("<h3 class=\"cmp-heading\" id=\"")
            .attribute(&id)
            .raw("\">");
        self.raw("<a class=\"header\" href=\"#")
            .attribute(&fragment(&id))
            .raw("\">");
        self.text(&without_badges(text));
        self.raw("</a>");
        for span in text.iter().filter(|span| matches!(span, Span::Badge(_))) {
            self.raw(" ");
            self.span(span);
        }
        self.raw("</h3>");
    }

    /// A permalink to the element with `id`, named for screen readers by what it links.
    fn permalink(&mut self, id: &str, name: &str) {
        self.raw("<a class=\"cmp-permalink\" href=\"#")
            .attribute(&fragment(id))
            .raw("\" aria-label=\"Link to ")
            .attribute(name)
            .raw("\">#</a>");
    }

    /// A table in a wrapper that scrolls sideways when it must: a region named by the caption
    /// that the keyboard can focus, to scroll it. An answer table's cells carry their column's
    /// name (`data-label`), which the stylesheet shows when it turns the rows into cards.
    fn table(&mut self, table: &Table) {
        let cards = table.kind.is_answer();
        // Regions on a page need names of their own: "Setup" is every benchmark's.
        let mut name = words(&table.caption);
        if !self.title.is_empty() && !name.contains(self.title.trim()) {
            name = format!("{name}: {}", self.title.trim());
        }
        self.raw("<div class=\"cmp-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"")
            .attribute(&name)
            .raw("\"><table class=\"cmp-table cmp-")
            .raw(table.kind.name())
            .raw(if cards { " cmp-cards" } else { "" })
            .raw("\"><caption>");
        self.text(&table.caption);
        self.raw("</caption><thead><tr>");
        for cell in &table.header {
            self.raw("<th scope=\"col\">");
            self.text(cell);
            self.raw("</th>");
        }
        self.raw("</tr></thead><tbody>");
        for row in &table.rows {
            let anchor = row.anchor.as_ref().map(|anchor| self.id(anchor));
            self.raw("<tr");
            if let Some(id) = &anchor {
                self.raw(" id=\"").attribute(id).raw("\"");
            }
            self.raw(">");
            for (i, cell) in row.iter().enumerate() {
                if i == 0 {
                    self.raw("<th scope=\"row\">");
                    self.text(cell);
                    if let Some(id) = &anchor {
                        self.raw(" ");
                        self.permalink(id, &words(cell));
                    }
                    self.raw("</th>");
                    continue;
                }
                self.raw("<td");
                if let Some(header) = table.header.get(i).filter(|_| cards) {
                    self.raw(" data-label=\"")
                        .attribute(&words(header))
                        .raw("\"");
                }
                self.raw(">");
                self.text(cell);
                self.raw("</td>");
            }
            self.raw("</tr>");
        }
        self.raw("</tbody></table></div>");
    }

    fn sources(&mut self, sources: &[Source]) {
        self.raw("<ol class=\"cmp-sources\">");
        for (i, source) in sources.iter().enumerate() {
            let id = self.id(&format!("source-{}", i + 1));
            self.raw("<li id=\"").attribute(&id).raw("\">");
            self.source(source);
            self.raw("</li>");
        }
        self.raw("</ol>");
    }

    /// A source as a link, or as a citation when it has no address that may be linked.
    fn source(&mut self, source: &Source) {
        let link = source.url.as_ref().map(|url| Link {
            text: vec![Span::Plain(source.title.clone())],
            target: Target::Url(url.clone()),
            title: None,
        });
        match link {
            Some(link) if self.href(&link.target).is_some() => self.link(&link),
            _ => {
                self.raw("<cite>").plain(&source.title).raw("</cite>");
            }
        }
    }

    fn text(&mut self, text: &Text) {
        for span in text {
            self.span(span);
        }
    }

    fn span(&mut self, span: &Span) {
        match span {
            Span::Plain(text) => {
                self.plain(text);
            }
            Span::Markdown(markdown) => {
                let html = inline::to_html(markdown);
                self.raw(&html);
            }
            Span::Strong(text) => {
                self.raw("<strong>").plain(text).raw("</strong>");
            }
            Span::Code(code) => {
                self.raw("<code>").plain(code).raw("</code>");
            }
            Span::Title(title) => {
                self.raw("<cite>").plain(title).raw("</cite>");
            }
            Span::Date(date) => {
                self.raw("<time>").plain(date).raw("</time>");
            }
            Span::Badge(badge) => self.badge(badge),
            Span::Link(link) => self.link(link),
            Span::Cite(number) => {
                let _ = write!(
                    self.out,
                    "<a href=\"#{}_source-{number}\">[{number}]</a>",
                    self.base
                );
            }
            Span::Missing => {
                self.raw("<span class=\"cmp-missing\">—</span>");
            }
        }
    }

    fn badge(&mut self, badge: &Badge) {
        self.raw("<span class=\"cmp-badge");
        tone_attributes(&mut self.out, &badge.tone, "cmp-badge");
        self.raw(">").plain(&badge.text).raw("</span>");
    }

    /// The `href` of `target`, escaped for an attribute; `None` when it may not be linked.
    fn href(&self, target: &Target) -> Option<String> {
        let address = address(target, "html", |figure| Some(format!("cmp-{figure}")))?;
        let mut href = String::with_capacity(address.len());
        let _ = escape_href(&mut href, &address);
        Some(href)
    }

    fn link(&mut self, link: &Link) {
        let Some(href) = self.href(&link.target) else {
            self.text(&link.text);
            return;
        };
        self.raw("<a href=\"").raw(&href).raw("\"");
        if let Some(title) = &link.title {
            self.raw(" title=\"").attribute(title).raw("\"");
        }
        self.raw(">");
        self.text(&link.text);
        self.raw("</a>");
    }
}

/// `text` without its badges and the spaces between them: a title alone.
fn without_badges(text: &Text) -> Text {
    (text.iter())
        .filter(|span| match span {
            Span::Badge(_) => false,
            Span::Plain(plain) => !plain.trim().is_empty(),
            _ => true,
        })
        .cloned()
        .collect()
}

/// `id` as a URL fragment (ids are made of data ids, which need no encoding; the encoding is
/// there so that no id could ever bend an `href`).
fn fragment(id: &str) -> String {
    let mut fragment = String::with_capacity(id.len());
    let _ = escape_href(&mut fragment, id);
    fragment
}

/// The words of `text` without markup, for an attribute: a badge or a link by its text, a
/// citation by its number, inline Markdown as written.
fn words(text: &Text) -> String {
    let mut out = String::new();
    for span in text {
        match span {
            Span::Plain(s)
            | Span::Markdown(s)
            | Span::Strong(s)
            | Span::Code(s)
            | Span::Title(s)
            | Span::Date(s) => out.push_str(s),
            Span::Badge(badge) => out.push_str(&badge.text),
            Span::Link(link) => out.push_str(&words(&link.text)),
            Span::Cite(number) => {
                let _ = write!(out, "[{number}]");
            }
            Span::Missing => out.push('—'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{Figure, FigureKind};

    fn figure(id: &str) -> View {
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
    fn the_k_th_copy_of_a_table_costs_one_try() {
        let copies = 2000;
        let view = figure("matrix-all");
        let other = figure("matrix-x");
        let mut anchors = Anchors::default();
        let mut occurrences = Vec::new();
        let mut others = Vec::new();
        let mut last = 0;
        for _ in 0..copies {
            last = first_free(&view, &mut occurrences, &mut anchors);
            first_free(&other, &mut others, &mut anchors);
        }
        assert_eq!(last, copies - 1);
        assert_eq!(anchors.tries, 2 * copies);
        assert_eq!(anchors.used.len(), 2 * 2 * copies);
    }

    #[test]
    fn a_figure_whose_anchor_is_taken_tries_each_occurrence_once() {
        let mut anchors = Anchors::default();
        // Another figure with the same id (a matrix of `a-b` and `c`, and one of `a` and
        // `b-c`) took the first two occurrences' anchors.
        let sources = |n: usize| {
            View::Figure(Figure {
                kind: FigureKind::Matrix,
                id: "matrix-a-b-c".into(),
                blocks: vec![Block::Sources(vec![
                    Source {
                        title: "A".into(),
                        url: None,
                    };
                    n
                ])],
            })
        };
        let (one, two) = (sources(1), sources(2));
        let (mut ones, mut twos) = (Vec::new(), Vec::new());
        assert_eq!(first_free(&one, &mut ones, &mut anchors), 0);
        assert_eq!(first_free(&two, &mut twos, &mut anchors), 1);
        assert_eq!(first_free(&one, &mut ones, &mut anchors), 2);
        assert_eq!(first_free(&two, &mut twos, &mut anchors), 3);
        assert_eq!(anchors.tries, 4);
    }

    #[test]
    fn inline_html_holds_nothing_markdown_reads() {
        let html = "<a href=\"./x.html#cmp-a\" title=\"a | b ` c *d* _e_ [f](g) ![h] ~i~ \\ #j 'k' $l$ ^m &amp; &#123;\">x</a>";
        assert_eq!(
            inert_inline(html),
            "<a href=\"./x.html&#35;cmp-a\" title=\"a &#124; b &#96; c &#42;d&#42; &#95;e&#95; \
             &#91;f&#93;(g) &#33;&#91;h&#93; &#126;i&#126; &#92; &#35;j &#39;k&#39; \
             &#36;l&#36; &#94;m &amp; &#123;\">x</a>"
        );
    }
}
