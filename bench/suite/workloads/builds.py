"""Builds of the HTTP JSON server: a cold release build, a rebuild after a one-line change, and
the quick check a developer runs after an edit (`cargo check` vs `go vet`). Each language
builds a copy of its program, so the repository's files are never edited."""

import shutil

from ..languages import BUILD
from ..machine import interleaved, process_figures
from ..report import log
from ..servers import PROGRAM
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural


def _copy(language, scratch):
    source = scratch / "source"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(language.source(PROGRAM), source, ignore=shutil.ignore_patterns("target"))
    return source


def _edit(language, source, number):
    with language.main_file(source).open("a") as file:
        file.write(language.edit_line(number))


def _measure(context):
    smoke = context.smoke
    params = {"runs": 1 if smoke else 3, "cold": not smoke}
    # A smoke run keeps its build folders between runs, so its "cold" build is warm after the first.
    root = BUILD / "builds-smoke" if smoke else context.scratch
    scratch = {language.id: root / language.id for language in context.languages}
    for language in context.languages:
        scratch[language.id].mkdir(parents=True, exist_ok=True)
        language.fetch(_copy(language, scratch[language.id]))
        # A first check, untimed, so the timed ones measure the edit-and-check loop.
        language.check(_copy(language, scratch[language.id]), scratch[language.id])

    def one(language, index):
        work = scratch[language.id]
        source = _copy(language, work)
        cold = language.cold_build(source, work, clean=params["cold"])
        _edit(language, source, 2 * index + 1)
        rebuild = language.rebuild(source, work)
        _edit(language, source, 2 * index + 2)
        check = language.check(source, work)
        log(
            f"round {index + 1}/{params['runs']} {language.name}: cold {cold.seconds:.1f} s, rebuild {rebuild.seconds:.1f} s, "
            f"{language.CHECK} {check.seconds:.2f} s"
        )
        return cold, rebuild, check

    results = interleaved(context.languages, params["runs"], one)
    params["check"] = {language.id: language.CHECK for language in context.languages}
    names = ("cold-release", "rebuild", "check")
    per_step = {name: {language: [run[i] for run in runs] for language, runs in results.items()} for i, name in enumerate(names)}
    return {
        "params": params,
        "runs": {name: {language: [run.seconds for run in runs] for language, runs in step.items()} for name, step in per_step.items()},
        "processes": {name: process_figures(step) for name, step in per_step.items()},
        "details": {},
    }


def _describe(raw):
    params = raw["params"]
    runs = plural(params["runs"], "round")
    cold = "" if params["cold"] else " (a smoke run: the build folders were kept, so nothing was cold)"
    method = (
        f"{runs} per language, alternating languages, each on a fresh copy of the program; builds use "
        f"both cores{cold}. Dependencies were downloaded before timing (`cargo fetch`); Go's need none."
    )
    return {
        "title": "Build times of the HTTP JSON server",
        "description": (
            "How long the `http-json` server takes to build: a cold release build (Rust: an empty target "
            "directory, so every crate of the lock file is compiled; Go: an empty `GOCACHE`, so the "
            "standard-library packages it uses are compiled too), a release rebuild after a one-line "
            "change to the main source file, and the check a developer runs after such a change."
        ),
        "limits": (
            "One small program with one framework: a larger code base, more dependencies or a workspace "
            "change the picture. No link-time optimisation, no `sccache`, no remote cache; Rust's "
            "standard library comes precompiled, Go's is compiled in the cold build. The check is warm "
            "(after a first check), and `cargo check` type-checks while `go vet` runs its analysers on "
            "an already type-checked package."
        ),
        "headline": "cold-release",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                "actix-web server of `http-json`: `cargo build --release --locked --offline` from an empty "
                "target directory; rebuild the same after appending `const _: u32 = N;` to `main.rs`; "
                "`cargo check` after another such line."
            ),
            "go": (
                "`net/http` server of `http-json`: `CGO_ENABLED=0 go build` with an empty `GOCACHE`; "
                "rebuild the same after appending `var _ = N` to `main.go`; `go vet` after another such line."
            ),
        },
        "sources": [HARNESS_SOURCE],
        "metrics": [
            metric(raw, "cold-release", "Cold release build", "s", "lower", f"Wall time, {runs}."),
            metric(raw, "rebuild", "Rebuild after a one-line change", "s", "lower", f"Wall time, {runs}."),
            metric(
                raw,
                "check",
                "Check after a one-line change (`cargo check` / `go vet`)",
                "s",
                "lower",
                f"Wall time, {runs}, with the checker's cache warm.",
            ),
        ],
    }


WORKLOAD = Workload(
    id="builds",
    summary="cold release build, rebuild, cargo check vs go vet",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    minutes=12,
)
