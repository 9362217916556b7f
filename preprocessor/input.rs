//! Reading mdBook's `[context, book]` JSON, with clear messages for input from another mdBook
//! version, input that is cut short, and a book nested deeper than mdBook can read back.

use std::io::Read;

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{MDBOOK_VERSION, PreprocessorContext};
use semver::{Version, VersionReq};
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location};

/// How deeply mdBook reads nested JSON arrays and objects back from a preprocessor: serde_json's
/// default limit. The input is the book inside one more array, so it may nest one level deeper.
const MDBOOK_READS: usize = 127;

/// Reads mdBook's input to a preprocessor, as `mdbook_preprocessor::parse_input` does, with
/// messages that say what to do. A book that mdBook could not read back (its `SUMMARY.md`
/// nests chapters 42 levels deep or more) is refused here, with the way out, rather than by
/// mdBook after the run with serde_json's "recursion limit exceeded".
pub fn parse_input(mut reader: impl Read) -> anyhow::Result<(PreprocessorContext, Book)> {
    let mut input = Vec::new();
    if let Err(err) = reader.read_to_end(&mut input) {
        anyhow::bail!("error: cannot read mdBook's input: {err}");
    }
    parse(&input).map_err(|diagnostic| anyhow::anyhow!("{}", diagnostic.render(false)))
}

/// Parses the input, or says why it cannot be read.
fn parse(input: &[u8]) -> Result<(PreprocessorContext, Book), Box<Diagnostic>> {
    if let Some(problem) = too_deep(depth(input), stdin()) {
        return Err(problem);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(input);
    deserializer.disable_recursion_limit();
    <(PreprocessorContext, Book)>::deserialize(&mut deserializer)
        .and_then(|parsed| deserializer.end().map(|()| parsed))
        .map_err(|err| Box::new(unreadable(input, &err)))
}

/// The error for input nested `depth` JSON levels deep (the book inside mdBook's
/// `[context, book]`), when mdBook could not read the book back from a command preprocessor.
fn too_deep(depth: usize, location: Location) -> Option<Box<Diagnostic>> {
    if depth <= MDBOOK_READS + 1 {
        return None;
    }
    // A chapter nests three JSON levels below its parent: the item, the chapter, its list.
    let levels = depth.saturating_sub(3) / 3;
    Some(Box::new(
        Diagnostic::error(
            format!(
                "SUMMARY.md nests chapters {levels} levels deep, but mdBook reads a \
                 preprocessor's book back only up to {} levels (serde_json's limit of \
                 {MDBOOK_READS} nested values)",
                (MDBOOK_READS - 2) / 3
            ),
            location,
        )
        .with_help(
            "nest SUMMARY.md less deeply, or run mdbook-compare in process \
             (`MDBook::with_preprocessor(Compare::new())`), which has no such limit",
        ),
    ))
}

/// For `check`: the error the build would give, as a command preprocessor, for `book`.
pub(crate) fn book_too_deep(book: &Book, summary: &str) -> Option<Box<Diagnostic>> {
    let json = serde_json::to_vec(book).ok()?;
    // mdBook's input holds the book inside one more array.
    too_deep(depth(&json) + 1, Location::Path(summary.to_string()))
}

/// The deepest nesting of arrays and objects in a JSON text (strings skipped).
fn depth(input: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for &byte in input {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The warning for input from mdBook `version`, when this preprocessor was built for another
/// minor version.
pub(crate) fn version_warning(version: &str) -> Option<Diagnostic> {
    if same_minor(version) {
        return None;
    }
    Some(
        Diagnostic::warning(
            format!(
                "mdBook {version} is running mdbook-compare, which was built for mdBook {MDBOOK_VERSION}"
            ),
            stdin(),
        )
        .with_help(format!(
            "install mdBook {MDBOOK_VERSION}, or rebuild mdbook-compare against your mdBook"
        )),
    )
}

fn stdin() -> Location {
    Location::Path("<standard input from mdBook>".into())
}

/// Why the input could not be read, naming mdBook's version when the input says it.
fn unreadable(input: &[u8], err: &serde_json::Error) -> Diagnostic {
    let version = serde_json::from_slice::<serde_json::Value>(input)
        .ok()
        .and_then(|v| v.get(0)?.get("mdbook_version")?.as_str().map(String::from));
    let diagnostic = match version {
        Some(version) if !same_minor(&version) => Diagnostic::error(
            format!(
                "this input comes from mdBook {version}, but mdbook-compare reads mdBook {MDBOOK_VERSION}'s format"
            ),
            stdin(),
        )
        .with_help(format!("build the book with mdBook {MDBOOK_VERSION} (`cargo install mdbook --locked --version {MDBOOK_VERSION}`)")),
        Some(version) => Diagnostic::error(
            format!("cannot read the book sent by mdBook {version}: {err}"),
            stdin(),
        ),
        None if err.is_eof() => Diagnostic::error(
            format!("the input from mdBook ends early (line {}, column {}): was it cut short?", err.line(), err.column()),
            stdin(),
        )
        .with_help("run mdbook-compare through `mdbook build`; to test it by hand, pipe a complete `[context, book]` JSON"),
        None => Diagnostic::error(
            format!("the input is not mdBook's preprocessor JSON: {err}"),
            stdin(),
        )
        .with_help("run mdbook-compare through `mdbook build`, which sends `[context, book]` on standard input"),
    };
    diagnostic.with_note(format!(
        "mdbook-compare {} is built for mdBook {MDBOOK_VERSION}",
        env!("CARGO_PKG_VERSION")
    ))
}

/// Whether mdBook `version` has the major and minor version this preprocessor was built for
/// (`~0.5`: mdBook keeps the preprocessor format within a minor version).
fn same_minor(version: &str) -> bool {
    let (Ok(version), Ok(built)) = (Version::parse(version), Version::parse(MDBOOK_VERSION)) else {
        return false;
    };
    VersionReq::parse(&format!("~{}.{}", built.major, built.minor))
        .is_ok_and(|requirement| requirement.matches(&version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_minor() {
        assert!(same_minor("0.5.0"));
        assert!(same_minor(MDBOOK_VERSION));
        assert!(!same_minor("0.4.40"));
        assert!(!same_minor("not a version"));
    }

    #[test]
    fn depth_skips_strings() {
        assert_eq!(depth(br#"[{"a":"[[[{"},[1]]"#), 2);
        assert_eq!(depth(br#"["\"[",[[]]]"#), 3);
    }

    #[test]
    fn explains_truncated_and_foreign_input() {
        let text = parse(b"[{\"root\": \"/x\", ").unwrap_err().render(false);
        assert!(text.contains("ends early"), "{text}");
        let old = br#"[{"root":"/x","config":{},"renderer":"html","mdbook_version":"0.4.40"},{"sections":[]}]"#;
        let text = parse(old).unwrap_err().render(false);
        assert!(
            text.contains("mdBook 0.4.40") && text.contains(MDBOOK_VERSION),
            "{text}"
        );
    }
}
