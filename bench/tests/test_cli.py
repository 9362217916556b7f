"""`bench/run` without `--publish` leaves the book alone; with it, a busy machine or a dirty tree
refuses. The measurement is faked (n-body's description with made-up runs), the rest is real."""

import contextlib
import dataclasses
import io
import tempfile
import unittest
import unittest.mock
from pathlib import Path

from bench.suite import cli, host, languages, quiet
from bench.suite.workloads import BY_ID

QUIET = quiet.Reading(0.1, 0.0)
BUSY = quiet.Reading(7.5, 80.0)


class FakeLanguage:
    NEWEST_STABLE = None

    def __init__(self, language_id, name):
        self.id, self.name, self.version = language_id, name, f"{language_id} 1.0"

    def source(self, program):
        return Path("/nonexistent") / program / self.id

    def compiler(self, folder):
        return "1.0", f"{self.id}c 1.0"

    def crates(self, program):
        return {}


def fake_measure(context):
    return {
        "params": {"size": 1000, "runs": 3, "cpu": 0},
        "runs": {"time": {"rust": [1.0, 1.1, 1.2], "go": [2.0, 2.2, 2.1]}, "peak-rss": {"rust": [1.9, 1.9, 2.0], "go": [2.0, 2.0, 2.1]}},
        "details": {},
    }


class RunTest(unittest.TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.root = Path(folder.name)
        self.repo = self.root / "repo"
        self.book_file = self.repo / "data" / "benchmarks" / "n-body.toml"
        self.book_file.parent.mkdir(parents=True)
        self.book_file.write_text("# the committed file\n")
        self.readings = [QUIET]
        self.commit = host.Commit("abc123", ())

    def setup(self):
        self.raised = []

        @contextlib.contextmanager
        def priority():
            self.raised.append(True)
            yield "nice -20"

        return cli.Setup(
            workloads=[dataclasses.replace(BY_ID["n-body"], measure=fake_measure)],
            prepare=lambda names: {},
            load_languages=lambda found: [FakeLanguage("rust", "Rust"), FakeLanguage("go", "Go")],
            tool_versions=lambda found: {},
            reader=lambda: self.readings[0],
            commit=lambda allowed: self.commit,
            repo=self.repo,
            scratch=self.root / "scratch",
            smoke_book=self.root / "smoke",
            priority=priority,
        )

    def run_cli(self, *argv):
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            status = cli.main([*argv, "--quiet-timeout", "0"], self.setup())
        return status, errors.getvalue()

    def test_without_publish_the_book_is_untouched_and_the_scratch_folder_holds_the_run(self):
        status, errors = self.run_cli("n-body")
        self.assertEqual(status, 0, errors)
        self.assertEqual(self.book_file.read_text(), "# the committed file\n")
        self.assertFalse((self.repo / "bench").exists())
        written = (self.root / "scratch" / "data" / "benchmarks" / "n-body.toml").read_text()
        self.assertIn("[[metrics.intervals]]", written)
        self.assertIn("within the quiet gate", written)
        self.assertTrue((self.root / "scratch" / "bench" / "results" / "n-body.json").is_file())
        self.assertIn("the book's data/ is untouched", errors)

    def test_publish_on_a_busy_machine_refuses_and_says_why(self):
        self.readings = [BUSY]
        status, errors = self.run_cli("n-body", "--publish")
        self.assertEqual(status, cli.EXIT_REFUSED)
        self.assertIn("refusing to publish", errors)
        self.assertIn("load average is 7.5", errors)
        self.assertIn("CPU pressure (some avg10) is 80%", errors)
        self.assertEqual(self.book_file.read_text(), "# the committed file\n")
        self.assertFalse((self.root / "scratch").exists(), "nothing was measured")

    def test_publish_from_a_dirty_tree_refuses(self):
        self.commit = host.Commit("abc123", ("src/intro.md",))
        status, errors = self.run_cli("n-body", "--publish")
        self.assertEqual(status, cli.EXIT_REFUSED)
        self.assertIn("src/intro.md", errors)
        self.assertEqual(self.book_file.read_text(), "# the committed file\n")

    def test_publish_on_a_quiet_machine_writes_the_book(self):
        status, errors = self.run_cli("n-body", "--publish")
        self.assertEqual(status, 0, errors)
        published = self.book_file.read_text()
        self.assertIn("Repository commit abc123, measured", published)
        self.assertNotIn("provisional", published)
        self.assertTrue((self.repo / "bench" / "results" / "n-body.json").is_file())

    def test_a_machine_busy_after_the_workload_publishes_nothing(self):
        readings = iter([QUIET, QUIET, BUSY])
        setup = self.setup()
        setup.reader = lambda: next(readings)
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            status = cli.main(["n-body", "--publish", "--quiet-timeout", "0"], setup)
        self.assertEqual(status, cli.EXIT_REFUSED, errors.getvalue())
        self.assertEqual(self.book_file.read_text(), "# the committed file\n")
        self.assertIn("after the workload", (self.root / "scratch" / "data" / "benchmarks" / "n-body.toml").read_text())

    def test_other_work_during_the_workload_publishes_nothing(self):
        # Quiet before and after, but something else used a fifth of the CPUs meanwhile.
        with unittest.mock.patch.object(cli.host, "others_percent", return_value=20.0):
            status, errors = self.run_cli("n-body", "--publish")
        self.assertEqual(status, cli.EXIT_REFUSED, errors)
        self.assertEqual(self.book_file.read_text(), "# the committed file\n")
        written = (self.root / "scratch" / "data" / "benchmarks" / "n-body.toml").read_text()
        self.assertIn("other processes used 20% of the CPUs", written)

    def test_a_published_run_raises_the_priority_unless_the_workload_asks_not_to(self):
        status, errors = self.run_cli("n-body", "--publish")
        self.assertEqual(status, 0, errors)
        self.assertEqual(self.raised, [True])
        self.assertIn("nice -20", (self.repo / "bench" / "results" / "n-body.json").read_text())

        setup = self.setup()
        setup.workloads = [dataclasses.replace(w, raise_priority=False) for w in setup.workloads]
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            status = cli.main(["n-body", "--publish", "--quiet-timeout", "0"], setup)
        self.assertEqual(status, 0, errors.getvalue())
        self.assertEqual(self.raised, [], "the workload ran at the runner's own priority")
        self.assertIn("(the runner's own)", (self.repo / "bench" / "results" / "n-body.json").read_text())

    def test_cpu_time_of_a_daemon_the_workload_started_counts_as_the_runners_own(self):
        # A database server that the runner does not wait for: its CPU time is the workload's,
        # not other work on the machine.
        def measure_with_a_daemon(context):
            context.detached_cpu_seconds += 30.0
            return fake_measure(context)

        setup = self.setup()
        setup.workloads = [dataclasses.replace(w, measure=measure_with_a_daemon) for w in setup.workloads]
        seen = []

        def others(before, after, own_seconds, elapsed):
            seen.append(own_seconds)
            return 0.0

        errors = io.StringIO()
        with unittest.mock.patch.object(cli.host, "others_percent", side_effect=others), contextlib.redirect_stderr(errors):
            status = cli.main(["n-body", "--publish", "--quiet-timeout", "0"], setup)
        self.assertEqual(status, 0, errors.getvalue())
        self.assertEqual(len(seen), 1)
        self.assertGreaterEqual(seen[0], 30.0)

    def test_provisional_publishes_a_busy_run_marked_as_such(self):
        self.readings = [BUSY]
        status, errors = self.run_cli("n-body", "--provisional")
        self.assertEqual(status, 0, errors)
        self.assertIn("provisional = true\n", self.book_file.read_text())

    def test_the_repository_is_written_only_with_publish(self):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            cli.parse_args(["n-body", "--book", str(self.repo)], self.setup())


class NewestReleaseTest(unittest.TestCase):
    def test_the_newest_stable_release_is_data(self):
        release = languages.Rust.NEWEST_STABLE
        self.assertEqual((release.version, release.date), ("1.100", "2026-11-12"))
        self.assertLess(languages.version_key("1.95.0"), languages.version_key(release.version))


if __name__ == "__main__":
    unittest.main()


class FromRawTest(unittest.TestCase):
    def test_a_raw_record_older_than_the_description_keeps_its_data_file(self):
        with tempfile.TemporaryDirectory() as folder:
            book = Path(folder)
            kept = book / "data" / "benchmarks" / "http-json.toml"
            kept.parent.mkdir(parents=True)
            kept.write_text("# as committed\n")
            raw = book / "raw"
            raw.mkdir()
            # An HTTP record from before the CPU-share gate: no `gate` among its parameters.
            (raw / "http-json.json").write_text('{"benchmark": "http-json", "smoke": false, "params": {"runs": 5}, "runs": {}, "details": {}, "environment": {"names": {}}}')
            errors = io.StringIO()
            with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
                status = cli.main(["http-json", "--from-raw", str(raw), "--book", str(book)])
            self.assertEqual(status, 0, errors.getvalue())
            self.assertEqual(kept.read_text(), "# as committed\n")
            # Its raw record goes with it, so the file's `raw` still names a file.
            self.assertEqual((book / "bench" / "results" / "http-json.json").read_text(), (raw / "http-json.json").read_text())


class TerminateTest(unittest.TestCase):
    def test_a_terminated_run_still_stops_what_it_started(self):
        # A run that SIGTERM ends goes through its `finally` blocks, as a failed one does: the
        # child it started (a stand-in for a server) is stopped, not left running.
        import os
        import signal
        import subprocess
        import sys
        import time

        repository = Path(__file__).resolve().parents[2]
        script = (
            "import subprocess, sys\n"
            "from bench.suite import cli\n"
            "cli.stop_on_terminate()\n"
            "child = subprocess.Popen(['sleep', '60'])\n"
            "print(child.pid, flush=True)\n"
            "try:\n"
            "    child.wait()\n"
            "finally:\n"
            "    child.kill()\n"
            "    child.wait()\n"
        )
        run = subprocess.Popen([sys.executable, "-c", script], cwd=repository, stdout=subprocess.PIPE, text=True)
        child = int(run.stdout.readline())
        run.send_signal(signal.SIGTERM)
        self.assertEqual(run.wait(timeout=10), 128 + signal.SIGTERM)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            self.fail(f"the child {child} is still running")
