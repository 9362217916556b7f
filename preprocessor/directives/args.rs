//! What the directives share when they read their arguments: located errors with the usage
//! line, and looking ids up in the dataset with the valid choices and the closest one.

use std::ops::Range;

use super::{Call, Context, Home, Word};
use crate::dataset::model::{Benchmark, Category, Dimension, Language, Metric};
use crate::dataset::{Dataset, Entry};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::view::Target;

/// Reports an error at `span` with `help`.
pub(super) fn error(
    context: &Context<'_>,
    diagnostics: &mut Diagnostics,
    message: impl Into<String>,
    span: Range<usize>,
    help: String,
) {
    diagnostics.push(Diagnostic::error(message, context.at(span)).with_help(help));
}

/// Every dimension in display order, or `None` after saying there are none (unless the folder
/// that holds them could not be read, which is already reported).
pub(super) fn every_dimension<'d>(
    call: &Call<'_>,
    context: &Context<'d>,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<&'d Entry<Dimension>>> {
    let data = context.dataset;
    let dimensions = data.dimensions_in_order();
    if dimensions.is_empty() {
        if !data.unreadable.dimensions {
            error(
                context,
                diagnostics,
                "no dimensions are defined",
                call.span.clone(),
                "add a file under `data/dimensions/`".into(),
            );
        }
        return None;
    }
    Some(dimensions)
}

/// The help that shows a directive's usage line.
pub(super) fn usage(usage: &str) -> String {
    format!("write `{usage}`")
}

/// The span from the first to the last argument (or the name, when there are none).
pub(super) fn args_span(call: &Call<'_>) -> Range<usize> {
    match (call.args.first(), call.args.last()) {
        (Some(first), Some(last)) => first.span.start..last.span.end,
        _ => call.name.span.clone(),
    }
}

/// Checks that the call has exactly `names.len()` arguments (named in `names` for the message);
/// returns them.
pub(super) fn exactly<'c, 'a>(
    call: &'c Call<'a>,
    context: &Context<'_>,
    diagnostics: &mut Diagnostics,
    names: &[&str],
    usage: &str,
) -> Option<&'c [Word<'a>]> {
    let name = call.name.text;
    if let Some(extra) = call.args.get(names.len()) {
        let last = call.args.last().map_or(extra.span.end, |w| w.span.end);
        let message = match names.len() {
            0 => format!("`{name}` takes no arguments"),
            n => format!(
                "`{name}` takes {n} arguments ({}), not more",
                names.join(", ")
            ),
        };
        error(
            context,
            diagnostics,
            message,
            extra.span.start..last,
            self::usage(usage),
        );
        return None;
    }
    if let Some(missing) = names.get(call.args.len()) {
        error(
            context,
            diagnostics,
            format!("`{name}` needs {missing}"),
            call.span.clone(),
            self::usage(usage),
        );
        return None;
    }
    Some(&call.args)
}

/// `found`, what `word` names among the `ids` of `what` (e.g. "dimension"); when nothing, an
/// error with the valid ids and the closest one, unless the file that may define it could not
/// be read (`unreadable`: that is already reported).
fn known<'c, T>(
    context: &Context<'_>,
    diagnostics: &mut Diagnostics,
    what: &str,
    word: &Word<'_>,
    found: Option<T>,
    ids: impl IntoIterator<Item = &'c str>,
    unreadable: bool,
) -> Option<T> {
    if found.is_none() && !unreadable {
        let error = Diagnostic::error(
            format!("unknown {what} `{}`", word.text),
            context.at(word.span.clone()),
        )
        .with_label(format!("no {what} has this id"));
        // The closest id is looked for only in an error that will be shown: a chapter of
        // many such errors costs time in the errors kept, not in every id times every error.
        let error = if diagnostics.keeps(error.file()) {
            error.with_choices(&format!("{what} ids"), word.text, ids)
        } else {
            error
        };
        diagnostics.push(error);
    }
    found
}

/// The dimension `word` names.
pub(super) fn dimension<'d>(
    context: &Context<'d>,
    diagnostics: &mut Diagnostics,
    word: &Word<'_>,
) -> Option<&'d Entry<Dimension>> {
    let data: &'d Dataset = context.dataset;
    known(
        context,
        diagnostics,
        "dimension",
        word,
        data.dimension(word.text),
        data.dimensions.iter().map(|d| d.id.as_str()),
        data.unreadable.may_define(word.text),
    )
}

/// The benchmark `word` names.
pub(super) fn benchmark<'d>(
    context: &Context<'d>,
    diagnostics: &mut Diagnostics,
    word: &Word<'_>,
) -> Option<&'d Entry<Benchmark>> {
    let data: &'d Dataset = context.dataset;
    known(
        context,
        diagnostics,
        "benchmark",
        word,
        data.benchmark(word.text),
        data.benchmarks.iter().map(|b| b.id.as_str()),
        data.unreadable.may_define(word.text),
    )
}

/// The category `word` names.
pub(super) fn category<'d>(
    context: &Context<'d>,
    diagnostics: &mut Diagnostics,
    word: &Word<'_>,
) -> Option<&'d Category> {
    let data: &'d Dataset = context.dataset;
    known(
        context,
        diagnostics,
        "category",
        word,
        data.category(word.text),
        data.categories.iter().map(|c| c.id.as_str()),
        data.unreadable.categories,
    )
}

/// The metric of `benchmark` that `word` names by its id.
pub(super) fn metric<'d>(
    context: &Context<'_>,
    diagnostics: &mut Diagnostics,
    benchmark: &'d Entry<Benchmark>,
    word: &Word<'_>,
) -> Option<&'d Metric> {
    known(
        context,
        diagnostics,
        &format!("metric of `{}`", benchmark.id),
        word,
        benchmark.value.metric(word.text),
        benchmark.value.metrics.iter().map(|m| m.id.as_str()),
        false,
    )
}

/// The language `word` names.
pub(super) fn language<'d>(
    context: &Context<'d>,
    diagnostics: &mut Diagnostics,
    word: &Word<'_>,
) -> Option<&'d Language> {
    let data: &'d Dataset = context.dataset;
    known(
        context,
        diagnostics,
        "language",
        word,
        data.language(word.text),
        data.languages.iter().map(|l| l.id.as_str()),
        data.unreadable.languages,
    )
}

/// The link to the chapter of benchmark `entry`, for a value quoted in prose: the number
/// must lead to its source, so a benchmark without a chapter is an error.
pub(super) fn benchmark_home(
    call: &Call<'_>,
    context: &Context<'_>,
    diagnostics: &mut Diagnostics,
    entry: &Entry<Benchmark>,
) -> Option<Target> {
    let target = context.home_target(&Home::Benchmark(entry.id.clone()));
    if target.is_none() {
        diagnostics.push(
            Diagnostic::error(
                format!(
                    "benchmark `{}` has no chapter to link this figure to",
                    entry.id
                ),
                context.at(call.span.clone()),
            )
            .with_label("quoted here")
            .with_help(format!(
                "show it in a chapter with `<<benchmark {}>>`, so that readers can check the figure",
                entry.id
            )),
        );
    }
    target
}
