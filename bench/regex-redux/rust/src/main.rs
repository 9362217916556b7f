//! The Benchmarks Game's regex-redux, sequential, with the `regex` crate: reads a FASTA file from
//! standard input, strips its headers and line breaks, counts the matches of nine patterns, applies
//! five substitutions in turn, and prints the counts and three lengths (the input's, the stripped
//! sequence's, and the substituted one's).

use std::io::{self, Read};

use regex::{NoExpand, Regex};

/// DNA 8-mers and their reverse complements, with a wildcard in one position.
const VARIANTS: [&str; 9] = [
    "agggtaaa|tttaccct",
    "[cgt]gggtaaa|tttaccc[acg]",
    "a[act]ggtaaa|tttacc[agt]t",
    "ag[act]gtaaa|tttac[agt]ct",
    "agg[act]taaa|ttta[agt]cct",
    "aggg[acg]aaa|ttt[cgt]ccct",
    "agggt[cgt]aa|tt[acg]accct",
    "agggta[cgt]a|t[acg]taccct",
    "agggtaa[cgt]|[acg]ttaccct",
];

/// The substitutions, applied one after the other.
const SUBSTITUTIONS: [(&str, &str); 5] = [
    ("tHa[Nt]", "<4>"),
    ("aND|caN|Ha[DS]|WaS", "<3>"),
    ("a[NSt]|BY", "<2>"),
    ("<[^>]*>", "|"),
    ("\\|[^|][^|]*\\|", "-"),
];

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|err| panic!("pattern {pattern:?}: {err}"))
}

fn main() -> io::Result<()> {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input)?;
    let sequence = regex(">.*\n|\n")
        .replace_all(&input, NoExpand(""))
        .into_owned();
    for pattern in VARIANTS {
        println!("{pattern} {}", regex(pattern).find_iter(&sequence).count());
    }
    let mut substituted = sequence.clone();
    for (pattern, replacement) in SUBSTITUTIONS {
        substituted = regex(pattern)
            .replace_all(&substituted, NoExpand(replacement))
            .into_owned();
    }
    println!(
        "\n{}\n{}\n{}",
        input.len(),
        sequence.len(),
        substituted.len()
    );
    Ok(())
}
