"""The ratio intervals of `suite.stats`, among them today's 300-run start-up figures."""

import json
import statistics
import unittest
from pathlib import Path

from bench.suite import stats

# The start-up raw record of 2026-12-01 (busy machine, before the quiet gate), kept as a fixture.
RESULTS = Path(__file__).resolve().parent / "fixtures"


class BootstrapTest(unittest.TestCase):
    def test_the_300_run_startup_case_lies_clearly_above_one(self):
        runs = json.loads((RESULTS / "startup-2026-12-01.json").read_text())["runs"]["hello-time"]
        self.assertEqual((len(runs["rust"]), len(runs["go"])), (300, 300))
        [pair] = stats.intervals(runs)
        self.assertEqual((pair.of, pair.over, pair.method), ("go", "rust", "bootstrap"))
        self.assertAlmostEqual(pair.ratio, statistics.median(runs["go"]) / statistics.median(runs["rust"]))
        # Go's median start-up is ~1.54 times Rust's; the 95% interval, [1.49, 1.58], is far from 1
        # and outside a ±5% band around it.
        self.assertEqual((round(pair.low, 2), round(pair.high, 2)), (1.49, 1.58))
        self.assertGreater(pair.low, 1.05)
        self.assertLess(pair.low, pair.ratio)
        self.assertLess(pair.ratio, pair.high)

    def test_the_same_runs_give_the_same_interval(self):
        of, over = [1.0, 1.3, 0.9, 1.1, 1.2], [2.0, 2.2, 1.9, 2.5]
        self.assertEqual(stats.bootstrap_bounds(of, over), stats.bootstrap_bounds(list(of), list(over)))

    def test_alike_runs_give_an_interval_around_one(self):
        of = [1.0 + 0.01 * (i % 7) for i in range(40)]
        over = [1.0 + 0.01 * ((i * 3) % 7) for i in range(40)]
        [pair] = stats.intervals({"a": over, "b": of})
        self.assertLessEqual(pair.low, 1.0)
        self.assertGreaterEqual(pair.high, 1.0)

    def test_the_bounds_are_the_2_5th_and_97_5th_percentiles(self):
        # With one distinct value per side every resample gives the same ratio.
        self.assertEqual(stats.bootstrap_bounds([3.0, 3.0], [2.0, 2.0]), (1.5, 1.5))
        # 10,000 resamples: 250 ratios below the low bound, 250 above the high one.
        self.assertEqual(round(stats.RESAMPLES * (1 - stats.CONFIDENCE) / 2), 250)


class PairsTest(unittest.TestCase):
    def test_each_later_language_over_each_earlier_one(self):
        runs = {"a": [1.0, 1.0], "b": [2.0, 2.0], "c": [4.0, 4.0]}
        pairs = [(pair.of, pair.over, pair.ratio) for pair in stats.intervals(runs)]
        self.assertEqual(pairs, [("b", "a", 2.0), ("c", "a", 4.0), ("c", "b", 2.0)])

    def test_one_run_of_a_varying_quantity_gives_no_interval(self):
        self.assertEqual(stats.intervals({"rust": [1.95], "go": [1.99]}), [])
        self.assertEqual(stats.intervals({"rust": [1.95], "go": [1.99, 2.0, 2.1]}), [])

    def test_a_deterministic_quantity_gives_an_exact_interval_from_one_run(self):
        [pair] = stats.intervals({"rust": [5.82], "go": [9.3]}, deterministic=True)
        self.assertEqual(pair.method, "exact")
        self.assertEqual(pair.low, pair.ratio)
        self.assertEqual(pair.high, pair.ratio)
        self.assertAlmostEqual(pair.ratio, 9.3 / 5.82)

    def test_a_language_without_runs_is_left_out(self):
        self.assertEqual(stats.intervals({"rust": [1.0, 2.0], "go": []}), [])


if __name__ == "__main__":
    unittest.main()
