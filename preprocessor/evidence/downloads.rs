//! A benchmark's figures as files to download beside its evidence: a CSV table, a row per
//! metric and language, and a JSON document, the benchmark as its data file holds it.
//!
//! Both are data from contributors, opened by spreadsheets and programs: every CSV cell is
//! quoted, and one that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return) starts with `'` instead, so that it stays text.

use serde::Serialize;

use crate::dataset::Entry;
use crate::dataset::model::{Benchmark, Direction, Language, Value};

/// The CSV table's header.
const HEADER: [&str; 11] = [
    "benchmark",
    "metric",
    "metric_name",
    "unit",
    "better",
    "language",
    "language_name",
    "median",
    "min",
    "max",
    "runs",
];

/// The figures of `entry` as CSV (RFC 4180, CRLF line ends): a row per metric and language
/// with a value, languages in `languages`' order.
pub(crate) fn csv(entry: &Entry<Benchmark>, languages: &[Language]) -> String {
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|h| h.to_string()));
    for metric in &entry.value.metrics {
        let better = match metric.direction {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        };
        for language in languages {
            let Some(value) = metric.values.get(&language.id) else {
                continue;
            };
            let (median, min, max, runs) = match value {
                Value::Single(v) => (v.to_string(), String::new(), String::new(), String::new()),
                Value::Spread(s) => (
                    s.median.to_string(),
                    s.min.to_string(),
                    s.max.to_string(),
                    s.runs.to_string(),
                ),
            };
            row(
                &mut out,
                [
                    entry.id.clone(),
                    metric.id.clone(),
                    metric.name.clone(),
                    metric.unit.clone(),
                    better.to_string(),
                    language.id.clone(),
                    language.name.clone(),
                    median,
                    min,
                    max,
                    runs,
                ]
                .into_iter(),
            );
        }
    }
    out
}

/// One CSV line of `cells`.
fn row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            out.push('\'');
        }
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    }
    out.push_str("\r\n");
}

/// The benchmark as JSON, with its id, in the layout of `data.json`'s `benchmarks`.
pub(crate) fn json(entry: &Entry<Benchmark>) -> String {
    #[derive(Serialize)]
    struct WithId<'d> {
        id: &'d str,
        #[serde(flatten)]
        value: &'d Benchmark,
    }
    let document = WithId {
        id: &entry.id,
        value: &entry.value,
    };
    // Serialising data types that hold only strings, numbers, lists and maps cannot fail.
    let mut json = serde_json::to_string_pretty(&document).unwrap_or_default();
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;

    /// A benchmark whose metric name, unit and language name are spreadsheet formulas, with
    /// quotes and line breaks.
    fn hostile() -> (Entry<Benchmark>, Vec<Language>) {
        let toml = r#"
title = "t"
description = "d"
provenance = "reproduced"
environment = "e"
as_of = "2026-01-01"
sources = [{ title = "s" }]
[setup]
[[metrics]]
id = "m"
name = "=HYPERLINK(\"http://x.example\",\"a\"\"b\")"
unit = "@SUM(A1)"
direction = "higher"
[metrics.values]
lang = { median = 2.5, min = 2.0, max = 3.0, runs = 5 }
other = 1.5
"#;
        let entry = Entry {
            id: "b".into(),
            file: SourceFile::new("data/benchmarks/b.toml", ""),
            value: toml::from_str(toml).unwrap(),
        };
        let language = |id: &str, name: &str| -> Language {
            toml::from_str(&format!(
                "id = {id:?}\nname = {name:?}\ntagline = \"t\"\nhomepage = \"https://x.example\"\n"
            ))
            .unwrap()
        };
        let languages = vec![
            language("lang", "+cmd|' /C calc'!A0"),
            language("other", "-2+3\r\nx"),
        ];
        (entry, languages)
    }

    /// The CSV's records, split by a small reader that honours quotes.
    fn records(csv: &str) -> Vec<Vec<String>> {
        let mut records = vec![vec![String::new()]];
        let mut quoted = false;
        let mut chars = csv.chars().peekable();
        while let Some(c) = chars.next() {
            let record = records.last_mut().unwrap();
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    record.last_mut().unwrap().push('"');
                }
                '"' => quoted = !quoted,
                ',' if !quoted => record.push(String::new()),
                '\r' if !quoted && chars.peek() == Some(&'\n') => {
                    chars.next();
                    records.push(vec![String::new()]);
                }
                c => record.last_mut().unwrap().push(c),
            }
        }
        records.pop();
        records
    }

    #[test]
    fn a_csv_cell_that_reads_as_a_formula_stays_text() {
        let (entry, languages) = hostile();
        let csv = csv(&entry, &languages);
        let records = records(&csv);
        assert_eq!(records.len(), 3, "{csv}");
        assert_eq!(records[0], HEADER);
        for record in &records {
            assert_eq!(record.len(), HEADER.len(), "{record:?}");
            for cell in record {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?}"
                );
            }
        }
        let first = &records[1];
        assert_eq!(first[2], "'=HYPERLINK(\"http://x.example\",\"a\"\"b\")");
        assert_eq!(first[3], "'@SUM(A1)");
        assert_eq!(first[6], "'+cmd|' /C calc'!A0");
        assert_eq!(&first[7..], ["2.5", "2", "3", "5"]);
        assert_eq!(records[2][6], "'-2+3\r\nx");
        assert_eq!(&records[2][7..], ["1.5", "", "", ""]);
    }

    #[test]
    fn the_json_is_the_benchmark_with_its_id() {
        let (entry, _) = hostile();
        let json: serde_json::Value = serde_json::from_str(&json(&entry)).unwrap();
        assert_eq!(json["id"], "b");
        assert_eq!(
            json["metrics"][0]["name"],
            "=HYPERLINK(\"http://x.example\",\"a\"\"b\")"
        );
        assert_eq!(json["metrics"][0]["values"]["lang"]["median"], 2.5);
    }
}
