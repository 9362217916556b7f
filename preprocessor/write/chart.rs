//! Inline SVG bar charts: no JavaScript, bars to scale, the spread as a whisker, every value as
//! text, and a text alternative for screen readers. Linear charts start at zero; log charts
//! show ratios either side of 1x.

use std::fmt::Write;

use pulldown_cmark_escape::escape_html;

use super::html::tone_attributes;
use crate::view::{Bar, Chart, Scale, Spread, Target};

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 96.0;
const BAR_SPACE: f64 = 260.0;
const ROW_HEIGHT: f64 = 30.0;
const BAR_HEIGHT: f64 = 20.0;
/// A log chart's row: the label on a line of its own, the bar under it.
const LOG_ROW_HEIGHT: f64 = 46.0;
const LOG_HALF: f64 = 200.0;
const AXIS_HEIGHT: f64 = 24.0;

/// The chart as SVG; `id` must be unique on the page (its title and description take
/// `id-title` and `id-desc`); `href` gives a bar's link target, escaped, when it may be linked.
pub(super) fn svg(id: &str, chart: &Chart, href: impl Fn(&Target) -> Option<String>) -> String {
    let mut out = String::with_capacity(2048);
    let height = match chart.scale {
        Scale::Linear => ROW_HEIGHT * chart.bars.len() as f64,
        Scale::Log { .. } => LOG_ROW_HEIGHT * chart.bars.len() as f64 + AXIS_HEIGHT,
    };
    let mut escaped_id = String::with_capacity(id.len());
    let _ = escape_html(&mut escaped_id, id);
    let id = escaped_id;
    let _ = write!(
        out,
        "<svg class=\"cmp-chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" \
         aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">"
    );
    let _ = escape_html(&mut out, &chart.title);
    let _ = write!(out, "</title><desc id=\"{id}-desc\">");
    let _ = escape_html(&mut out, &chart.description);
    out.push_str("</desc>");
    match &chart.scale {
        Scale::Linear => linear(&mut out, &chart.bars),
        Scale::Log { below, above } => log(&mut out, &chart.bars, below, above, &href),
    }
    out.push_str("</svg>");
    out
}

/// A text element at `x`, `y`, with `class` and `anchor` (`start`, `middle` or `end`).
fn text(out: &mut String, class: &str, x: f64, y: f64, anchor: &str, content: &str) {
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" dominant-baseline=\"middle\">"
    );
    let _ = escape_html(&mut *out, content);
    out.push_str("</text>");
}

/// A bar from `from` to `to` (either order), `top` to `top + height`.
fn rect(out: &mut String, bar: &Bar, from: f64, to: f64, top: f64, height: f64) {
    let (x, width) = (from.min(to), (to - from).abs().max(1.0));
    out.push_str("<rect class=\"cmp-bar");
    if bar.best {
        out.push_str(" cmp-bar-best");
    }
    tone_attributes(out, &bar.tone, "cmp-bar");
    let _ = write!(
        out,
        " x=\"{x:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" rx=\"3\"/>"
    );
}

/// The whisker of a spread, from `low` to `high` at height `middle`, with caps.
fn whisker(out: &mut String, low: f64, high: f64, middle: f64) {
    let (top, bottom) = (middle - 6.0, middle + 6.0);
    let _ = write!(
        out,
        "<path class=\"cmp-whisker\" d=\"M{low:.1} {middle:.1}H{high:.1}M{low:.1} {top:.1}V{bottom:.1}M{high:.1} {top:.1}V{bottom:.1}\"/>"
    );
}

/// Bars from zero, all to the scale of the largest value.
fn linear(out: &mut String, bars: &[Bar]) {
    let max = bars
        .iter()
        .filter_map(|b| b.value.map(|v| v.max.max(v.median)))
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(0.0, f64::max);
    let scale = |v: f64| {
        if max > 0.0 && v.is_finite() {
            LABEL_WIDTH + (v.max(0.0) / max) * BAR_SPACE
        } else {
            LABEL_WIDTH
        }
    };
    for (row, bar) in bars.iter().enumerate() {
        let top = row as f64 * ROW_HEIGHT;
        let middle = top + ROW_HEIGHT / 2.0;
        text(out, "cmp-chart-label", 0.0, middle, "start", &bar.label);
        let end = match bar.value {
            Some(value) => {
                let end = scale(value.median);
                rect(
                    out,
                    bar,
                    LABEL_WIDTH,
                    end,
                    top + (ROW_HEIGHT - BAR_HEIGHT) / 2.0,
                    BAR_HEIGHT,
                );
                if value.has_range() {
                    whisker(out, scale(value.min), scale(value.max), middle);
                }
                end.max(scale(value.max))
            }
            None => LABEL_WIDTH,
        };
        let class = if bar.best {
            "cmp-chart-value cmp-chart-best"
        } else {
            "cmp-chart-value"
        };
        text(out, class, end + 6.0, middle, "start", &bar.text);
    }
}

/// Ratios either side of 1x on a log axis; values are base-10 logarithms.
fn log(
    out: &mut String,
    bars: &[Bar],
    below: &str,
    above: &str,
    href: &impl Fn(&Target) -> Option<String>,
) {
    let centre = WIDTH / 2.0;
    let extent = bars
        .iter()
        .filter_map(|b| b.value)
        .flat_map(|v: Spread| [v.min.abs(), v.median.abs(), v.max.abs()])
        .filter(|v| v.is_finite())
        .fold(2f64.log10(), f64::max)
        * 1.1;
    let x = |v: f64| centre + (v / extent).clamp(-1.0, 1.0) * LOG_HALF;
    let rows = bars.len() as f64 * LOG_ROW_HEIGHT;
    let _ = write!(
        out,
        "<path class=\"cmp-axis\" d=\"M{centre:.1} 0V{rows:.1}\"/>"
    );
    for (row, bar) in bars.iter().enumerate() {
        let top = row as f64 * LOG_ROW_HEIGHT;
        let label_y = top + 10.0;
        match bar.target.as_ref().and_then(href) {
            Some(link) => {
                let _ = write!(out, "<a href=\"{link}\">");
                text(out, "cmp-chart-label", 0.0, label_y, "start", &bar.label);
                out.push_str("</a>");
            }
            None => text(out, "cmp-chart-label", 0.0, label_y, "start", &bar.label),
        }
        let bar_top = top + 20.0;
        let middle = bar_top + 8.0;
        match bar.value {
            Some(value) => {
                rect(out, bar, centre, x(value.median), bar_top, 16.0);
                if value.min < value.max {
                    whisker(out, x(value.min), x(value.max), middle);
                }
                if value.median >= 0.0 {
                    let end = x(value.median).max(x(value.max));
                    text(
                        out,
                        "cmp-chart-value",
                        end + 6.0,
                        middle,
                        "start",
                        &bar.text,
                    );
                } else {
                    let end = x(value.median).min(x(value.min));
                    text(out, "cmp-chart-value", end - 6.0, middle, "end", &bar.text);
                }
            }
            None => text(
                out,
                "cmp-chart-value",
                centre + 6.0,
                middle,
                "start",
                &bar.text,
            ),
        }
    }
    let axis = rows + AXIS_HEIGHT / 2.0;
    text(
        out,
        "cmp-chart-axis",
        centre - LOG_HALF,
        axis,
        "start",
        &format!("← {below}"),
    );
    text(out, "cmp-chart-axis", centre, axis, "middle", "1x");
    text(
        out,
        "cmp-chart-axis",
        centre + LOG_HALF,
        axis,
        "end",
        &format!("{above} →"),
    );
}
