//! `<<value BENCH METRIC LANG>>`, inline: one measured value with its unit, linked to the
//! benchmark's chapter, with its spread and date in the link's title. Prose quotes numbers
//! through it, so that it cannot contradict the tables.

use super::measure;
use super::{Call, Cites, Context, Directive, Placement, args};
use crate::dataset::model::Provenance;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::view::{Link, Span, View};

/// The registry's entry.
pub(super) const DIRECTIVE: Directive = Directive {
    name: "value",
    placement: Placement::Inline,
    usage: USAGE,
    resolve,
    home: |_| None,
    cites: Cites::first_argument,
};

const USAGE: &str = "<<value BENCH METRIC LANG>>";

fn resolve(call: &Call<'_>, context: &Context<'_>, diagnostics: &mut Diagnostics) -> Option<View> {
    let words = args::exactly(
        call,
        context,
        diagnostics,
        &["a benchmark id", "a metric id", "a language id"],
        DIRECTIVE.usage,
    )?;
    let [bench, metric, language] = words else {
        return None;
    };
    let entry = args::benchmark(context, diagnostics, bench)?;
    let metric_entry = args::metric(context, diagnostics, entry, metric);
    let language_entry = args::language(context, diagnostics, language);
    let (metric, lang) = (metric_entry?, language_entry?);
    let Some(spread) = measure::spread(metric, &lang.id) else {
        let measured = context
            .dataset
            .languages
            .iter()
            .filter(|l| metric.values.contains_key(&l.id))
            .map(|l| l.id.as_str());
        diagnostics.push(
            Diagnostic::error(
                format!(
                    "`{}` has no value for metric `{}` of `{}`",
                    lang.id, metric.id, entry.id
                ),
                context.at(language.span.clone()),
            )
            .with_label("not measured")
            .with_choices("languages with a value", language.text, measured),
        );
        return None;
    };
    let target = args::benchmark_home(call, context, diagnostics, entry)?;
    let b = &entry.value;
    let mut text = format!("{} {}", measure::value_text(spread.median), metric.unit);
    let how = match b.provenance {
        Provenance::Reproduced => "measured",
        Provenance::Published => "published",
        Provenance::Unverified => {
            text.push_str(" (claimed)");
            "claimed, not verified"
        }
    };
    let title = format!(
        "{}, {}: {}; {how} {}",
        metric.name,
        lang.name,
        measure::spread_text(spread, &metric.unit),
        b.as_of
    );
    Some(View::Inline(vec![Span::Link(Link {
        text: vec![Span::Plain(text)],
        target,
        title: Some(title),
    })]))
}
