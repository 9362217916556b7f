//! The file commands of mdBook's `links` preprocessor in a text, found as mdBook 0.5 finds
//! them: its pattern is an escaped `\{{#...}}` (up to the last `}}` of the line), or `{{`, any
//! whitespace, `#` and a name, whitespace, then anything but `}` up to `}}`. The first word
//! after the name is the path, read up to the first `:` for `include` and `rustdoc_include`.
//! Matches do not overlap, and the search runs in time linear in the text.

use std::ops::Range;

/// The commands that read a file.
const FILE_COMMANDS: [&str; 4] = ["include", "rustdoc_include", "playground", "playpen"];

/// One command that reads a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileCommand<'t> {
    /// Its name, e.g. `include`.
    pub(crate) name: &'t str,
    /// The path of the file it reads, as written.
    pub(crate) path: &'t str,
    /// Where the path is in the text.
    pub(crate) span: Range<usize>,
}

/// Every command of `text` that mdBook would expand by reading a file.
pub(crate) fn file_commands(text: &str) -> Vec<FileCommand<'_>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    // The first `}` at or after a position, and the last `}}` of a line: both only move
    // forward, which keeps the search linear.
    let mut brace = Cache::default();
    let mut line_close: Option<(usize, Option<usize>)> = None;
    while let Some(at) = memchr::memmem::find(&bytes[from..], b"{{").map(|i| from + i) {
        // An escaped command starts one byte earlier, so it is the leftmost match.
        if at > from && bytes[at - 1] == b'\\' && bytes.get(at + 2) == Some(&b'#') {
            // `at` only grows: before the end of the line last looked at, it is on that line.
            let last = match line_close {
                Some((end, last)) if at < end => last,
                _ => {
                    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
                    let last = memchr::memmem::rfind(&bytes[at..end], b"}}").map(|i| at + i);
                    line_close = Some((end, last));
                    last
                }
            };
            if let Some(close) = last.filter(|close| *close >= at + 3) {
                from = close + 2;
                continue;
            }
        }
        match command_at(text, at, &mut brace) {
            Some((end, command)) => {
                found.extend(command);
                from = end;
            }
            None => from = at + 1,
        }
    }
    found
}

/// The command starting with the `{{` at `at`: where it ends, and the command when it reads a
/// file; `None` when no command starts there.
fn command_at<'t>(
    text: &'t str,
    at: usize,
    brace: &mut Cache,
) -> Option<(usize, Option<FileCommand<'t>>)> {
    let after = &text[at + 2..];
    let name_start = at + 2 + (after.len() - after.trim_start().len());
    let rest = text[name_start..].strip_prefix('#')?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if name_len == 0 {
        return None;
    }
    let name = &rest[..name_len];
    let space_start = name_start + 1 + name_len;
    let spaces = &text[space_start..];
    let space_end = space_start + (spaces.len() - spaces.trim_start().len());
    let space_chars = text[space_start..space_end].chars().count();
    if space_chars == 0 {
        return None;
    }
    let close = brace.next(text.as_bytes(), space_end);
    // `[^}]+` needs one byte: when none follows the whitespace, it takes the last space.
    if (close == space_end && space_chars < 2) || text.as_bytes().get(close + 1) != Some(&b'}') {
        return None;
    }
    let end = close + 2;
    if !FILE_COMMANDS.contains(&name) {
        return Some((end, None));
    }
    let argument = &text[space_end..close];
    let word_len = argument.find(char::is_whitespace).unwrap_or(argument.len());
    if word_len == 0 {
        return Some((end, None));
    }
    let word = &argument[..word_len];
    let path = match name {
        "include" | "rustdoc_include" => word.split(':').next().unwrap_or(word),
        _ => word,
    };
    Some((
        end,
        Some(FileCommand {
            name,
            path,
            span: space_end..space_end + path.len(),
        }),
    ))
}

/// The first `}` at or after a position that only grows.
#[derive(Default)]
struct Cache {
    /// The last answer and the position it was asked for.
    last: Option<(usize, usize)>,
}

impl Cache {
    fn next(&mut self, bytes: &[u8], from: usize) -> usize {
        if let Some((asked, found)) = self.last
            && asked <= from
            && from <= found
        {
            return found;
        }
        let found = memchr::memchr(b'}', &bytes[from..]).map_or(bytes.len(), |i| from + i);
        self.last = Some((from, found));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<(&str, &str)> {
        file_commands(text)
            .into_iter()
            .map(|c| {
                assert_eq!(&text[c.span.clone()], c.path);
                (c.name, c.path)
            })
            .collect()
    }

    #[test]
    fn finds_the_paths_mdbook_reads() {
        assert_eq!(
            paths("a {{#include /etc/passwd}} b"),
            [("include", "/etc/passwd")]
        );
        assert_eq!(
            paths("{{ \t#include  ../x.rs:2:5 }}"),
            [("include", "../x.rs")]
        );
        assert_eq!(
            paths("{{#rustdoc_include f.rs:anchor}}{{#playground p.rs editable}}"),
            [("rustdoc_include", "f.rs"), ("playground", "p.rs")]
        );
        assert_eq!(paths("{{#playpen a:b}}"), [("playpen", "a:b")]);
        assert_eq!(paths("{{#include\nmulti\nline}}"), [("include", "multi")]);
        assert_eq!(paths("{{{#include x}}"), [("include", "x")]);
    }

    #[test]
    fn skips_what_mdbook_does_not_expand() {
        for text in [
            "\\{{#include /etc/passwd}}",
            "\\{{#title x}} {{#include /etc/passwd}}",
            "{{#include}}",
            "{{#include }}",
            "{{#include x}",
            "{{#include x} }}",
            "{{#title /etc/passwd}}",
            "{{#unknown x}} ",
            "{{ include x}}",
        ] {
            assert_eq!(paths(text), [], "{text}");
        }
        // Two spaces give `[^}]+` the last one: a match with no path.
        assert_eq!(paths("{{#include  }}"), []);
        // An escape without a closing `}}` on its line is no match: the `{{` after it is read.
        assert_eq!(paths("\\{{#include x\n}}"), [("include", "x")]);
    }

    #[test]
    fn many_unclosed_commands_take_linear_time() {
        let text = "{{#include x ".repeat(200_000);
        let started = std::time::Instant::now();
        assert_eq!(paths(&text), []);
        let text = format!("{}\n", "\\{{#a ".repeat(200_000));
        assert_eq!(paths(&text), []);
        assert!(started.elapsed().as_secs() < 5);
    }
}
