//! Located, rustc-style messages for everything a user can get wrong.
//!
//! A [`Diagnostic`] names a file and a byte span in that file's text; rendering turns it into a
//! report with the offending line and a marker (via `annotate-snippets`), followed by a "did you
//! mean" hint and the list of valid choices where there are any.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Severity {
    /// The build cannot go on.
    Error = 0,
    /// Worth fixing, but the build goes on unless warnings are denied.
    Warning = 1,
}

/// A file's display path and its full text, shared by all diagnostics that point into it.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path as shown to the user, relative to the book root where possible.
    pub(crate) path: String,
    /// The file's text.
    pub(crate) text: Arc<str>,
}

impl SourceFile {
    /// Wraps a file's display path and text.
    pub(crate) fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    /// Reads the UTF-8 file at `path`, shown to the user as `shown`; or says why it cannot be
    /// read, pointing at the first byte that is not UTF-8 when that is why.
    pub(crate) fn read(path: &Path, shown: String) -> Result<SourceFile, Box<Diagnostic>> {
        if fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err(Box::new(
                Diagnostic::error("expected a file, found a folder", Location::Path(shown))
                    .with_help("remove the folder, or move its contents up"),
            ));
        }
        let bytes = fs::read(path).map_err(|err| {
            Box::new(Diagnostic::error(
                format!("cannot read the file: {}", describe_io_error(&err)),
                Location::Path(shown.clone()),
            ))
        })?;
        SourceFile::from_utf8(bytes, shown)
    }

    /// The text of a file read as `bytes`, shown to the user as `shown`; or an error pointing at
    /// the first byte that is not UTF-8.
    pub(crate) fn from_utf8(bytes: Vec<u8>, shown: String) -> Result<SourceFile, Box<Diagnostic>> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(shown, text)),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
                let end = lossy[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                Err(Box::new(
                    Diagnostic::error(
                        "the file is not valid UTF-8",
                        Location::Span(SourceFile::new(shown, lossy), at..end),
                    )
                    .with_label("this byte is not UTF-8")
                    .with_help("save the file as UTF-8"),
                ))
            }
        }
    }
}

/// An I/O error in words a user can act on.
pub(crate) fn describe_io_error(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "it does not exist".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if err.raw_os_error() == Some(40) => {
            "too many levels of symbolic links (a symlink loop?)".into()
        }
        _ => err.to_string(),
    }
}

/// Where a diagnostic points: a span in a file, or a whole file or folder.
#[derive(Debug, Clone)]
pub(crate) enum Location {
    /// A byte span in a file's text.
    Span(SourceFile, Range<usize>),
    /// A path with no text to show (a missing folder, an unreadable file).
    Path(String),
}

/// One message for the user.
#[derive(Debug, Clone)]
pub(crate) struct Diagnostic {
    /// Error or warning.
    pub(crate) severity: Severity,
    /// What is wrong, in one line.
    pub(crate) message: String,
    /// Where it is wrong.
    pub(crate) location: Location,
    /// Text placed under the marker.
    pub(crate) label: String,
    /// How to fix it, e.g. "did you mean `go`?".
    pub(crate) help: Option<String>,
    /// Further context, e.g. the list of valid choices.
    pub(crate) notes: Vec<String>,
}

impl Diagnostic {
    /// An error at `location` with `message`.
    pub(crate) fn error(message: impl Into<String>, location: Location) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location,
            label: String::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// A warning at `location` with `message`.
    pub(crate) fn warning(message: impl Into<String>, location: Location) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message, location)
        }
    }

    /// Sets the text under the marker.
    pub(crate) fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the fix-it hint.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note.
    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Adds "did you mean" for the choice closest to `input` (if any is close) and a note listing
    /// every valid choice.
    pub(crate) fn with_choices<'a>(
        mut self,
        what: &str,
        input: &str,
        choices: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut seen = HashSet::new();
        let choices: Vec<&str> = choices
            .into_iter()
            .filter(|choice| seen.insert(*choice))
            .collect();
        if let Some(best) = closest(input, &choices) {
            self.help = Some(format!("did you mean `{best}`?"));
        }
        let mut list = if choices.is_empty() {
            "none are defined".to_string()
        } else {
            choices
                .iter()
                .take(LISTED_CHOICES)
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(more) = choices.len().checked_sub(LISTED_CHOICES).filter(|n| *n > 0) {
            list.push_str(&format!(" and {more} more"));
        }
        self.notes.push(format!("valid {what}: {list}"));
        self
    }

    /// `path:line:column` of where it points, or its bare path, for tests.
    #[cfg(test)]
    pub(crate) fn position(&self) -> String {
        match &self.location {
            Location::Span(file, span) => {
                let (line, column) = line_column(&file.text, span.start);
                format!("{}:{line}:{column}", file.path)
            }
            Location::Path(path) => path.clone(),
        }
    }

    /// The file (or folder) the diagnostic is about, as shown to the user.
    pub(crate) fn file(&self) -> &str {
        match &self.location {
            Location::Span(file, _) => &file.path,
            Location::Path(path) => path,
        }
    }

    /// Renders the diagnostic as a rustc-style report, with colours when `styled`.
    pub(crate) fn render(&self, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str());
        let excerpt;
        let group = match &self.location {
            Location::Span(file, span) => {
                excerpt = Excerpt::around(&file.text, span.clone());
                let label = (!self.label.is_empty()).then_some(self.label.as_str());
                title.element(
                    Snippet::source(excerpt.text)
                        .line_start(excerpt.first_line)
                        .path(file.path.as_str())
                        .annotation(AnnotationKind::Primary.span(excerpt.span).label(label)),
                )
            }
            Location::Path(path) => title.element(Origin::path(path.as_str())),
        };
        let group = self.notes.iter().fold(group, |g, note| {
            g.element(Level::NOTE.message(note.as_str()))
        });
        let group = match &self.help {
            Some(help) => group.element(Level::HELP.message(help.as_str())),
            None => group,
        };
        let report: [Group<'_>; 1] = [group];
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The lines of a text that a span touches, with the span relative to them.
struct Excerpt<'a> {
    text: &'a str,
    first_line: usize,
    span: Range<usize>,
}

impl<'a> Excerpt<'a> {
    /// Cuts the lines around `span` out of `text` (at most a few, so huge files stay cheap).
    fn around(text: &'a str, span: Range<usize>) -> Self {
        const MAX_LINES: usize = 6;
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let last = floor_char_boundary(text, end.saturating_sub(1).max(start));
        let mut line_end = text[last..].find('\n').map_or(text.len(), |i| last + i);
        if let Some(cap) =
            memchr::memchr_iter(b'\n', &text.as_bytes()[line_start..line_end]).nth(MAX_LINES - 1)
        {
            line_end = line_start + cap;
        }
        let end = end.min(line_end);
        Excerpt {
            text: &text[line_start..line_end],
            first_line: line_number(text, line_start),
            span: start - line_start..end - line_start,
        }
    }
}

/// Largest char boundary of `text` at or below `index`.
fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// 1-based line number of byte `offset`.
fn line_number(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() + 1
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    // A byte order mark (a file's, or an included file's spliced in by mdBook) is unseen.
    let before = &text[line_start..offset];
    let before = before.strip_prefix('\u{feff}').unwrap_or(before);
    (line_number(text, offset), before.chars().count() + 1)
}

/// The choice closest to `input` by edit distance, if it is close enough to be a likely typo.
/// The distance is at least the difference in length, so only the choices whose length is
/// within reach are measured: among thousands of ids, few are.
pub(crate) fn closest<'a>(input: &str, choices: &[&'a str]) -> Option<&'a str> {
    let input = input.to_lowercase();
    let input_chars = input.chars().count();
    choices
        .iter()
        .filter_map(|c| {
            let chars = c.chars().count();
            let allowed = (chars.max(input.len()) / 3).max(1);
            if chars.abs_diff(input_chars) > allowed {
                return None;
            }
            #[cfg(test)]
            MEASURED.with(|measured| measured.set(measured.get() + 1));
            let distance = strsim::damerau_levenshtein(&input, &c.to_lowercase());
            (distance <= allowed).then_some((distance, *c))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
thread_local! {
    /// How many choices [`closest`] measured the distance to, on this thread.
    pub(crate) static MEASURED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// At most this many valid choices are listed in one diagnostic; the rest are counted.
pub(crate) const LISTED_CHOICES: usize = 40;

/// At most this many diagnostics are kept for one file; the rest are only counted, so that a
/// huge chapter full of mistakes still reports quickly and readably.
pub(crate) const KEPT_PER_FILE: usize = 50;

/// All diagnostics of one run, errors and warnings together.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    items: Vec<Diagnostic>,
    /// How many diagnostics each file has had, kept or not.
    per_file: HashMap<String, usize>,
    /// Errors and warnings counted past [`KEPT_PER_FILE`] but not kept.
    dropped: [usize; 2],
    /// Where a diagnostic past the limit goes, so that it can still be "refined".
    discarded: Option<Diagnostic>,
    /// Whether warnings fail the run.
    deny_warnings: bool,
}

impl Diagnostics {
    /// Records a diagnostic and returns it, so that it can still be refined. Past
    /// [`KEPT_PER_FILE`] diagnostics for its file, it is only counted.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        let seen = self
            .per_file
            .entry(diagnostic.file().to_string())
            .or_default();
        *seen += 1;
        if *seen > KEPT_PER_FILE {
            self.dropped[diagnostic.severity as usize] += 1;
            return self.discarded.insert(diagnostic);
        }
        let index = self.items.len();
        self.items.push(diagnostic);
        &mut self.items[index]
    }

    /// Whether a diagnostic about `file` would be kept, not only counted: one that would not
    /// need no help or choices worked out.
    pub(crate) fn keeps(&self, file: &str) -> bool {
        self.per_file
            .get(file)
            .is_none_or(|seen| *seen < KEPT_PER_FILE)
    }

    /// How many diagnostics are kept, to mark where a step's diagnostics start.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// How many diagnostics were pushed, kept or not: it grows with every push.
    pub(crate) fn pushed(&self) -> usize {
        self.items.len() + self.dropped.iter().sum::<usize>()
    }

    /// Calls `change` on each diagnostic kept since `mark` (an earlier [`Diagnostics::len`]).
    pub(crate) fn relocate_since(&mut self, mark: usize, change: impl Fn(&mut Diagnostic)) {
        self.items.iter_mut().skip(mark).for_each(change);
    }

    /// Makes warnings fail the run (`deny-warnings`).
    pub(crate) fn deny_warnings(&mut self) {
        self.deny_warnings = true;
    }

    /// Whether the run fails: any error, or any warning when warnings are denied.
    pub(crate) fn fail(&self) -> bool {
        self.has_errors() || (self.deny_warnings && self.count(Severity::Warning) > 0)
    }

    /// Whether anything was recorded with error severity.
    pub(crate) fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// How many diagnostics of `severity` were recorded, kept or not.
    pub(crate) fn count(&self, severity: Severity) -> usize {
        let kept = self.items.iter().filter(|d| d.severity == severity).count();
        kept + self.dropped[severity as usize]
    }

    /// Whether nothing was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The kept diagnostics, in the order they were found.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Every kept diagnostic rendered, a line per file with diagnostics not kept, and a one-line
    /// summary.
    pub(crate) fn render(&self, styled: bool) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.render(styled));
            out.push_str("\n\n");
        }
        let mut crowded: Vec<(&String, &usize)> = self
            .per_file
            .iter()
            .filter(|(_, n)| **n > KEPT_PER_FILE)
            .collect();
        crowded.sort();
        for (file, n) in crowded {
            out.push_str(&format!(
                "{file}: {} more not shown (only the first {KEPT_PER_FILE} of a file are)\n\n",
                n - KEPT_PER_FILE
            ));
        }
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let denied = if self.deny_warnings && warnings > 0 {
            " (warnings are denied)"
        } else {
            ""
        };
        out.push_str(&format!(
            "mdbook-compare: {}, {}{denied}\n",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("src/chapter.md", text)
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        assert_eq!(line_column("ab\néé<<x>>\n", 7), (2, 3));
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        // At the start of a file, or of an included file's first line spliced into a chapter.
        assert_eq!(line_column("\u{feff}ab<<x>>\n", 5), (1, 3));
        assert_eq!(line_column("x\n\u{feff}ab <<x>>\n", 8), (2, 4));
    }

    #[test]
    fn render_shows_path_line_marker_help_and_choices() {
        let text = "# Title\n\n<<compare nope>>\n";
        let d = Diagnostic::error(
            "unknown dimension `nope`",
            Location::Span(file(text), 19..23),
        )
        .with_label("not a dimension")
        .with_choices("dimensions", "nope", ["note", "tooling"]);
        let out = d.render(false);
        assert!(out.contains("error: unknown dimension `nope`"), "{out}");
        assert!(out.contains("src/chapter.md:3:11"), "{out}");
        assert!(out.contains("<<compare nope>>"), "{out}");
        assert!(out.contains("^^^^ not a dimension"), "{out}");
        assert!(out.contains("did you mean `note`?"), "{out}");
        assert!(out.contains("valid dimensions: `note`, `tooling`"), "{out}");
    }

    #[test]
    fn excerpt_of_a_huge_text_is_only_the_touched_lines() {
        let text = format!("{}bad line\n{}", "x\n".repeat(10_000), "y\n".repeat(10_000));
        let start = 20_000;
        let e = Excerpt::around(&text, start..start + 3);
        assert_eq!(e.text, "bad line");
        assert_eq!(e.first_line, 10_001);
        assert_eq!(e.span, 0..3);
    }

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("rsut", &["rust", "go"]), Some("rust"));
        assert_eq!(closest("tooling", &["tooling"]), Some("tooling"));
        assert_eq!(closest("zig", &["rust", "go"]), None);
    }

    #[test]
    fn choices_among_many_cost_linear_time() {
        // 60,000 metric ids of lengths from 1 to 205: only those whose length is within
        // reach of the input's are measured, and the list is deduplicated in one pass.
        let ids: Vec<String> = (0..60_000)
            .map(|i| format!("{i}{}", "m".repeat(i % 200)))
            .collect();
        let mut choices: Vec<&str> = ids.iter().map(String::as_str).collect();
        choices.extend(ids.iter().take(1000).map(String::as_str));
        MEASURED.with(|measured| measured.set(0));
        let input = "12004mmmmx";
        let diagnostic = Diagnostic::error("unknown metric", Location::Path("data".into()))
            .with_choices("metric ids", input, choices.iter().copied());
        let measured = MEASURED.with(std::cell::Cell::get);
        assert!(measured < 60_000 / 10, "{measured} distances measured");
        assert_eq!(
            diagnostic.help.as_deref(),
            Some("did you mean `12004mmmm`?")
        );
        let note = &diagnostic.notes[0];
        assert_eq!(note.matches('`').count(), 2 * LISTED_CHOICES, "{note}");
        assert!(
            note.ends_with(" and 59960 more"),
            "each id counted once: {note}"
        );
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::error("a", Location::Path("data".into())));
        all.push(Diagnostic::warning("b", Location::Path("data".into())));
        assert!(all.has_errors());
        assert!(all.render(false).ends_with("1 error, 1 warning\n"));
    }
}
