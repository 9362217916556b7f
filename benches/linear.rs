//! Time per MB of input for the shapes of input that once grew faster than linearly (issue 21,
//! item 7), at 1, 4 and 16 MB: in linear time the figures stay flat as the size grows.
//!
//! - `value-line`: a chapter that is one line of `<<value ...>>` directives;
//! - `misplaced-line`: one line of block directives, each misplaced (the run fails);
//! - `table-copies`: one page holding the same table again and again;
//! - `compare-all`: `<<compare all>>` over two dimensions whose files hold the input, as
//!   thousands of sources each;
//! - `unknown-metric`: a chapter of `<<value>>` directives naming a metric that a benchmark of
//!   60,000 metrics lacks (the run fails).
//!
//! Each measurement runs the public `Compare` in process, in a child process of its own that
//! is stopped after a time limit (a shape over it is reported so, and not tried larger).
//!
//! `cargo bench --bench linear` (or `cargo bench --bench linear -- SHAPE`)

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};
use std::{env, fs};

use mdbook_compare::Compare;
use mdbook_driver::config::Config;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The input sizes, in MB.
const SIZES: [usize; 3] = [1, 4, 16];
/// How long one measurement may take.
const LIMIT: Duration = Duration::from_secs(120);
const MB: usize = 1_000_000;
/// The largest data file the dataset reads, less room for the file's head.
const DATA_FILE_BYTES: usize = 8 * 1024 * 1024 - 4096;
/// Metrics of the large benchmark of `unknown-metric`.
const METRICS: usize = 60_000;

const SHAPES: [&str; 5] = [
    "value-line",
    "misplaced-line",
    "table-copies",
    "compare-all",
    "unknown-metric",
];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [flag, shape, size] = args.as_slice()
        && flag == "--one"
    {
        let size: usize = size.parse().expect("a size in MB");
        let seconds = measure(shape, size * MB);
        println!("{seconds}");
        return ExitCode::SUCCESS;
    }
    let shapes: Vec<&str> = SHAPES
        .into_iter()
        .filter(|s| args.is_empty() || args.iter().any(|a| a == s))
        .collect();
    println!(
        "{:<16} {:>6} {:>10} {:>10}",
        "shape", "MB", "seconds", "s per MB"
    );
    for shape in shapes {
        for size in SIZES {
            match in_child(shape, size) {
                Some(seconds) => println!(
                    "{shape:<16} {size:>6} {seconds:>10.3} {:>10.3}",
                    seconds / size as f64
                ),
                None => {
                    println!(
                        "{shape:<16} {size:>6} {:>10} (over {} s: not tried larger)",
                        "-",
                        LIMIT.as_secs()
                    );
                    break;
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// Seconds for one measurement, run in a child process stopped after [`LIMIT`].
fn in_child(shape: &str, size: usize) -> Option<f64> {
    let exe = env::current_exe().expect("this benchmark");
    let mut child = Command::new(exe)
        .args(["--one", shape, &size.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("a child process");
    let started = Instant::now();
    while child.try_wait().expect("waiting").is_none() {
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("the child's output");
    assert!(output.status.success(), "{shape} at {size} MB failed");
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}

/// Seconds to preprocess the book of `shape` whose input is about `bytes` long.
fn measure(shape: &str, bytes: usize) -> f64 {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let chapter = write_book(root, shape, bytes);
    let config = Config::from_disk(root.join("book.toml")).expect("book.toml");
    let ctx = PreprocessorContext::new(root.to_path_buf(), config, "html".into());
    let book = Book::new_with_items(vec![BookItem::Chapter(Chapter::new(
        "Chapter",
        chapter,
        "chapter.md",
        Vec::new(),
    ))]);
    let started = Instant::now();
    let result = Compare::new().run(&ctx, book);
    let seconds = started.elapsed().as_secs_f64();
    let fails = matches!(shape, "misplaced-line" | "unknown-metric");
    match result {
        Ok(_) => assert!(!fails, "{shape}: the run should fail"),
        Err(err) => {
            assert!(fails, "{shape}: {err}");
            // What it failed of, for the record.
            let first = err.to_string();
            eprintln!("{shape}: {}", first.lines().next().unwrap_or_default());
        }
    }
    seconds
}

/// Writes the book of `shape` into `root` and returns its chapter.
fn write_book(root: &Path, shape: &str, bytes: usize) -> String {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal");
    fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Linear\"\nsrc = \"src\"\n\n[preprocessor.compare]\ncommand = \"mdbook-compare\"\nstale-after-months = 1200\n",
    )
    .expect("book.toml");
    let data = root.join("data");
    for folder in ["src", "data/dimensions", "data/benchmarks"] {
        fs::create_dir_all(root.join(folder)).expect("a folder");
    }
    for file in ["languages.toml", "categories.toml", "quick-takes.toml"] {
        copy(&example.join("data").join(file), &data.join(file));
    }
    copy(
        &example.join("data/dimensions/typing.toml"),
        &data.join("dimensions/typing.toml"),
    );
    let metrics = if shape == "unknown-metric" {
        METRICS
    } else {
        1
    };
    fs::write(data.join("benchmarks/speed.toml"), benchmark(metrics)).expect("benchmark");
    match shape {
        "value-line" => format!(
            "<<benchmark speed>>\n\n{}",
            line_of("<<value speed m0 python>> ", bytes)
        ),
        "misplaced-line" => line_of("<<compare typing>> ", bytes),
        "table-copies" => line_of("<<compare typing>>\n\n", bytes),
        "compare-all" => {
            let each = (bytes / 2).min(DATA_FILE_BYTES);
            for name in ["big-a", "big-b"] {
                fs::write(
                    data.join(format!("dimensions/{name}.toml")),
                    dimension(name, each),
                )
                .expect("dimension");
            }
            "<<compare all>>\n".to_string()
        }
        "unknown-metric" => format!(
            "<<benchmark speed>>\n\n{}",
            line_of("<<value speed no-such-metric python>>\n\n", bytes)
        ),
        other => panic!("no shape {other}; the shapes: {SHAPES:?}"),
    }
}

fn copy(from: &Path, to: &PathBuf) {
    fs::copy(from, to).unwrap_or_else(|err| panic!("{}: {err}", from.display()));
}

/// `piece` repeated to about `bytes`.
fn line_of(piece: &str, bytes: usize) -> String {
    piece.repeat(bytes.div_ceil(piece.len()))
}

/// A benchmark of Python and Ruby with `metrics` metrics `m0`, `m1`...
fn benchmark(metrics: usize) -> String {
    let mut out = String::from(
        "title = \"Speed\"\ndescription = \"A benchmark for the linear-time bench.\"\n\
         provenance = \"published\"\nenvironment = \"None: the figures are made up.\"\n\
         as_of = \"2026-01-01\"\n\n[setup]\npython = \"CPython\"\nruby = \"CRuby\"\n\n\
         [[sources]]\ntitle = \"A source\"\nurl = \"https://example.org/speed\"\n",
    );
    for m in 0..metrics {
        let _ = write!(
            out,
            "\n[[metrics]]\nid = \"m{m}\"\nname = \"M{m}\"\nunit = \"ms\"\ndirection = \"lower\"\n\
             note = \"n\"\nvalues = {{ python = 1.5, ruby = 2.5 }}\n"
        );
    }
    out
}

/// A dimension named `id` whose file is about `bytes` long, most of it sources.
fn dimension(id: &str, bytes: usize) -> String {
    let mut out = format!(
        "title = \"Dimension {id}\"\ncategory = \"language\"\nedge = \"depends\"\n\
         verdict = \"It depends.\"\nas_of = \"2026-01-01\"\n\n[takes]\npython = \"Python's take.\"\n\
         ruby = \"Ruby's take.\"\n\n[summary]\npython = \"Python\"\nruby = \"Ruby\"\n"
    );
    let mut n = 0;
    while out.len() < bytes.saturating_sub(100) {
        let _ = write!(
            out,
            "\n[[sources]]\ntitle = \"Source {n} of {id}\"\nurl = \"https://example.org/{id}/{n}\"\n"
        );
        n += 1;
    }
    out
}
