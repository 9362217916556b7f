//! The directives: the one registry of their names, and a module per directive that parses its
//! arguments and resolves them against the dataset into a [`View`].
//!
//! Adding a directive is one module here and one line in [`DIRECTIVES`]; the scanner finds
//! candidates, and suggests names, from that list alone.

mod args;
mod benchmark;
mod benchmark_summary;
mod compare;
mod edges;
mod glance;
mod machines;
mod measure;
mod parts;
mod quick_takes;
mod ratio;
mod value;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::dataset::Dataset;
use crate::diagnostic::{Diagnostics, Location, SourceFile};
use crate::repository::Repository;
use crate::view::{Target, View};

/// Where a directive may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// Alone on its line: it becomes a block of its own.
    Block,
    /// Anywhere in a paragraph's line, among text.
    Inline,
}

/// One directive: its name, where it may stand, its usage line for messages, how it runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Directive {
    /// The name written after `<<`.
    pub(crate) name: &'static str,
    /// Where it may stand.
    pub(crate) placement: Placement,
    /// How to write it, e.g. `<<value BENCH METRIC LANG>>`.
    pub(crate) usage: &'static str,
    /// Parses the call's arguments and resolves them into a view; reports every problem.
    pub(crate) resolve: fn(&Call<'_>, &Context<'_>, &mut Diagnostics) -> Option<View>,
    /// What this call is the home of, if anything.
    pub(crate) home: fn(&Call<'_>) -> Option<Home>,
    /// Which benchmarks this call quotes, for each benchmark's "cited in".
    pub(crate) cites: fn(&Call<'_>) -> Cites,
}

/// The benchmarks a call quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cites {
    /// None.
    Nothing,
    /// The benchmark with this id.
    Benchmark(String),
    /// Every benchmark the suite's summary shows (reproduced, with a headline).
    Summary,
}

impl Cites {
    /// The benchmark a call names by its first argument (`<<value BENCH ...>>`), if any.
    fn first_argument(call: &Call<'_>) -> Cites {
        match call.args.first() {
            Some(id) if !id.text.contains('=') => Cites::Benchmark(id.text.to_string()),
            _ => Cites::Nothing,
        }
    }
}

/// The registry: the only list of directive names (the scanner's candidates, did-you-mean).
pub(crate) static DIRECTIVES: &[Directive] = &[
    compare::DIRECTIVE,
    glance::DIRECTIVE,
    edges::DIRECTIVE,
    benchmark::DIRECTIVE,
    benchmark_summary::DIRECTIVE,
    quick_takes::DIRECTIVE,
    value::DIRECTIVE,
    ratio::DIRECTIVE,
];

/// Each metric's chart of benchmark `entry` that has one, by the metric's position (from 1), as
/// a page would draw it (for the `site-data` backend, which publishes them as files).
pub(crate) fn benchmark_charts(
    dataset: &Dataset,
    entry: &crate::dataset::Entry<crate::dataset::model::Benchmark>,
) -> Vec<(usize, crate::view::Chart)> {
    let homes = Homes::default();
    let source = SourceFile::new(entry.file.path.clone(), "");
    let context = Context {
        dataset,
        homes: &homes,
        chapter: Path::new(""),
        repository: None,
        evidence: false,
        source: &source,
    };
    benchmark::charts(&context, entry)
}

/// The directive named exactly `name`.
pub(crate) fn find(name: &str) -> Option<&'static Directive> {
    DIRECTIVES.iter().find(|d| d.name == name)
}

/// A directive as written: its name and arguments with byte spans in the chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call<'a> {
    /// The directive's name.
    pub(crate) name: Word<'a>,
    /// Its arguments, in order.
    pub(crate) args: Vec<Word<'a>>,
    /// The whole directive, `<<` to `>>`.
    pub(crate) span: Range<usize>,
}

/// A word of a directive and where it stands in the chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    /// The word.
    pub(crate) text: &'a str,
    /// Its byte span in the chapter.
    pub(crate) span: Range<usize>,
}

/// What a view may link to: the chapter that is a dimension's or a benchmark's home.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Home {
    /// The first chapter showing the dimension alone (`<<compare ID>>`).
    Dimension(String),
    /// The first chapter with `<<benchmark ID>>`.
    Benchmark(String),
}

impl Home {
    /// The id of the figure that a home shows, as [`crate::view::Figure::id`] spells it.
    fn figure(&self) -> String {
        match self {
            Home::Dimension(id) => format!("dimension-{id}"),
            Home::Benchmark(id) => format!("benchmark-{id}"),
        }
    }
}

/// Each home's chapter, by its path relative to the book's `src`, and the chapters that cite
/// each benchmark.
#[derive(Debug, Clone, Default)]
pub(crate) struct Homes {
    /// Each home's chapter.
    homes: HashMap<Home, PathBuf>,
    /// Every chapter that cites a benchmark, in book order.
    chapters: Vec<Chapter>,
    /// The chapters (indices into `chapters`) citing each benchmark, by its id.
    cited: HashMap<String, Vec<usize>>,
    /// The chapters showing the suite's summary.
    summary: Vec<usize>,
}

/// A chapter of the book: its path relative to `src` and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chapter {
    /// Its path relative to `src`.
    pub(crate) path: PathBuf,
    /// Its name in the table of contents.
    pub(crate) name: String,
}

impl Homes {
    /// Records `chapter` as the home of `home`, unless an earlier chapter already is.
    pub(crate) fn insert(&mut self, home: Home, chapter: &Path) {
        self.homes
            .entry(home)
            .or_insert_with(|| chapter.to_path_buf());
    }

    /// The chapter that is `home`, if any.
    pub(crate) fn get(&self, home: &Home) -> Option<&Path> {
        self.homes.get(home).map(PathBuf::as_path)
    }

    /// Records that `chapter` cites what `cites` names; chapters come in book order.
    pub(crate) fn cite(&mut self, cites: Cites, chapter: &Path, name: &str) {
        if cites == Cites::Nothing {
            return;
        }
        if self.chapters.last().is_none_or(|c| c.path != chapter) {
            self.chapters.push(Chapter {
                path: chapter.to_path_buf(),
                name: name.to_string(),
            });
        }
        let index = self.chapters.len() - 1;
        let list = match cites {
            Cites::Nothing => return,
            Cites::Benchmark(id) => self.cited.entry(id).or_default(),
            Cites::Summary => &mut self.summary,
        };
        if list.last() != Some(&index) {
            list.push(index);
        }
    }

    /// The chapters that cite benchmark `id`, in book order, each once; with those showing the
    /// suite's summary when it is `in_summary`.
    pub(crate) fn citing(&self, id: &str, in_summary: bool) -> Vec<&Chapter> {
        let mut indices: Vec<usize> = self.cited.get(id).into_iter().flatten().copied().collect();
        if in_summary {
            indices.extend(&self.summary);
        }
        indices.sort_unstable();
        indices.dedup();
        indices.into_iter().map(|i| &self.chapters[i]).collect()
    }
}

/// Everything a directive resolves against (built once per chapter).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    /// The dataset.
    pub(crate) dataset: &'a Dataset,
    /// Every home of the book.
    pub(crate) homes: &'a Homes,
    /// This chapter's path relative to `src`.
    pub(crate) chapter: &'a Path,
    /// The book's repository, for "view data" and "suggest a change".
    pub(crate) repository: Option<&'a Repository>,
    /// Whether the site publishes each benchmark's evidence (the `site-data` backend), so
    /// that a benchmark may link to it.
    pub(crate) evidence: bool,
    /// This chapter's text, for locations.
    pub(crate) source: &'a SourceFile,
}

impl Context<'_> {
    /// A location in this chapter.
    pub(crate) fn at(&self, span: Range<usize>) -> Location {
        Location::Span(self.source.clone(), span)
    }

    /// A link target to `home`, relative from this chapter; `None` when the book has no
    /// chapter for it.
    pub(crate) fn home_target(&self, home: &Home) -> Option<Target> {
        let chapter = self.homes.get(home)?;
        Some(Target::Chapter {
            path: relative(self.chapter, chapter),
            figure: home.figure(),
        })
    }
}

impl Context<'_> {
    /// The chapters that cite benchmark `id`, other than this one: each a link to it.
    pub(crate) fn citing(&self, id: &str) -> Vec<(String, Target)> {
        let benchmark = self.dataset.benchmarks.iter().find(|b| b.id == id);
        let in_summary = benchmark.is_some_and(|b| benchmark_summary::headline(&b.value).is_some());
        self.homes
            .citing(id, in_summary)
            .into_iter()
            .filter(|c| c.path != self.chapter)
            .map(|c| {
                let path = relative(self.chapter, &c.path);
                (c.name.clone(), Target::Page { path })
            })
            .collect()
    }

    /// A link target to `path`, a file of the site from its root, relative from this chapter.
    pub(crate) fn site_file(&self, path: &str, fragment: Option<&str>) -> Target {
        Target::File {
            path: relative(self.chapter, Path::new(path)),
            fragment: fragment.map(String::from),
        }
    }
}

/// The path of chapter `to` from chapter `from` (both relative to `src`), with `/` separators.
/// Both are normalised first as the file system resolves them (mdBook writes `sub/../x.md` to
/// `x.html`): `.` dropped, `..` taking back the folder before it.
fn relative(from: &Path, to: &Path) -> String {
    let parts = |path: &Path| -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        for component in path.components() {
            match component {
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                Component::ParentDir if parts.last().is_some_and(|last| last != "..") => {
                    parts.pop();
                }
                Component::ParentDir => parts.push("..".into()),
                _ => {}
            }
        }
        parts
    };
    let from = parts(from);
    let to = parts(to);
    let folder = &from[..from.len().saturating_sub(1)];
    let shared = folder.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_string(), folder.len() - shared);
    ups.chain(to[shared..].iter().cloned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn the_registry_names_each_directive_once() {
        for (i, directive) in DIRECTIVES.iter().enumerate() {
            assert!(
                DIRECTIVES[..i].iter().all(|d| d.name != directive.name),
                "{} twice",
                directive.name
            );
            assert!(
                directive
                    .usage
                    .starts_with(&format!("<<{}", directive.name)),
                "{}",
                directive.usage
            );
            assert!(std::ptr::eq(find(directive.name).unwrap(), directive));
        }
        assert!(find("Compare").is_none());
        assert!(find("quick_takes").is_none());
    }

    #[test]
    fn inline_directives_are_value_and_ratio() {
        let inline: Vec<_> = DIRECTIVES
            .iter()
            .filter(|d| d.placement == Placement::Inline)
            .map(|d| d.name)
            .collect();
        assert_eq!(inline, ["value", "ratio"]);
    }

    #[test]
    fn paths_between_chapters() {
        let cases = [
            ("a.md", "b.md", "b.md"),
            ("a.md", "x/b.md", "x/b.md"),
            ("x/a.md", "b.md", "../b.md"),
            ("x/y/a.md", "x/z/b.md", "../z/b.md"),
            ("x/a.md", "x/a.md", "a.md"),
            ("./x/a.md", "x/b.md", "b.md"),
            ("a.md", "sub/../x.md", "x.md"),
            ("sub/../a.md", "x.md", "x.md"),
            ("sub/a.md", "sub/./y/../x.md", "x.md"),
            ("a.md", "sub/../../x.md", "../x.md"),
        ];
        for (from, to, expected) in cases {
            assert_eq!(
                relative(Path::new(from), Path::new(to)),
                expected,
                "{from} -> {to}"
            );
        }
    }

    #[test]
    fn the_first_home_wins() {
        let mut homes = Homes::default();
        let home = Home::Dimension("speed".into());
        homes.insert(home.clone(), Path::new("first.md"));
        homes.insert(home.clone(), Path::new("second.md"));
        assert_eq!(homes.get(&home), Some(Path::new("first.md")));
        assert_eq!(homes.get(&Home::Benchmark("speed".into())), None);
    }
}
