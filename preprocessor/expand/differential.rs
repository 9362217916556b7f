//! The block after a block directive, tested against mdBook's own reading of the chapter: over
//! many shapes (containers, indentation, tabs, and the kind of block that follows), the chapter
//! is rendered twice through pulldown-cmark with mdBook's options, once with the directive
//! expanded and once with it replaced by a plain paragraph; when that paragraph stands alone
//! (no line of the same paragraph around it, which the expansion deliberately splits off), what
//! follows the directive must render the same. Whatever the shape, the expansion's HTML block
//! holds the expansion alone: it never runs into the next line.

use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};

use super::*;
use crate::directives::{Homes, testing};
use crate::scan;

/// The directive every shape holds.
const DIRECTIVE: &str = "<<compare speed>>";

/// What stands for the directive in the reference rendering.
const PLACEHOLDER: &str = "PLACEHOLDER";

/// The chapter as HTML, as mdBook renders it.
fn html(text: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(
        &mut out,
        mdbook_markdown::new_cmark_parser(text, &MarkdownOptions::default()),
    );
    out
}

/// Expands chapters against the test dataset, knowing what [`DIRECTIVE`] expands to alone.
struct Subject<'a> {
    expander: Expander<'a>,
    /// The first line of the expansion.
    expansion: String,
}

impl<'a> Subject<'a> {
    fn new(dataset: &'a crate::dataset::Dataset, homes: &'a Homes) -> Self {
        let mut expander = Expander::new(dataset, homes, None, Format::Html);
        let expansion = expand(&mut expander, "<<compare speed>>\n")
            .expect("the directive expands alone")
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        Subject {
            expander,
            expansion,
        }
    }
}

/// `text` with its single directive expanded in HTML; `None` when the directive is not
/// expanded where it stands (in code, misplaced).
fn expand(expander: &mut Expander<'_>, text: &str) -> Option<String> {
    let found = scan::scan(text, &MarkdownOptions::default());
    if !matches!(found.as_slice(), [Found::Directive(_)]) {
        return None;
    }
    let mut diagnostics = Diagnostics::default();
    let chapter = Chapter {
        path: Path::new("a.md"),
        shown: "a.md",
        text,
    };
    let expanded = expander.expand(&chapter, found, &mut diagnostics).text?;
    assert!(!diagnostics.has_errors(), "{}", diagnostics.render(false));
    Some(expanded)
}

/// Whether, in the reference, the placeholder is a paragraph of its own: not among other
/// lines of a paragraph, which the directive, expanded, splits.
fn placeholder_stands_alone(reference: &str) -> bool {
    let mut previous = None;
    let mut events = mdbook_markdown::new_cmark_parser(reference, &MarkdownOptions::default());
    while let Some(event) = events.next() {
        if matches!(&event, Event::Text(t) if &**t == PLACEHOLDER) {
            return matches!(previous, Some(Event::Start(Tag::Paragraph | Tag::Item)))
                && matches!(
                    events.next(),
                    None | Some(Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::Start(_))
                );
        }
        previous = Some(event);
    }
    false
}

/// The text of each raw HTML block of `text`, in order.
fn html_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut inside = None;
    for event in mdbook_markdown::new_cmark_parser(text, &MarkdownOptions::default()) {
        match event {
            Event::Start(Tag::HtmlBlock) => inside = Some(String::new()),
            Event::Html(html) => inside.get_or_insert_default().push_str(&html),
            Event::End(TagEnd::HtmlBlock) => blocks.extend(inside.take()),
            _ => {}
        }
    }
    blocks
}

/// The rendering after `marker` (and, in the reference, after the end of its paragraph), with
/// line breaks dropped: what follows the directive.
fn after(rendered: &str, marker: &str) -> String {
    let at = rendered.find(marker).expect("the marker is rendered") + marker.len();
    let rest = rendered[at..].trim_start();
    let rest = rest.strip_prefix("</p>").unwrap_or(rest).trim_start();
    rest.replace('\n', "")
}

/// Checks one chapter holding [`DIRECTIVE`] once: `None` when the directive is not expanded
/// there (so the shape says nothing), else whether what follows it was compared with the
/// reference.
fn check(subject: &mut Subject<'_>, text: &str) -> Option<bool> {
    let expanded = expand(&mut subject.expander, text)?;
    let first_line = subject.expansion.as_str();
    let expansion_block = html_blocks(&expanded)
        .into_iter()
        .find(|block| block.contains(first_line))
        .unwrap_or_else(|| panic!("no HTML block holds the expansion of {text:?}:\n{expanded}"));
    assert_eq!(
        expansion_block.trim(),
        first_line.trim(),
        "the expansion runs into what follows it in {text:?}:\n{expanded}"
    );
    let reference = text.replacen(DIRECTIVE, PLACEHOLDER, 1);
    let alone = placeholder_stands_alone(&reference);
    if alone {
        let expected = after(&html(&reference), PLACEHOLDER);
        let got = after(&html(&expanded), first_line);
        assert_eq!(
            got, expected,
            "the block after the directive renders differently in {text:?}:\n{expanded}"
        );
    }
    Some(alone)
}

/// A block of lines, each after `prefix`.
fn block(prefix: &str, lines: &[&str]) -> String {
    lines
        .iter()
        .map(|line| format!("{prefix}{line}\n"))
        .collect()
}

/// The blocks that may follow a directive.
const FOLLOWING: &[&[&str]] = &[
    &["```", "<img src=x onerror=alert(1)>", "```"],
    &["~~~html", "<img src=x onerror=alert(1)>", "~~~"],
    &["# text"],
    &["<div>", "<img src=x onerror=alert(1)>", "</div>"],
    &["<img src=x onerror=alert(1)>"],
    &["- item"],
    &["1. item"],
    &["Paragraph text."],
    &["***"],
    &["> quoted"],
    &["    indented code"],
];

#[test]
fn the_cases_of_the_issue() {
    let dataset = testing::dataset();
    let homes = testing::homes(&dataset);
    let mut subject = Subject::new(&dataset, &homes);
    let cases = [
        " <<compare speed>>\n```\n<img src=x onerror=alert(1)>\n```\n",
        "  <<compare speed>>\n```\n<img src=x onerror=alert(1)>\n```\n",
        "   <<compare speed>>\n```\n<img src=x onerror=alert(1)>\n```\n",
        "   <<compare speed>>\n# text\n",
        "> <<compare speed>>\n>```\n><img src=x onerror=alert(1)>\n>```\n",
        "> <<compare speed>>\n>  ```\n>  <img src=x onerror=alert(1)>\n>  ```\n",
        ">  <<compare speed>>\n> ```\n> <img src=x onerror=alert(1)>\n> ```\n",
        "- a\n\n- <<compare speed>>\n\t```\n\t<img src=x onerror=alert(1)>\n\t```\n",
        "- a\n\n  <<compare speed>>\n\t```\n\t<img src=x onerror=alert(1)>\n\t```\n",
        "Text.[^1]\n\n[^1]: Note.\n\n    <<compare speed>>\n\t```\n\t<img src=x onerror=alert(1)>\n\t```\n",
        "Text.[^1]\n\n[^1]: Note.\n    <<compare speed>>\n    ```\n    <img src=x onerror=alert(1)>\n    ```\n",
    ];
    for text in cases {
        assert!(
            check(&mut subject, text).is_some(),
            "not expanded: {text:?}"
        );
    }
}

#[test]
fn the_block_after_a_directive_renders_as_without_it() {
    let dataset = testing::dataset();
    let homes = testing::homes(&dataset);
    let mut subject = Subject::new(&dataset, &homes);
    // Where the directive stands: what comes before it, and its line's prefix.
    let places: &[(&str, &str)] = &[
        ("", ""),
        ("", " "),
        ("", "  "),
        ("", "   "),
        ("Intro.\n", ""),
        ("Intro.\n", "  "),
        ("", "> "),
        ("", ">"),
        ("", ">  "),
        ("", "> > "),
        ("", ">\t"),
        ("> Quote.\n", ""),
        ("> Quote.\n", "> "),
        ("", "- "),
        ("", "-   "),
        ("", "1. "),
        ("", "10) "),
        ("", "1."),
        ("", "-"),
        ("", "> - "),
        ("", "- > "),
        ("- a\n", "- "),
        ("- a\n\n", "- "),
        ("- a\n\n", "  "),
        ("- a\n", "  "),
        ("- a\n", ""),
        ("1. a\n\n", "   "),
        ("- a\n  - b\n\n", "    "),
        ("- a\n  - b\n\n", "  "),
        ("> - a\n>\n", ">   "),
        ("Text.[^1]\n\n[^1]: Note.\n", "    "),
        ("Text.[^1]\n\n[^1]: Note.\n\n", "    "),
        ("Text.[^1]\n\n[^1]: Note.\n\n", "\t"),
    ];
    // The prefix of the lines after it.
    let next_prefixes = [
        "", " ", "  ", "   ", "    ", "\t", " \t", ">", "> ", ">  ", ">\t", "> >", "> > ", "  > ",
        ">   ", ">    ", "> \t", "- ", "     ", "      ",
    ];
    let (mut checked, mut compared) = (0, 0);
    for (before, prefix) in places {
        for next in next_prefixes {
            for following in FOLLOWING {
                for gap in ["", "\n"] {
                    let text = format!(
                        "{before}{prefix}{DIRECTIVE}\n{gap}{}",
                        block(next, following)
                    );
                    if let Some(alone) = check(&mut subject, &text) {
                        checked += 1;
                        compared += usize::from(alone);
                    }
                }
            }
        }
    }
    // Most shapes expand the directive; a paragraph line before it or lazily after it leaves
    // only the first check.
    assert!(
        checked > 10_000,
        "only {checked} shapes had the directive expanded"
    );
    assert!(
        compared > 6_000,
        "only {compared} shapes were compared with the reference"
    );
}

/// Found by the `blocks` fuzz target: a directive on a paragraph's continuation line indented
/// four columns or more past the paragraph would be laid out as indented code. It is reported,
/// located, and never expanded into code; at the paragraph's own indentation it still expands.
#[test]
fn a_directive_on_an_indented_continuation_line_is_reported() {
    let dataset = testing::dataset();
    let homes = testing::homes(&dataset);
    for text in [
        "-[\n\t\t\t\t<<compare speed>>\n",
        "Text\n    <<compare speed>>\n",
        "> Text\n>     <<compare speed>>\n",
        // A lazy line of a blockquote's paragraph, found by the `blocks` fuzz target: laid out
        // after a blank line, it leaves the blockquote and its tab makes it indented code.
        ">-# \n\t<<compare speed>>\n",
        "> Text\n    <<compare speed>>\n",
    ] {
        let found = scan::scan(text, &MarkdownOptions::default());
        assert!(
            matches!(
                found.as_slice(),
                [scan::Found::Misplaced {
                    place: scan::Place::IndentedContinuation,
                    ..
                }]
            ),
            "{text:?}: {found:?}"
        );
    }
    let mut subject = Subject::new(&dataset, &homes);
    for text in [
        "- a\n  - b\n    <<compare speed>>\n",
        "Text\n   <<compare speed>>\n",
        "> Text\n   <<compare speed>>\n",
        "> Text\n> <<compare speed>>\n",
    ] {
        assert!(check(&mut subject, text).is_some(), "{text:?} is expanded");
    }
}
