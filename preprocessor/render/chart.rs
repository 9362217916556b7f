//! Inline SVG bar charts for benchmark metrics: no JavaScript, bars to scale, values as text,
//! and a text alternative for screen readers.

use std::fmt::Write;

use pulldown_cmark_escape::escape_html;

use super::metric::{Outcome, direction_text, format_value};
use crate::dataset::model::Metric;

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 96.0;
const BAR_SPACE: f64 = 260.0;
const ROW_HEIGHT: f64 = 30.0;
const BAR_HEIGHT: f64 = 20.0;

/// One chart for a metric with at least one measured value; `id` must be unique on the page.
pub fn svg(id: &str, metric: &Metric, outcome: &Outcome<'_>) -> String {
    let mut escaped_id = String::with_capacity(id.len());
    let _ = escape_html(&mut escaped_id, id);
    let id = escaped_id;
    let max = outcome.max().unwrap_or(1.0);
    let height = ROW_HEIGHT * outcome.values.len() as f64;
    let mut out = String::with_capacity(1024);
    let _ = write!(
        out,
        "<svg class=\"cmp-chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" \
         aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">"
    );
    let _ = escape_html(
        &mut out,
        &format!(
            "{}: {}",
            metric.name,
            direction_text(metric.direction).to_lowercase()
        ),
    );
    let _ = write!(out, "</title><desc id=\"{id}-desc\">");
    let _ = escape_html(&mut out, &description(metric, outcome));
    out.push_str("</desc>");
    for (row, (language, value)) in outcome.values.iter().enumerate() {
        let top = row as f64 * ROW_HEIGHT;
        let middle = top + ROW_HEIGHT / 2.0;
        let _ = write!(
            out,
            "<text class=\"cmp-chart-label\" x=\"0\" y=\"{middle}\" dominant-baseline=\"middle\">"
        );
        let _ = escape_html(&mut out, &language.name);
        out.push_str("</text>");
        let best = outcome.best.is_some_and(|b| b.id == language.id);
        let (bar_end, label) = match value {
            Some(value) => {
                let width = (value / max * BAR_SPACE).max(1.0);
                let class = if best {
                    "cmp-bar cmp-bar-best"
                } else {
                    "cmp-bar"
                };
                let _ = write!(
                    out,
                    "<rect class=\"{class}\" x=\"{LABEL_WIDTH}\" y=\"{}\" width=\"{width:.1}\" height=\"{BAR_HEIGHT}\" rx=\"3\"/>",
                    top + (ROW_HEIGHT - BAR_HEIGHT) / 2.0
                );
                let mark = if best { " ✓ better" } else { "" };
                (
                    LABEL_WIDTH + width,
                    format!("{} {}{mark}", format_value(*value), metric.unit),
                )
            }
            None => (LABEL_WIDTH, "not measured".to_string()),
        };
        let _ = write!(
            out,
            "<text class=\"cmp-chart-value\" x=\"{:.1}\" y=\"{middle}\" dominant-baseline=\"middle\">",
            bar_end + 6.0
        );
        let _ = escape_html(&mut out, &label);
        out.push_str("</text>");
    }
    out.push_str("</svg>");
    out
}

/// The chart's text alternative: every value, and who is better by how much.
fn description(metric: &Metric, outcome: &Outcome<'_>) -> String {
    let values: Vec<String> = outcome
        .values
        .iter()
        .map(|(language, value)| match value {
            Some(value) => format!("{} {} {}", language.name, format_value(*value), metric.unit),
            None => format!("{} not measured", language.name),
        })
        .collect();
    let ratio = outcome.ratio_text();
    if ratio.is_empty() {
        format!("{}.", values.join("; "))
    } else {
        format!("{}. Better: {ratio}.", values.join("; "))
    }
}
