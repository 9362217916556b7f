//! The HTML writer: a figure becomes one line (so that it is a single raw HTML block wherever
//! the directive stood): real tables with captions and scoped headers, badges with text, inline
//! SVG charts. An inline view becomes inline HTML whose text Markdown cannot read as syntax.
//!
//! Text is escaped, inline Markdown from the data goes through the inline-Markdown policy, and
//! at the end every `{` becomes `&#123;` and every line break a space: nothing from the data
//! can reach a later preprocessor (`{{#include ...}}`) or the browser as live syntax.

use std::collections::HashSet;
use std::fmt::Write;

use pulldown_cmark_escape::{escape_href, escape_html};

use super::{address, chart};
use crate::render::inline;
use crate::view::{
    Badge, Block, Figure, Link, Note, NoteKind, Source, Span, Table, Target, Text, Tone, View,
};

/// The anchors already used on a page, so that each figure gets its own.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    used: HashSet<String>,
}

/// A view written as HTML, with every id it uses.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    /// The HTML.
    pub(crate) html: String,
    /// The ids in it, to be unique on the page.
    ids: Vec<String>,
}

impl Anchors {
    /// Takes the ids of `rendered` for the page, if none is taken yet.
    pub(crate) fn take(&mut self, rendered: &Rendered) -> bool {
        if rendered.ids.iter().any(|id| self.used.contains(id)) {
            return false;
        }
        self.used.extend(rendered.ids.iter().cloned());
        true
    }
}

/// Renders `view` as HTML with anchors unique among `anchors` (which it then holds too): a
/// figure repeated on a page (or one whose anchors another's would clash with) gets
/// `cmp-2-...`, `cmp-3-...`.
pub(crate) fn render(view: &View, anchors: &mut Anchors) -> String {
    let mut occurrences = Vec::new();
    let free = first_free(view, &mut occurrences, anchors);
    occurrences.swap_remove(free).html
}

/// Which of `occurrences`, the writings of `view` for its first, second... occurrence on a page
/// (each written here when first needed), is the first whose anchors are all free in `anchors`,
/// which then holds them. A run keeps them to reuse on every page.
pub(crate) fn first_free(
    view: &View,
    occurrences: &mut Vec<Rendered>,
    anchors: &mut Anchors,
) -> usize {
    (0..)
        .find(|&i| {
            if i == occurrences.len() {
                occurrences.push(render_occurrence(view, i + 1));
            }
            anchors.take(&occurrences[i])
        })
        .unwrap_or_default()
}

/// Renders `view` as HTML for its `occurrence` on a page (from 1): a figure as one line, under
/// the base anchor `cmp-ID` for the first, `cmp-2-ID` for the second and so on; an inline view
/// as inline HTML.
fn render_occurrence(view: &View, occurrence: usize) -> Rendered {
    let (out, ids) = match view {
        View::Figure(figure) => {
            let base = match occurrence {
                1 => format!("cmp-{}", figure.id),
                n => format!("cmp-{n}-{}", figure.id),
            };
            let mut writer = Writer::new(base, false);
            writer.figure(figure);
            (writer.out, writer.ids)
        }
        View::Inline(text) => {
            let mut writer = Writer::new(String::new(), true);
            writer.text(text);
            (writer.out, Vec::new())
        }
    };
    Rendered {
        html: inert(&out),
        ids,
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

/// An HTML buffer for one view.
struct Writer {
    out: String,
    /// The figure's anchor, which every other id in it starts with.
    base: String,
    /// Every id written.
    ids: Vec<String>,
    /// Whether the output stands inside a Markdown paragraph, where text must not read as
    /// Markdown.
    inline: bool,
    /// Charts written so far.
    charts: usize,
    /// The words of the figure's title line, which name its tables' regions with their caption.
    title: String,
}

impl Writer {
    fn new(base: String, inline: bool) -> Self {
        Writer {
            out: String::with_capacity(4096),
            base,
            ids: Vec::new(),
            inline,
            charts: 0,
            title: String::new(),
        }
    }

    fn raw(&mut self, html: &str) -> &mut Self {
        self.out.push_str(html);
        self
    }

    /// Plain text, escaped (and, inline, with Markdown's punctuation as character references).
    fn plain(&mut self, text: &str) -> &mut Self {
        if !self.inline {
            let _ = escape_html(&mut self.out, text);
            return self;
        }
        for c in text.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '~' | '|' | '#' | '\'' => {
                    let _ = write!(self.out, "&#{};", u32::from(c));
                }
                c => self.out.push(c),
            }
        }
        self
    }

    /// An attribute value, escaped.
    fn attribute(&mut self, value: &str) -> &mut Self {
        let _ = escape_html(&mut self.out, value);
        self
    }

    /// A new id, `base-suffix`, recorded.
    fn id(&mut self, suffix: &str) -> String {
        let id = if suffix.is_empty() {
            self.base.clone()
        } else {
            format!("{}-{suffix}", self.base)
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
            }
        }
        self.raw("</div>");
    }

    fn note(&mut self, note: &Note) {
        if note.kind == NoteKind::Title && self.title.is_empty() {
            let title: Text = (note.text.iter())
                .filter(|span| !matches!(span, Span::Badge(_)))
                .cloned()
                .collect();
            self.title = words(&title);
        }
        let class = match note.kind {
            NoteKind::Title => "cmp-heading",
            NoteKind::Verdict => "cmp-verdict",
            NoteKind::Meta => "cmp-meta",
            NoteKind::Detail => "cmp-detail",
            NoteKind::Caveat => "cmp-caveat",
        };
        self.raw("<p class=\"").raw(class).raw("\">");
        self.text(&note.text);
        self.raw("</p>");
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
            self.raw("<tr>");
            for (i, cell) in row.iter().enumerate() {
                if i == 0 {
                    self.raw("<th scope=\"row\">");
                    self.text(cell);
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
                    "<a href=\"#{}-source-{number}\">[{number}]</a>",
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

/// Closes a `class` attribute opened with `prefix` and adds what `tone` needs: its class
/// (`prefix-language`, `prefix-depends`, ...), the column or provenance as data, and a colour
/// from the data as the custom property `--cmp-c` (valid by construction).
pub(super) fn tone_attributes(out: &mut String, tone: &Tone, prefix: &str) {
    match tone {
        Tone::Language { column, colour } => {
            let _ = write!(out, " {prefix}-language\" data-column=\"{column}\"");
            if let Some(colour) = colour {
                let _ = write!(out, " style=\"--cmp-c:{}\"", colour.as_str());
            }
        }
        Tone::Depends => {
            let _ = write!(out, " {prefix}-depends\"");
        }
        Tone::Category => {
            let _ = write!(out, " {prefix}-category\"");
        }
        Tone::Provenance(trust) => {
            let _ = write!(
                out,
                " {prefix}-provenance\" data-provenance=\"{}\"",
                trust.name()
            );
        }
        Tone::Neutral => out.push('"'),
    }
}
