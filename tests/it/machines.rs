//! Results from several machines, end to end: hand-made raw records of named machines (the
//! fixtures of `tests/fixtures/machines/`, never measurements) go through `bench/run
//! --from-raw` into one benchmark file, which the checks accept, and the site shows every
//! machine in the benchmark's "on other machines" table and the summary's machine count, in
//! HTML and in Markdown; a wrong reference or a machine listed twice is a located error.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common;

const ALICE: &str = "alice-x86-64-2c-e762bc";
const BOB: &str = "bob-x86-64-2c-e762bc";
const ARM: &str = "fixture-arm-arm64-16c-14688f";

/// A book showing the suite summary and n-body, whose file `bench/run --from-raw` rebuilt from
/// the repository's reference record (with `reference`) and the named fixtures `named`
/// (`(machine id, fixture file)`).
fn book(reference: bool, named: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("book");
    let raw = dir.path().join("raw");
    for folder in ["src", "data/benchmarks"] {
        fs::create_dir_all(root.join(folder)).expect("folder");
    }
    fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Machines\"\nsrc = \"src\"\n\n[preprocessor.compare]\ndata-dir = \"data\"\n\n\
         [output.html]\n\n[output.site-data]\ncommand = \"mdbook-compare site-data\"\n",
    )
    .expect("book.toml");
    let repo = common::repo_root();
    fs::copy(
        repo.join("data/languages.toml"),
        root.join("data/languages.toml"),
    )
    .expect("copy");
    fs::copy(
        repo.join("data/benchmarks/n-body.toml"),
        root.join("data/benchmarks/n-body.toml"),
    )
    .expect("copy");
    fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Suite](suite.md)\n",
    )
    .expect("write");
    fs::write(
        root.join("src/suite.md"),
        "# Suite\n\n<<benchmark-summary>>\n\n<<benchmark n-body>>\n",
    )
    .expect("write");
    fs::create_dir_all(&raw).expect("raw folder");
    if reference {
        fs::copy(
            repo.join("bench/results/n-body.json"),
            raw.join("n-body.json"),
        )
        .expect("copy");
    }
    for (id, fixture) in named {
        let folder = raw.join("machines").join(id);
        fs::create_dir_all(&folder).expect("folder");
        fs::copy(
            repo.join("tests/fixtures/machines").join(fixture),
            folder.join("n-body.json"),
        )
        .expect("copy fixture");
    }
    let run = Command::new("python3")
        .arg(repo.join("bench/run"))
        .args(["n-body", "--from-raw"])
        .arg(&raw)
        .arg("--book")
        .arg(&root)
        .output()
        .expect("run python3");
    assert!(
        run.status.success(),
        "bench/run --from-raw failed:\n{}",
        common::stderr(&run)
    );
    dir
}

fn root(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("book")
}

/// The built page of the suite, with the preprocessor in process.
fn site(root: &Path) -> String {
    let build_dir = root.join("out");
    common::build(root, &build_dir).expect("the book builds");
    common::page(&build_dir, "suite.html")
}

/// The chapter as the preprocessor writes it for the markdown renderer.
fn markdown(root: &Path) -> String {
    let output = common::run_preprocessor(root, "markdown");
    assert!(output.status.success(), "{}", common::stderr(&output));
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn machine_names(root: &Path) -> Vec<String> {
    let text = fs::read_to_string(root.join("data/benchmarks/n-body.toml")).expect("read");
    let file: toml::Table = toml::from_str(&text).expect("TOML");
    file["machines"]
        .as_array()
        .expect("machines")
        .iter()
        .map(|m| m["name"].as_str().expect("name").to_string())
        .collect()
}

#[test]
fn two_runs_under_two_machine_names_make_one_dataset_with_two_machines_shown_on_the_site() {
    let dir = book(
        false,
        &[(ALICE, "alice-n-body.json"), (BOB, "bob-n-body.json")],
    );
    let root = root(&dir);
    assert_eq!(machine_names(&root), [ALICE, BOB]);
    let check = common::check(&root, &["--deny-warnings"]);
    assert!(check.status.success(), "{}", common::stderr(&check));

    let html = site(&root);
    let table = &html[html.find("On other machines").expect("the machines table")..];
    let alice = table.find(ALICE).expect("alice's row");
    let bob = table.find(BOB).expect("bob's row");
    assert!(alice < bob, "the reference comes first");
    assert!(table.contains("(reference, the table above)"));
    assert!(table.contains("2 cores, x86-64"));
    assert!(table.contains("n = 5 each"), "each machine's runs");
    assert!(table.contains("95% CI"), "each machine's interval");
    assert!(
        html.contains("Rust better on 2 of 2 machines, "),
        "the summary counts the machines"
    );

    let published =
        fs::read_to_string(common::site(&root.join("out")).join("data.json")).expect("data.json");
    let published: serde_json::Value = serde_json::from_str(&published).expect("JSON");
    let n_body = published["benchmarks"]
        .as_array()
        .expect("benchmarks")
        .iter()
        .find(|b| b["id"] == "n-body")
        .expect("n-body");
    assert_eq!(
        n_body["machine"], ALICE,
        "the site's data names the reference"
    );
    let machines = n_body["machines"]
        .as_array()
        .expect("machines in data.json");
    assert_eq!(machines[1]["name"], BOB);
    assert_eq!(machines[1]["cores"], 2);
    assert_eq!(machines[1]["architecture"], "x86-64");
    assert!(machines[1]["metrics"][0]["intervals"][0]["ratio"].is_number());

    let markdown = markdown(&root);
    for expected in [ALICE, BOB, "On other machines", "on 2 of 2 machines"] {
        assert!(markdown.contains(expected), "the Markdown shows {expected}");
    }
}

#[test]
fn an_arm64_machine_with_more_cores_renders_its_architecture_and_cores() {
    let dir = book(true, &[(ARM, "arm64-16-cores-n-body.json")]);
    let root = root(&dir);
    let names = machine_names(&root);
    assert_eq!(names.len(), 2);
    assert!(names[0].starts_with("reference-x86-64-2c-"), "{names:?}");
    let html = site(&root);
    let table = &html[html.find("On other machines").expect("the machines table")..];
    assert!(table.contains(ARM));
    assert!(table.contains("16 cores, arm64"));
    assert!(table.contains("2 cores, x86-64"));
    assert!(markdown(&root).contains("16 cores, arm64"));
}

#[test]
fn a_reference_that_is_no_listed_machine_is_a_located_error_with_the_closest() {
    let dir = book(
        false,
        &[(ALICE, "alice-n-body.json"), (BOB, "bob-n-body.json")],
    );
    let root = root(&dir);
    let file = root.join("data/benchmarks/n-body.toml");
    let text = fs::read_to_string(&file).expect("read");
    let wrong = "alice-x86-64-2c-e762bd";
    fs::write(
        &file,
        text.replacen(
            &format!("machine = \"{ALICE}\""),
            &format!("machine = \"{wrong}\""),
            1,
        ),
    )
    .expect("write");
    let line = fs::read_to_string(&file)
        .expect("read")
        .lines()
        .position(|l| l.starts_with("machine = "))
        .expect("the reference line")
        + 1;
    let check = common::check(&root, &[]);
    let stderr = common::stderr(&check);
    assert!(!check.status.success());
    assert!(
        stderr.contains(&format!("unknown machine `{wrong}`")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("data/benchmarks/n-body.toml:{line}:11")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("did you mean `{ALICE}`")),
        "{stderr}"
    );
    assert!(stderr.contains(BOB), "the valid choices: {stderr}");
}

#[test]
fn a_machine_listed_twice_is_a_located_error() {
    let dir = book(
        false,
        &[(ALICE, "alice-n-body.json"), (BOB, "bob-n-body.json")],
    );
    let root = root(&dir);
    let file = root.join("data/benchmarks/n-body.toml");
    let text = fs::read_to_string(&file).expect("read");
    fs::write(
        &file,
        text.replacen(
            &format!("name = \"{BOB}\""),
            &format!("name = \"{ALICE}\""),
            1,
        ),
    )
    .expect("write");
    let check = common::check(&root, &[]);
    let stderr = common::stderr(&check);
    assert!(!check.status.success());
    assert!(
        stderr.contains(&format!("machine `{ALICE}` is listed twice")),
        "{stderr}"
    );
    assert!(stderr.contains("data/benchmarks/n-body.toml:"), "{stderr}");
}

#[test]
fn a_machine_figure_of_an_unknown_metric_is_a_located_error_with_the_closest() {
    let dir = book(
        false,
        &[(ALICE, "alice-n-body.json"), (BOB, "bob-n-body.json")],
    );
    let root = root(&dir);
    let file = root.join("data/benchmarks/n-body.toml");
    let text = fs::read_to_string(&file).expect("read");
    fs::write(
        &file,
        text.replacen(
            "[[machines.metrics]]\nid = \"time\"",
            "[[machines.metrics]]\nid = \"tme\"",
            1,
        ),
    )
    .expect("write");
    let check = common::check(&root, &[]);
    let stderr = common::stderr(&check);
    assert!(!check.status.success());
    assert!(stderr.contains("unknown metric `tme`"), "{stderr}");
    assert!(stderr.contains("data/benchmarks/n-body.toml:"), "{stderr}");
    assert!(stderr.contains("did you mean `time`"), "{stderr}");
}

#[test]
fn a_machine_name_that_is_no_id_is_a_located_error_with_the_id_it_could_be() {
    let dir = book(
        false,
        &[(ALICE, "alice-n-body.json"), (BOB, "bob-n-body.json")],
    );
    let root = root(&dir);
    let file = root.join("data/benchmarks/n-body.toml");
    let text = fs::read_to_string(&file).expect("read");
    fs::write(
        &file,
        text.replacen(&format!("name = \"{BOB}\""), "name = \"Bob Box\"", 1),
    )
    .expect("write");
    let check = common::check(&root, &[]);
    let stderr = common::stderr(&check);
    assert!(!check.status.success());
    assert!(
        stderr.contains("`Bob Box` cannot be a machine's name"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `bob-box`?"), "{stderr}");
}
