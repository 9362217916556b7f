"""Memory per connection: the http-json servers' resident memory with N keep-alive connections
open and idle, then with the same connections each sending a request at a low rate.

Each run starts a fresh server (pinned to the server CPU, one thread of its code, as in
http-json), reads its VmRSS, opens N connections that each make one request and then wait (idle),
reads VmRSS again, sends a request on every connection in a few paced sweeps (active), and reads
it once more. Bytes per connection are the growth over the server's own memory divided by N.
Every socket is closed and the server stopped when a run ends, however it ends."""

import contextlib
import resource
import select
import socket
import time

from ..machine import SERVER_CPU, Failed, interleaved
from ..report import log
from ..servers import BODY, ONE_THREAD_TEXT, PROGRAM, Server
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural, visible_cores

CONNECTIONS = 10_000
SMOKE_CONNECTIONS = 1_000
RUNS = 5
# The active phase: SWEEPS rounds, each sending one request on every connection, spread evenly
# over SWEEP_SECONDS, so each connection sends one request every SWEEP_SECONDS.
SWEEPS = 3
SWEEP_SECONDS = 2.0
# A pause before each memory reading, for the server to finish what the last requests started.
SETTLE_SECONDS = 0.5
# Open files the runner needs beside the connections (its own files, pipes, the servers' ones).
SPARE_FILES = 256
REQUEST = b"GET /json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
KIB = 1024


def per_connection(before_kib, after_kib, count):
    """Bytes of resident memory per connection: the growth from `before_kib` to `after_kib`
    over `count` connections. Fails when memory did not grow, which leaves nothing to divide."""
    if after_kib <= before_kib:
        raise Failed(f"the server's memory did not grow with {count:,} connections ({before_kib:,} kB, then {after_kib:,} kB)")
    return (after_kib - before_kib) * KIB / count


def raise_open_files(needed, limits=resource):
    """Raises this process's soft limit of open files (RLIMIT_NOFILE) to its hard limit, which the
    servers it starts inherit; returns the soft limit it had. Fails, saying how to raise it, when
    even the hard limit is below `needed`."""
    soft, hard = limits.getrlimit(limits.RLIMIT_NOFILE)
    if hard != limits.RLIM_INFINITY and hard < needed:
        raise Failed(
            f"{needed:,} open files are needed ({needed - SPARE_FILES:,} connections and the runner's own), but the hard "
            f"limit of open files (RLIMIT_NOFILE) is {hard:,} and only root can raise it: raise it (`ulimit -Hn {needed}` "
            f"as root, `LimitNOFILE=` for a service, or /etc/security/limits.conf) and run again"
        )
    if soft != hard:
        limits.setrlimit(limits.RLIMIT_NOFILE, (hard, hard))
    return soft


def read_response(sock):
    """Reads one HTTP/1.1 response from a socket and fails unless it is TechEmpower's JSON answer."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise Failed(f"the server closed a connection before answering (after {len(data)} bytes)")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
    length = next((int(value) for name, value in headers.items() if name.strip().lower() == "content-length"), None)
    if not lines[0].startswith("HTTP/1.1 200") or length is None:
        raise Failed(f"the server answered {lines[0]!r} without the expected status and Content-Length")
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            raise Failed("the server closed a connection in the middle of a response")
        body += chunk
    if body != BODY:
        raise Failed(f"the server answered {body!r}")


def _open(port, count, clients):
    """Opens `count` connections, each making one request, into the list `clients`."""
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        clients.append(sock)
        sock.sendall(REQUEST)
        read_response(sock)


def _sweep(clients, seconds, batches=100):
    """Sends one request on every connection, in `batches` groups spread evenly over `seconds`,
    and reads every answer. Returns how late the sweep ended, in seconds (0 when on time)."""
    start = time.monotonic()
    size = max(1, -(-len(clients) // batches))
    for index in range(0, len(clients), size):
        due = start + seconds * index / len(clients)
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        group = clients[index : index + size]
        for sock in group:
            sock.sendall(REQUEST)
        for sock in group:
            read_response(sock)
    return max(0.0, time.monotonic() - start - seconds)


def closed_by_server(clients):
    """How many of the connections the server has closed (or sent something unasked on): those
    readable while no request is pending."""
    poller = select.poll()
    for sock in clients:
        poller.register(sock, select.POLLIN | select.POLLHUP | select.POLLERR)
    return len(poller.poll(0))


def _ensure_open(clients, when):
    closed = closed_by_server(clients)
    if closed:
        raise Failed(
            f"the server closed {closed:,} of {len(clients):,} connections {when} (a keep-alive timeout?), "
            f"so its memory no longer holds them all"
        )


def _rss_kib(server, field="VmRSS"):
    return round(server.memory_mib(field) * KIB)


def one_run(language, binary, count, sweeps, sweep_seconds=SWEEP_SECONDS, settle=SETTLE_SECONDS):
    """One run on a fresh server: its memory alone, with `count` idle connections, and with them
    active. Every socket is closed and the server stopped when it ends, failed or not."""
    server, clients = None, []
    try:
        server = Server(language, binary)
        server.check()
        time.sleep(settle)
        before = _rss_kib(server)
        started = time.monotonic()
        _open(server.port, count, clients)
        opened = time.monotonic() - started
        time.sleep(settle)
        idle = _rss_kib(server)
        _ensure_open(clients, "while they were idle")
        late = max((_sweep(clients, sweep_seconds) for _ in range(sweeps)), default=0.0)
        time.sleep(settle)
        active = _rss_kib(server)
        _ensure_open(clients, "while they were active")
        return {
            "before_kib": before,
            "idle_kib": idle,
            "active_kib": active,
            "peak_kib": _rss_kib(server, "VmHWM"),
            "open_seconds": round(opened, 3),
            "sweep_late_seconds": round(late, 3),
            "idle_bytes": per_connection(before, idle, count),
            "active_bytes": per_connection(before, active, count),
        }
    finally:
        for sock in clients:
            sock.close()
        if server is not None:
            server.stop()


def _measure(context):
    count = SMOKE_CONNECTIONS if context.smoke else CONNECTIONS
    params = {
        "connections": count,
        "runs": 1 if context.smoke else RUNS,
        "sweeps": SWEEPS,
        "sweep_seconds": SWEEP_SECONDS,
        "settle_seconds": SETTLE_SECONDS,
        "server_cpu": SERVER_CPU,
        "cores": visible_cores(),
    }
    needed = count + SPARE_FILES
    soft = raise_open_files(needed)
    params["open_files"] = {"soft_before": soft, "limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0], "needed": needed}
    log(f"open files: soft limit {soft:,} raised to {params['open_files']['limit']:,} (needs {needed:,})")
    try:
        binaries = {language.id: language.build(PROGRAM) for language in context.languages}

        def one(language, index):
            run = one_run(language, binaries[language.id], count, SWEEPS)
            log(
                f"run {index + 1}/{params['runs']} {language.name}: {run['before_kib'] / KIB:.1f} MiB alone, "
                f"{run['idle_kib'] / KIB:.1f} MiB with {count:,} idle connections ({run['idle_bytes']:,.0f} B each, "
                f"opened in {run['open_seconds']:.1f} s), {run['active_kib'] / KIB:.1f} MiB active "
                f"({run['active_bytes']:,.0f} B each)"
            )
            return run

        results = interleaved(context.languages, params["runs"], one)
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    def pick(key):
        return {language: [run[key] for run in runs] for language, runs in results.items()}

    return {
        "params": params,
        "runs": {"idle-bytes": pick("idle_bytes"), "active-bytes": pick("active_bytes")},
        "details": {"runs": results},
    }


def _describe(raw):
    params = raw["params"]
    count, runs = params["connections"], plural(params["runs"], "run")
    sweep = params["sweep_seconds"]
    method = (
        f"Each run starts a fresh server pinned by `taskset` to CPU {params['server_cpu']} with one thread of its "
        f"code (as in `http-json`), checks its answer, and reads its resident memory (`VmRSS` of "
        f"`/proc/PID/status`) alone; the runner (Python, on the same machine, over loopback) then opens "
        f"{count:,} connections one after the other, each making one `GET /json` and keeping the connection "
        f"open, and reads `VmRSS` {params['settle_seconds']:g} s after the last (idle); then it sends a request "
        f"on every connection in {params['sweeps']} sweeps, each spread evenly over {sweep:g} s (one request per "
        f"connection every {sweep:g} s, {count / sweep:,.0f} requests per second in all), and reads `VmRSS` "
        f"again (active). Before each reading the runner checks that the server has closed none of the "
        f"connections. {runs} per server, alternating servers; the soft limit of open files was raised from "
        f"{params['open_files']['soft_before']:,} to {params['open_files']['limit']:,}."
    )
    note = (
        "The growth of the server's resident memory (`VmRSS`) over its memory alone, divided by the "
        f"{count:,} connections; {runs}."
    )
    crates = raw["environment"].get("crates", {}).get("rust", {})
    return {
        "title": "Memory per connection",
        "description": (
            f"What each HTTP server holds per open connection: the http-json servers' resident memory with "
            f"{count:,} keep-alive connections open, first idle (each has made one request and waits), then "
            f"active at a low rate (a request on every connection every {sweep:g} s), over the server's "
            f"memory alone."
        ),
        "limits": (
            "Resident memory of the server process only: the kernel's socket buffers, which grow with traffic, "
            "are not in it, and neither is the client's side. 'Idle' means idle for a few seconds: actix-web "
            "closes a keep-alive connection after 5 s without a request (its default), while Go's `net/http` "
            "keeps it (no idle timeout by default), so the runner keeps every connection within that window "
            "and a run fails if any is closed. A tiny response and one thread of server code: no TLS, no "
            "large requests or responses, no HTTP/2. Resident memory moves in pages and with the allocator's "
            "and collector's choices, so a per-connection figure is an average over all the connections, not "
            "the size of one connection's state. The runner (the client) and the server share this machine's "
            f"{params['cores']} cores: the client's work is light at this rate, and the figures are memory, not time."
        ),
        "headline": "idle-bytes",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                f"The http-json server: actix-web {crates.get('actix-web', '4')} (`default-features = false`) with "
                f"its defaults (keep-alive 5 s); `cargo build --release`; {ONE_THREAD_TEXT['rust']}."
            ),
            "go": (
                "The http-json server: `net/http` from the standard library with its defaults (no idle timeout); "
                f"`CGO_ENABLED=0 go build`; {ONE_THREAD_TEXT['go']}."
            ),
        },
        "sources": [HARNESS_SOURCE],
        "metrics": [
            metric(raw, "idle-bytes", "Memory per idle connection", "B", "lower", note + " Read with every connection open and idle."),
            metric(
                raw,
                "active-bytes",
                "Memory per active connection",
                "B",
                "lower",
                note + f" Read after {params['sweeps']} sweeps of one request on every connection.",
            ),
        ],
    }


WORKLOAD = Workload(
    id="connection-memory",
    summary="memory per HTTP connection: 10,000 keep-alive connections idle, then active at a low rate",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    tools=("taskset",),
    minutes=3,
)
