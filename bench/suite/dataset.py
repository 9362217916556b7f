"""Per-run figures turned into a benchmark file of the dataset's own format (`data/benchmarks/`),
with each value's median and spread as data: `{ median, min, max, runs }`.

Setup texts and values of languages this run did not measure are kept from the file already
there, so a language added by data is never dropped by a rerun."""

import statistics
import tomllib
from math import floor, isfinite, log10

KEY_ORDER = ("title", "description", "limits", "provenance", "headline", "environment", "reproduce", "raw", "as_of")
METRIC_KEYS = ("id", "name", "unit", "direction", "note")


def significant(value, digits=3):
    """A positive finite value rounded to a few significant digits."""
    if not (isfinite(value) and value > 0):
        raise RuntimeError(f"measured value {value!r} is not a finite positive number")
    return round(value, digits - 1 - floor(log10(value)))


def spread(values):
    """The median, min, max and count of a list of runs, as the dataset stores a value."""
    if not values:
        raise RuntimeError("a metric has no runs")
    return {
        "median": significant(statistics.median(values)),
        "min": significant(min(values)),
        "max": significant(max(values)),
        "runs": len(values),
    }


def median(values):
    """The median of a list of runs."""
    return statistics.median(values)


def merge(benchmark, existing):
    """The benchmark with the setup and values of every language it lacks taken from the
    file already written (a dict as `tomllib` reads it, or None)."""
    if not existing:
        return benchmark
    for language, text in existing.get("setup", {}).items():
        benchmark["setup"].setdefault(language, text)
    old_metrics = {metric.get("id"): metric for metric in existing.get("metrics", [])}
    for metric in benchmark["metrics"]:
        for language, value in old_metrics.get(metric["id"], {}).get("values", {}).items():
            metric["values"].setdefault(language, value)
    return benchmark


def toml_string(text):
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_number(value):
    """A number as TOML writes it: integers without a fraction."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuntimeError(f"{value!r} is not a number")
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(float(value))


def toml_value(value):
    """A metric value: a plain number or an inline `{ median, min, max, runs }` table."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml_number(item)}" for key, item in value.items()) + " }"
    return toml_number(value)


def to_toml(benchmark, written_by):
    """The benchmark file's text, keys in the order of the dataset's other files. Fails unless
    it reads back as the same data."""
    lines = ["#:schema ../schemas/benchmark.json", f"# {written_by}"]
    lines += [f"{key} = {toml_string(benchmark[key])}" for key in KEY_ORDER if key in benchmark]
    lines += ["", "[setup]"]
    lines += [f"{language} = {toml_string(text)}" for language, text in benchmark["setup"].items()]
    for source in benchmark["sources"]:
        lines += ["", "[[sources]]"]
        lines += [f"{key} = {toml_string(value)}" for key, value in source.items()]
    for metric in benchmark["metrics"]:
        lines += ["", "[[metrics]]"]
        lines += [f"{key} = {toml_string(metric[key])}" for key in METRIC_KEYS if key in metric]
        lines.append("[metrics.values]")
        lines += [f"{language} = {toml_value(value)}" for language, value in metric["values"].items()]
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != benchmark:
        raise RuntimeError("the TOML written does not read back as the benchmark measured")
    return text


def read_existing(path):
    """The benchmark file already at `path`, or None."""
    if not path.exists():
        return None
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as err:
        raise RuntimeError(f"{path} is not valid TOML ({err}); fix or remove it, then run again") from err
