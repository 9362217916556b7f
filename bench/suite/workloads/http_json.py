"""HTTP JSON: TechEmpower's JSON test served by actix-web and net/http over loopback. Closed
loop with wrk (throughput and latency at saturation), then open loop with oha at fixed rates
below the slower server's throughput (latency as a user at that load would see it, corrected
for coordinated omission), and the servers' peak memory."""

import math
import re
import resource
import subprocess
import time

from .. import dataset
from ..dataset import median
from ..machine import CLIENT_CPU, SERVER_CPU, Failed, interleaved, pinned
from ..report import log
from ..servers import ONE_THREAD_TEXT, PROGRAM, Server
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural

# The open-loop rates, as shares of the slower server's closed-loop throughput. On a 2-core machine
# the load generator has one core, and `oha` with latency correction needed more than that core at
# about 31,000 requests per second (75% of Go's server in a run of 2026-12-08, and half of it in a
# faster hour of the same machine): it could not keep its schedule. A quarter it can.
RATES = (25,)
# The load generators, as sources of a benchmark that uses them.
WRK_SOURCE = {"title": "wrk, a HTTP benchmarking tool", "url": "https://github.com/wg/wrk"}
OHA_SOURCE = {"title": "oha, an HTTP load generator with coordinated-omission correction", "url": "https://github.com/hatoo/oha"}
TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}

# A closed-loop run measured the server when the server was busy on its core for at least
# SERVER_BUSY of the run and the load generator below CLIENT_FREE of its own. A run whose load
# generator reached CLIENT_FREE measured the client: its throughput is only a lower bound for the
# server's, which this machine cannot saturate, and it is kept as such. A run that is neither (the
# server idled while the client did too: other work on the machine) is run again, up to ATTEMPTS
# times in all.
SERVER_BUSY = 0.90
CLIENT_FREE = 0.90
ATTEMPTS = 3
# Each open-loop run lasts long enough that its p99.9 rests on this many slower requests: at the
# rate r, TAIL × 1000 requests take TAIL × 1000 / r seconds.
TAIL = 1000
# The latency histogram of an open-loop run: bucket k holds latencies from GROWTH^k µs to
# GROWTH^(k+1) µs, so every bucket is 1% wide.
GROWTH = 1.01


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_client(server, command, seconds=None):
    """Runs a load generator to completion: its output and the CPU use of both sides, in CPU
    seconds and as a share of one core each (each is pinned to one) over `seconds`, the span the
    client reports it loaded the server for, or else the client's wall time."""
    client_before, server_before, start = _children_cpu(), server.cpu_seconds(), time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - start
    if result.returncode != 0:
        raise Failed(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    server_cpu, client_cpu = server.cpu_seconds() - server_before, _children_cpu() - client_before
    return result.stdout, {
        "wall_seconds": round(wall, 3),
        "server_cpu_seconds": round(server_cpu, 3),
        "client_cpu_seconds": round(client_cpu, 3),
    }


def _shares(figures, seconds):
    """The figures with both sides' CPU as a share of one core over `seconds`."""
    return figures | {
        "server_cpu": round(figures["server_cpu_seconds"] / seconds, 4),
        "client_cpu": round(figures["client_cpu_seconds"] / seconds, 4),
    }


def _parse_wrk(output):
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if errors and any(int(n) for n in errors.groups()):
        raise Failed(f"wrk reported socket errors:\n{output}")
    if "Non-2xx or 3xx responses" in output:
        raise Failed(f"wrk received error responses:\n{output}")
    percentiles = {
        int(p): float(value) * TIME_UNITS[unit]
        for p, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)$", output, re.MULTILINE)
    }
    rps = re.search(r"^Requests/sec:\s+([\d.]+)$", output, re.MULTILINE)
    requests = re.search(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m),", output, re.MULTILINE)
    if not rps or not requests or 50 not in percentiles or 99 not in percentiles:
        raise Failed(f"could not read wrk's output:\n{output}")
    return {
        "rps": float(rps[1]),
        "requests": int(requests[1]),
        "seconds": float(requests[2]) * TIME_UNITS[requests[3]] / 1e3,
        "p50": percentiles[50],
        "p99": percentiles[99],
    }


def run_wrk(wrk, server, seconds, connections):
    """One bounded wrk run from the client CPU: its figures, the CPU shares of both sides, the
    requests served per server CPU-second, and whether the run counts (`gate`)."""
    command = pinned(CLIENT_CPU, [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", server.url])
    output, figures = _run_client(server, command)
    result = _parse_wrk(output)
    # Over the span wrk loaded the server, not its start-up and exit.
    result |= _shares(figures, result["seconds"])
    if not result["server_cpu_seconds"]:
        raise Failed(f"the server used no measurable CPU time in a {seconds} s run")
    return result | closed_gate(result["server_cpu"], result["client_cpu"])


def closed_gate(server_cpu, client_cpu):
    """Whether a closed-loop run with these CPU shares measured the client (`client_bound`), and
    whether it counts (`gate`): it measured the server, or the client's limit."""
    bound = client_cpu >= CLIENT_FREE
    return {"client_bound": bound, "gate": bound or server_cpu >= SERVER_BUSY}


def open_seconds(rate, smoke=False):
    """How long an open-loop run at `rate` requests per second lasts: long enough for TAIL
    requests beyond its p99.9 (at least 10 s), or 2 s in a smoke run."""
    return 2 if smoke else max(10, math.ceil(TAIL * 1000 / rate))


def nearest_rank(ordered, fraction):
    """The nearest-rank percentile of sorted values: the smallest value with at least
    `fraction` of all values at or below it."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def histogram(latencies_us):
    """The full latency histogram: `{lower bound in µs: count}` of 1%-wide buckets (bucket k from
    GROWTH^k to GROWTH^(k+1) µs, its bound written to 4 significant digits), in order, empty
    buckets left out."""
    counts = {}
    for value in latencies_us:
        bucket = math.floor(math.log(max(value, 1.0)) / math.log(GROWTH))
        counts[bucket] = counts.get(bucket, 0) + 1
    return {f"{GROWTH**bucket:.4g}": count for bucket, count in sorted(counts.items())}


def _read_oha_csv(path):
    """Each successful request's latency in µs (from when it was due, with
    `--latency-correction`) from oha's CSV, and the status codes met."""
    latencies, statuses = [], set()
    with path.open() as file:
        header = file.readline().strip().split(",")
        duration, status = header.index("request-duration"), header.index("status")
        for line in file:
            fields = line.split(",")
            latencies.append(float(fields[duration]) * 1e6)
            statuses.add(fields[status].strip())
    return latencies, statuses


def run_oha(oha, server, seconds, connections, rate, scratch):
    """One bounded oha run at a fixed rate from the client CPU: p50, p99, p99.9 in ms (latency
    measured from when each request was due, so a stalled server is not hidden), the full
    histogram, the CPU shares of both sides, and whether the run counts (`gate`)."""
    csv = scratch / "oha.csv"
    command = pinned(
        CLIENT_CPU,
        [oha, "-z", f"{seconds}s", "-q", rate, "-c", connections, "--latency-correction",
         "--no-tui", "--output-format", "csv", "-o", csv, server.url],
    )  # fmt: skip
    _, figures = _run_client(server, command)
    # Over the span of the load; the client's CPU includes writing its CSV afterwards, so its
    # share errs high, on the safe side of the gate.
    shares = _shares(figures, seconds)
    latencies, statuses = _read_oha_csv(csv)
    csv.unlink()
    if statuses - {"200"}:
        raise Failed(f"oha got responses other than 200: {sorted(statuses)}")
    # Requests still in flight when the duration ends are dropped; more missing means the client
    # fell behind its schedule (or requests failed), and the run does not count.
    due = rate * seconds
    complete = len(latencies) >= due - max(2 * connections, 0.002 * due)
    ordered = sorted(latencies)
    return {
        "p50": nearest_rank(ordered, 0.50) / 1e3,
        "p99": nearest_rank(ordered, 0.99) / 1e3,
        "p999": nearest_rank(ordered, 0.999) / 1e3,
        "requests": len(ordered),
        "due": due,
        "beyond_p999": len(ordered) - math.ceil(0.999 * len(ordered)),
        "rps": len(ordered) / seconds,
        **shares,
        # The work each request cost the server, at the same offered load for every server.
        "requests_per_cpu_second": len(ordered) / figures["server_cpu_seconds"] if figures["server_cpu_seconds"] else 0.0,
        # At a fixed rate below saturation the server idles between requests: only the client is gated.
        "gate": shares["client_cpu"] < CLIENT_FREE and complete and figures["server_cpu_seconds"] > 0,
        "histogram_us": histogram(ordered),
    }


def gated(measure, describe, enforce):
    """Runs `measure()` until its result passes the gate, ATTEMPTS times at most; returns every
    attempt in order, each marked `gate`. A smoke run (`enforce` false) takes the first attempt
    whatever it shows."""
    attempts = []
    for attempt in range(ATTEMPTS if enforce else 1):
        result = measure()
        attempts.append(result)
        log(describe(result) + ("" if result["gate"] else " (fails the gate" + (", again" if attempt else "") + ")"))
        if result["gate"]:
            break
    return attempts


def counted(attempts_by_language, enforce):
    """Per language, the attempts that count: those that passed the gate (all of them in a smoke
    run). Fails when a language is left with fewer than two."""
    counted = {}
    for language, slots in attempts_by_language.items():
        runs = [attempt for slot in slots for attempt in slot if attempt["gate"] or not enforce]
        if enforce and len(runs) < 2:
            raise Failed(
                f"only {len(runs)} run(s) of {language} passed the gate (in the closed loop, the server at least "
                f"{SERVER_BUSY:.0%} of its core or the client at its limit; in the open loop, the client below "
                f"{CLIENT_FREE:.0%} of its core and every request due sent): the server was not kept busy or "
                f"requests were not sent on time, so the machine is too busy to measure"
            )
        counted[language] = runs
    return counted


def saturated(runs):
    """The closed-loop runs that measured the server: all of them unless at most one did, in which
    case the language's figure is its client's limit (the runs are all kept, as a lower bound)."""
    server_runs = [run for run in runs if not run.get("client_bound")]
    return server_runs if len(server_runs) >= 2 else runs


def client_bound(runs):
    """Whether a language's counted closed-loop runs measured the client, not the server."""
    return any(run.get("client_bound") for run in saturated(runs))


def _measure(context):
    smoke = context.smoke
    enforce = not smoke
    params = {
        "connections": 64,
        "warmup": 1 if smoke else 5,
        "duration": 1 if smoke else 10,
        "runs": 1 if smoke else 5,
        "open_runs": 1 if smoke else 3,
        "server_cpu": SERVER_CPU,
        "client_cpu": CLIENT_CPU,
        "gate": {"server_busy": SERVER_BUSY, "client_free": CLIENT_FREE, "attempts": ATTEMPTS, "enforced": enforce},
        "open_tail": TAIL,
        "histogram_growth": GROWTH,
    }
    wrk, oha = context.tools["wrk"], context.tools["oha"]
    binaries = {language.id: language.build(PROGRAM) for language in context.languages}
    servers = {}
    try:
        for language in context.languages:
            servers[language.id] = Server(language, binaries[language.id])
            servers[language.id].check()
        for language in context.languages:
            log(f"warm-up: {language.name}, {params['warmup']} s")
            run_wrk(wrk, servers[language.id], params["warmup"], params["connections"])

        def closed(language, index):
            return gated(
                lambda: run_wrk(wrk, servers[language.id], params["duration"], params["connections"]),
                lambda r: (
                    f"closed loop {index + 1}/{params['runs']} {language.name}: {r['rps']:.0f} req/s, "
                    f"p50 {r['p50']:.3f} ms, p99 {r['p99']:.3f} ms, server CPU {r['server_cpu']:.0%}, "
                    f"wrk CPU {r['client_cpu']:.0%}"
                ),
                enforce,
            )

        closed_attempts = interleaved(context.languages, params["runs"], closed)
        closed_runs = {language: saturated(runs) for language, runs in counted(closed_attempts, enforce).items()}
        peak = {language: [servers[language].memory_mib("VmHWM")] for language in servers}
        slower = min(median([run["rps"] for run in runs]) for runs in closed_runs.values())
        params["rates"] = {str(percent): round(slower * percent / 100) for percent in RATES}
        params["open_durations"] = {percent: open_seconds(rate, smoke) for percent, rate in params["rates"].items()}
        open_attempts, open_runs = {}, {}
        for percent in RATES:
            rate, seconds = params["rates"][str(percent)], params["open_durations"][str(percent)]

            def one(language, index):
                return gated(
                    lambda: run_oha(oha, servers[language.id], seconds, params["connections"], rate, context.scratch),
                    lambda r: (
                        f"open loop {percent}% ({rate} req/s, {seconds} s) {index + 1}/{params['open_runs']} "
                        f"{language.name}: p50 {r['p50']:.3f} ms, p99 {r['p99']:.3f} ms, p99.9 {r['p999']:.3f} ms "
                        f"({r['beyond_p999']:,} beyond), server CPU {r['server_cpu']:.0%}, oha CPU {r['client_cpu']:.0%}"
                    ),
                    enforce,
                )

            open_attempts[percent] = interleaved(context.languages, params["open_runs"], one)
            open_runs[percent] = counted(open_attempts[percent], enforce)
    finally:
        for server in servers.values():
            server.stop()

    def pick(runs, key):
        return {language: [run[key] for run in results] for language, results in runs.items()}

    def every(attempts):
        return {language: [attempt for slot in slots for attempt in slot] for language, slots in attempts.items()}

    measured = {
        "throughput": pick(closed_runs, "rps"),
        "requests-per-cpu-second": pick(open_runs[RATES[-1]], "requests_per_cpu_second"),
        "latency-p50": pick(closed_runs, "p50"),
        "latency-p99": pick(closed_runs, "p99"),
        "peak-rss": peak,
    }
    for percent in RATES:
        for key in ("p50", "p99", "p999"):
            measured[f"open-{key}-{percent}"] = pick(open_runs[percent], key)
    params["client_bound"] = sorted(language for language, runs in closed_runs.items() if client_bound(runs))
    details = {
        # Every attempt, counted or not, in the order run; an open-loop one with its full histogram.
        "closed_attempts": every(closed_attempts),
        "open_attempts": {str(percent): every(open_attempts[percent]) for percent in RATES},
    }
    return {"params": params, "runs": measured, "details": details}


def _describe(raw):
    params, details = raw["params"], raw["details"]
    names = raw["environment"]["names"]
    if "gate" not in params:
        raise dataset.Legacy("recorded before a run was counted only with the server saturated and the client not")
    gate = params["gate"]
    per_run = f"{plural(params['runs'], 'run')} of {params['duration']} s"
    open_per_run = f"{plural(params['open_runs'], 'run')} per server and rate"
    rates = ", ".join(
        f"{percent}% ({params['rates'][str(percent)]:,} req/s for {params['open_durations'][str(percent)]} s)" for percent in RATES
    )

    def shares(attempts, key):
        return ", ".join(
            f"{names[language]} {median([run[key] for run in runs if run['gate'] or not gate['enforced']]):.0%}"
            for language, runs in attempts.items()
        )

    def failed(attempts):
        return sum(not run["gate"] for runs in attempts.values() for run in runs)

    closed = details["closed_attempts"]
    open_all = {
        language: [run for percent in RATES for run in details["open_attempts"][str(percent)][language]]
        for language in closed
    }
    rejected = failed(closed) + sum(failed(details["open_attempts"][str(percent)]) for percent in RATES)
    bound = [names[language] for language in params.get("client_bound", [])]
    gate_text = (
        f"A closed-loop run measured the server when the server kept at least {gate['server_busy']:.0%} of its core "
        f"busy (saturated) and `wrk` stayed below {gate['client_free']:.0%} of its own; a run where `wrk` reached "
        f"{gate['client_free']:.0%} measured the client, and its throughput is only a lower bound for the server's; "
        f"a run that was neither is not counted. An open-loop run counts when `oha` "
        f"stayed below {gate['client_free']:.0%} of its core and sent every request due (CPU time from `/proc` and "
        f"`getrusage` over the span of the load); a run that fails is run again, "
        f"{gate['attempts']} times at most"
        + (f", and {plural(rejected, 'run')} failed and did not count" if gate["enforced"] else "; a smoke run counts every run")
        + ". "
    )
    method = (
        f"Client and server share this machine over loopback (`127.0.0.1`): `taskset` pins the server "
        f"to CPU {params['server_cpu']} and the load generator to CPU {params['client_cpu']}. Closed loop: "
        f"`wrk`, 1 thread, {params['connections']} connections, {params['warmup']} s warm-up per server, "
        f"then {per_run} per server, alternating servers. Open loop: `oha` at fixed rates of {rates}, "
        f"shares of the slower server's median throughput, {params['connections']} connections, latency "
        f"counted from when each request was due (corrected for coordinated omission), "
        + ("each run 2 s long (a smoke run), " if raw["smoke"] else f"each run long enough for {params['open_tail']:,} requests beyond its p99.9, ")
        + f"{open_per_run}, alternating servers; every "
        f"run's full latency histogram is in the raw file. {gate_text}Median CPU use as a share of one core "
        f"in the counted runs: closed loop, servers {shares(closed, 'server_cpu')}, `wrk` "
        f"{shares(closed, 'client_cpu')}; open loop, servers {shares(open_all, 'server_cpu')}, `oha` "
        f"{shares(open_all, 'client_cpu')}."
    )
    descriptive = (
        "a closed-loop client waits for each answer before it sends the next request, so its latencies "
        "follow from the throughput and hide stalls; the open-loop percentiles below are the ones to compare."
    )
    unsaturated = None
    if bound:
        unsaturated = (
            f"`wrk` used its whole core in the closed-loop runs of {' and '.join(bound)}, so those figures are the "
            f"load generator's limit and only a lower bound for that server's throughput: this two-core machine "
            f"cannot saturate it, and gives no verdict on throughput. The open-loop rows compare both servers "
            f"at the same offered load."
        )
    top = RATES[-1]
    metrics = [
        metric(
            raw,
            "throughput",
            "Requests per second",
            "req/s",
            "higher",
            f"`wrk` at saturation, {per_run}.",
            descriptive=unsaturated,
        ),
        metric(
            raw,
            "requests-per-cpu-second",
            f"Requests per server CPU-second at {top}% load",
            "req/CPU-s",
            "higher",
            f"Requests answered in an open-loop run at {top}% load ({params['rates'][str(top)]:,} req/s, the same "
            f"offered load for every server) over the CPU time (user plus system, all its threads, from "
            f"`/proc/PID/stat`) the server used in it: the work each request costs; {open_per_run}.",
        ),
        metric(
            raw,
            "latency-p50",
            "p50 latency (closed loop)",
            "ms",
            "lower",
            "Median latency from `wrk --latency`; at saturation about connections ÷ throughput.",
            descriptive=descriptive,
        ),
        metric(
            raw,
            "latency-p99",
            "p99 latency (closed loop)",
            "ms",
            "lower",
            "99th percentile from `wrk --latency`.",
            descriptive=descriptive,
        ),
        metric(
            raw,
            "peak-rss",
            "Peak memory (VmHWM)",
            "MiB",
            "lower",
            "Peak resident set size (`VmHWM` in `/proc/PID/status`) of the server process after its "
            "warm-up and all closed-loop runs; one reading per server.",
        ),
    ]
    for percent in RATES:
        rate = params["rates"][str(percent)]
        for key, label in (("p50", "p50"), ("p99", "p99"), ("p999", "p99.9")):
            metrics.append(
                metric(
                    raw,
                    f"open-{key}-{percent}",
                    f"{label} latency at {percent}% load (open loop)",
                    "ms",
                    "lower",
                    f"`oha -q {rate} -z {params['open_durations'][str(percent)]}s --latency-correction`: {rate:,} "
                    f"requests per second whatever the server does, latency counted from when each request was "
                    f"due; the nearest-rank percentile of every request of a run; {open_per_run}.",
                )
            )
    return {
        "title": "HTTP JSON server",
        "description": (
            "TechEmpower's JSON test (`GET /json` answers `{\"message\":\"Hello, World!\"}`) served by an "
            "idiomatic release build in each language on one core: throughput and latency at saturation "
            "(closed loop), latency at fixed request rates below saturation (open loop), and the server's "
            "peak memory."
        ),
        "limits": (
            ("The load generator, on one core of its own, could not saturate "
             + " or ".join(bound) + "'s server: throughput is a lower bound there. " if bound else "")
            + "One core per server and a load generator on the same machine over loopback: no real network, "
            "no multi-core scaling (this machine has two cores, one for the server and one for the client, so "
            "it cannot say how either server scales), no TLS, no database, a response of 27 bytes. Build time and binary size "
            "are in the `builds` and `binary-size` benchmarks. Compare the ratios; the absolute numbers "
            "belong to this machine."
        ),
        "headline": "throughput",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                f"actix-web {raw['environment']['crates'].get('rust', {}).get('actix-web', '4')} "
                f"(`default-features = false`, only its `macros` feature) with serde, `cargo build --release`; "
                f"{ONE_THREAD_TEXT['rust']}."
            ),
            "go": (
                f"`net/http` and `encoding/json` from the standard library, `CGO_ENABLED=0 go build`; "
                f"{ONE_THREAD_TEXT['go']}."
            ),
        },
        "sources": [
            HARNESS_SOURCE,
            {
                "title": "TechEmpower Framework Benchmarks: JSON serialization test requirements",
                "url": "https://github.com/TechEmpower/FrameworkBenchmarks/wiki/Project-Information-Framework-Tests-Overview#json-serialization",
            },
            WRK_SOURCE,
            OHA_SOURCE,
        ],
        "metrics": metrics,
    }


WORKLOAD = Workload(
    id="http-json",
    summary="HTTP JSON server: closed-loop throughput, open-loop latency, memory",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    tools=("wrk", "oha", "taskset"),
    minutes=20,
)
