"""What every workload shares: its shape, and the parts of a benchmark file that are alike."""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import dataset, environment
from ..machine import SERVER_CPU, pinned

PROVENANCE = "reproduced"
HARNESS_SOURCE = {"title": "The suite's runner and programs in this repository: `bench/` (`bench/run`, README)"}


@dataclass(frozen=True)
class Workload:
    """One benchmark of the suite.

    `measure(context)` runs it and returns its raw record (`params`, `runs` as
    `{metric id: {language id: [values]}}`, `details`); `describe(raw)` turns a raw record,
    fresh or read back from `bench/results/`, into the benchmark file's fields."""

    id: str
    summary: str
    measure: Callable
    describe: Callable
    # The program folders whose dependency versions the environment records.
    programs: tuple
    # Prerequisites beyond the languages' own toolchains.
    tools: tuple = ()
    # Rough length of a full run in minutes, for the plan printed at the start.
    minutes: float = 1
    # Whether a measuring run raises its processes' priority (`machine.high_priority`), which
    # keeps other work off the measured programs. A workload whose measured processes share a
    # core with each other turns it off: raised, each wakeup preempts the other side at once.
    raise_priority: bool = True


@dataclass
class Context:
    """What a measurement gets: the languages, the tools found, whether it is a smoke run, and a
    scratch folder of its own."""

    languages: list
    tools: dict
    smoke: bool
    scratch: Path
    # CPU seconds of processes the workload started that the runner does not wait for (a database
    # server that daemonizes), added by the workload: the quiet gate counts them as the run's own
    # work, not as other work on the machine.
    detached_cpu_seconds: float = 0.0


def metric(raw, metric_id, name, unit, direction, note, band=None, descriptive=None):
    """A metric of the benchmark file from the raw runs of the same id: each value's spread and
    each pair's ratio with its interval (`dataset.metric`; `band` marks a deterministic metric,
    `descriptive` one that gives no verdict)."""
    return dataset.metric(raw["runs"][metric_id], metric_id, name, unit, direction, note, band, descriptive)


def plural(count, word):
    """`1 run`, `3 runs`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def environment_text(raw, method):
    """The environment text of a raw record (see `environment.text`)."""
    return environment.text(raw, method)


# A program whose runtime may work beside it (a garbage collector's threads) runs two ways: pinned
# to one CPU, where the runtime's work shares the program's core, and with every CPU this process
# may use visible, where it need not.
ONE_CORE = "one-core"
ALL_CORES = "all-cores"


def placed(mode, command):
    """The command as a mode runs it: pinned to the measured CPU, or free to use every CPU."""
    return pinned(SERVER_CPU, command) if mode == ONE_CORE else [str(part) for part in command]


def visible_cores():
    """How many CPUs a program started now may run on."""
    return len(os.sched_getaffinity(0))


def in_turn(items, index):
    """The items in their order in even rounds, reversed in odd ones, so neither always goes first."""
    return list(items) if index % 2 == 0 else list(reversed(items))
