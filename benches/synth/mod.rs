//! Synthetic books for benchmarks: a book folder (book.toml, `src/`, `data/`) and the JSON
//! that mdBook 0.5 sends a preprocessor for it (`input.json`), built with mdBook's own loader.

mod chapter;
mod data;
mod rng;
mod text;

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use mdbook_preprocessor::PreprocessorContext;

use rng::Rng;

/// The size of a synthetic book.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    /// Number of chapters.
    pub(crate) chapters: usize,
    /// Directives spread over the chapters.
    pub(crate) directives: usize,
    /// Approximate size of all chapters' Markdown, in bytes.
    pub(crate) bytes: usize,
}

impl Spec {
    /// `scale` times 1,000 chapters, 10,000 directives (or none) and 20 MB of Markdown.
    pub(crate) fn scaled(scale: usize, with_directives: bool) -> Spec {
        Spec {
            chapters: 1_000 * scale,
            directives: if with_directives { 10_000 * scale } else { 0 },
            bytes: 20_000_000 * scale,
        }
    }
}

/// Writes the book described by `spec` into `dir`, replacing an earlier synthetic book there,
/// and returns the path of the preprocessor input written beside it.
pub(crate) fn write_book(dir: &Path, spec: &Spec) -> Result<PathBuf> {
    if dir.join("book.toml").exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    } else if fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        bail!(
            "{} is not empty and holds no book: not overwriting it",
            dir.display()
        );
    }
    fs::create_dir_all(dir.join("src"))?;
    fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Synthetic book\"\nsrc = \"src\"\n\n[preprocessor.compare]\ncommand = \"mdbook-compare\"\nstale-after-months = 1200\n",
    )?;
    let mut rng = Rng::new(0x5EED);
    let ids = data::write(&dir.join("data"), &mut rng)?;
    let mut summary = String::from("# Summary\n\n");
    for index in 0..spec.chapters {
        // The first `directives % chapters` chapters take one directive more.
        let directives =
            spec.directives / spec.chapters + usize::from(index < spec.directives % spec.chapters);
        let place = chapter::Place {
            index,
            bytes: spec.bytes / spec.chapters,
            directives,
            names: spec.directives > 0,
            ids: &ids,
        };
        let text = chapter::chapter(&place, &mut rng);
        let name = format!("chapter-{index:05}.md");
        fs::write(dir.join("src").join(&name), text)?;
        let _ = writeln!(summary, "- [Chapter {index}]({name})");
    }
    fs::write(dir.join("src/SUMMARY.md"), summary)?;
    write_input(dir)
}

/// Loads the book as `mdbook build` does and writes `[context, book]` for the html renderer,
/// which is what mdBook pipes to this preprocessor (it runs before `index` and `links`).
fn write_input(dir: &Path) -> Result<PathBuf> {
    let root = dir.canonicalize()?;
    let book = MDBook::load(&root)?;
    let ctx = PreprocessorContext::new(root.clone(), book.config.clone(), "html".into());
    let path = root.join("input.json");
    let mut out = BufWriter::new(fs::File::create(&path)?);
    serde_json::to_writer(&mut out, &(&ctx, &book.book))?;
    out.flush()?;
    Ok(path)
}
