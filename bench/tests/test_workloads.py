"""Like for like: what each workload runs and how its benchmark file labels it. The programs and
tools are faked (no build, no timed run); the workloads' own code is real."""

import shutil
import tempfile
import tomllib
import unittest
from pathlib import Path
from unittest import mock

from bench.suite import languages
from bench.suite.machine import BENCH, REPO, Failed, Run
from bench.suite.workloads import binary_size, builds, cpu, http_json, json_doc, startup
from bench.suite.workloads.base import Context


def run(seconds=1.0, cpu_seconds=1.0, stdout=""):
    return Run(seconds, cpu_seconds, 0.0, 0, 2.0, stdout)


class FakeLanguage:
    def __init__(self, language_id, name):
        self.id, self.name = language_id, name
        self.built = []

    def build(self, program, variant="release"):
        self.built.append((program, variant))
        return Path(f"/bin/{self.id}-{program}-{variant}")


def context(smoke=False):
    return Context([FakeLanguage("rust", "Rust"), FakeLanguage("go", "Go")], {}, smoke, Path(tempfile.gettempdir()))


def expected(program, size):
    return (BENCH / program / f"expected-{size}.txt").read_text()


class CpuTest(unittest.TestCase):
    def measure(self, program):
        commands = []

        def fake_run(command, env=None, cwd=None):
            commands.append([str(part) for part in command])
            size = int(command[-1])
            return run(2.0, 3.0 if command[0] != "taskset" else 2.0, expected(program, size))

        with mock.patch.object(cpu, "run_measured", fake_run):
            raw = cpu.PROGRAMS[program] and cpu._measure(program, context())
        return raw, commands

    def test_binary_trees_runs_on_one_core_and_with_every_core(self):
        raw, commands = self.measure("binary-trees")
        timed = [command for command in commands if command[-1] == "21"]
        pinned = [command for command in timed if command[0] == "taskset"]
        self.assertEqual(len(pinned), 2 * cpu.RUNS)
        self.assertEqual(len(timed) - len(pinned), 2 * cpu.RUNS, "as many runs with every core visible")
        self.assertEqual(set(raw["processes"]), {"one-core", "all-cores"})
        # On one core: CPU time; with every core: elapsed time and CPU time, apart.
        self.assertEqual(raw["runs"]["time"]["go"], [2.0] * cpu.RUNS)
        self.assertEqual(raw["runs"]["time-all-cores"]["go"], [2.0] * cpu.RUNS)
        self.assertEqual(raw["runs"]["cpu-all-cores"]["go"], [3.0] * cpu.RUNS)

    def test_binary_trees_labels_each_way(self):
        raw, _ = self.measure("binary-trees")
        with mock.patch.object(cpu, "environment_text", lambda raw, method: method):
            fields = cpu._describe("binary-trees", raw)
        names = {metric["id"]: metric["name"] for metric in fields["metrics"]}
        self.assertEqual(names["time"], "CPU time on one core (pinned)")
        self.assertRegex(names["time-all-cores"], r"^Elapsed with \d+ cores$")
        self.assertRegex(names["cpu-all-cores"], r"^CPU time with \d+ cores$")

    def test_n_body_times_the_tuned_programs_beside_the_idiomatic_ones(self):
        raw, commands = self.measure("n-body")
        binaries = {command[-2] for command in commands}
        self.assertIn("/bin/go-n-body-tuned-release", binaries)
        self.assertIn("/bin/rust-n-body-release", binaries)
        with mock.patch.object(cpu, "environment_text", lambda raw, method: method):
            fields = cpu._describe("n-body", raw)
        names = {metric["id"]: metric["name"] for metric in fields["metrics"]}
        self.assertEqual(names["time"], "Wall time, idiomatic programs")
        self.assertEqual(names["time-tuned"], "Wall time, tuned programs")

    def test_the_tuned_programs_exist_for_every_language_and_share_the_expected_output(self):
        for language in ("rust", "go"):
            self.assertTrue((BENCH / "n-body-tuned" / language).is_dir(), language)
        self.assertFalse(list((BENCH / "n-body-tuned").glob("expected-*.txt")), "the expected output is n-body's")


class RegexReduxTest(unittest.TestCase):
    def test_the_programs_read_fasta_output_on_standard_input_and_are_checked_first(self):
        calls = []

        def fake_run(command, env=None, cwd=None, stdin=None):
            calls.append(([str(part) for part in command], stdin))
            size = int(Path(stdin).name.rsplit("-", 1)[1])
            return run(2.0, 3.0, expected("regex-redux", size))

        with (
            mock.patch.object(cpu, "run_measured", fake_run),
            mock.patch.object(cpu.fasta, "cached", lambda n, folder: folder / f"fasta-{n}"),
        ):
            raw = cpu._measure("regex-redux", context())
        self.assertTrue(all(command[-1].endswith("regex-redux-release") for command, _ in calls), "no size argument")
        inputs = [Path(stdin).name for _, stdin in calls]
        self.assertEqual(inputs[:4], ["fasta-10000"] * 4, "checked at the small size first, each language both ways")
        self.assertEqual(inputs[4:], ["fasta-5000000"] * 4 * cpu.RUNS)
        self.assertEqual(set(raw["processes"]), {"one-core", "all-cores"})
        raw["environment"] = {"crates": {"rust": {"regex": "1.13.2"}}}
        with mock.patch.object(cpu, "environment_text", lambda raw, method: method):
            fields = cpu._describe("regex-redux", raw)
        self.assertIn("The `regex` crate 1.13.2:", fields["setup"]["rust"])
        self.assertTrue(fields["limits"].startswith("Sequential programs"))
        self.assertIn("fasta N 5,000,000", fields["environment"])

    def test_a_wrong_count_fails_the_run(self):
        def fake_run(command, env=None, cwd=None, stdin=None):
            return run(stdout=expected("regex-redux", 10_000).replace(" 3\n", " 4\n", 1))

        with (
            mock.patch.object(cpu, "run_measured", fake_run),
            mock.patch.object(cpu.fasta, "cached", lambda n, folder: folder / f"fasta-{n}"),
            self.assertRaisesRegex(Failed, "instead of the expected"),
        ):
            cpu._measure("regex-redux", context())


class JsonTest(unittest.TestCase):
    def test_json_runs_on_one_core_and_with_every_core(self):
        commands = []
        document = json_doc.document()

        def fake_run(command, env=None, cwd=None):
            commands.append([str(part) for part in command])
            if str(command[-2]) == "1":
                Path(command[-1]).write_bytes(document)
            return run(1.0, 1.5 if command[0] != "taskset" else 1.0, "parse_ms 2.0\nserialize_ms 1.0\n")

        with tempfile.TemporaryDirectory() as folder:
            ctx = Context([FakeLanguage("rust", "Rust"), FakeLanguage("go", "Go")], {}, False, Path(folder))
            with mock.patch.object(json_doc, "run_measured", fake_run):
                raw = json_doc._measure(ctx)
        timed = [command for command in commands if command[-2] == "40"]
        self.assertEqual(sum(command[0] == "taskset" for command in timed), 10)
        self.assertEqual(sum(command[0] != "taskset" for command in timed), 10)
        self.assertEqual(raw["runs"]["cores-busy-all-cores"]["go"], [1.5] * 5)
        self.assertIn("parse-all-cores", raw["runs"])


class BuildsTest(unittest.TestCase):
    def test_rust_rebuilds_in_debug_and_lints_with_clippy(self):
        rust = object.__new__(languages.Rust)
        rust.cargo = "cargo"
        commands = []
        with mock.patch.object(languages, "timed", lambda command, cwd=None, env=None: commands.append(command)):
            rust.rebuild(Path("src"), Path("scratch"))
            rust.check(Path("src"), Path("scratch"))
        self.assertEqual(commands[0][:2], ["cargo", "build"])
        self.assertNotIn("--release", commands[0])
        self.assertEqual(commands[1][:2], ["cargo", "clippy"])

    def test_the_copies_are_built_where_the_repository_toolchain_file_applies(self):
        sources = []

        class Language(FakeLanguage):
            CHECK = "`lint`"

            def source(self, program):
                return BENCH / program / self.id

            def main_file(self, source):
                return source / "edited"

            def edit_line(self, number):
                return f"{number}\n"

            def fetch(self, source):
                sources.append(source)

            def cold_build(self, source, scratch, clean=True):
                sources.append(source)
                return run()

            def rebuild(self, source, scratch):
                sources.append(source)
                return run()

            def check(self, source, scratch):
                sources.append(source)
                return run()

        inside = REPO / "bench" / ".build"
        inside.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.TemporaryDirectory(dir=inside) as folder,
            tempfile.TemporaryDirectory() as outside,
            mock.patch.object(builds, "BUILD", Path(folder)),
        ):
            # A full run: its scratch folder (outside the repository) must not hold the copies.
            ctx = Context([Language("rust", "Rust"), Language("go", "Go")], {}, False, Path(outside))
            raw = builds._measure(ctx)
        self.assertIn(REPO, languages.BUILD.parents)
        self.assertTrue((REPO / "rust-toolchain.toml").is_file())
        for source in sources:
            self.assertIn(REPO, source.parents, f"{source} is outside the repository")
        self.assertEqual(set(raw["runs"]), {"cold-release", "rebuild-debug", "lint"})

    def test_actix_web_is_built_without_its_default_features(self):
        manifest = tomllib.loads((BENCH / "http-json" / "rust" / "Cargo.toml").read_text())
        actix = manifest["dependencies"]["actix-web"]
        self.assertIs(actix["default-features"], False)
        self.assertEqual(actix["features"], ["macros"])


class BinarySizeTest(unittest.TestCase):
    def test_a_dynamic_build_is_never_compared(self):
        class Language(FakeLanguage):
            def build(self, program, variant="release"):
                return Path(shutil.which("true"))  # a dynamically linked executable

            def describe_build(self, variant):
                return variant

            def static_caveat(self):
                return ""

        with tempfile.TemporaryDirectory() as folder, mock.patch.object(binary_size, "BUILD", Path(folder)), mock.patch.object(binary_size, "timed"):
            ctx = Context([Language("rust", "Rust")], {"strip": "strip"}, True, Path(folder))
            with self.assertRaisesRegex(Failed, "not static"):
                binary_size._measure(ctx)

    def test_every_row_names_its_linking_and_is_exact(self):
        linked = "statically linked, no symbol table, no debug info"
        raw = {
            "environment": {"names": {"rust": "Rust", "go": "Go"}},
            "params": {
                "variants": {language: {"static": "s", "small": "z"} for language in ("rust", "go")},
                "cannot_build": {"rust": "no musl target"},
            },
            "runs": {f"{name}-{kind}": {"rust": [1.0], "go": [2.0]} for name in binary_size.PROGRAMS for kind in binary_size.KINDS},
            "details": {"linkage": {f"{name}-{kind}": {"rust": linked, "go": linked} for name in binary_size.PROGRAMS for kind in binary_size.KINDS}},
        }
        with mock.patch.object(binary_size, "environment_text", lambda raw, method: method):
            fields = binary_size._describe(raw)
        self.assertIn("What this machine cannot build: Rust: no musl target.", fields["limits"])
        for metric in fields["metrics"]:
            self.assertIn("static", metric["name"])
            self.assertIn("Rust: statically linked", metric["note"])
            self.assertEqual(metric["band"]["width"], 0.0)


WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:1/json
  1 threads and 64 connections
  Latency Distribution
     50%  1.20ms
     75%  1.50ms
     90%  2.00ms
     99%    3.10ms
  401234 requests in 10.00s, 60.00MB read
Requests/sec:  40123.40
Transfer/sec:      6.00MB
"""


class HttpTest(unittest.TestCase):
    def test_open_loop_runs_last_long_enough_for_a_thousand_requests_beyond_p999(self):
        for rate in (1_000, 10_578, 31_734, 200_000):
            seconds = http_json.open_seconds(rate)
            self.assertGreaterEqual(rate * seconds * (1 - 0.999), 1000, rate)
        self.assertEqual(http_json.open_seconds(10_000, smoke=True), 2)

    def test_nearest_rank_percentiles(self):
        values = list(range(1, 1001))
        self.assertEqual(http_json.nearest_rank(values, 0.5), 500)
        self.assertEqual(http_json.nearest_rank(values, 0.999), 999)
        self.assertEqual(http_json.nearest_rank([7.0], 0.999), 7.0)

    def test_the_histogram_holds_every_request_in_one_percent_buckets(self):
        latencies = [50.0, 50.2, 51.0, 120.0, 4_000.0, 4_000.0, 250_000.0]
        buckets = http_json.histogram(latencies)
        self.assertEqual(sum(buckets.values()), len(latencies))
        bounds = [float(bound) for bound in buckets]
        self.assertEqual(bounds, sorted(bounds))
        for value in latencies:
            lower = max(bound for bound in bounds if bound <= value * 1.0001)
            self.assertLess(value, lower * 1.0101, value)

    def test_wrk_output_gives_the_requests_for_the_cpu_figure(self):
        parsed = http_json._parse_wrk(WRK_OUTPUT)
        self.assertEqual(parsed["requests"], 401234)
        self.assertEqual(parsed["p99"], 3.1)

    def test_a_run_that_fails_the_cpu_gate_is_run_again_and_does_not_count(self):
        results = iter([{"gate": False}, {"gate": False}, {"gate": True}])
        attempts = http_json.gated(lambda: next(results), lambda r: "run", enforce=True)
        self.assertEqual([a["gate"] for a in attempts], [False, False, True])
        counted = http_json.counted({"rust": [attempts, [{"gate": True}]]}, enforce=True)
        self.assertEqual(len(counted["rust"]), 2)
        with self.assertRaisesRegex(Failed, "passed the gate"):
            http_json.counted({"go": [[{"gate": False}] * 3, [{"gate": True}]]}, enforce=True)

    def test_closed_loop_percentiles_are_descriptive(self):
        closed = {"rps": 40000.0, "requests": 400000, "p50": 1.2, "p99": 3.1, "wall_seconds": 10.0, "server_cpu_seconds": 9.8,
                  "server_cpu": 0.98, "client_cpu": 0.7, "requests_per_cpu_second": 40816.0, "gate": True}  # fmt: skip
        opened = {"p50": 0.1, "p99": 0.5, "p999": 2.0, "server_cpu": 0.3, "client_cpu": 0.4, "gate": True}
        raw = {
            "smoke": False,
            "environment": {"names": {"rust": "Rust", "go": "Go"}, "crates": {}},
            "params": {
                "connections": 64, "warmup": 5, "duration": 10, "runs": 2, "open_runs": 2, "server_cpu": 0, "client_cpu": 1,
                "gate": {"server_busy": 0.9, "client_free": 0.9, "attempts": 3, "enforced": True}, "open_tail": 1000,
                "rates": {"25": 10000, "50": 20000, "75": 30000}, "open_durations": {"25": 100, "50": 50, "75": 34},
                "client_bound": ["rust"],
            },  # fmt: skip
            "runs": {
                key: {"rust": [1.0, 1.1], "go": [1.2, 1.3]}
                for key in ["throughput", "requests-per-cpu-second", "latency-p50", "latency-p99", "peak-rss"]
                + [f"open-{p}-{r}" for p in ("p50", "p99", "p999") for r in http_json.RATES]
            },
            "details": {
                "closed_attempts": {"rust": [closed, closed], "go": [closed, dict(closed, gate=False), closed]},
                "open_attempts": {str(r): {"rust": [opened] * 2, "go": [opened] * 2} for r in http_json.RATES},
            },
        }
        with mock.patch.object(http_json, "environment_text", lambda raw, method: method):
            fields = http_json._describe(raw)
        metrics = {metric["id"]: metric for metric in fields["metrics"]}
        for key in ("latency-p50", "latency-p99"):
            self.assertIn("closed-loop client waits for each answer", metrics[key]["descriptive"])
        self.assertEqual(metrics["requests-per-cpu-second"]["direction"], "higher")
        self.assertIn(f"at {http_json.RATES[-1]}% load", metrics["requests-per-cpu-second"]["name"])
        self.assertIn("only a lower bound", metrics["throughput"]["descriptive"])
        self.assertIn("could not saturate Rust's server", fields["limits"])
        self.assertIn("1 run failed and did not count", fields["environment"])
        self.assertIn("long enough for 1,000 requests beyond its p99.9", fields["environment"])
        self.assertIn("`oha` Rust 40%", fields["environment"])


if __name__ == "__main__":
    unittest.main()


class StartupTest(unittest.TestCase):
    def test_every_hello_run_keeps_its_wall_and_cpu_time(self):
        true = shutil.which("true")
        with open("/dev/null", "wb") as devnull:
            elapsed, figures = startup._spawn_and_wait(true, devnull.fileno())
        self.assertGreater(elapsed, 0)
        self.assertEqual(set(figures), {"seconds", "user_seconds", "system_seconds", "involuntary_switches"})
        self.assertAlmostEqual(figures["seconds"] * 1000, elapsed, places=3)
        self.assertGreaterEqual(figures["user_seconds"] + figures["system_seconds"], 0)


class HttpGateTest(unittest.TestCase):
    def test_a_client_at_its_cores_limit_counts_as_a_lower_bound_and_an_idle_pair_does_not(self):
        self.assertEqual(http_json.closed_gate(0.97, 0.85), {"client_bound": False, "gate": True})
        self.assertEqual(http_json.closed_gate(0.80, 0.96), {"client_bound": True, "gate": True})
        self.assertEqual(http_json.closed_gate(0.50, 0.40), {"client_bound": False, "gate": False})
        idle = {"gate": False, "server_cpu": 0.5, "client_cpu": 0.4}
        with self.assertRaises(Failed) as failed:
            http_json.counted({"go": [[idle]]}, enforce=True)
        self.assertIn("too busy", str(failed.exception))

    def test_server_runs_are_preferred_and_a_client_bound_language_is_named(self):
        server = {"rps": 100.0, "client_bound": False}
        client = {"rps": 150.0, "client_bound": True}
        self.assertEqual(http_json.saturated([server, client, server]), [server, server])
        self.assertEqual(http_json.saturated([server, client, client]), [server, client, client])
        self.assertFalse(http_json.client_bound([server, client, server]))
        self.assertTrue(http_json.client_bound([client, client, server]))
