//! Prose made of phrases typical of books about Rust, with inline Markdown.

use super::rng::Rng;

/// Phrases without `<<`, safe in a TOML basic string (no quotes, no backslashes).
const PHRASES: [&str; 16] = [
    "ownership moves the value",
    "the borrow checker rejects it at compile time",
    "a `Vec<T>` grows by doubling its capacity",
    "*zero-cost* abstractions compile to the same loop",
    "`cargo build --release` enables optimisations",
    "a goroutine starts with a small stack",
    "the collector runs **concurrently** with the program",
    "see [the reference](https://doc.rust-lang.org/reference/) for the details",
    "`Arc<Mutex<T>>` shares state between threads",
    "the standard library ships an HTTP server",
    "generics are monomorphised per type",
    "interfaces are satisfied implicitly",
    "`unsafe` blocks mark what the compiler cannot check",
    "channels carry values between tasks",
    "error values are returned, not thrown",
    "the tooling formats, tests and documents code",
];

/// Phrases of chapter prose with `<<` that is no directive, as real Rust books have.
const ANGLED: [&str; 8] = [
    "a `Vec<Vec<T>>` holds the rows",
    "in prose, Vec<Vec<u8>> needs no escaping",
    "shifting `1 << 3` gives 8",
    "the mask 1 << 12 selects a page",
    "`flags <<= 1` shifts in place, as does x <<= 2",
    "nested generics such as HashMap<K, Vec<Vec<V>>> close with >>",
    "the heredoc `cat <<EOF` is shell, not a directive",
    "a name such as comparex or benchmarks is plain text",
];

/// At least `min_len` bytes of sentences; `angled` mixes in phrases with `<<`.
pub(crate) fn prose(rng: &mut Rng, min_len: usize, angled: bool) -> String {
    let mut out = String::with_capacity(min_len + 80);
    while out.len() < min_len {
        let phrase = if angled && rng.below(4) == 0 {
            rng.pick(&ANGLED)
        } else {
            rng.pick(&PHRASES)
        };
        let mut chars = phrase.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
        out.push_str(". ");
    }
    out.pop();
    out
}
