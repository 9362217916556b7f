#!/usr/bin/env python3
"""Times commands side by side, for benches/floor.sh and benches/real_book.sh.

Usage: interleave.py RUNS COMMAND...

A COMMAND is an argument list (split like a shell would, without running one), optionally
ending in `< FILE` for its standard input; its output is discarded. After one warm-up round,
RUNS rounds run each command once, in an order rotated every round, so that a drifting machine
load weighs on every command alike. Prints a JSON list with, per command in the order given:
the medians of wall-clock seconds, CPU seconds (user + system, its child processes included)
and peak resident memory in KB, and the standard deviation of the wall-clock seconds.
"""

import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(command):
    """One run of `command`: wall-clock seconds, CPU seconds and peak RSS in KB."""
    args, _, stdin_path = command.partition(" < ")
    with open(shlex.split(stdin_path)[0] if stdin_path else os.devnull, "rb") as stdin:
        start = time.perf_counter()
        process = subprocess.Popen(
            shlex.split(args), stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"interleave.py: `{command}` failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main():
    runs, commands = int(sys.argv[1]), sys.argv[2:]
    samples = {command: [] for command in commands}
    for round_ in range(runs + 1):
        shift = round_ % len(commands)
        for command in commands[shift:] + commands[:shift]:
            result = run(command)
            if round_ > 0:
                samples[command].append(result)
    summary = []
    for command in commands:
        walls, cpus, peaks = zip(*samples[command])
        summary.append(
            {
                "command": command,
                "wall": statistics.median(walls),
                "wall_stddev": statistics.pstdev(walls),
                "cpu": statistics.median(cpus),
                "max_rss_kb": statistics.median(peaks),
            }
        )
    json.dump(summary, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
