"""JSON: parse one fixed document of about 1 MiB into typed structs, and serialise it back
(serde_json vs encoding/json). The document is generated here, deterministically, so every
rerun uses the same bytes; each program's serialisation must equal them before it is timed."""

import hashlib
import json

from ..machine import SERVER_CPU, interleaved, pinned, run_measured
from ..report import log
from .base import HARNESS_SOURCE, Workload, environment_text, metric, plural

PROGRAM = "json"
TARGET_BYTES = 1024 * 1024
GENERATOR = "bench/run json, document version 1"

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
    params = {"runs": 1 if context.smoke else 5, "iterations": 2 if context.smoke else 40, "cpu": SERVER_CPU}
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
            raise RuntimeError(f"the {language.name} program's serialisation differs from the document ({written})")
    log(f"every language's serialisation equals the {len(data):,}-byte document")

    def one(language, index):
        result = run_measured(pinned(SERVER_CPU, [binaries[language.id], path, params["iterations"], context.scratch / "out.json"]))
        figures = dict(line.split() for line in result.stdout.splitlines())
        parse, serialize = float(figures["parse_ms"]), float(figures["serialize_ms"])
        log(f"run {index + 1}/{params['runs']} {language.name}: parse {parse:.2f} ms, serialise {serialize:.2f} ms")
        return parse, serialize

    results = interleaved(context.languages, params["runs"], one)
    return {
        "params": params,
        "runs": {
            "serialize": {language: [s for _, s in runs] for language, runs in results.items()},
            "parse": {language: [p for p, _ in runs] for language, runs in results.items()},
        },
        "details": {},
    }


def _describe(raw):
    params = raw["params"]
    runs = plural(params["runs"], "process run")
    per = f"mean of {params['iterations']} iterations in each of {runs}"
    method = (
        f"Each program ran pinned by `taskset` to CPU {params['cpu']}; {runs} per language, alternating "
        f"languages, each timing {params['iterations']} parses and {params['iterations']} serialisations "
        f"after one untimed round trip. The document: {params['bytes']:,} bytes, {params['customers']:,} "
        f"records, SHA-256 `{params['sha256'][:16]}…`."
    )
    return {
        "title": "JSON: parse and serialise a 1 MiB document",
        "description": (
            "One fixed JSON document of about 1 MiB (customer records with strings, numbers, booleans, "
            "nested objects and arrays, some non-ASCII text), generated deterministically by the runner. "
            "Each program parses it into typed structs and serialises the structs back to compact JSON; "
            "both serialisations must equal the document byte for byte before anything is timed."
        ),
        "limits": (
            "Typed structs only: no untyped values (`serde_json::Value`, `map[string]any`), no streaming, "
            "no third-party Go JSON libraries, one document shape. Times are in-process (no start-up) and "
            "single-threaded."
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
            metric(raw, "serialize", "Serialise", "ms", "lower", f"Structs to compact JSON bytes, {per}."),
            metric(raw, "parse", "Parse", "ms", "lower", f"JSON bytes to typed structs, {per}."),
        ],
    }


WORKLOAD = Workload(
    id="json",
    summary="JSON parse and serialise of a fixed 1 MiB document",
    measure=_measure,
    describe=_describe,
    programs=(PROGRAM,),
    tools=("taskset",),
    minutes=1,
)
