"""The fasta generator behind regex-redux's input, against the Benchmarks Game's published output,
and the regex-redux expected outputs it leads to."""

import hashlib
import math
import re
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from bench.suite import fasta
from bench.suite.machine import BENCH

# The first lines of each sequence in the game's fasta output for N = 1000 (fasta-output.txt on the
# game's fasta page); TWO's lines are the same for every N, since the random stream starts there.
PUBLISHED_ONE = [
    ">ONE Homo sapiens alu",
    "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGGGAGGCCGAGGCGGGCGGA",
    "TCACCTGAGGTCAGGAGTTCGAGACCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACT",
]
PUBLISHED_TWO = [
    ">TWO IUB ambiguity codes",
    "cttBtatcatatgctaKggNcataaaSatgtaaaDcDRtBggDtctttataattcBgtcg",
    "tactDtDagcctatttSVHtHttKtgtHMaSattgWaHKHttttagacatWatgtRgaaa",
    "NtactMcSMtYtcMgRtacttctWBacgaaatatagScDtttgaagacacatagtVgYgt",
    "cattHWtMMWcStgttaggKtSgaYaaccWStcgBttgcgaMttBYatcWtgacaYcaga",
]
# The game's published regex-redux output for fasta N = 5,000,000 gives the input's length.
PUBLISHED_LENGTH_5M = 50_833_411
# The SHA-256 of this generator's output for N = 1000 (see the test that reads it).
CHECKSUM_1000 = "62d1e8d0df7938d2aefda9a37887e0389231ea72c099c29a51afb6edca1bdc73"

VARIANTS = [line.rsplit(" ", 1)[0] for line in (BENCH / "regex-redux" / "expected-5000000.txt").read_text().splitlines()[:9]]
SUBSTITUTIONS = [("tHa[Nt]", "<4>"), ("aND|caN|Ha[DS]|WaS", "<3>"), ("a[NSt]|BY", "<2>"), ("<[^>]*>", "|"), (r"\|[^|][^|]*\|", "-")]


def drawn_one_by_one(n):
    """fasta's output drawn character by character, as the game's description puts it."""
    seed, out = fasta.SEED, []
    for header, table, factor in fasta.SECTIONS:
        count = factor * n
        if table is None:
            sequence = "".join(fasta.ALU[i % len(fasta.ALU)] for i in range(count))
        else:
            chars = []
            for _ in range(count):
                seed = (seed * fasta.IA + fasta.IC) % fasta.IM
                number, total = seed / fasta.IM, 0.0
                for code, probability in table:
                    total += probability
                    if number < total:
                        break
                chars.append(code)
            sequence = "".join(chars)
        out.append(header + "\n" + "".join(sequence[i : i + 60] + "\n" for i in range(0, count, 60)))
    return "".join(out).encode()


def length(n):
    """The output's length by arithmetic: each header and each line of 60 with its line break."""
    return sum(len(header) + 1 + factor * n + math.ceil(factor * n / 60) for header, _, factor in fasta.SECTIONS)


def regex_redux(text):
    """regex-redux with Python's `re`: a third engine beside the two measured."""
    sequence = re.sub(">.*\n|\n", "", text)
    out = "".join(f"{pattern} {len(re.findall(pattern, sequence))}\n" for pattern in VARIANTS)
    substituted = sequence
    for pattern, replacement in SUBSTITUTIONS:
        substituted = re.sub(pattern, lambda _match, replacement=replacement: replacement, substituted)
    return out + f"\n{len(text)}\n{len(sequence)}\n{len(substituted)}\n"


class FastaTest(unittest.TestCase):
    def test_the_first_lines_are_the_games_published_ones(self):
        lines = fasta.generate(1000).decode().splitlines()
        self.assertEqual(lines[:3], PUBLISHED_ONE)
        two = lines.index(PUBLISHED_TWO[0])
        self.assertEqual(lines[two : two + 5], PUBLISHED_TWO)
        self.assertEqual(lines[two - 1], "GGCGACAGAGCGAGACTCCG", "ONE ends with the ALU's 2,000th character")

    def test_slicing_the_generators_cycle_equals_drawing_one_character_at_a_time(self):
        for n in (1, 7, 1000):
            self.assertEqual(fasta.generate(n), drawn_one_by_one(n), n)

    def test_the_layout_gives_the_published_length_at_the_full_size(self):
        self.assertEqual(length(5_000_000), PUBLISHED_LENGTH_5M)
        for n in (1000, 10_000):
            self.assertEqual(len(fasta.generate(n)), length(n), n)

    def test_the_output_for_1000_is_pinned_by_its_checksum(self):
        # Derived from this generator once its lines matched the published ones (above); it pins
        # every later character, which the published lines and counts check only in part.
        self.assertEqual(hashlib.sha256(fasta.generate(1000)).hexdigest(), CHECKSUM_1000)

    def test_the_file_is_written_once_and_reused(self):
        with tempfile.TemporaryDirectory() as folder:
            path = fasta.cached(100, Path(folder))
            self.assertEqual(path.read_bytes(), fasta.generate(100))
            with mock.patch.object(fasta, "generate", side_effect=AssertionError("generated again")):
                self.assertEqual(fasta.cached(100, Path(folder)), path)
            self.assertEqual([p.name for p in Path(folder).iterdir()], [path.name], "no partial file is left")


class RegexReduxExpectedTest(unittest.TestCase):
    def test_the_committed_check_size_output_is_what_a_third_engine_prints(self):
        expected = (BENCH / "regex-redux" / "expected-10000.txt").read_text()
        self.assertEqual(regex_redux(fasta.generate(10_000).decode()), expected)

    def test_the_full_size_output_is_the_games_published_one(self):
        lines = (BENCH / "regex-redux" / "expected-5000000.txt").read_text().splitlines()
        self.assertEqual(lines[0], "agggtaaa|tttaccct 356")
        self.assertEqual(lines[8], "agggtaa[cgt]|[acg]ttaccct 2178")
        self.assertEqual(lines[10:], [str(PUBLISHED_LENGTH_5M), "50000000", "27388361"])


if __name__ == "__main__":
    unittest.main()
