"""Child processes: the priority and CPUs they get, and each run's `Run` record (wall and CPU
time, context switches, peak memory). Facts about the machine are in `host`."""

import contextlib
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from .report import log

BENCH = Path(__file__).resolve().parent.parent
REPO = BENCH.parent
MIB = 1024 * 1024

# Server and client, or a single-threaded program and the runner, are pinned apart.
SERVER_CPU = 0
CLIENT_CPU = 1


def output(command, cwd=None, check=True, env=None):
    """A command's standard output, stripped."""
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=check).stdout.strip()


@contextlib.contextmanager
def normal_priority():
    """Runs the body at the priority the runner was started with (a smoke run's choice: it
    checks the harness, so it leaves the machine's other work alone)."""
    yield f"nice {os.getpriority(os.PRIO_PROCESS, 0)} (the runner's own)"


@contextlib.contextmanager
def high_priority():
    """Runs the body at nice -20, which every process started meanwhile inherits, so that other
    work on a shared machine takes as little CPU from the measured programs as it can. Needs root
    or CAP_SYS_NICE. Yields a phrase for the environment text.

    With the kernel's autogroup scheduling the CPU is first shared between sessions, and
    niceness orders processes only within one session's group; so the group's niceness is
    raised too, and restored afterwards, since the group outlives this run."""
    autogroup = Path("/proc/self/autogroup")
    group_nice = int(autogroup.read_text().split()[-1]) if autogroup.exists() else None
    before = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -20)
        if group_nice is not None:
            autogroup.write_text("-20")
    except PermissionError:
        log("could not raise the priority (needs root): running at normal priority")
    nice = os.getpriority(os.PRIO_PROCESS, 0)
    raised = group_nice is not None and int(autogroup.read_text().split()[-1]) < 0
    try:
        yield f"nice {nice}" + (" in a session scheduling group raised to nice -20 too" if raised else "")
    finally:
        if raised:
            autogroup.write_text(str(group_nice))
        with contextlib.suppress(PermissionError):
            os.setpriority(os.PRIO_PROCESS, 0, before)


class Failed(RuntimeError):
    """A child process failed, or a measurement could not be made; the command layer reports
    it and goes on with the next workload."""


def pinned(cpu, command):
    """The command, run on one CPU only (`taskset` execs it, so its pid is the program's)."""
    return ["taskset", "-c", str(cpu), *map(str, command)]


@dataclass(frozen=True)
class Run:
    """One child process run to completion: its wall time, the CPU time it and its waited-for
    children used (from `wait4`'s resource usage), how often the kernel took the CPU from it
    (involuntary context switches), its peak resident set size and its standard output."""

    seconds: float
    user_seconds: float
    system_seconds: float
    involuntary_switches: int
    peak_rss_mib: float
    stdout: str = ""

    @property
    def cpu_seconds(self):
        """User plus system CPU time."""
        return self.user_seconds + self.system_seconds

    def figures(self):
        """What a raw file keeps of the run (not its output): a `RunFigures` record."""
        return RunFigures(
            seconds=round(self.seconds, 6),
            user_seconds=round(self.user_seconds, 6),
            system_seconds=round(self.system_seconds, 6),
            involuntary_switches=self.involuntary_switches,
            peak_rss_mib=round(self.peak_rss_mib, 3),
        )


class RunFigures(TypedDict):
    """One run as a raw file stores it, under `processes` (see `process_figures`)."""

    seconds: float
    user_seconds: float
    system_seconds: float
    involuntary_switches: int
    peak_rss_mib: float


def process_figures(results):
    """`{language id: [Run]}` as a raw file's `processes` entry stores it: every run's wall and
    CPU time, context switches and peak memory, so a reader can recompute any figure."""
    return {language: [run.figures() for run in runs] for language, runs in results.items()}


def _vm_hwm_kib(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB$", status, re.MULTILINE)
    return int(match[1]) if match else None


def _finished(seconds, usage, peak_kib, stdout):
    return Run(
        seconds=seconds,
        user_seconds=usage.ru_utime,
        system_seconds=usage.ru_stime,
        involuntary_switches=usage.ru_nivcsw,
        peak_rss_mib=peak_kib / 1024,
        stdout=stdout,
    )


def run_measured(command, env=None, cwd=None, stdin=None):
    """Runs a command to completion and returns its `Run` record; its standard output must fit
    a pipe's buffer; its standard input is the file `stdin` (a path) or empty. Raises `Failed` on
    a non-zero exit status.

    The peak is the last `VmHWM` read from `/proc/PID/status` while the program runs, every
    10 ms. (The child's `ru_maxrss` cannot serve: Linux counts in it the resident set of the
    process that forked it, here the Python runner.) A program that exits before the first
    reading, which only a smoke run's tiny sizes do, gets its `ru_maxrss` instead."""
    with open(stdin, "rb") if stdin is not None else contextlib.nullcontext(subprocess.DEVNULL) as source:
        start = time.perf_counter()
        process = subprocess.Popen([str(part) for part in command], env=env, cwd=cwd, stdin=source, stdout=subprocess.PIPE, text=True)
    hwm = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        reading = _vm_hwm_kib(process.pid)
        if reading is not None and _is_exec_of(process.pid, command):
            hwm = reading
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    stdout = process.stdout.read()
    process.stdout.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise Failed(f"{' '.join(map(str, command))} exited with status {process.returncode}")
    return _finished(seconds, usage, hwm if hwm is not None else usage.ru_maxrss, stdout)


def _is_exec_of(pid, command):
    """Whether the process runs the measured program yet (not `taskset` before its exec)."""
    program = next((str(part) for part in command if str(part).startswith("/") and "taskset" not in str(part)), None)
    try:
        return program is None or os.readlink(f"/proc/{pid}/exe") == os.path.realpath(program)
    except OSError:
        return False


def timed(command, cwd=None, env=None):
    """Runs a command to completion (a build, a tool) and returns its `Run` record, its output
    discarded; its peak memory is `ru_maxrss`, the largest of its processes. Raises `Failed`
    with the end of its error output."""
    log("$ " + " ".join(str(part) for part in command))
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [str(part) for part in command], cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace")
            raise Failed(f"{' '.join(map(str, command))} failed ({code}):\n{text[-4000:]}")
    return _finished(seconds, usage, usage.ru_maxrss, "")


def interleaved(languages, runs, one_run):
    """Calls `one_run(language, index)` `runs` times per language, alternating which language
    goes first from round to round, so that slow drifts in the machine's load fall on all alike.
    Returns, per language id, the list of what the calls returned."""
    results = {language.id: [] for language in languages}
    for index in range(runs):
        order = languages if index % 2 == 0 else list(reversed(languages))
        for language in order:
            results[language.id].append(one_run(language, index))
    return results
