//! Finding the span of a key or value in a TOML file from its path (`metrics[2].values.go`).
//!
//! The typed structs carry no spans, so lints describe what they check as a [`KeyPath`] and this
//! module re-parses the file (only when a lint fires) to point at the exact bytes.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step into a TOML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    /// A key of a table.
    Key(&'a str),
    /// An index into an array (of tables).
    Index(usize),
}

/// A path from the document root to a key or value.
pub(crate) type KeyPath<'a> = [Step<'a>];

/// What of the last step to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The key itself (for "unknown language `zig`" in `[takes]`).
    Key,
    /// The value (for "`edge` names no language").
    Value,
}

/// Span of the key or value at `path` in `text`; the deepest existing ancestor when the path
/// does not exist (a missing key points at the table that lacks it), or `0..0` when `text` is not
/// valid TOML.
pub(crate) fn locate(text: &str, path: &KeyPath<'_>, target: Target) -> Range<usize> {
    let Ok(root) = DeTable::parse(text) else {
        return 0..0;
    };
    let (root_span, table) = (root.span(), root.into_inner());
    let root = Spanned::new(root_span, DeValue::Table(table));
    let mut span = 0..0;
    let mut value = &root;
    for (i, step) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        let next = match (*step, value.get_ref()) {
            (Step::Key(key), DeValue::Table(table)) => {
                table.get_key_value(key).map(|(k, v)| (k.span(), v))
            }
            (Step::Index(index), DeValue::Array(array)) => array.get(index).map(|v| (v.span(), v)),
            _ => None,
        };
        let Some((key_span, next)) = next else {
            return if span == (0..0) {
                header_span(text)
            } else {
                span
            };
        };
        span = if last && target == Target::Key {
            key_span
        } else {
            next.span()
        };
        value = next;
    }
    span
}

/// The first line of the file that is not a comment, as a fallback location for the whole file.
fn header_span(text: &str) -> Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            return offset..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    0..0
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "#:schema x\ntitle = \"T\"\n[takes]\nrust = \"a\"\nzig = \"b\"\n\n[[metrics]]\nname = \"m\"\n[[metrics]]\nname = \"n\"\nvalues = { go = -1 }\n";

    fn text_at(path: &KeyPath<'_>, target: Target) -> &'static str {
        &DOC[locate(DOC, path, target)]
    }

    #[test]
    fn finds_keys_and_values() {
        use Step::*;
        assert_eq!(text_at(&[Key("title")], Target::Value), "\"T\"");
        assert_eq!(text_at(&[Key("takes"), Key("zig")], Target::Key), "zig");
        assert_eq!(
            text_at(
                &[Key("metrics"), Index(1), Key("values"), Key("go")],
                Target::Value
            ),
            "-1"
        );
    }

    #[test]
    fn missing_key_points_at_its_table() {
        use Step::*;
        let span = locate(DOC, &[Key("takes"), Key("go")], Target::Value);
        assert_eq!(&DOC[span], "[takes]");
        assert_eq!(text_at(&[Key("nope")], Target::Value), "title = \"T\"");
    }
}
