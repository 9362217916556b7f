//! The `mdbook-compare` command: an mdBook preprocessor, and a checker for CI and editors.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mdbook_compare::diagnostic::Diagnostics;
use mdbook_compare::site_data;

const USAGE: &str = "\
mdbook-compare: expands <<compare>>, <<benchmark>> and <<quick-takes>> from a TOML dataset

Usage:
  mdbook-compare                      run as an mdBook preprocessor (JSON on stdin and stdout)
  mdbook-compare supports RENDERER    tell mdBook which renderers need the preprocessor
                                      (all but site-data)
  mdbook-compare site-data            run as an mdBook backend that writes the dataset as
                                      data.json into the html site
  mdbook-compare check [BOOK_DIR] [--deny-warnings]
                                      check the dataset and every chapter without building
  mdbook-compare install [BOOK_DIR] [--force]
                                      set a book up: its stylesheet and book.toml lines
  mdbook-compare schema [DIR]         write the data files' JSON Schemas into DIR
                                      (default: data/schemas)
  mdbook-compare --version | --help";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => preprocess(),
        ["supports", renderer] => supports(renderer),
        ["check", rest @ ..] => check(rest),
        ["install", rest @ ..] => mdbook_compare::install::run(rest),
        [site_data::NAME] => publish_site_data(),
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

/// Reads mdBook's input, expands the book and writes it back, or reports why not.
fn preprocess() -> ExitCode {
    let Some(input) = read_stdin() else {
        return ExitCode::FAILURE;
    };
    // The book is written only once the run is known to succeed (see `preprocess`), so it can
    // go straight to stdout; a failed write is reported among the diagnostics.
    let mut output = match book_output() {
        Ok(output) => output,
        Err(err) => {
            eprintln!("error: cannot write the book to mdBook: {err}");
            return ExitCode::FAILURE;
        }
    };
    let diagnostics = mdbook_compare::preprocess(input, &mut output);
    report(&diagnostics);
    if diagnostics.fail() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Standard output for the book. On Unix, the file behind it: `Stdout` would look for a line
/// end in every block written (JSON has none), which costs as much as escaping the text.
#[cfg(unix)]
fn book_output() -> io::Result<impl Write> {
    use std::os::fd::AsFd;
    Ok(std::fs::File::from(
        io::stdout().as_fd().try_clone_to_owned()?,
    ))
}

/// Standard output for the book.
#[cfg(not(unix))]
fn book_output() -> io::Result<impl Write> {
    Ok(io::stdout().lock())
}

/// mdBook's input on stdin, or `None` after reporting why it cannot be read.
fn read_stdin() -> Option<Vec<u8>> {
    let mut input = Vec::new();
    match io::stdin().lock().read_to_end(&mut input) {
        Ok(_) => Some(input),
        Err(err) => {
            eprintln!("error: cannot read mdBook's input: {err}");
            None
        }
    }
}

/// `supports RENDERER`: the preprocessor serves every renderer but this package's own backend,
/// which reads the dataset rather than the chapters.
fn supports(renderer: &str) -> ExitCode {
    if renderer == site_data::NAME {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `site-data`: the backend that writes `data.json` into the html site.
fn publish_site_data() -> ExitCode {
    let Some(input) = read_stdin() else {
        return ExitCode::FAILURE;
    };
    let errors = site_data::render(&input);
    report(&errors);
    if errors.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
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
    let result = mdbook_compare::check::check(&root, deny);
    report(&result.diagnostics);
    if result.failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `schema [DIR]`: writes the JSON Schemas generated from the dataset's types.
fn schema(dir: &str) -> ExitCode {
    match mdbook_compare::dataset::schema::write_all(Path::new(dir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: cannot write the schemas into {dir}: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Prints diagnostics to stderr, in colour on a terminal.
fn report(diagnostics: &Diagnostics) {
    if !diagnostics.is_empty() {
        let styled = io::stderr().is_terminal();
        eprint!("{}", diagnostics.render(styled));
    }
}
