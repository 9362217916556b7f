//! The `mdbook-compare` command: an mdBook preprocessor, the `site-data` backend, and a checker
//! for CI and editors.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use mdbook_compare::{Compare, site_data};
use mdbook_preprocessor::Preprocessor;

const USAGE: &str = "\
mdbook-compare: expands <<compare>>, <<benchmark>> and the other directives from a TOML dataset

Usage:
  mdbook-compare                      run as an mdBook preprocessor (JSON on stdin and stdout)
  mdbook-compare supports RENDERER    tell mdBook which renderers need the preprocessor
                                      (all but site-data)
  mdbook-compare site-data            run as an mdBook backend that writes the dataset as
                                      data.json into the html site
  mdbook-compare check [BOOK_DIR] [--deny-warnings]
                                      check the dataset and every chapter without building;
                                      first refuses symbolic links in src/, includes that
                                      read outside the book and SUMMARY paths that are not
                                      plain paths inside src/. It runs none of the book's
                                      [preprocessor.*] commands (one a build may run first
                                      is a warning: its changes are not checked)
  mdbook-compare install [BOOK_DIR] [--force]
                                      set a book up: its stylesheet and book.toml lines
  mdbook-compare schema [DIR]         write the data files' JSON Schemas into DIR
                                      (default: data/schemas) as regular files, replacing
                                      a symbolic link at a schema's name; DIR may not be a
                                      link, nor lead out of the current folder through one
  mdbook-compare --version | --help";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => match handle_preprocessing(&Compare::new()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprint!("{}", with_line_break(format!("{err:#}")));
                ExitCode::FAILURE
            }
        },
        ["supports", renderer] => {
            if Compare::new().supports_renderer(renderer).unwrap_or(false) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        ["check", rest @ ..] => check(rest),
        ["install", rest @ ..] => mdbook_compare::install::run(rest),
        [site_data::NAME] => {
            let report = site_data::render_from(io::stdin().lock());
            eprint!("{report}");
            if report.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        ["schema"] => schema("data/schemas"),
        ["schema", dir] if !dir.starts_with('-') => schema(dir),
        ["--version" | "-V"] => {
            println!("mdbook-compare {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        ["--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: unexpected arguments: {}\n\n{USAGE}", args.join(" "));
            ExitCode::from(2)
        }
    }
}

/// mdBook's documented pattern for a preprocessor command: read `[context, book]` from stdin,
/// run the preprocessor, write the book to stdout.
fn handle_preprocessing(preprocessor: &dyn Preprocessor) -> anyhow::Result<()> {
    let (ctx, book) = mdbook_compare::parse_input(io::stdin().lock())?;
    let book = preprocessor.run(&ctx, book)?;
    let mut out = BufWriter::new(io::stdout().lock());
    serde_json::to_writer(&mut out, &book)
        .map_err(anyhow::Error::from)
        .and_then(|()| out.flush().map_err(anyhow::Error::from))
        .context("error: cannot write the book to mdBook")
}

/// `message` ending with exactly the line break it may lack: a report of diagnostics ends with
/// one, a single rendered diagnostic (as for input that is not mdBook's) ends with its help.
fn with_line_break(mut message: String) -> String {
    if !message.ends_with('\n') {
        message.push('\n');
    }
    message
}

/// `check [BOOK_DIR] [--deny-warnings]`.
fn check(args: &[&str]) -> ExitCode {
    let deny = args.contains(&"--deny-warnings");
    let dirs: Vec<&&str> = args.iter().filter(|a| **a != "--deny-warnings").collect();
    let root = match dirs.as_slice() {
        [] => PathBuf::from("."),
        [dir] if !dir.starts_with('-') => PathBuf::from(dir),
        _ => {
            eprintln!(
                "error: unexpected arguments to check: {}\n\n{USAGE}",
                args.join(" ")
            );
            return ExitCode::from(2);
        }
    };
    let checked = mdbook_compare::check(&root, deny, io::stderr().is_terminal());
    eprint!("{}", checked.report);
    if checked.failed {
        ExitCode::FAILURE
    } else {
        println!("{}", checked.summary);
        ExitCode::SUCCESS
    }
}

/// `schema [DIR]`: writes the JSON Schemas generated from the dataset's types, and says what it
/// wrote.
fn schema(dir: &str) -> ExitCode {
    match mdbook_compare::schema(Path::new(dir)) {
        Ok(written) => {
            for line in written {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprint!("{}", with_line_break(report));
            ExitCode::FAILURE
        }
    }
}
