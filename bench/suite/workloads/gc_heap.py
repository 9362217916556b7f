"""Collector under a live heap: a server that keeps a large in-memory cache (`bench/gc-heap/`),
loaded open loop with oha at fixed rates below the slower server's throughput: latency from p50
to p99.99 as a user at that load would see it, and the server's resident memory over each run.
Go runs with its defaults and with the memory limit its GC guide describes; Rust with its
default allocator."""

import json
import math
import re
import statistics
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..dataset import median
from ..machine import CLIENT_CPU, SERVER_CPU, interleaved
from ..report import log
from ..servers import ONE_THREAD_TEXT, Server
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural
from .http_json import ATTEMPTS, CLIENT_FREE, GROWTH, OHA_SOURCE, WRK_SOURCE, counted, gated, run_oha, run_wrk

PROGRAM = "gc-heap"
# Entries in the cache: ten million make a live heap of about 1.2 GB in either language here.
ENTRIES = 10_000_000
SMOKE_ENTRIES = 100_000
READS = 4
# Filling ten million entries on one core takes about 15 s on this machine.
READY_SECONDS = 180
# Open-loop rates, as shares of the slower server's closed-loop throughput in the probe: low,
# because `oha` on its one core nears its limit at about 25,000 requests per second here (a
# smoke run at 50% of Go's throughput, 26,145 req/s, had it at 92 to 101% of its core).
RATES = (10, 25)
OPEN_SECONDS = 60
WARMUP_SECONDS = 5
RUNS = 2
PROBE_SECONDS = 5
# A full run: the probe (two servers filled and loaded, about 40 s), then per setting and run a
# server filled (about 15 s), warmed up and loaded at each rate (about 125 s): 3 settings × 2 runs.
WORKLOAD_MINUTES = 15
CONNECTIONS = 64
# Resident memory is read from /proc/PID/status this often while the server is under load.
RSS_INTERVAL = 0.25
PERCENTILES = (("p50", "p50", 0.50), ("p99", "p99", 0.99), ("p999", "p99.9", 0.999), ("p9999", "p99.99", 0.9999))

GC_GUIDE = "https://go.dev/doc/gc-guide"
MEMORY_LIMIT = "memory-limit"
# How a metric's name calls a setting beyond a language's defaults.
TITLES = {MEMORY_LIMIT: "Go with GOGC=off and a memory limit"}


@dataclass(frozen=True)
class Setting:
    """A way to run one language's server: the language, the setting's id (`None` for the
    language's defaults) and what it adds to the server's environment."""

    language: object
    setting: str | None = None
    env: dict = field(default_factory=dict)

    @property
    def id(self):
        return self.language.id + (f"-{self.setting}" if self.setting else "")

    @property
    def name(self):
        return self.language.name + (f" ({' '.join(f'{k}={v}' for k, v in self.env.items())})" if self.env else "")


# With GOGC=100 the collector lets the heap grow to twice the live heap before it collects; the
# memory-limit setting gets at least that budget.
LIMIT_FACTOR = 2


def memory_limit_env(peak_mib):
    """Go's memory-limit setting (see GC_GUIDE, "Memory limit"): the proportional collector off
    (`GOGC=off`), so the collector runs only as the memory in use nears a soft limit
    (`GOMEMLIMIT`), set to LIMIT_FACTOR times the peak resident memory the same server reached
    with its defaults in the probe. That peak is at least the live heap (the cache), so the limit
    is at least the heap the defaults (`GOGC=100`) let grow before a collection: no less memory,
    spent on collecting less often."""
    return {"GOGC": "off", "GOMEMLIMIT": f"{math.ceil(LIMIT_FACTOR * peak_mib)}MiB"}


# Settings beyond each language's defaults, by language id: a function of the defaults' peak
# memory in the probe, in MiB, to the environment added.
TUNED = {"go": (MEMORY_LIMIT, memory_limit_env)}


def open_rates(slower_rps):
    """The open-loop rates, `{percent: requests per second}`, from the slower server's throughput."""
    return {str(percent): max(1, round(slower_rps * percent / 100)) for percent in RATES}


def histogram_percentile(histogram_us, fraction):
    """The nearest-rank percentile of a run from its full histogram (`http_json.histogram`), in
    µs: the upper bound of the 1%-wide bucket that holds it, so at most 1% above the exact value
    and never below it."""
    total = sum(histogram_us.values())
    rank, seen = max(1, math.ceil(fraction * total)), 0
    for bound, count in histogram_us.items():
        seen += count
        if seen >= rank:
            return float(bound) * GROWTH
    raise ValueError("an empty histogram has no percentile")


def vm_rss_mib(status_text):
    """`VmRSS` of a `/proc/PID/status` text, in MiB."""
    return int(re.search(r"^VmRSS:\s+(\d+) kB$", status_text, re.MULTILINE)[1]) / 1024


def rss_figures(samples):
    """Mean and peak of the resident-memory samples of a run, in MiB."""
    if not samples:
        raise ValueError("no resident-memory sample was taken")
    return {"rss_mean_mib": round(statistics.fmean(samples), 1), "rss_peak_mib": round(max(samples), 1)}


class RssSampler:
    """Reads a process's `VmRSS` every `interval` seconds on a thread of its own, from entering
    the `with` block to leaving it; `samples` holds the readings in MiB."""

    def __init__(self, pid, interval=RSS_INTERVAL):
        self.path, self.interval = Path(f"/proc/{pid}/status"), interval
        self.samples, self._stop = [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while True:
            try:
                self.samples.append(round(vm_rss_mib(self.path.read_text()), 1))
            except (OSError, TypeError):
                return
            if self._stop.wait(self.interval):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()


class CacheServer(Server):
    """A gc-heap server: `GET /cache` answers READS entries of its cache."""

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/cache"

    def check(self, entries):
        """Fails unless the server answers READS well-formed entries of a cache of `entries`."""
        with urllib.request.urlopen(self.url, timeout=5) as response:
            body, content_type, status = response.read(), response.headers.get("Content-Type", ""), response.status
        problems = check_answer(status, content_type, body, entries)
        if problems:
            raise RuntimeError(f"the {self.language.name} server answers wrongly: {', '.join(problems)}")


def check_answer(status, content_type, body, entries):
    """What is wrong with an answer of `GET /cache`, as a list of problems (empty when none)."""
    problems = [] if status == 200 else [f"status {status}"]
    if not content_type.startswith("application/json"):
        problems.append(f"Content-Type {content_type!r}")
    try:
        picked = json.loads(body)["entries"]
    except (ValueError, KeyError, TypeError):
        return problems + [f"body {body[:200]!r}"]
    if not isinstance(picked, list) or len(picked) != READS:
        return problems + [f"{len(picked) if isinstance(picked, list) else 'no'} entries instead of {READS}"]
    for entry in picked:
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(key, int) or not 0 <= key < entries or entry.get("name") != f"entry-{key}":
            problems.append(f"entry {entry!r}")
        elif entry.get("size") != len(entry["name"]) or not isinstance(entry.get("version"), int):
            problems.append(f"entry {entry!r}")
    return problems


def _start(setting, binary, entries):
    """Starts and checks a server; stops it again when the check fails."""
    server = CacheServer(setting.language, binary, env={"ENTRIES": str(entries), **setting.env}, ready_seconds=READY_SECONDS)
    try:
        server.check(entries)
    except BaseException:
        server.stop()
        raise
    return server


def _probe(wrk, setting, binary, params):
    """A short closed-loop run of one server at saturation: its throughput, and its peak memory."""
    server = _start(setting, binary, params["entries"])
    try:
        result = run_wrk(wrk, server, params["probe_seconds"], params["connections"])
        peak = server.memory_mib("VmHWM")
    finally:
        server.stop()
    log(f"probe {setting.name}: {result['rps']:.0f} req/s, peak memory {peak:.0f} MiB")
    return {key: result[key] for key in ("rps", "server_cpu", "client_cpu")} | {"peak_mib": round(peak, 1)}


def _one_run(oha, setting, binary, params, scratch, enforce, index):
    """One life of a server: started (its cache filled), warmed up, then loaded at each rate in
    turn while its resident memory is sampled; stopped whatever happens."""
    started = time.monotonic()
    server = _start(setting, binary, params["entries"])
    try:
        ready = time.monotonic() - started
        with RssSampler(server.process.pid) as sampler:
            low = params["rates"][str(RATES[0])]
            run_oha(oha, server, params["warmup"], params["connections"], low, scratch)
            by_rate = {}
            for percent in RATES:
                rate = params["rates"][str(percent)]

                def measure():
                    result = run_oha(oha, server, params["seconds"], params["connections"], rate, scratch)
                    return result | {"p9999": histogram_percentile(result["histogram_us"], 0.9999) / 1e3}

                by_rate[str(percent)] = gated(
                    measure,
                    lambda r: (
                        f"open loop {percent}% ({rate} req/s, {params['seconds']} s) {index + 1}/{params['runs']} "
                        f"{setting.name}: p50 {r['p50']:.3f} ms, p99 {r['p99']:.3f} ms, p99.9 {r['p999']:.3f} ms, "
                        f"p99.99 {r['p9999']:.3f} ms, server CPU {r['server_cpu']:.0%}, oha CPU {r['client_cpu']:.0%}"
                    ),
                    enforce,
                )
        rss = rss_figures(sampler.samples)
        log(f"{setting.name}: memory mean {rss['rss_mean_mib']:.0f} MiB, peak {rss['rss_peak_mib']:.0f} MiB")
        return {"ready_seconds": round(ready, 2), "open": by_rate, **rss, "rss_mib": sampler.samples, "rss_interval": RSS_INTERVAL}
    finally:
        server.stop()


def _measure(context):
    smoke = context.smoke
    enforce = not smoke
    params = {
        "entries": SMOKE_ENTRIES if smoke else ENTRIES,
        "reads": READS,
        "connections": CONNECTIONS,
        "probe_seconds": 1 if smoke else PROBE_SECONDS,
        "warmup": 1 if smoke else WARMUP_SECONDS,
        "seconds": 2 if smoke else OPEN_SECONDS,
        "runs": 1 if smoke else RUNS,
        "server_cpu": SERVER_CPU,
        "client_cpu": CLIENT_CPU,
        "gate": {"client_free": CLIENT_FREE, "attempts": ATTEMPTS, "enforced": enforce},
        "rss_interval": RSS_INTERVAL,
        "histogram_growth": GROWTH,
    }
    wrk, oha = context.tools["wrk"], context.tools["oha"]
    binaries = {language.id: language.build(PROGRAM) for language in context.languages}
    defaults = [Setting(language) for language in context.languages]
    probes = {setting.id: _probe(wrk, setting, binaries[setting.id], params) for setting in defaults}
    params["probe"] = probes
    params["rates"] = open_rates(min(probe["rps"] for probe in probes.values()))
    tuned = []
    for setting in defaults:
        if setting.id in TUNED:
            name, env = TUNED[setting.id]
            tuned.append(Setting(setting.language, name, env(probes[setting.id]["peak_mib"])))
    params["settings"] = {setting.id: {"language": setting.language.id, "env": setting.env} for setting in defaults + tuned}
    runs = interleaved(
        defaults + tuned,
        params["runs"],
        lambda setting, index: _one_run(oha, setting, binaries[setting.language.id], params, context.scratch, enforce, index),
    )
    counted_runs = {
        percent: counted({setting: [run["open"][str(percent)] for run in lives] for setting, lives in runs.items()}, enforce)
        for percent in RATES
    }
    measured = {}
    top = str(RATES[-1])
    for variant, suffix in ((None, ""), *((name, f"-{name}") for name in sorted({s.setting for s in tuned}))):
        # Each metric compares every language's defaults, or a tuned setting where a language has one.
        chosen = {
            setting.language.id: setting.id
            for setting in defaults + [s for s in tuned if s.setting == variant]
        }
        for percent in RATES:
            for key, _, _ in PERCENTILES:
                measured[f"open-{key}-{percent}{suffix}"] = {
                    language: [run[key] for run in counted_runs[percent][chosen_id]] for language, chosen_id in chosen.items()
                }
        measured[f"requests-per-cpu-second{suffix}"] = {
            language: [run["requests_per_cpu_second"] for run in counted_runs[RATES[-1]][chosen_id]]
            for language, chosen_id in chosen.items()
        }
        for key in ("rss_mean_mib", "rss_peak_mib"):
            measured[f"{key.removesuffix('_mib').replace('_', '-')}{suffix}"] = {
                language: [run[key] for run in runs[chosen_id]] for language, chosen_id in chosen.items()
            }
    params["top_rate"] = top
    return {"params": params, "runs": measured, "details": {"lives": runs}}


def params_limit(raw):
    """The memory limits a run set, as text."""
    limits = [
        f"{setting_id}: `GOMEMLIMIT={setting['env']['GOMEMLIMIT']}`"
        for setting_id, setting in raw["params"]["settings"].items()
        if "GOMEMLIMIT" in setting["env"]
    ]
    return "; ".join(limits) or "none set"


def _describe(raw):
    params, details = raw["params"], raw["details"]
    names = raw["environment"]["names"]
    settings = params["settings"]
    gate = params["gate"]
    rates = ", ".join(f"{percent}% ({params['rates'][str(percent)]:,} req/s)" for percent in RATES)
    per_run = f"{plural(params['runs'], 'run')} per server setting"
    entries = f"{params['entries']:,}"

    def label(setting_id):
        setting = settings[setting_id]
        env = " ".join(f"`{key}={value}`" for key, value in setting["env"].items())
        return names[setting["language"]] + (f" with {env}" if env else "")

    tuned = sorted({setting_id.removeprefix(f"{s['language']}-") for setting_id, s in settings.items() if s["env"]})
    server_cpu = ", ".join(
        f"{label(setting_id)} {median([a['server_cpu'] for life in lives for a in life['open'][str(RATES[-1])]]):.0%}"
        for setting_id, lives in details["lives"].items()
    )
    method = (
        f"Client and server share this machine over loopback (`127.0.0.1`): `taskset` pins the server to CPU "
        f"{params['server_cpu']} and `oha` to CPU {params['client_cpu']}. Each server fills a cache of {entries} "
        f"entries at start-up (a map from an integer key to a small record: a short string and three integers); "
        f"each `GET /cache` reads {params['reads']} random entries, replaces one with a new record (a new string, "
        f"the old one garbage) and answers the {params['reads']} as JSON. A closed-loop probe (`wrk`, "
        f"{params['connections']} connections, {params['probe_seconds']} s) of each server with its defaults sets "
        f"the rates: {rates} of the slower one's throughput. Then {per_run}, alternating settings: the server is "
        f"started afresh, warmed up for {params['warmup']} s at the lower rate, then loaded open loop with `oha` "
        f"at each rate for {params['seconds']} s, {params['connections']} connections, latency counted from when "
        f"each request was due (corrected for coordinated omission); every run's full latency histogram is in "
        f"the raw file. p50 to p99.9 are the nearest-rank percentiles of every request; p99.99 is read from the "
        f"histogram (the upper bound of its 1%-wide bucket). Resident memory (`VmRSS`) is read every "
        f"{params['rss_interval']} s from warm-up to the last request, every reading in the raw file. An "
        f"open-loop run counts when `oha` stayed below {gate['client_free']:.0%} of its core and sent every "
        f"request due; else it is run again, {gate['attempts']} times at most"
        + ("" if gate["enforced"] else "; a smoke run counts every run")
        + f". Median server CPU at {RATES[-1]}% load: {server_cpu}."
    )
    metrics = []
    for variant in (None, *tuned):
        suffix = f"-{variant}" if variant else ""
        compared = (
            "each language with its defaults"
            if not variant
            else f"{' and '.join(label(s) for s in settings if s.endswith(suffix))} against the others' defaults (the same runs as in the rows above)"
        )
        title = "" if not variant else f", {TITLES.get(variant, variant)}"
        for percent in RATES:
            rate = params["rates"][str(percent)]
            for key, name, _ in PERCENTILES:
                how = "from the histogram, at most 1% high" if key == "p9999" else "the nearest-rank percentile of every request"
                metrics.append(
                    metric(
                        raw,
                        f"open-{key}-{percent}{suffix}",
                        f"{name} latency at {percent}% load{title}",
                        "ms",
                        "lower",
                        f"`oha -q {rate} -z {params['seconds']}s --latency-correction`: {rate:,} requests per second "
                        f"whatever the server does, latency counted from when each request was due; {how}; "
                        f"{compared}; {per_run}.",
                    )
                )
        metrics.append(
            metric(
                raw,
                f"requests-per-cpu-second{suffix}",
                f"Requests per server CPU-second at {RATES[-1]}% load{title}",
                "req/CPU-s",
                "higher",
                f"Requests answered in an open-loop run at {RATES[-1]}% load over the CPU time (user plus system, all "
                f"its threads, a collector's included) the server used in it; {compared}; {per_run}.",
            )
        )
        for key, name, what in (("rss-mean", "Mean", "mean"), ("rss-peak", "Peak", "largest")):
            metrics.append(
                metric(
                    raw,
                    f"{key}{suffix}",
                    f"{name} resident memory under load{title}",
                    "MiB",
                    "lower",
                    f"The {what} of the `VmRSS` readings taken every {params['rss_interval']} s over a server's "
                    f"life under load (warm-up and every rate); {compared}; {per_run}.",
                )
            )
    return {
        "title": "Collector under a live heap",
        "description": (
            f"A server holding a cache of {entries} small entries (at {ENTRIES:,}, about 1.2 to 1.4 GB resident "
            "in either language after start-up) that reads and allocates on every request: its latency from p50 to p99.99 at fixed request "
            "rates below saturation, and its resident memory over the run. Go with its defaults and with the "
            f"memory limit its GC guide describes ({GC_GUIDE}); Rust with its default allocator and no collector."
        ),
        "limits": (
            "This machine has two cores: the server is pinned to one and `oha` to the other, and Go's collector "
            "shares the server's core with the code it collects for (`GOMAXPROCS=1`), so a collection's work shows "
            "up as latency on that core instead of running beside it on a spare one; a server with idle cores "
            "would hide more of it. The client shares the machine too: its own pauses, and the kernel's, fall in "
            "the tail, and a p99.99 rests on a few dozen requests per run (the slowest 0.01% of a minute at a few "
            "thousand requests per second), so it says more about this machine than about a language unless "
            f"the difference is large. A full run keeps to about {WORKLOAD_MINUTES} minutes: {ENTRIES:,} entries, "
            f"{len(RATES)} rates, {OPEN_SECONDS} s per rate, {plural(RUNS, 'run')} per setting, each server started "
            "afresh (filling the cache takes about 15 s on one core); more runs or longer runs would narrow the "
            "intervals. One kind of request, no database, no real "
            "network. The rates are low shares of the slower server's throughput because `oha`, on one core, "
            "reaches its own limit at about 25,000 requests per second on this machine."
        ),
        "headline": f"open-p999-{RATES[-1]}",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                f"actix-web {raw['environment']['crates'].get('rust', {}).get('actix-web', '4')} "
                f"(`default-features = false`, only its `macros` feature, as in `http-json`) with serde, the "
                f"standard library's `HashMap` behind a `Mutex`, the default allocator, `cargo build --release`; "
                f"{ONE_THREAD_TEXT['rust']}."
            ),
            "go": (
                f"`net/http` and `encoding/json` from the standard library, a `map` behind a `sync.Mutex`, "
                f"`CGO_ENABLED=0 go build`; {ONE_THREAD_TEXT['go']}; run with the defaults (`GOGC=100`, no memory "
                f"limit) and with `GOGC=off` and `GOMEMLIMIT` at {LIMIT_FACTOR} times the peak resident memory the server "
                f"reached with its defaults in the probe: the memory limit of Go's GC guide ({GC_GUIDE}#Memory_limit), "
                f"with the proportional collector off so that it collects only as the memory in use nears the limit. "
                f"That peak is at least the live heap, and the defaults let the heap grow to twice the live heap "
                f"before collecting, so the limit gives the collector no less room than the defaults: the guide's "
                f"trade of memory for less collector work, on a machine with memory to spare ("
                f"{params_limit(raw)})."
            ),
        },
        "sources": [
            HARNESS_SOURCE,
            {"title": "A Guide to the Go Garbage Collector", "url": GC_GUIDE},
            OHA_SOURCE,
            WRK_SOURCE,
        ],
        "metrics": metrics,
    }


WORKLOAD = Workload(
    id=PROGRAM,
    summary="Collector under a live heap: open-loop latency to p99.99 and memory of a server with a large cache",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    tools=("wrk", "oha", "taskset"),
    minutes=WORKLOAD_MINUTES,
)
