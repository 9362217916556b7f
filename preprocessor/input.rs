//! Reading mdBook's `[context, book]` JSON, with clear messages for input from another mdBook
//! version or input that is cut short.

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{MDBOOK_VERSION, PreprocessorContext};

use crate::diagnostic::{Diagnostic, Diagnostics, Location};

/// Parses the input; on failure records why and returns `None`. A different minor version of
/// mdBook than the one this preprocessor was built for is a warning.
pub fn parse(input: &[u8], diagnostics: &mut Diagnostics) -> Option<(PreprocessorContext, Book)> {
    match serde_json::from_slice::<(PreprocessorContext, Book)>(input) {
        Ok((ctx, book)) => {
            if !same_minor(&ctx.mdbook_version, MDBOOK_VERSION) {
                diagnostics.push(
                    Diagnostic::warning(
                        format!(
                            "mdBook {} is running mdbook-compare, which was built for mdBook {MDBOOK_VERSION}",
                            ctx.mdbook_version
                        ),
                        stdin(),
                    )
                    .with_help(format!("install mdBook {MDBOOK_VERSION}, or rebuild mdbook-compare against your mdBook")),
                );
            }
            Some((ctx, book))
        }
        Err(err) => {
            diagnostics.push(unreadable(input, &err));
            None
        }
    }
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
        Some(version) if !same_minor(&version, MDBOOK_VERSION) => Diagnostic::error(
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

/// Whether two `major.minor.patch` versions share major and minor.
fn same_minor(a: &str, b: &str) -> bool {
    a.split('.').take(2).eq(b.split('.').take(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_minor() {
        assert!(same_minor("0.5.4", "0.5.0"));
        assert!(!same_minor("0.4.40", "0.5.4"));
    }

    #[test]
    fn explains_truncated_and_foreign_input() {
        let mut diagnostics = Diagnostics::default();
        assert!(parse(b"[{\"root\": \"/x\", ", &mut diagnostics).is_none());
        let text = diagnostics.render(false);
        assert!(text.contains("ends early"), "{text}");

        let mut diagnostics = Diagnostics::default();
        let old = br#"[{"root":"/x","config":{},"renderer":"html","mdbook_version":"0.4.40"},{"sections":[]}]"#;
        assert!(parse(old, &mut diagnostics).is_none());
        let text = diagnostics.render(false);
        assert!(
            text.contains("mdBook 0.4.40") && text.contains(MDBOOK_VERSION),
            "{text}"
        );
    }
}
