//! Where a chapter's text came from once mdBook's `links` preprocessor has spliced other files
//! into it (`{{#include FILE}}`), so that a problem in included text names the included file
//! and its line, or at least the line that includes it.
//!
//! The chapter as mdBook gives it is lined up with the chapter's file on disk: the text between
//! links is the same in both, and each link stands for the file it names (known exactly when the
//! whole file is included and holds no link itself), an empty string (`{{#title}}`) or the
//! escaped link without its backslash. When the two cannot be lined up, nothing is relocated.

use std::fs;
use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Location, SourceFile, line_column};

/// How to relocate spans of one chapter's text as mdBook gives it.
pub(crate) struct Origins {
    /// The chapter's file as written.
    chapter: SourceFile,
    /// The pieces of the text as given, in order.
    pieces: Vec<Piece>,
}

/// A span of the text as given and where it came from.
struct Piece {
    given: Range<usize>,
    origin: Origin,
}

enum Origin {
    /// The chapter's own text, starting at this offset of its file.
    Chapter(usize),
    /// The whole of an included file, and where the link that includes it starts.
    File(SourceFile, usize),
    /// Text that the link at this span of the chapter's file brought in.
    Link(Range<usize>),
}

/// A `{{#...}}` link in the chapter's file, and the text it became, when known.
struct Link {
    span: Range<usize>,
    becomes: Option<Becomes>,
}

enum Becomes {
    Text(String),
    File(SourceFile),
}

impl Origins {
    /// The origins of `given`, the text mdBook gave for the chapter whose file is `file` (read
    /// from disk, shown as `shown`; `src_dir` and `src_shown` are the book's `src` folder and how
    /// it is shown). `None` when the file is the text given, or cannot be lined up with it.
    pub(crate) fn new(
        given: &str,
        file: &Path,
        shown: &str,
        src_dir: &Path,
        src_shown: &str,
    ) -> Option<Origins> {
        let written = fs::read_to_string(file).ok()?;
        let written = written.strip_prefix('\u{feff}').unwrap_or(&written);
        if written == given {
            return None;
        }
        let folder = file.parent()?;
        let links = links(written, folder, src_dir, src_shown);
        let mut pieces = Vec::new();
        let mut at = 0;
        let mut from = 0;
        for (i, link) in links.iter().enumerate() {
            let literal = &written[from..link.span.start];
            if !given[at..].starts_with(literal) {
                return None;
            }
            pieces.push(Piece {
                given: at..at + literal.len(),
                origin: Origin::Chapter(from),
            });
            at += literal.len();
            from = link.span.end;
            let len = match &link.becomes {
                Some(Becomes::Text(text)) => given[at..]
                    .starts_with(text.as_str())
                    .then_some(text.len())?,
                Some(Becomes::File(file)) => {
                    let spliced = spliced(&file.text);
                    given[at..].starts_with(spliced).then_some(spliced.len())?
                }
                None => {
                    let next = links.get(i + 1).map_or(written.len(), |l| l.span.start);
                    let literal = &written[from..next];
                    if i + 1 == links.len() {
                        given
                            .len()
                            .checked_sub(literal.len())
                            .filter(|end| *end >= at)?
                            - at
                    } else if literal.is_empty() {
                        return None;
                    } else {
                        given[at..].find(literal)?
                    }
                }
            };
            let origin = match &link.becomes {
                Some(Becomes::File(file)) => Origin::File(file.clone(), link.span.start),
                _ => Origin::Link(link.span.clone()),
            };
            pieces.push(Piece {
                given: at..at + len,
                origin,
            });
            at += len;
        }
        if given[at..] != written[from..] {
            return None;
        }
        pieces.push(Piece {
            given: at..given.len(),
            origin: Origin::Chapter(from),
        });
        Some(Origins {
            chapter: SourceFile::new(shown, written),
            pieces,
        })
    }

    /// Moves `diagnostic`, when it points into the text given, to where that text came from.
    pub(crate) fn relocate(&self, diagnostic: &mut Diagnostic) {
        let Location::Span(file, span) = &diagnostic.location else {
            return;
        };
        if file.path != self.chapter.path {
            return;
        }
        let span = span.clone();
        let Some(piece) = self
            .pieces
            .iter()
            .find(|p| p.given.contains(&span.start) || p.given.end == span.start)
        else {
            return;
        };
        let shift = |to: usize| {
            let start = to + span.start - piece.given.start;
            start..start + span.len().min(piece.given.end - span.start)
        };
        let (location, note) = match &piece.origin {
            Origin::Chapter(offset) => (Location::Span(self.chapter.clone(), shift(*offset)), None),
            Origin::File(included, link) => {
                let (line, _) = line_column(&self.chapter.text, *link);
                (
                    Location::Span(included.clone(), shift(0)),
                    Some(format!("included by {}:{line}", self.chapter.path)),
                )
            }
            Origin::Link(link) => (
                Location::Span(self.chapter.clone(), link.clone()),
                Some(format!(
                    "in the text that this link brings in, at `{}`",
                    file.text[span.clone()].lines().next().unwrap_or("")
                )),
            ),
        };
        diagnostic.location = location;
        if let Some(note) = note {
            diagnostic.notes.push(note);
        }
    }
}

/// The `{{#...}}` links of `text` (a chapter in `folder`), with what each becomes when that is
/// known.
fn links(text: &str, folder: &Path, src_dir: &Path, src_shown: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{{#").map(|i| from + i) {
        let Some(end) = text[start..].find("}}").map(|i| start + i + 2) else {
            break;
        };
        from = end;
        let escaped = text[..start].ends_with('\\');
        if escaped {
            links.push(Link {
                span: start - 1..end,
                becomes: Some(Becomes::Text(text[start..end].to_string())),
            });
            continue;
        }
        let inner = text[start + 3..end - 2].trim();
        let (kind, argument) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let becomes = match kind {
            "title" => Some(Becomes::Text(String::new())),
            "include" if !argument.contains(':') => {
                included(&folder.join(argument.trim()), src_dir, src_shown).map(Becomes::File)
            }
            _ => None,
        };
        links.push(Link {
            span: start..end,
            becomes,
        });
    }
    links
}

/// What mdBook splices in for the whole of a file: its lines joined by `\n`, so without the
/// last line break.
fn spliced(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

/// The file at `path`, shown relative to the book's `src`, when mdBook splices it in as it is:
/// it holds no link of its own and no carriage return (which mdBook drops).
fn included(path: &Path, src_dir: &Path, src_shown: &str) -> Option<SourceFile> {
    let text = fs::read_to_string(path).ok()?;
    if text.contains("{{#") || text.contains('\r') {
        return None;
    }
    let shown = match path.strip_prefix(src_dir) {
        Ok(inside) => format!("{src_shown}/{}", inside.display()),
        Err(_) => path.display().to_string(),
    };
    Some(SourceFile::new(shown, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_in_an_included_file_moves_there() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path();
        fs::write(
            src.join("chapter.md"),
            "# Title\n\n{{#include part.md}}\n\nAfter <<x>>\n",
        )
        .unwrap();
        fs::write(src.join("part.md"), "One.\n\n<<nope>>\n").unwrap();
        let given = "# Title\n\nOne.\n\n<<nope>>\n\nAfter <<x>>\n";
        let origins =
            Origins::new(given, &src.join("chapter.md"), "src/chapter.md", src, "src").unwrap();
        let at = |needle: &str| {
            let start = given.find(needle).unwrap();
            let mut d = Diagnostic::error(
                "x",
                Location::Span(
                    SourceFile::new("src/chapter.md", given),
                    start..start + needle.len(),
                ),
            );
            origins.relocate(&mut d);
            let Location::Span(file, span) = &d.location else {
                panic!()
            };
            (
                file.path.clone(),
                line_column(&file.text, span.start),
                d.notes.clone(),
            )
        };
        assert_eq!(
            at("<<nope>>"),
            (
                "src/part.md".into(),
                (3, 1),
                vec!["included by src/chapter.md:3".into()]
            )
        );
        assert_eq!(at("<<x>>"), ("src/chapter.md".into(), (5, 7), vec![]));
    }
}
