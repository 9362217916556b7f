//! Criterion benchmarks of the preprocessor's cost in process, on the synthetic book with and
//! without directives: the run alone (JSON excluded), next to copying the book, which is what
//! an identity preprocessor does besides the JSON. `benches/floor.sh` measures the whole
//! command against the identity, and at several sizes.
//!
//! `cargo bench --bench preprocess`

mod synth;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mdbook_compare::Compare;
use mdbook_preprocessor::Preprocessor;

/// The synthetic book of scale 1 with or without directives, written once under target/: the
/// preprocessor input mdBook would send.
fn book(name: &str, with_directives: bool) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-books")
        .join(name);
    let spec = synth::Spec::scaled(1, with_directives);
    synth::write_book(&dir, &spec).expect("writing the synthetic book")
}

fn full_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("preprocess");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (name, with_directives) in [("synthetic-1x", true), ("plain-1x", false)] {
        let input = std::fs::read(book(name, with_directives)).expect("the preprocessor input");
        let (ctx, book) = mdbook_compare::parse_input(input.as_slice()).expect("the input");
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(format!("{name}/copy"), |b| {
            b.iter_batched(|| book.clone(), drop, BatchSize::LargeInput)
        });
        group.bench_function(format!("{name}/compare"), |b| {
            b.iter_batched(
                || book.clone(),
                |book| {
                    Compare::new()
                        .run(&ctx, book)
                        .expect("the synthetic book expands")
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, full_run);
criterion_main!(benches);
