//! TOML that does not fit the types it is read into (the dataset's, or book.toml's), reported
//! in TOML's words: serde's message rewritten ("key" for field, "table" for map, "number" for
//! f64), located at the exact span, with the valid choices or the fix.

use crate::diagnostic::{Diagnostic, Location, SourceFile};

/// The diagnostic for a TOML syntax error or a mismatch with the dataset's types in `file`.
pub(crate) fn diagnostic(err: &toml::de::Error, file: &SourceFile) -> Diagnostic {
    let span = err.span().unwrap_or(0..0);
    let found = file.text.get(span.clone()).unwrap_or_default();
    let message = err.message().trim_end();
    let message = message.lines().next().unwrap_or(message);
    let at = Location::Span(file.clone(), span);
    if let Some((key, expected)) = quoted_after(message, "unknown field ") {
        return Diagnostic::error(format!("unknown key `{key}`"), at)
            .with_label("unknown key")
            .with_choices("keys here", key, expected);
    }
    if let Some((value, expected)) = quoted_after(message, "unknown variant ") {
        return Diagnostic::error(format!("`{value}` is not an allowed value"), at)
            .with_label("not allowed here")
            .with_choices("values", value, expected);
    }
    if let Some((key, _)) = quoted_after(message, "missing field ") {
        return Diagnostic::error(format!("missing key `{key}`"), at)
            .with_label(format!("this table has no `{key}`"))
            .with_help(format!("add `{key} = ...` to it"));
    }
    if message.starts_with("invalid type: map, expected a string") && !found.starts_with(['{', '['])
    {
        return Diagnostic::error("expected a string, found a TOML date", at)
            .with_label("not in quotes")
            .with_help(format!("put the date in quotes: `\"{found}\"`"));
    }
    Diagnostic::error(in_dataset_words(message), at)
}

/// The first backquoted name after `prefix` in `message`, and the ones after it (serde's
/// "unknown field `x`, expected one of `a`, `b`").
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<(&'m str, Vec<&'m str>)> {
    let mut quoted = message.strip_prefix(prefix)?.split('`').skip(1).step_by(2);
    let first = quoted.next()?;
    Some((first, quoted.collect()))
}

/// Serde's type names replaced by TOML's.
fn in_dataset_words(message: &str) -> String {
    [
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
        ("invalid type: sequence", "invalid type: array"),
        ("invalid type: map", "invalid type: table"),
        ("invalid type: floating point", "invalid type: number"),
    ]
    .iter()
    .fold(message.to_string(), |text, (serde, toml)| {
        text.replacen(serde, toml, 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_unknown_names_from_the_expected_ones() {
        let (key, expected) = quoted_after(
            "unknown field `titel`, expected one of `title`, `category`",
            "unknown field ",
        )
        .unwrap();
        assert_eq!(key, "titel");
        assert_eq!(expected, ["title", "category"]);
        assert_eq!(
            quoted_after("invalid type: integer", "unknown field "),
            None
        );
    }

    #[test]
    fn speaks_toml() {
        assert_eq!(
            in_dataset_words("invalid type: string \"fast\", expected f64"),
            "invalid type: string \"fast\", expected a number"
        );
    }
}
