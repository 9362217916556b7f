//! Where a chapter can be parsed piece by piece.
//!
//! Parsing a whole chapter to classify a few directives is most of the preprocessor's work on a
//! book full of them. One pass over the lines finds *restart points*: line starts where
//! pulldown-cmark has closed every block it opened, so that parsing from there gives the same
//! events as parsing from the top. Each candidate is then parsed only from the restart point
//! before it to the one after it.
//!
//! A restart point is a line after a blank line, outside a fenced code block, that starts in its
//! first column with anything but a list marker or a definition's `:`. The blank line closes
//! paragraphs, tables, blockquotes and HTML blocks of kinds 6 and 7; an unindented line that is
//! no list item or definition closes lists, indented code, footnote and definition bodies, and
//! cannot continue any of them. What survives both is a fenced code block or an HTML block of
//! kinds 1 to 5. So the pass follows fences that start in the first column exactly as
//! pulldown-cmark does, and gives up (no further restart point in the chapter) at the first
//! line that could open either anywhere else: a fence marker (```` ``` ```` or `~~~`) not in
//! the first column, a line that starts with an HTML tag after any container markers, or a
//! footnote definition. It also gives up on a lone carriage return, which pulldown-cmark counts
//! as a line end. Giving up costs time, never accuracy: the rest of the chapter is parsed as one
//! piece.
//!
//! These rules follow pulldown-cmark 0.13, the version mdBook 0.5 parses with. When mdBook moves
//! to another version, run `tests/scan_pieces.rs` at length (`PROPTEST_CASES=400000`) and the
//! `scan` fuzz target: both compare the pieces with a parse of the whole chapter.

use std::ops::Range;

/// The restart points of a chapter and the fenced code blocks known for sure.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Regions {
    /// Offsets where parsing may start, ascending, `0` first.
    pub restarts: Vec<usize>,
    /// Fenced code blocks that start in the first column, from the opening line to the end of
    /// the closing line (or of the text), ascending.
    pub fences: Vec<Range<usize>>,
}

impl Regions {
    /// The piece to parse for a candidate at `start` whose line ends at `line_end`: from the
    /// last restart point at or before `start` to the first after `line_end`.
    pub fn piece(&self, start: usize, line_end: usize, text_len: usize) -> Range<usize> {
        let before = self.restarts.partition_point(|&r| r <= start);
        let from = self.restarts[before.saturating_sub(1)];
        let after = self.restarts.partition_point(|&r| r <= line_end);
        from..self.restarts.get(after).copied().unwrap_or(text_len)
    }

    /// Whether `position` is inside a fenced code block known for sure.
    pub fn in_fence(&self, position: usize) -> bool {
        let after = self.fences.partition_point(|f| f.start <= position);
        after > 0 && position < self.fences[after - 1].end
    }
}

/// A fenced code block being read: its marker character and the length of its opening run.
#[derive(Debug, Clone, Copy)]
struct Fence {
    marker: u8,
    length: usize,
    start: usize,
}

/// The restart points and known fences of `text`.
pub fn regions(text: &str) -> Regions {
    let bytes = text.as_bytes();
    let mut regions = Regions {
        restarts: vec![0],
        fences: Vec::new(),
    };
    if has_lone_carriage_return(bytes) {
        return regions;
    }
    let mut fence: Option<Fence> = None;
    let mut after_blank = false;
    let mut line_start = 0;
    while line_start < bytes.len() {
        let next =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        let line = trim_line_end(&bytes[line_start..next]);
        if let Some(open) = fence {
            if closes_fence(line, open) {
                regions.fences.push(open.start..next);
                fence = None;
            }
            after_blank = false;
        } else if is_blank(line) {
            after_blank = true;
        } else {
            if after_blank && may_restart(line) {
                regions.restarts.push(line_start);
            }
            after_blank = false;
            if let Some((marker, length)) = opens_fence(line) {
                fence = Some(Fence {
                    marker,
                    length,
                    start: line_start,
                });
            } else if may_open_other_block(line) {
                return regions;
            }
        }
        line_start = next;
    }
    if let Some(open) = fence {
        regions.fences.push(open.start..bytes.len());
    }
    regions
}

/// Whether a line that follows a blank line, outside a fence, starts where every block is
/// closed: it is not indented, so it continues no list item, indented code, footnote or
/// definition; and it is no list item or definition itself, which could carry on a list from
/// before the blank line.
fn may_restart(line: &[u8]) -> bool {
    let marker_end = match line[0] {
        b' ' | b'\t' | b':' => return false,
        b'-' | b'+' | b'*' => 1,
        b'0'..=b'9' => {
            let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
            match line.get(digits) {
                Some(b'.' | b')') if digits <= 9 => digits + 1,
                _ => return true,
            }
        }
        _ => return true,
    };
    !matches!(line.get(marker_end), None | Some(b' ' | b'\t'))
}

/// Whether a `\r` stands anywhere but before a `\n`.
fn has_lone_carriage_return(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// The line without its `\n` or `\r\n`.
fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Spaces and tabs only (a stricter test than pulldown-cmark's, which is what soundness needs).
fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b' ' || b == b'\t')
}

/// The marker and run length of a fence opening in the first column, as pulldown-cmark reads
/// one: three or more backticks or tildes, and no backtick after backticks.
fn opens_fence(line: &[u8]) -> Option<(u8, usize)> {
    let marker = *line.first().filter(|&&b| b == b'`' || b == b'~')?;
    let length = line.iter().take_while(|&&b| b == marker).count();
    let opens = length >= 3 && !(marker == b'`' && line[length..].contains(&b'`'));
    opens.then_some((marker, length))
}

/// Whether `line` closes `fence`: at most three spaces, a run of its marker at least as long
/// as the opening one, then spaces only.
fn closes_fence(line: &[u8], fence: Fence) -> bool {
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    if indent > 3 {
        return false;
    }
    let rest = &line[indent..];
    let run = rest.iter().take_while(|&&b| b == fence.marker).count();
    run >= fence.length && rest[run..].iter().all(|&b| b == b' ')
}

/// Whether `line`, which does not open a fence in the first column, could open a block that
/// survives a blank line (or hide one that could): see the module documentation.
fn may_open_other_block(line: &[u8]) -> bool {
    if has_fence_marker(line) {
        return true;
    }
    let rest = strip_container_markers(line);
    match rest {
        [b'<', next, ..] => next.is_ascii_alphabetic() || matches!(next, b'!' | b'?' | b'/'),
        [b'[', b'^', ..] => true,
        _ => false,
    }
}

/// Whether ```` ``` ```` or `~~~` stands anywhere in `line`.
fn has_fence_marker(line: &[u8]) -> bool {
    memchr::memchr2_iter(b'`', b'~', line).any(|i| {
        let marker = line[i];
        line.get(i + 1..i + 3) == Some(&[marker, marker][..])
    })
}

/// `line` without leading whitespace and anything that could be a blockquote, list or
/// definition marker (more than pulldown-cmark would take: the test using it only gets more
/// cautious).
fn strip_container_markers(line: &[u8]) -> &[u8] {
    let skipped = line
        .iter()
        .take_while(|&&b| {
            matches!(
                b,
                b' ' | b'\t' | b'>' | b'-' | b'+' | b'*' | b':' | b'.' | b')'
            ) || b.is_ascii_digit()
        })
        .count();
    &line[skipped..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restarts(text: &str) -> Vec<&str> {
        regions(text)
            .restarts
            .iter()
            .map(|&r| text[r..].lines().next().unwrap_or(""))
            .collect()
    }

    #[test]
    fn restarts_at_unindented_lines_after_blank_lines() {
        let text = "# Title\n\nIntro.\nmore\n\n- item\n\nNext.\n\n  indented\n\n> quote\n\n\
                    1. item\n\n2024 was\n\n: definition\n\n**bold**\n\n---\n\n`code`\n";
        assert_eq!(
            restarts(text),
            [
                "# Title", "Intro.", "Next.", "> quote", "2024 was", "**bold**", "---", "`code`"
            ]
        );
    }

    #[test]
    fn list_items_and_definitions_do_not_restart() {
        for line in ["- a", "+", "* b", "1. a", "23) b", ": d", " x", "\tx"] {
            assert!(!may_restart(line.as_bytes()), "{line:?}");
        }
        for line in [
            "-x",
            "*emphasis*",
            "1.5 times",
            "12",
            "1234567890. no list",
            "a",
        ] {
            assert!(may_restart(line.as_bytes()), "{line:?}");
        }
    }

    #[test]
    fn follows_fences_in_the_first_column() {
        let text =
            "A.\n\n````rust\nlet x = 1;\n\nInside.\n```\n````\n\nAfter.\n\n~~~~\n\nIn.\n~~~\n";
        let regions = regions(text);
        assert_eq!(restarts(text), ["A.", "````rust", "After.", "~~~~"]);
        let fence = text.find("````rust").unwrap()..text.find("\n\nAfter").unwrap() + 1;
        assert_eq!(regions.fences[0], fence);
        assert!(regions.in_fence(text.find("Inside").unwrap()));
        assert!(!regions.in_fence(text.find("After").unwrap()));
        assert_eq!(
            regions.fences[1].end,
            text.len(),
            "an unclosed fence runs to the end"
        );
        assert!(regions.in_fence(text.find("In.").unwrap()));
    }

    #[test]
    fn a_backtick_fence_cannot_have_backticks_after_it() {
        let text = "```a`b\n\nText.\n";
        assert_eq!(regions(text).restarts, [0], "not a fence, so it gives up");
        assert!(regions(text).fences.is_empty());
        assert_eq!(opens_fence(b"~~~a~b"), Some((b'~', 3)));
    }

    #[test]
    fn closing_fences_follow_pulldown_cmark() {
        let open = Fence {
            marker: b'`',
            length: 4,
            start: 0,
        };
        for closing in ["````", "   `````  ", "````"] {
            assert!(closes_fence(closing.as_bytes(), open), "{closing:?}");
        }
        for not_closing in ["```", "    ````", "\t````", "````\t", "~~~~", "```` x"] {
            assert!(
                !closes_fence(not_closing.as_bytes(), open),
                "{not_closing:?}"
            );
        }
    }

    #[test]
    fn gives_up_where_other_blocks_could_open() {
        for text in [
            "A.\n\n  ```\n\nB.\n",
            "A.\n\n- ```\n\nB.\n",
            "A.\n\n> ~~~\n\nB.\n",
            "A.\n\n<pre>\n\nB.\n",
            "A.\n\n  <!-- x\n\nB.\n",
            "A.\n\n[^1]: note\n\nB.\n",
            "A.\r\rB.\n",
        ] {
            let last = regions(text).restarts.last().copied();
            assert!(last < text.find('B'), "{text:?}: {:?}", restarts(text));
        }
        // The line that gives up is a restart point itself: every block is closed where it
        // starts.
        let text = "A.\n\nsee ```x``` here\n\nB.\n";
        assert_eq!(restarts(text), ["A.", "see ```x``` here"]);
    }

    #[test]
    fn directives_and_code_spans_do_not_stop_it() {
        let text = "A.\n\n<<compare x>>\n\n- `Vec<T>` and <<benchmark>>\n\nB.\r\n\r\nC.\n";
        assert_eq!(restarts(text), ["A.", "<<compare x>>", "B.", "C."]);
    }

    #[test]
    fn pieces_run_from_restart_to_restart() {
        let text = "A.\n\nB.\n<<compare x>>\n\n- item\n\nC.\n";
        let regions = regions(text);
        let at = text.find("<<").unwrap();
        let line_end = text[at..].find('\n').unwrap() + at;
        let piece = regions.piece(at, line_end, text.len());
        assert_eq!(&text[piece], "B.\n<<compare x>>\n\n- item\n\n");
        let last = text.find("C.").unwrap();
        assert_eq!(
            regions.piece(last, text.len(), text.len()),
            last..text.len()
        );
    }
}
