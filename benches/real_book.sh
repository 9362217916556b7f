#!/usr/bin/env bash
# The preprocessor's share of building this repository's book: times `mdbook build` with
# mdbook-compare (the prebuilt release binary, through MDBOOK_PREPROCESSOR__COMPARE__COMMAND) and
# without any preprocessor table, then times mdbook-compare's calls on their own (`supports html`,
# as often as mdBook calls it, and the run on the exact input mdBook sent, captured during the
# build, next to examples/identity on the same input) and prints their sum as a share of the
# build, by wall-clock and by CPU time, the run against the identity's, and the run on the same
# input with every chapter emptied (the cost of loading the dataset, a floor of its own). All runs
# are interleaved (benches/interleave.py).
#
# The book is copied first, with the raw benchmark runs its data names. A `<<benchmark ID>>` line whose data/benchmarks/ID.toml does not
# exist yet is left out of the copy (and said so), since the build would fail on it.
#
# Exits with an error when a run takes over 1.5x the identity's CPU time on the expanded book
# plus the dataset's cost (the emptied runs' difference): a regression guard, not a goal.
#
# Usage: benches/real_book.sh    Environment: RUNS (default 20). Needs mdbook 0.5 and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
cargo build --release --quiet --bin mdbook-compare --example identity
bin=$PWD/target/release/mdbook-compare
identity=$PWD/target/release/examples/identity
mdbook=$(command -v mdbook || echo "$HOME/.cargo/bin/mdbook")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Two copies: with the preprocessor, and without its table and the site-data backend's (which
# reads the preprocessor's table) in book.toml.
mkdir -p "$tmp/with"
cp -r book.toml src data theme "$tmp/with/"
# The raw runs that benchmarks name (`raw = ...`) must exist in the book.
mkdir -p "$tmp/with/bench" && cp -r bench/results "$tmp/with/bench/"
for id in $(grep -rhoE '^<<benchmark [a-z0-9-]+>>' "$tmp/with/src" | sed -E 's/<<benchmark (.*)>>/\1/'); do
  if [ ! -f "data/benchmarks/$id.toml" ]; then
    echo "note: data/benchmarks/$id.toml does not exist: measuring without <<benchmark $id>>"
    grep -rlF "<<benchmark $id>>" "$tmp/with/src" | xargs sed -i "/^<<benchmark $id>>\$/d"
  fi
done
cp -r "$tmp/with" "$tmp/without"
python3 - "$tmp/without/book.toml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
open(path, "w").write(re.sub(r"(?ms)^\[(preprocessor\.compare|output\.site-data)\].*?(?=^\[|\Z)", "", text))
PY

# The book's other backends run mdbook-compare too (`site-data`): point them at the binary (but not
# the build without the preprocessor, where these would add the tables back).
export MDBOOK_PREPROCESSOR__COMPARE__COMMAND="$bin"
export MDBOOK_OUTPUT__SITE_DATA__COMMAND="$bin site-data"

# One build with a capturing wrapper logs every call of the preprocessor (mdBook runs it once
# per backend) and records the input of each run.
cat > "$tmp/capture.sh" <<SH
echo "\$*" >> "$tmp/calls.log"
if [ "\${1:-}" = supports ]; then exec "$bin" "\$@"; fi
n=\$(ls "$tmp"/input.*.json 2>/dev/null | wc -l)
tee "$tmp/input.\$n.json" | "$bin"
SH
MDBOOK_PREPROCESSOR__COMPARE__COMMAND="bash $tmp/capture.sh" \
  "$mdbook" build "$tmp/with" -d "$tmp/out-capture" 2> "$tmp/capture.log" || { cat "$tmp/capture.log"; exit 1; }
runs=("$tmp"/input.*.json)
supports=$(grep -c '^supports' "$tmp/calls.log" || true)
echo "preprocessor calls in one build: $(sed 's/^$/run/' "$tmp/calls.log" | paste -sd, | sed 's/,/, /g')"

commands=("$mdbook build $tmp/with -d $tmp/out-with"
  "env -u MDBOOK_PREPROCESSOR__COMPARE__COMMAND -u MDBOOK_OUTPUT__SITE_DATA__COMMAND $mdbook build $tmp/without -d $tmp/out-without"
  "$bin supports html")
# The same input with every chapter emptied: what mdbook-compare costs before any chapter, the
# dataset loaded and checked, which a run that reads its data cannot go below.
# And the identity on the expanded book: the protocol's own cost for a book the size of what
# mdbook-compare writes back.
for input in "${runs[@]}"; do
  benches/empty_chapters.py "$input" "$input.empty"
  "$bin" < "$input" > "$input.out"
  python3 - "$input" "$input.out" "$input.expanded" <<'PY'
import json, sys
context = json.load(open(sys.argv[1]))[0]
json.dump([context, json.load(open(sys.argv[2]))], open(sys.argv[3], "w"))
PY
  commands+=("$bin < $input" "$identity < $input" "$bin < $input.empty" "$identity < $input.empty"
    "$identity < $input.expanded")
done
benches/interleave.py "$RUNS" "${commands[@]}" > "$tmp/times.json"

echo "machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg); $("$mdbook" --version)"
python3 - "$tmp/times.json" "$supports" "${runs[@]}" <<'PY'
import json, os, sys
results = json.load(open(sys.argv[1]))
times = [r["wall"] for r in results]
cpu = [r["cpu"] for r in results]
supports_calls, inputs = int(sys.argv[2]), sys.argv[3:]
with_pp, without, supports = times[0], times[1], times[2]
runs, floors, emptied, floors_emptied, floors_out = (times[3 + i::5] for i in range(5))
print(f"mdbook build with mdbook-compare      {with_pp * 1e3:8.1f} ms (median)")
print(f"mdbook build without the preprocessor {without * 1e3:8.1f} ms")
print(f"mdbook-compare supports html          {supports * 1e3:8.1f} ms, called {supports_calls}x")
for path, run in zip(inputs, runs):
    renderer = json.load(open(path))[0]["renderer"]
    print(f"mdbook-compare run for {renderer:14} {run * 1e3:8.1f} ms ({os.path.getsize(path) / 1e3:.0f} kB in)")
for path, run, floor in zip(inputs, runs, floors):
    renderer = json.load(open(path))[0]["renderer"]
    print(f"  against the identity preprocessor   {floor * 1e3:8.1f} ms: {run / floor:.2f}x")
for path, run, alone in zip(inputs, runs, emptied):
    print(f"  with every chapter emptied          {alone * 1e3:8.1f} ms: start, book.toml and the dataset, {alone / run:.0%} of the run")
own = supports * supports_calls + sum(runs)
print(f"preprocessor share of the build: {own / with_pp:.1%}"
      f" (build difference with/without: {(with_pp - without) / with_pp:.1%})")
# CPU time (user + system, the build's including its child processes) is disturbed less by
# other work on the machine than wall-clock time.
own_cpu = cpu[2] * supports_calls + sum(cpu[3::5])
print(f"by CPU time: {own_cpu * 1e3:.1f} ms of {cpu[0] * 1e3:.1f} ms, {own_cpu / cpu[0]:.1%}")
# The regression guard: on a real book, each run within 1.5x the identity's on the expanded book
# (the protocol's cost for what the run writes) plus the dataset's cost (the emptied runs'
# difference), neither of which the identity on the input pays.
# By CPU time, which other work on a shared machine disturbs less than the wall-clock time.
slow = [run / (max(floor, floor_out) + max(alone - floor_alone, 0))
        for run, floor, alone, floor_alone, floor_out
        in zip(*(cpu[3 + i::5] for i in range(5)))]
print(f"by CPU time, against the identity on the output plus the dataset: {', '.join(f'{ratio:.2f}x' for ratio in slow)}")
if max(slow, default=0) > 1.5:
    sys.exit(f"guard: mdbook-compare took {max(slow):.2f}x the identity on its output plus the"
             " dataset, over the 1.5x it may take on a real book")
PY
