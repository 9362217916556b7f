//! The scanner parses only the pieces of a chapter around its candidates (between restart
//! points, see `scan::regions`). That must never change what it finds: on chapters generated
//! line by line from block openers and closers, container markers, HTML, fences of every shape,
//! blank lines and directives, `scan` must agree with `scan_parsing_everything`, which parses the
//! whole chapter at once, under every combination of mdBook's Markdown options.

use mdbook_compare::scan::{scan, scan_parsing_everything};
use mdbook_markdown::MarkdownOptions;
use proptest::prelude::*;

/// What may start a line besides nothing: indentation, container markers, headings, pipes.
const PREFIXES: &[&str] = &[
    " ", "  ", "   ", "    ", "\t", "- ", "* ", "+ ", "1. ", "2) ", "> ", ">", "> > ", "> - ",
    "- > ", "  - ", ": ", "[^1]: ", "| ", "# ", "## ",
];

/// Prose lines, which start with a letter so that restart points occur.
const PROSE: &[&str] = &[
    "Word and more",
    "word",
    "Term",
    "Text `code` and <b>html</b>",
];

/// Fence openers and closers of every shape.
const FENCES: &[&str] = &[
    "```",
    "````",
    "`````",
    "```rust",
    "```a`b",
    "``` ",
    "```\t",
    "~~~",
    "~~~~",
    "~~~ info `x`",
    "   ```",
    "    ```",
];

/// Directives and near-misses, in and out of code spans.
const DIRECTIVES: &[&str] = &[
    "<<compare x>>",
    "<<benchmark>>",
    "<<quick-takes>>",
    "\\<<compare x>>",
    "<<compare x",
    "Text <<compare y>> text",
    "`code <<compare z>>`",
    "``code\n<<compare z>>``",
    "<<compare x>> `",
    "<<compare x>>`",
];

/// Everything else: HTML block openers and closers, tables, breaks, definitions, a lone `\r`.
const OTHERS: &[&str] = &[
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<!-- x -->",
    "<?php",
    "?>",
    "<!DOCTYPE html>",
    "<![CDATA[",
    "]]>",
    "<span>",
    "<https://example.com>",
    "A `Vec<Vec<T>>` and 1 << 3",
    "| a | b |",
    "|---|---|",
    "---",
    "===",
    "***",
    "[a]: /url",
    "[a]:",
    "'title'",
    "$$",
    "[!NOTE]",
    "`",
    "a\rb",
];

/// How a line may end.
const ENDS: &[&str] = &["\n", "\n", "\n", "\n", "\n\n", "\n\n", "\r\n", ""];

fn line() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![3 => Just(""), 2 => prop::sample::select(PREFIXES)];
    let body = prop_oneof![
        3 => Just(""),
        4 => prop::sample::select(PROSE),
        4 => prop::sample::select(FENCES),
        4 => prop::sample::select(DIRECTIVES),
        3 => prop::sample::select(OTHERS),
    ];
    (prefix, body, prop::sample::select(ENDS))
        .prop_map(|(prefix, body, end)| format!("{prefix}{body}{end}"))
}

fn chapter() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..40).prop_map(|lines| lines.concat())
}

fn options(flags: u8) -> MarkdownOptions {
    let mut options = MarkdownOptions::default();
    options.smart_punctuation = flags & 1 != 0;
    options.definition_lists = flags & 2 != 0;
    options.admonitions = flags & 4 != 0;
    options
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn parsing_pieces_finds_what_parsing_everything_finds(text in chapter(), flags in 0u8..8) {
        let options = options(flags);
        prop_assert_eq!(scan(&text, &options), scan_parsing_everything(&text, &options));
    }
}

/// Chapters where restart points and fences matter, checked one by one.
#[test]
fn known_chapters_agree() {
    let chapters = [
        "Intro.\n\n<<compare x>>\n\n```\n<<compare x>>\n\nStill code.\n<<benchmark>>\n```\n\nOut.\n<<benchmark>>\n",
        "- item\n\n  ```\n  code\n\nLetter <<compare x>>\n\n<<compare x>>\n",
        "Term\n: definition\n\nOther\n: <<compare x>>\n\nText\n\n<<compare x>>\n",
        "<div>\n```\n</div>\n\n```\n<<compare x>>\n\nLetter\n<<compare x>>\n",
        "Para\n| a |\n|---|\n<<compare x>>\n\nNext\n<<compare x>>\n===\n",
        "A.\r\n\r\n```\r\n<<compare x>>\r\n```\r\n\r\nB.\r\n<<compare x>>\r\n",
        "A.\n\n    ```\n\nB\n<<compare x>>\n\n```\n",
        // Found by the property test against deliberately broken versions of the line pass.
        " ```\n```\n<<compare x>>\n",
        " ```\n````\n```rust\n``` \n<<compare x>>\n",
        "- ===\n\n    <<compare x>>\n",
        "<<compare x>>\nWord and more\n\n\n<div>\n",
        "<pre>\n\nWord and more\n<<compare x>>\n",
        "````\n```\n````\n~~~\n~~~\n<<compare x>>\n",
        "```a`b\n<<compare x>>\n",
        "```rust\n    ```\n~~~\n```\n<<compare x>>\n",
        "~~~\n\n~~~\nWord and more\n\n: <div>\n<<compare x>>\n",
    ];
    for text in chapters {
        for flags in 0..8 {
            let options = options(flags);
            assert_eq!(
                scan(text, &options),
                scan_parsing_everything(text, &options),
                "{text:?} with flags {flags}"
            );
        }
    }
}
