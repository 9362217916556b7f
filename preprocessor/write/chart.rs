//! Inline SVG bar charts: no JavaScript, bars to scale, the spread as a whisker, every value as
//! text, ticks on a labelled axis, a visible caption, and a text alternative for screen
//! readers. Linear charts start at zero; log charts show ratios either side of 1x, sorted from
//! the first language's largest lead to the second's.
//!
//! A chart is an image (`role="img"`), so nothing in it is a link: a bar's link is written
//! beside the chart.

use std::fmt::Write;

use pulldown_cmark_escape::escape_html;

use super::tone::tone_attributes;
use crate::view::{Bar, Chart, Scale, Spread, Target};

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 96.0;
/// The most a linear chart's bars may span; less when a value text needs the room.
const BAR_SPACE: f64 = 260.0;
/// The least they span, however long the value texts.
const MIN_BAR_SPACE: f64 = 120.0;
/// The width of a value text's character, at the largest text size the stylesheet gives charts
/// (19 SVG units, on a phone), with some room: a text this estimate fits is not clipped.
const VALUE_CHAR_WIDTH: f64 = 10.5;
/// From a bar's end to its value text.
const VALUE_GAP: f64 = 6.0;
const ROW_HEIGHT: f64 = 30.0;
const BAR_HEIGHT: f64 = 20.0;
/// A log chart's row: the label on a line of its own, the bar and its value under it.
const LOG_ROW_HEIGHT: f64 = 46.0;
/// How far a log chart's bars reach either side of 1x.
const LOG_HALF: f64 = 290.0;
/// One line of axis text: tick labels, or what each side of a log axis means.
const AXIS_LINE: f64 = 24.0;
/// The fewest SVG units between two tick labels, so that they never overlap.
const TICK_GAP: f64 = 48.0;
/// Text at the chart's edges stands this far in, for a glyph that reaches past its origin (J).
const INSET: f64 = 4.0;

/// The chart as a `<figure>`: its title as a visible caption, then the SVG; `id` must be unique
/// on the page (the SVG's title and description take `id-title` and `id-desc`); `href` gives a
/// bar's link target, escaped, when it may be linked.
pub(super) fn svg(id: &str, chart: &Chart, href: impl Fn(&Target) -> Option<String>) -> String {
    let mut out = String::with_capacity(2048);
    let bars = ordered(chart);
    let mut escaped_id = String::with_capacity(id.len());
    let _ = escape_html(&mut escaped_id, id);
    let id = escaped_id;
    out.push_str("<figure class=\"cmp-chart-figure\"><figcaption class=\"cmp-chart-caption\">");
    let _ = escape_html(&mut out, &chart.title);
    if let Scale::Linear { unit } = &chart.scale {
        out.push_str(" <span class=\"cmp-chart-unit\">(in ");
        let _ = escape_html(&mut out, unit);
        out.push_str(")</span>");
    }
    out.push_str("</figcaption>");
    drawing(&mut out, &id, chart, &bars, "", "");
    links(&mut out, &bars, &href);
    out.push_str("</figure>");
    out
}

/// `chart` as an SVG document of its own, to download: its title and description inside, and
/// the styles it needs in a `<style>` (a light theme's colours, then `stylesheet`).
pub(super) fn standalone(chart: &Chart, stylesheet: &str) -> String {
    let bars = ordered(chart);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let mut style = String::from(
        "<style>:root { --bg: #ffffff; --fg: #000000; --table-header-bg: #dddddd; \
         --blockquote-important-color: #8250df; font-family: sans-serif; }\n",
    );
    // The stylesheet is this program's own text, not data; escaped all the same.
    let _ = escape_html(&mut style, stylesheet);
    style.push_str("</style>");
    drawing(
        &mut out,
        "chart",
        chart,
        &bars,
        " xmlns=\"http://www.w3.org/2000/svg\" width=\"640\"",
        &style,
    );
    out.push('\n');
    out
}

/// The `<svg>` element of `chart` (its `bars` in drawing order) with `attributes` added and
/// `style` first inside.
fn drawing(
    out: &mut String,
    id: &str,
    chart: &Chart,
    bars: &[&Bar],
    attributes: &str,
    style: &str,
) {
    let rows = bars.len() as f64;
    let height = match chart.scale {
        Scale::Linear { .. } => ROW_HEIGHT * rows + AXIS_LINE,
        Scale::Log { .. } => LOG_ROW_HEIGHT * rows + 2.0 * AXIS_LINE,
    };
    let _ = write!(
        out,
        "<svg class=\"cmp-chart\"{attributes} role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" \
         aria-labelledby=\"{id}-title {id}-desc\">{style}<title id=\"{id}-title\">"
    );
    let _ = escape_html(&mut *out, &chart.title);
    let _ = write!(out, "</title><desc id=\"{id}-desc\">");
    let _ = escape_html(&mut *out, &chart.description);
    out.push_str("</desc>");
    match &chart.scale {
        Scale::Linear { unit } => linear(out, bars, unit),
        Scale::Log { below, above } => log(out, bars, below, above),
    }
    out.push_str("</svg>");
}

/// The bars in the order they are drawn: a linear chart's as given, a log chart's by ratio,
/// the first language's largest lead on top and the bars without a value last.
fn ordered(chart: &Chart) -> Vec<&Bar> {
    let mut bars: Vec<&Bar> = chart.bars.iter().collect();
    if let Scale::Log { .. } = chart.scale {
        let key = |bar: &&Bar| bar.value.map_or(f64::NEG_INFINITY, |v| v.median);
        bars.sort_by(|a, b| key(b).total_cmp(&key(a)));
    }
    bars
}

/// The bars' links, in the chart's order, as a line of HTML under it.
fn links(out: &mut String, bars: &[&Bar], href: &impl Fn(&Target) -> Option<String>) {
    let linked: Vec<(&Bar, String)> = bars
        .iter()
        .filter_map(|bar| Some((*bar, bar.target.as_ref().and_then(href)?)))
        .collect();
    if linked.is_empty() {
        return;
    }
    out.push_str("<p class=\"cmp-chart-links\">In full: ");
    for (i, (bar, link)) in linked.iter().enumerate() {
        if i > 0 {
            out.push_str(" · ");
        }
        let _ = write!(out, "<a href=\"{link}\">");
        let _ = escape_html(&mut *out, &bar.label);
        out.push_str("</a>");
    }
    out.push_str("</p>");
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

/// The whisker of a spread, from `low` to `high` at height `middle`, with caps, over a halo
/// in the page's background colour: it stands out from a bar of any colour in every theme.
fn whisker(out: &mut String, low: f64, high: f64, middle: f64) {
    let (top, bottom) = (middle - 6.0, middle + 6.0);
    let d = format!(
        "M{low:.1} {middle:.1}H{high:.1}M{low:.1} {top:.1}V{bottom:.1}M{high:.1} {top:.1}V{bottom:.1}"
    );
    let _ = write!(
        out,
        "<path class=\"cmp-whisker-halo\" d=\"{d}\"/><path class=\"cmp-whisker\" d=\"{d}\"/>"
    );
}

/// A tick on the axis at height `y`: a short mark at `x`, its label under it.
fn tick(out: &mut String, x: f64, y: f64, label: &str) {
    let _ = write!(out, "<path class=\"cmp-tick\" d=\"M{x:.1} {y:.1}v4\"/>");
    text(
        out,
        "cmp-chart-axis",
        x,
        y + AXIS_LINE / 2.0,
        "middle",
        label,
    );
}

/// A step between ticks of 1, 2 or 5 times a power of ten, about a third of `max`.
fn tick_step(max: f64) -> f64 {
    let rough = max / 3.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| rough / power <= m * 1.5)
        .unwrap_or(10.0);
    step * power
}

/// `value` with as many decimals as `step` needs, a whole number in groups of three digits.
fn tick_text(value: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let text = format!("{value:.decimals$}");
    if decimals > 0 {
        return text;
    }
    let mut grouped = String::with_capacity(text.len() + text.len() / 3);
    for (i, digit) in text.chars().enumerate() {
        if i > 0 && (text.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Bars from zero, all to the scale of the largest value, over an axis in `unit`.
fn linear(out: &mut String, bars: &[&Bar], unit: &str) {
    let max = bars
        .iter()
        .filter_map(|b| b.value.map(|v| v.max.max(v.median)))
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(0.0, f64::max);
    // The longest bar ends where the longest value text still fits after it.
    let longest = bars
        .iter()
        .map(|b| b.text.chars().count())
        .max()
        .unwrap_or(0);
    let space = (WIDTH - LABEL_WIDTH - VALUE_GAP - longest as f64 * VALUE_CHAR_WIDTH)
        .clamp(MIN_BAR_SPACE, BAR_SPACE);
    let scale = |v: f64| {
        if max > 0.0 && v.is_finite() {
            LABEL_WIDTH + (v.max(0.0) / max) * space
        } else {
            LABEL_WIDTH
        }
    };
    for (row, bar) in bars.iter().enumerate() {
        let top = row as f64 * ROW_HEIGHT;
        let middle = top + ROW_HEIGHT / 2.0;
        text(out, "cmp-chart-label", INSET, middle, "start", &bar.label);
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
        text(out, class, end + VALUE_GAP, middle, "start", &bar.text);
    }
    let axis = bars.len() as f64 * ROW_HEIGHT;
    let _ = write!(
        out,
        "<path class=\"cmp-axis-line\" d=\"M{LABEL_WIDTH:.1} {axis:.1}H{:.1}\"/>",
        LABEL_WIDTH + space
    );
    text(
        out,
        "cmp-chart-axis-label",
        INSET,
        axis + AXIS_LINE / 2.0,
        "start",
        unit,
    );
    if max <= 0.0 {
        tick(out, LABEL_WIDTH, axis, "0");
        return;
    }
    let step = tick_step(max);
    for value in (0..)
        .map(|i| f64::from(i) * step)
        .take_while(|v| *v <= max * 1.0001)
    {
        tick(out, scale(value), axis, &tick_text(value, step));
    }
}

/// Ratios either side of 1x on a log axis; values are base-10 logarithms.
fn log(out: &mut String, bars: &[&Bar], below: &str, above: &str) {
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
        text(out, "cmp-chart-label", INSET, label_y, "start", &bar.label);
        let bar_top = top + 20.0;
        let middle = bar_top + 8.0;
        let median = bar.value.map_or(0.0, |v| v.median);
        if let Some(value) = bar.value {
            rect(out, bar, centre, x(value.median), bar_top, 16.0);
            if value.min < value.max {
                whisker(out, x(value.min), x(value.max), middle);
            }
        }
        // The value goes in the half the bar leaves empty, so it never runs off the chart; a row
        // with no bar (no verdict) has the whole width for its words.
        if bar.value.is_none() {
            text(out, "cmp-chart-value", INSET, middle, "start", &bar.text);
        } else if median > 0.0 {
            text(
                out,
                "cmp-chart-value",
                centre - 8.0,
                middle,
                "end",
                &bar.text,
            );
        } else {
            text(
                out,
                "cmp-chart-value",
                centre + 8.0,
                middle,
                "start",
                &bar.text,
            );
        }
    }
    let _ = write!(
        out,
        "<path class=\"cmp-axis-line\" d=\"M{:.1} {rows:.1}H{:.1}\"/>",
        centre - LOG_HALF,
        centre + LOG_HALF
    );
    tick(out, centre, rows, "1x");
    // 2x, 5x, 10x, 20x... either side, as far as the bars reach and no closer than TICK_GAP.
    let mut last = 0.0;
    for ratio in (0..6).flat_map(|p| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(p))) {
        let offset = ratio.log10() / extent * LOG_HALF;
        if offset > LOG_HALF {
            break;
        }
        if offset - last < TICK_GAP {
            continue;
        }
        last = offset;
        let label = format!("{ratio}x");
        tick(out, centre - offset, rows, &label);
        tick(out, centre + offset, rows, &label);
    }
    let sides = rows + AXIS_LINE * 1.5;
    text(
        out,
        "cmp-chart-axis",
        INSET,
        sides,
        "start",
        &format!("← {below}"),
    );
    text(
        out,
        "cmp-chart-axis-label",
        centre,
        sides,
        "middle",
        "log scale",
    );
    text(
        out,
        "cmp-chart-axis",
        WIDTH - INSET,
        sides,
        "end",
        &format!("{above} →"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Tone;

    fn bar(label: &str, value: Option<Spread>, target: Option<&str>) -> Bar {
        Bar {
            label: label.into(),
            target: target.map(|t| Target::Url(t.into())),
            value,
            text: format!("{label} value"),
            best: false,
            tone: Tone::Neutral,
        }
    }

    fn spread(min: f64, median: f64, max: f64) -> Option<Spread> {
        Some(Spread {
            median,
            min,
            max,
            runs: None,
        })
    }

    fn render(chart: &Chart) -> String {
        svg("c", chart, |t| match t {
            Target::Url(url) => Some(url.clone()),
            Target::Chapter { .. } | Target::Page { .. } | Target::File { .. } => None,
        })
    }

    fn log_chart() -> Chart {
        Chart {
            title: "Ratios (log scale)".into(),
            description: "d".into(),
            scale: Scale::Log {
                below: "B better".into(),
                above: "A better".into(),
            },
            bars: vec![
                bar("small lead", spread(0.05, 0.1, 0.15), Some("#small")),
                bar("unmeasured", None, Some("#none")),
                bar("B leads", spread(-0.5, -0.4, -0.3), None),
                bar("large lead", spread(0.8, 0.9, 1.0), Some("#large")),
            ],
        }
    }

    /// The part of `html` inside its `<svg>`.
    fn inside_svg(html: &str) -> &str {
        let start = html.find("<svg").expect("an svg");
        let end = html.find("</svg>").expect("a closed svg");
        &html[start..end]
    }

    #[test]
    fn a_chart_has_a_visible_caption_before_its_image() {
        let html = render(&log_chart());
        let caption = html.find("<figcaption").expect("a caption");
        assert!(caption < html.find("<svg").unwrap(), "{html}");
        assert!(html.starts_with("<figure") && html.ends_with("</figure>"));
        assert!(html.contains(">Ratios (log scale)</figcaption>"), "{html}");
    }

    #[test]
    fn an_image_chart_holds_no_link_and_its_links_follow_it_in_its_order() {
        let html = render(&log_chart());
        assert!(html.contains("role=\"img\""));
        assert!(!inside_svg(&html).contains("<a "), "{html}");
        let after = &html[html.find("</svg>").unwrap()..];
        let large = after.find("href=\"#large\"").expect("large linked");
        let small = after.find("href=\"#small\"").expect("small linked");
        let none = after.find("href=\"#none\"").expect("unmeasured linked");
        assert!(large < small && small < none, "{after}");
    }

    #[test]
    fn a_log_chart_is_sorted_by_ratio_with_the_unmeasured_last() {
        let html = render(&log_chart());
        let at = |label: &str| inside_svg(&html).find(&format!(">{label}<")).unwrap();
        assert!(at("large lead") < at("small lead"), "{html}");
        assert!(at("small lead") < at("B leads"), "{html}");
        assert!(at("B leads") < at("unmeasured"), "{html}");
    }

    #[test]
    fn a_log_chart_has_ticks_either_side_and_says_log_scale_in_view() {
        let html = render(&log_chart());
        let svg = inside_svg(&html);
        assert!(svg.contains(">1x</text>"), "{svg}");
        assert_eq!(svg.matches(">2x</text>").count(), 2, "{svg}");
        assert!(svg.contains(">log scale</text>"), "{svg}");
        assert!(svg.contains(">← B better</text>") && svg.contains(">A better →</text>"));
        // Every text stays inside the view box: label at 0, value ending at the width.
        for x in svg.split(" x=\"").skip(1) {
            let x: f64 = x[..x.find('"').unwrap()].parse().unwrap();
            assert!((0.0..=WIDTH).contains(&x), "{x} in {svg}");
        }
    }

    #[test]
    fn a_linear_chart_has_ticks_and_its_unit_on_the_axis_and_in_the_caption() {
        let chart = Chart {
            title: "Latency: lower is better".into(),
            description: "d".into(),
            scale: Scale::Linear { unit: "ms".into() },
            bars: vec![
                bar("A", spread(10.0, 12.0, 13.0), None),
                bar("B", spread(30.0, 31.0, 34.0), None),
            ],
        };
        let html = render(&chart);
        assert!(
            html.contains("Latency: lower is better <span class=\"cmp-chart-unit\">(in ms)</span>"),
            "{html}"
        );
        let svg = inside_svg(&html);
        assert!(svg.contains("cmp-chart-axis-label\"") && svg.contains(">ms</text>"));
        let ticks: Vec<&str> = svg
            .split("class=\"cmp-chart-axis\"")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find('<').unwrap()])
            .collect();
        assert_eq!(ticks, ["0", "10", "20", "30"], "{svg}");
    }

    #[test]
    fn the_longest_bar_leaves_room_for_a_long_value_text() {
        // The value text stands after the bar's end; at a phone's text size (19 SVG units, in
        // the stylesheet) about 10.5 units a character. The longest bar must leave it room.
        let mut long = bar("A", spread(86_000.0, 86_600.0, 87_000.0), None);
        long.text = "86,600 req/CPU-s, n = 3 ✓ better".into();
        let chart = Chart {
            title: "t".into(),
            description: "d".into(),
            scale: Scale::Linear {
                unit: "req/CPU-s".into(),
            },
            bars: vec![long, bar("B", spread(50_000.0, 51_000.0, 52_000.0), None)],
        };
        let html = render(&chart);
        let svg = inside_svg(&html);
        let value = svg
            .split("<text class=\"cmp-chart-value\" x=\"")
            .nth(1)
            .expect("a value text");
        let x: f64 = value[..value.find('"').unwrap()].parse().unwrap();
        let room = WIDTH - x;
        let needed = "86,600 req/CPU-s, n = 3 ✓ better".chars().count() as f64 * 10.5;
        assert!(
            room >= needed,
            "{room} units after x = {x}, {needed} needed"
        );
    }

    #[test]
    fn a_whisker_has_a_halo_under_it() {
        let html = render(&log_chart());
        let halo = html.find("cmp-whisker-halo").expect("a halo");
        assert!(halo < html.find("class=\"cmp-whisker\"").unwrap());
    }

    #[test]
    fn ticks_step_by_one_two_or_five() {
        for (max, step) in [
            (34.0, 10.0),
            (0.9, 0.2),
            (7.0, 2.0),
            (1500.0, 500.0),
            (3.0, 1.0),
        ] {
            assert_eq!(tick_step(max), step, "{max}");
        }
        assert_eq!(tick_text(0.4, 0.2), "0.4");
        assert_eq!(tick_text(1000.0, 500.0), "1,000");
        assert_eq!(tick_text(200_000.0, 100_000.0), "200,000");
        assert_eq!(tick_text(500.0, 100.0), "500");
    }
}
