//! Finding directives in a chapter's Markdown.
//!
//! A byte scan finds `<<compare`, `<<benchmark` and `<<quick-takes` first; a chapter without one
//! is never parsed. Otherwise the pieces of the chapter around the candidates (see
//! `regions.rs`) are parsed with mdBook's own pulldown-cmark settings to learn where each
//! candidate stands: code and raw HTML are left alone, a directive alone on its line in a
//! paragraph or list item is expanded, and one anywhere else is reported.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::{Event, Tag};
use memchr::memmem;

/// The names that make `<<name` a directive.
pub const DIRECTIVE_NAMES: [&str; 3] = ["compare", "benchmark", "quick-takes"];

/// A candidate directive and what to do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A directive alone on its line: expand it.
    Directive(Placed),
    /// `\<<name`: the escape (`span` covers `\<<`) is rewritten so the text shows literally.
    Escaped {
        /// The backslash and the two `<`.
        span: Range<usize>,
    },
    /// A directive where it cannot be expanded.
    Misplaced {
        /// The directive.
        span: Range<usize>,
        /// Where it stands.
        place: Place,
    },
    /// `<<name` with no `>>` before the end of its line.
    Unclosed {
        /// From `<<` to the end of the line.
        span: Range<usize>,
    },
}

/// A directive that can be expanded, and the layout around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// From `<<` to `>>` inclusive.
    pub span: Range<usize>,
    /// Between `<<` and `>>`.
    pub inner: Range<usize>,
    /// What starts each further line of the expansion to keep it in the same list item or
    /// blockquote (list markers become spaces, `>` stays).
    pub continuation: String,
    /// Whether text of the same block stands on earlier lines.
    pub text_before: bool,
    /// Whether text of the same block stands on later lines.
    pub text_after: bool,
}

/// Why a directive cannot be expanded where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Other text shares its line.
    SharesLine,
    /// It is inside a heading.
    Heading,
    /// It is inside a table cell.
    TableCell,
    /// It is not inside a paragraph or list item (e.g. a link definition).
    OutsideParagraph,
}

mod regions;

/// Every directive candidate in `text`, in order. Empty, without parsing, when the text has none.
///
/// Only the pieces of the chapter around candidates are parsed (see `regions.rs`); the result is
/// the same as [`scan_parsing_everything`]'s.
pub fn scan(text: &str, options: &MarkdownOptions) -> Vec<Found> {
    let candidates = candidates(text);
    if candidates.is_empty() {
        return Vec::new();
    }
    let regions = regions::regions(text);
    let mut pieces: Vec<Range<usize>> = Vec::new();
    for candidate in &candidates {
        if regions.in_fence(candidate.open) {
            continue;
        }
        let piece = regions.piece(candidate.start, candidate.line_end, text.len());
        match pieces.last_mut() {
            Some(last) if last.end >= piece.start => last.end = last.end.max(piece.end),
            _ => pieces.push(piece),
        }
    }
    classify_all(text, options, candidates, &pieces, |candidate| {
        regions.in_fence(candidate.open)
    })
}

/// [`scan`] by parsing the whole text at once: the reference that parsing pieces must agree
/// with, for tests and fuzzing.
pub fn scan_parsing_everything(text: &str, options: &MarkdownOptions) -> Vec<Found> {
    let candidates = candidates(text);
    if candidates.is_empty() {
        return Vec::new();
    }
    let whole = 0..text.len();
    classify_all(
        text,
        options,
        candidates,
        std::slice::from_ref(&whole),
        |_| false,
    )
}

/// Classifies `candidates` with the Markdown nodes of `pieces` of `text` (each parsed on its
/// own), leaving out those `in_code` says are in code.
fn classify_all(
    text: &str,
    options: &MarkdownOptions,
    candidates: Vec<Candidate>,
    pieces: &[Range<usize>],
    in_code: impl Fn(&Candidate) -> bool,
) -> Vec<Found> {
    let nodes: Vec<Node> = pieces
        .iter()
        .flat_map(|piece| nodes_around(text, piece.clone(), options, &candidates))
        .collect();
    let mut found = Vec::with_capacity(candidates.len());
    let mut sweep = Sweep::new(&nodes);
    for candidate in candidates {
        if in_code(&candidate) {
            continue;
        }
        let node = sweep.innermost(candidate.start);
        if let Some(found_here) = classify(text, &candidate, node) {
            found.push(found_here);
        }
    }
    found
}

/// Whether scanning `texts` is worth more threads: from 1 MiB of text, a few milliseconds of
/// work, against some 50 µs to start a thread.
pub fn worth_threads(texts: &[&str]) -> bool {
    texts.iter().map(|text| text.len()).sum::<usize>() >= 1 << 20
}

/// [`scan`] of every text; when [`worth_threads`], on as many threads as the process may run at
/// once (its CPU affinity), since chapters are independent of each other. Results are in the
/// order of `texts`.
pub fn scan_all(texts: &[&str], options: &MarkdownOptions) -> Vec<Vec<Found>> {
    let threads = if worth_threads(texts) {
        thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(texts.len())
    } else {
        1
    };
    if threads <= 1 {
        return texts.iter().map(|text| scan(text, options)).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(text) = texts.get(index) else {
                return done;
            };
            done.push((index, scan(text, options)));
        }
    };
    let mut found = vec![Vec::new(); texts.len()];
    thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut place = |done: Vec<(usize, Vec<Found>)>| {
            for (index, found_in_text) in done {
                found[index] = found_in_text;
            }
        };
        place(work());
        for helper in helpers {
            place(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
    });
    found
}

/// A `<<name` occurrence found by the byte scan.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    /// Offset of `<<` (or of the escaping backslash).
    start: usize,
    /// Offset of the first `<`.
    open: usize,
    /// Whether a backslash escapes it.
    escaped: bool,
    /// Offset just past `>>`, if closed on the same line.
    close: Option<usize>,
    /// End of the line the candidate starts on.
    line_end: usize,
}

/// The byte scan: every `<<name` followed by a space, a tab, `>` or the end of the line, in
/// linear time even on adversarial input.
fn candidates(text: &str) -> Vec<Candidate> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut closes = NextMatch::new(b">>");
    let mut newlines = NextMatch::new(b"\n");
    let opens = memmem::Finder::new(b"<<");
    let mut from = 0;
    while let Some(at) = opens.find(&bytes[from..]).map(|i| from + i) {
        let mut name_at = at + 2;
        while bytes.get(name_at) == Some(&b'<') {
            name_at += 1;
        }
        from = name_at;
        let Some(name_end) = directive_name_end(bytes, name_at) else {
            continue;
        };
        let open = name_at - 2;
        let line_end = newlines.at_or_after(bytes, name_end).unwrap_or(bytes.len());
        let close = closes
            .at_or_after(bytes, name_end)
            .filter(|&c| c < line_end)
            .map(|c| c + 2);
        let escaped = bytes[..open]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count()
            % 2
            == 1;
        found.push(Candidate {
            start: if escaped { open - 1 } else { open },
            open,
            escaped,
            close,
            line_end,
        });
        if let Some(close) = close {
            from = close;
        }
    }
    found
}

/// End of the directive name at `at`, if one starts there and ends at a boundary.
fn directive_name_end(bytes: &[u8], at: usize) -> Option<usize> {
    DIRECTIVE_NAMES.iter().find_map(|name| {
        let end = at + name.len();
        let boundary = matches!(
            bytes.get(end),
            None | Some(b' ' | b'\t' | b'>' | b'\r' | b'\n')
        );
        (bytes[at..].starts_with(name.as_bytes()) && boundary).then_some(end)
    })
}

/// Remembers the next occurrence of a needle so that repeated "next after" queries with growing
/// positions cost linear time in total.
struct NextMatch {
    finder: memmem::Finder<'static>,
    next: Option<Option<usize>>,
}

impl NextMatch {
    fn new(needle: &'static [u8]) -> Self {
        NextMatch {
            finder: memmem::Finder::new(needle),
            next: None,
        }
    }

    fn at_or_after(&mut self, bytes: &[u8], position: usize) -> Option<usize> {
        match self.next {
            Some(Some(next)) if next >= position => Some(next),
            Some(None) => None,
            _ => {
                let next = self.finder.find(&bytes[position..]).map(|i| position + i);
                self.next = Some(next);
                next
            }
        }
    }
}

/// What a node of the Markdown tree means for a directive inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Code or raw HTML: leave directives alone.
    Verbatim,
    /// A block whose lines may hold a directive.
    TextBlock,
    /// A heading.
    Heading,
    /// A table cell.
    TableCell,
}

#[derive(Debug, Clone)]
struct Node {
    range: Range<usize>,
    kind: Kind,
}

/// The nodes of `piece` of `text`, parsed on its own, that contain at least one candidate, in
/// document order, with their ranges in `text`.
fn nodes_around(
    text: &str,
    piece: Range<usize>,
    options: &MarkdownOptions,
    candidates: &[Candidate],
) -> Vec<Node> {
    let holds_candidate = |range: &Range<usize>| {
        let first = candidates.partition_point(|c| c.start < range.start);
        candidates.get(first).is_some_and(|c| c.start < range.end)
    };
    let offset = piece.start;
    mdbook_markdown::new_cmark_parser(&text[piece], options)
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let kind = match event {
                Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) => Kind::Verbatim,
                Event::InlineMath(_) | Event::DisplayMath(_) => Kind::Verbatim,
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                    Kind::Verbatim
                }
                Event::Start(
                    Tag::Paragraph
                    | Tag::Item
                    | Tag::DefinitionListTitle
                    | Tag::DefinitionListDefinition,
                ) => Kind::TextBlock,
                Event::Start(Tag::Heading { .. }) => Kind::Heading,
                Event::Start(Tag::TableCell) => Kind::TableCell,
                _ => return None,
            };
            let range = range.start + offset..range.end + offset;
            holds_candidate(&range).then_some(Node { range, kind })
        })
        .collect()
}

/// Finds the innermost node around increasing positions with a stack, in linear total time.
struct Sweep<'a> {
    nodes: &'a [Node],
    next: usize,
    open: Vec<&'a Node>,
}

impl<'a> Sweep<'a> {
    fn new(nodes: &'a [Node]) -> Self {
        Sweep {
            nodes,
            next: 0,
            open: Vec::new(),
        }
    }

    /// The innermost node containing `position`; positions must not decrease between calls.
    fn innermost(&mut self, position: usize) -> Option<&'a Node> {
        while let Some(node) = self
            .nodes
            .get(self.next)
            .filter(|n| n.range.start <= position)
        {
            self.close_through(node.range.start);
            self.open.push(node);
            self.next += 1;
        }
        self.close_through(position);
        self.open.last().copied()
    }

    /// Forgets open nodes that end at or before `position`.
    fn close_through(&mut self, position: usize) {
        while self.open.last().is_some_and(|n| n.range.end <= position) {
            self.open.pop();
        }
    }
}

/// Decides what to do with one candidate given the innermost node around it.
fn classify(text: &str, candidate: &Candidate, node: Option<&Node>) -> Option<Found> {
    let span_end = candidate.close.unwrap_or(candidate.line_end);
    let span = candidate.open..span_end;
    let misplaced = |place| {
        Some(Found::Misplaced {
            span: span.clone(),
            place,
        })
    };
    match node.map(|n| n.kind) {
        Some(Kind::Verbatim) => None,
        _ if candidate.escaped => Some(Found::Escaped {
            span: candidate.start..candidate.open + 2,
        }),
        _ if candidate.close.is_none() => Some(Found::Unclosed {
            span: candidate.open..trim_end(text, candidate.open, candidate.line_end),
        }),
        Some(Kind::Heading) => misplaced(Place::Heading),
        Some(Kind::TableCell) => misplaced(Place::TableCell),
        None => misplaced(Place::OutsideParagraph),
        Some(Kind::TextBlock) => {
            let node = node?;
            let close = candidate.close?;
            let line_start = text[..candidate.open].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &text[line_start..candidate.open];
            let rest_of_line = &text[close..candidate.line_end];
            if !is_container_prefix(prefix) || !rest_of_line.trim().is_empty() {
                return misplaced(Place::SharesLine);
            }
            let after = (candidate.line_end + 1).min(node.range.end)..node.range.end;
            Some(Found::Directive(Placed {
                span,
                inner: candidate.open + 2..close - 2,
                continuation: prefix
                    .chars()
                    .map(|c| if matches!(c, '>' | '\t') { c } else { ' ' })
                    .collect(),
                text_before: node.range.start < line_start,
                text_after: text[after].bytes().any(|b| !b.is_ascii_whitespace()),
            }))
        }
    }
}

/// `end` moved back over trailing whitespace, not before `start`.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

/// Whether `prefix` is only indentation, blockquote markers and list markers.
fn is_container_prefix(prefix: &str) -> bool {
    let bytes = prefix.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let marker_end = match bytes[i] {
            b' ' | b'\t' | b'>' => i + 1,
            b'-' | b'+' | b'*' => i + 1,
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                match bytes.get(i + digits) {
                    Some(b'.' | b')') if digits <= 9 => i + digits + 1,
                    _ => return false,
                }
            }
            _ => return false,
        };
        let is_list_marker = !matches!(bytes[i], b' ' | b'\t' | b'>');
        if is_list_marker && !matches!(bytes.get(marker_end), None | Some(b' ' | b'\t')) {
            return false;
        }
        i = marker_end;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_default(text: &str) -> Vec<Found> {
        scan(text, &MarkdownOptions::default())
    }

    fn directive(text: &str) -> Placed {
        match scan_default(text).as_slice() {
            [Found::Directive(placed)] => placed.clone(),
            other => panic!("expected one directive in {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn text_without_directives_is_not_parsed_or_reported() {
        for text in [
            "plain",
            "1 << 3 and Vec<Vec<T>> and x <<= 2",
            "<<comparex>>",
            "<<benchmarks>>",
        ] {
            assert!(candidates(text).is_empty(), "{text}");
            assert!(scan_default(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_a_directive_alone_on_its_line() {
        let text = "Intro.\n\n<<compare raw-performance>>\n\nOutro.\n";
        let placed = directive(text);
        assert_eq!(&text[placed.span.clone()], "<<compare raw-performance>>");
        assert_eq!(&text[placed.inner.clone()], "compare raw-performance");
        assert!(!placed.text_before && !placed.text_after);
    }

    #[test]
    fn notes_text_of_the_same_paragraph_around_it() {
        let placed = directive("Before\n<<quick-takes>>\nafter\n");
        assert!(placed.text_before && placed.text_after);
    }

    #[test]
    fn keeps_list_items_and_blockquotes() {
        let placed = directive("- <<benchmark>>\n");
        assert_eq!(placed.continuation, "  ");
        let placed = directive("> 1. <<compare all>>\n");
        assert_eq!(placed.continuation, ">    ");
    }

    #[test]
    fn leaves_code_and_html_alone() {
        let texts = [
            "`<<compare raw-performance>>`\n",
            "```\n<<compare raw-performance>>\n```\n",
            "    <<compare raw-performance>>\n",
            "<div>\n<<compare raw-performance>>\n</div>\n",
            "<span title=\"<<compare x>>\">a</span>\n",
        ];
        for text in texts {
            assert_eq!(scan_default(text), [], "{text:?}");
        }
    }

    #[test]
    fn reports_escapes_anywhere_in_prose() {
        let text = "Write \\<<compare x>> to show it.\n";
        assert_eq!(scan_default(text), [Found::Escaped { span: 6..9 }]);
        assert_eq!(
            scan_default("\\\\<<compare x>>\n").len(),
            1,
            "an escaped backslash does not escape the directive"
        );
        assert!(matches!(
            scan_default("\\\\<<compare x>>\n")[0],
            Found::Directive(_) | Found::Misplaced { .. }
        ));
    }

    #[test]
    fn reports_misplaced_and_unclosed_directives() {
        let cases = [
            ("See <<compare x>> here.\n", Place::SharesLine),
            ("*<<compare x>>*\n", Place::SharesLine),
            ("# <<compare x>>\n", Place::Heading),
            ("| a |\n|---|\n| <<compare x>> |\n", Place::TableCell),
        ];
        for (text, expected) in cases {
            match scan_default(text).as_slice() {
                [Found::Misplaced { place, .. }] => assert_eq!(*place, expected, "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
        assert_eq!(
            scan_default("<<compare x\n\nmore >>\n"),
            [Found::Unclosed { span: 0..11 }]
        );
    }

    #[test]
    fn runs_of_angle_brackets_still_find_the_name() {
        assert_eq!(candidates("<<<<compare x>>").len(), 1);
        assert_eq!(candidates("<<<<compare x>>")[0].open, 2);
    }

    #[test]
    fn scanning_many_chapters_at_once_finds_what_scanning_each_finds() {
        let chapter = |i: usize| {
            let filler = "Prose with `code <<compare x>>` and 1 << 3.\n\n".repeat(2000 + i);
            format!(
                "# Chapter {i}\n\n<<compare speed>>\n\n{filler}- <<benchmark b{i}>>\n\n\
                 ```\n<<compare in-code>>\n```\n\nSee <<compare x>> here.\n"
            )
        };
        let chapters: Vec<String> = (0..24).map(chapter).collect();
        let texts: Vec<&str> = chapters.iter().map(String::as_str).collect();
        assert!(worth_threads(&texts), "large enough for threads");
        let options = MarkdownOptions::default();
        let one_by_one: Vec<Vec<Found>> = texts.iter().map(|t| scan(t, &options)).collect();
        assert!(one_by_one.iter().all(|found| found.len() == 3));
        assert_eq!(scan_all(&texts, &options), one_by_one);
        assert!(!worth_threads(&texts[..1]));
    }

    #[test]
    fn container_prefixes() {
        for ok in ["", "  ", "> ", "- ", "> - ", "12. ", "3) ", "\t"] {
            assert!(is_container_prefix(ok), "{ok:?}");
        }
        for bad in ["a ", "*x", "-x", "1.x", "[", "1234567890. "] {
            assert!(!is_container_prefix(bad), "{bad:?}");
        }
    }
}
