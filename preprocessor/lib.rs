//! `mdbook-compare`: an mdBook preprocessor that expands comparison tables, benchmark charts and
//! quick takes from a TOML dataset.
//!
//! [`Compare`] is the preprocessor (its run, stage by stage, is in `pipeline.rs`): it loads the
//! book's configuration and dataset once, finds the chapter that is the home of each dimension
//! and benchmark, then expands every chapter's directives. [`check()`] runs the same
//! preprocessor through mdBook's own loader without building; [`site_data`] is the backend that
//! publishes the dataset; [`schema()`] writes the data files' JSON Schemas. `ARCHITECTURE.md`
//! describes the layers.

mod check;
mod config;
mod dataset;
mod diagnostic;
mod directives;
mod evidence;
mod expand;
mod guard;
mod include;
mod input;
pub mod install;
mod paths;
mod pipeline;
mod policy;
mod publish;
mod repository;
mod scan;
pub mod site_data;
mod stylesheet;
mod view;
mod write;

pub use check::{Checked, check};
pub use dataset::schema::schema;
pub use input::parse_input;
pub use pipeline::{Compare, NAME};
