//! Criterion benchmarks of the preprocessor's cost: the directive scanner on ordinary and
//! adversarial text (256 KB, 1 MB, 4 MB: time must grow linearly), a full run on the synthetic
//! book with and without directives, and loading the synthetic dataset.
//!
//! `cargo bench --bench preprocess` (add `-- scan/` to run only the scanner's groups).

mod synth;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mdbook_compare::dataset::{self, Date, LintOptions};
use mdbook_compare::diagnostic::Diagnostics;
use mdbook_markdown::MarkdownOptions;

const SIZES: [usize; 3] = [256 << 10, 1 << 20, 4 << 20];

/// The synthetic book of `scale` with or without directives, written once under target/.
fn book(name: &str, with_directives: bool) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-books")
        .join(name);
    let spec = synth::Spec::scaled(1, with_directives);
    synth::write_book(&dir, &spec).expect("writing the synthetic book")
}

/// `len` bytes of `unit` repeated (cut at a character boundary).
fn repeated(unit: &str, len: usize) -> String {
    let mut text = unit.repeat(len / unit.len() + 1);
    text.truncate(len);
    text
}

/// At least `len` bytes of the chapters of the book without directives.
fn plain_markdown(book_dir: &Path, len: usize) -> String {
    let mut text = String::with_capacity(len);
    for index in 0.. {
        let path = book_dir.join(format!("src/chapter-{index:05}.md"));
        text.push_str(&std::fs::read_to_string(path).expect("a chapter of the synthetic book"));
        if text.len() >= len {
            break;
        }
    }
    text
}

/// The scanner's inputs: ordinary Markdown, then adversarial runs of brackets.
const SCAN_CASES: [&str; 4] = ["no-directives", "angle-runs", "unclosed", "nested"];

/// About `len` bytes of the scanner input `case`.
fn scan_text(case: &str, len: usize, plain_book: &Path) -> String {
    match case {
        "no-directives" => plain_markdown(plain_book, len),
        "angle-runs" => repeated("<<<<", len),
        "unclosed" => repeated("<<compare ", len),
        _ => repeated(
            "<<compare <<benchmark <<quick-takes <<compare x>> y>> z>> w>>\n",
            len,
        ),
    }
}

fn scanner(c: &mut Criterion) {
    let input = book("plain-1x", false);
    let plain_book = input.parent().expect("the book folder");
    let options = MarkdownOptions::default();
    for case in SCAN_CASES {
        let mut group = c.benchmark_group(format!("scan/{case}"));
        group.sample_size(20);
        for size in SIZES {
            let text = scan_text(case, size, plain_book);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::from_parameter(size >> 10), &text, |b, text| {
                b.iter(|| mdbook_compare::scan::scan(black_box(text), &options))
            });
        }
        group.finish();
    }
}

fn full_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("preprocess");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (name, with_directives) in [("synthetic-1x", true), ("plain-1x", false)] {
        let input = std::fs::read(book(name, with_directives)).expect("the preprocessor input");
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(name, |b| {
            b.iter_batched(
                || input.clone(),
                |input| {
                    let diagnostics = mdbook_compare::preprocess(input, &mut std::io::sink());
                    assert!(!diagnostics.fail(), "{}", diagnostics.render(false));
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn dataset_load(c: &mut Criterion) {
    let data = book("synthetic-1x", true).with_file_name("data");
    let options = LintOptions {
        stale_after_months: 1200,
        today: Date::today(),
    };
    c.bench_function("dataset/load", |b| {
        b.iter(|| {
            let mut diagnostics = Diagnostics::default();
            let loaded = dataset::load(&data, "data", &options, &mut diagnostics);
            assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
            loaded
        })
    });
}

criterion_group!(benches, scanner, full_run, dataset_load);
criterion_main!(benches);
