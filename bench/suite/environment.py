"""A workload's environment: the record a raw file keeps (`Environment`), and the text a
benchmark file shows. Raw files written before a field existed lack it; the text then says
nothing about it."""

import datetime
import os
import platform
from dataclasses import asdict, dataclass
from typing import NotRequired, TypedDict

from . import host, machines
from .languages import version_key
from .quiet import Reading, Thresholds


@dataclass(frozen=True)
class Gate:
    """The quiet gate of one workload: thresholds, the readings before and after it, the seconds
    waited for quiet before it, and why it was not quiet (empty when it was)."""

    thresholds: Thresholds
    timeout: float
    before: Reading
    after: Reading
    waited: float
    problems: tuple
    others_cpu: float | None = None

    @property
    def quiet(self):
        return not self.problems

    def record(self):
        """As a raw file stores it."""
        fields = asdict(self)
        fields["problems"] = list(self.problems)
        fields["quiet"] = self.quiet
        return fields


class Compiler(TypedDict):
    """The compiler that built one program, asked in the program's folder."""

    version: str
    text: str


class Environment(TypedDict):
    """`environment` of a raw file. Fields marked NotRequired are missing from older files;
    `load` is the older files' record of the load average (`gate` replaced it)."""

    cpu: str
    cores: int
    os: str
    kernel: str
    commit: str
    date: str
    names: dict[str, str]
    toolchains: dict[str, str]
    crates: dict[str, dict[str, str]]
    tools: dict[str, str]
    priority: str
    load: NotRequired[dict]
    clean: NotRequired[bool]
    memory_gib: NotRequired[float]
    transparent_hugepages: NotRequired[str]
    compilers: NotRequired[dict[str, dict[str, Compiler]]]
    newest: NotRequired[dict[str, dict[str, str]]]
    gate: NotRequired[dict]
    steal_percent: NotRequired[float]
    architecture: NotRequired[str]
    machine: NotRequired[dict[str, str]]


def record(workload, langs, tool_versions, priority, gate, steal, commit) -> Environment:
    """The environment of one workload's run. `commit` is a `host.Commit` or None."""
    compilers = {}
    for language in langs:
        for program in workload.programs:
            version, text = language.compiler(language.source(program))
            compilers.setdefault(language.id, {})[program] = {"version": version, "text": text}
    newest = {}
    for language in langs:
        release = language.NEWEST_STABLE
        used = [compiler["version"] for compiler in compilers.get(language.id, {}).values()]
        if release and any(version_key(version) < version_key(release.version) for version in used):
            newest[language.id] = {"version": release.version, "date": release.date}
    crates = {}
    for language in langs:
        for program in workload.programs:
            found = language.crates(program)
            if found:
                crates.setdefault(language.id, {}).update(found)
    return {
        "cpu": host.cpu().text(),
        "cores": os.cpu_count(),
        "memory_gib": host.memory_gib(),
        "architecture": machines.architecture(),
        "transparent_hugepages": host.transparent_hugepages(),
        "os": host.os_name(),
        "kernel": platform.release(),
        "commit": commit.id if commit else "no commit",
        "clean": bool(commit and commit.clean),
        "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
        "names": {language.id: language.name for language in langs},
        "toolchains": {
            language.id: next(iter(compilers[language.id].values()))["text"].split(" (")[0] for language in langs if compilers.get(language.id)
        },
        "compilers": compilers,
        "newest": newest,
        "crates": crates,
        "tools": tool_versions,
        "priority": priority,
        "gate": gate.record(),
        "steal_percent": steal,
    }


def _old_load_text(load):
    if load["quiet"]:
        quiet = f"below the quiet threshold of {load['threshold']}, reached after {load['waited']} s of waiting"
    else:
        quiet = (
            f"not below the quiet threshold of {load['threshold']} after {load['waited']} s of waiting, so the runs "
            f"shared the machine with other work; the spread shows how much that moved them"
        )
    return f"1-minute load average {load['load']} when measuring began ({quiet}) and {load['after']} when it ended."


def _pressure(value):
    return "no CPU pressure reading" if value is None else f"CPU pressure {value:g}%"


def _gate_text(gate):
    thresholds = gate["thresholds"]
    before, after = gate["before"], gate["after"]
    readings = (
        f"1-minute load average {before['load']:g} and {_pressure(before['cpu_pressure'])} (some avg10) when measuring "
        f"began, after {gate['waited']:g} s of waiting; {after['load']:g} and {_pressure(after['cpu_pressure'])} when it ended"
    )
    if gate.get("others_cpu") is not None:
        readings += f"; other processes used {gate['others_cpu']:g}% of the CPUs while it ran"
    limits = f"the quiet gate: load below {thresholds['load']:g}, CPU pressure below {thresholds['cpu_pressure']:g}%"
    if "others" in thresholds:
        limits += f", other processes at most {thresholds['others']:g}%"
    if gate["quiet"]:
        return f"{readings}, within {limits}."
    return f"{readings}: NOT within {limits} ({'; '.join(gate['problems'])}), so the runs shared the machine with other work."


def _compilers_text(env):
    texts = []
    for language, programs in env.get("compilers", {}).items():
        distinct = sorted({compiler["text"] for compiler in programs.values()})
        folders = ", ".join(f"`{program}/{language}`" for program in programs)
        texts.append(f"{' / '.join(distinct)} for {folders}")
    return "Compilers, asked in the folder each program builds in: " + "; ".join(texts) + "." if texts else ""


def _newest_text(env):
    names = env["names"]
    return " ".join(
        f"{env['toolchains'].get(language, language)} is not the newest stable release of {names.get(language, language)}: "
        f"{release['version']} shipped {release['date']} (the newest release the runner knows of)."
        for language, release in env.get("newest", {}).items()
    )


def text(raw, method):
    """The environment text: machine, toolchains and dependency versions, how the runs were made
    (`method`), priority, the load it ran under, the commit and the date."""
    env = raw["environment"]
    toolchains = ", ".join(env["toolchains"].values())
    crates = ", ".join(f"{name} {version}" for per_language in env["crates"].values() for name, version in per_language.items())
    tools = ", ".join(f"`{name}` {version}" for name, version in env["tools"].items())
    machine = f"{env['cpu']}, {env['cores']} cores"
    if "memory_gib" in env:
        machine += f", {env['memory_gib']:g} GiB of memory"
    if env.get("transparent_hugepages"):
        machine += f", transparent huge pages `{env['transparent_hugepages']}`"
    load = _gate_text(env["gate"]) if "gate" in env else _old_load_text(env["load"])
    steal = f" Steal time over the workload: {env['steal_percent']:g}% of the CPU time." if "steal_percent" in env else ""
    if "clean" in env:
        commit = f"Repository commit {env['commit']}" + ("" if env["clean"] else " with uncommitted changes")
    else:
        commit = f"Repository commit {env['commit']}"
    parts = [
        f"{machine}; {env['os']}, Linux {env['kernel']}; {toolchains}"
        + (f"; {crates}" if crates else "")
        + (f"; {tools}" if tools else "")
        + ".",
        _compilers_text(env),
        _newest_text(env),
        method,
        f"Measured programs ran at {env['priority']}.",
        load + steal,
        f"{commit}, measured {env['date']}." + (" A `--smoke` run: it checks the harness, its numbers mean nothing." if raw["smoke"] else ""),
    ]
    return " ".join(part for part in parts if part)
