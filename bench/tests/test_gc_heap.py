"""The `gc-heap` workload: percentiles from histograms, memory sampled over a run, the answer
checked, Go's memory-limit setting, and no server left running after a run, failed ones included."""

import json
import os
import random
import socket
import stat
import tempfile
import textwrap
import unittest
from pathlib import Path
from unittest import mock

from bench.suite.machine import Failed
from bench.suite.workloads import gc_heap, http_json
from bench.suite.workloads.base import Context

from .test_workloads import FakeLanguage


def answer(keys, entries=100):
    return json.dumps({"entries": [{"key": k, "name": f"entry-{k}", "version": 0, "hits": 1, "size": len(f"entry-{k}")} for k in keys]})


class PercentileTest(unittest.TestCase):
    def test_a_percentile_from_the_histogram_is_at_most_one_percent_above_the_exact_one(self):
        rng = random.Random(7)
        latencies = sorted(rng.lognormvariate(6, 1.5) for _ in range(20_000))
        buckets = http_json.histogram(latencies)
        for fraction in (0.5, 0.99, 0.999, 0.9999):
            exact = http_json.nearest_rank(latencies, fraction)
            read = gc_heap.histogram_percentile(buckets, fraction)
            self.assertGreaterEqual(read, exact * 0.9999, fraction)  # bounds are written to 4 digits
            self.assertLessEqual(read, exact * gc_heap.GROWTH * 1.0001, fraction)

    def test_the_top_percentile_of_few_requests_is_the_slowest(self):
        buckets = http_json.histogram([100.0, 200.0, 5000.0])
        for fraction, exact in ((0.9999, 5000.0), (0.5, 200.0), (0.01, 100.0)):
            read = gc_heap.histogram_percentile(buckets, fraction)
            self.assertTrue(exact * 0.9999 <= read <= exact * gc_heap.GROWTH * 1.0001, (fraction, read))
        with self.assertRaises(ValueError):
            gc_heap.histogram_percentile({}, 0.5)


class MemoryTest(unittest.TestCase):
    def test_vm_rss_is_read_in_mib(self):
        status = "Name:\tgc-heap\nVmHWM:\t 1239936 kB\nVmRSS:\t 1048576 kB\nThreads:\t4\n"
        self.assertEqual(gc_heap.vm_rss_mib(status), 1024.0)

    def test_mean_and_peak_of_the_samples(self):
        self.assertEqual(gc_heap.rss_figures([100.0, 300.0, 200.0]), {"rss_mean_mib": 200.0, "rss_peak_mib": 300.0})
        with self.assertRaises(ValueError):
            gc_heap.rss_figures([])

    def test_the_sampler_reads_a_live_process_until_told_to_stop(self):
        with gc_heap.RssSampler(os.getpid(), interval=0.01) as sampler:
            while len(sampler.samples) < 3:
                pass
        count = len(sampler.samples)
        self.assertFalse(sampler._thread.is_alive())
        self.assertTrue(all(sample > 0 for sample in sampler.samples))
        self.assertEqual(len(sampler.samples), count)

    def test_the_memory_limit_is_twice_the_defaults_peak_with_the_proportional_collector_off(self):
        self.assertEqual(gc_heap.memory_limit_env(1210.4), {"GOGC": "off", "GOMEMLIMIT": "2421MiB"})

    def test_rates_are_shares_of_the_slower_servers_throughput(self):
        self.assertEqual(gc_heap.open_rates(26_482), {"10": 2648, "25": 6620})


class AnswerTest(unittest.TestCase):
    def test_a_good_answer_passes(self):
        self.assertEqual(gc_heap.check_answer(200, "application/json", answer([1, 2, 3, 99]), 100), [])

    def test_wrong_answers_are_named(self):
        self.assertTrue(gc_heap.check_answer(200, "application/json", answer([1, 2, 3]), 100))
        self.assertTrue(gc_heap.check_answer(200, "application/json", answer([1, 2, 3, 100]), 100), "key out of range")
        self.assertTrue(gc_heap.check_answer(200, "text/plain", answer([1, 2, 3, 4]), 100))
        self.assertTrue(gc_heap.check_answer(200, "application/json", b"{}", 100))
        self.assertTrue(gc_heap.check_answer(200, "application/json", b"not json", 100))
        wrong = json.loads(answer([1, 2, 3, 4]))
        wrong["entries"][2]["name"] = "entry-7"
        self.assertTrue(gc_heap.check_answer(200, "application/json", json.dumps(wrong), 100))


def fake_oha(_tool, server, seconds, connections, rate, scratch):
    latencies = [100.0 + i for i in range(1000)]
    return {
        "p50": 0.6, "p99": 1.1, "p999": 1.2, "requests": 1000, "due": 1000, "beyond_p999": 1, "rps": rate,
        "server_cpu": 0.3, "client_cpu": 0.4, "server_cpu_seconds": 1.0, "client_cpu_seconds": 1.0, "wall_seconds": 1.0,
        "requests_per_cpu_second": 1000.0, "gate": True, "histogram_us": http_json.histogram(latencies),
    }  # fmt: skip


class FakeServer:
    started, stopped = [], []

    def __init__(self, language, binary, env=None, ready_seconds=15):
        self.language, self.env = language, env
        self.process = mock.Mock(pid=os.getpid())
        FakeServer.started.append(self)

    def check(self, entries):
        pass

    def memory_mib(self, field):
        return 600.0

    def stop(self):
        FakeServer.stopped.append(self)


class MeasureTest(unittest.TestCase):
    def setUp(self):
        FakeServer.started, FakeServer.stopped = [], []

    def measure(self, oha=fake_oha):
        ctx = Context([FakeLanguage("rust", "Rust"), FakeLanguage("go", "Go")], {"wrk": "wrk", "oha": "oha"}, False, Path(tempfile.gettempdir()))
        wrk = {"rps": 20_000.0, "server_cpu": 0.99, "client_cpu": 0.5, "gate": True}
        with (
            mock.patch.object(gc_heap, "CacheServer", FakeServer),
            mock.patch.object(gc_heap, "run_wrk", lambda *args: wrk),
            mock.patch.object(gc_heap, "run_oha", oha),
            mock.patch.object(gc_heap, "RSS_INTERVAL", 0.01),
        ):
            return gc_heap._measure(ctx)

    def test_go_runs_with_its_defaults_and_with_the_memory_limit_and_every_metric_is_described(self):
        raw = self.measure()
        settings = raw["params"]["settings"]
        self.assertEqual(settings["go-memory-limit"]["env"], {"GOGC": "off", "GOMEMLIMIT": "1200MiB"})
        self.assertEqual(settings["go"]["env"], {})
        self.assertEqual(raw["params"]["rates"], {"10": 2000, "25": 5000})
        # Probe (2 servers), then 3 settings × 2 runs, each started afresh: every one stopped.
        self.assertEqual(len(FakeServer.started), 2 + 3 * gc_heap.RUNS)
        self.assertEqual(FakeServer.stopped, FakeServer.started)
        self.assertEqual(FakeServer.started[-1].env["ENTRIES"], str(gc_heap.ENTRIES))
        self.assertEqual(raw["runs"]["open-p9999-25-memory-limit"]["rust"], raw["runs"]["open-p9999-25"]["rust"])
        life = raw["details"]["lives"]["go"][0]
        self.assertTrue(life["rss_mib"])
        self.assertEqual(life["rss_peak_mib"], max(life["rss_mib"]))
        raw["environment"] = {"names": {"rust": "Rust", "go": "Go"}, "crates": {}}
        with mock.patch.object(gc_heap, "environment_text", lambda raw, method: method):
            fields = gc_heap._describe(raw)
        self.assertEqual({m["id"] for m in fields["metrics"]}, set(raw["runs"]))
        self.assertIn("GOMEMLIMIT=1200MiB", fields["setup"]["go"])
        self.assertIn("https://go.dev/doc/gc-guide", fields["setup"]["go"])

    def test_a_failed_run_leaves_no_server_running(self):
        calls = []

        def failing_oha(*args):
            calls.append(args)
            if len(calls) == 4:
                raise Failed("oha failed")
            return fake_oha(*args)

        with self.assertRaises(Failed):
            self.measure(failing_oha)
        self.assertEqual(len(FakeServer.started), 4)
        self.assertEqual(FakeServer.stopped, FakeServer.started)


class RealProcessTest(unittest.TestCase):
    def test_a_server_that_answers_wrongly_is_stopped_and_its_port_freed(self):
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "server"
            script.write_text(
                textwrap.dedent(
                    """\
                    #!/usr/bin/env python3
                    import http.server, os
                    host, port = os.environ["BIND_ADDR"].split(":")
                    class Wrong(http.server.BaseHTTPRequestHandler):
                        def do_GET(self):
                            self.send_response(200)
                            self.send_header("Content-Type", "application/json")
                            self.end_headers()
                            self.wfile.write(b"{}")
                        def log_message(self, *args):
                            pass
                    http.server.HTTPServer((host, int(port)), Wrong).serve_forever()
                    """
                )
            )
            script.chmod(script.stat().st_mode | stat.S_IXUSR)
            started = []
            real = gc_heap.CacheServer

            def keep(*args, **kwargs):
                started.append(real(*args, **kwargs))
                return started[-1]

            with mock.patch.object(gc_heap, "CacheServer", keep), self.assertRaisesRegex(RuntimeError, "answers wrongly"):
                gc_heap._start(gc_heap.Setting(FakeLanguage("go", "Go")), script, 100)
            (server,) = started
            self.assertIsNotNone(server.process.poll(), "the server process has exited")
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()


if __name__ == "__main__":
    unittest.main()
