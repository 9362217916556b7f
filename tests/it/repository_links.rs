//! "view data" and "suggest a change": with `git-repository-url` set, every table links to its
//! TOML file on the repository and to a new issue naming it, in HTML and in Markdown; without
//! it, no links at all.

use std::fs;
use std::io::Write;

use crate::common::{build, copy_to_temp, fixture, page, run_preprocessor, stderr};

const REPOSITORY: &str = "https://github.com/example/compare";

/// The basic fixture book with `git-repository-url` set.
fn fixture_with_repository() -> tempfile::TempDir {
    let book = copy_to_temp(&fixture("basic"));
    let mut config = fs::OpenOptions::new()
        .append(true)
        .open(book.path().join("book.toml"))
        .unwrap();
    writeln!(
        config,
        "\n[output.html]\ngit-repository-url = \"{REPOSITORY}/\""
    )
    .unwrap();
    book
}

#[test]
fn html_tables_link_to_their_data_file_and_a_new_issue() {
    let book = fixture_with_repository();
    let out = tempfile::tempdir().unwrap();
    build(book.path(), out.path()).unwrap();
    let html = page(out.path(), "chapter.html");
    for file in [
        "dimensions/speed.toml",
        "dimensions/onboarding.toml",
        "benchmarks/hello.toml",
        "quick-takes.toml",
    ] {
        let view = format!("<a href=\"{REPOSITORY}/blob/main/data/{file}\">view data</a>");
        assert!(html.contains(&view), "a link to {file}");
    }
    let issue = format!(
        "<a href=\"{REPOSITORY}/issues/new?title=Suggested%20change%3A%20dimension%20%22speed%22&amp;body=Data%20file%3A%20data%2Fdimensions%2Fspeed.toml"
    );
    assert!(html.contains(&issue), "an issue link with the id and file");
    assert!(html.contains(&format!(
        "href=\"{REPOSITORY}/issues/new?title=Suggested%20change%3A%20quick%20takes&amp;body="
    )));
}

#[test]
fn a_benchmark_s_raw_runs_link_to_their_file() {
    let book = fixture_with_repository();
    fs::create_dir(book.path().join("bench")).unwrap();
    fs::write(book.path().join("bench/hello runs.csv"), "run,ms\n1,2\n").unwrap();
    let data = book.path().join("data/benchmarks/hello.toml");
    let toml = fs::read_to_string(&data).unwrap();
    fs::write(&data, format!("raw = \"bench/hello runs.csv\"\n{toml}")).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(book.path(), out.path()).unwrap();
    let html = page(out.path(), "chapter.html");
    let link = format!("href=\"{REPOSITORY}/blob/main/bench/hello%20runs.csv\"");
    assert!(html.contains(&link), "{html}");
    let output = run_preprocessor(book.path(), "markdown");
    let book_json = String::from_utf8(output.stdout).unwrap();
    let link = format!("(<{REPOSITORY}/blob/main/bench/hello%20runs.csv>");
    let bare = format!("({REPOSITORY}/blob/main/bench/hello%20runs.csv");
    assert!(
        book_json.contains(&link) || book_json.contains(&bare),
        "{book_json}"
    );
}

#[test]
fn markdown_tables_link_too() {
    let book = fixture_with_repository();
    let output = run_preprocessor(book.path(), "markdown");
    assert!(output.status.success(), "{}", stderr(&output));
    let book_json = String::from_utf8(output.stdout).unwrap();
    let view = format!("[view data]({REPOSITORY}/blob/main/data/dimensions/speed.toml)");
    assert!(book_json.contains(&view), "{book_json}");
    let issue = format!(
        "[suggest a change]({REPOSITORY}/issues/new?title=Suggested%20change%3A%20benchmark%20%22hello%22&body="
    );
    assert!(book_json.contains(&issue), "{book_json}");
}

#[test]
fn without_a_repository_url_there_are_no_links() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("basic"), out.path()).unwrap();
    let html = page(out.path(), "chapter.html");
    assert!(!html.contains("cmp-data-link"));
    assert!(!html.contains("suggest a change"));
}

/// The basic fixture book published with the `site-data` backend, its benchmark reproduced by
/// a program in `bench/hello/rust/` that its raw runs name (as the suite's runner records it).
fn fixture_with_evidence() -> tempfile::TempDir {
    let book = copy_to_temp(&fixture("basic"));
    let mut config = fs::OpenOptions::new()
        .append(true)
        .open(book.path().join("book.toml"))
        .unwrap();
    writeln!(
        config,
        "\n[output.html]\n\n[output.site-data]\ncommand = \"unused\""
    )
    .unwrap();
    fs::create_dir_all(book.path().join("bench/results")).unwrap();
    fs::create_dir_all(book.path().join("bench/hello/rust")).unwrap();
    fs::write(
        book.path().join("bench/results/hello runs.json"),
        r#"{"environment": {"compilers": {"rust": {"hello": {"version": "1"}}}}}"#,
    )
    .unwrap();
    fs::write(
        book.path().join("bench/hello/rust/main.rs"),
        "fn main() {}\n",
    )
    .unwrap();
    let data = book.path().join("data/benchmarks/hello.toml");
    let toml = fs::read_to_string(&data)
        .unwrap()
        .replace("provenance = \"unverified\"", "provenance = \"reproduced\"");
    fs::write(
        &data,
        format!("raw = \"bench/results/hello runs.json\"\nreproduce = \"bench/run hello\"\n{toml}"),
    )
    .unwrap();
    book
}

/// Every `href` of `html` that leads into the site's `evidence/` folder, without its fragment,
/// decoded.
fn evidence_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.contains("evidence/"))
        .map(|href| {
            let path = href.split('#').next().unwrap();
            percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
        .collect()
}

#[test]
fn source_raw_runs_and_rerun_it_resolve_inside_the_built_site() {
    let book = fixture_with_evidence();
    let out = tempfile::tempdir().unwrap();
    build(book.path(), out.path()).unwrap();
    let site = out.path().join("html");
    let html = fs::read_to_string(site.join("chapter.html")).unwrap();
    for label in ["Source:", "Rerun it:", "Raw runs:"] {
        let at = html
            .find(label)
            .unwrap_or_else(|| panic!("{label} in {html}"));
        let line = &html[html[..at].rfind("<p").unwrap()..];
        let line = &line[..line.find("</p>").unwrap()];
        assert_eq!(evidence_links(line).len(), 1, "{label} is one link: {line}");
    }
    let links = evidence_links(&html);
    assert!(links.len() >= 3, "{links:?}");
    for link in &links {
        assert!(site.join(link).is_file(), "{link} is not in the built site");
    }
    let page = fs::read_to_string(site.join("evidence/hello.html")).unwrap();
    for link in evidence_links(&page.replace("href=\"./files/", "href=\"evidence/files/")) {
        assert!(
            site.join(&link).is_file(),
            "{link} is not in the built site"
        );
    }
    assert_eq!(
        fs::read_to_string(site.join("evidence/files/bench/hello/rust/main.rs.txt")).unwrap(),
        "fn main() {}\n"
    );
}

#[test]
fn the_figures_download_as_csv_and_json_and_each_chart_as_svg_from_beside_the_table() {
    let book = fixture_with_evidence();
    let out = tempfile::tempdir().unwrap();
    build(book.path(), out.path()).unwrap();
    let site = out.path().join("html");
    let html = fs::read_to_string(site.join("chapter.html")).unwrap();
    let at = html.find("Download:").unwrap_or_else(|| panic!("{html}"));
    let line = &html[html[..at].rfind("<p").unwrap()..];
    let line = &line[..line.find("</p>").unwrap()];
    let links = evidence_links(line);
    for (link, format) in links.iter().zip(["csv", "json"]) {
        assert_eq!(link, &format!("./evidence/hello.{format}"), "{line}");
    }
    let charts = &links[2..];
    assert!(!charts.is_empty(), "a chart to download: {line}");
    for link in &links {
        assert!(site.join(link).is_file(), "{link} is not in the built site");
    }
    let csv = fs::read_to_string(site.join("evidence/hello.csv")).unwrap();
    assert!(
        csv.starts_with(
            "\"benchmark\",\"metric\",\"metric_name\",\"unit\",\"better\",\"language\""
        ),
        "{csv}"
    );
    assert!(csv.lines().count() > 1, "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("evidence/hello.json")).unwrap())
            .unwrap();
    assert_eq!(json["id"], "hello");
    for chart in charts {
        assert!(chart.ends_with(".svg"), "{chart}");
        let svg = fs::read_to_string(site.join(chart)).unwrap();
        assert!(svg.starts_with("<?xml"), "{svg}");
        assert!(svg.contains("<svg class=\"cmp-chart\" xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title id=\"chart-title\">") && svg.contains("<style>"));
    }
}

#[test]
fn the_evidence_page_names_languages_and_links_back_to_the_benchmark() {
    let book = fixture_with_evidence();
    let out = tempfile::tempdir().unwrap();
    build(book.path(), out.path()).unwrap();
    let site = out.path().join("html");
    let page = fs::read_to_string(site.join("evidence/hello.html")).unwrap();
    assert!(page.contains("</code> (Rust)</h3>"), "{page}");
    let back = "<a href=\"../chapter.html#cmp-benchmark-hello\">";
    assert!(page.contains(back), "{page}");
    let chapter = fs::read_to_string(site.join("chapter.html")).unwrap();
    assert!(chapter.contains("id=\"cmp-benchmark-hello\""), "{chapter}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_program_fails_the_build_and_nothing_outside_is_published() {
    let book = fixture_with_evidence();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret"), "secret\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret"),
        book.path().join("bench/hello/rust/key.rs"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    // The backend's message (on mdBook's stderr) names the link: see the unit tests of
    // `evidence`.
    assert!(build(book.path(), out.path()).is_err());
    assert!(
        !out.path()
            .join("html/evidence/files/bench/hello/rust/key.rs.txt")
            .exists()
    );
}

#[test]
fn under_mdbook_serve_the_evidence_waits_for_the_real_build() {
    // `mdbook serve` sets a live-reload endpoint and rebuilds on every save: the evidence (some
    // hundreds of files) is neither written nor linked then, and `mdbook build` publishes it.
    let book = fixture_with_evidence();
    let toml = book.path().join("book.toml");
    let text = fs::read_to_string(&toml).unwrap().replace(
        "[output.html]\n",
        "[output.html]\nlive-reload-endpoint = \"__livereload\"\n",
    );
    fs::write(&toml, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(book.path(), out.path()).unwrap();
    let site = out.path().join("html");
    let html = fs::read_to_string(site.join("chapter.html")).unwrap();
    assert!(evidence_links(&html).is_empty(), "{html}");
    assert!(!html.contains("Download:"), "{html}");
    assert!(!site.join("evidence").exists());
    assert!(site.join("data.json").is_file());
}
