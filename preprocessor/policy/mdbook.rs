//! mdBook's own commands (`{{#include ...}}`, `{{#playground ...}}`, `{{#rustdoc_include ...}}`,
//! `{{#title ...}}`) in text from the dataset. mdBook's `links` preprocessor may run after this
//! one and would execute them in the expanded page, so no data text may hold one: the writers
//! escape `{` as well, and the dataset's checks reject them at their source.

use std::ops::Range;

/// The first place in `text` where mdBook would see the start of a command: `{{`, any
/// whitespace (mdBook allows it), then `#` and the command's name. Returns that range.
pub(crate) fn command(text: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&text.as_bytes()[from..], b"{{") {
        let start = from + found;
        let after = &text[start + 2..];
        let spaces = after.len() - after.trim_start().len();
        if let Some(name) = after[spaces..].strip_prefix('#') {
            let name_len = name
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(name.len());
            return Some(start..start + 2 + spaces + 1 + name_len);
        }
        from = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<&str> {
        command(text).map(|range| &text[range])
    }

    #[test]
    fn finds_every_form_mdbook_reads() {
        assert_eq!(found("see {{#include /etc/passwd}}"), Some("{{#include"));
        assert_eq!(found("{{#playground x.rs}}"), Some("{{#playground"));
        assert_eq!(
            found("a {{#rustdoc_include x}}"),
            Some("{{#rustdoc_include")
        );
        assert_eq!(found("{{#title Hi}}"), Some("{{#title"));
        assert_eq!(found("{{ \t#include x}}"), Some("{{ \t#include"));
        assert_eq!(found("{{{#include x}}"), Some("{{#include"));
        assert_eq!(found("ends with {{#"), Some("{{#"));
    }

    #[test]
    fn leaves_other_braces_alone() {
        for text in [
            "{{ x }}",
            "{#x}",
            "{ {#x}}",
            "fn f() {{}}",
            "{{",
            "",
            "é{{é#",
        ] {
            assert_eq!(found(text), None, "{text}");
        }
    }
}
