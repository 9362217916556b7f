"""Binary size of the HTTP JSON server and the hello-world CLI, like with like: every build
compared is statically linked (each row says so, read from the executable's own headers), as
built, stripped and size-optimised. Sizes do not vary between builds, so each is one reading."""

import shutil

from ..dataset import DETERMINISTIC_SIZE
from ..elf import linkage
from ..languages import BUILD
from ..machine import MIB, Failed, timed
from ..report import log
from ..servers import PROGRAM as SERVER
from .base import HARNESS_SOURCE, Workload, environment_text, metric
from .startup import PROGRAM as CLI

PROGRAMS = {"server": SERVER, "cli": CLI}
KINDS = ("static", "stripped", "small")
STATIC = "statically linked"


def _measure(context):
    strip = context.tools["strip"]
    runs, details = {}, {}
    for language in context.languages:
        for name, program in PROGRAMS.items():
            built = {"static": language.build(program, "static")}
            stripped = BUILD / program / f"{language.id}-static-stripped" / built["static"].name
            stripped.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built["static"], stripped)
            timed([strip, "--strip-all", stripped])
            built["stripped"] = stripped
            built["small"] = language.build(program, "small")
            for kind, path in built.items():
                key = f"{name}-{kind}"
                size = path.stat().st_size / MIB
                linked = linkage(path)
                if not linked.startswith(STATIC):
                    raise Failed(f"the {language.name} {name} build `{kind}` is not static but {linked}: not like with like")
                runs.setdefault(key, {})[language.id] = [size]
                details.setdefault(key, {})[language.id] = linked
                log(f"{language.name} {name} {kind}: {size:.2f} MiB, {linked}")
    return {
        "params": {
            "variants": {language.id: {kind: language.describe_build(kind) for kind in ("static", "small")} for language in context.languages},
            "cannot_build": {language.id: language.static_caveat() for language in context.languages if language.static_caveat()},
        },
        "runs": runs,
        "details": {"linkage": details},
    }


LABELS = {
    "static": ("static, as built", "Linked statically, so it needs no shared library at run time; as its release build leaves it."),
    "stripped": ("static, stripped", "The static executable after `strip --strip-all` (no symbol table, no debug info)."),
    "small": ("static, size-optimised", "Linked statically and built with the toolchain's options for a small binary."),
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
    missing = raw["params"]["cannot_build"]
    cannot = (
        " What this machine cannot build: " + "; ".join(f"{names[language]}: {text}" for language, text in missing.items()) + "."
        if missing
        else ""
    )

    def setup(language):
        builds = variants[language]
        return f"Static: {builds['static']}; stripped: `strip --strip-all` of it; size-optimised: {builds['small']}."

    return {
        "title": "Binary size: HTTP server and hello-world CLI, statically linked",
        "description": (
            "The size on disk of the `http-json` server and the `startup` hello-world program, each linked "
            "statically in both languages, so that like is compared with like: as the release build leaves "
            "it, stripped, and built with the toolchain's size options. Every row names the linking the "
            "runner read from the executable's ELF headers. MiB are 1024 × 1024 bytes."
        ),
        "limits": (
            "Size on disk only: not memory at run time (see `startup` and `http-json`), not the size "
            "after compression or in a container image. Static builds only: a toolchain's default build "
            "may link the C library dynamically, and a dynamic build leaves its shared libraries out of its "
            "size, so a dynamic build is never compared with a static one. "
            "No `upx`, no `build-std`, no custom linker flags beyond those listed." + cannot
        ),
        "headline": "server-static",
        "environment": environment_text(raw, "One build per variant; a size is the same on every build."),
        "setup": {language: setup(language) for language in variants},
        "sources": [HARNESS_SOURCE, {"title": "The Cargo Book: Profiles", "url": "https://doc.rust-lang.org/cargo/reference/profiles.html"}],
        "metrics": metrics,
    }


WORKLOAD = Workload(
    id="binary-size",
    summary="server and CLI size, statically linked: as built, stripped, size-optimised",
    measure=_measure,
    describe=_describe,
    programs=(SERVER, CLI),
    tools=("strip",),
    minutes=6,
)
