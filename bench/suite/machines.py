"""Results from several machines. A machine's identity is the name its contributor gives
(`bench/run --machine NAME`) with its hardware: architecture, cores and a digest of the CPU
model, the cores, the memory and the architecture, so that two machines given the same name
stay apart. A named machine's raw files live under `bench/results/machines/ID/`; the
benchmark file keeps the reference machine's figures as its own `metrics`, and every machine,
the reference among them, in `[[machines]]`."""

import hashlib
import json
import os
import platform
import re
from pathlib import Path

from . import host

MACHINES = "bench/results/machines"
# The name of the machine whose raw files sit directly in bench/results/ and carry no name.
REFERENCE = "reference"
# Raw records from before the architecture was recorded were all measured on the reference
# machine, an x86-64 virtual machine.
RECORDED_BEFORE = "x86-64"
ARCHITECTURES = {"x86_64": "x86-64", "amd64": "x86-64", "aarch64": "arm64", "arm64": "arm64"}


def architecture(machine=None):
    """This machine's architecture as the book spells it: `x86-64`, `arm64`, or what the
    platform says."""
    name = (machine or platform.machine() or "unknown").lower()
    return ARCHITECTURES.get(name, name)


def slug(name):
    """A name as an id: lowercase letters, digits and hyphens."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not text:
        raise ValueError(f"the machine name {name!r} has no letter or digit")
    return text


def identity(name, cpu, cores, memory_gib, arch):
    """The machine's id: `NAME-ARCH-Nc-DIGEST`, the digest of its hardware."""
    hardware = json.dumps([cpu, cores, memory_gib, arch])
    digest = hashlib.sha256(hardware.encode()).hexdigest()[:6]
    return f"{slug(name)}-{slug(arch)}-{cores}c-{digest}"


def of_raw(raw):
    """The id of the machine a raw record was measured on: named in the record, or the
    reference's, made from its hardware."""
    env = raw["environment"]
    named = env.get("machine")
    if named:
        return named["id"]
    return identity(REFERENCE, env["cpu"], env["cores"], env.get("memory_gib"), env.get("architecture", RECORDED_BEFORE))


def raw_path(machine_id, workload_id):
    """Where a named machine's raw record of a workload lives, relative to the book."""
    return f"{MACHINES}/{machine_id}/{workload_id}.json"


def entry(raw, environment_text, raw_relative, metrics=None):
    """A `[[machines]]` table: the machine's hardware, environment, commit and date, and its
    figures (`None` for the reference, whose figures are the benchmark's own)."""
    env = raw["environment"]
    if not env.get("memory_gib"):
        raise RuntimeError(f"the raw record of {raw['benchmark']} does not say how much memory its machine has: measure it again")
    machine = {
        "name": of_raw(raw),
        "cpu": env["cpu"],
        "cores": env["cores"],
        "architecture": env.get("architecture", RECORDED_BEFORE),
        "memory_gib": float(env["memory_gib"]),
        "environment": environment_text,
        "commit": env["commit"],
        "as_of": env["date"],
        "raw": raw_relative,
    }
    if env.get("gate", {}).get("quiet") is False:
        # A run that missed the quiet gate (a busy CI runner) is shown, and gives no verdict.
        machine["provisional"] = True
    if metrics is not None:
        machine["metrics"] = [
            {key: metric[key] for key in ("id", "values", "intervals") if key in metric} for metric in metrics
        ]
    return machine


def others_in(directory, workload_id):
    """The raw files of named machines for a workload under `directory`, by machine id."""
    folder = Path(directory) / "machines"
    return sorted(folder.glob(f"*/{workload_id}.json")) if folder.is_dir() else []


def with_machines(benchmark, reference, others):
    """The benchmark (the reference's figures) with `[[machines]]`: the reference first, then
    the others by id. Unchanged when there are no others."""
    if not others:
        return benchmark
    machines = [reference] + sorted(others, key=lambda machine: machine["name"])
    benchmark["machine"] = reference["name"]
    benchmark["machines"] = machines
    return benchmark


def replace_machine(benchmark, machine):
    """The benchmark with `machine`'s entry replaced, or added: every other machine's entry and
    the reference's figures are kept as they are."""
    kept = [other for other in benchmark.get("machines", []) if other["name"] != machine["name"]]
    benchmark["machines"] = kept + [machine]
    reference = benchmark.get("machine")
    benchmark["machines"].sort(key=lambda m: (m["name"] != reference, m["name"]))
    return benchmark


def this_hardware():
    """This machine's CPU model, cores, memory in GiB and architecture."""
    return host.cpu().text(), os.cpu_count(), host.memory_gib(), architecture()
