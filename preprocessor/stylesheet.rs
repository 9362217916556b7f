//! The stylesheet this binary carries for its tables and charts, and the header line that
//! `install` writes above a copy of it: the version and checksum by which a build warns that a
//! book's copy is another version's.

use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::{Component, Path};

use mdbook_preprocessor::config::Config as BookConfig;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};

/// The stylesheet for the tables and charts, as this binary was built with it.
pub(crate) const STYLESHEET: &str = include_str!("../theme/compare.css");
/// This binary's version, written into the stylesheet's first line.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");
/// How an installed stylesheet's first line starts, before the version.
pub(crate) const MARK: &str = "/* mdbook-compare ";
/// What follows the version in that line, before the checksum.
pub(crate) const CHECKSUM_MARK: &str = ", stylesheet fnv1a64:";
/// How much of a listed stylesheet the build reads to find its first line.
const MAX_HEADER_BYTES: u64 = 512;
/// A listed stylesheet larger than this is not read.
const MAX_BYTES: u64 = 1 << 20;

/// The stylesheet as `install` writes it: the header line, then this binary's stylesheet.
pub(crate) fn installed() -> String {
    format!(
        "{MARK}{VERSION}{CHECKSUM_MARK}{:016x}. Written by `mdbook-compare install`, which \
         updates it: put rules of your own in a stylesheet of your own. */\n{STYLESHEET}",
        checksum(STYLESHEET)
    )
}

/// What an installed stylesheet's first line records.
pub(crate) struct Header {
    /// Where the version of mdbook-compare that wrote it is in the line.
    pub(crate) version: Range<usize>,
    /// The checksum of the stylesheet written below it.
    pub(crate) checksum: u64,
}

impl Header {
    /// Reads the first line of a stylesheet `install` wrote; `None` for any other line.
    pub(crate) fn parse(line: &str) -> Option<Header> {
        let rest = line.strip_prefix(MARK)?;
        let length = rest.find(CHECKSUM_MARK)?;
        let hex = rest[length + CHECKSUM_MARK.len()..].get(..16)?;
        // A version is plain text (`0.1.0`, `1.0.0-rc.1+local`): nothing else reaches a message.
        let plain = |b: u8| b.is_ascii_alphanumeric() || b".-+".contains(&b);
        if length == 0
            || !rest[..length].bytes().all(plain)
            || !hex.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return None;
        }
        Some(Header {
            version: MARK.len()..MARK.len() + length,
            checksum: u64::from_str_radix(hex, 16).ok()?,
        })
    }
}

/// The 64-bit FNV-1a hash of `text`, carriage returns left out (so that a checkout that turned
/// line ends into CRLF still matches). Stable across Rust releases, unlike `std`'s hasher.
pub(crate) fn checksum(text: &str) -> u64 {
    text.bytes()
        .filter(|b| *b != b'\r')
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// Warnings for each stylesheet in `[output.html] additional-css` of the book at `root` that
/// `mdbook-compare install` wrote for another version of mdbook-compare than this one, or with
/// another stylesheet than this binary's: the tables would be drawn by rules written for other
/// markup. Each warning points at the version in the stylesheet's first line and gives the
/// command that updates it. Only regular files inside the book are read, and only their first
/// line; entries that are not such files are left to mdBook.
pub(crate) fn stale(root: &Path, book: &BookConfig) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let Some(html) = book.html_config() else {
        return diagnostics;
    };
    let current = checksum(STYLESHEET);
    for entry in &html.additional_css {
        let Some(line) = first_line(root, entry) else {
            continue;
        };
        let Some(header) = Header::parse(&line) else {
            continue;
        };
        let version = &line[header.version.clone()];
        let message = if version != VERSION {
            format!(
                "this stylesheet is mdbook-compare {version}'s, but the book is built by \
                 mdbook-compare {VERSION}"
            )
        } else if header.checksum != current {
            format!("this stylesheet is not the one this mdbook-compare {VERSION} was built with")
        } else {
            continue;
        };
        let file = SourceFile::new(entry.display().to_string(), line.as_str());
        diagnostics.push(
            Diagnostic::warning(message, Location::Span(file, header.version))
                .with_label("written by `mdbook-compare install` of this version")
                .with_note("the tables and charts may be drawn with rules that do not fit them")
                .with_help(
                    "update it: run `mdbook-compare install` in the book's folder (where \
                     book.toml is)",
                ),
        );
    }
    diagnostics
}

/// The first line of the file `relative` names in the book at `root`, if it is a regular file
/// of at most [`MAX_BYTES`] whose real location (symbolic links resolved) is inside the book.
/// At most [`MAX_HEADER_BYTES`] are read.
pub(crate) fn first_line(root: &Path, relative: &Path) -> Option<String> {
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    let real = root.join(relative).canonicalize().ok()?;
    if !real.starts_with(root.canonicalize().ok()?) {
        return None;
    }
    let file = File::open(&real).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    let mut head = Vec::new();
    file.take(MAX_HEADER_BYTES).read_to_end(&mut head).ok()?;
    let head = String::from_utf8_lossy(&head);
    head.lines().next().map(str::to_string)
}

/// A stylesheet as `install` of `version` would have written `body`, for tests.
#[cfg(test)]
pub(crate) fn stylesheet_of(version: &str, body: &str) -> String {
    format!(
        "{MARK}{version}{CHECKSUM_MARK}{:016x}. Written by `mdbook-compare install`. */\n{body}",
        checksum(body)
    )
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn book() -> tempfile::TempDir {
        tempfile::tempdir().expect("temporary folder")
    }

    fn config(toml: &str) -> BookConfig {
        toml.parse().expect("a valid book.toml")
    }

    #[test]
    fn header_records_version_and_checksum() {
        let css = installed();
        let (first, body) = css.split_once('\n').expect("header");
        let header = Header::parse(first).expect("parses");
        assert_eq!(&first[header.version], VERSION);
        assert_eq!(header.checksum, checksum(body));
        assert!(Header::parse("/* mdbook-compare output. */").is_none());
        let escape = "/* mdbook-compare \u{1b}[2J, stylesheet fnv1a64:0123456789abcdef */";
        assert!(
            Header::parse(escape).is_none(),
            "no terminal escapes in a warning"
        );
        assert!(
            Header::parse("/* mdbook-compare , stylesheet fnv1a64:0123456789abcdef */").is_none()
        );
        assert_eq!(checksum("a\r\nb"), checksum("a\nb"));
    }

    #[test]
    fn the_build_warns_about_another_versions_stylesheet() {
        let dir = book();
        fs::write(
            dir.path().join("old.css"),
            stylesheet_of("0.0.1", ".old {}\n"),
        )
        .expect("old");
        fs::write(dir.path().join("new.css"), installed()).expect("new");
        let toml = "[output.html]\nadditional-css = [\"old.css\", \"new.css\", \"missing.css\"]\n";
        let warnings = stale(dir.path(), &config(toml));
        let all: Vec<&Diagnostic> = warnings.iter().collect();
        assert_eq!(all.len(), 1, "{}", warnings.render(false));
        let warning = all[0];
        assert_eq!(warning.severity, crate::diagnostic::Severity::Warning);
        assert_eq!(warning.position(), "old.css:1:19");
        assert!(
            warning.message.contains("mdbook-compare 0.0.1's"),
            "{warning}"
        );
        assert!(warning.message.contains(VERSION), "{warning}");
        let rendered = warning.render(false);
        assert!(
            rendered.contains("run `mdbook-compare install`"),
            "{rendered}"
        );
    }

    #[test]
    fn the_build_warns_about_another_stylesheet_of_the_same_version() {
        let dir = book();
        fs::write(
            dir.path().join("a.css"),
            stylesheet_of(VERSION, ".other {}\n"),
        )
        .expect("css");
        let warnings = stale(
            dir.path(),
            &config("[output.html]\nadditional-css = [\"a.css\"]\n"),
        );
        let all: Vec<&Diagnostic> = warnings.iter().collect();
        assert_eq!(all.len(), 1, "{}", warnings.render(false));
        assert!(all[0].message.contains("not the one"), "{}", all[0]);
    }

    #[test]
    fn the_build_reads_only_files_inside_the_book() {
        let outside = tempfile::tempdir().expect("outside folder");
        let old = stylesheet_of("0.0.1", ".old {}\n");
        fs::write(outside.path().join("old.css"), &old).expect("outside css");
        let root = outside.path().join("book");
        fs::create_dir(&root).expect("book folder");
        fs::write(root.join("plain.css"), "body {}\n").expect("plain css");
        fs::write(
            root.join("big.css"),
            format!("{old}{}", " ".repeat(MAX_BYTES as usize)),
        )
        .expect("big");
        let mut entries = vec![
            "../old.css".to_string(),
            "plain.css".into(),
            "big.css".into(),
        ];
        entries.push(outside.path().join("old.css").display().to_string());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path().join("old.css"), root.join("link.css"))
                .expect("link");
            entries.push("link.css".into());
        }
        let list: Vec<String> = entries.iter().map(|e| format!("{e:?}")).collect();
        let toml = format!("[output.html]\nadditional-css = [{}]\n", list.join(", "));
        let warnings = stale(&root, &config(&toml));
        assert!(warnings.is_empty(), "{}", warnings.render(false));
        assert!(stale(&root, &config("[book]\n")).is_empty());
    }
}
