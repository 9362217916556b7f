"""HTTP JSON: TechEmpower's JSON test served by actix-web and net/http over loopback. Closed
loop with wrk (throughput and latency at saturation), then open loop with oha at fixed rates
below the slower server's throughput (latency as a user at that load would see it, corrected
for coordinated omission), and the servers' peak memory."""

import json
import re
import resource
import subprocess
import time

from ..dataset import median
from ..machine import CLIENT_CPU, SERVER_CPU, interleaved, pinned
from ..report import log
from ..servers import ONE_THREAD_TEXT, PROGRAM, Server
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural

RATES = (25, 50, 75)
TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _parse_wrk(output):
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if errors and any(int(n) for n in errors.groups()):
        raise RuntimeError(f"wrk reported socket errors:\n{output}")
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"wrk received error responses:\n{output}")
    percentiles = {
        int(p): float(value) * TIME_UNITS[unit]
        for p, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)$", output, re.MULTILINE)
    }
    rps = re.search(r"^Requests/sec:\s+([\d.]+)$", output, re.MULTILINE)
    if not rps or 50 not in percentiles or 99 not in percentiles:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    return {"rps": float(rps[1]), "p50": percentiles[50], "p99": percentiles[99]}


def _wrk(wrk, server, seconds, connections):
    """One bounded wrk run from the client CPU: its figures and the CPU shares of both sides."""
    command = pinned(CLIENT_CPU, [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", server.url])
    client_before, server_before, start = _children_cpu(), server.cpu_seconds(), time.monotonic()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    wall = time.monotonic() - start
    result = _parse_wrk(output)
    result["server_cpu"] = (server.cpu_seconds() - server_before) / wall
    result["client_cpu"] = (_children_cpu() - client_before) / wall
    return result


def _oha(oha, server, seconds, connections, rate):
    """One bounded oha run at a fixed rate from the client CPU: p50, p99, p99.9 in ms (latency
    measured from when each request was due, so a stalled server is not hidden)."""
    command = pinned(
        CLIENT_CPU,
        [oha, "-z", f"{seconds}s", "-q", rate, "-c", connections, "--latency-correction",
         "--no-tui", "--output-format", "json", server.url],
    )  # fmt: skip
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    statuses = report.get("statusCodeDistribution", {})
    # Requests still in flight when the duration ends are counted as aborted; nothing else may fail.
    errors = {kind: count for kind, count in report.get("errorDistribution", {}).items() if kind != "aborted due to deadline"}
    if set(statuses) - {"200"} or errors:
        raise RuntimeError(f"oha got errors: statuses {statuses}, errors {errors}")
    percentiles = report["latencyPercentiles"]
    return {
        "p50": percentiles["p50"] * 1e3,
        "p99": percentiles["p99"] * 1e3,
        "p999": percentiles["p99.9"] * 1e3,
        "rps": report["summary"]["requestsPerSec"],
    }


def _measure(context):
    smoke = context.smoke
    params = {
        "connections": 64,
        "warmup": 1 if smoke else 5,
        "duration": 1 if smoke else 10,
        "runs": 1 if smoke else 5,
        "open_duration": 2 if smoke else 10,
        "open_runs": 1 if smoke else 3,
        "server_cpu": SERVER_CPU,
        "client_cpu": CLIENT_CPU,
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
            _wrk(wrk, servers[language.id], params["warmup"], params["connections"])

        def closed(language, index):
            result = _wrk(wrk, servers[language.id], params["duration"], params["connections"])
            log(
                f"closed loop {index + 1}/{params['runs']} {language.name}: {result['rps']:.0f} req/s, "
                f"p50 {result['p50']:.3f} ms, p99 {result['p99']:.3f} ms, server CPU {result['server_cpu']:.0%}, "
                f"wrk CPU {result['client_cpu']:.0%}"
            )
            return result

        closed_runs = interleaved(context.languages, params["runs"], closed)
        peak = {language: [servers[language].memory_mib("VmHWM")] for language in servers}
        slower = min(median([run["rps"] for run in runs]) for runs in closed_runs.values())
        params["rates"] = {str(percent): round(slower * percent / 100) for percent in RATES}
        open_runs = {}
        for percent in RATES:
            rate = params["rates"][str(percent)]

            def one(language, index):
                result = _oha(oha, servers[language.id], params["open_duration"], params["connections"], rate)
                log(
                    f"open loop {percent}% ({rate} req/s) {index + 1}/{params['open_runs']} {language.name}: "
                    f"p50 {result['p50']:.3f} ms, p99 {result['p99']:.3f} ms, p99.9 {result['p999']:.3f} ms"
                )
                return result

            open_runs[percent] = interleaved(context.languages, params["open_runs"], one)
    finally:
        for server in servers.values():
            server.stop()

    def pick(runs, key):
        return {language: [run[key] for run in results] for language, results in runs.items()}

    measured = {
        "throughput": pick(closed_runs, "rps"),
        "latency-p50": pick(closed_runs, "p50"),
        "latency-p99": pick(closed_runs, "p99"),
        "peak-rss": peak,
    }
    for percent in RATES:
        for key, name in (("p50", "p50"), ("p99", "p99"), ("p999", "p999")):
            measured[f"open-{name}-{percent}"] = pick(open_runs[percent], key)
    details = {
        "server_cpu": pick(closed_runs, "server_cpu"),
        "client_cpu": pick(closed_runs, "client_cpu"),
        "open_achieved_rps": {str(percent): pick(open_runs[percent], "rps") for percent in RATES},
    }
    return {"params": params, "runs": measured, "details": details}


def _describe(raw):
    params, details = raw["params"], raw["details"]
    per_run = f"{plural(params['runs'], 'run')} of {params['duration']} s"
    open_per_run = f"{plural(params['open_runs'], 'run')} of {params['open_duration']} s"
    rates = ", ".join(f"{percent}% ({params['rates'][str(percent)]:,} req/s)" for percent in RATES)

    def cpu(key):
        names = raw["environment"]["names"]
        return ", ".join(f"{names[language]} {median(values):.0%}" for language, values in details[key].items())

    method = (
        f"Client and server share this machine over loopback (`127.0.0.1`): `taskset` pins the server "
        f"to CPU {params['server_cpu']} and the load generator to CPU {params['client_cpu']}. Closed loop: "
        f"`wrk`, 1 thread, {params['connections']} connections, {params['warmup']} s warm-up per server, "
        f"then {per_run} per server, alternating servers. Open loop: `oha` at fixed rates of {rates} of the "
        f"slower server's median throughput, {params['connections']} connections, latency corrected for "
        f"coordinated omission, {open_per_run} per server and rate, alternating servers. Median CPU use "
        f"as a share of one core in the closed-loop runs: servers {cpu('server_cpu')}; `wrk` {cpu('client_cpu')}."
    )
    metrics = [
        metric(raw, "throughput", "Requests per second", "req/s", "higher", f"`wrk` at saturation, {per_run}."),
        metric(
            raw,
            "latency-p50",
            "p50 latency (closed loop)",
            "ms",
            "lower",
            "Median latency from `wrk --latency`. `wrk` keeps every connection busy, so at saturation "
            "this is about connections ÷ throughput.",
        ),
        metric(
            raw,
            "latency-p99",
            "p99 latency (closed loop)",
            "ms",
            "lower",
            "99th percentile from `wrk --latency`; a closed-loop client waits for each answer before it "
            "sends the next request, so it under-reports stalls.",
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
                    f"`oha -q {rate} --latency-correction`: {rate:,} requests per second whatever the server "
                    f"does, latency counted from when each request was due; {open_per_run}.",
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
            "One core per server and a load generator on the same machine over loopback: no real network, "
            "no multi-core scaling, no TLS, no database, a response of 27 bytes. Build time and binary size "
            "are in the `builds` and `binary-size` benchmarks. Compare the ratios; the absolute numbers "
            "belong to this machine."
        ),
        "headline": "throughput",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                f"actix-web {raw['environment']['crates'].get('rust', {}).get('actix-web', '4')} with serde "
                f"(default features), `cargo build --release`; {ONE_THREAD_TEXT['rust']}."
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
            {"title": "wrk, a HTTP benchmarking tool", "url": "https://github.com/wg/wrk"},
            {"title": "oha, an HTTP load generator with coordinated-omission correction", "url": "https://github.com/hatoo/oha"},
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
    minutes=5.5,
)
