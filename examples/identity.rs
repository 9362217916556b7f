//! The floor of the preprocessor protocol: reads mdBook's `[context, book]` and writes the book
//! back unchanged, as the smallest possible preprocessor does. `supports` always says yes.
//!
//! With `--slice`, it reads all input first and parses the bytes (`serde_json::from_slice`),
//! the faster way `mdbook-compare` uses.

use std::io::{self, BufWriter, Read, Write};

use anyhow::Result;
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;

fn main() -> Result<()> {
    let arg = std::env::args().nth(1);
    if arg.as_deref() == Some("supports") {
        return Ok(());
    }
    let (_ctx, book): (PreprocessorContext, Book) = if arg.as_deref() == Some("--slice") {
        let mut input = Vec::new();
        io::stdin().lock().read_to_end(&mut input)?;
        serde_json::from_slice(&input)?
    } else {
        mdbook_preprocessor::parse_input(io::stdin().lock())?
    };
    let mut out = BufWriter::new(io::stdout().lock());
    serde_json::to_writer(&mut out, &book)?;
    out.flush()?;
    Ok(())
}
