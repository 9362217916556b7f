//! What a metric's numbers say: each language's value with its spread, which language is
//! clearly better, and by how much. Computed from the values and the direction, never typed
//! into the data. Ranges that overlap mean "no clear difference"; ratios are always finite.

use crate::dataset::model::{Direction, Language, Metric, Value};
use crate::view::Spread;

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

    /// How many times `better` beats `worse` (both positive).
    fn of(better: f64, worse: f64) -> Option<Ratio> {
        let log10 = (better.log10() - worse.log10()).abs();
        log10.is_finite().then_some(Ratio { log10 })
    }

    /// "1.3x", "16x", "1,200x", or "1.0e600x" past a million.
    pub(super) fn text(self) -> String {
        if self.log10 < 1.0 {
            format!("{:.1}x", 10f64.powf(self.log10))
        } else if self.log10 < 6.0 {
            format!("{}x", group(&format!("{:.0}", 10f64.powf(self.log10))))
        } else {
            let exponent = self.log10.floor();
            let mantissa = 10f64.powf(self.log10 - exponent);
            // 9.96 rounds to "10.0": carry it into the exponent.
            let (mantissa, exponent) = if mantissa >= 9.95 {
                (1.0, exponent + 1.0)
            } else {
                (mantissa, exponent)
            };
            format!("{mantissa:.1}e{exponent:.0}x")
        }
    }
}

/// What two languages' values of a metric say, from the first language's side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Verdict {
    /// The first language is clearly better (`true`) or clearly worse (`false`), by `ratio`.
    Clear {
        /// Whether the first language wins.
        first_wins: bool,
        /// By how much.
        ratio: Ratio,
    },
    /// The ranges overlap (or the values are equal).
    Unclear,
}

/// Compares `first` and `second` on `metric`'s direction.
pub(super) fn verdict(direction: Direction, first: Spread, second: Spread) -> Verdict {
    if first.min <= second.max && second.min <= first.max {
        return Verdict::Unclear;
    }
    let first_wins = match direction {
        Direction::Higher => first.median > second.median,
        Direction::Lower => first.median < second.median,
    };
    let (better, worse) = if first_wins {
        (first.median, second.median)
    } else {
        (second.median, first.median)
    };
    match Ratio::of(better, worse) {
        Some(ratio) => Verdict::Clear { first_wins, ratio },
        None => Verdict::Unclear,
    }
}

/// "Rust 1.3x" or "no clear difference", for two named languages.
pub(super) fn verdict_text(verdict: Verdict, first: &Language, second: &Language) -> String {
    match verdict {
        Verdict::Clear { first_wins, ratio } => {
            let winner = if first_wins { first } else { second };
            format!("{} {}", winner.name, ratio.text())
        }
        Verdict::Unclear => NO_CLEAR_DIFFERENCE.to_string(),
    }
}

/// What a comparison with overlapping ranges says.
pub(super) const NO_CLEAR_DIFFERENCE: &str = "no clear difference";

/// The signed base-10 logarithm of how many times `first` beats `second` (above 0 when it
/// does), with the range the spreads allow: `(low, median, high)`. `None` unless both are
/// positive.
pub(super) fn signed_log_ratio(
    direction: Direction,
    first: Spread,
    second: Spread,
) -> Option<(f64, f64, f64)> {
    let sign = match direction {
        Direction::Higher => 1.0,
        Direction::Lower => -1.0,
    };
    let log = |a: f64, b: f64| sign * (a.log10() - b.log10());
    let median = log(first.median, second.median);
    let (low, high) = match direction {
        Direction::Higher => (log(first.min, second.max), log(first.max, second.min)),
        Direction::Lower => (log(first.max, second.min), log(first.min, second.max)),
    };
    [low, median, high]
        .iter()
        .all(|v| v.is_finite())
        .then_some((low, median, high))
}

/// A metric's values in column order, and the language that beats every other clearly.
#[derive(Debug, Clone)]
pub(super) struct Outcome<'a> {
    /// Each language with its value, `None` when it was not measured.
    pub(super) values: Vec<(&'a Language, Option<Spread>)>,
    /// The index in `values` of the language whose range beats every other measured range;
    /// `None` with fewer than two measured, or when some ranges overlap the best one.
    pub(super) best: Option<usize>,
}

impl<'a> Outcome<'a> {
    /// Compares the metric's values across `languages`.
    pub(super) fn of(metric: &Metric, languages: &'a [Language]) -> Self {
        let values: Vec<_> = languages
            .iter()
            .map(|l| (l, spread(metric, &l.id)))
            .collect();
        let measured: Vec<(usize, Spread)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, (_, v))| v.map(|v| (i, v)))
            .collect();
        let best = measured
            .iter()
            .find(|(i, candidate)| {
                measured.len() > 1
                    && measured.iter().filter(|(j, _)| j != i).all(|(_, other)| {
                        matches!(
                            verdict(metric.direction, *candidate, *other),
                            Verdict::Clear {
                                first_wins: true,
                                ..
                            }
                        )
                    })
            })
            .map(|(i, _)| *i);
        Outcome { values, best }
    }

    /// How the best language compares with each other measured one: "1.3x Go, 2.0x Zig";
    /// "no clear difference" when no language is clearly best of two or more; `None` with
    /// fewer than two measured.
    pub(super) fn ratios_text(&self, direction: Direction) -> Option<String> {
        let measured = self.values.iter().filter(|(_, v)| v.is_some()).count();
        if measured < 2 {
            return None;
        }
        let Some(best) = self.best else {
            return Some(NO_CLEAR_DIFFERENCE.to_string());
        };
        let (_, top) = self.values[best];
        let top = top?;
        let parts: Vec<String> = self
            .values
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != best)
            .filter_map(|(_, (language, value))| {
                let value = (*value)?;
                match verdict(direction, top, value) {
                    Verdict::Clear { ratio, .. } => {
                        Some(format!("{} {}", ratio.text(), language.name))
                    }
                    Verdict::Unclear => None,
                }
            })
            .collect();
        Some(format!("{} {}", self.values[best].0.name, parts.join(", ")))
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

    fn range(median: f64, min: f64, max: f64) -> Spread {
        Spread {
            median,
            min,
            max,
            runs: Some(5),
        }
    }

    #[test]
    fn overlapping_ranges_are_no_clear_difference() {
        let a = range(10.0, 9.0, 11.0);
        let b = range(10.5, 10.9, 12.0);
        assert_eq!(verdict(Direction::Lower, a, b), Verdict::Unclear);
        assert_eq!(
            verdict(Direction::Lower, Spread::exact(2.0), Spread::exact(2.0)),
            Verdict::Unclear
        );
        let c = range(13.0, 12.5, 14.0);
        let Verdict::Clear { first_wins, ratio } = verdict(Direction::Lower, a, c) else {
            panic!("the ranges are apart");
        };
        assert!(first_wins);
        assert_eq!(ratio.text(), "1.3x");
        assert!(matches!(
            verdict(Direction::Higher, a, c),
            Verdict::Clear {
                first_wins: false,
                ..
            }
        ));
    }

    #[test]
    fn ratios_stay_finite() {
        let Verdict::Clear { ratio, .. } = verdict(
            Direction::Higher,
            Spread::exact(1e300),
            Spread::exact(1e-300),
        ) else {
            panic!("clear");
        };
        assert_eq!(ratio.text(), "1.0e600x");
        assert_eq!(Ratio::of(16.0, 1.0).unwrap().text(), "16x");
        assert_eq!(Ratio::of(12_345.0, 1.0).unwrap().text(), "12,345x");
        assert_eq!(Ratio::of(9_999_999.0, 1.0).unwrap().text(), "1.0e7x");
        assert_eq!(Ratio::of(2.999, 1.0).unwrap().text(), "3.0x");
        assert_eq!(Ratio::of(1.0, 0.0), None);
        let signed = signed_log_ratio(
            Direction::Lower,
            Spread::exact(1e-300),
            Spread::exact(1e300),
        );
        assert_eq!(signed, Some((600.0, 600.0, 600.0)));
    }

    #[test]
    fn the_signed_ratio_points_at_the_winner_with_its_range() {
        let (low, median, high) = signed_log_ratio(
            Direction::Higher,
            range(200.0, 180.0, 220.0),
            range(100.0, 90.0, 110.0),
        )
        .unwrap();
        assert!((median - 2f64.log10()).abs() < 1e-12);
        assert!(low < median && median < high);
        assert!((low - (180f64 / 110.0).log10()).abs() < 1e-12);
        let (_, lower, _) = signed_log_ratio(
            Direction::Lower,
            range(200.0, 180.0, 220.0),
            range(100.0, 90.0, 110.0),
        )
        .unwrap();
        assert!(lower < 0.0);
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
