//! `<<ratio BENCH METRIC>>` or `<<ratio BENCH METRIC LANG LANG>>`, inline: the verdict on a
//! metric with the ratio's 95% interval and the runs ("Rust with 1.54x lower start-up time
//! (95% CI 1.49–1.58, n = 300 each)", "about the same (…)", "no interval: no verdict (…)");
//! linked to the benchmark's chapter, the values, band and date in the title.

use super::measure;
use super::{Call, Cites, Context, Directive, Placement, Word, args};
use crate::dataset::model::{Language, Provenance};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::view::{Link, Span, View};

/// The registry's entry.
pub(super) const DIRECTIVE: Directive = Directive {
    name: "ratio",
    placement: Placement::Inline,
    usage: USAGE,
    resolve,
    home: |_| None,
    cites: Cites::first_argument,
};

const USAGE: &str = "<<ratio BENCH METRIC [LANG LANG]>>";

fn resolve(call: &Call<'_>, context: &Context<'_>, diagnostics: &mut Diagnostics) -> Option<View> {
    let (bench, metric, named) = match call.args.as_slice() {
        [bench, metric] => (bench, metric, None),
        [bench, metric, a, b] => (bench, metric, Some((a, b))),
        [] | [_] => {
            args::error(
                context,
                diagnostics,
                "`ratio` needs a benchmark id and a metric id",
                call.span.clone(),
                args::usage(DIRECTIVE.usage),
            );
            return None;
        }
        [_, _, third, ..] => {
            args::error(
                context,
                diagnostics,
                "`ratio` takes two languages or none",
                third.span.start..args::args_span(call).end,
                args::usage(DIRECTIVE.usage),
            );
            return None;
        }
    };
    let entry = args::benchmark(context, diagnostics, bench)?;
    let metric = args::metric(context, diagnostics, entry, metric)?;
    if entry.value.provenance == Provenance::Unverified {
        diagnostics.push(
            Diagnostic::error(
                format!(
                    "benchmark `{}` holds unverified claims, which the site does not compare",
                    entry.id
                ),
                context.at(bench.span.clone()),
            )
            .with_help("quote its figures with `<<value BENCH METRIC LANG>>` instead"),
        );
        return None;
    }
    let data = context.dataset;
    let (first, second) = match named {
        Some((a, b)) => pair(context, diagnostics, a, b)?,
        None => {
            let measured: Vec<&Language> = data
                .languages
                .iter()
                .filter(|l| metric.values.contains_key(&l.id))
                .collect();
            let [first, second] = measured.as_slice() else {
                args::error(
                    context,
                    diagnostics,
                    format!(
                        "metric `{}` of `{}` has {} values, so `ratio` needs the two languages to compare",
                        metric.id,
                        entry.id,
                        measured.len()
                    ),
                    call.span.clone(),
                    format!("write `<<ratio {} {} LANG LANG>>`", entry.id, metric.id),
                );
                return None;
            };
            (*first, *second)
        }
    };
    let mut missing = [first, second]
        .into_iter()
        .filter(|l| !metric.values.contains_key(&l.id));
    if let Some(language) = missing.next() {
        args::error(
            context,
            diagnostics,
            format!(
                "`{}` has no value for metric `{}` of `{}`",
                language.id, metric.id, entry.id
            ),
            call.span.clone(),
            "compare two languages that were measured".into(),
        );
        return None;
    }
    let (a, b) = (
        measure::spread(metric, &first.id)?,
        measure::spread(metric, &second.id)?,
    );
    let target = args::benchmark_home(call, context, diagnostics, entry)?;
    let comparison = measure::compare(metric, &entry.value, first, second)?;
    let title = format!(
        "{} ({}): {} {}, {} {}; equivalence band {}; {} {}",
        metric.name,
        measure::direction_text(metric.direction),
        first.name,
        measure::spread_text(a, &metric.unit),
        second.name,
        measure::spread_text(b, &metric.unit),
        measure::band_text(metric.band_width()),
        match entry.value.provenance {
            Provenance::Reproduced => "measured",
            _ => "published",
        },
        entry.value.as_of
    );
    Some(View::Inline(vec![Span::Link(Link {
        text: vec![Span::Plain(comparison.text(metric, first, second, false))],
        target,
        title: Some(title),
    })]))
}

/// The two languages named, which must differ.
fn pair<'d>(
    context: &Context<'d>,
    diagnostics: &mut Diagnostics,
    a: &Word<'_>,
    b: &Word<'_>,
) -> Option<(&'d Language, &'d Language)> {
    let first = args::language(context, diagnostics, a);
    let second = args::language(context, diagnostics, b);
    let (first, second) = (first?, second?);
    if first.id == second.id {
        args::error(
            context,
            diagnostics,
            format!("`{}` is compared with itself", first.id),
            b.span.clone(),
            "name two different languages".into(),
        );
        return None;
    }
    Some((first, second))
}
