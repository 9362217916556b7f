"""The CI fleet's merge step: `bench/merge-fleet ARTIFACTS [--book DIR]`. Each fleet job ran
`bench/run --machine NAME` and uploaded its raw records (`bench/results/machines/ID/W.json`);
this copies every one found under ARTIFACTS into the book's `bench/results/machines/`, then
rebuilds every benchmark file from all the raw records (`bench/run --from-raw`). Only records
that name their machine, under that machine's folder, of a workload the suite has, are taken."""

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

from . import cli, machines
from .machine import REPO
from .workloads import BY_ID

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Refused(Exception):
    """An artifact that cannot be merged, and why."""


def found(artifacts):
    """Every raw record of a named machine under `artifacts`: `(machine id, workload id, path)`."""
    records = []
    for path in sorted(Path(artifacts).rglob("*.json")):
        if path.parent.parent.name != "machines" or path.is_symlink():
            continue
        machine_id, workload_id = path.parent.name, path.stem
        if not ID.match(machine_id) or workload_id not in BY_ID:
            raise Refused(f"{path}: not a raw record of a known workload under a machine's folder")
        try:
            named = json.loads(path.read_text()).get("environment", {}).get("machine") or {}
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as err:
            raise Refused(f"{path}: not a raw record ({err})") from err
        if named.get("id") != machine_id:
            raise Refused(f"{path}: the record names machine {named.get('id')!r}, not its folder {machine_id!r}")
        records.append((machine_id, workload_id, path))
    return records


def merge(artifacts, book):
    """Copies the artifacts' raw records into the book; returns the workload ids they cover.
    Two records of the same machine and workload refuse: the fleet names each job's machine
    after its runner, so a clash is a mistake in the workflow."""
    records = found(artifacts)
    seen = {}
    for machine_id, workload_id, path in records:
        if (machine_id, workload_id) in seen:
            raise Refused(f"{path} and {seen[machine_id, workload_id]}: two records of {workload_id} on {machine_id}")
        seen[machine_id, workload_id] = path
    for (machine_id, workload_id), path in seen.items():
        target = Path(book) / machines.raw_path(machine_id, workload_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return sorted({workload_id for _, workload_id in seen})


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/merge-fleet", description=__doc__.split("\n\n")[0])
    parser.add_argument("artifacts", type=Path, help="the folder the fleet's artifacts were downloaded into")
    parser.add_argument("--book", type=Path, default=REPO, help="the book to merge into (default: this repository)")
    args = parser.parse_args(argv)
    try:
        workloads = merge(args.artifacts, args.book)
    except Refused as refused:
        print(f"bench/merge-fleet: refusing to merge: {refused}", file=sys.stderr)
        return cli.EXIT_FAILED
    if not workloads:
        print(f"bench/merge-fleet: no raw record of a named machine under {args.artifacts}", file=sys.stderr)
        return cli.EXIT_FAILED
    results = args.book / "bench" / "results"
    return cli.main([*workloads, "--from-raw", str(results), "--book", str(args.book)])
