//! What a page author writes either works or is reported: books built through mdBook (in
//! process, as mdBook's own test suite builds them) and checked with `mdbook-compare check`,
//! which must agree with the build.

use std::process::Output;

use crate::common::{self, Book, markdown_to_html, stderr};

/// The `basic` fixture with one chapter, `src/chapter.md`, holding `text`, built for the html
/// and markdown backends.
fn book_with_chapter(text: &str) -> Book {
    let book = Book::fixture("basic");
    book.write("src/SUMMARY.md", "# Summary\n\n- [Chapter](chapter.md)\n")
        .write("src/chapter.md", text)
        .configure("\n[output.html]\n\n[output.markdown]\n");
    book
}

/// The chapter built: its html `<main>` and its Markdown rendered to HTML as mdBook would.
fn built(book: &Book) -> [String; 2] {
    book.build().expect("the book builds");
    [
        book.main("chapter.html"),
        markdown_to_html(&book.markdown("chapter.md")),
    ]
}

/// Asserts that `output` (of `check`) succeeded with nothing to report but its summary.
fn assert_clean(output: &Output) {
    let report = stderr(output);
    assert!(output.status.success(), "{report}");
    assert!(
        !report.contains("error") && !report.contains("warning"),
        "{report}"
    );
}

// Issue 12 (5): the block after a directive is a block of its own, in both renderers.

/// Each kind of block an author may write on the line right after a directive, and what it
/// becomes in HTML.
const NEXT_BLOCKS: &[(&str, &str, &str)] = &[
    ("heading", "# Next", ">Next</"),
    ("fence", "```\nfenced\n```", "<pre><code>fenced"),
    ("blockquote", "> quoted", "<p>quoted</p>"),
    ("list", "- item", "<li>item</li>"),
    ("thematic break", "***", "<hr"),
    // Under a line of text, `---` would underline it as a heading: not under a directive.
    ("thematic break of dashes", "---", "<hr"),
    ("table", "| a | b |\n|---|---|\n| 1 | 2 |", ">a</th>"),
    ("indented code", "    indented", "<pre><code>indented"),
    ("numbered list", "2. item", "<ol start=\"2\">"),
];

#[test]
fn a_block_right_after_a_directive_renders_as_its_own_block() {
    for directive in ["<<compare speed>>", "<<compare speed onboarding>>"] {
        for (kind, block, html) in NEXT_BLOCKS {
            let book = book_with_chapter(&format!("# Chapter\n\n{directive}\n{block}\n"));
            for (renderer, page) in ["html", "markdown"].iter().zip(built(&book)) {
                assert!(
                    page.contains(html),
                    "{kind} after {directive}, {renderer} renderer: no `{html}` in\n{page}"
                );
            }
        }
    }
}

#[test]
fn a_block_after_a_blank_line_is_not_taken_into_the_expansion() {
    for (kind, block, html) in NEXT_BLOCKS {
        let book = book_with_chapter(&format!(
            "# Chapter\n\n<<compare speed onboarding>>\n\n{block}\n"
        ));
        for (renderer, page) in ["html", "markdown"].iter().zip(built(&book)) {
            assert!(
                page.contains(html),
                "{kind} after a blank line, {renderer} renderer: no `{html}` in\n{page}"
            );
        }
    }
}

// Issue 12 (6): a misspelled directive is an error with did-you-mean; other `<<` is prose.

#[test]
fn misspelled_directive_names_are_errors_with_did_you_mean() {
    let cases = [
        ("<<comapre speed>>", "comapre", "compare"),
        ("<<Compare speed>>", "Compare", "compare"),
        ("<<benchmarks hello>>", "benchmarks", "benchmark"),
        ("<<quick_takes>>", "quick_takes", "quick-takes"),
        ("<< compare speed>>", "compare", "compare"),
    ];
    for (written, name, meant) in cases {
        let book = book_with_chapter(&format!("# Chapter\n\n{written}\n"));
        let checked = book.check();
        let report = stderr(&checked);
        assert_eq!(checked.status.code(), Some(1), "{written}: {report}");
        assert!(report.contains(&format!("`{name}`")), "{written}: {report}");
        assert!(
            report.contains(&format!("did you mean `{meant}`?")),
            "{written}: {report}"
        );
        assert!(report.contains("src/chapter.md:3:"), "{written}: {report}");
        let built = book
            .build()
            .expect_err("a misspelled directive fails the build");
        assert!(
            built.contains(&format!("did you mean `{meant}`?")),
            "{written}: {built}"
        );
    }
}

#[test]
fn ordinary_angle_brackets_are_prose() {
    let text = "# Chapter\n\nShifts: 1 << 3, x <<= 2, a<<b, a << b >> c and x<<2.\n\n\
                Types: Vec<Vec<T>> and HashMap<String, Vec<u8>>.\n\n\
                A heredoc: cat <<EOF, cat <<-EOF and <<'END'.\n\n\
                Quotes: << guillemets >>, <<>> and << 1 >>.\n\n\
                Code: `<<cmp speed>>`, `cat <<EOF >> log`.\n\n\
                ```sh\ncat <<EOF >> log\n<<cmp speed>>\n```\n\n\
                <div>\n<<cmp speed>>\n</div>\n";
    let book = book_with_chapter(text);
    assert_clean(&book.check());
    let [html, markdown] = built(&book);
    for page in [html, markdown] {
        assert!(
            page.contains(
                "1 &lt;&lt; 3, x &lt;&lt;= 2, a&lt;&lt;b, a &lt;&lt; b &gt;&gt; c and x&lt;&lt;2."
            ),
            "{page}"
        );
        assert!(page.contains("cat &lt;&lt;EOF, cat &lt;&lt;-EOF"), "{page}");
        assert!(
            page.contains(
                "&lt;&lt; guillemets &gt;&gt;, &lt;&lt;&gt;&gt; and &lt;&lt; 1 &gt;&gt;."
            ),
            "{page}"
        );
        assert!(
            page.contains("<code>&lt;&lt;cmp speed&gt;&gt;</code>"),
            "{page}"
        );
    }
}

#[test]
fn a_word_far_from_every_directive_in_double_angle_brackets_is_an_unknown_directive() {
    // Left alone, Markdown reads `<cmp speed>` as an HTML tag: the page would show `<>`.
    for (written, name, at) in [
        ("<<cmp speed>>", "cmp", "3:3"),
        ("It is <<fast>> here.", "fast", "3:9"),
        ("Vec<<T>> in prose.", "T", "3:6"),
        ("- <<hello world>>", "hello", "3:5"),
    ] {
        let book = book_with_chapter(&format!("# Chapter\n\n{written}\n"));
        let checked = book.check();
        let report = stderr(&checked);
        assert_eq!(checked.status.code(), Some(1), "{written}: {report}");
        assert!(
            report.contains(&format!("error: unknown directive `{name}`")),
            "{written}: {report}"
        );
        assert!(
            report.contains(&format!("src/chapter.md:{at}")),
            "{written}: {report}"
        );
        assert!(
            report.contains("note: valid directives: `compare`, "),
            "{written}: {report}"
        );
        assert!(report.contains("write `\\<<`"), "{written}: {report}");
        let built = book
            .build()
            .expect_err("an unknown directive fails the build");
        assert!(
            built.contains(&format!("unknown directive `{name}`")),
            "{written}: {built}"
        );
    }
    let report = stderr(&book_with_chapter("# Chapter\n\n<<cmp speed>>\n").check());
    assert!(
        report.contains("help: the closest directive is `compare`"),
        "{report}"
    );
}

#[test]
fn a_directive_name_glued_to_its_arguments_is_told_to_take_a_space() {
    for written in [
        "<<compare:speed>>",
        "<<compare,speed>>",
        "<<compare.speed>>",
        "<<compare-speed>>",
        "<<compare_speed>>",
        "<<compare: speed>>",
    ] {
        let book = book_with_chapter(&format!("# Chapter\n\n{written}\n"));
        let checked = book.check();
        let report = stderr(&checked);
        assert_eq!(checked.status.code(), Some(1), "{written}: {report}");
        assert!(
            report.contains("error: a directive's name must be followed by a space"),
            "{written}: {report}"
        );
        assert!(
            report.contains("write `<<compare speed>>`"),
            "{written}: {report}"
        );
        assert!(!report.contains("did you mean"), "{written}: {report}");
        assert!(report.contains("src/chapter.md:3:3"), "{written}: {report}");
        let built = book.build().expect_err("a glued name fails the build");
        assert!(
            built.contains("write `<<compare speed>>`"),
            "{written}: {built}"
        );
    }
}

// Issue 12 (7): directives in included files are expanded; their errors name the file.

/// A book whose chapter includes `src/part.md` holding `part`, with `compare` after `links`.
fn book_including(part: &str) -> Book {
    let book = book_with_chapter("# Chapter\n\nBefore.\n\n{{#include part.md}}\n\nAfter.\n");
    book.write("src/part.md", part);
    after_links(&book);
    book
}

/// Orders `compare` after mdBook's `links` in the book's `book.toml`.
fn after_links(book: &Book) {
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        toml.replace(
            "[preprocessor.compare]\n",
            "[preprocessor.compare]\nafter = [\"links\"]\n",
        ),
    );
}

#[test]
fn directives_in_included_files_are_expanded() {
    let book = book_including("Included:\n\n<<compare speed>>\n");
    assert_clean(&book.check());
    for page in built(&book) {
        assert!(
            page.contains("id=\"cmp-dimension-speed\"") || page.contains("Speed"),
            "{page}"
        );
        assert!(!page.contains("&lt;&lt;compare"), "{page}");
    }
}

#[test]
fn an_error_in_an_included_file_names_that_file_and_line() {
    let book = book_including("Line one.\n\n<<compare nope>>\n");
    let checked = book.check();
    let report = stderr(&checked);
    assert_eq!(checked.status.code(), Some(1), "{report}");
    assert!(report.contains("unknown dimension `nope`"), "{report}");
    assert!(report.contains("src/part.md:3:11"), "{report}");
    let built = book.build().expect_err("the build fails");
    assert!(built.contains("src/part.md:3:11"), "{built}");
}

#[test]
fn an_error_in_a_file_included_by_an_included_file_names_the_innermost_file() {
    let book =
        book_including("Part.\n\n{{#include inner.md}}\n\nAfter <<value hello nope rust>>.\n");
    book.write("src/inner.md", "Inner.\n\n<<compare nope>>\n");
    let checked = book.check();
    let report = stderr(&checked);
    assert_eq!(checked.status.code(), Some(1), "{report}");
    for expected in [
        "unknown dimension `nope`",
        "src/inner.md:3:11",
        "note: included by src/part.md:3",
        "note: included by src/chapter.md:5",
        // Text of the included file after its own include keeps its place.
        "unknown metric of `hello` `nope`",
        "src/part.md:5:21",
    ] {
        assert!(report.contains(expected), "{expected}: {report}");
    }
    let built = book.build().expect_err("the build fails");
    assert!(built.contains("src/inner.md:3:11"), "{built}");
    assert!(built.contains("included by src/part.md:3"), "{built}");
}

#[test]
fn an_include_inside_an_included_file_is_read_from_that_file_s_folder() {
    let book = book_with_chapter("# Chapter\n\n{{#include parts/part.md}}\n\n<<compare nope>>\n");
    book.write("src/parts/part.md", "Part.\n\n{{#include inner.md}}\n");
    book.write("src/parts/inner.md", "<<compare speeed>>\n");
    after_links(&book);
    let report = stderr(&book.check());
    for expected in [
        "unknown dimension `speeed`",
        "src/parts/inner.md:1:11",
        "note: included by src/parts/part.md:3",
        "note: included by src/chapter.md:3",
        "src/chapter.md:5:11",
    ] {
        assert!(report.contains(expected), "{expected}: {report}");
    }
}

#[test]
fn compare_before_links_with_an_include_says_how_to_order_them() {
    // mdBook allows whitespace between the braces and the `#`: each form hides directives alike.
    for include in [
        "{{#include part.md}}",
        "{{ #include part.md}}",
        "{{\t#rustdoc_include part.md}}",
    ] {
        let book = book_with_chapter(&format!("# Chapter\n\n{include}\n"));
        book.write("src/part.md", "<<compare speed>>\n");
        let built = book.build().expect_err("the include would hide directives");
        assert!(
            built.contains("include}}` is expanded only after"),
            "{include}: {built}"
        );
        assert!(built.contains("after = [\"links\"]"), "{include}: {built}");
        let report = stderr(&book.check());
        assert!(
            report.contains("after = [\"links\"]"),
            "{include}: {report}"
        );
    }
}

// Issue 12 (8): `check` sees what the build sees.

#[test]
fn a_chapter_with_a_byte_order_mark_checks_as_it_builds() {
    let book = book_with_chapter("\u{feff}<<compare speed>>\n\nText.\n");
    assert_clean(&book.check());
    let [html, _] = built(&book);
    assert!(html.contains("id=\"cmp-dimension-speed\""), "{html}");
}

#[test]
fn a_successful_check_prints_a_one_line_summary() {
    let book = book_with_chapter("# Chapter\n\n<<compare speed>>\n\n<<benchmark hello>>\n");
    let checked = book.check();
    assert_clean(&checked);
    let out = String::from_utf8_lossy(&checked.stdout).into_owned();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("1 chapter"), "{out}");
    assert!(out.contains("2 directives"), "{out}");
    assert!(out.contains("0 warnings"), "{out}");
}

// Issue 12 (10).

#[test]
fn two_views_on_a_page_never_share_an_anchor() {
    let book = book_with_chapter(
        "# Chapter\n\n<<compare speed onboarding>>\n\n<<compare speed onboarding-source-1>>\n",
    );
    let onboarding =
        std::fs::read_to_string(book.root().join("data/dimensions/onboarding.toml")).unwrap();
    book.write("data/dimensions/onboarding-source-1.toml", onboarding);
    let [html, _] = built(&book);
    let mut ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "an id repeats on the page:\n{html}");
}

#[test]
fn a_data_file_that_fails_to_parse_causes_no_second_error() {
    let book = book_with_chapter(
        "# Chapter\n\n<<compare all>>\n\n<<compare category=core>>\n\n<<quick-takes>>\n",
    );
    for file in [
        "dimensions/speed.toml",
        "dimensions/onboarding.toml",
        "quick-takes.toml",
    ] {
        book.write(&format!("data/{file}"), "title = \n");
    }
    let checked = book.check();
    let report = stderr(&checked);
    assert_eq!(checked.status.code(), Some(1), "{report}");
    assert!(
        report.ends_with("mdbook-compare: 3 errors, 0 warnings\n"),
        "{report}"
    );
}

/// The `basic` fixture with chapters nested `levels` deep, each showing a dimension.
fn deep_book(levels: usize) -> Book {
    let book = Book::fixture("basic");
    let mut summary = String::from("# Summary\n\n");
    for level in 0..levels {
        summary.push_str(&format!(
            "{}- [Level {level}](level-{level}.md)\n",
            "    ".repeat(level)
        ));
        book.write(
            &format!("src/level-{level}.md"),
            format!("# Level {level}\n\n<<compare speed>>\n"),
        );
    }
    book.write("src/SUMMARY.md", summary);
    book
}

#[test]
fn a_summary_nested_42_levels_deep_builds_and_checks() {
    let book = deep_book(60);
    book.build().expect("the deep book builds in process");
    assert!(
        book.page("level-59.html")
            .contains("id=\"cmp-dimension-speed\"")
    );
    // `check` checks the book as `book.toml` builds it, with the command that mdBook cannot read
    // back at this depth: it fails as that build does, with the same message.
    let report = stderr(&book.check());
    assert!(
        report.contains("SUMMARY.md nests chapters 60 levels deep"),
        "{report}"
    );
    assert_clean(&deep_book(41).check());
}

#[test]
fn a_book_too_deep_for_mdbook_to_read_back_says_so() {
    let book = deep_book(41);
    book.build_with_binary().expect("41 levels go both ways");
    let book = deep_book(42);
    let built = book.build_with_binary().unwrap_err();
    assert!(built.contains("compare"), "{built}");
    let input = common::preprocessor_input(book.root(), "html");
    let report = stderr(&common::pipe(&input, &[]));
    assert!(
        report.contains("SUMMARY.md nests chapters 42 levels deep, but mdBook reads a preprocessor's book back only up to 41 levels"),
        "{report}"
    );
    assert!(report.contains("MDBook::with_preprocessor"), "{report}");
}
