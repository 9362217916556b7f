//! What untrusted text from the dataset may hold, decided once for every layer above: the
//! dataset's checks report what breaks these rules, and the writers rely on them.
//!
//! - [`inline`]: inline Markdown, and what of it is shown differently from how it is written;
//! - [`url`]: source URLs, one absolute http(s) URL with a host and nothing else;
//! - [`mdbook`]: mdBook's own `{{#...}}` commands, which no data text may hold.

pub(crate) mod inline;
pub(crate) mod mdbook;
pub(crate) mod url;
