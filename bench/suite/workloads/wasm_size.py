"""WebAssembly module size: a hello-world command and a small exported library function (count
the words of a string), built for WASI preview 1 in both languages, as built and size-optimised,
raw and compressed with gzip at level 9. Sizes do not vary between builds, so each is one
reading. Each module is run under Node's WASI first, when Node is installed, so only modules that
work are measured."""

import gzip
import shutil
import subprocess

from ..dataset import DETERMINISTIC_SIZE
from ..languages import CannotBuild
from ..machine import BENCH, Failed, output
from ..report import log
from .base import HARNESS_SOURCE, Workload, environment_text, metric

WORKLOAD_ID = "wasm-size"
FOLDER = BENCH / WORKLOAD_ID
CHECK = FOLDER / "check.mjs"
# Each program's package name and kind: a command (with `main`) or a library of exported functions.
PROGRAMS = {"hello": "command", "words": "library"}
VARIANTS = ("release", "small")
HELLO = "Hello, world!"
# Words apart by ASCII and Unicode whitespace (an em space and a no-break space are white space to
# both languages' standard libraries), with non-ASCII letters.
WORDS_TEXT = " héllo\twörld\u2003three\u00a0four \n"
WORDS_EXPECTED = "4"
KIB = 1024


def gzipped_size(data):
    """The size of `data` compressed with gzip at level 9, with no file name or time in the
    header (as `gzip -9n`), so the size depends on the data alone."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def check(node, kind, module):
    """Runs the module under Node's WASI and fails unless it does its job; returns what was
    checked, in words."""
    if node is None:
        return "not run: no `node` on this machine"
    arguments = [node, CHECK, kind, module] + ([WORDS_TEXT] if kind == "library" else [])
    try:
        said = output(arguments)
    except subprocess.CalledProcessError as err:
        raise Failed(f"{module} failed under Node's WASI ({err.returncode}): {err.stderr[-2000:]}") from err
    expected = HELLO if kind == "command" else WORDS_EXPECTED
    if said != expected:
        raise Failed(f"{module} under Node's WASI said {said!r}, not {expected!r}")
    if kind == "command":
        return f"ran under Node's WASI and printed `{HELLO}`"
    return f"ran under Node's WASI and counted {WORDS_EXPECTED} words, with non-ASCII letters, apart by a tab, an em space and a no-break space"


def _measure(context):
    node = shutil.which("node")
    runs, checks, cannot, built = {}, {}, {}, {}
    for language in context.languages:
        folder = FOLDER / language.id
        try:
            language.wasm_ready(folder)
        except CannotBuild as why:
            cannot[language.id] = str(why)
            log(f"{language.name}: cannot build WebAssembly here: {why}")
            continue
        built[language.id] = {variant: language.describe_wasm(variant) for variant in VARIANTS}
        for program, kind in PROGRAMS.items():
            for variant in VARIANTS:
                module = language.build_wasm(folder, program, variant, kind)
                checks.setdefault(f"{program}-{variant}", {})[language.id] = check(node, kind, module)
                data = module.read_bytes()
                for compression, size in (("raw", len(data)), ("gzip", gzipped_size(data))):
                    runs.setdefault(f"{program}-{variant}-{compression}", {})[language.id] = [size / KIB]
                log(f"{language.name} {program} {variant}: {len(data)} bytes, {gzipped_size(data)} gzipped")
    return {
        "params": {"targets": {language.id: language.WASM_TARGET for language in context.languages}, "builds": built, "cannot_build": cannot},
        "runs": runs,
        "details": {"checks": checks},
    }


LABELS = {
    "hello": "hello-world command",
    "words": "library (one exported string function)",
    "release": "as built",
    "small": "size-optimised",
    "raw": "raw",
    "gzip": "gzip -9",
}


def _describe(raw):
    names = raw["environment"]["names"]
    params = raw["params"]
    checks = raw["details"]["checks"]
    metrics = []
    for program in PROGRAMS:
        for variant in VARIANTS:
            for compression in ("raw", "gzip"):
                key = f"{program}-{variant}-{compression}"
                if key not in raw["runs"]:
                    continue
                checked = "; ".join(f"{names[language]}: {text}" for language, text in checks.get(f"{program}-{variant}", {}).items())
                how = "The module's size in bytes on disk" if compression == "raw" else "Its size compressed with gzip at level 9 (no name or time in the header), as a server would send it"
                metrics.append(
                    metric(
                        raw,
                        key,
                        f"WebAssembly {LABELS[program]}, {LABELS[variant]}, {LABELS[compression]}",
                        "KiB",
                        "lower",
                        f"{how}. {checked}.",
                        band=DETERMINISTIC_SIZE,
                    )
                )
    cannot = " ".join(f"What this machine cannot build: {names[language]}: {why}." for language, why in params["cannot_build"].items())
    targets = "; ".join(f"{names[language]}: `{target}`" for language, target in params["targets"].items())
    return {
        "title": "WebAssembly module size: hello world and a small library",
        "description": (
            "The size of a WebAssembly module built for WASI preview 1 (" + targets + "): a hello-world command that "
            "prints to standard output, and a library exporting one string function (count the words of a UTF-8 "
            "string the host writes into a buffer from an exported `alloc`; Go builds it as a WASI reactor with "
            "`-buildmode=c-shared` and `//go:wasmexport`, Rust as a `cdylib`). As the release build leaves it and "
            "size-optimised, raw and compressed with gzip at level 9. Each module is first run under Node's WASI "
            "and must print its line or return the right count. KiB are 1024 bytes."
        ),
        "limits": (
            "Size only: not start-up or speed in a WebAssembly runtime. WASI preview 1 only: not the browser targets "
            "(Go's `GOOS=js`, Rust's `wasm32-unknown-unknown` with `wasm-bindgen`), whose glue code is left out here. "
            "No `wasm-opt`, no TinyGo (a separate Go compiler that builds much smaller modules), no custom allocator "
            "or `no_std`: the languages' standard toolchains and libraries only. Go's module carries its runtime and "
            "garbage collector, Rust's its allocator and panic machinery, so the sizes say what a small program costs, "
            "not how either grows with a program." + (f" {cannot}" if cannot else "")
        ),
        "headline": "hello-release-raw",
        "environment": environment_text(raw, "One build per variant; a size is the same on every build."),
        "setup": {language: f"As built: {builds['release']}; size-optimised: {builds['small']}." for language, builds in params["builds"].items()},
        "sources": [
            HARNESS_SOURCE,
            {"title": "The Rust and WebAssembly book: Shrinking .wasm code size", "url": "https://rustwasm.github.io/docs/book/reference/code-size.html"},
            {"title": "Go Wiki: WebAssembly", "url": "https://go.dev/wiki/WebAssembly"},
        ],
        "metrics": metrics,
    }


WORKLOAD = Workload(
    id=WORKLOAD_ID,
    summary="WebAssembly (WASI) module size of hello world and a small library, raw and gzipped",
    measure=_measure,
    describe=_describe,
    programs=(WORKLOAD_ID,),
    minutes=2,
)
