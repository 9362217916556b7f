//! Inline Markdown from the dataset: how it is parsed, which of its events are safe to show, and
//! what is shown differently from how it is written.
//!
//! Data comes from pull requests and is untrusted: raw HTML is shown as text, links are kept only
//! when they are one absolute http(s) URL with a host (the rule of [`url`]) or relative inside
//! the book, images become their alt text, and block structure is flattened to one line. The writers turn [`safe_events`] into HTML or Markdown; the dataset's
//! checks report each [`Neutralised`] piece where it stands, so that nothing is changed silently.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::url;

/// The scheme of a link target, as a browser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// None: the target is relative.
    None,
    /// `http` or `https`, in any case.
    Http,
    /// Any other.
    Other,
}

/// The scheme of `url`: what stands before a `:` that comes before any `/`, `?` or `#`.
/// Browsers ignore ASCII whitespace and control characters inside a scheme, so they are
/// ignored here too (`java\tscript:` is `javascript:`).
fn scheme(url: &str) -> Scheme {
    // Only the scheme's first bytes are kept, enough to compare with the longest allowed one.
    let mut scheme = [0u8; 5];
    let mut length = 0;
    for byte in significant(url) {
        match byte {
            b':' if length <= scheme.len() && matches!(&scheme[..length], b"http" | b"https") => {
                return Scheme::Http;
            }
            b':' => return Scheme::Other,
            b'/' | b'?' | b'#' => return Scheme::None,
            _ => {
                if let Some(slot) = scheme.get_mut(length) {
                    *slot = byte.to_ascii_lowercase();
                }
                length += 1;
            }
        }
    }
    Scheme::None
}

/// The bytes of `url` that a browser reads, without the whitespace and control characters it
/// skips.
fn significant(url: &str) -> impl Iterator<Item = u8> + '_ {
    url.bytes()
        .filter(|b| !b.is_ascii_whitespace() && !b.is_ascii_control())
}

/// Whether a link target's scheme is allowed on the page: http(s), or none at all (relative).
pub(crate) fn is_safe_url(url: &str) -> bool {
    scheme(url) != Scheme::Other
}

/// Why a link target in inline Markdown may not stand on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkProblem {
    /// A scheme other than http(s): `javascript:`, `data:`, `mailto:`.
    Scheme,
    /// `//host/path` (or `/\host`, `\\host`: browsers read `\` as `/`): another site, named
    /// without a scheme.
    NoScheme,
    /// An http(s) target that is not one absolute URL with a host.
    Url(url::Problem),
}

/// Checks a link target in inline Markdown: one absolute http(s) URL with a host (the rule of
/// [`url::check`]), or a link inside the book (a path, a `?query` or a `#fragment`, relative to
/// the page or to the site's root).
pub(crate) fn check_link(target: &str) -> Result<(), LinkProblem> {
    match scheme(target) {
        Scheme::Other => Err(LinkProblem::Scheme),
        Scheme::Http => url::check(target).map_err(LinkProblem::Url),
        Scheme::None => {
            let mut start = significant(target).take(2);
            let slash = |b: Option<u8>| matches!(b, Some(b'/' | b'\\'));
            if slash(start.next()) && slash(start.next()) {
                Err(LinkProblem::NoScheme)
            } else {
                Ok(())
            }
        }
    }
}

/// What the writers do not show as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Neutralised {
    /// Raw HTML, shown as text.
    Html,
    /// A link that is neither one http(s) URL with a host nor inside the book, reduced to its
    /// text.
    Link {
        /// What is wrong with it.
        problem: LinkProblem,
        /// Its target, as Markdown reads it.
        target: String,
    },
    /// An image, reduced to its alt text.
    Image,
    /// Block Markdown, flattened into the one line of text the field is.
    Block(Block),
}

/// Block Markdown that a one-line field cannot show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Block {
    /// A second paragraph (or any further block of text), after a blank line.
    Paragraph,
    /// A heading (`# ...`, or a line underlined with `===` or `---`).
    Heading,
    /// A list (`- ...`, `1. ...`).
    List,
    /// A block quote (`> ...`).
    Quote,
    /// A code block (fenced, or indented by four spaces).
    Code,
    /// A thematic break (`---`, `***`).
    Rule,
}

/// Everything in inline Markdown `text` that the writers neutralise, with its byte range, so
/// that the dataset's checks can point at it. Of block Markdown, only the outermost blocks are
/// listed: a list is one piece, not one per item.
pub(crate) fn neutralised(text: &str) -> Vec<(Neutralised, Range<usize>)> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut blocks = 0usize;
    for (event, range) in parser(text).into_offset_iter() {
        let piece = match &event {
            Event::Start(tag) if depth == 0 => {
                blocks += 1;
                block(tag, blocks)
            }
            Event::Rule if depth == 0 => {
                blocks += 1;
                Some(Neutralised::Block(Block::Rule))
            }
            Event::Html(_) | Event::InlineHtml(_) => Some(Neutralised::Html),
            Event::Start(Tag::Link { dest_url, .. }) => {
                check_link(dest_url).err().map(|problem| Neutralised::Link {
                    problem,
                    target: dest_url.to_string(),
                })
            }
            Event::Start(Tag::Image { .. }) => Some(Neutralised::Image),
            _ => None,
        };
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        found.extend(piece.map(|kind| (kind, range)));
    }
    found
}

/// What a top-level block is, when it is not what a one-line field may hold: the first
/// paragraph (the text itself), or HTML, which is reported as HTML.
fn block(tag: &Tag<'_>, nth: usize) -> Option<Neutralised> {
    let kind = match tag {
        Tag::Paragraph | Tag::HtmlBlock if nth == 1 => return None,
        Tag::Heading { .. } => Block::Heading,
        Tag::List(_) => Block::List,
        Tag::BlockQuote(_) => Block::Quote,
        Tag::CodeBlock(_) => Block::Code,
        _ => Block::Paragraph,
    };
    Some(Neutralised::Block(kind))
}

/// The parser for inline Markdown from the dataset.
fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(
        text,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION,
    )
}

/// Parses `text` and keeps only safe inline events: text, code, emphasis, strong,
/// strikethrough and links that pass [`check_link`]. Raw HTML and math become text, line breaks spaces, images and
/// unsafe links their text alone; every block boundary is dropped.
pub(crate) fn safe_events(text: &str) -> impl Iterator<Item = Event<'_>> {
    let mut kept_links: Vec<bool> = Vec::new();
    parser(text).filter_map(move |event| match event {
        Event::Text(_) | Event::Code(_) => Some(event),
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        Event::InlineMath(math) | Event::DisplayMath(math) => Some(Event::Text(math)),
        Event::SoftBreak | Event::HardBreak => Some(Event::Text(CowStr::Borrowed(" "))),
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => Some(event),
        Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => Some(event),
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let keep = check_link(dest_url).is_ok();
            kept_links.push(keep);
            keep.then_some(event)
        }
        Event::Start(Tag::Image { .. }) => {
            kept_links.push(false);
            None
        }
        Event::End(TagEnd::Link | TagEnd::Image) => {
            let kept = kept_links.pop().unwrap_or(false);
            kept.then_some(event)
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_urls() {
        for ok in [
            "https://a.b/c",
            "HTTP://x",
            "../x.html",
            "#frag",
            "/abs",
            "page.html?q=a:b",
            "",
            "no-scheme",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:x",
            " javascript:x",
            "java\nscript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc",
            "https5:x",
            "httpsx:x",
            "htt:x",
            ":x",
            "ｈttp:x",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }

    #[test]
    fn a_link_is_one_url_with_a_host_or_inside_the_book() {
        for ok in [
            "https://a.b/c",
            "http://x.org",
            "../x.html",
            "#frag",
            "/abs",
            "./page.html",
            "page.html?q=a:b",
            "\\x",
            "",
            "no-scheme",
        ] {
            assert_eq!(check_link(ok), Ok(()), "{ok}");
        }
        for (bad, problem) in [
            ("javascript:x", LinkProblem::Scheme),
            ("mailto:a@b.c", LinkProblem::Scheme),
            ("//evil.org/x", LinkProblem::NoScheme),
            ("/\\evil.org", LinkProblem::NoScheme),
            ("\\\\evil.org", LinkProblem::NoScheme),
            ("\\/evil.org", LinkProblem::NoScheme),
            (" //evil.org", LinkProblem::NoScheme),
            ("/\t/evil.org", LinkProblem::NoScheme),
            (
                "https:///etc/passwd",
                LinkProblem::Url(url::Problem::NoHost),
            ),
            ("https://", LinkProblem::Url(url::Problem::NoHost)),
            ("HTTPS://x.org", LinkProblem::Url(url::Problem::Scheme)),
            ("https:x.org", LinkProblem::Url(url::Problem::Scheme)),
            (
                "https://a@evil.org",
                LinkProblem::Url(url::Problem::UserInfo),
            ),
            (
                "ht\ttps://x.org",
                LinkProblem::Url(url::Problem::Space(2, '\t')),
            ),
        ] {
            assert_eq!(check_link(bad), Err(problem), "{bad}");
        }
    }

    #[test]
    fn a_link_to_another_site_without_a_scheme_is_found_and_not_kept() {
        assert_eq!(
            pieces("a [b](//evil.org/x) c [d](https:///x)"),
            [
                (
                    link(LinkProblem::NoScheme, "//evil.org/x"),
                    "[b](//evil.org/x)"
                ),
                (
                    link(LinkProblem::Url(url::Problem::NoHost), "https:///x"),
                    "[d](https:///x)"
                ),
            ]
        );
        let kept = safe_events("[b](//evil.org/x) [c](/\\evil.org) [d](/gc.html)")
            .filter(|e| matches!(e, Event::Start(Tag::Link { .. })))
            .count();
        assert_eq!(kept, 1);
    }

    fn link(problem: LinkProblem, target: &str) -> Neutralised {
        Neutralised::Link {
            problem,
            target: target.into(),
        }
    }

    fn pieces(text: &str) -> Vec<(Neutralised, &str)> {
        neutralised(text)
            .into_iter()
            .map(|(kind, range)| (kind, &text[range]))
            .collect()
    }

    #[test]
    fn one_paragraph_of_inline_markdown_is_fine() {
        for ok in [
            "plain",
            "`code`, *em*, **strong**, ~~gone~~ and [a](https://x.org/)",
            "two\nlines",
            "a hard  \nbreak",
            "1986 was a year",
            "a \\- b",
            "",
        ] {
            assert_eq!(pieces(ok), [], "{ok}");
        }
    }

    #[test]
    fn block_markdown_is_found_once_per_outermost_block() {
        use Block::*;
        let block = Neutralised::Block;
        assert_eq!(pieces("A.\n\nB."), [(block(Paragraph), "B.")]);
        assert_eq!(
            pieces("- alpha\n- beta\n- gamma"),
            [(block(List), "- alpha\n- beta\n- gamma")]
        );
        assert_eq!(
            pieces("Intro\n\n1. one\n2. two"),
            [(block(List), "1. one\n2. two")]
        );
        assert_eq!(
            pieces("# Title\ntext"),
            [(block(Heading), "# Title\n"), (block(Paragraph), "text")]
        );
        assert_eq!(pieces("Text\n===\n"), [(block(Heading), "Text\n===\n")]);
        assert_eq!(pieces("> quoted"), [(block(Quote), "> quoted")]);
        assert_eq!(pieces("    indented"), [(block(Code), "indented")]);
        assert_eq!(pieces("a\n\n***\n"), [(block(Rule), "***\n")]);
        assert_eq!(pieces("2024. A year"), [(block(List), "2024. A year")]);
    }

    #[test]
    fn html_images_and_unsafe_links_are_found() {
        assert_eq!(
            pieces("<b>x</b> ![i](https://x/y.png) [a](javascript:alert(1))"),
            [
                (Neutralised::Html, "<b>"),
                (Neutralised::Html, "</b>"),
                (Neutralised::Image, "![i](https://x/y.png)"),
                (
                    link(LinkProblem::Scheme, "javascript:alert(1)"),
                    "[a](javascript:alert(1))"
                ),
            ]
        );
        let html = || Neutralised::Html;
        assert_eq!(
            pieces("<div>\nx\n</div>"),
            [(html(), "<div>\n"), (html(), "x\n"), (html(), "</div>")]
        );
    }
}
