#!/usr/bin/env bash
# How close mdbook-compare runs to the preprocessor protocol's floor: on the same input, side by
# side in one run, it times (hyperfine) and measures the peak memory (/usr/bin/time, max RSS) of
#   floor    examples/identity: mdbook_preprocessor::parse_input, then the book back with serde_json
#   compare  target/release/mdbook-compare
# and prints compare/floor for both (and for CPU time, user + system, which a machine shared with
# other work disturbs less than the wall-clock time), on synthetic books (benches/synth) with directives at 1x,
# 4x and 16x and without any directive at 1x.
#
# Usage: benches/floor.sh [BOOK...]   BOOK: synthetic-1x plain-1x synthetic-4x synthetic-16x
# Environment: RUNS (timed runs per command, default 10; 16x uses a third of it, at least 3),
#   BOOKS_DIR (default target/bench-books), EXTRA (more preprocessor binaries to measure
#   alongside, space-separated, e.g. an older build), SLICE=1 (also the identity that reads all
#   input before parsing it with serde_json::from_slice).
# Needs hyperfine, GNU time and python3 (apt-get install -y hyperfine time python3).
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
[ "${SLICE:-0}" = 1 ] && commands+=("$floor --slice")
for extra in ${EXTRA:-}; do commands+=("$extra"); done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/ {print $2}') GiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Peak resident memory in KB of one run of a command on an input (median of three runs).
peak_kb() {
  for _ in 1 2 3; do
    /usr/bin/time -f %M -o "$tmp/rss" bash -c "$1 < '$2' > /dev/null"
    cat "$tmp/rss"
  done | sort -n | sed -n 2p
}

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
  out_bytes=$("$compare" < "$input" | wc -c)
  hyperfine_args=()
  for command in "${commands[@]}"; do hyperfine_args+=("$command < '$input' > /dev/null"); done
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$tmp/$book.json" \
    "${hyperfine_args[@]}" > /dev/null
  for command in "${commands[@]}"; do peak_kb "$command" "$input"; done > "$tmp/$book.rss"
  python3 - "$book" "$input" "$out_bytes" "$tmp/$book.json" "$tmp/$book.rss" "${commands[@]}" <<'PY'
import json, os, sys
book, input_path, out_bytes, times, rss, *commands = sys.argv[1:]
results = json.load(open(times))["results"]
peaks = [int(line) for line in open(rss)]
in_mb, out_mb = os.path.getsize(input_path) / 1e6, int(out_bytes) / 1e6
print(f"\n{book}: input {in_mb:.1f} MB, output {out_mb:.1f} MB, {len(results[0]['times'])} runs")
cpu = [r["user"] + r["system"] for r in results]
floor_time, floor_cpu, floor_rss = results[0]["median"], cpu[0], peaks[0]
print(f"  {'command':34} {'median s':>9} {'stddev':>7} {'ratio':>6} {'CPU s':>7} {'ratio':>6}"
      f" {'max RSS MB':>11} {'ratio':>6}")
for command, result, used, peak in zip(commands, results, cpu, peaks):
    name = command.replace("target/release/", "")
    print(f"  {name:34} {result['median']:9.3f} {result['stddev']:7.3f} "
          f"{result['median'] / floor_time:6.2f} {used:7.3f} {used / floor_cpu:6.2f}"
          f" {peak / 1024:11.1f} {peak / floor_rss:6.2f}")
PY
done
