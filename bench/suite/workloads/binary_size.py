"""Binary size of the HTTP JSON server and the hello-world CLI: as built, stripped, static and
size-optimised. Sizes do not vary between builds, so each is one reading."""

import shutil

from ..dataset import DETERMINISTIC_SIZE
from ..elf import linkage
from ..languages import BUILD
from ..machine import MIB, timed
from ..report import log
from ..servers import PROGRAM as SERVER
from .base import HARNESS_SOURCE, Workload, environment_text, metric
from .startup import PROGRAM as CLI

PROGRAMS = {"server": SERVER, "cli": CLI}
KINDS = ("default", "stripped", "static", "small")


def _measure(context):
    strip = context.tools["strip"]
    runs, details = {}, {}
    for language in context.languages:
        for name, program in PROGRAMS.items():
            built = {"default": language.build(program, "release")}
            stripped = BUILD / program / f"{language.id}-stripped" / built["default"].name
            stripped.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built["default"], stripped)
            timed([strip, "--strip-all", stripped])
            built["stripped"] = stripped
            built["static"] = language.build(program, "static")
            built["small"] = language.build(program, "small")
            for kind, path in built.items():
                size = path.stat().st_size / MIB
                runs.setdefault(f"{name}-{kind}", {})[language.id] = [size]
                details.setdefault(f"{name}-{kind}", {})[language.id] = linkage(path)
                log(f"{language.name} {name} {kind}: {size:.2f} MiB, {details[f'{name}-{kind}'][language.id]}")
    return {"params": {"variants": {language.id: {kind: language.describe_build(kind) for kind in ("release", "static", "small")} for language in context.languages}}, "runs": runs, "details": {"linkage": details}}


LABELS = {
    "default": ("as built", "The executable as its release build leaves it."),
    "stripped": ("stripped", "The as-built executable after `strip --strip-all` (no symbol table, no debug info)."),
    "static": ("static", "Linked statically, so it needs no shared library at run time."),
    "small": ("size-optimised", "Built with the toolchain's options for a small binary."),
}


def _describe(raw):
    names = raw["environment"]["names"]
    linkages = raw["details"]["linkage"]
    metrics = []
    for name, program in (("server", "HTTP JSON server"), ("cli", "hello-world CLI")):
        for kind in KINDS:
            label, what = LABELS[kind]
            key = f"{name}-{kind}"
            how = "; ".join(f"{names[language]}: {text}" for language, text in linkages[key].items())
            metrics.append(metric(raw, key, f"{program}, {label}", "MiB", "lower", f"{what} {how}.", band=DETERMINISTIC_SIZE))
    variants = raw["params"]["variants"]

    def setup(language):
        builds = variants[language]
        return (
            f"As built: {builds['release']}; stripped: `strip --strip-all` of it; static: {builds['static']}; "
            f"size-optimised: {builds['small']}."
        )

    return {
        "title": "Binary size: HTTP server and hello-world CLI",
        "description": (
            "The size on disk of the `http-json` server and the `startup` hello-world program, each built "
            "four ways: the release build as the toolchain makes it, that build stripped, a statically "
            "linked build, and a build with the toolchain's size options. MiB are 1024 × 1024 bytes."
        ),
        "limits": (
            "Size on disk only: not memory at run time (see `startup` and `http-json`), not the size "
            "after compression or in a container image. No `upx`, no `build-std`, no custom linker flags "
            "beyond those listed."
        ),
        "headline": "server-default",
        "environment": environment_text(raw, "One build per variant; a size is the same on every build."),
        "setup": {language: setup(language) for language in variants},
        "sources": [HARNESS_SOURCE, {"title": "The Cargo Book: Profiles", "url": "https://doc.rust-lang.org/cargo/reference/profiles.html"}],
        "metrics": metrics,
    }


WORKLOAD = Workload(
    id="binary-size",
    summary="server and CLI size: as built, stripped, static, size-optimised",
    measure=_measure,
    describe=_describe,
    programs=(SERVER, CLI),
    tools=("strip",),
    minutes=8,
)
