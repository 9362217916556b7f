#!/usr/bin/env bash
# How close mdbook-compare runs to the preprocessor protocol's floor: on the same input, side by
# side in one run, it times and measures the peak memory (max RSS, from wait4) of
#   floor    examples/identity: the whole input parsed with serde_json::from_slice, then the book
#            back with serde_json
#   compare  target/release/mdbook-compare
# and the floor again on the expanded book (the protocol's own cost for a book the size of the
# output), and both on the book with every chapter emptied (their difference is loading and
# checking the dataset, which the floor does not do), and prints each against the floor (also for
# CPU time, user + system, which a machine shared with other work disturbs less than the
# wall-clock time), on synthetic books (benches/synth) with directives at 1x, 4x and 16x and
# without any directive at 1x. The commands' runs are
# interleaved (benches/interleave.py), so that a drifting load weighs on all of them alike.
#
# Usage: benches/floor.sh [BOOK...]   BOOK: synthetic-1x plain-1x synthetic-4x synthetic-16x
# Environment: RUNS (timed runs per command, default 10; 16x uses a third of it, at least 3),
#   BOOKS_DIR (default target/bench-books), EXTRA (more preprocessor binaries to measure
#   alongside, space-separated, e.g. an older build), ONE_CORE=1 (also mdbook-compare
#   pinned to one core with taskset, so on one thread).
# Exits with an error when mdbook-compare takes over 2x the floor's CPU time on a book
# without directives (plain-*): a regression guard, not a goal.
# Needs python3 and, for ONE_CORE, taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
BOOKS_DIR=${BOOKS_DIR:-target/bench-books}
books=("$@")
[ ${#books[@]} -gt 0 ] || books=(synthetic-1x plain-1x synthetic-4x synthetic-16x)

cargo build --release --quiet --bin mdbook-compare --example identity --example gen_book
floor=target/release/examples/identity
compare=target/release/mdbook-compare
commands=("$floor" "$compare")
[ "${ONE_CORE:-0}" = 1 ] && commands+=("taskset -c 0 $compare")
for extra in ${EXTRA:-}; do commands+=("$extra"); done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/ {print $2}') GiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for book in "${books[@]}"; do
  scale=${book##*-}
  scale=${scale%x}
  flags=(--scale "$scale")
  [[ $book == plain-* ]] && flags+=(--no-directives)
  input=$(target/release/examples/gen_book "$BOOKS_DIR/$book" "${flags[@]}")
  runs=$RUNS
  [ "$scale" -ge 16 ] && runs=$(( RUNS / 3 > 3 ? RUNS / 3 : 3 ))
  "$compare" < "$input" > "$tmp/out.json"
  out_bytes=$(wc -c < "$tmp/out.json")
  timed=()
  for command in "${commands[@]}"; do timed+=("$command < $input"); done
  # The protocol's own cost for a book the size of the output: the floor, fed the expanded
  # book. mdbook-compare reads the small book but writes the large one.
  if [[ $book != plain-* ]]; then
    python3 - "$input" "$tmp/out.json" "$tmp/expanded.json" <<'PY'
import json, sys
context = json.load(open(sys.argv[1]))[0]
book = json.load(open(sys.argv[2]))
json.dump([context, book], open(sys.argv[3], "w"))
PY
    timed+=("$floor < $tmp/expanded.json")
  fi
  # What loading and checking the dataset costs on its own: both again on the book with every
  # chapter emptied.
  benches/empty_chapters.py "$input" "$tmp/empty.json"
  timed+=("$compare < $tmp/empty.json" "$floor < $tmp/empty.json")
  benches/interleave.py "$runs" "${timed[@]}" > "$tmp/$book.json"
  python3 - "$book" "$input" "$out_bytes" "$runs" "$tmp/$book.json" <<'PY'
import json, os, sys
book, input_path, out_bytes, runs, times = sys.argv[1:]
results = json.load(open(times))
in_mb, out_mb = os.path.getsize(input_path) / 1e6, int(out_bytes) / 1e6
print(f"\n{book}: input {in_mb:.1f} MB, output {out_mb:.1f} MB, {runs} runs, medians")
print(f"  {'command':36} {'wall s':>7} {'stddev':>7} {'ratio':>6} {'CPU s':>7} {'ratio':>6}"
      f" {'max RSS MB':>11} {'ratio':>6}")
floor = results[0]
for result in results:
    name = result["command"].rsplit(" < ", 1)[0].replace("target/release/", "")
    if result["command"].endswith("/expanded.json"):
        name += ", on the output"
    if result["command"].endswith("/empty.json"):
        name += ", chapters emptied"
    print(f"  {name:36} {result['wall']:7.3f} {result['wall_stddev']:7.3f}"
          f" {result['wall'] / floor['wall']:6.2f} {result['cpu']:7.3f}"
          f" {result['cpu'] / floor['cpu']:6.2f} {result['max_rss_kb'] / 1024:11.1f}"
          f" {result['max_rss_kb'] / floor['max_rss_kb']:6.2f}")
compare, emptied, floor_emptied = results[1], results[-2], results[-1]
dataset = max(emptied["wall"] - floor_emptied["wall"], 0)
print(f"  the dataset alone (emptied runs' difference) {dataset:.3f} s; the floor plus it"
      f" {floor['wall'] + dataset:.3f} s, mdbook-compare {compare['wall'] / (floor['wall'] + dataset):.2f}x that")
# The regression guard: on a book without directives, mdbook-compare stays within 2x the floor.
# By CPU time, which other work on a shared machine disturbs less than the wall-clock time.
if book.startswith("plain-") and compare["cpu"] > 2 * floor["cpu"]:
    sys.exit(f"guard: mdbook-compare took {compare['cpu'] / floor['cpu']:.2f}x the identity's CPU time"
             f" on {book}, over the 2x it may take on a book without directives")
PY
done
