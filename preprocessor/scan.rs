//! Finding directives in a chapter's Markdown.
//!
//! A byte scan finds each `<<` followed by a word; a word that is a directive's name from the
//! registry ([`crate::directives::DIRECTIVES`]) or close to one makes a candidate, and so does
//! any other word right after `<<` and closed by `>>` on its line, which Markdown would read as
//! an HTML tag and drop (`<<cmp speed>>` would show as `<>`). A chapter without a candidate is
//! never parsed. Otherwise the chapter is parsed once, with mdBook's own pulldown-cmark
//! settings, to learn where each candidate stands: code and raw HTML are left alone; a block
//! directive alone on its line in a paragraph or list item is expanded, an inline one anywhere
//! in the text of a paragraph, list item or table cell (but not in a link or an image); anything
//! else is reported.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::{Event, Tag};
use mdbook_preprocessor::book::{Book, BookItem};
use memchr::memmem;

use crate::directives::{self, DIRECTIVES, Placement};

/// A candidate directive and what to do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A directive where it can be expanded.
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
    /// `<<word` where `word` is not a directive's name as it may stand.
    Misspelled {
        /// The word as written; for [`Misspelling::Glued`], up to the `>>`.
        span: Range<usize>,
        /// The name it is closest to.
        meant: &'static str,
        /// How it differs from that name.
        how: Misspelling,
    },
}

/// How a word after `<<` misses a directive's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Misspelling {
    /// Close to the name: another case, `_` for `-`, one letter off, or letters glued on.
    Near,
    /// The name, after space that may not stand between `<<` and it.
    Spaced,
    /// The name with punctuation glued on (`compare:speed`, `compare-speed`) where a space must
    /// stand before the arguments.
    Glued,
    /// A word far from every name: the name is only the closest one.
    Unknown,
}

/// A directive that can be expanded, and the layout around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placed {
    /// From `<<` to `>>` inclusive.
    pub(crate) span: Range<usize>,
    /// Between `<<` and `>>`.
    pub(crate) inner: Range<usize>,
    /// Where the directive stands: alone on its line, or among text.
    pub(crate) placement: Placement,
    /// What starts each further line of the expansion to keep it in the same list item or
    /// blockquote (list markers become spaces, `>` stays).
    pub(crate) continuation: String,
    /// Whether text of the same block stands on earlier lines.
    pub(crate) text_before: bool,
    /// Whether anything stands on the next line of the same container (text of the same
    /// paragraph, or a block of its own): the expansion must then end with a blank line.
    pub(crate) text_after: bool,
}

impl Found {
    /// Where it stands in the text; `None` for an escape, which is no directive.
    pub(crate) fn directive_span(&self) -> Option<Range<usize>> {
        match self {
            Found::Directive(placed) => Some(placed.span.clone()),
            Found::Escaped { .. } => None,
            Found::Misplaced { span, .. }
            | Found::Unclosed { span }
            | Found::Misspelled { span, .. } => Some(span.clone()),
        }
    }
}

/// Why a directive cannot be expanded where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// Other text shares the line of a block directive.
    SharesLine,
    /// It is inside a heading.
    Heading,
    /// A block directive inside a table cell.
    TableCell,
    /// It is inside a link's text (or title).
    Link,
    /// It is inside an image's description.
    Image,
    /// It is not inside a paragraph, list item or table cell (e.g. a link definition).
    OutsideParagraph,
    /// A block directive on a paragraph's continuation line that, laid out after a blank line,
    /// would not be an HTML block: indented four columns or more past the containers its line
    /// repeats (indented code), or a lazy line of a blockquote.
    IndentedContinuation,
}

/// What [`scan`] finds in every chapter of `book`, by the chapter's path.
pub(crate) fn chapters(book: &Book, options: &MarkdownOptions) -> HashMap<PathBuf, Vec<Found>> {
    book.iter()
        .filter_map(|item| match item {
            BookItem::Chapter(chapter) => chapter
                .path
                .as_ref()
                .map(|path| (path.clone(), scan(&chapter.content, options))),
            _ => None,
        })
        .collect()
}

/// Every directive candidate in `text`, in order. Empty, without parsing, when the text has none.
pub(crate) fn scan(text: &str, options: &MarkdownOptions) -> Vec<Found> {
    let candidates = candidates(text);
    if candidates.is_empty() {
        return Vec::new();
    }
    let nodes = nodes_around(text, options, &candidates);
    let mut found = Vec::with_capacity(candidates.len());
    let mut sweep = Sweep::new(&nodes);
    let mut previous_line = None;
    for candidate in &candidates {
        let node = sweep.innermost(candidate.start);
        let first_on_line = previous_line != Some(candidate.line_start);
        previous_line = Some(candidate.line_start);
        if let Some(found_here) = classify(text, candidate, node, first_on_line) {
            found.push(found_here);
        }
    }
    mark_run_ons(text, options, &mut found);
    mark_continuations_that_stay_text(text, options, &mut found);
    found
}

/// What the word after `<<` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    /// A directive's name, exactly, and where that directive may stand.
    Exact(&'static str, Placement),
    /// Close to this directive's name.
    Near(&'static str),
    /// This directive's name with punctuation glued on instead of a space.
    Glued(&'static str),
    /// No directive's name; this one is the closest.
    Unknown(&'static str),
}

/// A `<<word` occurrence found by the byte scan.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    /// Offset of `<<` (or of the escaping backslash).
    start: usize,
    /// Offset of the first `<`.
    open: usize,
    /// The word after `<<`.
    word: Range<usize>,
    /// What the word names.
    name: Name,
    /// Whether space stands between `<<` and the word.
    spaced: bool,
    /// Whether a backslash escapes it.
    escaped: bool,
    /// Offset just past `>>`, if closed on the same line.
    close: Option<usize>,
    /// Start of the line the candidate starts on.
    line_start: usize,
    /// End of the line the candidate starts on.
    line_end: usize,
}

/// The byte scan: every `<<word` whose word is or nearly is a directive's name, and every other
/// `<<word ...>>` that Markdown would read as an HTML tag, in linear time even on adversarial
/// input.
fn candidates(text: &str) -> Vec<Candidate> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut closes = NextMatch::new(b">>");
    let mut newlines = NextMatch::new(b"\n");
    let mut opens_after = NextMatch::new(b"<");
    let opens = memmem::Finder::new(b"<<");
    let mut from = 0;
    // The start of the line of the last `<<` found, and how far the text was searched for it:
    // each byte is searched once, however many candidates share a line.
    let (mut line_start, mut searched) = (0, 0);
    while let Some(at) = opens.find(&bytes[from..]).map(|i| from + i) {
        work::add(at - searched);
        if let Some(newline) = memchr::memrchr(b'\n', &bytes[searched..at]) {
            line_start = searched + newline + 1;
        }
        searched = at;
        let mut after = at + 2;
        while bytes.get(after) == Some(&b'<') {
            after += 1;
        }
        from = after;
        let open = after - 2;
        let word_start = after
            + bytes[after..]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
        let word_end = word_start
            + bytes[word_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
                .count();
        let spaced = word_start > after;
        let word = &text[word_start..word_end];
        let line_end = newlines.at_or_after(bytes, word_end).unwrap_or(bytes.len());
        let close = closes
            .at_or_after(bytes, word_end)
            .filter(|&c| c < line_end)
            .map(|c| c + 2);
        // Anything but a directive's name right after `<<` is a mistake only when it is closed
        // like a directive (so an unclosed word needs no edit distance); a word far from every
        // name only when nothing opens before `>>`.
        if close.is_none() && (spaced || directives::find(word).is_none()) {
            continue;
        }
        let Some(name) = name(word, &bytes[word_end..], spaced) else {
            continue;
        };
        let exact = matches!(name, Name::Exact(..)) && !spaced;
        if !exact && close.is_none() {
            continue;
        }
        if let (Name::Unknown(_), Some(close)) = (name, close)
            && opens_after
                .at_or_after(bytes, word_end)
                .is_some_and(|open| open < close - 2)
        {
            continue;
        }
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
            word: word_start..word_end,
            name,
            spaced,
            escaped,
            close,
            line_start,
            line_end,
        });
        if let Some(close) = close {
            from = close;
        }
    }
    found
}

/// What `word` (followed by the bytes `rest`, after `<<` and space when `spaced`) names: a
/// directive exactly; nearly (another case, `_` for `-`, one edit away, letters glued on); a
/// directive's name with punctuation glued on; or, right after `<<` and ending as an HTML tag's
/// name ends, no directive; or nothing to report.
fn name(word: &str, rest: &[u8], spaced: bool) -> Option<Name> {
    if !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let next = rest.first();
    // A no-break space (or any Unicode space) looks like a space, and separates like one.
    let unicode_space = std::str::from_utf8(&rest[..rest.len().min(4)])
        .or_else(|err| std::str::from_utf8(&rest[..err.valid_up_to()]))
        .ok()
        .and_then(|start| start.chars().next())
        .is_some_and(char::is_whitespace);
    let boundary =
        unicode_space || matches!(next, None | Some(b' ' | b'\t' | b'>' | b'\r' | b'\n'));
    if let Some(directive) = directives::find(word) {
        return Some(if boundary {
            Name::Exact(directive.name, directive.placement)
        } else {
            Name::Glued(directive.name)
        });
    }
    if word.len() >= 3 {
        let folded = word.to_ascii_lowercase().replace('_', "-");
        if word.len() <= longest_name() + 1
            && let Some((_, name)) = DIRECTIVES
                .iter()
                // One edit changes the length by one at most: the others need no distance.
                .filter(|d| d.name.len().abs_diff(folded.len()) <= 1)
                .map(|d| (strsim::damerau_levenshtein(&folded, d.name), d.name))
                .filter(|(distance, _)| *distance <= 1)
                .min_by_key(|(distance, _)| *distance)
        {
            return Some(Name::Near(name));
        }
        // A name with something glued on would otherwise vanish as an HTML tag: after `-` or
        // `_` (`compare-speed`) it is that name; with letters (`comparespeed`, `COMPAREALL`),
        // the longest name it starts with, misspelt.
        let longest_prefix = |word: &str, glue: bool| {
            DIRECTIVES
                .iter()
                .filter(|d| {
                    word.strip_prefix(d.name)
                        .is_some_and(|after| !glue || after.starts_with(['-', '_']))
                })
                .max_by_key(|d| d.name.len())
                .map(|d| d.name)
        };
        if let Some(name) = longest_prefix(word, true) {
            return Some(Name::Glued(name));
        }
        if let Some(name) = longest_prefix(&folded, false) {
            return Some(Name::Near(name));
        }
    }
    let ends_tag_name = matches!(next, Some(b' ' | b'\t' | b'>')) || rest.starts_with(b"/>");
    (!spaced && ends_tag_name).then(|| Name::Unknown(closest_name(word)))
}

/// The directive name closest to `word` by edit distance (of its first bytes: a word may be
/// any length).
fn closest_name(word: &str) -> &'static str {
    let start = &word[..word.len().min(longest_name() + 1)];
    let folded = start.to_ascii_lowercase().replace('_', "-");
    DIRECTIVES
        .iter()
        .min_by_key(|d| strsim::damerau_levenshtein(&folded, d.name))
        .map_or("", |d| d.name)
}

/// The length of the longest directive name.
fn longest_name() -> usize {
    DIRECTIVES.iter().map(|d| d.name.len()).max().unwrap_or(0)
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
    /// A link: its text and title.
    Link,
    /// An image: its description and title.
    Image,
}

#[derive(Debug, Clone)]
struct Node {
    range: Range<usize>,
    kind: Kind,
}

/// The nodes of `text` that contain at least one candidate, in document order.
fn nodes_around(text: &str, options: &MarkdownOptions, candidates: &[Candidate]) -> Vec<Node> {
    let holds_candidate = |range: &Range<usize>| {
        let first = candidates.partition_point(|c| c.start < range.start);
        candidates.get(first).is_some_and(|c| c.start < range.end)
    };
    mdbook_markdown::new_cmark_parser(text, options)
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
                Event::Start(Tag::Link { .. }) => Kind::Link,
                Event::Start(Tag::Image { .. }) => Kind::Image,
                _ => return None,
            };
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

/// Decides what to do with one candidate given the innermost node around it, and whether it is
/// the first candidate on its line (a later one shares its line with the first).
fn classify(
    text: &str,
    candidate: &Candidate,
    node: Option<&Node>,
    first_on_line: bool,
) -> Option<Found> {
    let span_end = candidate.close.unwrap_or(candidate.line_end);
    let span = candidate.open..span_end;
    let misplaced = |place| {
        Some(Found::Misplaced {
            span: span.clone(),
            place,
        })
    };
    let misspelled = |how, meant| {
        Some(Found::Misspelled {
            span: candidate.word.clone(),
            meant,
            how,
        })
    };
    let placement = match (node.map(|n| n.kind), candidate.name) {
        (Some(Kind::Verbatim), _) => return None,
        _ if candidate.escaped => {
            return Some(Found::Escaped {
                span: candidate.start..candidate.open + 2,
            });
        }
        (_, Name::Near(meant)) => return misspelled(Misspelling::Near, meant),
        (_, Name::Unknown(closest)) => return misspelled(Misspelling::Unknown, closest),
        (_, Name::Exact(name, _)) if candidate.spaced => {
            return misspelled(Misspelling::Spaced, name);
        }
        (_, Name::Glued(meant)) => {
            return Some(Found::Misspelled {
                span: candidate.word.start..trim_end(text, candidate.word.start, span.end - 2),
                meant,
                how: Misspelling::Glued,
            });
        }
        (_, Name::Exact(_, placement)) => placement,
    };
    let Some(close) = candidate.close else {
        return Some(Found::Unclosed {
            span: candidate.open..trim_end(text, candidate.open, candidate.line_end),
        });
    };
    let inline = placement == Placement::Inline;
    let node = match node.map(|n| (n, n.kind)) {
        // `<<name>>` over a line of `-` or `=` reads as a setext heading, but the author meant a
        // directive and then a thematic break: expanded, the directive ends its own block.
        Some((node, Kind::Heading)) if !inline && underlines(text, node, candidate.line_end) => {
            node
        }
        Some((_, Kind::Heading)) => return misplaced(Place::Heading),
        Some((_, Kind::Link)) => return misplaced(Place::Link),
        Some((_, Kind::Image)) => return misplaced(Place::Image),
        Some((node, Kind::TableCell)) if inline => node,
        Some((_, Kind::TableCell)) => return misplaced(Place::TableCell),
        None => return misplaced(Place::OutsideParagraph),
        Some((node, _)) => node,
    };
    let line_start = candidate.line_start;
    if inline {
        // Among text, an expansion needs no layout: nothing about its line is kept.
        return Some(Found::Directive(Placed {
            span,
            inner: candidate.open + 2..close - 2,
            placement,
            continuation: String::new(),
            text_before: false,
            text_after: false,
        }));
    }
    // mdBook splices an included file in with its byte order mark: unseen, it starts the file's
    // first line, so the expansion replaces it with the directive.
    let prefix = &text[line_start..candidate.open];
    if first_on_line {
        work::add(prefix.len());
    }
    let before_mark = prefix.trim_end_matches(BYTE_ORDER_MARK).len();
    let (prefix, span) = (&prefix[..before_mark], line_start + before_mark..span.end);
    let rest_of_line = &text[close..candidate.line_end];
    // Only the first candidate of a line reads the line's start, so a line of many costs no
    // more than its length.
    if !first_on_line || !is_container_prefix(prefix) || !rest_of_line.trim().is_empty() {
        return misplaced(Place::SharesLine);
    }
    let continuation: String = prefix
        .chars()
        .map(|c| if matches!(c, '>' | '\t') { c } else { ' ' })
        .collect();
    let after = (candidate.line_end + 1).min(node.range.end)..node.range.end;
    Some(Found::Directive(Placed {
        span,
        inner: candidate.open + 2..close - 2,
        placement,
        text_before: node.range.start < line_start,
        // Text of the same paragraph after it; whether the next line is a block the expansion
        // would run into is decided by `mark_run_ons` once every directive is known.
        text_after: text[after].bytes().any(|b| !b.is_ascii_whitespace()),
        continuation,
    }))
}

/// Sets `text_after` on each block directive whose expansion would run into the next line.
///
/// A block directive is expanded as HTML, and an HTML block (CommonMark's kinds 6 and 7) runs
/// on to the next blank line of its container: a fence, heading or HTML block on the very next
/// line would become its raw text, and a fence's content live HTML. Whether the next line
/// continues the directive's container (its blockquote markers, its list item's indentation,
/// tabs to 4-column stops, lazy lines) is CommonMark's to say, so the parser mdBook uses says
/// it: the chapter is parsed once more with each block directive replaced by an HTML block's
/// opening tag of the same length, and a directive whose HTML block reaches past its own line
/// needs a blank line after it. Only a chapter where some block directive has a non-blank line
/// right after it pays for that parse.
fn mark_run_ons(text: &str, options: &MarkdownOptions, found: &mut [Found]) {
    let undecided = |found: &Found| match found {
        Found::Directive(placed) => {
            placed.placement == Placement::Block
                && !placed.text_after
                && !next_line(text, placed.span.end).trim().is_empty()
        }
        _ => false,
    };
    if !found.iter().any(undecided) {
        return;
    }
    let mut probe = text.as_bytes().to_vec();
    for found in found.iter() {
        if let Found::Directive(placed) = found
            && placed.placement == Placement::Block
        {
            let opening = &mut probe[placed.span.clone()];
            opening.fill(b' ');
            opening[..PROBE_TAG.len()].copy_from_slice(PROBE_TAG);
        }
    }
    let probe = String::from_utf8(probe).expect("ASCII replaced ASCII");
    let html_blocks = html_blocks(&probe, options);
    let mut blocks = html_blocks.iter().peekable();
    for found in found.iter_mut() {
        if let Found::Directive(placed) = found
            && placed.placement == Placement::Block
        {
            let line_end = placed.span.end + next_line_offset(text, placed.span.end);
            while blocks.next_if(|b| b.end <= placed.span.start).is_some() {}
            let runs_on = blocks
                .peek()
                .filter(|b| b.start <= placed.span.start)
                .is_some_and(|b| {
                    probe
                        .get(line_end..b.end)
                        .is_some_and(|after| !after.trim().is_empty())
                });
            placed.text_after |= runs_on;
        }
    }
}

/// Marks as misplaced each block directive on a paragraph's continuation line whose expansion,
/// laid out as `expand` lays it out (after a line of its own prefix alone, so a blank one),
/// would not be an HTML block: its line then continues only the containers its prefix repeats
/// (a lazy line of a blockquote continues none), and indentation four columns past those makes
/// it indented code. The parser mdBook uses decides, on the chapter with each block directive
/// laid out so and an HTML block's opening tag for its expansion. Only a chapter with a block
/// directive on a continuation line pays for that parse.
fn mark_continuations_that_stay_text(text: &str, options: &MarkdownOptions, found: &mut [Found]) {
    fn block(found: &Found) -> Option<&Placed> {
        match found {
            Found::Directive(placed) if placed.placement == Placement::Block => Some(placed),
            _ => None,
        }
    }
    if !found
        .iter()
        .filter_map(block)
        .any(|placed| placed.text_before)
    {
        return;
    }
    let mut probe = String::with_capacity(text.len() + text.len() / 4);
    let mut tags = Vec::new();
    let mut copied = 0;
    for placed in found.iter().filter_map(block) {
        probe.push_str(&text[copied..placed.span.start]);
        if placed.text_before {
            probe.push('\n');
            probe.push_str(&placed.continuation);
        }
        tags.push(probe.len());
        probe.push_str(std::str::from_utf8(PROBE_TAG).expect("ASCII"));
        if placed.text_after {
            probe.push('\n');
            probe.push_str(placed.continuation.trim_end());
        }
        copied = placed.span.end;
    }
    probe.push_str(&text[copied..]);
    let html_blocks = html_blocks(&probe, options);
    let mut blocks = html_blocks.iter().peekable();
    let mut tags = tags.into_iter();
    for found in found.iter_mut() {
        let Found::Directive(placed) = found else {
            continue;
        };
        if placed.placement != Placement::Block {
            continue;
        }
        let tag = tags.next().expect("a tag per block directive");
        while blocks.next_if(|b| b.end <= tag).is_some() {}
        let line_start = tag - placed.continuation.len();
        let own_block = blocks
            .peek()
            .is_some_and(|b| b.start <= tag && b.start >= line_start);
        if placed.text_before && !own_block {
            *found = Found::Misplaced {
                span: placed.span.clone(),
                place: Place::IndentedContinuation,
            };
        }
    }
}

/// Where each HTML block of `probe` stands, in order, as the parser mdBook uses reads it.
fn html_blocks(probe: &str, options: &MarkdownOptions) -> Vec<Range<usize>> {
    mdbook_markdown::new_cmark_parser(probe, options)
        .into_offset_iter()
        .filter_map(|(event, range)| matches!(event, Event::Start(Tag::HtmlBlock)).then_some(range))
        .collect()
}

/// What stands in for a block directive when asking where its expansion would end: the opening
/// tag of an HTML block of CommonMark's kind 6, as every block expansion begins.
const PROBE_TAG: &[u8] = b"<div>";

/// The offset from `at` to the end of its line.
fn next_line_offset(text: &str, at: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[at..]).unwrap_or(text.len() - at)
}

/// The line after the one holding `at` (empty at the end of the text).
fn next_line(text: &str, at: usize) -> &str {
    let line_end = at + next_line_offset(text, at);
    let rest = text.get(line_end + 1..).unwrap_or("");
    &rest[..next_line_offset(rest, 0)]
}

/// The byte order mark, which mdBook keeps in an included file.
const BYTE_ORDER_MARK: char = '\u{feff}';

/// Whether `heading` is a setext heading whose text is the line ending at `line_end` alone: what
/// follows that line in the heading is only its underline of `-` or `=` (after any container
/// markers).
fn underlines(text: &str, heading: &Node, line_end: usize) -> bool {
    let rest = &text[(line_end + 1).min(heading.range.end)..heading.range.end];
    let underline = rest.trim().trim_start_matches(['>', ' ', '\t']);
    !underline.is_empty()
        && !rest.trim().contains('\n')
        && (underline.bytes().all(|b| matches!(b, b'-' | b' ' | b'\t'))
            || underline.bytes().all(|b| matches!(b, b'=' | b' ' | b'\t')))
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
        // A list marker is one only when space follows it: `1.<<compare x>>` is a paragraph.
        if is_list_marker && !matches!(bytes.get(marker_end), Some(b' ' | b'\t')) {
            return false;
        }
        i = marker_end;
    }
    true
}

/// Counts the bytes read to place candidates on their lines, so that a test can check that
/// the count grows linearly with the text (nothing is counted outside tests).
mod work {
    #[cfg(test)]
    thread_local! {
        static READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Counts `bytes` read.
    #[cfg(test)]
    pub(super) fn add(bytes: usize) {
        READ.with(|read| read.set(read.get() + bytes));
    }

    #[cfg(not(test))]
    pub(super) fn add(_: usize) {}

    /// The bytes counted on this thread so far, and the count reset.
    #[cfg(test)]
    pub(super) fn take() -> usize {
        READ.with(|read| read.replace(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_directives_on_one_line_cost_the_lines_length() {
        let size = 200_000;
        let values = "<<value b m rust>> ".repeat(size / 19);
        let misplaced = "<<compare speed>> ".repeat(size / 18);
        let long_prefix = format!("{}{misplaced}", "> ".repeat(2_000));
        for text in [&values, &misplaced, &long_prefix] {
            work::take();
            let found = scan_default(text);
            assert!(found.len() > 5_000, "{}", found.len());
            let read = work::take();
            assert!(
                read <= 2 * text.len(),
                "{read} bytes read for {}",
                text.len()
            );
            let kept: usize = found
                .iter()
                .map(|f| match f {
                    Found::Directive(placed) => placed.continuation.len(),
                    _ => 0,
                })
                .sum();
            assert!(kept <= text.len(), "{kept} bytes of prefixes kept");
        }
    }

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
            "cat <<EOF and <<-EOF and <<'END'",
            "a<<b and 1 << value",
            "1 << 3compare>>",
        ] {
            assert!(candidates(text).is_empty(), "{text}");
            assert!(scan_default(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn names_close_to_a_directive_are_misspellings() {
        use Misspelling::{Glued, Near, Spaced};
        let cases = [
            ("<<comapre x>>", "comapre", "compare", Near),
            ("<<Compare x>>", "Compare", "compare", Near),
            ("<<comparex>>", "comparex", "compare", Near),
            ("<<benchmarks x>>", "benchmarks", "benchmark", Near),
            ("<<quick_takes>>", "quick_takes", "quick-takes", Near),
            (
                "<<benchmark-summar>>",
                "benchmark-summar",
                "benchmark-summary",
                Near,
            ),
            ("<<COMPARE-SPEED>>", "COMPARE-SPEED", "compare", Near),
            ("<<comparespeed>>", "comparespeed", "compare", Near),
            ("<<Compare:speed>>", "Compare", "compare", Near),
            ("<< compare x>>", "compare", "compare", Spaced),
            ("<<\tcomapre x>>", "comapre", "compare", Near),
            ("<<compare-speed>>", "compare-speed", "compare", Glued),
            ("<<compare_speed>>", "compare_speed", "compare", Glued),
            ("<<compare:speed>>", "compare:speed", "compare", Glued),
            ("<<compare,speed >>", "compare,speed", "compare", Glued),
            ("<<compare.speed>>", "compare.speed", "compare", Glued),
            ("<<compare—speed>>", "compare—speed", "compare", Glued),
            ("<< compare:speed>>", "compare:speed", "compare", Glued),
            ("<<glance-all>>", "glance-all", "glance", Glued),
            ("<<benchmark-hello>>", "benchmark-hello", "benchmark", Glued),
            (
                "<<benchmark-summary-x>>",
                "benchmark-summary-x",
                "benchmark-summary",
                Glued,
            ),
            ("<<quick-takes-x>>", "quick-takes-x", "quick-takes", Glued),
            ("<<value:b m rust>>", "value:b m rust", "value", Glued),
        ];
        for (text, written, expected, expected_how) in cases {
            let text = format!("{text}\n");
            match scan_default(&text).as_slice() {
                [Found::Misspelled { span, meant, how }] => {
                    assert_eq!(
                        (&text[span.clone()], *meant, *how),
                        (written, expected, expected_how),
                        "{text}"
                    );
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(
            scan_default("`<<Compare x>>`\n").is_empty(),
            "code is left alone"
        );
        assert!(
            scan_default("<<compare:speed\n").is_empty(),
            "unclosed, it is not a directive"
        );
    }

    #[test]
    fn a_word_far_from_every_name_closed_on_its_line_is_an_unknown_directive() {
        for (text, word) in [
            ("<<cmp speed>>", "cmp"),
            ("It is <<fast>> here.", "fast"),
            ("x<<y>>z", "y"),
            ("Vec<<T>>", "T"),
            ("<<EOF >> log", "EOF"),
            ("<<br/>>", "br"),
            ("# <<cmp x>>", "cmp"),
            ("| <<cmp x>> |", "cmp"),
            ("[<<cmp x>>](https://e.com)", "cmp"),
            ("<<cmparisons x>>", "cmparisons"),
        ] {
            let text = format!("{text}\n");
            match scan_default(&text).as_slice() {
                [Found::Misspelled { span, meant, how }] => {
                    assert_eq!(
                        (&text[span.clone()], *how),
                        (word, Misspelling::Unknown),
                        "{text}"
                    );
                    if word.starts_with("cmp") {
                        assert_eq!(*meant, "compare", "{text}");
                    }
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert_eq!(
            scan_default("\\<<cmp speed>>\n"),
            [Found::Escaped { span: 0..3 }]
        );
        // What opens before the `>>` is another candidate, not this one's arguments.
        assert!(matches!(
            scan_default("x <<a then <<compare speed>>\n").as_slice(),
            [Found::Misplaced {
                place: Place::SharesLine,
                ..
            }]
        ));
    }

    #[test]
    fn a_long_unknown_word_is_cheap() {
        let text = format!("<<{}>>\n", "a".repeat(10_000_000));
        assert!(matches!(
            scan_default(&text).as_slice(),
            [Found::Misspelled {
                how: Misspelling::Unknown,
                ..
            }]
        ));
    }

    /// Prose around a piece of text on its line.
    const PROSE: &[&str] = &["", "Word ", "It is ", "- ", "> ", "1. ", "| a | "];

    /// `<<` in a line of prose that is no directive: shifts, generics, heredocs, quotes, code.
    const NOT_DIRECTIVES_INLINE: &[&str] = &[
        "a << b",
        "x<<2",
        "1 << 3",
        "x <<= 2",
        "a << b >> c",
        "Vec<Vec<T>>",
        "HashMap<String, Vec<u8>>",
        "cat <<EOF",
        "cat <<-EOF",
        "<<'END'",
        "<<\"END\"",
        "<< guillemets >>",
        "« guillemets »",
        "<<>>",
        "<< 1 >>",
        "<<<",
        "<<cmp speed",
        "<<cmp\\>>",
        "`<<cmp speed>>`",
        "`cat <<EOF >> log`",
        "<span title=\"<<cmp x>>\">a</span>",
        "\\<<cmp speed>>",
    ];

    /// Blocks that hold `<<` as code or raw HTML.
    const NOT_DIRECTIVES_BLOCK: &[&str] = &[
        "```\n<<cmp speed>>\ncat <<EOF >> log\n```",
        "<div>\n<<cmp speed>>\n</div>",
        "<!-- <<cmp speed>> -->",
    ];

    /// A line of prose around an ordinary `<<`, or a block of code or HTML.
    fn not_a_directive() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let inline = (
            prop::sample::select(PROSE),
            prop::sample::select(NOT_DIRECTIVES_INLINE),
            prop::sample::select(&["", " here.", " and more"][..]),
        )
            .prop_map(|(before, text, after)| format!("{before}{text}{after}"));
        let block = prop::sample::select(NOT_DIRECTIVES_BLOCK).prop_map(str::to_string);
        prop_oneof![inline, block]
    }

    proptest::proptest! {
        #[test]
        fn ordinary_angle_brackets_are_never_reported(
            blocks in proptest::collection::vec(not_a_directive(), 0..12)
        ) {
            let text = blocks.join("\n\n");
            let found = scan_default(&text);
            let escapes_only = found.iter().all(|f| matches!(f, Found::Escaped { .. }));
            proptest::prop_assert!(escapes_only, "{text:?}: {found:?}");
        }
    }

    #[test]
    fn finds_a_directive_alone_on_its_line() {
        let text = "Intro.\n\n<<compare raw-performance>>\n\nOutro.\n";
        let placed = directive(text);
        assert_eq!(&text[placed.span.clone()], "<<compare raw-performance>>");
        assert_eq!(&text[placed.inner.clone()], "compare raw-performance");
        assert!(!placed.text_before && !placed.text_after);
        assert_eq!(placed.placement, Placement::Block);
    }

    #[test]
    fn notes_what_stands_around_it() {
        let placed = directive("Before\n<<quick-takes>>\nafter\n");
        assert!(placed.text_before && placed.text_after);
        for next in ["# Heading", "```", "> quote", "- item", "***", "    code"] {
            let placed = directive(&format!("<<quick-takes>>\n{next}\n"));
            assert!(placed.text_after, "{next}");
        }
        assert!(directive("> <<quick-takes>>\n> # Heading\n").text_after);
        assert!(!directive("> <<quick-takes>>\n\n# Heading\n").text_after);
        assert!(!directive("- <<quick-takes>>\n- next item\n").text_after);
        assert!(directive("- <<quick-takes>>\n  ```\n  code\n  ```\n").text_after);
    }

    #[test]
    fn inline_directives_stand_among_text() {
        let text = "It weighs <<value b m rust>> here.\n\n| a |\n|---|\n| <<ratio b m>> |\n";
        let found = scan_default(text);
        assert_eq!(found.len(), 2, "{found:?}");
        for found in found {
            let Found::Directive(placed) = found else {
                panic!("{found:?}");
            };
            assert_eq!(placed.placement, Placement::Inline);
        }
        assert!(matches!(
            scan_default("# A <<value b m rust>>\n").as_slice(),
            [Found::Misplaced {
                place: Place::Heading,
                ..
            }]
        ));
    }

    #[test]
    fn no_directive_is_expanded_in_a_link_or_an_image() {
        let cases = [
            ("See [<<value b m rust>>](https://e.com).\n", Place::Link),
            ("See [it](https://e.com \"<<ratio b m>>\").\n", Place::Link),
            (
                "See [a <<ratio b m>> b][r].\n\n[r]: https://e.com\n",
                Place::Link,
            ),
            ("[<<compare x>>](https://e.com)\n", Place::Link),
            ("![<<value b m rust>>](chart.png)\n", Place::Image),
            ("[![<<ratio b m>>](i.png)](https://e.com)\n", Place::Image),
        ];
        for (text, expected) in cases {
            match scan_default(text).as_slice() {
                [Found::Misplaced { span, place }] => {
                    assert_eq!(*place, expected, "{text:?}");
                    assert!(text[span.clone()].starts_with("<<"), "{text:?}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        let beside = scan_default("[a link](https://e.com) <<value b m rust>>\n");
        assert!(
            matches!(beside.as_slice(), [Found::Directive(_)]),
            "{beside:?}"
        );
        let brackets = scan_default("[<<value b m rust>>] without a target\n");
        assert!(
            matches!(brackets.as_slice(), [Found::Directive(_)]),
            "{brackets:?}"
        );
    }

    #[test]
    fn keeps_list_items_and_blockquotes() {
        let placed = directive("- <<benchmark x>>\n");
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
    fn container_prefixes() {
        for ok in ["", "  ", "> ", "- ", "> - ", "12. ", "3) ", "\t"] {
            assert!(is_container_prefix(ok), "{ok:?}");
        }
        for bad in [
            "a ",
            "*x",
            "-x",
            "1.x",
            "[",
            "1234567890. ",
            "-",
            "1.",
            "> 2)",
        ] {
            assert!(!is_container_prefix(bad), "{bad:?}");
        }
    }
}
