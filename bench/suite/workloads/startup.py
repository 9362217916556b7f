"""Start-up and footprint: a hello-world CLI's start-to-exit time over many runs, and the idle
memory of the HTTP JSON server just after it starts."""

import os
import time

from ..machine import interleaved
from ..report import log
from ..servers import ONE_THREAD_TEXT, PROGRAM as SERVER, Server
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural

PROGRAM = "startup"
GREETING = "Hello, world!\n"


def _spawn_and_wait(binary, devnull):
    """One run, from posix_spawn to the end of wait4: its start-to-exit time in ms, and what the
    raw file keeps of it (wall and CPU time from `wait4`, involuntary context switches)."""
    start = time.perf_counter_ns()
    pid = os.posix_spawn(binary, [binary], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, status, usage = os.wait4(pid, 0)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{binary} failed with status {os.waitstatus_to_exitcode(status)}")
    figures = {
        "seconds": round(elapsed / 1000, 7),
        "user_seconds": round(usage.ru_utime, 6),
        "system_seconds": round(usage.ru_stime, 6),
        "involuntary_switches": usage.ru_nivcsw,
    }
    return elapsed, figures


def _measure(context):
    params = {"hello_runs": 20 if context.smoke else 300, "idle_runs": 1 if context.smoke else 5, "idle_wait": 1}
    hello = {language.id: str(language.build(PROGRAM)) for language in context.languages}
    servers = {language.id: language.build(SERVER) for language in context.languages}
    for language in context.languages:
        read, write = os.pipe()
        pid = os.posix_spawn(hello[language.id], [hello[language.id]], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, write, 1)])
        os.close(write)
        with os.fdopen(read) as out:
            printed = out.read()
        os.waitpid(pid, 0)
        if printed != GREETING:
            raise RuntimeError(f"the {language.name} hello program printed {printed!r}")
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for binary in hello.values():  # warm the page cache
            _spawn_and_wait(binary, devnull)
        runs = interleaved(context.languages, params["hello_runs"], lambda language, _: _spawn_and_wait(hello[language.id], devnull))
    finally:
        os.close(devnull)
    times = {language: [ms for ms, _ in results] for language, results in runs.items()}
    processes = {"hello-time": {language: [figures for _, figures in results] for language, results in runs.items()}}
    for language in context.languages:
        ordered = sorted(times[language.id])
        log(f"hello {language.name}: median {ordered[len(ordered) // 2]:.2f} ms over {len(ordered)} runs")

    def idle(language, index):
        server = Server(language, servers[language.id])
        try:
            time.sleep(params["idle_wait"])
            rss = server.memory_mib("VmRSS")
        finally:
            server.stop()
        log(f"idle server {index + 1}/{params['idle_runs']} {language.name}: {rss:.2f} MiB")
        return rss

    return {
        "params": params,
        "runs": {"hello-time": times, "idle-rss": interleaved(context.languages, params["idle_runs"], idle)},
        "details": {},
        "processes": processes,
    }


def _describe(raw):
    params = raw["params"]
    method = (
        f"Hello: {plural(params['hello_runs'], 'run')} per language, alternating languages, each timed from "
        f"`posix_spawn` to the end of `wait4` by the runner (Python), standard output to `/dev/null`, "
        f"after one untimed run to warm the page cache. Idle server: {plural(params['idle_runs'], 'start')} "
        f"per language, pinned by `taskset` to one CPU with one thread running its code, resident set read "
        f"{params['idle_wait']} s after it first accepted a connection."
    )
    return {
        "title": "Start-up time and idle footprint",
        "description": (
            "How long a hello-world command-line program takes from start to exit, and how much memory "
            "the HTTP JSON server of the `http-json` benchmark holds once it has started and sits idle."
        ),
        "limits": (
            "Start-up of the smallest program: a real CLI loads more code and data. The start-to-exit time "
            "includes the runner's own process creation, the same for both. Idle memory only: the "
            "server's peak under load is in `http-json`."
        ),
        "headline": "hello-time",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": f"`println!`, `cargo build --release`; the server: actix-web, {ONE_THREAD_TEXT['rust']}.",
            "go": f"`fmt.Println`, `CGO_ENABLED=0 go build`; the server: `net/http`, {ONE_THREAD_TEXT['go']}.",
        },
        "sources": [HARNESS_SOURCE, {"title": "proc_pid_status(5): VmRSS", "url": "https://man7.org/linux/man-pages/man5/proc_pid_status.5.html"}],
        "metrics": [
            metric(raw, "hello-time", "Hello-world start to exit", "ms", "lower", f"{plural(params['hello_runs'], 'run')} per language."),
            metric(
                raw,
                "idle-rss",
                "Idle HTTP server memory (VmRSS)",
                "MiB",
                "lower",
                "Resident set size (`VmRSS` in `/proc/PID/status`) of the idle server process.",
            ),
        ],
    }


WORKLOAD = Workload(
    id="startup",
    summary="hello-world start-up time and idle HTTP server memory",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM, SERVER),
    tools=("taskset",),
    minutes=0.5,
)
