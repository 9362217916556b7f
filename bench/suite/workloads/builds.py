"""Builds of the HTTP JSON server: a cold release build, an incremental debug build after a
one-line change (the edit-compile loop), and the linter a developer runs after an edit
(`cargo clippy` vs `go vet`). Each language builds a copy of its program, so the repository's
files are never edited.

The copies live under `bench/.build/`, inside the repository, so everything that applies to a
build of the program in place applies to them too: the repository's toolchain file above them
picks the same compiler as every other build of the suite."""

import shutil

from ..languages import BUILD
from ..machine import interleaved, process_figures
from ..report import log
from ..servers import PROGRAM
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural

STEPS = ("cold-release", "rebuild-debug", "lint")


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
    root = BUILD / ("builds-smoke" if smoke else "builds")
    scratch = {language.id: root / language.id for language in context.languages}
    for language in context.languages:
        scratch[language.id].mkdir(parents=True, exist_ok=True)
        language.fetch(_copy(language, scratch[language.id]))
        # A first debug build and a first lint, untimed, so the timed ones measure the loop of
        # edit and build, or edit and lint.
        source = _copy(language, scratch[language.id])
        language.rebuild(source, scratch[language.id])
        language.check(source, scratch[language.id])

    def one(language, index):
        work = scratch[language.id]
        source = _copy(language, work)
        cold = language.cold_build(source, work, clean=params["cold"])
        _edit(language, source, 2 * index + 1)
        rebuild = language.rebuild(source, work)
        _edit(language, source, 2 * index + 2)
        lint = language.check(source, work)
        log(
            f"round {index + 1}/{params['runs']} {language.name}: cold release {cold.seconds:.1f} s, "
            f"debug rebuild {rebuild.seconds:.1f} s, {language.CHECK} {lint.seconds:.2f} s"
        )
        return cold, rebuild, lint

    results = interleaved(context.languages, params["runs"], one)
    if not smoke:
        shutil.rmtree(root, ignore_errors=True)
    params["lint"] = {language.id: language.CHECK for language in context.languages}
    per_step = {name: {language: [run[i] for run in runs] for language, runs in results.items()} for i, name in enumerate(STEPS)}
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
    actix = raw["environment"]["crates"].get("rust", {}).get("actix-web", "4")
    method = (
        f"{runs} per language, alternating languages, each on a fresh copy of the program inside the "
        f"repository (`bench/.build/`), so its `rust-toolchain.toml` applies; builds use both cores{cold}. "
        f"Dependencies were downloaded before timing (`cargo fetch`); Go's need none. A first debug build "
        f"and a first lint ran untimed before the rounds."
    )
    return {
        "title": "Build times of the HTTP JSON server",
        "description": (
            f"How long the `http-json` server takes to build: a cold release build (Rust: actix-web {actix} "
            "without its default features, only its macros, and serde, every crate of the lock file compiled "
            "into an empty target directory; Go: an empty `GOCACHE`, so the standard-library packages it uses "
            "are compiled too), an incremental debug build after a one-line change to the main source file "
            "(`cargo build` against `go build`: the edit-compile loop), and the linter a developer runs after "
            "such a change (`cargo clippy` against `go vet`)."
        ),
        "limits": (
            "One small program with one framework: a larger code base, more dependencies or a workspace "
            "change the picture, and actix-web's default features (HTTP/2, compression, cookies) would add "
            "much of a cold build. No link-time optimisation, no `sccache`, no remote cache; Rust's standard "
            "library comes precompiled, Go's is compiled in the cold build. Go has one build mode, so its "
            "debug build is its release build. The lint is warm (after a first run); `cargo clippy` "
            "type-checks the crate again before its lints, `go vet` runs its analysers on a type-checked "
            "package, and the two sets of checks differ."
        ),
        "headline": "cold-release",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                "actix-web server of `http-json` (`default-features = false`, `features = [\"macros\"]`): "
                "`cargo build --release --locked --offline` from an empty target directory; `cargo build` "
                "(debug) after appending `const _: u32 = N;` to `main.rs`; `cargo clippy` after another such line."
            ),
            "go": (
                "`net/http` server of `http-json`: `CGO_ENABLED=0 go build` with an empty `GOCACHE`; the same "
                "after appending `var _ = N` to `main.go`; `go vet` after another such line."
            ),
        },
        "sources": [HARNESS_SOURCE],
        "metrics": [
            metric(raw, "cold-release", "Cold release build", "s", "lower", f"Wall time, {runs}."),
            metric(
                raw,
                "rebuild-debug",
                "Debug build after a one-line change (`cargo build` / `go build`)",
                "s",
                "lower",
                f"Wall time, {runs}, with the build's cache warm: only the edited package is compiled again.",
            ),
            metric(
                raw,
                "lint",
                "Lint after a one-line change (`cargo clippy` / `go vet`)",
                "s",
                "lower",
                f"Wall time, {runs}, with the linter's cache warm.",
            ),
        ],
    }


WORKLOAD = Workload(
    id="builds",
    summary="cold release build, debug rebuild, cargo clippy vs go vet",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    minutes=8,
)
