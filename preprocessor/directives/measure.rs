//! What a metric's numbers say: each language's value with its spread and, for two languages,
//! the verdict that the 95% interval of their ratio of medians gives against the metric's
//! equivalence band. Every verdict, "better" and ratio word is derived here from the data's
//! values, intervals and band, never typed into the data: an interval wholly outside the band
//! is a clear difference, wholly inside it "about the same", across its edge "no clear
//! difference"; without an interval, or from one run of a figure that varies, there is none.

use std::borrow::Cow;

use crate::dataset::model::{Benchmark, Direction, Language, Method, Metric, Provenance, Value};
use crate::view::Spread;

/// What a benchmark's figures rest on: where they come from, and whether they were measured on
/// a machine that met the quiet gate (a provisional benchmark gives no verdict).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Basis {
    /// Where the figures come from.
    pub(super) provenance: Provenance,
    /// Measured on a busy machine.
    pub(super) provisional: bool,
}

impl From<Provenance> for Basis {
    fn from(provenance: Provenance) -> Self {
        Basis {
            provenance,
            provisional: false,
        }
    }
}

impl From<&Benchmark> for Basis {
    fn from(benchmark: &Benchmark) -> Self {
        Basis {
            provenance: benchmark.provenance,
            provisional: benchmark.provisional,
        }
    }
}

/// A metric's value for the language `id`, with its spread.
pub(super) fn spread(metric: &Metric, id: &str) -> Option<Spread> {
    metric.values.get(id).map(|value| match *value {
        Value::Single(n) => Spread::exact(n),
        Value::Spread(s) => Spread {
            median: s.median,
            min: s.min,
            max: s.max,
            runs: Some(s.runs),
        },
    })
}

/// How many times better one value is than another, kept as a base-10 logarithm so that it is
/// finite for any two finite positive values (`1e300` against `1e-300` is `1e600`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Ratio {
    /// `log10` of the ratio, at least 0.
    log10: f64,
}

impl Ratio {
    /// The ratio whose base-10 logarithm is `log10` (either sign: a ratio is at least 1).
    pub(super) fn from_log10(log10: f64) -> Ratio {
        Ratio { log10: log10.abs() }
    }

    /// "1.30x", "16x", "1,200x", or "1.0e600x" past a million.
    pub(super) fn text(self) -> String {
        format!("{}x", factor(self.log10))
    }
}

/// The number whose base-10 logarithm is `log10`, for a ratio or an end of its interval:
/// "0.95", "1.54", "16", "1,200", "1.0e600" past a million, "1.0e-3" below a hundredth.
fn factor(log10: f64) -> String {
    if (-2.0..1.0).contains(&log10) {
        format!("{:.2}", 10f64.powf(log10))
    } else if (1.0..6.0).contains(&log10) {
        group(&format!("{:.0}", 10f64.powf(log10)))
    } else {
        let exponent = log10.floor();
        let mantissa = 10f64.powf(log10 - exponent);
        // 9.96 rounds to "10.0": carry it into the exponent.
        let (mantissa, exponent) = if mantissa >= 9.95 {
            (1.0, exponent + 1.0)
        } else {
            (mantissa, exponent)
        };
        format!("{mantissa:.1}e{exponent:.0}")
    }
}

/// What two languages' figures of a metric say, from the first language's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// The interval lies wholly outside the band: the first language is clearly better
    /// (`true`) or clearly worse (`false`).
    Clear {
        /// Whether the first language wins.
        first_wins: bool,
    },
    /// The interval lies wholly inside the band.
    Same,
    /// The interval reaches across an edge of the band.
    Unclear,
    /// Measured here, with no interval: no verdict.
    NoInterval,
    /// One run of a figure that varies from run to run (no band is given): no verdict.
    OneRun,
    /// Published figures with no interval: their ratio as published, no verdict.
    AsPublished,
    /// Measured on a machine that missed the quiet gate: no verdict.
    Provisional,
    /// Figures that only describe (the metric says why): no verdict.
    Descriptive,
}

/// Two languages' figures of a metric compared, from the first language's side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Comparison {
    /// What the figures say.
    pub(super) verdict: Verdict,
    /// `log10` of how many times the first language's median beats the second's: above 0
    /// when it is better, below when it is worse.
    pub(super) log: f64,
    /// The 95% interval of `log` (`low <= high`), and how it was computed.
    pub(super) interval: Option<(f64, f64, Method)>,
    /// How many runs each language's figure is of, when known.
    pub(super) runs: (Option<u32>, Option<u32>),
}

/// How far past an edge of the band, in `log10`, an interval's end may fall and still count as
/// on it: floating-point rounding of `1 / (1 + w)`, not a tolerance of the data.
const EDGE_SLACK: f64 = 1e-12;

/// Compares `first` and `second` on `metric`, whose benchmark has `provenance`: `None` unless
/// both have a finite positive value.
pub(super) fn compare(
    metric: &Metric,
    basis: impl Into<Basis>,
    first: &Language,
    second: &Language,
) -> Option<Comparison> {
    let Basis {
        provenance,
        provisional,
    } = basis.into();
    let (a, b) = (spread(metric, &first.id)?, spread(metric, &second.id)?);
    // Turns `log10(first / second)` into "how much better the first is".
    let sign = match metric.direction {
        Direction::Higher => 1.0,
        Direction::Lower => -1.0,
    };
    let interval = metric.intervals.iter().find_map(|i| {
        let (ratio, low, high) = (i.ratio.log10(), i.low.log10(), i.high.log10());
        let logs = if (i.of.as_str(), i.over.as_str()) == (first.id.as_str(), second.id.as_str()) {
            (ratio, low, high)
        } else if (i.of.as_str(), i.over.as_str()) == (second.id.as_str(), first.id.as_str()) {
            (-ratio, -high, -low)
        } else {
            return None;
        };
        let (ratio, low, high) = (sign * logs.0, sign * logs.1, sign * logs.2);
        [ratio, low, high].iter().all(|v| v.is_finite()).then_some((
            ratio,
            low.min(high),
            low.max(high),
            i.method,
        ))
    });
    let log = match interval {
        Some((ratio, ..)) => ratio,
        None => sign * (a.median.log10() - b.median.log10()),
    };
    if !log.is_finite() {
        return None;
    }
    let varies = metric.band.is_none();
    let verdict = match interval {
        _ if metric.descriptive.is_some() => Verdict::Descriptive,
        _ if provisional => Verdict::Provisional,
        _ if varies && (a.runs == Some(1) || b.runs == Some(1)) => Verdict::OneRun,
        Some((_, low, high, _)) => {
            // The edges belong to the band, whichever way round rounding leaves `1 / (1 + w)`.
            let edge = (1.0 + metric.band_width()).log10() + EDGE_SLACK;
            if low > edge {
                Verdict::Clear { first_wins: true }
            } else if high < -edge {
                Verdict::Clear { first_wins: false }
            } else if low >= -edge && high <= edge {
                Verdict::Same
            } else {
                Verdict::Unclear
            }
        }
        None if provenance == Provenance::Reproduced => Verdict::NoInterval,
        None => Verdict::AsPublished,
    };
    Some(Comparison {
        verdict,
        log,
        interval: interval.map(|(_, low, high, method)| (low, high, method)),
        runs: (a.runs, b.runs),
    })
}

/// "lower" or "higher": what a better value of a metric is.
fn comparative(direction: Direction) -> &'static str {
    match direction {
        Direction::Higher => "higher",
        Direction::Lower => "lower",
    }
}

/// What a metric measures, as a noun: its `quantity`, or its name with a capital that only
/// starts the sentence made small ("Peak memory" is "peak memory", "HTTP server" stays).
fn quantity(metric: &Metric) -> Cow<'_, str> {
    if let Some(quantity) = &metric.quantity {
        return Cow::Borrowed(quantity);
    }
    let name = metric.name.trim();
    let first_word = name.split_whitespace().next().unwrap_or_default();
    let mut letters = first_word.chars();
    match letters.next() {
        Some(capital) if capital.is_uppercase() && !letters.any(char::is_uppercase) => Cow::Owned(
            format!("{}{}", capital.to_lowercase(), &name[capital.len_utf8()..]),
        ),
        _ => Cow::Borrowed(name),
    }
}

/// The band's half-width as a percentage: "±5%", "±0%", "±2.5%".
pub(super) fn band_text(width: f64) -> String {
    let percent = format!("{:.2}", width * 100.0);
    let percent = percent.trim_end_matches('0').trim_end_matches('.');
    format!("±{percent}%")
}

impl Comparison {
    /// Whether the first language's median is the better one, or `None` when they are equal.
    fn median_winner(&self) -> Option<bool> {
        (self.log != 0.0).then_some(self.log > 0.0)
    }

    /// The winner by the medians and the ratio, the right way round for the metric: "Rust
    /// 1.54x lower" (with `noun`, what is lower: "Rust with 1.54x lower start-up time").
    fn difference(
        &self,
        metric: &Metric,
        first: &Language,
        second: &Language,
        noun: bool,
    ) -> String {
        let ratio = Ratio::from_log10(self.log).text();
        let Some(first_wins) = self.median_winner() else {
            return ratio;
        };
        let winner = if first_wins { first } else { second };
        let comparative = comparative(metric.direction);
        if noun {
            format!(
                "{} with {ratio} {comparative} {}",
                winner.name,
                quantity(metric)
            )
        } else {
            format!("{} {ratio} {comparative}", winner.name)
        }
    }

    /// The interval of the ratio shown, turned the way of the winner by the medians:
    /// "95% CI 1.49–1.58", "exact".
    fn interval_text(&self) -> Option<String> {
        let (low, high, method) = self.interval?;
        let (low, high) = if self.median_winner() == Some(false) {
            (-high, -low)
        } else {
            (low, high)
        };
        Some(match method {
            Method::Exact => "exact".into(),
            Method::Bootstrap => format!("95% CI {}–{}", factor(low), factor(high)),
            Method::HodgesLehmann => {
                format!("95% CI {}–{} (Hodges-Lehmann)", factor(low), factor(high))
            }
        })
    }

    /// How many runs: "n = 300 each", "n = 5 for Rust, 3 for Go", "n not stated".
    fn runs_text(&self, first: &Language, second: &Language) -> String {
        match self.runs {
            (Some(a), Some(b)) if a == b => format!("n = {a} each"),
            (None, None) => "n not stated".into(),
            (a, b) => {
                let count = |runs: Option<u32>, language: &Language| match runs {
                    Some(n) => format!("{n} for {}", language.name),
                    None => format!("not stated for {}", language.name),
                };
                format!("n = {}, {}", count(a, first), count(b, second))
            }
        }
    }

    /// The verdict and the runs, for a chart's bar, whose whisker shows the interval: "Rust
    /// 1.54x lower, n = 300 each", "about the same, n = 20 each".
    pub(super) fn short_text(
        &self,
        metric: &Metric,
        first: &Language,
        second: &Language,
    ) -> String {
        let runs = self.runs_text(first, second);
        let head = match self.verdict {
            Verdict::Clear { .. } => self.difference(metric, first, second, false),
            Verdict::AsPublished => format!(
                "{}, as published, no interval",
                self.difference(metric, first, second, false)
            ),
            Verdict::Same => ABOUT_THE_SAME.into(),
            Verdict::Unclear => NO_CLEAR_DIFFERENCE.into(),
            Verdict::NoInterval => NO_INTERVAL.into(),
            Verdict::OneRun => ONE_RUN.into(),
            Verdict::Provisional => PROVISIONAL.into(),
            Verdict::Descriptive => DESCRIPTIVE.into(),
        };
        format!("{head}, {runs}")
    }

    /// The verdict in words, with the interval and the run counts: "Rust with 1.54x lower
    /// start-up time (95% CI 1.49–1.58, n = 300 each)", "about the same (Rust 1.02x lower, 95%
    /// CI 1.01–1.03, n = 3 each)", "no interval: no verdict (n = 5 each)". With `than`, it names
    /// both languages, for a list of several comparisons.
    pub(super) fn text(
        &self,
        metric: &Metric,
        first: &Language,
        second: &Language,
        than: bool,
    ) -> String {
        let runs = self.runs_text(first, second);
        let (head, details) = match self.verdict {
            Verdict::Clear { first_wins } => {
                let loser = if first_wins { second } else { first };
                let mut head = self.difference(metric, first, second, true);
                if than {
                    head.push_str(&format!(" than {}", loser.name));
                }
                (head, vec![self.interval_text(), Some(runs)])
            }
            Verdict::AsPublished => {
                let mut head = self.difference(metric, first, second, true);
                if than && let Some(first_wins) = self.median_winner() {
                    let loser = if first_wins { second } else { first };
                    head.push_str(&format!(" than {}", loser.name));
                }
                (
                    head,
                    vec![Some("as published, no interval".into()), Some(runs)],
                )
            }
            Verdict::Same | Verdict::Unclear => {
                let head = if self.verdict == Verdict::Same {
                    ABOUT_THE_SAME
                } else {
                    NO_CLEAR_DIFFERENCE
                };
                (
                    self.pair(head, first, second, than),
                    vec![
                        Some(self.difference(metric, first, second, false)),
                        self.interval_text(),
                        Some(runs),
                    ],
                )
            }
            Verdict::NoInterval => (
                self.pair(NO_INTERVAL, first, second, than),
                vec![Some(runs)],
            ),
            Verdict::OneRun => (self.pair(ONE_RUN, first, second, than), vec![Some(runs)]),
            Verdict::Provisional => (
                self.pair(PROVISIONAL, first, second, than),
                vec![Some(runs)],
            ),
            Verdict::Descriptive => (
                self.pair(DESCRIPTIVE, first, second, than),
                vec![Some(runs)],
            ),
        };
        let details: Vec<String> = details.into_iter().flatten().collect();
        format!("{head} ({})", details.join(", "))
    }

    /// `words`, after both languages' names when `than`: "Rust and Go, about the same".
    fn pair(&self, words: &str, first: &Language, second: &Language, than: bool) -> String {
        if than {
            format!("{} and {}, {words}", first.name, second.name)
        } else {
            words.to_string()
        }
    }
}

/// What a comparison whose interval lies wholly inside the band says.
pub(super) const ABOUT_THE_SAME: &str = "about the same";
/// What a comparison whose interval reaches across the band's edge says.
pub(super) const NO_CLEAR_DIFFERENCE: &str = "no clear difference";
/// What a comparison of figures measured here without an interval says.
const NO_INTERVAL: &str = "no interval: no verdict";
/// The verdict text of a provisional benchmark's figures.
const PROVISIONAL: &str = "provisional (busy machine): no verdict";
/// The verdict text of a descriptive metric's figures.
const DESCRIPTIVE: &str = "descriptive: no verdict";
/// What a comparison with one run of a figure that varies says.
const ONE_RUN: &str = "one run: no verdict";

/// How the verdicts are reached, for a note under them.
pub(super) const RULE: &str = "Each verdict divides two languages' medians and gives the ratio's 95% interval (a percentile bootstrap unless marked) and the runs behind each median (n). It is a clear difference only when the interval lies wholly outside the metric's equivalence band (±5% unless its note gives another), about the same when it lies wholly inside, and no clear difference when it reaches across an edge. Without an interval, or from one run of a figure that varies, there is no verdict; published figures without an interval show their ratio as published.";

/// A metric's values in column order, the language that clearly beats every other, and the
/// comparisons that say so.
#[derive(Debug, Clone)]
pub(super) struct Outcome<'a> {
    /// Each language with its value, `None` when it was not measured.
    pub(super) values: Vec<(&'a Language, Option<Spread>)>,
    /// The index in `values` of the language that is clearly better than every other measured
    /// one; `None` with fewer than two measured, or when no language is.
    pub(super) best: Option<usize>,
    /// The comparisons shown, as indexes in `values`: the best against each other measured
    /// language, or, without a best, each pair of measured languages.
    pub(super) comparisons: Vec<(usize, usize, Comparison)>,
}

impl<'a> Outcome<'a> {
    /// Compares the metric's values across `languages`, for a benchmark of `provenance`.
    pub(super) fn of(metric: &Metric, basis: impl Into<Basis>, languages: &'a [Language]) -> Self {
        let basis = basis.into();
        let values: Vec<_> = languages
            .iter()
            .map(|l| (l, spread(metric, &l.id)))
            .collect();
        let measured: Vec<usize> = (0..values.len())
            .filter(|&i| values[i].1.is_some())
            .collect();
        let pair = |i: usize, j: usize| {
            compare(metric, basis, values[i].0, values[j].0).map(|c| (i, j, c))
        };
        let best = measured.iter().copied().find(|&i| {
            measured.len() > 1
                && measured.iter().filter(|&&j| j != i).all(|&j| {
                    matches!(
                        pair(i, j),
                        Some((_, _, c)) if c.verdict == Verdict::Clear { first_wins: true }
                    )
                })
        });
        let comparisons = match best {
            Some(best) => measured
                .iter()
                .filter(|&&j| j != best)
                .filter_map(|&j| pair(best, j))
                .collect(),
            None => measured
                .iter()
                .enumerate()
                .flat_map(|(n, &i)| measured[n + 1..].iter().map(move |&j| (i, j)))
                .filter_map(|(i, j)| pair(i, j))
                .collect(),
        };
        Outcome {
            values,
            best,
            comparisons,
        }
    }

    /// Every comparison in words, "; " between them (each naming both languages when there
    /// are several); `None` with fewer than two measured.
    pub(super) fn verdict_text(&self, metric: &Metric) -> Option<String> {
        let than = self.comparisons.len() > 1;
        let texts: Vec<String> = self
            .comparisons
            .iter()
            .map(|(i, j, c)| c.text(metric, self.values[*i].0, self.values[*j].0, than))
            .collect();
        (!texts.is_empty()).then(|| texts.join("; "))
    }
}

/// "Higher is better" or "Lower is better".
pub(super) fn direction_text(direction: Direction) -> &'static str {
    match direction {
        Direction::Higher => "higher is better",
        Direction::Lower => "lower is better",
    }
}

/// A value as written, with thousands separated: `510000` is "510,000", `0.8` stays "0.8";
/// very large or very small values in scientific notation (`1e300`).
pub(super) fn value_text(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-6..1e15).contains(&magnitude) {
        return format!("{value:e}");
    }
    group(&value.to_string())
}

/// A value with its unit, and its spread when it has one: "5.82 MiB (5.7–5.91, 9 runs)".
pub(super) fn spread_text(spread: Spread, unit: &str) -> String {
    let mut text = format!("{} {unit}", value_text(spread.median));
    let runs = spread.runs.map(|n| match n {
        1 => "1 run".to_string(),
        n => format!("{n} runs"),
    });
    match (spread.has_range(), runs) {
        (true, Some(runs)) => text.push_str(&format!(
            " ({}–{}, {runs})",
            value_text(spread.min),
            value_text(spread.max)
        )),
        (true, None) => text.push_str(&format!(
            " ({}–{})",
            value_text(spread.min),
            value_text(spread.max)
        )),
        (false, Some(runs)) => text.push_str(&format!(" ({runs})")),
        (false, None) => {}
    }
    text
}

/// Digits grouped by thousands: "1234.5" is "1,234.5".
fn group(number: &str) -> String {
    let (whole, fraction) = number
        .split_once('.')
        .map_or((number, None), |(w, f)| (w, Some(f)));
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let mut grouped = String::with_capacity(number.len() + digits.len() / 3);
    grouped.push_str(sign);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if let Some(fraction) = fraction {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::model::Interval;

    fn range(median: f64, min: f64, max: f64) -> Spread {
        Spread {
            median,
            min,
            max,
            runs: Some(5),
        }
    }

    fn language(id: &str) -> Language {
        toml::from_str(&format!(
            "id = \"{id}\"\nname = \"{}\"\ntagline = \"t\"\nhomepage = \"https://x.org/\"",
            id.to_uppercase()
        ))
        .unwrap()
    }

    /// A lower-is-better metric of `a` (5 runs each) with the interval `b / a` of
    /// `[ratio, low, high]` and a band of `width` when given.
    fn metric(interval: [f64; 3], width: Option<f64>) -> Metric {
        let [ratio, low, high] = interval;
        let band = width.map_or(String::new(), |w| {
            format!("band = {{ width = {w:?}, reason = \"r\" }}\n")
        });
        let mut metric: Metric = toml::from_str(&format!(
            "id = \"m\"\nname = \"M\"\nunit = \"s\"\ndirection = \"lower\"\n{band}\
             [values]\na = {{ median = 1.0, min = 1.0, max = 1.0, runs = 5 }}\n\
             b = {{ median = {ratio:?}, min = {ratio:?}, max = {ratio:?}, runs = 5 }}\n"
        ))
        .unwrap();
        metric.intervals.push(Interval {
            of: "b".into(),
            over: "a".into(),
            ratio,
            low,
            high,
            method: Method::Bootstrap,
        });
        metric
    }

    fn verdict(interval: [f64; 3], width: Option<f64>) -> Verdict {
        let metric = metric(interval, width);
        compare(
            &metric,
            Provenance::Reproduced,
            &language("a"),
            &language("b"),
        )
        .unwrap()
        .verdict
    }

    #[test]
    fn the_band_reaches_from_one_over_one_plus_w_to_one_plus_w() {
        let clear = Verdict::Clear { first_wins: true };
        let lost = Verdict::Clear { first_wins: false };
        // The edges belong to the band.
        assert_eq!(verdict([1.0, 1.0 / 1.05, 1.05], None), Verdict::Same);
        assert_eq!(verdict([1.06, 1.0501, 1.07], None), clear);
        assert_eq!(
            verdict([1.0, 1.0 / 1.05 - 1e-4, 1.0], None),
            Verdict::Unclear
        );
        assert_eq!(verdict([0.9, 0.85, 1.0 / 1.05 - 1e-4], None), lost);
        // Wider than the band on both sides: it straddles.
        assert_eq!(verdict([1.0, 0.5, 2.0], None), Verdict::Unclear);
        // A band of 0: only a ratio of exactly 1 is the same.
        assert_eq!(verdict([1.0, 1.0, 1.0], Some(0.0)), Verdict::Same);
        assert_eq!(verdict([1.001, 1.001, 1.001], Some(0.0)), clear);
        assert_eq!(verdict([1.2, 1.1, 1.3], Some(0.5)), Verdict::Same);
    }

    #[test]
    fn a_provisional_benchmark_gives_no_verdict_however_clear_its_interval() {
        let metric = metric([2.0, 1.9, 2.1], None);
        let (a, b) = (language("a"), language("b"));
        let busy = Basis {
            provenance: Provenance::Reproduced,
            provisional: true,
        };
        let comparison = compare(&metric, busy, &a, &b).unwrap();
        assert_eq!(comparison.verdict, Verdict::Provisional);
        assert_eq!(
            comparison.text(&metric, &a, &b, false),
            "provisional (busy machine): no verdict (n = 5 each)"
        );
    }

    #[test]
    fn a_descriptive_metric_gives_no_verdict_however_clear_its_interval() {
        let mut metric = metric([2.0, 1.9, 2.1], None);
        metric.descriptive = Some("A closed loop's latency restates its throughput.".into());
        let (a, b) = (language("a"), language("b"));
        let comparison = compare(&metric, Provenance::Reproduced, &a, &b).unwrap();
        assert_eq!(comparison.verdict, Verdict::Descriptive);
        assert_eq!(
            comparison.text(&metric, &a, &b, false),
            "descriptive: no verdict (n = 5 each)"
        );
    }

    #[test]
    fn an_interval_is_read_either_way_round() {
        // `b / a` above 1 on a lower-is-better metric: `a` wins; from `b`'s side, it loses.
        let metric = metric([1.54, 1.49, 1.58], None);
        let (a, b) = (language("a"), language("b"));
        let from_a = compare(&metric, Provenance::Reproduced, &a, &b).unwrap();
        let from_b = compare(&metric, Provenance::Reproduced, &b, &a).unwrap();
        assert_eq!(from_a.verdict, Verdict::Clear { first_wins: true });
        assert_eq!(from_b.verdict, Verdict::Clear { first_wins: false });
        assert_eq!(
            from_a.text(&metric, &a, &b, false),
            from_b.text(&metric, &b, &a, false)
        );
        assert_eq!(
            from_b.text(&metric, &b, &a, true),
            "A with 1.54x lower m than B (95% CI 1.49–1.58, n = 5 each)"
        );
    }

    #[test]
    fn published_figures_without_an_interval_are_a_ratio_as_published() {
        let mut metric = metric([2.0, 2.0, 2.0], None);
        metric.intervals.clear();
        metric.values.insert("a".into(), Value::Single(1.0));
        metric.values.insert("b".into(), Value::Single(2.0));
        let (a, b) = (language("a"), language("b"));
        let published = compare(&metric, Provenance::Published, &a, &b).unwrap();
        assert_eq!(published.verdict, Verdict::AsPublished);
        assert_eq!(
            published.text(&metric, &a, &b, false),
            "A with 2.00x lower m (as published, no interval, n not stated)"
        );
        let measured = compare(&metric, Provenance::Reproduced, &a, &b).unwrap();
        assert_eq!(measured.verdict, Verdict::NoInterval);
    }

    #[test]
    fn a_quantity_reads_after_lower_or_higher() {
        let mut metric = metric([1.0, 1.0, 1.0], None);
        for (name, quantity) in [
            ("Peak memory (VmHWM)", "peak memory (VmHWM)"),
            ("HTTP JSON server, as built", "HTTP JSON server, as built"),
            ("p99 latency", "p99 latency"),
            ("Échelle", "échelle"),
            (" Éa", "éa"),
            ("", ""),
        ] {
            metric.name = name.into();
            assert_eq!(super::quantity(&metric), quantity);
        }
        metric.quantity = Some("start-up time".into());
        assert_eq!(super::quantity(&metric), "start-up time");
        assert_eq!(band_text(0.05), "±5%");
        assert_eq!(band_text(0.0), "±0%");
        assert_eq!(band_text(0.025), "±2.5%");
    }

    #[test]
    fn ratios_stay_finite() {
        assert_eq!(Ratio::from_log10(600.0).text(), "1.0e600x");
        assert_eq!(Ratio::from_log10(-600.0).text(), "1.0e600x");
        assert_eq!(Ratio::from_log10(16f64.log10()).text(), "16x");
        assert_eq!(Ratio::from_log10(12_345f64.log10()).text(), "12,345x");
        assert_eq!(Ratio::from_log10(9_999_999f64.log10()).text(), "1.0e7x");
        assert_eq!(Ratio::from_log10(2.999f64.log10()).text(), "3.00x");
        assert_eq!(factor(0.95f64.log10()), "0.95");
        assert_eq!(factor(-300.0), "1.0e-300");
        let huge = metric([1e300, 1e300, 1e300], None);
        let mut huge = huge;
        huge.values.insert("a".into(), Value::Single(1e-300));
        let c = compare(
            &huge,
            Provenance::Reproduced,
            &language("a"),
            &language("b"),
        )
        .unwrap();
        assert_eq!(c.log, 300.0);
    }

    #[test]
    fn values_are_grouped_not_rounded() {
        assert_eq!(value_text(510_000.0), "510,000");
        assert_eq!(value_text(0.8), "0.8");
        assert_eq!(value_text(1234.5678), "1,234.5678");
        assert_eq!(value_text(1e300), "1e300");
        assert_eq!(value_text(1e-300), "1e-300");
        assert_eq!(value_text(0.0), "0");
        assert_eq!(
            spread_text(range(5.82, 5.7, 5.91), "MiB"),
            "5.82 MiB (5.7–5.91, 5 runs)"
        );
        assert_eq!(spread_text(Spread::exact(3.0), "s"), "3 s");
    }
}

/// The verdicts on a benchmark that has a metric for each case, through `<<ratio>>` and
/// `<<benchmark>>` views.
#[cfg(test)]
mod verdict_tests {
    use crate::dataset::{Dataset, Entry};
    use crate::diagnostic::SourceFile;
    use crate::directives::testing::{dataset, outcome_in, words};
    use crate::view::{Block, Span, Tone, View};

    /// One metric per verdict. `hello-time` holds today's 300-run start-up figures
    /// (`bench/results/startup.json`, measured 2026-12-01) and `peak-rss-3-runs` today's
    /// n-body peak memory (`bench/results/n-body.json`); their intervals are what a
    /// percentile bootstrap of the ratio of medians gives on those raw runs (10,000
    /// resamples, seed 1, ends at the 2.5th and 97.5th percentiles, to 3 significant digits):
    ///
    /// ```text
    /// python3 - <<'PY'
    /// import json, random, statistics as s
    /// def interval(of, over, n=10000, seed=1):
    ///     rng = random.Random(seed)
    ///     r = sorted(s.median(rng.choices(of, k=len(of))) / s.median(rng.choices(over, k=len(over))) for _ in range(n))
    ///     return s.median(of) / s.median(over), r[int(0.025 * n)], r[int(0.975 * n) - 1]
    /// for bench, metric in [("startup", "hello-time"), ("n-body", "peak-rss")]:
    ///     runs = json.load(open(f"bench/results/{bench}.json"))["runs"][metric]
    ///     print(bench, metric, ["%.3g" % x for x in interval(runs["go"], runs["rust"])])
    /// PY
    /// ```
    ///
    /// `peak-rss` is the same 1.95 against 1.99 MiB with an interval inside the band, as more
    /// runs would give; the others are made up to sit on each side of a band.
    const VERDICTS: &str = r#"
title = "Verdicts"
description = "A metric for each verdict."
provenance = "reproduced"
environment = "2 cores"
reproduce = "bench/run verdicts"
headline = "hello-time"
as_of = "2026-12-01"

[setup]
rust = "std"
go = "std"

[[sources]]
title = "This repository's harness"

[[metrics]]
id = "hello-time"
name = "Hello-world start to exit"
quantity = "start-up time"
unit = "ms"
direction = "lower"
[metrics.values]
rust = { median = 1.13, min = 0.784, max = 4.41, runs = 300 }
go = { median = 1.74, min = 1.22, max = 7.79, runs = 300 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 1.54
low = 1.49
high = 1.58
method = "bootstrap"

[[metrics]]
id = "peak-rss"
name = "Peak memory (max RSS)"
unit = "MiB"
direction = "lower"
[metrics.values]
rust = { median = 1.95, min = 1.89, max = 1.96, runs = 20 }
go = { median = 1.99, min = 1.99, max = 1.99, runs = 20 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 1.02
low = 1.01
high = 1.03
method = "bootstrap"

[[metrics]]
id = "peak-rss-3-runs"
name = "Peak memory (max RSS)"
unit = "MiB"
direction = "lower"
[metrics.values]
rust = { median = 1.95, min = 1.89, max = 1.96, runs = 3 }
go = { median = 1.99, min = 1.99, max = 1.99, runs = 3 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 1.02
low = 1.01
high = 1.06
method = "bootstrap"

[[metrics]]
id = "latency"
name = "p99 latency"
unit = "ms"
direction = "lower"
[metrics.values]
rust = { median = 6.27, min = 5.66, max = 6.45, runs = 5 }
go = { median = 5.45, min = 5.11, max = 5.64, runs = 5 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 0.869
low = 0.8
high = 0.97
method = "bootstrap"

[[metrics]]
id = "throughput"
name = "Requests per second"
quantity = "throughput"
unit = "req/s"
direction = "higher"
[metrics.values]
rust = { median = 91700, min = 88500, max = 106000, runs = 5 }
go = { median = 42300, min = 39000, max = 50900, runs = 5 }
[[metrics.intervals]]
of = "rust"
over = "go"
ratio = 2.17
low = 1.8
high = 2.6
method = "hodges-lehmann"

[[metrics]]
id = "one-run"
name = "Peak memory (VmHWM)"
unit = "MiB"
direction = "lower"
[metrics.values]
rust = { median = 5.83, min = 5.83, max = 5.83, runs = 1 }
go = { median = 11.8, min = 11.8, max = 11.8, runs = 1 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 2.02
low = 2.02
high = 2.02
method = "exact"

[[metrics]]
id = "size"
name = "Binary size"
unit = "MiB"
direction = "lower"
band = { width = 0.0, reason = "A file's size is deterministic: the same build gives the same bytes." }
[metrics.values]
rust = { median = 2.0, min = 2.0, max = 2.0, runs = 1 }
go = { median = 2.04, min = 2.04, max = 2.04, runs = 1 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 1.02
low = 1.02
high = 1.02
method = "exact"

[[metrics]]
id = "wide-band"
name = "Build time"
unit = "s"
direction = "lower"
band = { width = 0.25, reason = "Builds vary by a quarter on this machine." }
[metrics.values]
rust = { median = 10.0, min = 9.0, max = 12.0, runs = 5 }
go = { median = 11.3, min = 10.0, max = 13.0, runs = 5 }
[[metrics.intervals]]
of = "go"
over = "rust"
ratio = 1.13
low = 1.06
high = 1.2
method = "bootstrap"

[[metrics]]
id = "no-interval"
name = "Parse time"
unit = "ms"
direction = "lower"
[metrics.values]
rust = { median = 3.0, min = 2.0, max = 3.5, runs = 5 }
go = { median = 4.0, min = 3.9, max = 4.1, runs = 5 }
"#;

    /// The test dataset with the benchmark `verdicts`.
    fn data() -> Dataset {
        let mut data = dataset();
        data.benchmarks.push(Entry {
            id: "verdicts".into(),
            file: SourceFile::new("data/benchmarks/verdicts.toml", VERDICTS),
            value: toml::from_str(VERDICTS).unwrap(),
        });
        data
    }

    /// The view of `text` on [`data`], which must resolve without a diagnostic.
    fn view(text: &str) -> View {
        match outcome_in(&data(), "guide/page.md", text) {
            (Some(view), report) if report.is_empty() => view,
            (_, report) => panic!("{text}: {report}"),
        }
    }

    /// What `<<ratio verdicts METRIC>>` says.
    fn ratio(metric: &str) -> String {
        match view(&format!("<<ratio verdicts {metric}>>")) {
            View::Inline(spans) => match spans.as_slice() {
                [Span::Link(link)] => words(&link.text),
                other => panic!("{other:?}"),
            },
            View::Figure(figure) => panic!("{figure:?}"),
        }
    }

    #[test]
    fn the_300_run_start_up_is_clearly_slower_for_go() {
        assert_eq!(
            ratio("hello-time"),
            "Rust with 1.54x lower start-up time (95% CI 1.49–1.58, n = 300 each)"
        );
    }

    #[test]
    fn an_interval_inside_the_band_is_about_the_same() {
        assert_eq!(
            ratio("peak-rss"),
            "about the same (Rust 1.02x lower, 95% CI 1.01–1.03, n = 20 each)"
        );
    }

    #[test]
    fn an_interval_across_the_band_edge_is_no_clear_difference() {
        assert_eq!(
            ratio("peak-rss-3-runs"),
            "no clear difference (Rust 1.02x lower, 95% CI 1.01–1.06, n = 3 each)"
        );
        assert_eq!(
            ratio("latency"),
            "no clear difference (Go 1.15x lower, 95% CI 1.03–1.25, n = 5 each)"
        );
    }

    #[test]
    fn an_interval_outside_the_band_is_clear_the_right_way_round() {
        assert_eq!(
            ratio("throughput"),
            "Rust with 2.17x higher throughput (95% CI 1.80–2.60 (Hodges-Lehmann), n = 5 each)"
        );
    }

    #[test]
    fn one_run_of_a_figure_that_varies_gives_no_verdict() {
        assert_eq!(ratio("one-run"), "one run: no verdict (n = 1 each)");
    }

    #[test]
    fn the_band_is_one_over_one_plus_w_to_one_plus_w() {
        // 1.02 is inside the default ±5%, outside a band of width 0.
        assert_eq!(
            ratio("size"),
            "Rust with 1.02x lower binary size (exact, n = 1 each)"
        );
        // 1.06 to 1.20 is outside ±5%, inside ±25%.
        assert_eq!(
            ratio("wide-band"),
            "about the same (Rust 1.13x lower, 95% CI 1.06–1.20, n = 5 each)"
        );
    }

    #[test]
    fn without_an_interval_measured_figures_get_no_verdict() {
        assert_eq!(ratio("no-interval"), "no interval: no verdict (n = 5 each)");
    }

    /// The Better cell and the bars of `metric`'s row and chart in `<<benchmark verdicts>>`.
    fn better(metric: &str) -> (String, Vec<(String, bool)>) {
        let View::Figure(figure) = view("<<benchmark verdicts>>") else {
            panic!("a figure");
        };
        let data = data();
        let benchmark = data.benchmarks.iter().find(|b| b.id == "verdicts").unwrap();
        let index = benchmark
            .value
            .metrics
            .iter()
            .position(|m| m.id == metric)
            .unwrap();
        let table = figure
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .unwrap();
        let column = table
            .header
            .iter()
            .position(|h| words(h) == "Better")
            .unwrap();
        let chart = figure
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Chart(c) => Some(c),
                _ => None,
            })
            .nth(index)
            .unwrap();
        (
            words(&table.rows[index][column]),
            chart
                .bars
                .iter()
                .map(|bar| (bar.text.clone(), bar.best))
                .collect(),
        )
    }

    #[test]
    fn only_a_clear_difference_is_better() {
        let (cell, bars) = better("hello-time");
        assert_eq!(cell, "Rust");
        assert_eq!(
            bars,
            [
                ("1.13 ms, n = 300 ✓ better".to_string(), true),
                ("1.74 ms, n = 300".to_string(), false),
                ("not measured".to_string(), false),
            ]
        );
        for metric in ["peak-rss", "peak-rss-3-runs", "one-run", "no-interval"] {
            let (cell, bars) = better(metric);
            assert_eq!(cell, "—", "{metric}");
            assert!(
                bars.iter().all(|(text, best)| !best && !text.contains('✓')),
                "{metric}"
            );
        }
    }

    #[test]
    fn the_summary_colours_only_a_clear_difference() {
        let mut data = data();
        // Only `verdicts` in the summary, its headline each metric in turn.
        data.benchmarks.retain(|b| b.id == "verdicts");
        for (metric, tone, text) in [
            ("hello-time", true, "Rust 1.54x lower, n = 300 each"),
            ("peak-rss", false, "about the same, n = 20 each"),
            ("one-run", false, "one run: no verdict, n = 1 each"),
        ] {
            data.benchmarks[0].value.headline = Some(metric.into());
            let (view, report) = outcome_in(&data, "guide/page.md", "<<benchmark-summary>>");
            let Some(View::Figure(figure)) = view else {
                panic!("{report}");
            };
            let Some(Block::Chart(chart)) = figure.blocks.first() else {
                panic!("a chart first");
            };
            let bar = &chart.bars[0];
            assert_eq!(bar.text, text, "{metric}");
            assert_eq!(bar.tone != Tone::Neutral, tone, "{metric}");
        }
    }
}
