//! Inline Markdown from the dataset, written as HTML or as Markdown from the safe event stream
//! of [`policy::inline`](crate::policy::inline), which decides what is safe.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::policy::inline::safe_events;

/// Renders inline Markdown `text` from the dataset as safe HTML.
pub(crate) fn to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut out, safe_events(text));
    out
}

/// Renders inline Markdown `text` from the dataset as safe Markdown for a GFM table cell or a
/// paragraph: one line, raw HTML escaped, unsafe links reduced to their text, `|` escaped.
pub(crate) fn to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut link_targets = Vec::new();
    for event in safe_events(text) {
        match event {
            Event::Text(t) => escape_markdown(&mut out, &t),
            Event::Code(code) => out.push_str(&code_span(&code)),
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => out.push('*'),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => out.push_str("**"),
            Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => {
                out.push_str("~~");
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.push('[');
                link_targets.push(dest_url);
            }
            Event::End(TagEnd::Link) => {
                push_link_target(
                    &mut out,
                    &link_targets.pop().unwrap_or(CowStr::Borrowed("")),
                );
            }
            _ => {}
        }
    }
    out
}

/// Plain text (not Markdown) from the dataset, escaped so that Markdown shows it as is.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_markdown(&mut out, text);
    out
}

/// Writes `](url)` with the characters that would end or break the target percent-encoded
/// (a backtick too: it could close a code span opened before the link).
fn push_link_target(out: &mut String, url: &str) {
    out.push_str("](");
    for c in url.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '|' | '\\' | '`' | '"' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            _ => out.push(c),
        }
    }
    out.push(')');
}

/// Writes literal text so that Markdown shows it as is, wherever it stands: every character
/// Markdown reads as syntax becomes a character reference, which (unlike a backslash escape)
/// no code span opened before it can take as its end, and which no table splits a cell at.
/// A line break becomes a space: it would end a table row, and a blank line the whole block.
fn escape_markdown(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '#' | '$' | '^' => {
                out.push_str(&format!("&#{};", u32::from(c)));
            }
            c => out.push(c),
        }
    }
}

/// A code span whose fence cannot clash with backticks inside it; `|` is escaped as GFM tables
/// require even inside code, and line breaks become spaces (a blank line would end the span's
/// paragraph and let the rest be read as Markdown and raw HTML). No character reference works
/// inside code, so `{{` (which a later preprocessor would read as its own syntax) is written
/// with an invisible word joiner between the braces: it still shows as `{{`.
pub(crate) fn code_span(code: &str) -> String {
    let code = code.replace(['\r', '\n'], " ").replace("{{", "{\u{2060}{");
    // `{{{` leaves a second pair behind the first.
    let code = code.replace("{{", "{\u{2060}{");
    let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", code.replace('|', "\\|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_inline_markdown() {
        assert_eq!(
            to_html("Uses `go vet` and *fast* [builds](https://go.dev/)"),
            "Uses <code>go vet</code> and <em>fast</em> <a href=\"https://go.dev/\">builds</a>"
        );
        assert_eq!(to_html("one\ntwo"), "one two");
    }

    #[test]
    fn raw_html_and_unsafe_links_are_inert() {
        let html = to_html(
            "<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) \
             [b](JaVa\tScRiPt:alert(1)) <javascript:alert(1)> ![i](https://x/y.png)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.to_lowercase().contains("href=\"javascript"), "{html}");
        assert!(!html.contains("href"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn markdown_output_is_one_safe_table_cell() {
        assert_eq!(
            to_markdown("a | b <b>x</b> `c|d` **e** [f](https://g.h/(i))"),
            "a &#124; b &lt;b&gt;x&lt;/b&gt; `c\\|d` **e** [f](https://g.h/%28i%29)"
        );
        assert_eq!(to_markdown("[x](javascript:y)"), "x");
        assert_eq!(to_markdown("``a`b``"), "``a`b``");
        assert_eq!(code_span("a\n\n<b>"), "`a  <b>`");
        assert_eq!(code_span("{{#include x}}"), "`{\u{2060}{#include x}}`");
        assert_eq!(code_span("{{{"), "`{\u{2060}{\u{2060}{`");
        assert_eq!(escape_text("a\r\n\n<b>"), "a   &lt;b&gt;");
        assert_eq!(
            escape_text("`|*_[]\\!~#'\"&$^"),
            "&#96;&#124;&#42;&#95;&#91;&#93;&#92;&#33;&#126;&#35;'&quot;&amp;&#36;&#94;"
        );
    }
}
