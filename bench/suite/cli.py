"""The command line: `bench/run [NAME ...] [--smoke] [--publish | --provisional] [--book DIR]
[--from-raw DIR]`. The only module that prints a verdict on the whole run and picks the exit
status; everything below it raises."""

import argparse
import difflib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import dataset, environment, host, languages, machines, quiet, tools
from .machine import BENCH, REPO, high_priority, normal_priority
from .report import log, set_prefix
from .workloads import ALL
from .workloads.base import PROVENANCE, Context

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 4
SCRATCH = BENCH / ".scratch"
SMOKE = BENCH / ".smoke"


@dataclass
class Setup:
    """What a measuring run uses from the world, so a unit test can give it fakes: the
    workloads, how prerequisites are found and languages loaded, the quiet gate's reader, the
    repository's commit, the repository (the book `--publish` writes) and the scratch folder."""

    workloads: list = field(default_factory=lambda: list(ALL))
    prepare: Callable = tools.prepare
    load_languages: Callable = languages.load
    tool_versions: Callable = tools.versions
    reader: Callable = quiet.read
    commit: Callable = host.commit
    repo: Path = REPO
    scratch: Path = SCRATCH
    smoke_book: Path = SMOKE
    priority: Callable = high_priority
    hardware: Callable = machines.this_hardware

    @property
    def by_id(self):
        return {workload.id: workload for workload in self.workloads}


def parse_args(argv, setup):
    parser = argparse.ArgumentParser(
        prog="bench/run",
        description=(
            "Run the benchmark suite (or the named workloads) and write each one's dataset file "
            "(data/benchmarks/NAME.toml) and raw per-run figures (bench/results/NAME.json): into "
            "bench/.scratch, or into the book with --publish when the machine was quiet."
        ),
        epilog="workloads: " + ", ".join(setup.by_id),
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="workloads to run (default: all)")
    parser.add_argument("--smoke", action="store_true", help="every workload in a few minutes, to check the harness; writes to bench/.smoke unless --book is given")
    parser.add_argument("--publish", action="store_true", help="write into the book (this repository, or --book) if every workload met the quiet gate on a clean commit; refuse otherwise")
    parser.add_argument("--provisional", action="store_true", help="like --publish, but publish a workload that missed the quiet gate too, marked `provisional = true`")
    parser.add_argument("--book", type=Path, help="the book to write into (default: bench/.scratch; this repository with --publish; bench/.smoke with --smoke)")
    parser.add_argument("--from-raw", type=Path, metavar="DIR", help="measure nothing: rewrite the dataset files from the raw files NAME.json in DIR (default book: this repository)")
    parser.add_argument("--quiet-load", type=float, default=(os.cpu_count() or 2) / 2, help="the quiet gate's 1-minute load average: below this before and after each workload (default: half the cores)")
    parser.add_argument("--quiet-pressure", type=float, default=5.0, help="the quiet gate's CPU pressure, `some avg10` of /proc/pressure/cpu in percent, where the kernel has it (default 5)")
    parser.add_argument("--quiet-others", type=float, default=5.0, help="the quiet gate's share of the CPUs, in percent, that processes other than the runner's may use while a workload runs (default 5)")
    parser.add_argument("--quiet-timeout", type=float, help="seconds to wait for a quiet machine before each workload, and after it for its own load to fall (default 60, or 0 with --smoke)")
    parser.add_argument("--machine", metavar="NAME", help="measure as the machine NAME (your name for it; its hardware is added to make its id): its raw files go to bench/results/machines/ID/ and only its entry of each benchmark file changes")
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    args = parser.parse_args(argv)
    for name in args.names:
        if name not in setup.by_id:
            close = difflib.get_close_matches(name, setup.by_id, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            parser.error(f"unknown workload `{name}`{hint}; the workloads are: {', '.join(setup.by_id)}")
    args.publishing = args.publish or args.provisional
    if args.publishing and (args.smoke or args.from_raw):
        parser.error("--publish and --provisional publish measured runs: not with --smoke or --from-raw")
    if args.machine and args.from_raw:
        parser.error("--from-raw rebuilds every machine's figures: not with --machine")
    if args.machine is not None:
        try:
            machines.slug(args.machine)
        except ValueError as err:
            parser.error(str(err))
    if args.quiet_timeout is None:
        args.quiet_timeout = 0 if args.smoke else 60
    if args.book is None:
        args.book = setup.repo if args.publishing or args.from_raw else setup.smoke_book if args.smoke else setup.scratch
    elif not (args.publishing or args.from_raw) and args.book.resolve() == setup.repo.resolve():
        parser.error("the repository's book is written only with --publish (on a quiet machine), or --from-raw")
    return args


def write_raw(book, relative, raw):
    """Writes a raw record at `relative` in `book`."""
    path = book / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")


def write(book, workload, raw, provisional=False, others=(), rebuild=False):
    """Writes the raw record and the benchmark file into `book`; returns the benchmark. A raw
    record of a named machine changes only that machine's entry (see `write_machine`); `others`
    are the raw records of the named machines beside the reference `raw`, and `rebuild` makes
    the file from them alone (`--from-raw`)."""
    named = raw["environment"].get("machine")
    if named and not rebuild and (book / written_paths(workload.id)[1]).exists():
        return write_machine(book, workload, raw, provisional)
    raw_relative = machines.raw_path(named["id"], workload.id) if named else written_paths(workload.id)[0]
    path = book / written_paths(workload.id)[1]
    write_raw(book, raw_relative, raw)
    fields: dataset.Fields = workload.describe(raw)
    benchmark: dataset.Benchmark = {
        "title": fields["title"],
        "description": fields["description"],
        "limits": fields["limits"],
        "provenance": PROVENANCE,
        "headline": fields["headline"],
        "environment": fields["environment"],
        "reproduce": f"bench/run {workload.id}" + (" --smoke" if raw["smoke"] else ""),
        "raw": raw_relative,
        "as_of": raw["environment"]["date"],
        "setup": fields["setup"],
        "sources": fields["sources"],
        "metrics": fields["metrics"],
    }
    if provisional:
        benchmark["provisional"] = True
    benchmark = dataset.merge(benchmark, dataset.read_existing(path))
    entries = []
    for other in others:
        relative = machines.raw_path(machines.of_raw(other), workload.id)
        write_raw(book, relative, other)
        described = workload.describe(other)
        entries.append(machines.entry(other, described["environment"], relative, described["metrics"]))
    reference = machines.entry(raw, fields["environment"], raw_relative)
    if not others and not rebuild:
        # A rerun of the reference alone keeps every named machine's entry as committed.
        existing = dataset.read_existing(path) or {}
        entries = [m for m in existing.get("machines", []) if m["name"] not in (existing.get("machine"), reference["name"])]
    benchmark = machines.with_machines(benchmark, reference, entries)
    return write_benchmark(path, workload, benchmark)


def write_machine(book, workload, raw, provisional):
    """Writes a named machine's raw record and its entry of the benchmark file, keeping the
    reference's figures and every other machine's entry as they are."""
    named = raw["environment"]["machine"]
    path = book / written_paths(workload.id)[1]
    relative = machines.raw_path(named["id"], workload.id)
    fields = workload.describe(raw)
    benchmark = dataset.read_existing(path)
    if named["id"] == benchmark.get("machine"):
        raise RuntimeError(f"{named['id']} is the reference of {workload.id}: rebuild it with --from-raw")
    if "machine" not in benchmark:
        reference_raw = book / written_paths(workload.id)[0]
        if not reference_raw.exists():
            raise RuntimeError(f"no reference raw record {reference_raw} to name the reference machine by")
        reference = json.loads(reference_raw.read_text())
        benchmark["machine"] = machines.of_raw(reference)
        benchmark["machines"] = [machines.entry(reference, benchmark["environment"], written_paths(workload.id)[0])]
    entry = machines.entry(raw, fields["environment"], relative, fields["metrics"])
    if provisional:
        entry["provisional"] = True
    write_raw(book, relative, raw)
    return write_benchmark(path, workload, machines.replace_machine(benchmark, entry))


def write_benchmark(path, workload, benchmark):
    """Writes the benchmark file at `path`; returns the benchmark."""
    written_by = (
        f"Written by `bench/run {workload.id}` from bench/results/{workload.id}.json: rerun it rather than edit the "
        f"figures it measures (the setup and values of any other language are kept)."
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dataset.to_toml(benchmark, written_by))
    return benchmark


def written_paths(workload_id, machine_id=None):
    """The files a run of one workload writes, relative to the book: a named machine's raw
    record goes into its own folder."""
    raw = machines.raw_path(machine_id, workload_id) if machine_id else f"bench/results/{workload_id}.json"
    return (raw, f"data/benchmarks/{workload_id}.toml")


def headline(benchmark):
    """One line: the headline metric's median per language, with its spread."""
    metric = next(m for m in benchmark["metrics"] if m["id"] == benchmark["headline"])
    values = []
    for language, value in metric["values"].items():
        if isinstance(value, dict):
            values.append(f"{language} {value['median']:g} ({value['min']:g}–{value['max']:g}, {value['runs']} runs)")
        else:
            values.append(f"{language} {value:g}")
    intervals = [f"{pair['of']}/{pair['over']} {pair['ratio']:g} [{pair['low']:g}, {pair['high']:g}]" for pair in metric.get("intervals", [])]
    return f"{metric['name']}: " + ", ".join(values) + f" {metric['unit']}" + (f"; {', '.join(intervals)}" if intervals else "")


def from_raw(selected, directory, book):
    """Rewrites the benchmark files of the selected workloads from raw files in `directory`."""
    wrote = 0
    for workload in selected:
        path = directory / f"{workload.id}.json"
        named = machines.others_in(directory, workload.id)
        if not path.exists():
            if not named:
                continue
            # No unnamed reference: the first named machine is the reference.
            path, named = named[0], named[1:]
        raw: dataset.Raw = json.loads(path.read_text())
        named_reference = raw["environment"].get("machine")
        target = book / (machines.raw_path(named_reference["id"], workload.id) if named_reference else f"bench/results/{path.name}")
        try:
            workload.describe(raw)
        except dataset.Legacy as legacy:
            # The benchmark file stays as committed, beside the raw record it names.
            if path.resolve() != target.resolve():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            log(f"{workload.id}: kept data/benchmarks/{workload.id}.toml as it is: its raw record was {legacy}; measure the workload again to rebuild it")
            if named:
                log(f"{workload.id}: the raw records of {len(named)} other machine(s) were not merged: the reference's record must be rebuilt first")
            wrote += 1
            continue
        others = [json.loads(other.read_text()) for other in named]
        benchmark = write(book, workload, raw, others=others, rebuild=True)
        if others:
            log(f"{workload.id}: {len(others) + 1} machines: {', '.join(machine['name'] for machine in benchmark['machines'])}")
        if path.resolve() != target.resolve():
            log(f"{workload.id}: copied its raw record into {target}")
        log(f"{workload.id}: rewrote data/benchmarks/{workload.id}.toml; {headline(benchmark)}")
        wrote += 1
    if not wrote:
        print(f"bench/run: no raw file for the selected workloads in {directory}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def refusals_before(selected, args, setup, thresholds):
    """Why publishing must not start: a dirty or missing commit, a busy machine (unless
    provisional). Empty when it may."""
    reasons = []
    allowed = {path for workload in selected for path in written_paths(workload.id, args.machine_id)}
    commit = setup.commit(allowed)
    if commit is None:
        reasons.append("the repository is not a git checkout, so no commit names the code measured")
    elif not commit.clean:
        listed = ", ".join(commit.changed[:5]) + (f" and {len(commit.changed) - 5} more" if len(commit.changed) > 5 else "")
        reasons.append(f"the working tree differs from commit {commit.id} ({listed}): commit or stash first")
    if not args.provisional:
        wait = quiet.wait_for_quiet(thresholds, args.quiet_timeout, setup.reader)
        reasons += [f"the machine is not quiet: {problem}" for problem in wait.problems]
    return reasons


def seed(stage, book, selected, machine_id=None):
    """Copies the book's files of the selected workloads into the stage, so a rewrite there keeps
    the languages and setup texts it does not measure (and, for a named machine, the reference's
    raw record, which names the reference machine)."""
    for workload in selected:
        for relative in set(written_paths(workload.id)) | set(written_paths(workload.id, machine_id)):
            source = book / relative
            if source.is_file() and source.resolve() != (stage / relative).resolve():
                (stage / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, stage / relative)


def publish(stage, book, ids, machine_id=None):
    """Copies the staged files of the workloads `ids` into the book: a named machine's raw
    records and the benchmark files, never another machine's raw records."""
    for workload_id in ids:
        for relative in written_paths(workload_id, machine_id):
            (book / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(stage / relative, book / relative)
            log(f"published {relative}")


def measure_one(workload, context, langs, found, priority, setup, thresholds, timeout, commit):
    """Measures one workload between two gate readings: its raw record and its gate."""
    wait = quiet.wait_for_quiet(thresholds, timeout, setup.reader)
    log(f"start: {workload.summary}; load average {wait.reading.load:g}, CPU pressure {wait.reading.cpu_pressure}")
    times_before, own_before, started = host.cpu_times(), host.own_cpu_seconds(), time.monotonic()
    measured = workload.measure(context)
    times_after, own_after, elapsed = host.cpu_times(), host.own_cpu_seconds(), time.monotonic() - started
    steal = host.steal_percent(times_before, times_after)
    others = host.others_percent(times_before, times_after, own_after - own_before + context.detached_cpu_seconds, elapsed)
    # The workload's own processes raised the load average; it falls back within a minute or so
    # on a quiet machine, and stays up if other work started meanwhile.
    settled = quiet.wait_for_quiet(thresholds, timeout, setup.reader)
    problems = (
        wait.problems
        + tuple(thresholds.others_problems(others))
        + tuple(f"after the workload, {problem}" for problem in settled.problems)
    )
    gate = environment.Gate(thresholds, timeout, wait.reading, settled.reading, wait.waited, problems, others)
    versions = setup.tool_versions({name: found[name] for name in workload.tools if name in ("wrk", "oha")})
    env = environment.record(workload, langs, versions, priority, gate, steal, commit)
    raw: dataset.Raw = {"benchmark": workload.id, "smoke": context.smoke, **measured, "environment": env}
    return raw, gate


def measure(selected, args, setup):
    thresholds = quiet.Thresholds(load=args.quiet_load, cpu_pressure=args.quiet_pressure, others=args.quiet_others)
    if args.publishing:
        reasons = refusals_before(selected, args, setup, thresholds)
        if reasons:
            print("bench/run: refusing to publish, nothing measured:\n" + "\n".join(f"  - {reason}" for reason in reasons), file=sys.stderr)
            return EXIT_REFUSED
    stage = setup.scratch if args.publishing else args.book
    seed(stage, args.book, selected, args.machine_id)
    needed = {name for workload in selected for name in workload.tools} | set(languages.NEEDS.values())
    try:
        found = setup.prepare(needed)
    except tools.Missing as missing:
        print(f"bench/run: {missing}", file=sys.stderr)
        return tools.EXIT_MISSING_PREREQUISITES
    langs = setup.load_languages(found)
    commit = setup.commit({path for workload in selected for path in written_paths(workload.id, args.machine_id)})
    minutes = sum(workload.minutes for workload in selected) * (0.25 if args.smoke else 1)
    log(
        f"{len(selected)} workload(s): {', '.join(w.id for w in selected)}; about {minutes:.0f} min"
        + (" (smoke)" if args.smoke else "")
        + f"; languages {', '.join(f'{l.name} ({l.version})' for l in langs)}; writing into {stage}"
    )
    failed, noisy, done = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for index, workload in enumerate(selected):
            set_prefix(f"{index + 1}/{len(selected)} {workload.id}")
            work = Path(scratch) / workload.id
            work.mkdir()
            try:
                context = Context(langs, found, args.smoke, work)
                raised = workload.raise_priority and not args.smoke
                with setup.priority() if raised else normal_priority() as priority:
                    raw, gate = measure_one(workload, context, langs, found, priority, setup, thresholds, args.quiet_timeout, commit)
                if args.machine:
                    raw["environment"]["machine"] = {"name": args.machine, "id": args.machine_id}
                benchmark = write(stage, workload, raw, provisional=args.provisional and not gate.quiet)
                log(f"done, load average {gate.after.load:g}, CPU pressure {gate.after.cpu_pressure}: {headline(benchmark)}")
                done.append(workload.id)
                if not gate.quiet:
                    noisy.append(f"{workload.id}: {'; '.join(gate.problems)}")
            except Exception:  # one workload's failure must not lose the others'
                traceback.print_exc()
                log("FAILED; going on with the next workload")
                failed.append(workload.id)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            if noisy and args.publish:
                log("the machine was not quiet: stopping, since nothing of this run can be published")
                break
    set_prefix("bench")
    return conclude(args, setup, stage, done, failed, noisy)


def conclude(args, setup, stage, done, failed, noisy):
    """Publishes when allowed, says where the files are, and picks the exit status."""
    if failed:
        log(f"failed: {', '.join(failed)}")
    for line in noisy:
        log(f"not quiet: {line}")
    if not args.publishing:
        log(f"wrote into {stage}; the book's data/ is untouched (publish with --publish on a quiet machine)")
        return EXIT_FAILED if failed else 0
    if noisy and args.publish:
        print(
            f"bench/run: refusing to publish: a workload missed the quiet gate (see above); the figures are in {stage}",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    publish(stage, args.book, done, args.machine_id)
    if noisy:
        log("published with `provisional = true` on the workloads that missed the quiet gate")
    return EXIT_FAILED if failed else 0


def stop_on_terminate():
    """Makes SIGTERM end the run as an exception does, so that every `finally` stops the servers
    and load generators it started (by default the interpreter would exit at once)."""

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)


def main(argv=None, setup=None):
    stop_on_terminate()
    setup = setup or Setup()
    args = parse_args(argv, setup)
    args.machine_id = machines.identity(args.machine, *setup.hardware()) if args.machine else None
    if args.list:
        width = max(len(workload.id) for workload in setup.workloads)
        for workload in setup.workloads:
            print(f"{workload.id:{width}}  {workload.summary}")
        return 0
    selected = [setup.by_id[name] for name in args.names] or setup.workloads
    if args.from_raw:
        return from_raw(selected, args.from_raw, args.book)
    return measure(selected, args, setup)
