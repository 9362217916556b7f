//! Writes a synthetic book for benchmarks, with the preprocessor input mdBook would send.
//!
//! `cargo run --release --example gen_book -- OUT_DIR [--scale N] [--no-directives]`
//!
//! By default: 1,000 chapters, 10,000 directives and about 20 MB of Markdown, all times N.

#[path = "../benches/synth/mod.rs"]
mod synth;

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut scale = 1;
    let mut with_directives = true;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--scale" => {
                let value = args.next().context("--scale needs a number")?;
                scale = value.parse().context("--scale needs a whole number")?;
            }
            "--no-directives" => with_directives = false,
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(PathBuf::from(arg)),
            _ => bail!("usage: gen_book OUT_DIR [--scale N] [--no-directives]"),
        }
    }
    let dir = dir.context("usage: gen_book OUT_DIR [--scale N] [--no-directives]")?;
    let spec = synth::Spec::scaled(scale, with_directives);
    let input = synth::write_book(&dir, &spec)?;
    println!("{}", input.display());
    Ok(())
}
