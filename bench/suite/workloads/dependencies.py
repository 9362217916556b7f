"""The dependencies of the HTTP JSON server: how many packages and modules it compiles in
beyond the standard library, as each language's own tool lists them, and how many of the
packages it compiles in have had a security advisory in the language's advisory database, read
offline at a pinned commit. Counts do not vary between runs, so each is one reading."""

from .. import advisories, stats
from ..report import log
from ..servers import PROGRAM as SERVER
from .base import HARNESS_SOURCE, Workload, environment_text, metric

COUNTED = stats.Band(0.0, "a count from the lock file and the tools' own listing is the same on every run, so any difference is real")
ADVISED = stats.Band(0.0, "a count from the tools' listing and databases pinned to a commit is the same on every run")
GRAIN = (
    "the two databases record the standard library at different grain (RustSec files the standard library's advisories "
    "under one package, `std`; the Go database names the package, such as `net/http`), so the figures describe and do not rank"
)


# The counts that are metrics; `advised-dependencies` (advised packages outside the standard
# library) is said in a note.
METRICS = ("packages", "modules", "advised-packages", "advisories")


def count(packages, modules, found):
    """The raw counts and lists of one language from its packages, modules and advisories
    (`found` is None when its database could not be read)."""
    own = [package for package in packages if not package.standard]
    standard = [package.name for package in packages if package.standard]
    figures = {"packages": len(own), "modules": len(modules)}
    lists = {"packages": sorted(package.label for package in own), "modules": modules, "standard": standard}
    if found is not None:
        named = advisories.advised(found, packages)
        figures["advised-packages"] = len(named)
        figures["advisories"] = len({advisory for ids in named.values() for advisory in ids})
        figures["advised-dependencies"] = sum(1 for package in own if package.label in named)
        lists["advised"] = named
    return figures, lists


def _measure(context):
    runs, details, unavailable, databases = {}, {}, {}, {}
    for language in context.languages:
        packages, modules = language.dependencies(SERVER)
        database = language.ADVISORIES
        databases[language.id] = {"name": database.name, "url": database.url, "commit": database.commit, "date": database.date}
        try:
            found = advisories.read(database)
        except advisories.Unavailable as why:
            found = None
            unavailable[language.id] = str(why)
            log(f"{language.name}: no advisory figures: {why}")
        figures, lists = count(packages, modules, found)
        for key in METRICS:
            # The dataset stores positive figures only: a zero is kept in the details and said in
            # the metric's note, never shown as "not measured".
            if figures.get(key, 0) > 0:
                runs.setdefault(key, {})[language.id] = [figures[key]]
        details[language.id] = {**lists, "counts": figures}
        log(f"{language.name}: " + ", ".join(f"{key} {value}" for key, value in figures.items()))
    return {
        "params": {
            "commands": {language.id: language.DEPENDENCIES for language in context.languages},
            "units": {language.id: {"packages": language.PACKAGE_UNIT, "modules": language.MODULE_UNIT} for language in context.languages},
            "databases": databases,
            "unavailable": unavailable,
        },
        "runs": runs,
        "details": details,
    }


def _zeros(raw, key):
    """`Go: 0` for each language whose count is zero (kept out of the values)."""
    names = raw["environment"]["names"]
    zero = [names[language] for language, detail in raw["details"].items() if detail["counts"].get(key) == 0]
    return f" {', '.join(zero)}: 0, which the table cannot show (it holds positive figures only)." if zero else ""


def _units(raw, key):
    names = raw["environment"]["names"]
    return "; ".join(f"{names[language]} counts {units[key]}" for language, units in raw["params"]["units"].items())


def _describe(raw):
    names = raw["environment"]["names"]
    params = raw["params"]
    details = raw["details"]
    splits = "; ".join(
        f"{names[language]}: {detail['counts']['advised-dependencies']} outside the standard library"
        for language, detail in details.items()
        if "advised-dependencies" in detail["counts"]
    )
    metrics = [
        metric(
            raw,
            "packages",
            "Packages compiled in, outside the standard library (the server's own included)",
            "packages",
            "lower",
            f"Each language's own unit of compiling: {_units(raw, 'packages')}. Build-time and test-only dependencies are left out.",
            band=COUNTED,
        ),
        metric(
            raw,
            "modules",
            "Modules or crates, the units of release (the server's own included)",
            "modules",
            "lower",
            f"What a project adds, pins and updates: {_units(raw, 'modules')}.",
            band=COUNTED,
        ),
    ]
    if "advised-packages" in raw["runs"]:
        metrics.append(
            metric(
                raw,
                "advised-packages",
                "Packages compiled in, standard library included, that have had a security advisory",
                "packages",
                "lower",
                "A package counts when its database holds at least one vulnerability advisory naming it, for any version, "
                f"fixed or not; of them, {splits}.{_zeros(raw, 'advised-packages')}",
                band=ADVISED,
                descriptive=GRAIN,
            )
        )
    if "advisories" in raw["runs"]:
        metrics.append(
            metric(
                raw,
                "advisories",
                "Security advisories naming a package compiled in, standard library included",
                "advisories",
                "lower",
                "Distinct advisories, for any version, fixed or not." + _zeros(raw, "advisories"),
                band=ADVISED,
                descriptive=GRAIN,
            )
        )
    read = "; ".join(
        f"{names[language]}: the {database['name']} ({database['url']}) at commit {database['commit'][:12]} of {database['date']}"
        for language, database in params["databases"].items()
        if language not in params["unavailable"]
    )
    missing = " ".join(f"No advisory figures for {names[language]}: {why}." for language, why in params["unavailable"].items())
    return {
        "title": "Dependencies of the HTTP server, and their security advisories",
        "description": (
            "How much code from elsewhere the `http-json` server compiles in: its packages and modules beyond the "
            "standard library, as each language's own tool lists them (the server's own package counted, so that no "
            "figure is zero), and how many of the packages it compiles in, the standard library's among them, have "
            "ever had a security advisory. Advisories are read offline from each database's own published data at "
            "a pinned commit" + (f" ({read})" if read else " (not read on this run: see the limits)") + ". The package lists, modules and advisory ids are "
            "in the raw file."
        ),
        "limits": (
            "Counts, not risk: an advisory may concern a function the server never calls, a version long fixed, or a "
            "platform it does not run on; a package without advisories may simply be less examined. The units differ: "
            "a Rust crate is the unit of both compiling and release, a Go package is one import path of a module. "
            "RustSec's informational notices (unmaintained, unsound) are left out, since the Go database records "
            "vulnerabilities only; withdrawn advisories are left out in both. Advisories published after the pinned "
            "commits are not counted. One server per language: a larger program's tree may differ in either direction."
            + (f" {missing}" if missing else "")
        ),
        "headline": "packages",
        "environment": environment_text(raw, "One reading per count: the lock file, the tools' listing and the pinned databases give the same answer every time."),
        "setup": {
            language: f"{command}; advisories: "
            + (
                f"the {params['databases'][language]['name']} at commit {params['databases'][language]['commit'][:12]}"
                if language not in params["unavailable"]
                else "not read (see the limits)"
            )
            + "."
            for language, command in params["commands"].items()
        },
        "sources": [
            HARNESS_SOURCE,
            *({"title": f"{database['name']}, commit {database['commit'][:12]} ({database['date']})", "url": f"{database['url']}/tree/{database['commit']}"} for database in params["databases"].values()),
        ],
        "metrics": metrics,
    }


WORKLOAD = Workload(
    id="dependencies",
    summary="the HTTP server's dependencies, and how many have had a security advisory",
    measure=_measure,
    describe=_describe,
    programs=(SERVER,),
    minutes=1,
)
