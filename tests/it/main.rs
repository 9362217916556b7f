//! The integration tests: one test binary with a module per subject, as mdBook's own test suite
//! is laid out, so that the dev-dependencies are linked once rather than once per file.
//! `cargo test --test it <module>::` runs one subject, e.g. `cargo test --test it browser::`.
//!
//! Each module says in its first lines what it checks and what it needs; the modules that need
//! a Unix system (`browser`, `security_fs`) say so with `#![cfg(unix)]` of their own.

mod common;

mod authoring;
mod bad_data;
mod bad_inputs;
mod bench_suite;
mod browser;
mod build_book;
mod dockerfiles;
mod example_book;
mod live_reload;
mod machines;
mod repository_links;
mod reuser;
mod schemas;
mod security;
mod security_blocks;
mod security_fs;
mod security_inline;
mod text_properties;
mod verdicts;
