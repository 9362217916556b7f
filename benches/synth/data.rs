//! The dataset of a synthetic book, sized like a large real one: 10 languages, 8 categories,
//! 200 dimensions, 50 benchmarks of 4 metrics and 20 quick takes, all valid.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use super::rng::Rng;
use super::text::prose;

/// Language ids and names, in column order.
const LANGUAGES: [(&str, &str); 10] = [
    ("rust", "Rust"),
    ("go", "Go"),
    ("zig", "Zig"),
    ("c", "C"),
    ("cpp", "C++"),
    ("java", "Java"),
    ("kotlin", "Kotlin"),
    ("swift", "Swift"),
    ("python", "Python"),
    ("ocaml", "OCaml"),
];
const CATEGORIES: usize = 8;
const DIMENSIONS: usize = 200;
const BENCHMARKS: usize = 50;
const METRICS: usize = 4;
const QUICK_TAKES: usize = 20;
/// Old enough to be in the past on any clock; the book sets a generous staleness limit.
const AS_OF: &str = "2020-01-01";

/// The ids that directives can name.
pub(crate) struct Ids {
    /// Dimension ids.
    pub(crate) dimensions: Vec<String>,
    /// Benchmark ids.
    pub(crate) benchmarks: Vec<String>,
    /// Category ids.
    pub(crate) categories: Vec<String>,
}

/// Writes the dataset into `data` (created) and returns its ids.
pub(crate) fn write(data: &Path, rng: &mut Rng) -> io::Result<Ids> {
    fs::create_dir_all(data.join("dimensions"))?;
    fs::create_dir_all(data.join("benchmarks"))?;
    let ids = Ids {
        dimensions: (0..DIMENSIONS)
            .map(|i| format!("dimension-{i:03}"))
            .collect(),
        benchmarks: (0..BENCHMARKS)
            .map(|i| format!("benchmark-{i:02}"))
            .collect(),
        categories: (0..CATEGORIES).map(|i| format!("category-{i}")).collect(),
    };
    fs::write(data.join("languages.toml"), languages())?;
    fs::write(data.join("categories.toml"), categories(&ids, rng))?;
    fs::write(data.join("quick-takes.toml"), quick_takes(rng))?;
    for (i, id) in ids.dimensions.iter().enumerate() {
        let category = &ids.categories[i % CATEGORIES];
        let path = data.join("dimensions").join(format!("{id}.toml"));
        fs::write(path, dimension(i, category, rng))?;
    }
    for (i, id) in ids.benchmarks.iter().enumerate() {
        let path = data.join("benchmarks").join(format!("{id}.toml"));
        fs::write(path, benchmark(i, rng))?;
    }
    Ok(ids)
}

fn languages() -> String {
    let mut out = String::from("#:schema ../schemas/languages.json\n");
    for (id, name) in LANGUAGES {
        let _ = write!(
            out,
            "\n[[language]]\nid = \"{id}\"\nname = \"{name}\"\ntagline = \"{name}, one of the compared languages\"\nhomepage = \"https://example.org/{id}\"\n"
        );
    }
    out
}

fn categories(ids: &Ids, rng: &mut Rng) -> String {
    let mut out = String::from("#:schema ../schemas/categories.json\n");
    for (i, id) in ids.categories.iter().enumerate() {
        let _ = write!(
            out,
            "\n[[category]]\nid = \"{id}\"\nname = \"Category {i}\"\ndescription = \"{}\"\n",
            prose(rng, 60, false)
        );
    }
    out
}

/// A verdict: one of the languages, or `depends`.
fn edge(rng: &mut Rng) -> &'static str {
    match rng.below(LANGUAGES.len() + 1) {
        i if i < LANGUAGES.len() => LANGUAGES[i].0,
        _ => "depends",
    }
}

fn sources(out: &mut String, table: &str, rng: &mut Rng) {
    for n in 0..2 {
        let _ = write!(
            out,
            "\n[[{table}]]\ntitle = \"{}\"\nurl = \"https://example.org/source/{}/{n}\"\n",
            prose(rng, 30, false),
            rng.below(10_000)
        );
    }
}

fn dimension(i: usize, category: &str, rng: &mut Rng) -> String {
    let mut out = format!(
        "#:schema ../schemas/dimension.json\ntitle = \"Dimension {i}\"\ncategory = \"{category}\"\nedge = \"{}\"\nverdict = \"{}\"\nas_of = \"{AS_OF}\"\n\n[takes]\n",
        edge(rng),
        prose(rng, 150, false)
    );
    for (id, _) in LANGUAGES {
        let _ = writeln!(out, "{id} = \"{}\"", prose(rng, 120, false));
    }
    sources(&mut out, "sources", rng);
    out
}

fn benchmark(i: usize, rng: &mut Rng) -> String {
    let mut out = format!(
        "#:schema ../schemas/benchmark.json\ntitle = \"Benchmark {i}\"\ndescription = \"{}\"\nprovenance = \"published\"\nenvironment = \"{}\"\nas_of = \"{AS_OF}\"\n\n[setup]\n",
        prose(rng, 200, false),
        prose(rng, 80, false)
    );
    for (id, _) in LANGUAGES {
        let _ = writeln!(out, "{id} = \"{}\"", prose(rng, 40, false));
    }
    sources(&mut out, "sources", rng);
    for m in 0..METRICS {
        let direction = if m % 2 == 0 { "higher" } else { "lower" };
        let _ = write!(
            out,
            "\n[[metrics]]\nname = \"Metric {m}\"\nunit = \"ms\"\ndirection = \"{direction}\"\nnote = \"{}\"\n[metrics.values]\n",
            prose(rng, 60, false)
        );
        // One language in ten is left unmeasured.
        for (id, _) in LANGUAGES {
            if rng.below(10) != 0 {
                let _ = writeln!(out, "{id} = {}.{}", 1 + rng.below(5000), rng.below(100));
            }
        }
    }
    out
}

fn quick_takes(rng: &mut Rng) -> String {
    let mut out = String::from("#:schema ../schemas/quick-takes.json\n");
    for i in 0..QUICK_TAKES {
        let _ = write!(
            out,
            "\n[[take]]\nsituation = \"You are writing program {i}\"\npick = \"{}\"\nreason = \"{}\"\nas_of = \"{AS_OF}\"\n",
            edge(rng),
            prose(rng, 100, false)
        );
        sources(&mut out, "take.sources", rng);
    }
    out
}
