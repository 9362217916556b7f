#!/usr/bin/env bash
# How close mdbook-compare runs to the preprocessor protocol's floor: on the same input, side by
# side in one run, it times and measures the peak memory (max RSS, from wait4) of
#   floor    examples/identity: mdbook_preprocessor::parse_input, then the book back with serde_json
#   compare  target/release/mdbook-compare
# and prints compare/floor for both (and for CPU time, user + system, which a machine shared with
# other work disturbs less than the wall-clock time), on synthetic books (benches/synth) with
# directives at 1x, 4x and 16x and without any directive at 1x. The commands' runs are
# interleaved, one of each per round, so that a drifting load weighs on all of them alike.
#
# Usage: benches/floor.sh [BOOK...]   BOOK: synthetic-1x plain-1x synthetic-4x synthetic-16x
# Environment: RUNS (timed runs per command, default 10; 16x uses a third of it, at least 3),
#   BOOKS_DIR (default target/bench-books), EXTRA (more preprocessor binaries to measure
#   alongside, space-separated, e.g. an older build), SLICE=1 (also the identity that reads all
#   input before parsing it with serde_json::from_slice), ONE_CORE=1 (also mdbook-compare
#   pinned to one core with taskset, so on one thread).
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
[ "${SLICE:-0}" = 1 ] && commands+=("$floor --slice")
[ "${ONE_CORE:-0}" = 1 ] && commands+=("taskset -c 0 $compare")
for extra in ${EXTRA:-}; do commands+=("$extra"); done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/ {print $2}') GiB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

for book in "${books[@]}"; do
  scale=${book##*-}
  scale=${scale%x}
  flags=(--scale "$scale")
  [[ $book == plain-* ]] && flags+=(--no-directives)
  input=$(target/release/examples/gen_book "$BOOKS_DIR/$book" "${flags[@]}")
  runs=$RUNS
  [ "$scale" -ge 16 ] && runs=$(( RUNS / 3 > 3 ? RUNS / 3 : 3 ))
  out_bytes=$("$compare" < "$input" | wc -c)
  python3 - "$book" "$input" "$out_bytes" "$runs" "${commands[@]}" <<'PY'
import os, shlex, statistics, subprocess, sys, time
book, input_path, out_bytes, runs, *commands = sys.argv[1:]
runs = int(runs)

def run(command):
    """One run: wall-clock seconds, CPU seconds (user + system) and peak RSS in KB."""
    with open(input_path, "rb") as stdin:
        start = time.perf_counter()
        process = subprocess.Popen(shlex.split(command), stdin=stdin, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{command} failed on {input_path}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss

# Rounds of one run of each command, in an order rotated every round, after one warm-up
# round: the machine's load drifts, and interleaving spreads the drift over every command.
samples = {command: [] for command in commands}
for round_ in range(runs + 1):
    order = commands[round_ % len(commands):] + commands[:round_ % len(commands)]
    for command in order:
        result = run(command)
        if round_ > 0:
            samples[command].append(result)

in_mb, out_mb = os.path.getsize(input_path) / 1e6, int(out_bytes) / 1e6
print(f"\n{book}: input {in_mb:.1f} MB, output {out_mb:.1f} MB, {runs} runs, medians")
print(f"  {'command':34} {'wall s':>7} {'stddev':>7} {'ratio':>6} {'CPU s':>7} {'ratio':>6}"
      f" {'max RSS MB':>11} {'ratio':>6}")
floor = None
for command in commands:
    walls, cpus, peaks = zip(*samples[command])
    wall, cpu, peak = statistics.median(walls), statistics.median(cpus), statistics.median(peaks)
    floor = floor or (wall, cpu, peak)
    name = command.replace("target/release/", "")
    print(f"  {name:34} {wall:7.3f} {statistics.pstdev(walls):7.3f} {wall / floor[0]:6.2f}"
          f" {cpu:7.3f} {cpu / floor[1]:6.2f} {peak / 1024:11.1f} {peak / floor[2]:6.2f}")
PY
done
