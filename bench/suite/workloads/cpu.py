"""CPU-bound programs after the Benchmarks Game's rules: binary-trees (allocation and the
collector), n-body (floating point), spectral-norm (floating point and loops). Single-threaded
programs; every run's output is compared with the game's expected output, first at a small size
before anything is timed, then on every timed run.

A program whose runtime works beside it (binary-trees: Go's concurrent collector) runs two ways:
pinned to one CPU, where the collector shares the program's core (its CPU time on one core), and
with every CPU visible (its elapsed time, and the CPU time it spent to get it). A workload with a
tuned variant (n-body) times the idiomatic and the tuned programs side by side."""

from ..machine import BENCH, SERVER_CPU, Failed, interleaved, process_figures, run_measured
from ..report import log
from .base import (
    ALL_CORES,
    HARNESS_SOURCE,
    ONE_CORE,
    Workload,
    environment_text,
    in_turn,
    metric,
    placed,
    plural,
    visible_cores,
)

GAME = "https://benchmarksgame-team.pages.debian.net/benchmarksgame/"

PROGRAMS = {
    "binary-trees": {
        "title": "binary-trees (allocation and garbage collection)",
        "size": 21,
        "check_size": 10,
        "what": (
            "The Benchmarks Game's binary-trees: builds millions of perfect binary trees bottom-up, "
            "each node its own heap allocation, walks each one and lets it go, while one long-lived "
            "tree stays alive. It measures allocation and the memory manager: `Box` and the system "
            "allocator in Rust, the garbage collector in Go."
        ),
        "page": "binarytrees.html",
        "argument": "depth",
        # Go's collector runs beside the program: time it on one core and with every core.
        "modes": (ONE_CORE, ALL_CORES),
        "minutes": 5,
    },
    "n-body": {
        "title": "n-body (floating point)",
        "size": 50_000_000,
        "check_size": 1000,
        "what": (
            "The Benchmarks Game's n-body: integrates the orbits of the Jovian planets with a simple "
            "symplectic integrator, in double-precision floating point. It measures tight numeric "
            "loops over a small array of structs."
        ),
        "page": "nbody.html",
        "argument": "steps",
        "modes": (ONE_CORE,),
        # The program folder of the tuned variant, beside the idiomatic one.
        "tuned": "n-body-tuned",
        "minutes": 1.5,
    },
    "spectral-norm": {
        "title": "spectral-norm (floating point and loops)",
        "size": 5500,
        "check_size": 100,
        "what": (
            "The Benchmarks Game's spectral-norm: approximates the spectral norm of an infinite matrix "
            "by the power method on its N × N corner. It measures nested loops of floating-point "
            "division and multiplication over vectors."
        ),
        "page": "spectralnorm.html",
        "argument": "N",
        "modes": (ONE_CORE,),
        "minutes": 1.5,
    },
}


RUNS = 5
TUNED = "tuned"
IDIOMATIC = "idiomatic"


def _expected(program, size):
    """The game's expected output at a size, committed beside the programs."""
    return (BENCH / program / f"expected-{size}.txt").read_text()


def _check(program, label, size, result_output):
    """Fails unless a run printed the game's expected output for its size."""
    if result_output != _expected(program, size):
        raise Failed(
            f"{program} ({label}) at {size} printed\n{result_output}\ninstead of the expected\n{_expected(program, size)}"
        )


def _series(spec):
    """What each round runs per language: (variant, mode) pairs, the idiomatic program in every
    mode first, then the tuned one on one core."""
    series = [(IDIOMATIC, mode) for mode in spec["modes"]]
    if "tuned" in spec:
        series.append((TUNED, ONE_CORE))
    return series


def _series_key(variant, mode):
    """The key of a series in the raw file's `processes`: `one-core`, `all-cores`, `tuned`."""
    return mode if variant == IDIOMATIC else variant


def _measure(program, context):
    spec = PROGRAMS[program]
    size = spec["check_size"] if context.smoke else spec["size"]
    runs = 1 if context.smoke else RUNS
    folders = {IDIOMATIC: program, TUNED: spec.get("tuned")}
    series = _series(spec)
    binaries = {
        (language.id, variant): language.build(folders[variant])
        for language in context.languages
        for variant in dict.fromkeys(variant for variant, _ in series)
    }
    for language in context.languages:
        for variant, mode in series:
            check = run_measured(placed(mode, [binaries[language.id, variant], spec["check_size"]]))
            _check(program, f"{language.name}, {variant}, {mode}", spec["check_size"], check.stdout)
    log(f"output checked for every language and series at {spec['argument']} {spec['check_size']}")

    def one_round(language, index):
        results = {}
        for variant, mode in in_turn(series, index):
            result = run_measured(placed(mode, [binaries[language.id, variant], size]))
            _check(program, f"{language.name}, {variant}, {mode}", size, result.stdout)
            log(
                f"run {index + 1}/{runs} {language.name} {variant} {mode}: {result.seconds:.2f} s elapsed, "
                f"{result.cpu_seconds:.2f} s CPU, {result.peak_rss_mib:.1f} MiB"
            )
            results[_series_key(variant, mode)] = result
        return results

    rounds = interleaved(context.languages, runs, one_round)
    by_series = {
        key: {language: [results[key] for results in per_language] for language, per_language in rounds.items()}
        for key in (_series_key(variant, mode) for variant, mode in series)
    }

    def figures(key, field):
        return {language: [getattr(run, field) for run in results] for language, results in by_series[key].items()}

    if ALL_CORES in spec["modes"]:
        measured = {
            "time": figures(ONE_CORE, "cpu_seconds"),
            "time-all-cores": figures(ALL_CORES, "seconds"),
            "cpu-all-cores": figures(ALL_CORES, "cpu_seconds"),
            "peak-rss": figures(ONE_CORE, "peak_rss_mib"),
            "peak-rss-all-cores": figures(ALL_CORES, "peak_rss_mib"),
        }
    else:
        measured = {"time": figures(ONE_CORE, "seconds"), "peak-rss": figures(ONE_CORE, "peak_rss_mib")}
    if TUNED in by_series:
        measured["time-tuned"] = figures(TUNED, "seconds")
    return {
        "params": {
            "size": size,
            "runs": runs,
            "cpu": SERVER_CPU,
            "cores": visible_cores(),
            "series": [_series_key(variant, mode) for variant, mode in series],
        },
        "runs": measured,
        "processes": {key: process_figures(results) for key, results in by_series.items()},
        "details": {},
    }


def _describe(program, raw):
    spec = PROGRAMS[program]
    params = raw["params"]
    runs = plural(params["runs"], "run")
    # A raw record made before the series were recorded ran the idiomatic programs pinned only.
    series = params.get("series", [ONE_CORE])
    cores = params.get("cores")
    two_ways = ALL_CORES in series
    tuned = TUNED in series
    if two_ways:
        method = (
            f"Each program ran two ways in every round, the order alternating from round to round: pinned by `taskset` to "
            f"CPU {params['cpu']} (Go's `GOMAXPROCS` follows the affinity mask, so it is 1, and the collector's "
            f"workers share the program's core), and with all {cores} CPUs visible (`GOMAXPROCS` {cores}, so "
            f"the collector may work on another core while the program runs); {spec['argument']} "
            f"{params['size']:,}; {runs} per language and way, alternating languages. Elapsed time is the "
            f"wall time from start to exit; CPU time is user plus system time from `wait4`."
        )
    else:
        method = (
            f"Each program ran single-threaded, pinned by `taskset` to CPU {params['cpu']} (Go's "
            f"`GOMAXPROCS` follows the affinity mask, so it is 1), with {spec['argument']} "
            f"{params['size']:,}; {runs} per language"
            + (" and variant (idiomatic, tuned)" if tuned else "")
            + ", alternating languages."
        )
    metrics = []
    if two_ways:
        metrics += [
            metric(
                raw,
                "time",
                "CPU time on one core (pinned)",
                "s",
                "lower",
                f"User plus system CPU time, pinned to one CPU, so a collector's work competes with the "
                f"program for that core and is counted in full; {runs} per language. Elapsed time is the "
                f"same figure plus any wait for the CPU (raw file).",
            ),
            metric(
                raw,
                "time-all-cores",
                f"Elapsed with {cores} cores",
                "s",
                "lower",
                f"Start to exit with every CPU visible: a concurrent collector may run on another core, "
                f"so this is the wait a user sees, not the work done; {runs} per language.",
            ),
            metric(
                raw,
                "cpu-all-cores",
                f"CPU time with {cores} cores",
                "s",
                "lower",
                f"User plus system CPU time of the same runs: above the elapsed time when the runtime "
                f"worked on another core beside the program, CPU that a machine running other work pays "
                f"for; {runs} per language.",
            ),
            metric(
                raw,
                "peak-rss",
                "Peak memory on one core (max RSS)",
                "MiB",
                "lower",
                "Peak resident set size of the pinned runs (the last `VmHWM` of `/proc/PID/status`).",
            ),
            metric(
                raw,
                "peak-rss-all-cores",
                f"Peak memory with {cores} cores (max RSS)",
                "MiB",
                "lower",
                "Peak resident set size of the runs with every CPU visible.",
            ),
        ]
    else:
        metrics += [
            metric(
                raw,
                "time",
                "Wall time, idiomatic programs" if tuned else "Wall time",
                "s",
                "lower",
                f"Start to exit, {runs} per language"
                + (": the idiomatic programs, as a developer would first write them." if tuned else "."),
            ),
        ]
        if tuned:
            metrics.append(
                metric(
                    raw,
                    "time-tuned",
                    "Wall time, tuned programs",
                    "s",
                    "lower",
                    f"Start to exit, {runs} per language: the programs tuned after the game's fastest "
                    f"single-threaded entries, to the same level in both languages (see the setup).",
                )
            )
        metrics.append(
            metric(
                raw,
                "peak-rss",
                "Peak memory (max RSS)" + (", idiomatic programs" if tuned else ""),
                "MiB",
                "lower",
                "Peak resident set size of the process (the last `VmHWM` of `/proc/PID/status`).",
            )
        )
    tuned_setup = {
        "rust": (
            " Tuned (`n-body-tuned/rust`): the bodies a fixed-size array of structs with named fields, the "
            "outer body's position, velocity and mass held in local variables through the inner loop, each "
            "pair's force scaled once per body; safe Rust, no SIMD intrinsics."
        ),
        "go": (
            " Tuned (`n-body-tuned/go`): the bodies a fixed-size array, the outer body's fields hoisted into "
            "local variables through the inner loop (the game's Go style), each pair's force scaled once per "
            "body; no assembly, no `unsafe`."
        ),
    }
    setup = {
        "rust": "Standard library only, `cargo build --release` (default release profile).",
        "go": "Standard library only, `CGO_ENABLED=0 go build`.",
    }
    if tuned:
        setup = {language: text + tuned_setup[language] for language, text in setup.items()}
    return {
        "title": f"CPU-bound: {spec['title']}",
        "description": (
            f"{spec['what']} One idiomatic single-threaded program per language, written after the "
            f"game's rules"
            + (", and beside it one tuned after the game's fastest single-threaded entries" if tuned else "")
            + "; its output is compared with the game's expected output before anything "
            "is timed and after every timed run."
        ),
        "limits": (
            "Single-threaded programs: not multi-threaded speed, "
            + (
                "not the game's fastest entries overall (those use SIMD intrinsics or `unsafe`, which the tuned "
                "programs here leave out in both languages alike), "
                if tuned
                else "not the game's fastest hand-tuned entries (no arenas, no SIMD), "
            )
            + "and not start-up cost separately (it is inside the time). "
            + (
                f"This machine has {cores} cores, so the runs with every core visible show what one spare core "
                f"gives a collector, not how it scales. "
                if two_ways
                else ""
            )
            + "One machine: compare the ratio, not the absolute figures."
        ),
        "headline": "time",
        "environment": environment_text(raw, method),
        "setup": setup,
        "sources": [
            HARNESS_SOURCE,
            {"title": f"The Computer Language Benchmarks Game: {program}", "url": GAME + spec["page"]},
        ],
        "metrics": metrics,
    }


def _workload(program):
    spec = PROGRAMS[program]
    return Workload(
        id=program,
        summary=f"{program}, single-threaded" + (", on one core and on every core" if ALL_CORES in spec["modes"] else ""),
        measure=lambda context: _measure(program, context),
        describe=lambda raw: _describe(program, raw),
        programs=(program,) + ((spec["tuned"],) if "tuned" in spec else ()),
        tools=("taskset",),
        minutes=spec["minutes"],
    )


WORKLOADS = [_workload(program) for program in PROGRAMS]
