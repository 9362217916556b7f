//! What a benchmark metric's numbers say: which language is better and by how much. Computed from
//! the values and the metric's direction, never typed into the data.

use crate::dataset::model::{Direction, Language, Metric};

/// A metric's values in column order, and the verdict they imply.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// Each language with its value, `None` when it was not measured.
    pub values: Vec<(&'a Language, Option<f64>)>,
    /// The better language, when at least two were measured and one is strictly best.
    pub best: Option<&'a Language>,
    /// How many times better the best is than each other measured language.
    pub ratios: Vec<(&'a Language, f64)>,
}

impl<'a> Outcome<'a> {
    /// Compares the metric's values across `languages`.
    pub fn of(metric: &Metric, languages: &'a [Language]) -> Self {
        let values: Vec<_> = languages
            .iter()
            .map(|l| (l, metric.values.get(&l.id).map(|v| v.median())))
            .collect();
        let measured: Vec<(&Language, f64)> = values
            .iter()
            .filter_map(|(l, v)| v.map(|v| (*l, v)))
            .collect();
        let better = |a: f64, b: f64| match metric.direction {
            Direction::Higher => a > b,
            Direction::Lower => a < b,
        };
        let best = measured
            .iter()
            .copied()
            .reduce(|best, next| if better(next.1, best.1) { next } else { best })
            .filter(|(_, top)| {
                measured.len() > 1 && measured.iter().filter(|(_, v)| v == top).count() == 1
            });
        let ratios = best.map_or_else(Vec::new, |(winner, top)| {
            measured
                .iter()
                .filter(|(l, _)| l.id != winner.id)
                .map(|(l, v)| {
                    let ratio = match metric.direction {
                        Direction::Higher => top / v,
                        Direction::Lower => v / top,
                    };
                    (*l, ratio)
                })
                .collect()
        });
        Outcome {
            values,
            best: best.map(|(l, _)| l),
            ratios,
        }
    }

    /// The largest measured value (bars are scaled to it).
    pub fn max(&self) -> Option<f64> {
        self.values.iter().filter_map(|(_, v)| *v).reduce(f64::max)
    }

    /// Whether any language was measured.
    pub fn is_measured(&self) -> bool {
        self.values.iter().any(|(_, v)| v.is_some())
    }

    /// "Rust 3.0x Go" (or "Rust 3.0x Go, 2.1x Zig"); empty when there is no single best.
    pub fn ratio_text(&self) -> String {
        let Some(best) = self.best else {
            return String::new();
        };
        let ratios: Vec<String> = self
            .ratios
            .iter()
            .map(|(l, r)| format!("{} {}", format_ratio(*r), l.name))
            .collect();
        format!("{} {}", best.name, ratios.join(", "))
    }
}

/// "Higher is better" or "Lower is better".
pub fn direction_text(direction: Direction) -> &'static str {
    match direction {
        Direction::Higher => "Higher is better",
        Direction::Lower => "Lower is better",
    }
}

/// A ratio as "3.0x" (one decimal below 10, whole numbers above).
pub fn format_ratio(ratio: f64) -> String {
    if ratio < 10.0 {
        format!("{ratio:.1}x")
    } else {
        format!("{ratio:.0}x")
    }
}

/// A value as written, with thousands separated: `510000` is "510,000", `0.8` stays "0.8".
pub fn format_value(value: f64) -> String {
    let text = value.to_string();
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let mut grouped = String::with_capacity(text.len() + digits.len() / 3);
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
    use std::collections::BTreeMap;

    use super::*;
    use crate::dataset::model::Value;

    fn language(id: &str) -> Language {
        Language {
            id: id.into(),
            name: id.to_uppercase(),
            tagline: String::new(),
            homepage: String::new(),
            colour: None,
        }
    }

    fn metric(direction: Direction, values: &[(&str, f64)]) -> Metric {
        Metric {
            id: "m".into(),
            name: "m".into(),
            unit: "u".into(),
            direction,
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), Value::from(*v)))
                .collect::<BTreeMap<_, _>>(),
            note: None,
        }
    }

    #[test]
    fn best_and_ratio_follow_the_direction() {
        let langs = [language("rust"), language("go")];
        let higher = Outcome::of(
            &metric(Direction::Higher, &[("rust", 510_000.0), ("go", 168_000.0)]),
            &langs,
        );
        assert_eq!(higher.best.unwrap().id, "rust");
        assert_eq!(higher.ratio_text(), "RUST 3.0x GO");
        let lower = Outcome::of(
            &metric(Direction::Lower, &[("rust", 28.0), ("go", 1.8)]),
            &langs,
        );
        assert_eq!(lower.best.unwrap().id, "go");
        assert_eq!(lower.ratio_text(), "GO 16x RUST");
    }

    #[test]
    fn no_winner_without_two_distinct_values() {
        let langs = [language("rust"), language("go")];
        let tie = Outcome::of(
            &metric(Direction::Lower, &[("rust", 1.0), ("go", 1.0)]),
            &langs,
        );
        assert!(tie.best.is_none() && tie.ratio_text().is_empty());
        let one = Outcome::of(&metric(Direction::Lower, &[("go", 1.0)]), &langs);
        assert!(one.best.is_none());
        assert_eq!(one.values[0].1, None);
        let none = Outcome::of(&metric(Direction::Lower, &[]), &langs);
        assert!(!none.is_measured());
    }

    #[test]
    fn values_are_grouped_not_rounded() {
        assert_eq!(format_value(510_000.0), "510,000");
        assert_eq!(format_value(0.8), "0.8");
        assert_eq!(format_value(1234.5678), "1,234.5678");
        assert_eq!(format_value(100.0), "100");
        assert_eq!(format_ratio(2.999), "3.0x");
    }
}
