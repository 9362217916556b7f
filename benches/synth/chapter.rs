//! The Markdown of one synthetic chapter: prose, headings, lists, tables and Rust code blocks
//! with `<<` where it is no directive (`Vec<Vec<T>>`, `1 << 3`, `<<=`, directives in code), and
//! directives alone on their lines, spread evenly.

use std::fmt::Write as _;

use super::data::Ids;
use super::rng::Rng;
use super::text::prose;

/// Lines of Rust code with `<<` that must stay as written; the last two name directives.
const CODE: [&str; 10] = [
    "let mask: u32 = 1 << bits;",
    "flags <<= 1;",
    "let grid: Vec<Vec<T>> = Vec::new();",
    "fn parse(input: &str) -> Result<Vec<Vec<u8>>, Error> {",
    "    let mixed = value << 3 | value >> 5;",
    "}",
    "let index: HashMap<String, Vec<Vec<i64>>> = HashMap::new();",
    "println!(\"{}\", 1u64 << 40);",
    "let text = \"<<benchmark benchmark-01>>\";",
    "    // <<compare dimension-001>> in a comment stays as written",
];

/// How many distinct multi-dimension matrices the book uses (real books repeat theirs).
const MATRICES: usize = 40;

/// Where a chapter stands in its book.
pub(crate) struct Place<'a> {
    /// The chapter's number.
    pub(crate) index: usize,
    /// The chapter's size in bytes, roughly.
    pub(crate) bytes: usize,
    /// Directives to expand in the chapter.
    pub(crate) directives: usize,
    /// Whether directive names may appear at all (in code, code spans and escapes): a book
    /// without directives has none, so that its chapters cost only a byte scan.
    pub(crate) names: bool,
    /// What directives can name.
    pub(crate) ids: &'a Ids,
}

/// The chapter's Markdown; the first chapter of a book with directives also compares all
/// dimensions.
pub(crate) fn chapter(place: &Place<'_>, rng: &mut Rng) -> String {
    let Place {
        index,
        bytes,
        directives,
        names,
        ids,
    } = *place;
    let mut out = String::with_capacity(bytes + 4096);
    let _ = write!(out, "# Chapter {index}\n\n");
    if index == 0 && directives > 0 {
        out.push_str("<<compare all>>\n\n");
    }
    let segment = bytes / (directives + 1);
    for n in 0..=directives {
        let end = out.len() + segment;
        while out.len() < end {
            block(&mut out, names, rng);
        }
        if n < directives {
            directive_line(&mut out, ids, rng);
        }
    }
    out
}

/// One block of ordinary content; `names` allows directive names in code and escapes.
fn block(out: &mut String, names: bool, rng: &mut Rng) {
    let code = if names { &CODE[..] } else { &CODE[..8] };
    match rng.below(10) {
        0 => {
            let _ = write!(out, "## Section {}\n\n", rng.below(1000));
        }
        1..=4 => {
            let len = 300 + rng.below(400);
            let _ = write!(out, "{}\n\n", prose(rng, len, true));
        }
        5 | 6 => {
            out.push_str("```rust\n");
            for _ in 0..8 + rng.below(12) {
                let line = *rng.pick(code);
                out.push_str(line);
                out.push('\n');
            }
            out.push_str("```\n\n");
        }
        7 => {
            for _ in 0..3 {
                let _ = writeln!(out, "- {}", prose(rng, 60, true));
            }
            out.push('\n');
        }
        8 => {
            out.push_str(
                "| Expression | Value |\n|---|---|\n| `1 << 3` | 8 |\n| 1 << 4 | 16 |\n\n",
            );
            let _ = write!(out, "> {}\n\n", prose(rng, 120, true));
        }
        _ if names => verbatim_directive(out, rng),
        _ => out.push_str("Plain text stays as it is.\n\n"),
    }
}

/// A directive that must not expand: in a fenced block, in a code span, or escaped.
fn verbatim_directive(out: &mut String, rng: &mut Rng) {
    match rng.below(3) {
        0 => out.push_str("```text\n<<compare dimension-002>>\n<<quick-takes>>\n```\n\n"),
        1 => out
            .push_str("Write `<<compare ID>>` on a line of its own to compare one dimension.\n\n"),
        _ => out.push_str("To show it literally, write \\<<benchmark ID>> with a backslash.\n\n"),
    }
}

/// A directive alone on its line, sometimes in a list item or a blockquote.
fn directive_line(out: &mut String, ids: &Ids, rng: &mut Rng) {
    let prefix = match rng.below(10) {
        0 => "- ",
        1 => "> ",
        _ => "",
    };
    let _ = write!(out, "{prefix}<<");
    match rng.below(100) {
        0..60 => {
            let _ = write!(out, "compare {}", rng.pick(&ids.dimensions));
        }
        60..72 => {
            out.push_str("compare");
            let k = rng.below(MATRICES);
            for offset in [0, 50, 100] {
                let _ = write!(
                    out,
                    " {}",
                    ids.dimensions[(k * 5 + offset) % ids.dimensions.len()]
                );
            }
        }
        72..90 => {
            let _ = write!(out, "benchmark {}", rng.pick(&ids.benchmarks));
        }
        90..95 => {
            let _ = write!(out, "compare category={}", rng.pick(&ids.categories));
        }
        _ => out.push_str("quick-takes"),
    }
    out.push_str(">>\n\n");
}
