//! The whole expansion of arbitrary chapter text against the book's real dataset, in both
//! output formats: it must not panic (diagnostics included, which are rendered too), and text
//! without a directive candidate must come back unchanged. Half the inputs also get the
//! repository links.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mdbook_compare::dataset::{self, Dataset, Date, LintOptions};
use mdbook_compare::diagnostic::Diagnostics;
use mdbook_compare::expand::Expander;
use mdbook_compare::render::Format;
use mdbook_compare::render::links::Repository;
use mdbook_compare::scan::DIRECTIVE_NAMES;
use mdbook_markdown::MarkdownOptions;
use mdbook_preprocessor::config::HtmlConfig;

/// `data/` of the repository, loaded once.
static DATASET: LazyLock<Dataset> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    let options = LintOptions {
        stale_after_months: 18,
        today: Date::today(),
    };
    let mut diagnostics = Diagnostics::default();
    let dataset = dataset::load(&dir, "data", &options, &mut diagnostics);
    assert!(!diagnostics.has_errors(), "{}", diagnostics.render(false));
    dataset
});

/// Whether `text` holds `<<compare`, `<<benchmark` or `<<quick-takes`.
fn has_candidate(text: &str) -> bool {
    DIRECTIVE_NAMES
        .iter()
        .any(|name| text.contains(&format!("<<{name}")))
}

/// mdBook's Markdown options, each switched by one bit of `flags`.
fn markdown_options(flags: u8) -> MarkdownOptions {
    let mut options = MarkdownOptions::default();
    options.smart_punctuation = flags & 1 != 0;
    options.definition_lists = flags & 2 != 0;
    options.admonitions = flags & 4 != 0;
    options
}

/// The book's repository, for the "view data" and "suggest a change" links, when bit 3 of
/// `flags` is set.
fn repository(flags: u8) -> Option<Repository> {
    let mut html = HtmlConfig::default();
    html.git_repository_url = (flags & 8 != 0).then(|| "https://example.com/book".to_string());
    Repository::from_html_config(&html)
}

fuzz_target!(|input: (u8, &str)| {
    let (flags, text) = input;
    for format in [Format::Html, Format::Markdown] {
        let mut expander = Expander::new(&DATASET, format, markdown_options(flags))
            .with_repository(repository(flags));
        let mut diagnostics = Diagnostics::default();
        let expanded = expander.expand("src/fuzz.md", text, &mut diagnostics);
        let _ = diagnostics.render(false);
        if !has_candidate(text) {
            assert!(
                expanded.as_deref().is_none_or(|out| out == text),
                "changed a text without directives: {text:?}"
            );
        }
    }
});
