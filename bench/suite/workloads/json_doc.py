"""JSON: parse one fixed document of about 1 MiB into typed structs, and serialise it back
(serde_json vs encoding/json). The document is generated here, deterministically, so every
rerun uses the same bytes; each program's serialisation must equal them before it is timed."""

import hashlib
import json

from ..machine import SERVER_CPU, Failed, interleaved, process_figures, run_measured
from ..report import log
from .base import (
    ALL_CORES,
    HARNESS_SOURCE,
    ONE_CORE,
    Workload,
    environment_text,
    in_turn,
    metric,
    placed,
    plural,
    visible_cores,
)

PROGRAM = "json"
TARGET_BYTES = 1024 * 1024
GENERATOR = "bench/run json, document version 1"
# Go's collector runs beside the program: time it on one core and with every core.
MODES = (ONE_CORE, ALL_CORES)

FIRST = ("Ada", "Grace", "Linus", "Ken", "Barbara", "Edsger", "Frances", "Dennis", "Margaret", "Niklaus", "Zoë", "José")
LAST = ("Lovelace", "Hopper", "Torvalds", "Thompson", "Liskov", "Dijkstra", "Allen", "Ritchie", "Hamilton", "Wirth", "Šimek", "Núñez")
CITIES = ("Lisbon", "Zürich", "Kraków", "São Paulo", "Oslo", "Montréal", "Nairobi", "Osaka", "Dublin", "Tallinn")
STREETS = ("Mill", "Station", "Harbour", "Chapel", "Orchard", "Bridge", "Market", "Castle")
TAGS = ("new", "vip", "wholesale", "returning", "newsletter", "overdue", "priority", "gift")


class _Numbers:
    """A small deterministic generator (xorshift64*), the same on every Python version."""

    def __init__(self, seed):
        self.state = seed

    def below(self, bound):
        state = self.state
        state ^= state >> 12
        state ^= (state << 25) & 0xFFFFFFFFFFFFFFFF
        state ^= state >> 27
        self.state = state
        return ((state * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF) % bound

    def money(self, whole):
        """A price with a non-zero cent part (so every JSON writer prints it the same way)."""
        return (self.below(whole) * 100 + 1 + self.below(99)) / 100


def document():
    """The document's bytes: compact JSON of customer records, about TARGET_BYTES long."""
    numbers = _Numbers(0x9E3779B97F4A7C15)
    customers, size, index = [], 0, 0
    while size < TARGET_BYTES:
        first, last = FIRST[numbers.below(len(FIRST))], LAST[numbers.below(len(LAST))]
        customer = {
            "id": 100_000 + index,
            "name": f"{first} {last}",
            "email": f"customer{index}@example.com",
            "active": numbers.below(4) != 0,
            "score": numbers.money(1000),
            "tags": [TAGS[numbers.below(len(TAGS))] for _ in range(numbers.below(5))],
            "address": {
                "street": f"{1 + numbers.below(300)} {STREETS[numbers.below(len(STREETS))]} Street",
                "city": CITIES[numbers.below(len(CITIES))],
                "postcode": f"{numbers.below(100_000):05d}",
            },
            "orders": [
                {"sku": f"SKU-{numbers.below(100_000):05d}", "quantity": 1 + numbers.below(9), "price": numbers.money(500)}
                for _ in range(numbers.below(7))
            ],
        }
        customers.append(customer)
        size += len(json.dumps(customer, separators=(",", ":"), ensure_ascii=False).encode()) + 1
        index += 1
    text = json.dumps({"generator": GENERATOR, "customers": customers}, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


def _measure(context):
    params = {
        "runs": 1 if context.smoke else 5,
        "iterations": 2 if context.smoke else 40,
        "cpu": SERVER_CPU,
        "cores": visible_cores(),
        "modes": list(MODES),
    }
    data = document()
    path = context.scratch / "document.json"
    path.write_bytes(data)
    params["bytes"] = len(data)
    params["sha256"] = hashlib.sha256(data).hexdigest()
    params["customers"] = data.count(b'"email"')
    binaries = {language.id: language.build(PROGRAM) for language in context.languages}
    for language in context.languages:
        written = context.scratch / f"written-{language.id}.json"
        run_measured([binaries[language.id], path, 1, written])
        if written.read_bytes() != data:
            raise Failed(f"the {language.name} program's serialisation differs from the document ({written})")
    log(f"every language's serialisation equals the {len(data):,}-byte document")

    def one(language, index):
        results = {}
        for mode in in_turn(MODES, index):
            run = run_measured(placed(mode, [binaries[language.id], path, params["iterations"], context.scratch / "out.json"]))
            figures = dict(line.split() for line in run.stdout.splitlines())
            results[mode] = (float(figures["parse_ms"]), float(figures["serialize_ms"]), run)
            log(
                f"run {index + 1}/{params['runs']} {language.name} {mode}: parse {results[mode][0]:.2f} ms, "
                f"serialise {results[mode][1]:.2f} ms, {run.cpu_seconds / run.seconds:.2f} cores busy"
            )
        return results

    results = interleaved(context.languages, params["runs"], one)

    def pick(mode, part):
        return {language: [round_[mode][part] for round_ in rounds] for language, rounds in results.items()}

    def busy(mode):
        return {language: [run.cpu_seconds / run.seconds for run in runs] for language, runs in pick(mode, 2).items()}

    return {
        "params": params,
        "runs": {
            "serialize": pick(ONE_CORE, 1),
            "parse": pick(ONE_CORE, 0),
            "serialize-all-cores": pick(ALL_CORES, 1),
            "parse-all-cores": pick(ALL_CORES, 0),
            "cores-busy-all-cores": busy(ALL_CORES),
        },
        "processes": {mode: process_figures(pick(mode, 2)) for mode in MODES},
        "details": {},
    }


def _describe(raw):
    params = raw["params"]
    runs = plural(params["runs"], "process run")
    cores = params["cores"]
    per = f"mean of {params['iterations']} iterations in each of {runs}"
    method = (
        f"Each program ran two ways in every round, the order alternating from round to round: pinned by `taskset` to "
        f"CPU {params['cpu']} (Go's `GOMAXPROCS` 1: the collector's workers share the program's core), and "
        f"with all {cores} CPUs visible (`GOMAXPROCS` {cores}: the collector may work on another core); "
        f"{runs} per language and way, alternating languages, each timing {params['iterations']} parses and "
        f"{params['iterations']} serialisations after one untimed round trip. The document: "
        f"{params['bytes']:,} bytes, {params['customers']:,} records, SHA-256 `{params['sha256'][:16]}…`."
    )
    return {
        "title": "JSON: parse and serialise a 1 MiB document",
        "description": (
            "One fixed JSON document of about 1 MiB (customer records with strings, numbers, booleans, "
            "nested objects and arrays, some non-ASCII text), generated deterministically by the runner. "
            "Each program parses it into typed structs and serialises the structs back to compact JSON; "
            "both serialisations must equal the document byte for byte before anything is timed. Each "
            "runs on one core and with every core visible, since Go's collector can use a spare core."
        ),
        "limits": (
            "Typed structs only: no untyped values (`serde_json::Value`, `map[string]any`), no streaming, "
            "no third-party Go JSON libraries, one document shape. Times are in-process (no start-up); the "
            f"programs are single-threaded, and this machine has {cores} cores, so the runs with every core "
            "visible show what one spare core gives a collector, not how it scales."
        ),
        "headline": "parse",
        "environment": environment_text(raw, method),
        "setup": {
            "rust": (
                f"serde {raw['environment']['crates'].get('rust', {}).get('serde', '1')} derive and serde_json "
                f"{raw['environment']['crates'].get('rust', {}).get('serde_json', '1')}: `from_slice` and `to_vec`; "
                f"`cargo build --release`."
            ),
            "go": "`encoding/json` from the standard library: `json.Unmarshal` and `json.Marshal`; `CGO_ENABLED=0 go build`.",
        },
        "sources": [HARNESS_SOURCE],
        "metrics": [
            metric(raw, "serialize", "Serialise on one core (pinned)", "ms", "lower", f"Structs to compact JSON bytes, pinned to one CPU, {per}."),
            metric(raw, "parse", "Parse on one core (pinned)", "ms", "lower", f"JSON bytes to typed structs, pinned to one CPU, {per}."),
            metric(
                raw,
                "serialize-all-cores",
                f"Serialise, elapsed with {cores} cores",
                "ms",
                "lower",
                f"Structs to compact JSON bytes with every CPU visible, {per}: elapsed time, which a collector "
                f"working on another core does not add to.",
            ),
            metric(
                raw,
                "parse-all-cores",
                f"Parse, elapsed with {cores} cores",
                "ms",
                "lower",
                f"JSON bytes to typed structs with every CPU visible, {per}.",
            ),
            metric(
                raw,
                "cores-busy-all-cores",
                f"CPU time per elapsed second with {cores} cores",
                "cores",
                "lower",
                f"User plus system CPU time of each whole process run with every CPU visible (`wait4`), over "
                f"its elapsed time: 1 is one core busy throughout; above 1, the runtime worked on another "
                f"core beside the program, CPU the elapsed times above do not show; {runs}.",
            ),
        ],
    }


WORKLOAD = Workload(
    id="json",
    summary="JSON parse and serialise of a fixed 1 MiB document, on one core and on every core",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    tools=("taskset",),
    minutes=2,
)
