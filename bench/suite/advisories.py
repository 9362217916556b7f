"""Security advisory databases, read offline from a git copy at a pinned commit, and which of a
program's packages they name.

A database is a public git repository (`Database`); the runner reads it from a clone in
`bench/.advisories/` (ignored by git) at the commit the language names, never from whatever the
clone has checked out, so a rerun reads the same advisories. When the clone lacks that commit the
runner fetches it alone from the database's own address; when that fails too, the workload leaves
the advisory figures out and says why.

Two formats: the RustSec advisory format (Markdown with a TOML front matter, one file per
advisory) and OSV (one JSON file per advisory), as the Go vulnerability database publishes it."""

import json
import re
import subprocess
import tomllib
from dataclasses import dataclass

from .machine import BENCH
from .report import log

FOLDER = BENCH / ".advisories"
RUSTSEC = "rustsec"
OSV = "osv"


@dataclass(frozen=True)
class Database:
    """A database: its name, its git address, the commit read and that commit's date, the file
    format and the folders of the repository that hold the advisories."""

    name: str
    url: str
    commit: str
    date: str
    format: str
    folders: tuple

    @property
    def clone(self):
        """Where its clone lives: `bench/.advisories/OWNER-NAME`."""
        owner, name = self.url.rstrip("/").removesuffix(".git").rsplit("/", 2)[-2:]
        return FOLDER / f"{owner}-{name}"


@dataclass(frozen=True)
class Package:
    """A package compiled into a program: its name (a crate, or a Go import path), the module it
    belongs to as the advisory databases name it (the crate itself; a Go module, `stdlib` for
    Go's standard library), and whether it is part of the language's standard library."""

    name: str
    module: str
    standard: bool
    version: str = ""

    @property
    def label(self):
        """The name, with the version where one module may come in several (`smallvec 1.15.0`)."""
        return f"{self.name} {self.version}" if self.version else self.name


@dataclass(frozen=True)
class Advisory:
    """One advisory: its id, the module (crate) it names, and the packages within that module it
    names (empty: the whole module)."""

    id: str
    module: str
    packages: tuple = ()

    def names(self, package):
        return package.module == self.module and (not self.packages or package.name in self.packages)


class Unavailable(Exception):
    """The database cannot be read at its pinned commit on this machine; the message says why."""


def _git(clone, *args, stdin=None):
    return subprocess.run(["git", "-C", str(clone), *args], input=stdin, capture_output=True, check=True).stdout


def _has(clone, commit):
    try:
        _git(clone, "cat-file", "-e", f"{commit}^{{commit}}")
    except subprocess.CalledProcessError:
        return False
    return True


def _ensure(database):
    """Makes sure the clone holds the pinned commit: fetches that commit alone (`--depth 1`) from
    the database's address when it does not."""
    clone = database.clone
    if clone.exists() and _has(clone, database.commit):
        return
    command = ["git", "-C", str(clone), "fetch", "--quiet", "--depth", "1", database.url, database.commit]
    log(f"no copy of the {database.name} at commit {database.commit} in {clone}: `git {' '.join(command[3:])}`")
    if not clone.exists():
        clone.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "--quiet", "--bare", str(clone)], capture_output=True, check=True)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not _has(clone, database.commit):
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise Unavailable(
            f"no copy of the {database.name} at commit {database.commit} on this machine, and "
            f"`git fetch --depth 1 {database.url} {database.commit}` failed ({last})"
        )


def read(database):
    """Every advisory of the database at its pinned commit (withdrawn ones and, in RustSec,
    informational ones left out). Raises `Unavailable`."""
    _ensure(database)
    listing = _git(database.clone, "ls-tree", "-r", "--name-only", database.commit, "--", *database.folders).decode()
    suffix = ".md" if database.format == RUSTSEC else ".json"
    paths = [path for path in listing.splitlines() if path.endswith(suffix)]
    if not paths:
        raise Unavailable(f"the {database.name} at commit {database.commit} has no advisory files under {', '.join(database.folders)}")
    batch = _git(database.clone, "cat-file", "--batch", stdin="".join(f"{database.commit}:{path}\n" for path in paths).encode())
    parse = rustsec_advisories if database.format == RUSTSEC else osv_advisories
    found = []
    for text in _blobs(batch):
        found += parse(text)
    return found


def _blobs(batch):
    """The contents of `git cat-file --batch` output."""
    position = 0
    while position < len(batch):
        end = batch.index(b"\n", position)
        header = batch[position:end].split()
        size = int(header[2])
        yield batch[end + 1 : end + 1 + size].decode()
        position = end + 1 + size + 1


FRONT_MATTER = re.compile(r"```toml\s*\n(.*?)\n```", re.DOTALL)


def rustsec_advisories(text):
    """The advisory of a RustSec file as a list of one, or none when it is withdrawn or only
    informational (`informational = "unmaintained"`, `"unsound"`, `"notice"`): the Go database
    records vulnerabilities only, so only RustSec's vulnerabilities are counted."""
    match = FRONT_MATTER.search(text)
    if not match:
        raise RuntimeError("a RustSec advisory without its ```toml front matter")
    advisory = tomllib.loads(match[1])["advisory"]
    if advisory.get("withdrawn") or advisory.get("informational"):
        return []
    return [Advisory(advisory["id"], advisory["package"])]


def osv_advisories(text):
    """The advisories of an OSV file, one per affected module (`stdlib` for Go's standard
    library; its `toolchain` entries, about the `go` command, are left out), with the packages
    it names; none when it is withdrawn."""
    entry = json.loads(text)
    if entry.get("withdrawn"):
        return []
    found = []
    for affected in entry.get("affected", []):
        module = affected["package"]["name"]
        if module == "toolchain":
            continue
        imports = affected.get("ecosystem_specific", {}).get("imports", [])
        found.append(Advisory(entry["id"], module, tuple(item["path"] for item in imports)))
    return found


def advised(advisories, packages):
    """`{package label: [advisory ids]}` for the packages some advisory names, ids sorted."""
    named = {}
    for package in packages:
        ids = sorted({advisory.id for advisory in advisories if advisory.names(package)})
        if ids:
            named[package.label] = ids
    return named
