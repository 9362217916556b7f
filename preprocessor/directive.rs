//! The directive language: what stands between `<<` and `>>`.
//!
//! ```text
//! compare ID            one dimension
//! compare ID ID ...     a matrix of those dimensions
//! compare category=CAT  a matrix of one category
//! compare all           a matrix of every dimension, with a scorecard
//! benchmark [ID]        one benchmark (the ID may be left out when there is only one)
//! quick-takes           the quick-takes table
//! ```

use std::ops::Range;

/// A word of a directive and where it stands in the chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word.
    pub text: &'a str,
    /// Its byte span in the chapter.
    pub span: Range<usize>,
}

/// A parsed directive; ids are not yet checked against the dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive<'a> {
    /// `<<compare ...>>`.
    Compare(Selection<'a>),
    /// `<<benchmark>>` or `<<benchmark ID>>`.
    Benchmark(Option<Word<'a>>),
    /// `<<quick-takes>>`.
    QuickTakes,
}

/// Which dimensions a `compare` directive shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection<'a> {
    /// One dimension, shown in full.
    One(Word<'a>),
    /// Several dimensions, as a matrix.
    Many(Vec<Word<'a>>),
    /// Every dimension of a category, as a matrix.
    Category(Word<'a>),
    /// Every dimension, as a matrix with a scorecard.
    All,
}

/// Why a directive could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// Where, in the chapter.
    pub span: Range<usize>,
    /// How to fix it.
    pub help: String,
}

const COMPARE_FORMS: &str = "write `<<compare ID>>`, `<<compare ID ID ...>>`, `<<compare category=CAT>>` or `<<compare all>>`";

/// Parses the text between `<<` and `>>`, which spans `inner` of `chapter`.
pub fn parse(chapter: &str, inner: Range<usize>) -> Result<Directive<'_>, Problem> {
    let mut words = words(chapter, inner.clone());
    let Some(name) = words.next() else {
        return Err(problem(
            "empty directive",
            inner,
            "write a directive name, e.g. `compare`",
        ));
    };
    let args: Vec<Word<'_>> = words.collect();
    let whole = name.span.start..args.last().map_or(name.span.end, |w| w.span.end);
    match name.text {
        "compare" => compare(args, whole).map(Directive::Compare),
        "benchmark" => benchmark(args).map(Directive::Benchmark),
        "quick-takes" => match args.first() {
            None => Ok(Directive::QuickTakes),
            Some(first) => Err(problem(
                "`quick-takes` takes no arguments",
                first.span.start..whole.end,
                "write `<<quick-takes>>`",
            )),
        },
        other => Err(problem(
            format!("unknown directive `{other}`"),
            name.span,
            "use `compare`, `benchmark` or `quick-takes`",
        )),
    }
}

fn compare<'a>(args: Vec<Word<'a>>, whole: Range<usize>) -> Result<Selection<'a>, Problem> {
    if args.is_empty() {
        return Err(problem(
            "`compare` needs something to compare",
            whole,
            COMPARE_FORMS,
        ));
    }
    let mut ids = Vec::new();
    let mut category = None;
    for arg in &args {
        match arg.text.split_once('=') {
            Some(("category", "")) => {
                return Err(problem(
                    "`category=` needs a category id",
                    arg.span.clone(),
                    "write e.g. `<<compare category=core>>`",
                ));
            }
            Some(("category", value)) => {
                let start = arg.span.end - value.len();
                category = Some(Word {
                    text: value,
                    span: start..arg.span.end,
                });
            }
            Some((key, _)) => {
                return Err(problem(
                    format!("unknown option `{key}`"),
                    arg.span.start..arg.span.start + key.len(),
                    "the only option is `category=CAT`",
                ));
            }
            None => ids.push(arg.clone()),
        }
    }
    if let Some(category) = category {
        return if args.len() == 1 {
            Ok(Selection::Category(category))
        } else {
            Err(problem(
                "`category=` cannot be combined with other arguments",
                whole,
                COMPARE_FORMS,
            ))
        };
    }
    if ids.iter().any(|w| w.text == "all") {
        return if ids.len() == 1 {
            Ok(Selection::All)
        } else {
            Err(problem(
                "`all` cannot be combined with ids",
                whole,
                COMPARE_FORMS,
            ))
        };
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].iter().any(|earlier| earlier.text == id.text) {
            return Err(problem(
                format!("`{}` is listed twice", id.text),
                id.span.clone(),
                "list each dimension once",
            ));
        }
    }
    Ok(match ids.len() {
        1 => Selection::One(ids.remove(0)),
        _ => Selection::Many(ids),
    })
}

fn benchmark(args: Vec<Word<'_>>) -> Result<Option<Word<'_>>, Problem> {
    let mut args = args.into_iter();
    let first = args.next();
    if let Some(arg) = first.as_ref().filter(|a| a.text.contains('=')) {
        return Err(problem(
            "`benchmark` takes no options",
            arg.span.clone(),
            "write `<<benchmark ID>>`",
        ));
    }
    match args.next() {
        None => Ok(first),
        Some(second) => Err(problem(
            "`benchmark` shows one benchmark at a time",
            second.span,
            "write one `<<benchmark ID>>` line per benchmark",
        )),
    }
}

fn problem(message: impl Into<String>, span: Range<usize>, help: &str) -> Problem {
    Problem {
        message: message.into(),
        span,
        help: help.into(),
    }
}

/// The whitespace-separated words of `chapter[range]`, with their spans.
fn words(chapter: &str, range: Range<usize>) -> impl Iterator<Item = Word<'_>> {
    let base = range.start;
    let text = &chapter[range];
    text.split_ascii_whitespace().map(move |word| {
        let start = base + (word.as_ptr() as usize - text.as_ptr() as usize);
        Word {
            text: word,
            span: start..start + word.len(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Directive<'_>, Problem> {
        parse(text, 0..text.len())
    }

    fn texts(words: &[Word<'_>]) -> Vec<String> {
        words.iter().map(|w| w.text.to_string()).collect()
    }

    #[test]
    fn parses_every_form() {
        match parse_str("compare raw-performance").unwrap() {
            Directive::Compare(Selection::One(w)) => {
                assert_eq!((w.text, w.span), ("raw-performance", 8..23));
            }
            other => panic!("{other:?}"),
        }
        match parse_str("compare  a\tb").unwrap() {
            Directive::Compare(Selection::Many(ws)) => assert_eq!(texts(&ws), ["a", "b"]),
            other => panic!("{other:?}"),
        }
        match parse_str("compare category=core").unwrap() {
            Directive::Compare(Selection::Category(w)) => {
                assert_eq!((w.text, w.span), ("core", 17..21));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_str("compare all").unwrap(),
            Directive::Compare(Selection::All)
        );
        assert_eq!(parse_str("benchmark").unwrap(), Directive::Benchmark(None));
        assert!(
            matches!(parse_str("benchmark x").unwrap(), Directive::Benchmark(Some(w)) if w.text == "x")
        );
        assert_eq!(parse_str("quick-takes").unwrap(), Directive::QuickTakes);
    }

    #[test]
    fn rejects_bad_arguments_with_a_span() {
        let cases = [
            ("compare", "`compare` needs something to compare", 0..7),
            ("compare all x", "`all` cannot be combined with ids", 0..13),
            (
                "compare category=",
                "`category=` needs a category id",
                8..17,
            ),
            ("compare colour=red", "unknown option `colour`", 8..14),
            (
                "compare category=core x",
                "`category=` cannot be combined with other arguments",
                0..23,
            ),
            ("compare a b a", "`a` is listed twice", 12..13),
            (
                "benchmark a b",
                "`benchmark` shows one benchmark at a time",
                12..13,
            ),
            ("benchmark id=a", "`benchmark` takes no options", 10..14),
            (
                "quick-takes now",
                "`quick-takes` takes no arguments",
                12..15,
            ),
            ("  ", "empty directive", 0..2),
        ];
        for (text, message, span) in cases {
            let problem = parse_str(text).unwrap_err();
            assert_eq!(
                (problem.message.as_str(), problem.span),
                (message, span),
                "{text}"
            );
            assert!(!problem.help.is_empty());
        }
    }
}
