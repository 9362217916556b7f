//! Checks on every string of a data file, whatever key it stands under, so that no key can be
//! forgotten: no data text may hold one of mdBook's `{{#...}}` commands, which mdBook's `links`
//! preprocessor would run on the expanded page (reading files into it). The writers escape
//! braces too; this is the second wall, and it tells the contributor where.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Location, SourceFile};
use crate::policy::mdbook;

/// The diagnostics for every string of `document` (parsed from `file`) that holds an mdBook
/// command.
pub(crate) fn commands(file: &SourceFile, document: &DeTable<'_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut pending: Vec<&Spanned<DeValue<'_>>> = document.values().collect();
    while let Some(value) = pending.pop() {
        match value.get_ref() {
            DeValue::String(text) => {
                if let Some(range) = mdbook::command(text) {
                    found.push(report(file, value.span(), &text[range]));
                }
            }
            DeValue::Array(items) => pending.extend(items.iter()),
            DeValue::Table(table) => pending.extend(table.values()),
            _ => {}
        }
    }
    found
}

/// Reports `command` (as found in the string value at `span`) at the command itself when the
/// file spells it out verbatim, else at the whole value.
fn report(file: &SourceFile, span: std::ops::Range<usize>, command: &str) -> Diagnostic {
    let at = file
        .text
        .get(span.clone())
        .and_then(|source| source.find(command))
        .map_or(span.clone(), |i| {
            span.start + i..span.start + i + command.len()
        });
    Diagnostic::error(
        format!(
            "`{}` is mdBook syntax, which no data text may hold",
            command.escape_debug()
        ),
        Location::Span(file.clone(), at),
    )
    .with_label("mdBook would run this as a command on the page")
    .with_help(
        "to show the braces, put a space between them (`{ {#`), \
         or in inline Markdown escape them (`\\{\\{#`)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(text: &str) -> Vec<String> {
        let file = SourceFile::new("data/x.toml", text);
        let document = DeTable::parse(text).unwrap();
        commands(&file, document.get_ref())
            .iter()
            .map(|d| match &d.location {
                Location::Span(_, span) => format!("{} @ {}", d.message, &text[span.clone()]),
                Location::Path(_) => d.message.clone(),
            })
            .collect()
    }

    #[test]
    fn finds_commands_in_every_string_however_deep() {
        let text = "title = \"{{#include /etc/passwd}}\"\n\
                    [takes]\nrust = \"a {{ #playground x}}\"\n\
                    [[sources]]\ntitle = \"{{\\u0023title x}}\"\n\
                    [[metrics]]\nvalues = { rust = 1 }\nnotes = [\"{{#rustdoc_include y}}\"]\n";
        let mut found = reported(text);
        found.sort();
        assert_eq!(
            found,
            [
                "`{{ #playground` is mdBook syntax, which no data text may hold @ {{ #playground",
                "`{{#include` is mdBook syntax, which no data text may hold @ {{#include",
                "`{{#rustdoc_include` is mdBook syntax, which no data text may hold @ {{#rustdoc_include",
                "`{{#title` is mdBook syntax, which no data text may hold @ \"{{\\u0023title x}}\"",
            ]
        );
    }

    #[test]
    fn other_braces_are_not_reported() {
        assert!(reported("title = \"{{ x }} and { {#y}}\"\n").is_empty());
    }
}
