"""How each language builds a workload's program: the only module that knows a toolchain.

Each workload folder holds one program per language, in a folder named by the language's id
(`bench/<workload>/rust`, `bench/<workload>/go`). Builds go to `bench/.build/`, ignored by git.
A language is an object with the same methods, so workloads never name one."""

import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import tools
from .advisories import OSV, RUSTSEC, Database, Package
from .machine import BENCH, output, timed
from .report import log

BUILD = BENCH / ".build"


@dataclass(frozen=True)
class Release:
    """A toolchain release and the day it shipped."""

    version: str
    date: str


def version_key(version):
    """`1.95.0` as (1, 95, 0), for comparing releases."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


class CannotBuild(Exception):
    """This machine cannot build a program for a target; the message says why."""


def cargo_tree_packages(text):
    """The packages of `cargo tree --prefix none` output, each once: a line is `NAME vVERSION`,
    maybe followed by the package's folder, `(proc-macro)` or `(*)` (already shown). A crate is
    its own module: the unit both of compiling and of releasing. The standard library, which
    `cargo tree` does not list, is added as the one package `std`, as RustSec names it."""
    seen = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[1].startswith("v"):
            seen.setdefault((fields[0], fields[1]), Package(fields[0], fields[0], False, fields[1].removeprefix("v")))
    return [*seen.values(), Package("std", "std", True)]


def go_list_packages(text):
    """The packages of `go list -deps -f '{{.ImportPath}}\t{{.Standard}}\t{{with .Module}}{{.Path}}{{end}}'`:
    a standard-library package belongs to the module the Go vulnerability database calls `stdlib`."""
    packages = []
    for line in text.splitlines():
        if not line.strip():
            continue
        path, standard, module = (line.split("\t") + ["", ""])[:3]
        is_standard = standard == "true"
        packages.append(Package(path, "stdlib" if is_standard else module or path, is_standard))
    return packages


def go_list_modules(text):
    """The module paths of `go list -m all` (a line is `PATH [VERSION]`; the main module first,
    without a version)."""
    return [line.split()[0] for line in text.splitlines() if line.strip()]

def go_mod_requires(text):
    """`{module path: version}` of a go.mod's direct requirements (its `require` lines, one by
    one or in blocks, without those marked `// indirect`)."""
    requires, block = {}, False
    for line in text.splitlines():
        words = line.split("//")[0].split()
        indirect = "// indirect" in line
        if block and words == [")"]:
            block = False
        elif words[:2] == ["require", "("]:
            block = True
        elif (block or words[:1] == ["require"]) and not indirect:
            module = words[1:] if words[:1] == ["require"] else words
            if len(module) == 2:
                requires[module[0]] = module[1]
    return requires


class Rust:
    """Cargo packages, one workspace each, with their own Cargo.lock."""

    id = "rust"
    name = "Rust"
    # The newest stable release known when this was written (data, not a query: update it when
    # a release ships); the environment text says when the toolchain used is older.
    NEWEST_STABLE = Release("1.100", "2026-11-12")
    SMALL = (
        'profile.release.opt-level="z"',
        "profile.release.lto=true",
        "profile.release.codegen-units=1",
        'profile.release.panic="abort"',
        "profile.release.strip=true",
    )

    def __init__(self, found):
        self.cargo = found["cargo"]
        self.version = tools.rust_version()
        self.triple = tools.host_triple()

    def source(self, workload):
        """The program's folder."""
        return BENCH / workload / self.id

    def compiler(self, folder):
        """`rustc -vV` as run in `folder`, where the program builds (so a `rust-toolchain.toml`
        there or above applies): `(version, description)`."""
        fields = dict(line.split(": ", 1) for line in output(["rustc", "-vV"], cwd=folder).splitlines()[1:] if ": " in line)
        text = f"rustc {fields.get('release', '?')} ({fields.get('commit-hash', '?')[:9]} {fields.get('commit-date', '?')}"
        text += f"; LLVM {fields['LLVM version']}" if "LLVM version" in fields else ""
        return fields.get("release", "?"), text + f"; {fields.get('host', '?')})"

    def main_file(self, source):
        """The file a one-line change goes into."""
        return source / "src" / "main.rs"

    def edit_line(self, number):
        """A line of code that changes the program without changing what it does."""
        return f"const _: u32 = {number};\n"

    def _package(self, source):
        return tomllib.loads((source / "Cargo.toml").read_text())

    def crates(self, workload):
        """Versions of the program's direct dependencies, from its Cargo.lock."""
        source = self.source(workload)
        direct = set(self._package(source).get("dependencies", {}))
        locked = tomllib.loads((source / "Cargo.lock").read_text())["package"]
        return {package["name"]: package["version"] for package in locked if package["name"] in direct}

    def describe_build(self, variant):
        """The build command of a variant, for the setup text."""
        return {
            "release": "`cargo build --release` (default release profile)",
            "static": f"`RUSTFLAGS='-C target-feature=+crt-static' cargo build --release --target {self.triple}`",
            "small": f"`RUSTFLAGS='-C target-feature=+crt-static' cargo build --release --target {self.triple}` with "
            + ", ".join(f"`{item.split('.')[-1]}`" for item in self.SMALL),
        }[variant]

    def build(self, workload, variant="release"):
        """Builds the program (incrementally) and returns its executable."""
        source = self.source(workload)
        target = BUILD / workload / f"{self.id}-{variant}"
        command = [self.cargo, "build", "--release", "--locked", "--target-dir", target]
        env = dict(os.environ)
        out = target / "release"
        if variant in ("static", "small"):  # the small build is static too, as Go's is
            env["RUSTFLAGS"] = "-C target-feature=+crt-static"
            command += ["--target", self.triple]
            out = target / self.triple / "release"
        if variant == "small":
            for item in self.SMALL:
                command += ["--config", item]
        timed(command, cwd=source, env=env)
        return out / self._package(source)["package"]["name"]

    def fetch(self, source):
        """Downloads the dependencies, so that timed builds can run offline."""
        timed([self.cargo, "fetch", "--locked"], cwd=source)

    def cold_build(self, source, scratch, clean=True):
        """A release build from an empty target directory (unless `clean` is false, for a smoke
        run); returns its `Run` record."""
        target = scratch / "target"
        if clean:
            shutil.rmtree(target, ignore_errors=True)
        return timed([self.cargo, "build", "--release", "--locked", "--offline", "--target-dir", target], cwd=source)

    def rebuild(self, source, scratch):
        """An incremental debug build (`cargo build`, the development profile) in a target
        directory of its own, warm once a first one has passed (call it after a one-line change)."""
        return timed([self.cargo, "build", "--locked", "--offline", "--target-dir", scratch / "debug"], cwd=source)

    def check(self, source, scratch):
        """`cargo clippy` (the development profile) in a target directory of its own, which is
        incremental once a first run has passed."""
        return timed([self.cargo, "clippy", "--locked", "--offline", "--target-dir", scratch / "check"], cwd=source)

    CHECK = "`cargo clippy`"

    # Where the runner reads advisories: RustSec's own repository, at a pinned commit.
    ADVISORIES = Database(
        name="RustSec advisory database",
        url="https://github.com/rustsec/advisory-db",
        commit="bf5c0d245a92671908518d7e765914d437954ed6",
        date="2026-08-21",
        format=RUSTSEC,
        folders=("crates", "rust/std"),
    )
    PACKAGE_UNIT = "crates"
    MODULE_UNIT = "crates (a crate is also the unit of release)"

    def dependencies(self, workload):
        """The packages the program compiles in (`cargo tree --edges normal`, its own crate
        included, build and development dependencies left out) and its modules, which for Rust
        are the same crates."""
        text = output([self.cargo, "tree", "--locked", "--edges", "normal", "--prefix", "none"], cwd=self.source(workload))
        packages = cargo_tree_packages(text)
        return packages, sorted({f"{package.name} {package.version}" for package in packages if not package.standard})

    DEPENDENCIES = "`cargo tree --edges normal --prefix none` (host target), each crate and version once"

    WASM_TARGET = "wasm32-wasip1"

    def wasm_ready(self, folder):
        """Checks, in the folder the programs build in (so its toolchain file applies), that the
        WebAssembly target is installed, and adds it with rustup when it is not. Raises
        `CannotBuild` saying why when it cannot."""
        try:
            installed = output(["rustup", "target", "list", "--installed"], cwd=folder).split()
        except (OSError, subprocess.CalledProcessError) as err:
            raise CannotBuild(f"no `rustup` to list or add the `{self.WASM_TARGET}` target ({err})") from err
        if self.WASM_TARGET in installed:
            return
        log(f"adding the Rust target {self.WASM_TARGET}: `rustup target add {self.WASM_TARGET}`")
        result = subprocess.run(["rustup", "target", "add", self.WASM_TARGET], cwd=folder, capture_output=True, text=True)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise CannotBuild(f"the `{self.WASM_TARGET}` target is not installed and `rustup target add {self.WASM_TARGET}` failed ({last})")

    def describe_wasm(self, variant):
        """The WebAssembly build command of a variant, for the setup text."""
        command = f"`cargo build --release --target {self.WASM_TARGET}`"
        if variant == "small":
            return command + " with " + ", ".join(f"`{item.split('.')[-1]}`" for item in self.SMALL)
        return command + " (default release profile)"

    def build_wasm(self, folder, program, variant, kind):
        """Builds one package of the workspace in `folder` for WebAssembly; returns the module.
        `kind` is `command` (a binary) or `library` (a `cdylib`); call `wasm_ready` first."""
        target = BUILD / folder.parent.name / f"{self.id}-{variant}"
        command = [self.cargo, "build", "--release", "--locked", "--target", self.WASM_TARGET, "--package", program, "--target-dir", target]
        if variant == "small":
            for item in self.SMALL:
                command += ["--config", item]
        timed(command, cwd=folder)
        return target / self.WASM_TARGET / "release" / f"{program}.wasm"

    def static_caveat(self):
        """What this machine lacks for the usual static build (the musl target), in words, or ''."""
        musl = self.triple.replace("-gnu", "-musl")
        try:
            installed = output(["rustup", "target", "list", "--installed"]).split()
        except (OSError, subprocess.CalledProcessError):
            return f"no `rustup` to list the installed targets, so no musl target (`{musl}`) was looked for"
        if musl in installed:
            return ""
        return f"no musl target (`{musl}`): `rustup target list --installed` lists only {', '.join(f'`{t}`' for t in installed)}"


class Go:
    """Go modules, one per program: most use the standard library only (no go.sum); one that
    requires modules lists them in its go.mod and go.sum, which the `go` command downloads through
    the module proxy of the caller's environment (`GOPROXY`, `GOFLAGS` aside, is passed through)."""

    id = "go"
    name = "Go"
    # No newest release is recorded for Go: the environment text says nothing about it.
    NEWEST_STABLE = None

    def __init__(self, found):
        self.go = found["go"]
        self.version = tools.go_version(self.go)

    def source(self, workload):
        """The program's folder."""
        return BENCH / workload / self.id

    def compiler(self, folder):
        """`go version` as run in `folder`, where the program builds: `(version, description)`."""
        text = output([self.go, "version"], cwd=folder, env=self.env(BUILD / "gocache", folder))
        version = text.split()[2] if len(text.split()) > 2 else "?"
        return version.removeprefix("go"), text.removeprefix("go version ")

    def main_file(self, source):
        """The file a one-line change goes into."""
        return source / "main.go"

    def edit_line(self, number):
        """A line of code that changes the program without changing what it does."""
        return f"var _ = {number}\n"

    def crates(self, workload):
        """Versions of the modules the program requires directly, from its go.mod (none for a
        program that uses the standard library only)."""
        return go_mod_requires((self.source(workload) / "go.mod").read_text())

    def env(self, gocache, folder):
        """The environment of a `go` command run in `folder`: the given cache, the installed
        toolchain only (never a download), none of the caller's GOFLAGS, and cgo off, so the
        binary is static whatever C compiler is installed, as Go services are usually shipped. A
        module without a go.sum (the standard library only) builds with no workspace
        (`GOWORK=off`): it needs none, and a workspace the caller set for a module that downloads
        its requirements would not list it. Otherwise the caller's `GOPROXY`, `GOSUMDB` and
        `GOWORK` apply."""
        env = dict(os.environ, GOCACHE=str(gocache), GOTOOLCHAIN="local", GOFLAGS="", CGO_ENABLED="0")
        if not (Path(folder) / "go.sum").exists():
            env["GOWORK"] = "off"
        return env

    def describe_build(self, variant):
        """The build command of a variant, for the setup text."""
        return {
            "release": "`CGO_ENABLED=0 go build` (static already)",
            "static": "`CGO_ENABLED=0 go build`: the same build as the release one",
            "small": "`CGO_ENABLED=0 go build -trimpath -ldflags='-s -w'` (Go has no size-optimising mode)",
        }[variant]

    def build(self, workload, variant="release"):
        """Builds the program (with the shared build cache) and returns its executable."""
        binary = BUILD / workload / f"{self.id}-{variant}" / workload
        flags = ["-trimpath", "-ldflags=-s -w"] if variant == "small" else []
        timed([self.go, "build", "-buildvcs=false", *flags, "-o", binary, "."], cwd=self.source(workload), env=self.env(BUILD / "gocache", self.source(workload)))
        return binary

    def fetch(self, source):
        """Downloads the modules a program requires (`go mod download`), so that timed builds
        need no network; nothing for one that uses the standard library only."""
        if (source / "go.sum").exists():
            timed([self.go, "mod", "download"], cwd=source, env=self.env(BUILD / "gocache", source))

    def cold_build(self, source, scratch, clean=True):
        """A build with a new empty GOCACHE (unless `clean` is false, for a smoke run), which
        compiles the standard-library packages it needs too; returns its `Run` record."""
        gocache = scratch / "gocache"
        if clean:
            shutil.rmtree(gocache, ignore_errors=True)
        gocache.mkdir(parents=True, exist_ok=True)
        return timed([self.go, "build", "-buildvcs=false", "-o", scratch / "program", "."], cwd=source, env=self.env(gocache, source))

    def rebuild(self, source, scratch):
        """A build after the cold one, with its cache (call it after a one-line change). Go has
        one build mode: this is both its debug and its release build."""
        return timed([self.go, "build", "-buildvcs=false", "-o", scratch / "program", "."], cwd=source, env=self.env(scratch / "gocache", source))

    def static_caveat(self):
        """Nothing is missing for a static Go build: `CGO_ENABLED=0` makes one."""
        return ""

    def check(self, source, scratch):
        """`go vet` with a build cache of its own, warm once a first vet has passed."""
        return timed([self.go, "vet", "."], cwd=source, env=self.env(scratch / "vet-cache", source))

    CHECK = "`go vet`"

    # Where the runner reads advisories: the Go vulnerability database's own repository, whose
    # `data/osv` folder is the OSV data it publishes, at a pinned commit.
    ADVISORIES = Database(
        name="Go vulnerability database",
        url="https://github.com/golang/vulndb",
        commit="a752ea54fd1b989d208a270aeef772f55a36b87a",
        date="2026-08-21",
        format=OSV,
        folders=("data/osv",),
    )
    PACKAGE_UNIT = "packages (import paths)"
    MODULE_UNIT = "modules"

    def dependencies(self, workload):
        """The packages the program compiles in (`go list -deps`, its own included, the standard
        library's marked) and its modules (`go list -m all`, the main module included)."""
        source = self.source(workload)
        env = self.env(BUILD / "gocache", source)
        listed = output([self.go, "list", "-deps", "-f", "{{.ImportPath}}\t{{.Standard}}\t{{with .Module}}{{.Path}}{{end}}", "."], cwd=source, env=env)
        modules = output([self.go, "list", "-m", "all"], cwd=source, env=env)
        return go_list_packages(listed), go_list_modules(modules)

    DEPENDENCIES = "`go list -deps` (packages outside the standard library) and `go list -m all` (modules)"

    WASM_TARGET = "GOOS=wasip1 GOARCH=wasm"

    def wasm_ready(self, folder):
        """Go builds WebAssembly with any installation: nothing to add."""

    def describe_wasm(self, variant):
        """The WebAssembly build command of a variant, for the setup text (a library is built with
        `-buildmode=c-shared`, a WASI reactor, its functions exported with `//go:wasmexport`)."""
        flags = " -trimpath -ldflags='-s -w'" if variant == "small" else ""
        return f"`GOOS=wasip1 GOARCH=wasm go build{flags}` (a library with `-buildmode=c-shared`)"

    def build_wasm(self, folder, program, variant, kind):
        """Builds the package `program` of the module in `folder` for WebAssembly; returns the
        module. A `library` is built as a WASI reactor (`-buildmode=c-shared`)."""
        module = BUILD / folder.parent.name / f"{self.id}-{variant}" / f"{program}.wasm"
        flags = ["-trimpath", "-ldflags=-s -w"] if variant == "small" else []
        if kind == "library":
            flags.append("-buildmode=c-shared")
        env = dict(self.env(BUILD / "gocache", folder), GOOS="wasip1", GOARCH="wasm")
        timed([self.go, "build", "-buildvcs=false", *flags, "-o", module, f"./{program}"], cwd=folder, env=env)
        return module


ALL = (Rust, Go)
# The prerequisites each language's builds need.
NEEDS = {"rust": "cargo", "go": "go"}


def load(found):
    """An object per language, in the suite's order."""
    return [language(found) for language in ALL]
