"""Memory for N concurrent tasks: N tokio tasks or goroutines that each wait 10 s. Peak memory
of the process and the time it took to spawn them all, for N from a thousand to a million."""

from ..machine import interleaved, process_figures, run_measured
from ..report import log
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural

PROGRAM = "tasks-memory"
COUNTS = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def _measure(context):
    params = {"wait": 1 if context.smoke else 10, "runs": 1 if context.smoke else 3, "counts": COUNTS}
    binaries = {language.id: language.build(PROGRAM) for language in context.languages}
    measured, spawn, processes = {}, {}, {}
    for label, count in COUNTS.items():

        def one(language, index):
            result = run_measured([binaries[language.id], count, params["wait"]])
            spawn_ms = float(result.stdout.split()[1]) if result.stdout.startswith("spawn_ms ") else None
            if spawn_ms is None:
                raise RuntimeError(f"{PROGRAM} ({language.name}) printed {result.stdout!r}")
            log(
                f"N={count:,} run {index + 1}/{params['runs']} {language.name}: {result.peak_rss_mib:.1f} MiB, "
                f"spawned in {spawn_ms:.1f} ms, {result.seconds:.1f} s in all"
            )
            if result.seconds < params["wait"]:
                raise RuntimeError(f"{PROGRAM} ({language.name}) ended before its tasks' {params['wait']} s wait")
            return result, spawn_ms

        results = interleaved(context.languages, params["runs"], one)
        measured[f"rss-{label}"] = {language: [run.peak_rss_mib for run, _ in runs] for language, runs in results.items()}
        spawn[label] = {language: [ms for _, ms in runs] for language, runs in results.items()}
        processes[label] = process_figures({language: [run for run, _ in runs] for language, runs in results.items()})
    measured["spawn-1m"] = spawn["1m"]
    return {"params": params, "runs": measured, "details": {"spawn_ms": spawn}, "processes": processes}


def _describe(raw):
    params = raw["params"]
    runs = plural(params["runs"], "run")
    method = (
        f"Each program ran alone, on both cores, with its runtime's defaults; {runs} per language and N, "
        f"alternating languages, each task waiting {params['wait']} s."
    )
    metrics = [
        metric(
            raw,
            f"rss-{label}",
            f"Peak memory, {count:,} tasks",
            "MiB",
            "lower",
            f"Peak resident set size of the whole process (`ru_maxrss` from `wait4`) with {count:,} tasks "
            f"waiting at once, runtime included; {runs}.",
        )
        for label, count in params["counts"].items()
    ]
    metrics.append(
        metric(
            raw,
            "spawn-1m",
            "Time to spawn 1,000,000 tasks",
            "ms",
            "lower",
            "Measured by each program from before the first spawn to after the last one; the tasks start "
            "running meanwhile on the runtime's worker threads.",
        )
    )
    return {
        "title": "Memory for N concurrent tasks",
        "description": (
            "The test of the 2023 post *How much memory do you need to run 1 million concurrent tasks?*: "
            "spawn N tasks that each wait 10 s, then wait for all of them; N from a thousand to a million. "
            "Peak memory shows what an idle task costs in each runtime (a tokio task is a heap-allocated "
            "future, a goroutine has its own growable stack); the spawn time shows how fast a runtime "
            "starts them."
        ),
        "limits": (
            "Tasks that only sleep: no task does work, holds data or talks to another, so real services "
            "pay more per task, and Go's stacks grow with deep calls. Not CPU use, not latency. The "
            "published figures of the same test are in `tasks-memory-published`."
        ),
        "headline": "rss-1m",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                f"tokio {raw['environment']['crates'].get('rust', {}).get('tokio', '1')}, `#[tokio::main]` "
                f"(multi-threaded runtime, one worker per core), `tokio::spawn(tokio::time::sleep(..))` per "
                f"task, handles kept in a `Vec` and awaited; `cargo build --release`."
            ),
            "go": (
                "One goroutine per task started with `sync.WaitGroup.Go`, each calling `time.Sleep`; "
                "default `GOMAXPROCS` and collector settings; `CGO_ENABLED=0 go build`."
            ),
        },
        "sources": [
            HARNESS_SOURCE,
            {
                "title": "Piotr Kołaczkowski: How much memory do you need to run 1 million concurrent tasks? (2023)",
                "url": "https://pkolaczk.github.io/memory-consumption-of-async/",
            },
        ],
        "metrics": metrics,
    }


WORKLOAD = Workload(
    id="tasks-memory",
    summary="memory and spawn time for 1k to 1M concurrent waiting tasks",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    minutes=4.5,
)
