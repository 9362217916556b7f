"""Per-run figures turned into a benchmark file of the dataset's own format (`data/benchmarks/`),
with each value's median and spread as data: `{ median, min, max, runs }`.

Setup texts and values of languages this run did not measure are kept from the file already
there, so a language added by data is never dropped by a rerun."""

import statistics
import tomllib
from math import floor, isfinite, log10
from typing import NotRequired, TypedDict

from . import stats

KEY_ORDER = ("title", "description", "limits", "provenance", "provisional", "headline", "environment", "reproduce", "raw", "as_of", "machine")
MACHINE_KEYS = ("name", "cpu", "cores", "architecture", "memory_gib", "environment", "commit", "as_of", "raw", "provisional")
METRIC_KEYS = ("id", "name", "unit", "direction", "note", "descriptive")


class Legacy(Exception):
    """A raw record written before the runner recorded something its description now needs: the
    benchmark file made from it stays as committed until the workload is measured again."""


class Spread(TypedDict):
    """A value of several runs, as the dataset stores it."""

    median: float
    min: float
    max: float
    runs: int


class Band(TypedDict):
    """A metric's own equivalence band (see `stats.Band`)."""

    width: float
    reason: str


class Interval(TypedDict):
    """A ratio of medians with its 95% interval (see `stats.Interval`)."""

    of: str
    over: str
    ratio: float
    low: float
    high: float
    method: str


class Metric(TypedDict):
    """One `[[metrics]]` table of a benchmark file."""

    id: str
    name: str
    unit: str
    direction: str
    note: str
    descriptive: NotRequired[str]
    band: NotRequired[Band]
    values: dict[str, Spread | float]
    intervals: NotRequired[list[Interval]]


class Source(TypedDict):
    """One `[[sources]]` table."""

    title: str
    url: NotRequired[str]


class Fields(TypedDict):
    """What a workload's `describe` returns: the parts of its benchmark file that it knows."""

    title: str
    description: str
    limits: str
    headline: str
    environment: str
    setup: dict[str, str]
    sources: list[Source]
    metrics: list[Metric]


class Benchmark(TypedDict):
    """A benchmark file, `data/benchmarks/NAME.toml`, as `tomllib` reads it."""

    title: str
    description: str
    limits: str
    provenance: str
    provisional: NotRequired[bool]
    headline: str
    environment: str
    reproduce: str
    raw: str
    as_of: str
    setup: dict[str, str]
    sources: list[Source]
    metrics: list[Metric]


class Raw(TypedDict):
    """A raw file, `bench/results/NAME.json`: what a workload's `measure` returned (`params`,
    `runs` as `{metric id: {language id: [values]}}`, `details`, and in newer files
    `processes`, every run's `machine.RunFigures`), with the run's `environment`."""

    benchmark: str
    smoke: bool
    params: dict
    runs: dict[str, dict[str, list[float]]]
    processes: NotRequired[dict[str, dict[str, list[dict]]]]
    details: dict
    environment: dict


# A deterministic metric's band: a second build gives the same bytes.
DETERMINISTIC_SIZE = stats.Band(0.0, "a build's size is the same on every build, so any difference is real")


def significant(value, digits=3):
    """A positive finite value rounded to a few significant digits."""
    if not (isfinite(value) and value > 0):
        raise RuntimeError(f"measured value {value!r} is not a finite positive number")
    return round(value, digits - 1 - floor(log10(value)))


def spread(values) -> Spread:
    """The median, min, max and count of a list of runs, as the dataset stores a value."""
    if not values:
        raise RuntimeError("a metric has no runs")
    return {
        "median": significant(statistics.median(values)),
        "min": significant(min(values)),
        "max": significant(max(values)),
        "runs": len(values),
    }


def interval_entry(pair: stats.Interval) -> Interval:
    """An interval as the dataset stores it: ratio and bounds to three significant digits."""
    return {
        "of": pair.of,
        "over": pair.over,
        "ratio": significant(pair.ratio),
        "low": significant(pair.low),
        "high": significant(pair.high),
        "method": pair.method,
    }


def metric(runs, metric_id, name, unit, direction, note, band=None, descriptive=None) -> Metric:
    """A metric of a benchmark file from its raw runs, `{language id: [values]}`: each value's
    spread, and the ratio of medians of each pair of languages with its 95% interval. `band`
    (a `stats.Band`) marks a metric whose own equivalence band differs from the book's
    default; width 0 marks it deterministic, so its intervals are exact. `descriptive` says why
    a metric's figures describe and must not give a verdict."""
    entry: Metric = {"id": metric_id, "name": name, "unit": unit, "direction": direction, "note": note}
    if descriptive is not None:
        entry["descriptive"] = descriptive
    if band is not None:
        entry["band"] = {"width": float(band.width), "reason": band.reason}
    entry["values"] = {language: spread(values) for language, values in runs.items()}
    pairs = stats.intervals(runs, deterministic=band is not None and band.width == 0)
    if pairs:
        entry["intervals"] = [interval_entry(pair) for pair in pairs]
    return entry


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


def toml_float(value):
    """A number written as a TOML float, `1.0` rather than `1`."""
    return repr(float(value))


def toml_scalar(value):
    """A string, a boolean or a number."""
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return toml_number(value)


def to_toml(benchmark, written_by):
    """The benchmark file's text, keys in the order of the dataset's other files. Fails unless
    it reads back as the same data."""
    lines = ["#:schema ../schemas/benchmark.json", f"# {written_by}"]
    lines += [f"{key} = {toml_scalar(benchmark[key])}" for key in KEY_ORDER if key in benchmark]
    lines += ["", "[setup]"]
    lines += [f"{language} = {toml_string(text)}" for language, text in benchmark["setup"].items()]
    for source in benchmark["sources"]:
        lines += ["", "[[sources]]"]
        lines += [f"{key} = {toml_string(value)}" for key, value in source.items()]
    for metric in benchmark["metrics"]:
        lines += ["", "[[metrics]]"]
        lines += [f"{key} = {toml_string(metric[key])}" for key in METRIC_KEYS if key in metric]
        if "band" in metric:
            band = metric["band"]
            lines.append(f"band = {{ width = {toml_float(band['width'])}, reason = {toml_string(band['reason'])} }}")
        lines.append("[metrics.values]")
        lines += [f"{language} = {toml_value(value)}" for language, value in metric["values"].items()]
        for pair in metric.get("intervals", []):
            lines += ["[[metrics.intervals]]"]
            lines += [f"{key} = {toml_string(pair[key])}" for key in ("of", "over")]
            lines += [f"{key} = {toml_float(pair[key])}" for key in ("ratio", "low", "high")]
            lines.append(f"method = {toml_string(pair['method'])}")
    for machine in benchmark.get("machines", []):
        lines += machine_toml(machine)
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != benchmark:
        raise RuntimeError("the TOML written does not read back as the benchmark measured")
    return text


def figures_toml(table, metric):
    """A metric's values and intervals, under the array-of-tables name `table`."""
    lines = [f"[{table}.values]"]
    lines += [f"{language} = {toml_value(value)}" for language, value in metric["values"].items()]
    for pair in metric.get("intervals", []):
        lines += [f"[[{table}.intervals]]"]
        lines += [f"{key} = {toml_string(pair[key])}" for key in ("of", "over")]
        lines += [f"{key} = {toml_float(pair[key])}" for key in ("ratio", "low", "high")]
        lines.append(f"method = {toml_string(pair['method'])}")
    return lines


def machine_toml(machine):
    """One `[[machines]]` table with its figures."""
    lines = ["", "[[machines]]"]
    for key in MACHINE_KEYS:
        if key in machine:
            value = machine[key]
            lines.append(f"{key} = {toml_float(value) if key == 'memory_gib' else toml_scalar(value)}")
    for metric in machine.get("metrics", []):
        lines += ["[[machines.metrics]]", f"id = {toml_string(metric['id'])}"]
        lines += figures_toml("machines.metrics", metric)
    return lines


def read_existing(path):
    """The benchmark file already at `path`, or None."""
    if not path.exists():
        return None
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as err:
        raise RuntimeError(f"{path} is not valid TOML ({err}); fix or remove it, then run again") from err
