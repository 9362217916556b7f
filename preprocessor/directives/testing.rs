//! A small dataset and book for the directives' and writers' tests: three languages (one with
//! a colour of its own), two categories, three dimensions, a reproduced benchmark with spreads
//! and intervals (one clear, one not, one metric without), a reproduced one without intervals,
//! a published one and an unverified one, and quick takes.

use std::path::Path;

use super::{Call, Context, Home, Homes, Word, find};
use crate::dataset::model::{Benchmark, CategoriesFile, Dimension, LanguagesFile, QuickTakesFile};
use crate::dataset::{Dataset, Entry};
use crate::diagnostic::{Diagnostics, SourceFile};
use crate::view::{Block, Figure, Span, Table, Target, Text, View};

const LANGUAGES: &str = r##"
[[language]]
id = "rust"
name = "Rust"
tagline = "Fast."
homepage = "https://www.rust-lang.org/"
colour = "#B7410E"

[[language]]
id = "go"
name = "Go"
tagline = "Simple."
homepage = "https://go.dev/"

[[language]]
id = "zig"
name = "Zig"
tagline = "Small."
homepage = "https://ziglang.org/"
"##;

const CATEGORIES: &str = r#"
[[category]]
id = "core"
name = "Core"
description = "The language itself."

[[category]]
id = "ops"
name = "Operations"
description = "Building and running it."
"#;

const SPEED: &str = r#"
title = "Speed"
category = "core"
edge = "rust"
verdict = "No garbage collector and *zero-cost* abstractions."
as_of = "2026-11-01"
changed = "2026-09-01"

[summary]
rust = "Native, no GC"
go = "Fast, with a GC"
zig = "Native, manual memory"

[takes]
rust = "Compiles to tight native code; `Vec<T>` is a thin wrapper."
go = "Fast, with a [garbage collector](https://go.dev/doc/gc-guide)."
zig = "Native code, no hidden allocations."

[[sources]]
title = "The Go GC guide"
url = "https://go.dev/doc/gc-guide"

[[sources]]
title = "A citation without a link, 2024"
"#;

const ONBOARDING: &str = r#"
title = "Onboarding"
category = "ops"
edge = "go"
verdict = "A small language is quick to learn."
as_of = "2026-10-15"

[summary]
rust = "Weeks to months"
go = "Days"
zig = "Weeks"

[takes]
rust = "The borrow checker takes time."
go = "Small spec, one way to do things."
zig = "Small, but young."

[[sources]]
title = "The Go GC guide"
url = "https://go.dev/doc/gc-guide"

[[sources]]
title = "Go FAQ"
url = "https://go.dev/doc/faq"
"#;

const TOOLING: &str = r#"
title = "Tooling"
category = "ops"
edge = "depends"
verdict = "Both ship one official tool."
as_of = "2026-11-20"

[summary]
rust = "cargo"
go = "go command"

[takes]
rust = "`cargo` builds, tests, documents."
go = "`go` builds, tests, vets."

[[sources]]
title = "The Cargo Book"
url = "https://doc.rust-lang.org/cargo/"
"#;

const HTTP: &str = r#"
title = "HTTP JSON"
description = "Each server answers with the same small JSON object."
limits = "Not TLS, not a database."
provenance = "reproduced"
environment = "2 cores, Linux 6.8, load 0.2"
reproduce = "bench/run http-json"
raw = "bench/results/http-json.json"
headline = "throughput"
as_of = "2026-11-30"

[setup]
rust = "actix-web 4"
go = "`net/http`"

[[sources]]
title = "This repository's harness"
url = "https://example.org/bench"

[[metrics]]
id = "throughput"
name = "Throughput"
unit = "req/s"
direction = "higher"
note = "Closed loop."
[metrics.values]
rust = { median = 510000, min = 500000, max = 520000, runs = 9 }
go = { median = 168000, min = 160000, max = 170000, runs = 9 }
[[metrics.intervals]]
of = "rust"
over = "go"
ratio = 3.04
low = 2.95
high = 3.2
method = "bootstrap"

[[metrics]]
id = "latency-p99"
name = "p99 latency"
unit = "ms"
direction = "lower"
[metrics.values]
rust = { median = 1.1, min = 0.9, max = 1.6, runs = 9 }
go = { median = 1.3, min = 1.2, max = 1.5, runs = 9 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 1.18
low = 0.92
high = 1.4
method = "bootstrap"

[[metrics]]
id = "peak-rss"
name = "Peak memory"
unit = "MiB"
direction = "lower"
[metrics.values]
rust = 5.82
go = 14.5
zig = 3.1
"#;

const STARTUP: &str = r#"
title = "Startup"
description = "Hello world, start to exit."
provenance = "reproduced"
environment = "2 cores"
reproduce = "bench/run startup"
headline = "hello-time"
as_of = "2026-11-29"

[setup]
rust = "std only"
go = "std only"

[[sources]]
title = "This repository's harness"
url = "https://example.org/bench"

[[metrics]]
id = "hello-time"
name = "Hello, world"
unit = "ms"
direction = "lower"
[metrics.values]
rust = { median = 1.0, min = 0.9, max = 1.2, runs = 20 }
go = { median = 1.1, min = 1.0, max = 1.3, runs = 20 }
"#;

const TASKS: &str = r#"
title = "Tasks, published"
description = "One million tasks that wait."
provenance = "published"
environment = "As published."
as_of = "2024-06-01"

[setup]
rust = "tokio"
go = "goroutines"

[[sources]]
title = "The published post"
url = "https://example.org/tasks"

[[metrics]]
id = "rss-1m"
name = "Memory for 1M tasks"
unit = "MiB"
direction = "lower"
[metrics.values]
rust = 213
go = 2658
"#;

const CITED: &str = r#"
title = "Cited figures"
description = "As a page stated them."
provenance = "unverified"
environment = "Not stated."
as_of = "2026-11-27"

[setup]
rust = "actix-web"
go = "net/http"

[[sources]]
title = "The page"

[[metrics]]
id = "rps"
name = "Requests per second"
unit = "req/s"
direction = "higher"
note = "Not traceable."
[metrics.values]
rust = 510000
go = 168000
"#;

const QUICK_TAKES: &str = r#"
[[take]]
situation = "You're writing CLI tools"
pick = "rust"
reason = "Fast start-up, small binaries."
dimension = "speed"
as_of = "2026-11-01"
[[take.sources]]
title = "ripgrep"
url = "https://github.com/BurntSushi/ripgrep"

[[take]]
situation = "You're shipping a service *this quarter*"
pick = "go"
reason = "Quick onboarding."
dimension = "onboarding"
as_of = "2026-11-01"
[[take.sources]]
title = "Go FAQ"
url = "https://go.dev/doc/faq"

[[take]]
situation = "You're not sure"
pick = "depends"
reason = "Read the chapters."
as_of = "2026-11-01"
[[take.sources]]
title = "Go FAQ"
url = "https://go.dev/doc/faq"
"#;

fn entry<T: serde::de::DeserializeOwned>(folder: &str, id: &str, text: &str) -> Entry<T> {
    Entry {
        id: id.into(),
        file: SourceFile::new(format!("data/{folder}{id}.toml"), text),
        value: toml::from_str(text).unwrap_or_else(|e| panic!("{id}: {e}")),
    }
}

/// The test dataset.
pub(crate) fn dataset() -> Dataset {
    let languages: LanguagesFile = toml::from_str(LANGUAGES).unwrap();
    let categories: CategoriesFile = toml::from_str(CATEGORIES).unwrap();
    let takes: Entry<QuickTakesFile> = entry("", "quick-takes", QUICK_TAKES);
    let mut dimensions: Vec<Entry<Dimension>> = vec![
        entry("dimensions/", "onboarding", ONBOARDING),
        entry("dimensions/", "speed", SPEED),
        entry("dimensions/", "tooling", TOOLING),
    ];
    dimensions.sort_by(|a, b| a.id.cmp(&b.id));
    let mut benchmarks: Vec<Entry<Benchmark>> = vec![
        entry("benchmarks/", "cited", CITED),
        entry("benchmarks/", "http-json", HTTP),
        entry("benchmarks/", "startup", STARTUP),
        entry("benchmarks/", "tasks", TASKS),
    ];
    benchmarks.sort_by(|a, b| a.id.cmp(&b.id));
    Dataset {
        languages: languages.language,
        categories: categories.category,
        dimensions,
        benchmarks,
        quick_takes: Some(Entry {
            id: takes.id,
            file: takes.file,
            value: takes.value.take,
        }),
        ..Dataset::default()
    }
}

/// The book's homes: dimensions in `dimensions/ID.md`, benchmarks in `bench/ID.md`, except
/// `tooling` (which has none).
pub(crate) fn homes(dataset: &Dataset) -> Homes {
    let mut homes = Homes::default();
    for d in dataset.dimensions.iter().filter(|d| d.id != "tooling") {
        let path = format!("dimensions/{}.md", d.id);
        homes.insert(Home::Dimension(d.id.clone()), Path::new(&path));
    }
    for b in &dataset.benchmarks {
        let path = format!("bench/{}.md", b.id);
        homes.insert(Home::Benchmark(b.id.clone()), Path::new(&path));
    }
    homes
}

/// The call written in `text` (one directive, `<<` to `>>`, at its start).
pub(crate) fn call(text: &str) -> Call<'_> {
    let end = text.find(">>").expect("a closed directive");
    let inner = &text[2..end];
    let mut words = inner.split_ascii_whitespace().map(|word| {
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        Word {
            text: word,
            span: start..start + word.len(),
        }
    });
    let name = words.next().expect("a name");
    Call {
        name,
        args: words.collect(),
        span: 0..end + 2,
    }
}

/// Resolves the directive written in `text` on chapter `chapter` against `dataset`: its view,
/// and every diagnostic, rendered.
pub(crate) fn outcome_in(dataset: &Dataset, chapter: &str, text: &str) -> (Option<View>, String) {
    outcome_with(dataset, &homes(dataset), chapter, text)
}

/// [`outcome_in`] in a book with `homes`.
pub(crate) fn outcome_with(
    dataset: &Dataset,
    homes: &Homes,
    chapter: &str,
    text: &str,
) -> (Option<View>, String) {
    let source = SourceFile::new(format!("src/{chapter}"), text);
    let context = Context {
        evidence: false,
        dataset,
        homes,
        chapter: Path::new(chapter),
        repository: None,
        source: &source,
    };
    let call = call(text);
    let directive = find(call.name.text).expect("a known directive");
    let mut diagnostics = Diagnostics::default();
    let view = (directive.resolve)(&call, &context, &mut diagnostics);
    let report = if diagnostics.is_empty() {
        String::new()
    } else {
        diagnostics.render(false)
    };
    (view, report)
}

/// The view of the directive in `text`, on the test dataset from chapter `guide/page.md`,
/// which must resolve without a diagnostic.
pub(crate) fn view(text: &str) -> View {
    match outcome_in(&dataset(), "guide/page.md", text) {
        (Some(view), report) if report.is_empty() => view,
        (_, report) => panic!("{text}: {report}"),
    }
}

/// The diagnostics of the directive in `text`, which must fail to resolve.
pub(crate) fn problems(text: &str) -> String {
    match outcome_in(&dataset(), "guide/page.md", text) {
        (None, report) => report,
        (Some(view), report) => panic!("{text} resolved: {view:?} {report}"),
    }
}

pub(crate) fn figure(text: &str) -> Figure {
    match view(text) {
        View::Figure(figure) => figure,
        View::Inline(inline) => panic!("{text} is inline: {inline:?}"),
    }
}

/// The tables of a figure, folded ones too.
pub(crate) fn tables(figure: &Figure) -> Vec<&Table> {
    fn of(blocks: &[Block]) -> Vec<&Table> {
        blocks
            .iter()
            .flat_map(|b| match b {
                Block::Table(t) => vec![t],
                Block::Details(details) => of(&details.blocks),
                _ => Vec::new(),
            })
            .collect()
    }
    of(&figure.blocks)
}

pub(crate) fn charts(figure: &Figure) -> usize {
    figure
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Chart(_)))
        .count()
}

/// The text of some content, without markup, for assertions.
pub(crate) fn words(text: &Text) -> String {
    text.iter()
        .map(|span| match span {
            Span::Plain(t)
            | Span::Markdown(t)
            | Span::Strong(t)
            | Span::Code(t)
            | Span::Title(t)
            | Span::Date(t) => t.clone(),
            Span::Badge(b) => b.text.clone(),
            Span::Link(l) => words(&l.text),
            Span::Cite(n) => format!("[{n}]"),
            Span::Missing => "—".into(),
        })
        .collect()
}

pub(crate) fn inline_link(text: &str) -> (String, Target, String) {
    match view(text) {
        View::Inline(spans) => match spans.as_slice() {
            [Span::Link(link)] => (
                words(&link.text),
                link.target.clone(),
                link.title.clone().unwrap_or_default(),
            ),
            other => panic!("{other:?}"),
        },
        View::Figure(f) => panic!("{f:?}"),
    }
}

pub(crate) fn chapter(path: &str, figure: &str) -> Target {
    Target::Chapter {
        path: path.into(),
        figure: figure.into(),
    }
}
