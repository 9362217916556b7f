"""A private PostgreSQL cluster for one run: created in a temporary folder with `initdb`,
started with `pg_ctl` listening only on a Unix socket in that folder, loaded with TechEmpower's
`World` and `Fortune` tables, read (its processes' CPU time) and stopped and removed afterwards,
whatever happens in between. PostgreSQL refuses to run as root: as root, its programs run as the
`postgres` system user, which owns the folder."""

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .machine import Failed, pinned

USER = "bench"
DATABASE = "hello_world"
# The socket's name (`.s.PGSQL.PORT`); nothing listens on TCP.
PORT = 5432
SYSTEM_USER = "postgres"
WORLD_ROWS = 10_000
EXTRA_FORTUNE = "Additional fortune added at request time."
# TechEmpower's Fortune table, as its PostgreSQL set-up script loads it.
FORTUNES = (
    (1, "fortune: No such file or directory"),
    (2, "A computer scientist is someone who fixes things that aren't broken."),
    (3, "After enough decimal places, nobody gives a damn."),
    (4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
    (5, "A computer program does what you tell it to do, not what you want it to do."),
    (6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"),
    (7, "Any program that runs right is obsolete."),
    (8, "A list is only as strong as its weakest link. — Donald Knuth"),
    (9, "Feature: A bug with seniority."),
    (10, "Computers make very fast, very accurate mistakes."),
    (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
    (12, "フレームワークのベンチマーク"),
)
STOP_SECONDS = 30


def sql_literal(text):
    """A PostgreSQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def load_script():
    """The SQL that creates and fills both tables, as TechEmpower's set-up does: `World` with
    WORLD_ROWS rows of a random number from 1 to 10,000, `Fortune` with FORTUNES."""
    fortunes = ",\n".join(f"({number}, {sql_literal(message)})" for number, message in FORTUNES)
    return (
        "CREATE TABLE world (id integer NOT NULL PRIMARY KEY, randomnumber integer NOT NULL DEFAULT 0);\n"
        f"INSERT INTO world (id, randomnumber) SELECT x, floor(random() * 10000 + 1)::integer "
        f"FROM generate_series(1, {WORLD_ROWS}) AS x;\n"
        "CREATE TABLE fortune (id integer NOT NULL PRIMARY KEY, message varchar(2048) NOT NULL);\n"
        f"INSERT INTO fortune (id, message) VALUES\n{fortunes};\n"
        "VACUUM ANALYZE;\n"
    )


def process_cpu_seconds(stat_text, with_children=False):
    """User and system CPU time from a `/proc/PID/stat` text, in clock ticks; with the time of
    the children it has waited for too, when `with_children`."""
    fields = stat_text.rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks + (int(fields[13]) + int(fields[14]) if with_children else 0)


def sched_runtime_ms(sched_text):
    """`se.sum_exec_runtime` of a `/proc/PID/task/TID/sched` text: the thread's time on a CPU, in
    ms to the nanosecond, or None when the kernel does not show it."""
    for line in sched_text.splitlines():
        if line.startswith("se.sum_exec_runtime"):
            return float(line.split(":")[1])
    return None


def cpu_seconds_of(pid):
    """The CPU time a running process has used: the sum of its threads' time on a CPU from
    `/proc/PID/task/*/sched` (precise to the nanosecond, so a short run of a mostly idle process
    reads above zero; threads that have exited are not counted), or where the kernel does not
    show that, user plus system time from `/proc/PID/stat` in clock ticks. Raises OSError when the
    process is gone."""
    total, precise = 0.0, True
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            runtime = sched_runtime_ms((task / "sched").read_text())
            if runtime is None:
                precise = False
                break
            total += runtime / 1e3
    except FileNotFoundError:
        precise = False
    if precise:
        return total
    return process_cpu_seconds(Path(f"/proc/{pid}/stat").read_text()) / os.sysconf("SC_CLK_TCK")


def parent_pid(stat_text):
    return int(stat_text.rsplit(")", 1)[1].split()[1])


def as_owner():
    """The prefix that runs a PostgreSQL program as the cluster's owner: the `postgres` system
    user when this process is root (PostgreSQL refuses root), else nothing."""
    return ["runuser", "-u", SYSTEM_USER, "--"] if os.geteuid() == 0 else []


class Cluster:
    """A running private cluster; a context manager that starts it and always stops and removes
    it. `cpu` is the CPU its processes are pinned to."""

    def __init__(self, bindir, cpu):
        self.bindir, self.cpu = Path(bindir), cpu
        self.folder = None
        self.group_nice = None

    @property
    def data(self):
        return self.folder / "data"

    @property
    def url(self):
        """A libpq connection string to the loaded database."""
        return f"host={self.folder} port={PORT} user={USER} dbname={DATABASE}"

    def _run(self, program, *args, script=""):
        """Runs one of the cluster's programs as its owner, pinned to its CPU, with `script` as its
        standard input; its output. Raises `Failed` with its errors and the server log's end."""
        command = pinned(self.cpu, [*as_owner(), self.bindir / program, *args])
        result = subprocess.run([str(part) for part in command], capture_output=True, text=True, input=script)
        if result.returncode != 0:
            log_tail = ""
            if (self.folder / "log").exists():
                log_tail = "\n" + (self.folder / "log").read_text(errors="replace")[-2000:]
            raise Failed(f"{program} {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr[-2000:]}{log_tail}")
        return result.stdout

    def __enter__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        try:
            if os.geteuid() == 0:
                owner = pwd.getpwnam(SYSTEM_USER)
                os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._run("initdb", "-D", self.data, "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
            options = f"-c listen_addresses='' -c unix_socket_directories='{self.folder}' -p {PORT} -c max_connections=100"
            self._run("pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o", options, "-w", "-t", "60", "start")
            self.group_nice = self.share_scheduling_group()
            self._psql("postgres", f"CREATE DATABASE {DATABASE};")
            self._psql(DATABASE, load_script())
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_):
        self.stop()

    def share_scheduling_group(self):
        """Gives the cluster's scheduling group the runner's priority. `pg_ctl` starts the server
        in a session of its own, and with the kernel's autogroup scheduling each session is a
        group that shares the CPU with the others first: left at nice 0 while the runner's group
        (and the HTTP server in it) runs at nice -20 (`machine.high_priority`), the database
        would get a small share of the core the two share. Returns the group's niceness, or None
        where there is no autogroup or it cannot be changed."""
        own, theirs = Path("/proc/self/autogroup"), Path(f"/proc/{self.postmaster_pid()}/autogroup")
        try:
            nice = own.read_text().split()[-1]
            if theirs.read_text().split()[-1] != nice:
                theirs.write_text(nice)
            return int(theirs.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            return None

    def _psql(self, database, script):
        self._run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.folder, "-p", PORT, "-U", USER, "-d", database, "-f", "-", script=script)

    def query(self, sql):
        """The unaligned, tuples-only output of one SQL statement."""
        return self._run("psql", "-X", "-A", "-t", "-h", self.folder, "-p", PORT, "-U", USER, "-d", DATABASE, "-c", sql).strip()

    def postmaster_pid(self):
        """The server's process id, from `postmaster.pid`, or None when it is not running."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if Path(f"/proc/{pid}").exists() else None

    def pids(self):
        """The cluster's processes: the postmaster and its children."""
        top = self.postmaster_pid()
        if top is None:
            return []
        found = [top]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if parent_pid((entry / "stat").read_text()) == top:
                        found.append(int(entry.name))
                except OSError:
                    continue
        return found

    def cpu_seconds(self):
        """CPU time the cluster has used so far: each of its running processes' (`cpu_seconds_of`),
        and its children's that have exited (the postmaster's `cutime` and `cstime`)."""
        top, total = self.postmaster_pid(), 0.0
        for pid in self.pids():
            try:
                total += cpu_seconds_of(pid)
                if pid == top:
                    stat_text = Path(f"/proc/{pid}/stat").read_text()
                    exited = process_cpu_seconds(stat_text, with_children=True) - process_cpu_seconds(stat_text)
                    total += exited / os.sysconf("SC_CLK_TCK")
            except OSError:
                continue
        return total

    def stop(self):
        """Stops the server (fast shutdown, then SIGKILL to what is left) and removes the folder."""
        if self.folder is None:
            return
        try:
            if self.postmaster_pid() is not None:
                try:
                    command = [*as_owner(), self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", str(STOP_SECONDS), "stop"]
                    subprocess.run([str(part) for part in command], capture_output=True, timeout=STOP_SECONDS + 5, stdin=subprocess.DEVNULL)
                except (OSError, subprocess.TimeoutExpired):
                    pass
                self._kill_left()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _kill_left(self):
        """SIGKILLs the postmaster and its children if a fast shutdown left any."""
        left = self.pids()
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while left and time.monotonic() < deadline:
            left = [pid for pid in left if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
            time.sleep(0.05)


def _zombie(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
