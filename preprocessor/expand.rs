//! Expanding one chapter: scan it, resolve each directive through the registry into a view,
//! write the view in the renderer's format and splice it in by byte range. Text outside
//! directives is copied unchanged.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ops::Range;
use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem};

use crate::dataset::Dataset;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::directives::{self, Call, Context, DIRECTIVES, Home, Homes, Placement, Word};
use crate::repository::Repository;
use crate::scan::{Found, Misspelling, Place, Placed};
use crate::view::View;
use crate::write;

/// The output a renderer wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// HTML, for mdBook's `html` renderer.
    Html,
    /// GitHub-flavoured Markdown, readable anywhere.
    Markdown,
}

impl Format {
    /// The format suited to an mdBook renderer name.
    pub(crate) fn for_renderer(renderer: &str) -> Format {
        if renderer == "html" {
            Format::Html
        } else {
            Format::Markdown
        }
    }
}

/// What every chapter of one run is expanded against.
pub(crate) struct Expander<'a> {
    /// The dataset.
    dataset: &'a Dataset,
    /// The homes of dimensions and benchmarks, from every chapter of the book.
    homes: &'a Homes,
    /// The book's repository, for links to the data.
    repository: Option<&'a Repository>,
    /// The renderer's format.
    format: Format,
    /// Whether the site publishes each benchmark's evidence.
    evidence: bool,
    /// What each call expanded to where it was first written without a problem, by the
    /// chapter's folder (links to other chapters are relative to it) and the call's words: a
    /// book repeats its tables, and a repeat costs a lookup.
    made: HashMap<(PathBuf, Vec<String>), Made>,
}

/// A call's view and what it was written as, in a run.
struct Made {
    view: View,
    written: Written,
}

/// A view written in the run's format.
enum Written {
    /// The HTML of each occurrence on a page written so far: the first under the view's own
    /// anchors, the next under `cmp-2-...`, and so on.
    Html(Vec<write::html::Rendered>),
    /// The Markdown, which has no anchors.
    Markdown(write::Pieces),
}

/// One chapter to expand.
pub(crate) struct Chapter<'c> {
    /// Its path relative to the book's `src`, as mdBook links it.
    pub(crate) path: &'c Path,
    /// Its path as shown in messages (`src/chapter.md`).
    pub(crate) shown: &'c str,
    /// Its text.
    pub(crate) text: &'c str,
}

/// A chapter after expansion.
pub(crate) struct Expanded {
    /// The new text, or `None` when nothing in the chapter changes.
    pub(crate) text: Option<String>,
    /// How many directives the chapter holds.
    pub(crate) directives: usize,
}

impl<'a> Expander<'a> {
    /// An expander for the chapters of one run.
    pub(crate) fn new(
        dataset: &'a Dataset,
        homes: &'a Homes,
        repository: Option<&'a Repository>,
        format: Format,
    ) -> Self {
        Expander {
            dataset,
            homes,
            repository,
            format,
            evidence: false,
            made: HashMap::new(),
        }
    }

    /// The expander, linking to each benchmark's evidence when `published` (HTML only).
    pub(crate) fn with_evidence(mut self, published: bool) -> Self {
        self.evidence = published && self.format == Format::Html;
        self
    }

    /// The chapter with every directive expanded, given what [`crate::scan::scan`] found in it.
    /// Problems go to `diagnostics`.
    pub(crate) fn expand(
        &mut self,
        chapter: &Chapter<'_>,
        found: Vec<Found>,
        diagnostics: &mut Diagnostics,
    ) -> Expanded {
        if found.is_empty() {
            return Expanded {
                text: None,
                directives: 0,
            };
        }
        let source = SourceFile::new(chapter.shown, chapter.text);
        let context = Context {
            dataset: self.dataset,
            homes: self.homes,
            chapter: chapter.path,
            repository: self.repository,
            evidence: self.evidence,
            source: &source,
        };
        let text = chapter.text;
        let format = self.format;
        let mut anchors = write::html::Anchors::default();
        let mut said = write::Said::default();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut directives = 0;
        for item in found {
            match item {
                Found::Directive(placed) => {
                    directives += 1;
                    let call = call(text, &placed);
                    let page = (&mut anchors, &mut said);
                    let Some(rendered) = self.made(&call, &context, page, diagnostics) else {
                        continue;
                    };
                    out.push_str(&text[copied..placed.span.start]);
                    layout(&placed, &rendered, format, &mut out);
                    copied = placed.span.end;
                }
                Found::Escaped { span } => {
                    out.push_str(&text[copied..span.start]);
                    out.push_str("\\<\\<");
                    copied = span.end;
                }
                Found::Misplaced { span, place } => {
                    diagnostics.push(misplaced(context.at(span), place));
                }
                Found::Unclosed { span } => {
                    diagnostics.push(
                        Diagnostic::error(
                            "unclosed directive: no `>>` before the end of the line",
                            context.at(span),
                        )
                        .with_label("this directive is not closed")
                        .with_help(
                            "close it with `>>` on the same line, or write `\\<<` to show the text literally",
                        ),
                    );
                }
                Found::Misspelled { span, meant, how } => {
                    diagnostics.push(misspelled(
                        &text[span.clone()],
                        context.at(span),
                        meant,
                        how,
                    ));
                }
            }
        }
        out.push_str(&text[copied..]);
        Expanded {
            text: Some(out),
            directives,
        }
    }
}

impl Expander<'_> {
    /// What `call` expands to on this page: made once per folder and words, then reused with
    /// the page's own anchors, less the explanations the page has given. A call with any
    /// problem is made anew each time, so that every place it stands is reported.
    fn made(
        &mut self,
        call: &Call<'_>,
        context: &Context<'_>,
        (anchors, said): (&mut write::html::Anchors, &mut write::Said),
        diagnostics: &mut Diagnostics,
    ) -> Option<Cow<'_, str>> {
        let folder = context.chapter.parent().unwrap_or(Path::new(""));
        let words = std::iter::once(&call.name).chain(&call.args);
        let key = (
            folder.to_path_buf(),
            words.map(|word| word.text.to_string()).collect(),
        );
        let made = match self.made.entry(key) {
            Entry::Occupied(made) => made.into_mut(),
            Entry::Vacant(place) => {
                let directive = directives::find(call.name.text)?;
                let mark = diagnostics.pushed();
                let view = (directive.resolve)(call, context, diagnostics)?;
                if diagnostics.pushed() != mark {
                    return Some(Cow::Owned(match self.format {
                        Format::Html => write::html::render(&view, anchors),
                        Format::Markdown => write::markdown::render(&view),
                    }));
                }
                let written = match self.format {
                    Format::Html => Written::Html(Vec::new()),
                    Format::Markdown => Written::Markdown(write::markdown::pieces(&view)),
                };
                place.insert(Made { view, written })
            }
        };
        Some(Cow::Owned(made.on_page(anchors, said)))
    }
}

impl Made {
    /// The writing for a page whose anchors are `anchors` and which has given the explanations
    /// in `said`: in HTML, the first occurrence whose anchors are all free (written when first
    /// needed), which then holds them.
    fn on_page(&mut self, anchors: &mut write::html::Anchors, said: &mut write::Said) -> String {
        let Made { view, written } = self;
        match written {
            Written::Markdown(markdown) => said.show(markdown),
            Written::Html(occurrences) => {
                let free = write::html::first_free(view, occurrences, anchors);
                said.show(&occurrences[free].html)
            }
        }
    }
}

/// The home of each dimension and benchmark in `book` (the first chapter that shows it alone)
/// and the chapters citing each benchmark, from what [`crate::scan::chapters`] found.
pub(crate) fn book_homes(book: &Book, scanned: &HashMap<PathBuf, Vec<Found>>) -> Homes {
    let mut homes = Homes::default();
    for item in book.iter() {
        if let BookItem::Chapter(chapter) = item
            && let Some(path) = &chapter.path
            && let Some(found) = scanned.get(path)
        {
            find_homes(&chapter.content, path, &chapter.name, found, &mut homes);
        }
    }
    homes
}

/// Records, in `homes`, what each directive `found` in the chapter at `path` (with `text`,
/// named `name`) is the home of, and which benchmarks it cites.
fn find_homes(text: &str, path: &Path, name: &str, found: &[Found], homes: &mut Homes) {
    for found in found {
        if let Found::Directive(placed) = found {
            let call = call(text, placed);
            let Some(directive) = directives::find(call.name.text) else {
                continue;
            };
            let home: Option<Home> = (directive.home)(&call);
            if let Some(home) = home {
                homes.insert(home, path);
            }
            homes.cite((directive.cites)(&call), path, name);
        }
    }
}

/// The directive as written: its name and arguments, with their spans in the chapter.
fn call<'t>(text: &'t str, placed: &Placed) -> Call<'t> {
    let mut words = words(text, placed.inner.clone());
    let name = words.next().unwrap_or(Word {
        text: "",
        span: placed.inner.start..placed.inner.start,
    });
    Call {
        name,
        args: words.collect(),
        span: placed.span.clone(),
    }
}

/// The whitespace-separated words of `text[range]`, with their spans. Any Unicode space
/// separates them: a no-break space looks like a space, so it is one.
fn words(text: &str, range: Range<usize>) -> impl Iterator<Item = Word<'_>> {
    let base = range.start;
    let inner = &text[range];
    inner.split_whitespace().map(move |word| {
        let start = base + (word.as_ptr() as usize - inner.as_ptr() as usize);
        Word {
            text: word,
            span: start..start + word.len(),
        }
    })
}

/// Writes `rendered` where the directive stood: inline among the text, or as blocks whose later
/// lines continue the same list item or blockquote, with blank lines separating them from text
/// of the same container before and after, so that the next block stays a block of its own.
/// A Markdown rendering ends with an empty HTML comment, which ends any list or table it ends
/// with: an author's `2. item` or indented code after it stays the author's.
fn layout(placed: &Placed, rendered: &str, format: Format, out: &mut String) {
    if placed.placement == Placement::Inline {
        if rendered.starts_with('[') {
            escape_image_mark(out);
        }
        out.push_str(rendered);
        return;
    }
    let continuation = placed.continuation.as_str();
    let blank = continuation.trim_end();
    if placed.text_before {
        out.push('\n');
        out.push_str(continuation);
    }
    if continuation.is_empty() {
        out.push_str(rendered);
    } else {
        for (i, line) in rendered.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                out.push_str(if line.is_empty() { blank } else { continuation });
            }
            out.push_str(line);
        }
    }
    if format == Format::Markdown {
        out.push('\n');
        out.push_str(blank);
        out.push('\n');
        out.push_str(continuation);
        out.push_str("<!-- -->");
    }
    if placed.text_after {
        out.push('\n');
        out.push_str(blank);
    }
}

/// Escapes the `!` that `out` ends with, unless a backslash escapes it already: before a
/// Markdown link that the expansion starts with, it would make the link an image.
fn escape_image_mark(out: &mut String) {
    let Some(before) = out.strip_suffix('!') else {
        return;
    };
    let backslashes = before.len() - before.trim_end_matches('\\').len();
    if backslashes % 2 == 0 {
        out.pop();
        out.push_str("\\!");
    }
}

/// The error for a directive where it cannot be expanded.
fn misplaced(location: Location, place: Place) -> Diagnostic {
    let (message, help) = match place {
        Place::SharesLine => (
            "a directive must stand alone on its line",
            "put it on a line of its own, or write `\\<<` (or use a code span) to show it literally",
        ),
        Place::IndentedContinuation => (
            "a block directive on a paragraph's continuation line here would not be a block of its own: \
             it is indented four columns or more past its container, or a lazy line of a blockquote",
            "put a blank line before it, repeat its blockquote's `>`, and indent it no deeper than the text it belongs with",
        ),
        Place::Heading => (
            "a directive cannot be expanded inside a heading",
            "put it on its own line below the heading",
        ),
        Place::TableCell => (
            "a directive cannot be expanded inside a table cell",
            "tables cannot nest: put the directive on its own line outside the table",
        ),
        Place::Link => (
            "a directive cannot be expanded inside a link",
            "a value or ratio links to its benchmark already, and a link cannot hold another: \
             put the directive outside the link's text",
        ),
        Place::Image => (
            "a directive cannot be expanded inside an image's description",
            "an image's description is plain text: write the words out, or put the directive \
             beside the image",
        ),
        Place::OutsideParagraph => (
            "a directive cannot be expanded here",
            "put it on its own line in a paragraph or list item",
        ),
    };
    Diagnostic::error(message, location)
        .with_label("not expanded here")
        .with_help(help)
}

/// The error for `<<word` where `word` (`written`) is not the directive `meant` as it may
/// stand, or no directive at all (`meant` is then only the closest).
fn misspelled(written: &str, location: Location, meant: &str, how: Misspelling) -> Diagnostic {
    let names = DIRECTIVES.iter().map(|d| d.name);
    match how {
        Misspelling::Spaced => Diagnostic::error(
            "no space may stand between `<<` and a directive's name",
            location,
        )
        .with_label("this name")
        .with_help(format!(
            "did you mean `{meant}`? write `<<{meant} ...>>`, or `\\<<` to show the text literally"
        )),
        Misspelling::Glued => {
            let args = written[meant.len()..].trim_start_matches(|c: char| !c.is_alphanumeric());
            let fixed = if args.is_empty() {
                format!("<<{meant}>>")
            } else {
                format!("<<{meant} {args}>>")
            };
            Diagnostic::error("a directive's name must be followed by a space", location)
                .with_label(format!("`{meant}` runs into what follows it"))
                .with_help(format!(
                    "write `{fixed}`, or `\\<<` to show the text literally"
                ))
        }
        Misspelling::Near => Diagnostic::error(format!("unknown directive `{written}`"), location)
            .with_label("not a directive")
            .with_choices("directives", meant, names)
            .with_help(format!(
                "did you mean `{meant}`? write `\\<<` to show the text literally"
            )),
        Misspelling::Unknown => Diagnostic::error(format!("unknown directive `{written}`"), location)
            .with_label("not a directive")
            .with_choices("directives", meant, names)
            .with_note(format!(
                "left as it is, Markdown would read `<{written} ...>` as an HTML tag and drop it from the page"
            ))
            .with_help(format!(
                "the closest directive is `{meant}`; write `\\<<` to show the text literally"
            )),
    }
}

#[cfg(test)]
mod differential;

#[cfg(test)]
mod tests {
    use mdbook_markdown::MarkdownOptions;

    use super::*;
    use crate::directives::testing;
    use crate::scan;

    fn placed(text: &str) -> Placed {
        match scan::scan(text, &MarkdownOptions::default()).as_slice() {
            [Found::Directive(placed)] => placed.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn laid_out(text: &str, rendered: &str, format: Format) -> String {
        let placed = placed(text);
        let mut out = text[..placed.span.start].to_string();
        layout(&placed, rendered, format, &mut out);
        out.push_str(&text[placed.span.end..]);
        out
    }

    #[test]
    fn a_block_after_the_directive_gets_a_blank_line() {
        assert_eq!(
            laid_out("<<quick-takes>>\n# Next\n", "<div></div>", Format::Html),
            "<div></div>\n\n# Next\n"
        );
        assert_eq!(
            laid_out("> <<quick-takes>>\n> ```\n", "<div></div>", Format::Html),
            "> <div></div>\n>\n> ```\n"
        );
        assert_eq!(
            laid_out("<<quick-takes>>\n\nNext\n", "<div></div>", Format::Html),
            "<div></div>\n\nNext\n"
        );
    }

    #[test]
    fn markdown_ends_with_a_comment_that_closes_lists() {
        assert_eq!(
            laid_out("- <<quick-takes>>\n", "a\n\n1. b", Format::Markdown),
            "- a\n\n  1. b\n\n  <!-- -->\n"
        );
    }

    /// `text` expanded as chapter `path` of the test book, by `expander`, with its problems.
    fn expanded(expander: &mut Expander<'_>, path: &str, text: &str) -> (String, String) {
        let mut diagnostics = Diagnostics::default();
        let found = scan::scan(text, &MarkdownOptions::default());
        let chapter = Chapter {
            path: Path::new(path),
            shown: path,
            text,
        };
        let expanded = expander.expand(&chapter, found, &mut diagnostics);
        (expanded.text.unwrap_or_default(), diagnostics.render(false))
    }

    #[test]
    fn a_page_explains_how_verdicts_are_reached_once_and_every_page_does() {
        let dataset = testing::dataset();
        let homes = testing::homes(&dataset);
        let page = "<<benchmark http-json>>\n\n<<benchmark-summary>>\n\n<<benchmark http-json>>\n";
        for format in [Format::Html, Format::Markdown] {
            let mut expander = Expander::new(&dataset, &homes, None, format);
            for path in ["a.md", "b.md"] {
                let (text, report) = expanded(&mut expander, path, page);
                assert_eq!(text.matches("Verdicts:").count(), 1, "{format:?} {report}");
                let reproduced = "Measured by the harness in this repository";
                assert_eq!(text.matches(reproduced).count(), 1, "{format:?}");
                assert_eq!(text.matches("Setup, environment and sources").count(), 2);
            }
        }
    }

    #[test]
    fn a_repeated_call_is_made_once_but_links_and_anchors_belong_to_each_page() {
        let dataset = testing::dataset();
        let homes = testing::homes(&dataset);
        for format in [Format::Html, Format::Markdown] {
            let mut expander = Expander::new(&dataset, &homes, None, format);
            let value = "Rust does <<value http-json throughput rust>>.\n";
            let (top, _) = expanded(&mut expander, "a.md", value);
            let (nested, _) = expanded(&mut expander, "x/b.md", value);
            let (again, _) = expanded(&mut expander, "c.md", value);
            assert!(top.contains("bench/http-json."), "{top}");
            assert!(!top.contains("../bench/"), "{top}");
            assert!(nested.contains("../bench/http-json."), "{nested}");
            assert_eq!(again, top);
            assert_eq!(expander.made.len(), 2, "{format:?}");
        }
        let mut expander = Expander::new(&dataset, &homes, None, Format::Html);
        let twice = "<<compare speed>>\n\n<<compare speed>>\n";
        let (page, _) = expanded(&mut expander, "a.md", twice);
        let (other, _) = expanded(&mut expander, "b.md", twice);
        assert_eq!(other, page);
        assert!(page.contains("id=\"cmp-dimension-speed\""), "{page}");
        assert!(page.contains("id=\"cmp-2-dimension-speed\""), "{page}");
    }

    #[test]
    fn a_call_with_a_problem_is_reported_wherever_it_stands() {
        let dataset = testing::dataset();
        let homes = testing::homes(&dataset);
        let mut expander = Expander::new(&dataset, &homes, None, Format::Html);
        for path in ["a.md", "b.md"] {
            let (_, report) = expanded(&mut expander, path, "<<glance>>\n");
            assert!(report.contains("have no chapter of their own"), "{report}");
            assert!(report.contains(&format!("{path}:1:1")), "{report}");
        }
        assert!(expander.made.is_empty());
    }

    #[test]
    fn words_keep_their_spans() {
        let text = "<<compare  a\tb>>";
        let call = call(text, &placed(text));
        assert_eq!(call.name.text, "compare");
        let args: Vec<_> = call.args.iter().map(|w| (w.text, w.span.clone())).collect();
        assert_eq!(args, [("a", 11..12), ("b", 13..14)]);
    }
}
