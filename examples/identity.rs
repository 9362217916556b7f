//! The floor of the preprocessor protocol: reads mdBook's `[context, book]` whole, parses the
//! bytes with `serde_json::from_slice` and writes the book back unchanged, as the smallest
//! possible preprocessor does; `mdbook-compare` reads its input the same way. `supports` always
//! says yes.
//!
//! `benches/floor.sh` and `benches/real_book.sh` measure `mdbook-compare` against it.

use std::io::{self, BufWriter, Read, Write};

use anyhow::Result;
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;

fn main() -> Result<()> {
    if std::env::args().nth(1).as_deref() == Some("supports") {
        return Ok(());
    }
    let mut input = Vec::new();
    io::stdin().lock().read_to_end(&mut input)?;
    let (_ctx, book): (PreprocessorContext, Book) = serde_json::from_slice(&input)?;
    let mut out = BufWriter::new(io::stdout().lock());
    serde_json::to_writer(&mut out, &book)?;
    out.flush()?;
    Ok(())
}
