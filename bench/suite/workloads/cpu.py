"""CPU-bound programs after the Benchmarks Game's rules: binary-trees (allocation and the
collector), n-body (floating point), spectral-norm (floating point and loops). Single-threaded,
pinned to one CPU; every run's output is compared with the game's expected output, first at a
small size before anything is timed, then on every timed run."""

from ..machine import BENCH, SERVER_CPU, interleaved, pinned, process_figures, run_measured
from ..report import log
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural

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
    },
}


def _expected(program, size):
    """The game's expected output at a size, committed beside the programs."""
    return (BENCH / program / f"expected-{size}.txt").read_text()


def _check(program, language, size, result_output):
    """Fails unless a run printed the game's expected output for its size."""
    if result_output != _expected(program, size):
        raise RuntimeError(
            f"{program} ({language.name}) at {size} printed\n{result_output}\ninstead of the expected\n{_expected(program, size)}"
        )


def _measure(program, context):
    spec = PROGRAMS[program]
    size = spec["check_size"] if context.smoke else spec["size"]
    runs = 1 if context.smoke else 3
    binaries = {language.id: language.build(program) for language in context.languages}
    for language in context.languages:
        check = run_measured(pinned(SERVER_CPU, [binaries[language.id], spec["check_size"]]))
        _check(program, language, spec["check_size"], check.stdout)
    log(f"output checked for every language at {spec['argument']} {spec['check_size']}")

    def one_run(language, index):
        result = run_measured(pinned(SERVER_CPU, [binaries[language.id], size]))
        _check(program, language, size, result.stdout)
        log(f"run {index + 1}/{runs} {language.name}: {result.seconds:.2f} s, {result.peak_rss_mib:.1f} MiB")
        return result

    results = interleaved(context.languages, runs, one_run)
    return {
        "params": {"size": size, "runs": runs, "cpu": SERVER_CPU},
        "runs": {
            "time": {language: [r.seconds for r in rs] for language, rs in results.items()},
            "peak-rss": {language: [r.peak_rss_mib for r in rs] for language, rs in results.items()},
        },
        "processes": {"time": process_figures(results)},
        "details": {},
    }


def _describe(program, raw):
    spec = PROGRAMS[program]
    params = raw["params"]
    runs = plural(params["runs"], "run")
    method = (
        f"Each program ran single-threaded, pinned by `taskset` to CPU {params['cpu']} (Go's "
        f"`GOMAXPROCS` follows the affinity mask, so it is 1), with {spec['argument']} "
        f"{params['size']:,}; {runs} per language, alternating languages."
    )
    return {
        "title": f"CPU-bound: {spec['title']}",
        "description": (
            f"{spec['what']} One idiomatic single-threaded program per language, written after the "
            f"game's rules; its output is compared with the game's expected output before anything "
            f"is timed and after every timed run."
        ),
        "limits": (
            "One program on one core: not multi-threaded speed, not the game's fastest hand-tuned "
            "entries (no arenas, no SIMD), and not start-up cost separately (it is inside the time). "
            "One machine: compare the ratio, not the absolute figures."
        ),
        "headline": "time",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": "Standard library only, `cargo build --release` (default release profile).",
            "go": "Standard library only, `CGO_ENABLED=0 go build`.",
        },
        "sources": [
            HARNESS_SOURCE,
            {"title": f"The Computer Language Benchmarks Game: {program}", "url": GAME + spec["page"]},
        ],
        "metrics": [
            metric(raw, "time", "Wall time", "s", "lower", f"Start to exit, {runs} per language."),
            metric(
                raw,
                "peak-rss",
                "Peak memory (max RSS)",
                "MiB",
                "lower",
                "Peak resident set size of the process (`ru_maxrss` from `wait4`).",
            ),
        ],
    }


def _workload(program):
    return Workload(
        id=program,
        summary=f"{program}, single-threaded",
        measure=lambda context: _measure(program, context),
        describe=lambda raw: _describe(program, raw),
        programs=(program,),
        tools=("taskset",),
        minutes=1.5,
    )


WORKLOADS = [_workload(program) for program in PROGRAMS]
