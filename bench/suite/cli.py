"""The command line: `bench/run [NAME ...] [--smoke] [--book DIR] [--from-raw DIR]`."""

import argparse
import difflib
import json
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

from . import dataset, languages, tools
from .machine import BENCH, REPO, facts, high_priority, load, normal_priority, wait_for_quiet
from .report import log, set_prefix
from .workloads import ALL, BY_ID
from .workloads.base import PROVENANCE, Context


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bench/run",
        description=(
            "Run the benchmark suite (or the named workloads) and write each one's dataset file "
            "(data/benchmarks/NAME.toml) and raw per-run figures (bench/results/NAME.json)."
        ),
        epilog="workloads: " + ", ".join(workload.id for workload in ALL),
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="workloads to run (default: all)")
    parser.add_argument("--smoke", action="store_true", help="every workload in a few minutes, to check the harness; writes to bench/.smoke unless --book is given")
    parser.add_argument("--book", type=Path, help="the book to write into (default: this repository, or bench/.smoke with --smoke)")
    parser.add_argument("--from-raw", type=Path, metavar="DIR", help="measure nothing: rewrite the dataset files from the raw files NAME.json in DIR")
    parser.add_argument("--quiet-load", type=float, default=(os.cpu_count() or 2) / 2, help="wait until the 1-minute load average is below this before each workload (default: half the cores)")
    parser.add_argument("--quiet-timeout", type=float, help="seconds to wait for that at most (default 60, or 0 with --smoke)")
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    args = parser.parse_args(argv)
    for name in args.names:
        if name not in BY_ID:
            close = difflib.get_close_matches(name, BY_ID, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            parser.error(f"unknown workload `{name}`{hint}; the workloads are: {', '.join(BY_ID)}")
    if args.quiet_timeout is None:
        args.quiet_timeout = 0 if args.smoke else 60
    if args.book is None:
        args.book = BENCH / ".smoke" if args.smoke else REPO
    return args


def write(book, workload, raw):
    """Writes the raw record and the benchmark file into `book`; returns the benchmark."""
    results = book / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{workload.id}.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
    fields = workload.describe(raw)
    benchmark = {
        "title": fields["title"],
        "description": fields["description"],
        "limits": fields["limits"],
        "provenance": PROVENANCE,
        "headline": fields["headline"],
        "environment": fields["environment"],
        "reproduce": f"bench/run {workload.id}" + (" --smoke" if raw["smoke"] else ""),
        "raw": f"bench/results/{workload.id}.json",
        "as_of": raw["environment"]["date"],
        "setup": fields["setup"],
        "sources": fields["sources"],
        "metrics": fields["metrics"],
    }
    path = book / "data" / "benchmarks" / f"{workload.id}.toml"
    benchmark = dataset.merge(benchmark, dataset.read_existing(path))
    written_by = (
        f"Written by `bench/run {workload.id}` from bench/results/{workload.id}.json: rerun it rather than edit the "
        f"figures it measures (the setup and values of any other language are kept)."
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dataset.to_toml(benchmark, written_by))
    return benchmark


def headline(benchmark):
    """One line: the headline metric's median per language, with its spread."""
    metric = next(m for m in benchmark["metrics"] if m["id"] == benchmark["headline"])
    values = []
    for language, value in metric["values"].items():
        if isinstance(value, dict):
            values.append(f"{language} {value['median']:g} ({value['min']:g}–{value['max']:g}, {value['runs']} runs)")
        else:
            values.append(f"{language} {value:g}")
    return f"{metric['name']}: " + ", ".join(values) + f" {metric['unit']}"


def from_raw(selected, directory, book):
    """Rewrites the benchmark files of the selected workloads from raw files in `directory`."""
    wrote = 0
    for workload in selected:
        path = directory / f"{workload.id}.json"
        if not path.exists():
            continue
        raw = json.loads(path.read_text())
        target = book / "bench" / "results" / path.name
        benchmark = write(book, workload, raw)
        if path.resolve() != target.resolve():
            log(f"{workload.id}: copied its raw record into {target}")
        log(f"{workload.id}: rewrote data/benchmarks/{workload.id}.toml; {headline(benchmark)}")
        wrote += 1
    if not wrote:
        print(f"bench/run: no raw file for the selected workloads in {directory}", file=sys.stderr)
        return 1
    return 0


def environment(workload, found, langs, priority, quiet):
    """The environment record of one workload's run."""
    env = facts()
    env["names"] = {language.id: language.name for language in langs}
    env["toolchains"] = {language.id: language.version for language in langs}
    env["crates"] = {}
    for language in langs:
        for program in workload.programs:
            crates = language.crates(program)
            if crates:
                env["crates"].setdefault(language.id, {}).update(crates)
    env["tools"] = tools.versions({name: found[name] for name in workload.tools if name in ("wrk", "oha")})
    env["priority"] = priority
    env["load"] = quiet
    return env


def measure(selected, args):
    needed = {name for workload in selected for name in workload.tools} | set(languages.NEEDS.values())
    found = tools.prepare(needed)
    langs = languages.load(found)
    minutes = sum(workload.minutes for workload in selected) * (0.25 if args.smoke else 1)
    log(
        f"{len(selected)} workload(s): {', '.join(w.id for w in selected)}; about {minutes:.0f} min"
        + (" (smoke)" if args.smoke else "")
        + f"; languages {', '.join(f'{l.name} ({l.version})' for l in langs)}; writing into {args.book}"
    )
    failed = []
    with (normal_priority() if args.smoke else high_priority()) as priority, tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for index, workload in enumerate(selected):
            set_prefix(f"{index + 1}/{len(selected)} {workload.id}")
            quiet = wait_for_quiet(args.quiet_load, args.quiet_timeout)
            log(f"start: {workload.summary}; load average {quiet['load']}")
            try:
                env = environment(workload, found, langs, priority, quiet)
                work = Path(scratch) / workload.id
                work.mkdir()
                measured = workload.measure(Context(langs, found, args.smoke, work))
                quiet["after"] = load()
                raw = {"benchmark": workload.id, "smoke": args.smoke, **measured, "environment": env}
                benchmark = write(args.book, workload, raw)
                shutil.rmtree(work, ignore_errors=True)
                log(f"done, load average {quiet['after']}: {headline(benchmark)}")
            except Exception:  # one workload's failure must not lose the others' results
                traceback.print_exc()
                log("FAILED; going on with the next workload")
                failed.append(workload.id)
    set_prefix("bench")
    if failed:
        log(f"failed: {', '.join(failed)}")
        return 1
    log("all done")
    return 0


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        for workload in ALL:
            print(f"{workload.id:15} {workload.summary}")
        return 0
    selected = [BY_ID[name] for name in args.names] or ALL
    if args.from_raw:
        return from_raw(selected, args.from_raw, args.book)
    return measure(selected, args)
