//! Someone else's book, set up as the README's section "Use mdbook-compare in your own book"
//! says, step by step, in a temporary folder outside this repository: `mdbook init`,
//! `mdbook-compare install` (twice: the second run must change nothing), the example's dataset,
//! the README's directives at the end of the chapter, `mdbook build`. The test adds a benchmark
//! and one dimension alone, so that the page also has charts and a titled table. Then headless Chromium reads
//! the computed styles of the built page: the bars are coloured, the badges have a border and a
//! background of their own, the titles are bold and set apart. The same book built without the
//! stylesheet must fail each of those checks, so that they cannot pass by matching nothing.
//!
//! The README installs the preprocessor with `cargo install --locked --path .`. A release build
//! of this package takes several minutes on two cores, so the test puts the binary cargo built
//! for this test run, under the same name, into a temporary `bin/` at the front of `PATH`
//! instead; every other step runs the README's commands as written.
//!
//! Chromium measures a copy of the built page with a script added at its end, which writes the
//! computed styles into the page; `chromium --headless --dump-dom` prints them. The copy without
//! the stylesheet's `<link>` must fail each check, so that the checks cannot pass by matching
//! nothing. Without `mdbook` or `chromium` the test passes after saying that it was skipped and
//! why; under `CI=true` it fails instead.

use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use crate::common::{self, BINARY, program_or_skip, repo_root};

/// A benchmark for the new book, so that its page has charts. Made-up figures: this is a test.
const BENCHMARK: &str = r#"title = "Start-up of a hello-world program (test figures)"
description = "Figures made up for a test of the stylesheet."
provenance = "reproduced"
environment = "None: the figures are made up."
reproduce = "cargo test --test it reuser::"
as_of = "2026-11-27"

[setup]
python = "`python3 hello.py`"
ruby = "`ruby hello.rb`"

[[sources]]
title = "Made up for this test"

[[metrics]]
id = "startup-time"
name = "Start-up time"
unit = "ms"
direction = "lower"
[metrics.values]
python = 18
ruby = 45
"#;

/// What the README's step 4 puts at the end of the chapter.
const README_DIRECTIVES: &str = "\n<<compare all>>\n\n<<quick-takes>>\n";

/// What the test adds after them, so that the page also has a dimension's titled table and
/// charts: one dimension alone and the benchmark above.
const MORE_DIRECTIVES: &str = "\n<<compare typing>>\n\n<<benchmark startup>>\n";

#[test]
fn a_new_book_set_up_as_the_readme_says_is_styled() -> Result<()> {
    let Some(mdbook) = program_or_skip("mdbook", "cargo install mdbook --locked --version 0.5.4")
    else {
        return Ok(());
    };
    let Some(chromium) = program_or_skip("chromium", "apt-get install chromium") else {
        return Ok(());
    };
    let temp = tempfile::tempdir()?;
    let shell = Shell::new(temp.path(), mdbook)?;

    // Step 2: a new book, set up by `mdbook-compare install`.
    shell.run(
        temp.path(),
        "mdbook",
        &[
            "init",
            "my-comparison",
            "--title",
            "Python vs Ruby",
            "--ignore",
            "none",
        ],
    )?;
    let book = temp.path().join("my-comparison");
    let first = shell.run(&book, "mdbook-compare", &["install"])?;
    ensure!(
        first.contains("Changed "),
        "the first install changed nothing:\n{first}"
    );
    let config: toml::Table = toml::from_str(&fs::read_to_string(book.join("book.toml"))?)?;
    let entry = |path: &[&str]| {
        let mut value = &config[path[0]];
        for key in &path[1..] {
            value = &value[*key];
        }
        value.to_string()
    };
    assert_eq!(
        entry(&["preprocessor", "compare", "command"]),
        "\"mdbook-compare\""
    );
    assert_eq!(entry(&["preprocessor", "compare", "after"]), "[\"links\"]");
    assert_eq!(
        entry(&["output", "html", "additional-css"]),
        "[\"mdbook-compare.css\"]"
    );
    assert_eq!(entry(&["build", "extra-watch-dirs"]), "[\"data\"]");
    let set_up = snapshot(&book)?;
    let second = shell.run(&book, "mdbook-compare", &["install"])?;
    ensure!(
        second.contains("Nothing changed"),
        "the second install did not say it changed nothing:\n{second}"
    );
    ensure!(
        snapshot(&book)? == set_up,
        "the second install changed files"
    );

    // Step 3: the example's dataset, and a benchmark.
    let example_data = repo_root().join("examples/minimal/data");
    shell.run(&book, "cp", &["-r", &example_data.to_string_lossy(), "."])?;
    fs::create_dir_all(book.join("data/benchmarks"))?;
    fs::write(book.join("data/benchmarks/startup.toml"), BENCHMARK)?;

    // Step 4: directives in a chapter, and the build.
    let chapter = book.join("src/chapter_1.md");
    let text = fs::read_to_string(&chapter)?;
    fs::write(&chapter, text + README_DIRECTIVES + MORE_DIRECTIVES)?;
    let build = shell.output(&book, "mdbook", &["build"], &[])?;
    ensure!(
        build.status.success(),
        "mdbook build failed:\n{}",
        common::stderr(&build)
    );
    let log = common::stderr(&build);
    ensure!(!log.contains("warning"), "mdbook build warned:\n{log}");

    let page = book.join("book/chapter_1.html");
    let styled = style_problems(&chromium, &page, true)?;
    assert!(
        styled.is_empty(),
        "the book's tables and charts are not styled:\n{}",
        styled.join("\n")
    );
    let unstyled = style_problems(&chromium, &page, false)?;
    for check in ["bar", "badge", "title"] {
        assert!(
            unstyled.iter().any(|p| p.starts_with(check)),
            "without the stylesheet the {check} check still passed: {unstyled:?}"
        );
    }
    Ok(())
}

/// Runs programs as the README's reader would, with the test-built `mdbook-compare` first on
/// `PATH` and the `mdbook` this machine has.
struct Shell {
    path: OsString,
    mdbook: PathBuf,
}

impl Shell {
    /// Puts the test-built binary into `temp/bin`, first on `PATH`.
    fn new(temp: &Path, mdbook: PathBuf) -> Result<Self> {
        let bin = temp.join("bin");
        fs::create_dir(&bin)?;
        fs::copy(BINARY, bin.join("mdbook-compare")).context("copy the binary")?;
        let old = std::env::var_os("PATH").unwrap_or_default();
        let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&old)))?;
        Ok(Shell { path, mdbook })
    }

    /// Runs `program` in `dir` and returns its standard output, or fails with all it printed.
    fn run(&self, dir: &Path, program: &str, args: &[&str]) -> Result<String> {
        let output = self.output(dir, program, args, &[])?;
        if !output.status.success() {
            bail!(
                "`{program} {}` failed ({}):\n{}{}",
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                common::stderr(&output)
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Runs `program` in `dir` with `env` added, capturing its output.
    fn output(
        &self,
        dir: &Path,
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Result<Output> {
        let program = if program == "mdbook" {
            self.mdbook.as_os_str()
        } else {
            program.as_ref()
        };
        Command::new(program)
            .args(args)
            .current_dir(dir)
            .env("PATH", &self.path)
            .envs(env.iter().copied())
            .output()
            .with_context(|| format!("running {}", program.to_string_lossy()))
    }
}

/// Every file of the book's top folder with its text, to compare two moments.
fn snapshot(book: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(book)? {
        let path = entry?.path();
        if path.is_file() {
            let bytes = fs::read(&path)?;
            files.push((path, bytes));
        }
    }
    files.sort();
    Ok(files)
}

/// Added at the end of a copy of the page: measures the computed styles that show the
/// stylesheet at work and writes them, as JSON, into an element of its own.
const MEASURE: &str = r#"<script>
(() => {
  const main = document.querySelector('main');
  const behind = (element) => {
    for (let e = element.parentElement; e; e = e.parentElement) {
      const colour = getComputedStyle(e).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  };
  const bars = [...main.querySelectorAll('svg rect')].map((r) => getComputedStyle(r).fill);
  const badges = [...main.querySelectorAll('[class*="badge"]')].map((b) => {
    const s = getComputedStyle(b);
    return { text: b.textContent, border: s.borderTopStyle, width: parseFloat(s.borderTopWidth),
             background: s.backgroundColor, behind: behind(b) };
  });
  // A table's title opens its caption; a benchmark's opens the line above its figures.
  const heads = 'caption > :first-child, [class*="title"] > strong:first-child, '
    + '[class*="heading"] > strong:first-child';
  const titles = [...main.querySelectorAll(heads)].map((t) => {
    const s = getComputedStyle(t);
    return { text: t.textContent, weight: parseInt(s.fontWeight, 10),
             gap: parseFloat(s.marginInlineEnd) };
  });
  const out = document.createElement('pre');
  out.id = 'measured';
  out.textContent = JSON.stringify({ bars, badges, titles });
  document.body.append(out);
})();
</script>"#;

/// What is unstyled in the built page `page`, one line each, starting with `bar`, `badge` or
/// `title`; empty when everything is styled. Without `with_stylesheet`, measures the page with
/// the link to the installed stylesheet taken out.
fn style_problems(chromium: &Path, page: &Path, with_stylesheet: bool) -> Result<Vec<String>> {
    let mut html = fs::read_to_string(page)?;
    if !with_stylesheet {
        let at = html
            .find("href=\"mdbook-compare")
            .context("the page does not link the installed stylesheet")?;
        let start = html[..at].rfind('<').context("a link element")?;
        let end = at + html[at..].find('>').context("a link element")? + 1;
        html.replace_range(start..end, "");
    }
    let end = html.rfind("</body>").context("the page has no </body>")?;
    html.insert_str(end, MEASURE);
    // Beside the page, so that its relative links to stylesheets resolve as they do for it.
    let copy = page.with_file_name("measured.html");
    fs::write(&copy, html)?;
    let found = measure(chromium, &copy)?;
    let list = |key: &str| found[key].as_array().cloned().unwrap_or_default();
    let (bars, badges, titles) = (list("bars"), list("badges"), list("titles"));
    ensure!(
        !bars.is_empty() && !badges.is_empty() && !titles.is_empty(),
        "the page has no bars, badges or titles to check: {found}"
    );
    let mut problems = Vec::new();
    for fill in &bars {
        if fill.as_str() == Some("rgb(0, 0, 0)") {
            problems.push(format!("bar: a bar is filled black ({fill})"));
        }
    }
    for badge in &badges {
        let text = &badge["text"];
        if badge["border"] == "none" || number(&badge["width"]) <= 0.0 {
            problems.push(format!("badge {text}: no border"));
        }
        let background = &badge["background"];
        if background == "rgba(0, 0, 0, 0)" || *background == badge["behind"] {
            problems.push(format!(
                "badge {text}: no background of its own ({background})"
            ));
        }
    }
    for title in &titles {
        let text = &title["text"];
        if number(&title["weight"]) < 600.0 {
            problems.push(format!("title {text}: not bold ({})", title["weight"]));
        }
        if number(&title["gap"]) <= 0.0 {
            problems.push(format!("title {text}: runs into what follows it"));
        }
    }
    Ok(problems)
}

/// Loads `page` in headless Chromium and returns what [`MEASURE`] wrote into it.
fn measure(chromium: &Path, page: &Path) -> Result<Value> {
    let profile = tempfile::tempdir()?;
    // Files rather than pipes: nobody reads a pipe while the page loads, and a full one would
    // stall Chromium.
    let (dom_file, log_file) = (profile.path().join("dom.html"), profile.path().join("log"));
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--allow-file-access-from-files",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.canonicalize()?.display()))
        .stdout(File::create(&dom_file)?)
        .stderr(File::create(&log_file)?)
        .spawn()
        .with_context(|| format!("starting {}", chromium.display()))?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "Chromium did not finish loading {} within 60 s",
                page.display()
            );
        }
        thread::sleep(Duration::from_millis(50));
    }
    let dom = fs::read_to_string(&dom_file)?;
    let start = dom.find("<pre id=\"measured\">").with_context(|| {
        let log = fs::read_to_string(&log_file).unwrap_or_default();
        format!("Chromium printed no measurements; its stderr:\n{log}")
    })? + "<pre id=\"measured\">".len();
    let end = start
        + dom[start..]
            .find("</pre>")
            .context("the measurements end")?;
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    serde_json::from_str(&json).with_context(|| format!("measurements are not JSON: {json}"))
}

/// A measured number, or 0 for anything else.
fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}
