//! The preprocessor's cost in process, on the synthetic book with and without directives: the
//! run alone (JSON excluded), next to copying the book, which is what an identity preprocessor
//! does besides the JSON. `benches/floor.sh` measures the whole command against the identity
//! (and fails when it takes over 2x the identity on the book without directives), and at
//! several sizes.
//!
//! A plain timing loop: the figures are medians of a few runs seconds long each, for which
//! criterion's statistics add nothing but its 22 packages.
//!
//! `cargo bench --bench preprocess` (environment: RUNS, default 10)

mod synth;

use std::path::{Path, PathBuf};
use std::time::Instant;

use mdbook_compare::Compare;
use mdbook_preprocessor::Preprocessor;
use mdbook_preprocessor::book::Book;

/// The synthetic book of scale 1 with or without directives, written once under target/: the
/// preprocessor input mdBook would send.
fn book(name: &str, with_directives: bool) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-books")
        .join(name);
    let spec = synth::Spec::scaled(1, with_directives);
    synth::write_book(&dir, &spec).expect("writing the synthetic book")
}

/// The median seconds of `runs` calls of `step`, each given a fresh copy of `book` (made before
/// the clock starts) and dropping what it makes.
fn median(runs: usize, book: &Book, mut step: impl FnMut(Book)) -> f64 {
    let mut seconds: Vec<f64> = (0..runs)
        .map(|_| {
            let book = book.clone();
            let started = Instant::now();
            step(book);
            started.elapsed().as_secs_f64()
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    seconds[seconds.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(10)
        .max(1);
    println!(
        "{:<14} {:>8} {:>12} {:>12} {:>7}",
        "book", "MB", "copy s", "compare s", "ratio"
    );
    for (name, with_directives) in [("synthetic-1x", true), ("plain-1x", false)] {
        let input = std::fs::read(book(name, with_directives)).expect("the preprocessor input");
        let (ctx, book) = mdbook_compare::parse_input(input.as_slice()).expect("the input");
        let copy = median(runs, &book, |book| drop(std::hint::black_box(book.clone())));
        let compare = median(runs, &book, |book| {
            drop(
                Compare::new()
                    .run(&ctx, book)
                    .expect("the synthetic book expands"),
            );
        });
        println!(
            "{name:<14} {:>8.1} {copy:>12.4} {compare:>12.4} {:>7.1}",
            input.len() as f64 / 1e6,
            compare / copy
        );
    }
}
