use std::fs;

use super::*;
use crate::diagnostic::SourceFile;

/// A book with benchmark `hello`: its data file, raw runs naming `hello/lang` in `bench/`,
/// and that program.
fn book(compilers: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = root.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write("data/benchmarks/hello.toml", "title = \"Hello\"\n");
    write(
        "bench/results/hello.json",
        &format!("{{\"environment\": {{\"compilers\": {compilers}}}}}"),
    );
    write("bench/README.md", "How to run\n");
    write("bench/hello/lang/src/main.x", "print(1)\n");
    write("bench/hello/lang/.hidden", "left out\n");
    root
}

fn entry(raw: Option<&str>) -> Entry<Benchmark> {
    let mut toml = String::from(
        "title = \"Hello <b>\"\ndescription = \"d\"\nprovenance = \"reproduced\"\n\
         environment = \"e\"\nas_of = \"2026-01-01\"\nreproduce = \"bench/run hello\"\n\
         sources = [{ title = \"s\" }]\n[setup]\n[[metrics]]\nid = \"m\"\nname = \"m\"\n\
         unit = \"ms\"\ndirection = \"lower\"\n[metrics.values]\n",
    );
    if let Some(raw) = raw {
        toml.insert_str(0, &format!("raw = {raw:?}\n"));
    }
    Entry {
        id: "hello".into(),
        file: SourceFile::new("data/benchmarks/hello.toml", ""),
        value: toml::from_str(&toml).unwrap(),
    }
}

const LANG: &str = r#"{"lang": {"hello": {"version": "1"}}}"#;

#[test]
fn publishes_programs_raw_runs_data_and_readme_as_text_copies() {
    let root = book(LANG);
    let site = tempfile::tempdir().unwrap();
    let evidence = Evidence::gather(root.path(), &entry(Some("bench/results/hello.json"))).unwrap();
    evidence.publish(root.path(), site.path()).unwrap();
    for file in [
        "data/benchmarks/hello.toml",
        "bench/results/hello.json",
        "bench/README.md",
        "bench/hello/lang/src/main.x",
    ] {
        assert!(site.path().join(copy(file)).is_file(), "{file}");
    }
    assert!(!site.path().join(copy("bench/hello/lang/.hidden")).exists());
    let page = fs::read_to_string(site.path().join(page("hello"))).unwrap();
    assert!(
        page.contains("<title>Evidence: Hello &lt;b&gt;</title>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"./files/bench/hello/lang/src/main.x.txt\""),
        "{page}"
    );
    assert!(
        page.contains("<pre><code>bench/run hello</code></pre>"),
        "{page}"
    );
    assert!(page.contains("id=\"programs\"") && page.contains("id=\"rerun\""));
}

#[test]
fn without_raw_runs_the_page_has_the_data_file_alone() {
    let root = book(LANG);
    let site = tempfile::tempdir().unwrap();
    let evidence = Evidence::gather(root.path(), &entry(None)).unwrap();
    evidence.publish(root.path(), site.path()).unwrap();
    let page = fs::read_to_string(site.path().join(page("hello"))).unwrap();
    assert!(page.contains("records no raw runs"), "{page}");
    assert!(
        site.path()
            .join(copy("data/benchmarks/hello.toml"))
            .is_file()
    );
}

#[test]
fn a_program_folder_that_climbs_out_is_refused() {
    for compilers in [
        r#"{"lang": {"..": {}}}"#,
        r#"{"..": {"hello": {}}}"#,
        r#"{"lang": {"a/../../x": {}}}"#,
        r#"{"lang": {"/etc": {}}}"#,
    ] {
        let root = book(compilers);
        let err =
            Evidence::gather(root.path(), &entry(Some("bench/results/hello.json"))).unwrap_err();
        assert!(
            err.contains("not a plain folder name"),
            "{compilers}: {err}"
        );
    }
}

#[test]
fn a_raw_path_with_dot_dot_is_refused() {
    let root = book(LANG);
    let err = Evidence::gather(root.path(), &entry(Some("bench/../../outside.json"))).unwrap_err();
    assert!(err.contains("not a path inside the book"), "{err}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret"), "secret\n").unwrap();
    fs::create_dir(outside.path().join("lang")).unwrap();
    // A program folder that is a link.
    let root = book(r#"{"lang": {"linked": {}}}"#);
    symlink(outside.path(), root.path().join("bench/linked")).unwrap();
    let err = Evidence::gather(root.path(), &entry(Some("bench/results/hello.json"))).unwrap_err();
    assert!(err.contains("symbolic link"), "{err}");
    // A file in a program that is a link.
    let root = book(LANG);
    symlink(
        outside.path().join("secret"),
        root.path().join("bench/hello/lang/src/key.x"),
    )
    .unwrap();
    let err = Evidence::gather(root.path(), &entry(Some("bench/results/hello.json"))).unwrap_err();
    assert!(
        err.contains("`bench/hello/lang/src/key.x` is a symbolic link"),
        "{err}"
    );
    // Raw runs that are a link.
    let root = book(LANG);
    symlink(
        outside.path().join("secret"),
        root.path().join("bench/results/linked.json"),
    )
    .unwrap();
    let err = Evidence::gather(root.path(), &entry(Some("bench/results/linked.json"))).unwrap_err();
    assert!(err.contains("symbolic link"), "{err}");
    // A site whose evidence folder is a link: nothing is written through it.
    let root = book(LANG);
    let site = tempfile::tempdir().unwrap();
    symlink(outside.path(), site.path().join("evidence")).unwrap();
    let evidence = Evidence::gather(root.path(), &entry(Some("bench/results/hello.json"))).unwrap();
    let err = evidence.publish(root.path(), site.path()).unwrap_err();
    assert!(err.contains("not a folder"), "{err}");
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 2);
}

#[test]
fn a_hostile_file_name_is_escaped_and_encoded() {
    let root = book(LANG);
    let name = "a\"><img src=x onerror=alert(1)>&#x3C; b?#.rs";
    fs::write(root.path().join("bench/hello/lang").join(name), "x\n").unwrap();
    let site = tempfile::tempdir().unwrap();
    let evidence = Evidence::gather(root.path(), &entry(Some("bench/results/hello.json"))).unwrap();
    evidence.publish(root.path(), site.path()).unwrap();
    let page = fs::read_to_string(site.path().join(page("hello"))).unwrap();
    assert!(!page.contains("<img"), "{page}");
    assert!(page.contains(
        "href=\"./files/bench/hello/lang/a%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%26%23x3C%3B%20b%3F%23.rs.txt\""
    ), "{page}");
    assert!(
        page.contains(
            "<code>a&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;#x3C; b?#.rs</code>"
        ),
        "{page}"
    );
    let copied = site.path().join(copy(&format!("bench/hello/lang/{name}")));
    assert!(copied.is_file());
}

#[test]
fn a_large_file_is_refused() {
    let root = book(LANG);
    let big = "x".repeat(usize::try_from(MAX_FILE).unwrap() + 1);
    fs::write(root.path().join("bench/hello/lang/big.x"), big).unwrap();
    let evidence = Evidence::gather(root.path(), &entry(Some("bench/results/hello.json"))).unwrap();
    let site = tempfile::tempdir().unwrap();
    let err = evidence.publish(root.path(), site.path()).unwrap_err();
    assert!(err.contains("larger than"), "{err}");
}

#[test]
fn the_page_names_each_language_by_its_name_and_links_back_to_the_benchmark() {
    let root = book(LANG);
    let site = tempfile::tempdir().unwrap();
    let language: Language = toml::from_str(
        "id = \"lang\"\nname = \"Lang <i>\"\ntagline = \"t\"\nhomepage = \"https://x.example\"\n",
    )
    .unwrap();
    let evidence = Evidence::gather(root.path(), &entry(Some("bench/results/hello.json")))
        .unwrap()
        .shown_in(&[language], Some("guide/a b.html"));
    evidence.publish(root.path(), site.path()).unwrap();
    let page = fs::read_to_string(site.path().join(page("hello"))).unwrap();
    assert!(page.contains("</code> (Lang &lt;i&gt;)</h3>"), "{page}");
    assert!(!page.contains("</code> (lang)</h3>"), "{page}");
    assert!(
        page.contains("<a href=\"../guide/a%20b.html#cmp-benchmark-hello\">"),
        "{page}"
    );
}
