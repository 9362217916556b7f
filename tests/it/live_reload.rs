//! Live authoring with the real `mdbook` program: while `mdbook watch` runs on the example book,
//! an edit to a data file reaches the built page, and a broken edit leaves the last good page in
//! place while the located error is printed.
//!
//! Without `mdbook` the test is skipped with a message; under `CI=true` it fails instead.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{BINARY, Book, program_or_skip, repo_root};

/// How long one rebuild may take before the test gives up.
const PATIENCE: Duration = Duration::from_secs(60);

/// The data file the test edits, and the page that shows it.
const DATA_FILE: &str = "data/dimensions/typing.toml";
const PAGE: &str = "book/html/dimensions.html";

/// A running `mdbook watch`, stopped when dropped (also when the test fails), and everything it
/// has printed on stderr so far.
struct Watch {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Watch {
    fn start(mdbook: &Path, book: &Path) -> Watch {
        let mut child = mdbook_command(mdbook, book)
            // The native watcher says it is listening only once its watches are in place.
            .args(["watch", "--watcher", "native"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start mdbook watch");
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut text = sink.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        Watch { child, stderr }
    }

    fn printed(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `mdbook` in `book`, running this test build's `mdbook-compare` for the preprocessor and the
/// `site-data` backend whatever `book.toml` names (mdBook reads `MDBOOK_A__B__C` as `a.b.c`).
fn mdbook_command(mdbook: &Path, book: &Path) -> Command {
    let mut command = Command::new(mdbook);
    command
        .current_dir(book)
        .env("MDBOOK_PREPROCESSOR__COMPARE__COMMAND", BINARY)
        .env(
            "MDBOOK_OUTPUT__SITE_DATA__COMMAND",
            format!("{BINARY} site-data"),
        );
    command
}

/// Waits until `done` holds, checking every 20 ms (a check reads a small file or the text
/// printed so far); panics with `what` after [`PATIENCE`].
fn wait_for(what: &str, watch: &Watch, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < PATIENCE,
            "gave up after {PATIENCE:?} waiting for {what}; mdbook printed:\n{}",
            watch.printed()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn watch_rebuilds_on_data_edits_and_keeps_the_last_good_page_on_errors() {
    let install = format!(
        "cargo install mdbook --locked --version {}",
        include_str!("../../.ci/mdbook-version").trim()
    );
    let Some(mdbook) = program_or_skip("mdbook", &install) else {
        return;
    };
    let book = Book::copy(&repo_root().join("examples/minimal"));
    let (data, page) = (book.root().join(DATA_FILE), book.root().join(PAGE));

    // `mdbook watch` builds only on changes, so build once first.
    let built = mdbook_command(&mdbook, book.root())
        .arg("build")
        .output()
        .expect("run mdbook build");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(read(&page).contains("cmp-dimension-typing"));

    let watch = Watch::start(&mdbook, book.root());
    wait_for("mdbook watch to listen", &watch, || {
        watch.printed().contains("Listening for changes")
    });

    // A good edit reaches the page.
    let original = read(&data);
    let edited = original.replacen("Type hints (PEP 484", "Live-edited type hints (PEP 484", 1);
    assert_ne!(original, edited, "the fixture has the text to edit");
    fs::write(&data, &edited).unwrap();
    wait_for("the edit to reach the page", &watch, || {
        read(&page).contains("Live-edited type hints")
    });

    // A broken edit fails the rebuild with a located error and leaves the page as it was.
    let broken = edited.replacen("edge = \"depends\"", "edge = \"perl\"", 1);
    assert_ne!(edited, broken, "the fixture has an edge to break");
    fs::write(&data, broken).unwrap();
    wait_for("the located error", &watch, || {
        let printed = watch.printed();
        printed.contains("`perl` names no language")
            && printed.contains(&format!("{DATA_FILE}:4:8"))
    });
    wait_for("the failed rebuild to finish", &watch, || {
        watch.printed().contains("failed to build the book")
    });
    let page_after = read(&page);
    assert!(
        page_after.contains("Live-edited type hints"),
        "the last good page is still there"
    );
    assert!(!page_after.contains("perl"));
}

/// A stand-in repository for `tools/mdbook-compare`: the script itself, one source of each kind it
/// watches, a `cargo` on `PATH` that logs its calls and "builds" by writing the binary, and that
/// binary, which prints its arguments.
struct LauncherRepo {
    root: tempfile::TempDir,
    bin: PathBuf,
}

const FAKE_BINARY: &str = "#!/bin/sh\necho \"ran $*\"\n";

impl LauncherRepo {
    fn new() -> LauncherRepo {
        let root = tempfile::tempdir().expect("temporary folder");
        let path = root.path();
        for folder in ["tools", "preprocessor/write", "theme", "fake-bin"] {
            fs::create_dir_all(path.join(folder)).unwrap();
        }
        fs::copy(
            repo_root().join("tools/mdbook-compare"),
            path.join("tools/mdbook-compare"),
        )
        .unwrap();
        for source in [
            "Cargo.toml",
            "Cargo.lock",
            "preprocessor/write/html.rs",
            "theme/compare.css",
        ] {
            fs::write(path.join(source), "source\n").unwrap();
        }
        let bin = path.join("fake-bin");
        let cargo = format!(
            "#!/bin/sh\necho \"cargo $*\" >> '{log}'\nmkdir -p '{release}'\nprintf '%s' '{FAKE_BINARY}' > '{binary}'\nchmod +x '{binary}'\n",
            log = path.join("cargo.log").display(),
            release = path.join("target/release").display(),
            binary = path.join("target/release/mdbook-compare").display(),
        );
        fs::write(bin.join("cargo"), cargo).unwrap();
        make_executable(&bin.join("cargo"));
        LauncherRepo { root, bin }
    }

    /// Runs the script with `supports html` and returns what it printed and how many times cargo
    /// has been started so far.
    fn run(&self) -> (String, usize) {
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let output = Command::new("sh")
            .arg(self.root.path().join("tools/mdbook-compare"))
            .args(["supports", "html"])
            .env("PATH", path)
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .expect("run tools/mdbook-compare");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let calls = read(&self.root.path().join("cargo.log")).lines().count();
        (String::from_utf8_lossy(&output.stdout).into_owned(), calls)
    }

    /// Sets a file's modification time to `seconds` after an hour ago.
    fn set_time(&self, relative: &str, seconds: u64) {
        let when =
            std::time::SystemTime::now() - Duration::from_secs(3600) + Duration::from_secs(seconds);
        fs::File::open(self.root.path().join(relative))
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn the_launcher_starts_cargo_only_when_a_source_is_newer_than_the_binary() {
    let repo = LauncherRepo::new();

    // No binary yet: it is built, then run.
    assert_eq!(repo.run(), ("ran supports html\n".to_owned(), 1));

    // Every source older than the binary: cargo is not started, however often mdBook calls.
    // Folders count too: a deleted or renamed source changes only its folder's time.
    for source in [
        "Cargo.toml",
        "Cargo.lock",
        "preprocessor/write/html.rs",
        "preprocessor/write",
        "preprocessor",
        "theme/compare.css",
    ] {
        repo.set_time(source, 0);
    }
    repo.set_time("target/release/mdbook-compare", 10);
    assert_eq!(repo.run().1, 1);
    assert_eq!(repo.run().1, 1);

    // A saved source, a manifest or the embedded stylesheet newer than the binary: built once,
    // and the call after that finds it fresh again.
    for (calls, source) in [
        (2, "preprocessor/write/html.rs"),
        (3, "Cargo.toml"),
        (4, "theme/compare.css"),
        (5, "preprocessor/write"),
    ] {
        repo.set_time("target/release/mdbook-compare", 10);
        repo.set_time(source, 20);
        assert_eq!(
            repo.run(),
            ("ran supports html\n".to_owned(), calls),
            "{source}"
        );
        assert_eq!(repo.run().1, calls, "{source}: fresh after the build");
    }
}
