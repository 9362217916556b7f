"""Facts about this machine that a benchmark's environment records: the CPU in full, memory,
transparent huge pages, the system, the repository's commit; and the readings that say how busy
the machine is: load average, CPU pressure, steal time. Every reader takes the file it reads,
so a unit test can give it a fake one."""

import os
import platform
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .machine import REPO, output

LSCPU_FIELDS = {
    "Model name": "model_name",
    "Vendor ID": "vendor",
    "CPU family": "family",
    "Model": "model",
    "Stepping": "stepping",
    "L1d cache": "l1d",
    "L1i cache": "l1i",
    "L2 cache": "l2",
    "L3 cache": "l3",
    "Hypervisor vendor": "hypervisor",
}


@dataclass(frozen=True)
class Cpu:
    """The CPU as `lscpu` names it; fields it does not print are empty."""

    model_name: str = ""
    vendor: str = ""
    family: str = ""
    model: str = ""
    stepping: str = ""
    l1d: str = ""
    l1i: str = ""
    l2: str = ""
    l3: str = ""
    hypervisor: str = ""

    def text(self):
        """`AMD EPYC (family 25, model 17, stepping 1; L1d 64 KiB (2 instances), …; KVM guest)`."""
        ids = ", ".join(f"{name} {value}" for name, value in (("family", self.family), ("model", self.model), ("stepping", self.stepping)) if value)
        caches = ", ".join(f"{name} {value}" for name, value in (("L1d", self.l1d), ("L1i", self.l1i), ("L2", self.l2), ("L3", self.l3)) if value)
        guest = f"a {self.hypervisor} virtual machine" if self.hypervisor else ""
        details = "; ".join(part for part in (ids, caches, guest) if part)
        name = self.model_name or self.vendor or "unknown CPU"
        return f"{name} ({details})" if details else name


def parse_lscpu(text):
    """The `Cpu` of `lscpu`'s output (run with `LC_ALL=C`)."""
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in LSCPU_FIELDS and value.strip():
            fields.setdefault(LSCPU_FIELDS[key.strip()], value.strip())
    return Cpu(**fields)


def cpu():
    """This machine's CPU, from `lscpu`, or only its model name from /proc/cpuinfo without it."""
    try:
        return parse_lscpu(output(["lscpu"], env=dict(os.environ, LC_ALL="C")))
    except (OSError, subprocess.CalledProcessError):
        match = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        return Cpu(model_name=match[1].strip() if match else platform.processor())


def memory_gib(meminfo=Path("/proc/meminfo")):
    """Total memory in GiB, one decimal."""
    match = re.search(r"^MemTotal:\s+(\d+) kB$", meminfo.read_text(), re.MULTILINE)
    return round(int(match[1]) / 1024 / 1024, 1) if match else None


def transparent_hugepages(setting=Path("/sys/kernel/mm/transparent_hugepage/enabled")):
    """The transparent-hugepage mode in force (`always`, `madvise` or `never`), or None."""
    try:
        match = re.search(r"\[(\w+)\]", setting.read_text())
    except OSError:
        return None
    return match[1] if match else None


def os_name(release=Path("/etc/os-release")):
    """The distribution's pretty name, or the kernel's name."""
    if release.exists():
        match = re.search(r'^PRETTY_NAME="?([^"\n]*)"?$', release.read_text(), re.MULTILINE)
        if match:
            return match[1]
    return platform.system()


def load_average():
    """The 1-minute load average."""
    return round(os.getloadavg()[0], 2)


def cpu_pressure(pressure=Path("/proc/pressure/cpu")):
    """The share of the last 10 s in which some runnable task waited for a CPU, in percent
    (`some avg10` of the kernel's pressure stall information), or None where the kernel has none."""
    try:
        text = pressure.read_text()
    except OSError:
        return None
    match = re.search(r"^some avg10=([\d.]+)", text, re.MULTILINE)
    return float(match[1]) if match else None


@dataclass(frozen=True)
class CpuTimes:
    """The machine's CPU time so far, from the `cpu` line of /proc/stat, in clock ticks: all of
    it, the hypervisor's steal, and the time processes ran (user, nice and system; interrupts
    are left out, since the kernel does not charge them to any process)."""

    total: int
    steal: int
    processes: int = 0


def cpu_times(stat=Path("/proc/stat")):
    """The `CpuTimes` now."""
    fields = [int(field) for field in stat.read_text().splitlines()[0].split()[1:]]
    # user nice system idle iowait irq softirq steal (guest time is counted in user already)
    return CpuTimes(total=sum(fields[:8]), steal=fields[7] if len(fields) > 7 else 0, processes=sum(fields[:3]))


def own_cpu_seconds():
    """CPU seconds used so far by the runner and every child it has waited for (the measured
    programs, servers and clients, and the builds with their compilers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def others_percent(before, after, own_seconds, elapsed, ticks=None, cpus=None):
    """The share of the machine's CPUs, in percent, that processes other than the runner and its
    children used between two `CpuTimes` readings `elapsed` seconds apart, during which the
    runner's own tree used `own_seconds`: the work that shared the machine with a measurement."""
    ticks = ticks or os.sysconf("SC_CLK_TCK")
    cpus = cpus or os.cpu_count() or 1
    if elapsed <= 0:
        return 0.0
    others = (after.processes - before.processes) / ticks - own_seconds
    return round(max(0.0, 100 * others / (elapsed * cpus)), 2)


def steal_percent(before, after):
    """The share of CPU time the hypervisor gave to other guests between two readings."""
    total = after.total - before.total
    return round(100 * (after.steal - before.steal) / total, 2) if total > 0 else 0.0


@dataclass(frozen=True)
class Commit:
    """The repository's commit and the paths that differ from it (uncommitted or untracked)."""

    id: str
    changed: tuple

    @property
    def clean(self):
        return not self.changed


def commit(allowed=()):
    """The commit the repository is at, and what differs from it apart from the `allowed`
    paths (relative to the repository: the files a run writes itself); None outside git."""
    try:
        commit_id = output(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO)
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    changed = tuple(path for path in (line[3:] for line in status.splitlines()) if path not in allowed)
    return Commit(commit_id, changed)
