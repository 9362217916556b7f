"""The Benchmarks Game's fasta generator, written here from the game's published description
(not from any submitted program): the input of regex-redux, which reads fasta's output for N.

- `>ONE Homo sapiens alu`: the ALU sequence repeated to 2N characters;
- `>TWO IUB ambiguity codes`: 3N characters drawn at random from the IUB table;
- `>THREE Homo sapiens frequency`: 5N characters drawn from the Homo sapiens table;

each sequence written in lines of 60. The random numbers come from the game's linear congruential
generator (`seed = (seed × 3877 + 29573) mod 139968`, from 42, giving `seed / 139968`), one
stream for TWO and THREE in turn; a character is the first in its table whose cumulative
probability is above the number.

Since that generator has the full period 139,968, the random characters of a table are one fixed
cycle of that length, read from the position the stream has reached: the output is made by
slicing that cycle, which is the same as drawing character by character, only faster."""

import bisect
import os
from itertools import accumulate
from pathlib import Path

IM, IA, IC = 139_968, 3_877, 29_573
SEED = 42
WIDTH = 60

ALU = (
    "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGGGAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGACCAGCCTGGCC"
    "AACATGGTGAAACCCCGTCTCTACTAAAAATACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCAGCTACTCGGGAGGCTGAGGCAG"
    "GAGAATCGCTTGAACCCGGGAGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCCAGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA"
)
IUB = (("a", 0.27), ("c", 0.12), ("g", 0.12), ("t", 0.27)) + tuple((code, 0.02) for code in "BDHKMNRSVWY")
HOMO_SAPIENS = (("a", 0.3029549426680), ("c", 0.1979883004921), ("g", 0.1975473066391), ("t", 0.3015094502008))
SECTIONS = (
    (">ONE Homo sapiens alu", None, 2),
    (">TWO IUB ambiguity codes", IUB, 3),
    (">THREE Homo sapiens frequency", HOMO_SAPIENS, 5),
)
# Part of the cached file's name: change it when the generator's output changes.
VERSION = 1


def seeds():
    """The generator's states after each step from the seed, one full period."""
    found, seed = [], SEED
    for _ in range(IM):
        seed = (seed * IA + IC) % IM
        found.append(seed)
    return found


def cycle(table, states):
    """The characters the states pick from a table: one period of that table's random stream."""
    cumulative = list(accumulate(probability for _, probability in table))
    codes = [code for code, _ in table]
    last = len(codes) - 1
    return "".join(codes[min(bisect.bisect_right(cumulative, state / IM), last)] for state in states).encode()


def _take(period, start, count):
    """`count` characters of an endless repetition of `period`, from position `start`."""
    start %= len(period)
    repeats = (start + count) // len(period) + 1
    return (period * repeats)[start : start + count]


def _lines(sequence):
    return b"".join(sequence[i : i + WIDTH] + b"\n" for i in range(0, len(sequence), WIDTH))


def generate(n):
    """fasta's whole output for `n`, as bytes."""
    states = seeds()
    out, position = [], 0
    for header, table, factor in SECTIONS:
        count = factor * n
        if table is None:
            sequence = _take(ALU.encode(), 0, count)
        else:
            sequence = _take(cycle(table, states), position, count)
            position += count
        out += [header.encode() + b"\n", _lines(sequence)]
    return b"".join(out)


def cached(n, folder: Path):
    """The path of fasta's output for `n` in `folder`, written there once (whole, by a rename)
    and reused by every later run."""
    path = folder / f"fasta-v{VERSION}-{n}.txt"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(generate(n))
        os.replace(partial, path)
    return path
