//! Snapshots of every directive rendered from the `basic` fixture's dataset, as HTML and as
//! Markdown. Review changes with `cargo insta review`.

mod common;

use mdbook_compare::dataset::{self, Date, LintOptions};
use mdbook_compare::diagnostic::Diagnostics;
use mdbook_compare::expand::Expander;
use mdbook_compare::render::Format;
use mdbook_markdown::MarkdownOptions;

const DIRECTIVES: [(&str, &str); 6] = [
    ("dimension", "<<compare speed>>"),
    ("matrix", "<<compare speed onboarding>>"),
    ("category", "<<compare category=core>>"),
    ("all", "<<compare all>>"),
    ("benchmark", "<<benchmark hello>>"),
    ("quick_takes", "<<quick-takes>>"),
];

fn expand_each(format: Format) -> Vec<(&'static str, String)> {
    let options = LintOptions {
        stale_after_months: 1200,
        today: Date::parse("2026-11-27").unwrap(),
    };
    let mut diagnostics = Diagnostics::default();
    let data = dataset::load(
        &common::fixture("basic").join("data"),
        "data",
        &options,
        &mut diagnostics,
    );
    assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
    let mut expander = Expander::new(&data, format, MarkdownOptions::default());
    DIRECTIVES
        .iter()
        .map(|(name, directive)| {
            let out = expander
                .expand(
                    "src/snapshot.md",
                    &format!("{directive}\n"),
                    &mut diagnostics,
                )
                .expect("the directive expands");
            assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
            (*name, out)
        })
        .collect()
}

#[test]
fn html_tables() {
    for (name, html) in expand_each(Format::Html) {
        assert_eq!(
            html.lines().count(),
            1,
            "HTML is one line, so it is one raw HTML block"
        );
        // One tag per line keeps the snapshot reviewable.
        insta::assert_snapshot!(format!("html_{name}"), html.replace("><", ">\n<"));
    }
}

#[test]
fn markdown_tables() {
    for (name, markdown) in expand_each(Format::Markdown) {
        insta::assert_snapshot!(format!("markdown_{name}"), markdown);
    }
}
