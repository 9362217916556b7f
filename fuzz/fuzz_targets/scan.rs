//! The scanner on arbitrary chapter text under every combination of mdBook's Markdown options:
//! it must not panic, everything it finds must be a well-formed, in-order byte range of the
//! text, because the expander splices by those ranges, and parsing only the pieces around
//! candidates must find what parsing the whole text finds.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_compare::scan::{Found, scan, scan_parsing_everything};
use mdbook_markdown::MarkdownOptions;

fuzz_target!(|input: (u8, &str)| {
    let (flags, text) = input;
    let mut options = MarkdownOptions::default();
    options.smart_punctuation = flags & 1 != 0;
    options.definition_lists = flags & 2 != 0;
    options.admonitions = flags & 4 != 0;
    let found = scan(text, &options);
    assert_eq!(found, scan_parsing_everything(text, &options), "{text:?}");
    let mut previous_end = 0;
    for found in found {
        let span = match &found {
            Found::Directive(placed) => {
                assert!(placed.span.start <= placed.inner.start);
                assert!(placed.inner.end <= placed.span.end);
                assert!(text.get(placed.inner.clone()).is_some(), "{found:?}");
                placed.span.clone()
            }
            Found::Escaped { span } | Found::Misplaced { span, .. } | Found::Unclosed { span } => {
                span.clone()
            }
        };
        assert!(text.get(span.clone()).is_some(), "{found:?} in {text:?}");
        if matches!(found, Found::Directive(_) | Found::Escaped { .. }) {
            assert!(span.start >= previous_end, "{found:?} overlaps in {text:?}");
            previous_end = span.end;
        }
    }
});
