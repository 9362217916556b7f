//! The changes to one chapter, kept apart from the chapter: each span and what replaces it.
//! They are found once ([`crate::expand::Expander::edits`]), then written out as text
//! ([`Edits::apply`]) or straight into a JSON string ([`Edits::write_json`]), so that the
//! preprocessor never builds the expanded chapter.

use std::convert::Infallible;
use std::io;
use std::ops::Range;
use std::rc::Rc;

use crate::json;
use crate::scan::Placed;

/// A rendered directive, with its text also escaped for a JSON string: a rendering is written
/// once for every directive that asks for it, but escaped only once.
#[derive(Debug)]
pub struct Rendered {
    text: String,
    json: Box<[u8]>,
    /// Whether the text is one line, as HTML renderings are.
    one_line: bool,
}

impl Rendered {
    /// Wraps a rendering.
    pub fn new(text: String) -> Self {
        Rendered {
            json: json::escaped(&text),
            one_line: !text.contains('\n'),
            text,
        }
    }
}

/// The changes to one chapter's text: spans and what replaces them, in order.
#[derive(Debug, Default)]
pub struct Edits {
    splices: Vec<(Range<usize>, Replacement)>,
}

/// What replaces a span of a chapter.
#[derive(Debug)]
enum Replacement {
    /// `\<<` rewritten so that the text shows literally.
    Escape,
    /// A rendered directive, laid out where it stood.
    Directive {
        placed: Placed,
        rendered: Rc<Rendered>,
    },
}

impl Edits {
    /// Rewrites the escape `\<<` at `span` so that the text shows literally.
    pub fn escape(&mut self, span: Range<usize>) {
        self.splices.push((span, Replacement::Escape));
    }

    /// Replaces the directive at `placed` with `rendered`, laid out where it stood.
    pub fn directive(&mut self, placed: Placed, rendered: Rc<Rendered>) {
        let span = placed.span.clone();
        self.splices
            .push((span, Replacement::Directive { placed, rendered }));
    }

    /// `text`, the chapter these edits were made for, with the edits applied, built in a
    /// buffer of the exact size.
    pub fn apply(&self, text: &str) -> String {
        let mut length = 0;
        let _ = self.for_each_piece(text, |piece, _| {
            length += piece.len();
            Ok::<(), Infallible>(())
        });
        let mut out = String::with_capacity(length);
        let _ = self.for_each_piece(text, |piece, _| {
            out.push_str(piece);
            Ok::<(), Infallible>(())
        });
        out
    }

    /// Writes `text` with the edits applied as a JSON string, quotes included.
    pub fn write_json(&self, text: &str, out: &mut impl io::Write) -> io::Result<()> {
        out.write_all(b"\"")?;
        self.for_each_piece(text, |piece, escaped| match escaped {
            Some(escaped) => out.write_all(escaped),
            None => json::write_escaped(out, piece),
        })?;
        out.write_all(b"\"")
    }

    /// Calls `piece` with each piece of `text` with the edits applied, in order, and with the
    /// piece escaped for JSON when that is at hand.
    fn for_each_piece<E>(
        &self,
        text: &str,
        mut piece: impl FnMut(&str, Option<&[u8]>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut copied = 0;
        for (span, replacement) in &self.splices {
            piece(&text[copied..span.start], None)?;
            match replacement {
                Replacement::Escape => piece("\\<\\<", None)?,
                Replacement::Directive { placed, rendered } => {
                    layout(placed, rendered, &mut piece)?
                }
            }
            copied = span.end;
        }
        piece(&text[copied..], None)
    }
}

/// Passes the rendering laid out where the directive stood to `piece`: later lines continue the
/// same list item or blockquote, and blank lines separate it from text of the same block.
fn layout<E>(
    placed: &Placed,
    rendered: &Rendered,
    piece: &mut impl FnMut(&str, Option<&[u8]>) -> Result<(), E>,
) -> Result<(), E> {
    let continuation = placed.continuation.as_str();
    let blank = continuation.trim_end();
    if placed.text_before {
        piece("\n", None)?;
        piece(continuation, None)?;
    }
    if continuation.is_empty() || rendered.one_line {
        // No later line to put the continuation in front of: the rendering goes as it is.
        piece(&rendered.text, Some(&rendered.json))?;
    } else {
        for (i, line) in rendered.text.split('\n').enumerate() {
            if i > 0 {
                piece("\n", None)?;
                piece(if line.is_empty() { blank } else { continuation }, None)?;
            }
            piece(line, None)?;
        }
    }
    if placed.text_after {
        piece("\n", None)?;
        piece(blank, None)?;
    }
    Ok(())
}
