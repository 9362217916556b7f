//! The Markdown writer: GitHub-flavoured tables and paragraphs, readable in any renderer. A
//! chart becomes its text alternative.
//!
//! Text is escaped, inline Markdown from the data goes through the inline-Markdown policy,
//! link targets are percent-encoded (no line break, space, `&`, `\` or parenthesis can end or
//! bend them), and at the end no `{{` is left: nothing from the data can reach a later
//! preprocessor, or a later Markdown renderer, as live syntax.

use super::inline;
use super::{Pieces, address};
use crate::view::{Block, Link, Note, NoteKind, Source, Span, Table, Target, Text, View};

/// Renders `view` as Markdown: a figure as blocks separated by blank lines, an inline view as
/// inline Markdown.
pub(crate) fn render(view: &View) -> String {
    pieces(view).whole()
}

/// [`render`] in pieces, a block each: a page leaves out an explanation it has given. Blank
/// lines part the pieces, so no `{{` can span two and each is made inert alone.
pub(crate) fn pieces(view: &View) -> Pieces {
    let mut pieces = Pieces::new("\n\n");
    match view {
        View::Figure(figure) => {
            for b in &figure.blocks {
                let explanation = match b {
                    Block::Explanation(note) => Some(text(&note.text)),
                    _ => None,
                };
                pieces.push(explanation, inert(&block(b)));
            }
        }
        View::Inline(content) => pieces.push(None, inert(&text(content))),
    }
    pieces
}

/// Every `{` followed by another `{` as `&#123;`, so that no `{{` is left.
fn inert(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' && chars.peek() == Some(&'{') {
            out.push_str("&#123;");
        } else {
            out.push(c);
        }
    }
    out
}

/// One block of a figure.
fn block(block: &Block) -> String {
    match block {
        Block::Note(note) | Block::Explanation(note) => self::note(note),
        Block::Table(table) => self::table(table),
        Block::Chart(chart) => {
            format!("*{}:* {}", escape(&chart.title), escape(&chart.description))
        }
        Block::Sources(sources) => self::sources(sources),
        Block::Details(details) => {
            let mut blocks = vec![caption(&details.summary)];
            blocks.extend(details.blocks.iter().map(self::block));
            blocks.join("\n\n")
        }
    }
}

fn note(note: &Note) -> String {
    let content = text(&note.text);
    match note.kind {
        NoteKind::Caveat => format!("> {content}"),
        NoteKind::Heading => format!("### {content}"),
        _ => content,
    }
}

/// A GFM table, its caption in bold above it.
fn table(table: &Table) -> String {
    let line = |cells: &[String]| format!("| {} |", cells.join(" | "));
    let header: Vec<String> = table.header.iter().map(text).collect();
    let mut lines = vec![
        caption(&table.caption),
        String::new(),
        line(&header),
        line(&vec!["---".to_string(); header.len()]),
    ];
    lines.extend(
        table
            .rows
            .iter()
            .map(|row| line(&row.iter().map(text).collect::<Vec<_>>())),
    );
    lines.join("\n")
}

/// A caption as a paragraph, in bold unless it has bold parts of its own.
fn caption(caption: &Text) -> String {
    let content = text(caption);
    if caption.iter().any(|s| matches!(s, Span::Strong(_))) {
        content
    } else {
        format!("**{content}**")
    }
}

fn sources(sources: &[Source]) -> String {
    let items: Vec<String> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {}", i + 1, source(s)))
        .collect();
    format!("Sources:\n\n{}", items.join("\n"))
}

/// A source as a link, or as an emphasised citation when it has no address that may be linked.
fn source(source: &Source) -> String {
    let target = source.url.as_ref().map(|url| Target::Url(url.clone()));
    match target.as_ref().and_then(href) {
        Some(href) => format!("[{}]({href})", escape(&source.title)),
        None => format!("*{}*", escape(&source.title)),
    }
}

/// Inline content as one line of Markdown.
fn text(content: &Text) -> String {
    content.iter().map(span).collect()
}

fn span(span: &Span) -> String {
    match span {
        Span::Plain(plain) => escape(plain),
        Span::Markdown(markdown) => inline::to_markdown(markdown),
        Span::Strong(plain) => format!("**{}**", escape(plain)),
        Span::Code(code) => inline::code_span(code),
        Span::Title(title) => format!("*{}*", escape(title)),
        Span::Date(date) => escape(date),
        Span::Badge(badge) => format!("*{}*", escape(&badge.text)),
        Span::Link(link) => self::link(link),
        Span::Cite(number) => format!("\\[{number}\\]"),
        Span::Missing => "—".to_string(),
    }
}

fn link(link: &Link) -> String {
    let label = text(&link.text);
    let Some(href) = href(&link.target) else {
        return label;
    };
    match &link.title {
        Some(title) => format!("[{label}]({href} \"{}\")", title_text(title)),
        None => format!("[{label}]({href})"),
    }
}

/// The link destination of `target`, percent-encoded; `None` when it may not be linked.
fn href(target: &Target) -> Option<String> {
    let address = address(target, "md", |_| None)?;
    let mut out = String::with_capacity(address.len());
    for (at, c) in address.char_indices() {
        match c {
            c if c.is_ascii_alphanumeric() => out.push(c),
            // A query's `&` stays, unless it would start a character reference (`&#106;`,
            // `&amp;`), which Markdown decodes in a link destination.
            '&' if !starts_reference(&address[at + 1..]) => out.push(c),
            '-' | '.' | '_' | '~' | '/' | ':' | '?' | '#' | '=' | '+' | ',' | ';' | '@' | '%' => {
                out.push(c);
            }
            c => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    Some(out)
}

/// Whether `rest`, after an `&`, would make it a character reference: `#...`, or letters and
/// digits then `;`.
fn starts_reference(rest: &str) -> bool {
    let name = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
            .len();
    rest.starts_with('#') || (name > 0 && rest[name..].starts_with(';'))
}

/// A link title: escaped text with its quotes escaped too.
fn title_text(title: &str) -> String {
    escape(title).replace('"', "\\\"")
}

/// Plain text, escaped so that Markdown shows it as is, on one line.
fn escape(plain: &str) -> String {
    inline::escape_text(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_double_brace_survives() {
        assert_eq!(inert("{{#include x}}"), "&#123;{#include x}}");
        assert_eq!(inert("{{{"), "&#123;&#123;{");
        assert_eq!(inert("{ }"), "{ }");
    }

    #[test]
    fn link_targets_cannot_be_bent() {
        let target = Target::Chapter {
            path: "../a b(c)&#106;\\<>|\"é\n.md".into(),
            figure: "dimension-x".into(),
        };
        assert_eq!(
            href(&target).unwrap(),
            "../a%20b%28c%29%26%23106%3B%5C%3C%3E%7C%22%C3%A9%0A.md"
        );
        let url = Target::Url("https://x.org/a?b=c&d=e#f".into());
        assert_eq!(href(&url).unwrap(), "https://x.org/a?b=c&d=e#f");
        let entity = Target::Url("https://x.org/?a&amp;b&lt&x;".into());
        assert_eq!(href(&entity).unwrap(), "https://x.org/?a%26amp;b&lt%26x;");
        assert_eq!(href(&Target::Url("https://x.org/a b".into())), None);
    }
}
