//! What the writers and the directives still share from the first renderer: inline Markdown of
//! the dataset as HTML (`inline`) and the links from a table to its data file (`links`).

pub(crate) mod inline;
pub(crate) mod links;
