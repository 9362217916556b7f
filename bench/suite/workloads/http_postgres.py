"""HTTP + PostgreSQL: TechEmpower's database tests (`/db`, `/queries?n=20`, `/fortunes`) served
by each language's usual stack from a private PostgreSQL cluster the runner starts, loads and
always removes (`postgres.Cluster`). Per endpoint, http-json's method: closed-loop throughput with
wrk (gated), open-loop latency with oha at a fixed rate below the slower server's throughput, and
requests per server CPU-second; and where the time goes: the server's CPU time beside the
database's, both on the one core they share."""

import html
import json
import re
import urllib.request

from ..dataset import median
from ..machine import CLIENT_CPU, SERVER_CPU, interleaved
from ..postgres import EXTRA_FORTUNE, FORTUNES, WORLD_ROWS, Cluster, cpu_seconds_of
from ..report import log
from ..servers import ONE_THREAD_TEXT, Server
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural
from .http_json import (
    ATTEMPTS,
    CLIENT_FREE,
    GROWTH,
    OHA_SOURCE,
    SERVER_BUSY,
    WRK_SOURCE,
    client_bound,
    counted,
    gated,
    run_oha,
    run_wrk,
    saturated,
)

PROGRAM = "http-postgres"
# Connections of each server's database pool, the same in both languages.
POOL_SIZE = 16
CONNECTIONS = 64
QUERIES = 20
# TechEmpower's bounds on the query count: a missing or unreadable count is 1, and a count is
# clamped to 1..500.
MOST_QUERIES = 500
ENDPOINTS = {"db": "/db", "queries": f"/queries?n={QUERIES}", "fortunes": "/fortunes"}
ENDPOINT_NAMES = {"db": "one row (`/db`)", "queries": f"{QUERIES} rows (`/queries?n={QUERIES}`)", "fortunes": "fortunes (`/fortunes`)"}
# The open-loop rate, as a share of the slower server's closed-loop throughput on each endpoint
# (as in http-json, where `oha` on its one core could not keep a faster schedule).
RATE = 25
# A full run, per endpoint: a warm-up of each server, RUNS closed-loop runs of DURATION s and
# OPEN_RUNS open-loop runs of OPEN_SECONDS s per server: about 3 minutes an endpoint, 10 for the
# three, plus the builds and the cluster (a few seconds).
WARMUP = 5
DURATION = 10
RUNS = 3
OPEN_SECONDS = 20
OPEN_RUNS = 3
WORKLOAD_MINUTES = 12

TECHEMPOWER_TESTS = "https://github.com/TechEmpower/FrameworkBenchmarks/wiki/Project-Information-Framework-Tests-Overview"


def query_count(text):
    """The number of rows `/queries?n=TEXT` must answer, by TechEmpower's rules."""
    try:
        return min(max(int(text), 1), MOST_QUERIES)
    except (TypeError, ValueError):
        return 1


def world_problems(value):
    """What is wrong with one World row as JSON (`{"id": …, "randomNumber": …}`)."""
    if not isinstance(value, dict) or set(value) != {"id", "randomNumber"}:
        return [f"row {value!r}"]
    if not all(isinstance(value[key], int) and 1 <= value[key] <= WORLD_ROWS for key in value):
        return [f"row {value!r}"]
    return []


def rows_problems(body, rows):
    """What is wrong with an answer of `/queries`: a JSON array of `rows` World rows."""
    try:
        value = json.loads(body)
    except ValueError:
        return [f"body {body[:200]!r}"]
    if not isinstance(value, list) or len(value) != rows:
        return [f"{len(value) if isinstance(value, list) else 'no'} rows instead of {rows}"]
    return [problem for row in value for problem in world_problems(row)]


def one_row_problems(body):
    """What is wrong with an answer of `/db`: one World row as a JSON object."""
    try:
        return world_problems(json.loads(body))
    except ValueError:
        return [f"body {body[:200]!r}"]


def expected_fortunes():
    """The rows `/fortunes` must show, in order: the table's and the one added, by message."""
    return sorted([*FORTUNES, (0, EXTRA_FORTUNE)], key=lambda row: row[1])


ROW = re.compile(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", re.DOTALL)


def fortunes_problems(body):
    """What is wrong with an answer of `/fortunes`: every row, sorted by message, in an HTML
    table whose text is escaped (no markup from the table's data reaches the page)."""
    text = body.decode(errors="replace")
    problems = []
    if "<script" in text.lower():
        problems.append("the <script> fortune is not escaped")
    shown = [(cell_id.strip(), html.unescape(message)) for cell_id, message in ROW.findall(re.sub(r">\s+<", "><", text))]
    wanted = [(str(number), message) for number, message in expected_fortunes()]
    if shown != wanted:
        problems.append(f"fortune rows {shown[:3]!r}… instead of the {len(wanted)} expected, sorted by message")
    return problems


def answer_problems(endpoint, status, content_type, body):
    """What is wrong with an answer of one endpoint, as a list (empty when none)."""
    problems = [] if status == 200 else [f"status {status}"]
    wanted = "text/html" if endpoint == "fortunes" else "application/json"
    if not content_type.startswith(wanted):
        problems.append(f"Content-Type {content_type!r}")
    if endpoint == "db":
        return problems + one_row_problems(body)
    if endpoint == "fortunes":
        return problems + fortunes_problems(body)
    return problems + rows_problems(body, query_count(endpoint.partition("?n=")[2] or None))


# The query counts checked beside the measured one: TechEmpower's edge cases.
QUERY_CHECKS = (f"?n={QUERIES}", "?n=0", "?n=foo", "", f"?n={MOST_QUERIES + 1}")


class DatabaseServer(Server):
    """A server of `bench/http-postgres/`, given the cluster and the pool size."""

    def __init__(self, language, binary, database_url, pool_size=POOL_SIZE):
        super().__init__(language, binary, env={"DATABASE_URL": database_url, "POOL_SIZE": str(pool_size)})

    def url_of(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def check(self):
        """Fails unless every endpoint answers as TechEmpower's tests require."""
        paths = {"db": "/db", "fortunes": "/fortunes"} | {f"queries{query}": f"/queries{query}" for query in QUERY_CHECKS}
        problems = []
        for endpoint, path in paths.items():
            with urllib.request.urlopen(self.url_of(path), timeout=10) as response:
                found = answer_problems(endpoint, response.status, response.headers.get("Content-Type", ""), response.read())
            problems += [f"{path}: {problem}" for problem in found]
        if problems:
            raise RuntimeError(f"the {self.language.name} server answers wrongly: {'; '.join(problems)}")


class Target:
    """What a load generator loads: one endpoint of a server, and the core the server shares
    with the database. Its `cpu_seconds` is both's, so http-json's gate reads that core."""

    def __init__(self, server, cluster, endpoint):
        self.server, self.cluster, self.endpoint = server, cluster, endpoint

    @property
    def url(self):
        return self.server.url_of(ENDPOINTS[self.endpoint])

    def cpu_seconds(self):
        """The server's and the database's CPU time so far, each read to the nanosecond where the
        kernel shows it (`postgres.cpu_seconds_of`): a short smoke run reads above zero."""
        return cpu_seconds_of(self.server.process.pid) + self.cluster.cpu_seconds()


def split_cpu(result, database_seconds, seconds):
    """A run's figures with the core's CPU time split: `core_cpu` the server's and database's
    share of the core together (what the gate read), `server_*` the server's alone,
    `database_*` the cluster's, and `database_share` the database's part of the core's work."""
    core_seconds = result["server_cpu_seconds"]
    server_seconds = max(core_seconds - database_seconds, 0.0)
    return result | {
        "core_cpu": result["server_cpu"],
        "server_cpu_seconds": round(server_seconds, 3),
        "server_cpu": round(server_seconds / seconds, 4),
        "database_cpu_seconds": round(database_seconds, 3),
        "database_cpu": round(database_seconds / seconds, 4),
        "database_share": round(database_seconds / core_seconds, 4) if core_seconds else 0.0,
    }


def measured_wrk(wrk, target, seconds, connections):
    """One wrk run (http-json's, gated on the shared core) with the core's CPU time split."""
    before = target.cluster.cpu_seconds()
    result = run_wrk(wrk, target, seconds, connections)
    return split_cpu(result, target.cluster.cpu_seconds() - before, result["seconds"])


def measured_oha(oha, target, seconds, connections, rate, scratch):
    """One oha run at a fixed rate with the core's CPU time split, and requests per CPU-second
    of the server alone."""
    before = target.cluster.cpu_seconds()
    result = run_oha(oha, target, seconds, connections, rate, scratch)
    result = split_cpu(result, target.cluster.cpu_seconds() - before, seconds)
    server, requests = result["server_cpu_seconds"], result["requests"]
    return result | {
        "requests_per_cpu_second": requests / server if server else 0.0,
        "database_us_per_request": 1e6 * result["database_cpu_seconds"] / requests if requests else 0.0,
    }


def _measure(context):
    smoke = context.smoke
    enforce = not smoke
    params = {
        "endpoints": ENDPOINTS,
        "pool_size": POOL_SIZE,
        "connections": CONNECTIONS,
        "warmup": 1 if smoke else WARMUP,
        "duration": 1 if smoke else DURATION,
        "runs": 1 if smoke else RUNS,
        "open_seconds": 2 if smoke else OPEN_SECONDS,
        "open_runs": 1 if smoke else OPEN_RUNS,
        "open_percent": RATE,
        "server_cpu": SERVER_CPU,
        "database_cpu": SERVER_CPU,
        "client_cpu": CLIENT_CPU,
        "gate": {"server_busy": SERVER_BUSY, "client_free": CLIENT_FREE, "attempts": ATTEMPTS, "enforced": enforce},
        "histogram_growth": GROWTH,
    }
    wrk, oha = context.tools["wrk"], context.tools["oha"]
    binaries = {language.id: language.build(PROGRAM) for language in context.languages}
    closed_attempts, open_attempts, closed_runs, open_runs, params["rates"] = {}, {}, {}, {}, {}
    with Cluster(context.tools["postgres"], SERVER_CPU) as cluster:
        log(f"PostgreSQL cluster ready in {cluster.folder}: {cluster.query('SELECT version()')}")
        params["postgres"] = cluster.query("SHOW server_version")
        params["database_group_nice"] = cluster.group_nice
        servers = {}
        try:
            for language in context.languages:
                servers[language.id] = DatabaseServer(language, binaries[language.id], cluster.url)
                servers[language.id].check()
            for endpoint in ENDPOINTS:
                targets = {language: Target(server, cluster, endpoint) for language, server in servers.items()}
                for language in context.languages:
                    log(f"warm-up {endpoint}: {language.name}, {params['warmup']} s")
                    run_wrk(wrk, targets[language.id], params["warmup"], CONNECTIONS)

                def closed(language, index, endpoint=endpoint, targets=targets):
                    return gated(
                        lambda: measured_wrk(wrk, targets[language.id], params["duration"], CONNECTIONS),
                        lambda r: (
                            f"{endpoint} closed loop {index + 1}/{params['runs']} {language.name}: {r['rps']:.0f} req/s, "
                            f"p99 {r['p99']:.3f} ms, core {r['core_cpu']:.0%} (server {r['server_cpu']:.0%}, "
                            f"database {r['database_cpu']:.0%}), wrk CPU {r['client_cpu']:.0%}"
                        ),
                        enforce,
                    )

                closed_attempts[endpoint] = interleaved(context.languages, params["runs"], closed)
                closed_runs[endpoint] = {
                    language: saturated(runs) for language, runs in counted(closed_attempts[endpoint], enforce).items()
                }
                rate = max(1, round(min(median([run["rps"] for run in runs]) for runs in closed_runs[endpoint].values()) * RATE / 100))
                params["rates"][endpoint] = rate

                def one(language, index, endpoint=endpoint, targets=targets, rate=rate):
                    return gated(
                        lambda: measured_oha(oha, targets[language.id], params["open_seconds"], CONNECTIONS, rate, context.scratch),
                        lambda r: (
                            f"{endpoint} open loop {rate} req/s {index + 1}/{params['open_runs']} {language.name}: "
                            f"p50 {r['p50']:.3f} ms, p99 {r['p99']:.3f} ms, p99.9 {r['p999']:.3f} ms, server CPU "
                            f"{r['server_cpu']:.0%}, database {r['database_cpu']:.0%}, oha CPU {r['client_cpu']:.0%}"
                        ),
                        enforce,
                    )

                open_attempts[endpoint] = interleaved(context.languages, params["open_runs"], one)
                open_runs[endpoint] = counted(open_attempts[endpoint], enforce)
            peak = {language: [server.memory_mib("VmHWM")] for language, server in servers.items()}
        finally:
            for server in servers.values():
                server.stop()
            # The cluster daemonizes, so the runner never waits for it: its CPU time is the
            # workload's own, which the quiet gate must not count as other work.
            context.detached_cpu_seconds += cluster.cpu_seconds()

    def pick(runs, key):
        return {language: [run[key] for run in results] for language, results in runs.items()}

    def every(attempts):
        return {language: [attempt for slot in slots for attempt in slot] for language, slots in attempts.items()}

    measured = {"peak-rss": peak}
    for endpoint in ENDPOINTS:
        measured[f"throughput-{endpoint}"] = pick(closed_runs[endpoint], "rps")
        measured[f"database-share-{endpoint}"] = {
            language: [100 * share for share in shares] for language, shares in pick(closed_runs[endpoint], "database_share").items()
        }
        measured[f"requests-per-cpu-second-{endpoint}"] = pick(open_runs[endpoint], "requests_per_cpu_second")
        measured[f"database-cpu-per-request-{endpoint}"] = pick(open_runs[endpoint], "database_us_per_request")
        for key in ("p50", "p99", "p999"):
            measured[f"open-{key}-{endpoint}"] = pick(open_runs[endpoint], key)
    params["client_bound"] = {
        endpoint: sorted(language for language, runs in closed_runs[endpoint].items() if client_bound(runs)) for endpoint in ENDPOINTS
    }
    details = {
        # Every attempt, counted or not, in the order run; an open-loop one with its full histogram.
        "closed_attempts": {endpoint: every(closed_attempts[endpoint]) for endpoint in ENDPOINTS},
        "open_attempts": {endpoint: every(open_attempts[endpoint]) for endpoint in ENDPOINTS},
    }
    return {"params": params, "runs": measured, "details": details}


def _counted_median(runs, key, enforced):
    return median([run[key] for run in runs if run["gate"] or not enforced])


def _describe(raw):
    params, details = raw["params"], raw["details"]
    names = raw["environment"]["names"]
    gate = params["gate"]
    crates = raw["environment"].get("crates", {})
    per_run = f"{plural(params['runs'], 'run')} of {params['duration']} s per server"
    open_per_run = f"{plural(params['open_runs'], 'run')} of {params['open_seconds']} s per server"
    rates = ", ".join(f"`{ENDPOINTS[endpoint]}` {rate:,} req/s" for endpoint, rate in params["rates"].items())

    def where_time_goes(endpoint):
        closed = details["closed_attempts"][endpoint]
        return ", ".join(
            f"{names[language]} server {_counted_median(runs, 'server_cpu', gate['enforced']):.0%} and database "
            f"{_counted_median(runs, 'database_cpu', gate['enforced']):.0%} of the core"
            for language, runs in closed.items()
        )

    shares = "; ".join(f"`{ENDPOINTS[endpoint]}`: {where_time_goes(endpoint)}" for endpoint in ENDPOINTS)
    rejected = sum(
        not run["gate"]
        for kind in ("closed_attempts", "open_attempts")
        for by_language in details[kind].values()
        for runs in by_language.values()
        for run in runs
    )
    bound = sorted({(names[language], endpoint) for endpoint, languages in params["client_bound"].items() for language in languages})
    method = (
        f"A private PostgreSQL {params['postgres']} cluster, started by the runner in a temporary folder "
        f"(`initdb`, `pg_ctl`; a Unix socket in that folder, no TCP) and removed afterwards, holds TechEmpower's "
        f"`World` table ({WORLD_ROWS:,} rows) and `Fortune` table ({len(FORTUNES)} rows). `taskset` pins each server "
        f"and every PostgreSQL process to CPU {params['server_cpu']}, and the load generator to CPU "
        f"{params['client_cpu']}: server and database share one core, the client has the other. PostgreSQL runs "
        f"in a session of its own (`pg_ctl` starts it so), whose scheduling group "
        + (f"was given the runner's niceness ({params['database_group_nice']})" if params.get("database_group_nice") is not None
           else "could not be read or changed here")
        + f". Both servers run "
        f"side by side, each with a pool of {params['pool_size']} database connections, and answer HTTP on "
        f"loopback (`127.0.0.1`). Per endpoint: closed loop with `wrk`, 1 thread, {params['connections']} "
        f"connections, a {params['warmup']} s warm-up per server, then {per_run}, alternating servers; open loop "
        f"with `oha` at {params['open_percent']}% of the slower server's median throughput ({rates}), "
        f"{params['connections']} connections, latency counted from when each request was due (corrected for "
        f"coordinated omission), {open_per_run}, alternating servers; every open-loop run's full latency "
        f"histogram is in the raw file. A closed-loop run counts when the shared core was at least "
        f"{gate['server_busy']:.0%} busy (server and database together) and `wrk` below {gate['client_free']:.0%} "
        f"of its own, or `wrk` reached {gate['client_free']:.0%} (then its throughput is a lower bound); an "
        f"open-loop run counts when `oha` stayed below {gate['client_free']:.0%} of its core and sent every "
        f"request due; a run that fails is run again, {gate['attempts']} times at most"
        + (f", and {plural(rejected, 'run')} failed and did not count" if gate["enforced"] else "; a smoke run counts every run")
        + ". CPU time is read from `/proc`: the server's process, and the cluster's (the postmaster, with its "
        f"exited children, and every running child) over each run. Where the time went at saturation (medians of "
        f"the counted closed-loop runs): {shares}."
    )
    descriptive_share = (
        "where the shared core's time went, not a verdict: a higher database share means a cheaper server, "
        "since both draw on the same core."
    )
    metrics = []
    for endpoint in ENDPOINTS:
        label, path, rate = ENDPOINT_NAMES[endpoint], ENDPOINTS[endpoint], params["rates"][endpoint]
        bound_here = [name for name, where in bound if where == endpoint]
        metrics.append(
            metric(
                raw,
                f"throughput-{endpoint}",
                f"Requests per second, {label}",
                "req/s",
                "higher",
                f"`wrk` at saturation of the core the server shares with PostgreSQL, {per_run}.",
                descriptive=(
                    f"`wrk` used its whole core for {' and '.join(bound_here)}: a lower bound, no verdict." if bound_here else None
                ),
            )
        )
        metrics.append(
            metric(
                raw,
                f"database-share-{endpoint}",
                f"PostgreSQL's share of the core at saturation, {label}",
                "%",
                "lower",
                f"The cluster's CPU time over the CPU time of the server and the cluster together, in the counted "
                f"closed-loop runs of `{path}`: {per_run}.",
                descriptive=descriptive_share,
            )
        )
        metrics.append(
            metric(
                raw,
                f"requests-per-cpu-second-{endpoint}",
                f"Requests per server CPU-second, {label}",
                "req/CPU-s",
                "higher",
                f"Requests answered in an open-loop run at {rate:,} req/s (the same offered load for both servers) "
                f"over the CPU time the server process alone used in it (user plus system, all its threads; the "
                f"database's is not counted): the server's own work per request; {open_per_run}.",
            )
        )
        metrics.append(
            metric(
                raw,
                f"database-cpu-per-request-{endpoint}",
                f"PostgreSQL CPU time per request, {label}",
                "µs",
                "lower",
                f"The cluster's CPU time in an open-loop run at {rate:,} req/s over the requests answered: the "
                f"database's work for one request, which the same queries should make alike whichever server "
                f"sends them; {open_per_run}.",
            )
        )
        for key, name in (("p50", "p50"), ("p99", "p99"), ("p999", "p99.9")):
            metrics.append(
                metric(
                    raw,
                    f"open-{key}-{endpoint}",
                    f"{name} latency at {params['open_percent']}% load, {label}",
                    "ms",
                    "lower",
                    f"`oha -q {rate} -z {params['open_seconds']}s --latency-correction`: {rate:,} requests per second "
                    f"whatever the server does, latency counted from when each request was due; the nearest-rank "
                    f"percentile of every request of a run; {open_per_run}.",
                )
            )
    metrics.append(
        metric(
            raw,
            "peak-rss",
            "Peak memory (VmHWM)",
            "MiB",
            "lower",
            "Peak resident set size (`VmHWM` in `/proc/PID/status`) of the server process after every run of "
            "every endpoint; the database's memory is not counted; one reading per server.",
        )
    )
    rust, go = crates.get("rust", {}), crates.get("go", {})
    return {
        "title": "HTTP + PostgreSQL",
        "description": (
            "TechEmpower's database tests served by each language's usual stack from a real PostgreSQL: one random "
            f"row as JSON (`/db`), {QUERIES} rows one query at a time (`/queries?n={QUERIES}`), and fortunes "
            "(`/fortunes`: every row of a table and one added at request time, sorted, rendered as escaped "
            "HTML). Per endpoint: throughput at saturation, latency at a fixed rate below it, the server's CPU "
            "time per request, and the database's share of the work: when the database's share is large, the "
            "language's is small, and so is any difference between languages."
        ),
        "limits": (
            (f"`wrk` could not saturate {', '.join(f'{name} on `{ENDPOINTS[where]}`' for name, where in bound)}: a "
             "lower bound there. " if bound else "")
            + "This machine has two cores: the server and PostgreSQL share one, `wrk` or `oha` has the other. So "
            "the database's work takes CPU time from the server that asked for it, and throughput is that of "
            "server and database together on one core, not of a server with a database machine of its own; a "
            "faster server leaves more of the core to PostgreSQL. The database is local (a Unix socket, no "
            "network round trip), its tables fit in memory and nothing writes: no disk, no locks. One server "
            "thread and no multi-core scaling; the same pool size for both, not each stack's best. Compare the "
            "ratios; the absolute numbers belong to this machine."
        ),
        "headline": "throughput-db",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                f"actix-web {rust.get('actix-web', '4')} (`default-features = false`, only its `macros` feature, as "
                f"in `http-json`), tokio-postgres {rust.get('tokio-postgres', '0.7')} with deadpool-postgres "
                f"{rust.get('deadpool-postgres', '0.14')} (a pool of {params['pool_size']} connections, opened as needed, "
                f"one taken per request, prepared statements cached per connection), askama {rust.get('askama', '0.14')} for the HTML, "
                f"`cargo build --release`; {ONE_THREAD_TEXT['rust']}."
            ),
            "go": (
                f"`net/http`, `encoding/json` and `html/template` from the standard library with pgx "
                f"{go.get('github.com/jackc/pgx/v5', 'v5')} and its `pgxpool` ({params['pool_size']} connections, "
                f"opened at start-up, one taken per query with `pool.QueryRow`; pgx prepares and caches statements "
                f"itself), `CGO_ENABLED=0 go build`; "
                f"{ONE_THREAD_TEXT['go']}."
            ),
        },
        "sources": [
            HARNESS_SOURCE,
            {"title": "TechEmpower Framework Benchmarks: test type requirements (single query, multiple queries, fortunes)", "url": TECHEMPOWER_TESTS},
            WRK_SOURCE,
            OHA_SOURCE,
        ],
        "metrics": metrics,
    }


WORKLOAD = Workload(
    id=PROGRAM,
    summary="HTTP + PostgreSQL: TechEmpower's database tests, throughput, latency and where the CPU time goes",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    tools=("wrk", "oha", "taskset", "postgres"),
    minutes=WORKLOAD_MINUTES,
    # Server and database share one core. Raised to nice -20, each side's wakeup preempted the
    # other at once: on 2026-12-08, at 100% of the core either way, Rust's /db server answered
    # 12,900 requests per second instead of 27,600, and the machine took 19,600 interrupts per
    # second instead of 2,300. The quiet gate keeps other work off the machine instead.
    raise_priority=False,
)
