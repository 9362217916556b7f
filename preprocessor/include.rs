//! Where a chapter's text came from once mdBook's `links` preprocessor has spliced other files
//! into it (`{{#include FILE}}`), so that a problem in included text names the included file
//! and its line, with the chain of files that include it, or at least the line that includes it.
//!
//! The chapter as mdBook gives it is lined up with the chapter's file on disk: the text between
//! links is the same in both, and each link stands for the file it names (known when the whole
//! file is included; the links in that file are lined up in turn, as mdBook expands them, from
//! the file's own folder), an empty string (`{{#title}}`) or the escaped link without its
//! backslash. A link whose text cannot be known stands for whatever lies between the texts
//! around it. When the chapter cannot be lined up, nothing is relocated.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, SourceFile, line_column};

/// How deep mdBook expands links inside included files: the chapter's own links, then those of
/// the files they include, up to this many levels (mdBook's `MAX_LINK_NESTED_DEPTH`).
const MAX_DEPTH: usize = 10;

/// How to relocate spans of one chapter's text as mdBook gives it.
pub(crate) struct Origins {
    /// The chapter's file as written, then each file spliced into it.
    files: Vec<Written>,
    /// The pieces of the text as given, in order.
    pieces: Vec<Piece>,
}

/// A file whose text is part of the chapter, and the link that brought it in.
struct Written {
    file: SourceFile,
    /// The file (an index into [`Origins::files`]) and the offset of the link that includes
    /// this one; `None` for the chapter.
    included_by: Option<(usize, usize)>,
}

/// A span of the text as given and where it came from.
struct Piece {
    given: Range<usize>,
    origin: Origin,
}

enum Origin {
    /// The text of a file as written, starting at this offset of it.
    Text { file: usize, offset: usize },
    /// Text that the link at this span of a file brought in.
    Link { file: usize, span: Range<usize> },
}

/// A `{{#...}}` link in a file, and the text it became, when known.
struct Link {
    span: Range<usize>,
    becomes: Option<Becomes>,
}

enum Becomes {
    Text(String),
    /// The whole of this file, whose own links resolve in its folder.
    File(SourceFile, PathBuf),
}

/// Where the book's `src` folder is, and how it is shown.
struct Src<'a> {
    dir: &'a Path,
    shown: &'a str,
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
        let mut origins = Origins {
            files: vec![Written {
                file: SourceFile::new(shown, written),
                included_by: None,
            }],
            pieces: Vec::new(),
        };
        let src = Src {
            dir: src_dir,
            shown: src_shown,
        };
        let end = origins.line_up(0, file.parent()?, given, 0, Some(given.len()), &src)?;
        (end == given.len()).then_some(origins)
    }

    /// Lines up the text of `files[file]`, whose links resolve in `folder`, with `given` from
    /// `at`, recording its pieces. The text ends at `end` of `given` when that is known (the
    /// chapter's text is the whole of it). Returns where it ends in `given`, or `None` (with
    /// nothing recorded) when it cannot be lined up.
    fn line_up(
        &mut self,
        file: usize,
        folder: &Path,
        given: &str,
        mut at: usize,
        end: Option<usize>,
        src: &Src<'_>,
    ) -> Option<usize> {
        let marks = (self.files.len(), self.pieces.len());
        let lined_up = self.line_up_links(file, folder, given, &mut at, end, src);
        if lined_up.is_none() {
            self.files.truncate(marks.0);
            self.pieces.truncate(marks.1);
        }
        lined_up.map(|()| at)
    }

    /// [`Origins::line_up`], leaving what it recorded when it fails for the caller to forget.
    fn line_up_links(
        &mut self,
        file: usize,
        folder: &Path,
        given: &str,
        at: &mut usize,
        end: Option<usize>,
        src: &Src<'_>,
    ) -> Option<()> {
        let text = self.files[file].file.text.clone();
        let written = if file == 0 { &text[..] } else { spliced(&text) };
        let depth = self.depth(file);
        let links = if depth < MAX_DEPTH {
            links(written, folder, src)
        } else {
            Vec::new()
        };
        let mut from = 0;
        for (i, link) in links.iter().enumerate() {
            let literal = &written[from..link.span.start];
            self.text(file, from, given, at, literal)?;
            from = link.span.end;
            let next = links.get(i + 1).map_or(written.len(), |l| l.span.start);
            let after = &written[from..next];
            let last = i + 1 == links.len();
            let unknown_end = |at: usize| match end {
                Some(end) if last => end.checked_sub(after.len()).filter(|e| *e >= at),
                _ if after.is_empty() => None,
                _ => given[at..].find(after).map(|i| at + i),
            };
            let link_end = match &link.becomes {
                Some(Becomes::Text(text)) => given[*at..]
                    .starts_with(text.as_str())
                    .then_some(*at + text.len())?,
                Some(Becomes::File(source, inner)) => {
                    self.files.push(Written {
                        file: source.clone(),
                        included_by: Some((file, link.span.start)),
                    });
                    let included = self.files.len() - 1;
                    if let Some(after) = self.line_up(included, inner, given, *at, None, src) {
                        *at = after;
                        continue;
                    }
                    self.files.pop();
                    unknown_end(*at)?
                }
                None => unknown_end(*at)?,
            };
            self.pieces.push(Piece {
                given: *at..link_end,
                origin: Origin::Link {
                    file,
                    span: link.span.clone(),
                },
            });
            *at = link_end;
        }
        let rest = &written[from..];
        if let Some(end) = end
            && given.get(*at..end) != Some(rest)
        {
            return None;
        }
        self.text(file, from, given, at, rest)
    }

    /// Records that `given` holds `literal`, the text of `files[file]` from `offset`, at `at`,
    /// and moves `at` past it; `None` when it does not.
    fn text(
        &mut self,
        file: usize,
        offset: usize,
        given: &str,
        at: &mut usize,
        literal: &str,
    ) -> Option<()> {
        if !given[*at..].starts_with(literal) {
            return None;
        }
        self.pieces.push(Piece {
            given: *at..*at + literal.len(),
            origin: Origin::Text { file, offset },
        });
        *at += literal.len();
        Some(())
    }

    /// How many includes lead from the chapter to `files[file]`.
    fn depth(&self, mut file: usize) -> usize {
        let mut depth = 0;
        while let Some((by, _)) = self.files[file].included_by {
            depth += 1;
            file = by;
        }
        depth
    }

    /// Moves `diagnostic`, when it points into the text given, to where that text came from,
    /// with a note for each file that includes it, innermost first.
    pub(crate) fn relocate(&self, diagnostic: &mut Diagnostic) {
        let Location::Span(file, span) = &diagnostic.location else {
            return;
        };
        if file.path != self.files[0].file.path {
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
        let (in_file, location, note) = match &piece.origin {
            Origin::Text { file, offset } => {
                let start = offset + span.start - piece.given.start;
                let len = span.len().min(piece.given.end - span.start);
                (*file, start..start + len, None)
            }
            Origin::Link {
                file: written,
                span: link,
            } => (
                *written,
                link.clone(),
                Some(format!(
                    "in the text that this link brings in, at `{}`",
                    file.text[span.clone()].lines().next().unwrap_or("")
                )),
            ),
        };
        diagnostic.location = Location::Span(self.files[in_file].file.clone(), location);
        diagnostic.notes.extend(note);
        let mut inner = in_file;
        while let Some((by, link)) = self.files[inner].included_by {
            let including = &self.files[by].file;
            let (line, _) = line_column(&including.text, link);
            diagnostic
                .notes
                .push(format!("included by {}:{line}", including.path));
            inner = by;
        }
    }
}

/// The `{{#...}}` links of `text` (a file in `folder`), with what each becomes when that is
/// known.
fn links(text: &str, folder: &Path, src: &Src<'_>) -> Vec<Link> {
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
                let path = folder.join(argument.trim());
                included(&path, src).map(|file| {
                    let folder = path.parent().unwrap_or(folder).to_path_buf();
                    Becomes::File(file, folder)
                })
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

/// The file at `path`, shown relative to the book's `src`, as mdBook splices it in (but for its
/// links): mdBook joins its lines with `\n`, so a line that ends in `\r\n` ends in `\n`. The
/// file's lines and columns are those of its text so read.
fn included(path: &Path, src: &Src<'_>) -> Option<SourceFile> {
    let text = fs::read_to_string(path).ok()?;
    let text = if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    let shown = match path.strip_prefix(src.dir) {
        Ok(inside) => format!("{}/{}", src.shown, inside.display()),
        Err(_) => path.display().to_string(),
    };
    Some(SourceFile::new(shown, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the span of `needle` in `given` lands once relocated by `origins`: its file, line
    /// and column, and the notes.
    fn relocated(
        origins: &Origins,
        given: &str,
        needle: &str,
    ) -> (String, (usize, usize), Vec<String>) {
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
    }

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
        assert_eq!(
            relocated(&origins, given, "<<nope>>"),
            (
                "src/part.md".into(),
                (3, 1),
                vec!["included by src/chapter.md:3".into()]
            )
        );
        assert_eq!(
            relocated(&origins, given, "<<x>>"),
            ("src/chapter.md".into(), (5, 7), vec![])
        );
    }

    #[test]
    fn a_span_in_a_nested_include_names_each_file_that_includes_it() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path();
        fs::create_dir(src.join("parts")).unwrap();
        fs::write(
            src.join("chapter.md"),
            "# Title\n\n{{#include parts/a.md}}\n\nAfter <<x>>\n",
        )
        .unwrap();
        fs::write(
            src.join("parts/a.md"),
            "A.\n\n{{#include b.md}}\n\n<<in-a>> {{#title T}}\\{{#include z}}\n",
        )
        .unwrap();
        fs::write(src.join("parts/b.md"), "B.\n\n<<in-b>>\n").unwrap();
        let given = "# Title\n\nA.\n\nB.\n\n<<in-b>>\n\n<<in-a>> {{#include z}}\n\nAfter <<x>>\n";
        let origins =
            Origins::new(given, &src.join("chapter.md"), "src/chapter.md", src, "src").unwrap();
        assert_eq!(
            relocated(&origins, given, "<<in-b>>"),
            (
                "src/parts/b.md".into(),
                (3, 1),
                vec![
                    "included by src/parts/a.md:3".into(),
                    "included by src/chapter.md:3".into()
                ]
            )
        );
        assert_eq!(
            relocated(&origins, given, "<<in-a>>"),
            (
                "src/parts/a.md".into(),
                (5, 1),
                vec!["included by src/chapter.md:3".into()]
            )
        );
        assert_eq!(
            relocated(&origins, given, "<<x>>"),
            ("src/chapter.md".into(), (5, 7), vec![])
        );
    }

    #[test]
    fn a_nested_include_that_cannot_be_lined_up_is_the_including_link() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path();
        fs::write(src.join("chapter.md"), "{{#include a.md}}\n\nAfter <<x>>\n").unwrap();
        fs::write(src.join("a.md"), "A.\n{{#include b.md:2}}").unwrap();
        fs::write(src.join("b.md"), "one\n<<in-b>>\n").unwrap();
        let given = "A.\n<<in-b>>\n\nAfter <<x>>\n";
        let origins =
            Origins::new(given, &src.join("chapter.md"), "src/chapter.md", src, "src").unwrap();
        let (file, at, notes) = relocated(&origins, given, "<<in-b>>");
        assert_eq!((file.as_str(), at), ("src/chapter.md", (1, 1)));
        assert_eq!(
            notes,
            ["in the text that this link brings in, at `<<in-b>>`"]
        );
        assert_eq!(
            relocated(&origins, given, "<<x>>"),
            ("src/chapter.md".into(), (3, 7), vec![])
        );
    }
}
