"""Benchmark files as `suite.dataset` writes them: values, bands and intervals in the agreed format."""

import tomllib
import unittest

from bench.suite import dataset

BENCHMARK = {
    "title": "T",
    "description": "D",
    "limits": "L",
    "provenance": "reproduced",
    "headline": "size",
    "environment": "E",
    "reproduce": "bench/run t",
    "raw": "bench/results/t.json",
    "as_of": "2026-12-07",
    "setup": {"rust": "r", "go": "g"},
    "sources": [{"title": "S"}],
}


class MetricTest(unittest.TestCase):
    def test_a_deterministic_metric_has_its_band_and_an_exact_interval(self):
        entry = dataset.metric({"rust": [4.0], "go": [6.0]}, "size", "Size", "MiB", "lower", "N.", dataset.DETERMINISTIC_SIZE)
        text = dataset.to_toml({**BENCHMARK, "metrics": [entry]}, "written by a test")
        self.assertIn(
            '[[metrics]]\nid = "size"\nname = "Size"\nunit = "MiB"\ndirection = "lower"\nnote = "N."\n'
            f'band = {{ width = 0.0, reason = "{dataset.DETERMINISTIC_SIZE.reason}" }}\n'
            "[metrics.values]\n"
            "rust = { median = 4, min = 4, max = 4, runs = 1 }\n"
            "go = { median = 6, min = 6, max = 6, runs = 1 }\n"
            '[[metrics.intervals]]\nof = "go"\nover = "rust"\nratio = 1.5\nlow = 1.5\nhigh = 1.5\nmethod = "exact"\n',
            text,
        )

    def test_runs_of_a_varying_metric_give_a_bootstrap_interval(self):
        entry = dataset.metric({"rust": [1.0, 1.1, 1.2], "go": [2.0, 2.1, 2.4]}, "time", "Time", "s", "lower", "N.")
        self.assertNotIn("band", entry)
        [pair] = entry["intervals"]
        self.assertEqual((pair["of"], pair["over"], pair["method"]), ("go", "rust", "bootstrap"))
        self.assertEqual(pair["ratio"], 1.91)
        self.assertLessEqual(pair["low"], pair["ratio"])
        self.assertGreaterEqual(pair["high"], pair["ratio"])
        text = dataset.to_toml({**BENCHMARK, "metrics": [entry]}, "written by a test")
        self.assertEqual(tomllib.loads(text)["metrics"][0]["intervals"], [pair])

    def test_one_run_of_a_varying_metric_has_no_interval(self):
        entry = dataset.metric({"rust": [1.95], "go": [1.99]}, "peak", "Peak", "MiB", "lower", "N.")
        self.assertNotIn("intervals", entry)
        text = dataset.to_toml({**BENCHMARK, "metrics": [entry]}, "written by a test")
        self.assertNotIn("intervals", text)

    def test_a_provisional_benchmark_says_so(self):
        entry = dataset.metric({"rust": [1.0], "go": [2.0]}, "size", "Size", "MiB", "lower", "N.")
        text = dataset.to_toml({**BENCHMARK, "provisional": True, "metrics": [entry]}, "written by a test")
        self.assertIn('provenance = "reproduced"\nprovisional = true\nheadline = "size"\n', text)


if __name__ == "__main__":
    unittest.main()
