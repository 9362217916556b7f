"""The quiet gate: a workload's figures may be published only when the machine was quiet before
and after it: the 1-minute load average below one threshold and, where the kernel reports
it, the CPU pressure (`some avg10` of /proc/pressure/cpu) below another.

`BENCH_SIMULATE_LOAD` and `BENCH_SIMULATE_CPU_PRESSURE` (numbers) make the readings at least
that high, so a test can see the gate close without loading the machine; they can only make
the machine look busier, never quieter."""

import os
import time
from dataclasses import dataclass
from typing import Callable

from . import host
from .report import log


@dataclass(frozen=True)
class Reading:
    """How busy the machine is: load average, and CPU pressure in percent (None where the kernel
    has no pressure information)."""

    load: float
    cpu_pressure: float | None


@dataclass(frozen=True)
class Thresholds:
    """The gate: both readings must be below these before and after a workload, and other
    processes may use at most `others` percent of the CPUs while it runs."""

    load: float
    cpu_pressure: float
    others: float = 5.0

    def others_problems(self, others_percent):
        """Why the work of other processes during a workload was too much: a phrase, or none."""
        if others_percent is not None and others_percent > self.others:
            return [f"other processes used {others_percent:g}% of the CPUs during it, more than {self.others:g}%"]
        return []

    def problems(self, reading):
        """Why `reading` is not quiet: a phrase per reading at or above its threshold."""
        found = []
        if reading.load >= self.load:
            found.append(f"the 1-minute load average is {reading.load:g}, not below {self.load:g}")
        if reading.cpu_pressure is not None and reading.cpu_pressure >= self.cpu_pressure:
            found.append(f"the CPU pressure (some avg10) is {reading.cpu_pressure:g}%, not below {self.cpu_pressure:g}%")
        return found


def _simulated(name):
    value = os.environ.get(name)
    try:
        return float(value) if value else None
    except ValueError:
        return None


def read():
    """The machine's `Reading` now (raised to any simulated reading)."""
    load, pressure = host.load_average(), host.cpu_pressure()
    simulated_load, simulated_pressure = _simulated("BENCH_SIMULATE_LOAD"), _simulated("BENCH_SIMULATE_CPU_PRESSURE")
    if simulated_load is not None:
        load = max(load, simulated_load)
    if simulated_pressure is not None:
        pressure = max(pressure or 0.0, simulated_pressure)
    return Reading(load, pressure)


@dataclass(frozen=True)
class Wait:
    """What waiting for quiet gave: the last reading, the seconds waited, and why the machine
    was still not quiet (empty when it was)."""

    reading: Reading
    waited: float
    problems: tuple

    @property
    def quiet(self):
        return not self.problems


def wait_for_quiet(thresholds, timeout, reader: Callable[[], Reading] = read, sleep=time.sleep, clock=time.monotonic):
    """Waits until a reading passes the gate, for at most `timeout` seconds; returns the `Wait`."""
    start = clock()
    announced = False
    while True:
        reading, waited = reader(), clock() - start
        problems = thresholds.problems(reading)
        if not problems or waited >= timeout:
            if problems:
                log(f"still not quiet after {waited:.0f} s: {'; '.join(problems)}")
            return Wait(reading, round(waited), tuple(problems))
        if not announced:
            log(f"waiting up to {timeout:g} s for a quiet machine: {'; '.join(problems)}")
            announced = True
        sleep(min(5, max(0.5, timeout - waited)))
