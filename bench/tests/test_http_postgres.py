"""http-postgres: the checks of each endpoint's answers, TechEmpower's query count, the split of
the shared core's CPU time, the benchmark file's fields, that a failed run leaves no server
running or listening and its cluster stopped, and finding PostgreSQL's programs.

The private cluster's own lifecycle runs against a real PostgreSQL only when asked, like the
suite's smoke test: set MDBOOK_COMPARE_BENCH_SMOKE=1 (it takes seconds, and needs PostgreSQL's
server programs; it is skipped, saying why, without them)."""

import html
import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path
from unittest import mock

from bench.suite import languages, postgres, tools
from bench.suite.machine import BENCH, Failed
from bench.suite.workloads import http_postgres
from bench.suite.workloads.base import Context

GOOD_FORTUNES = "".join(
    f"<tr><td>{number}</td><td>{html.escape(message)}</td></tr>" for number, message in http_postgres.expected_fortunes()
)
PAGE = f"<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>{GOOD_FORTUNES}</table></body></html>"

# A small real server answering the three endpoints as the programs do (or wrongly, with
# FAKE_WRONG set), started and stopped as the workload does.
FAKE_SERVER = textwrap.dedent(
    """\
    #!/usr/bin/env python3
    import json, os, random, urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    PAGE = %r
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            row = lambda: {"id": random.randint(1, 10000), "randomNumber": random.randint(1, 10000)}
            if url.path == "/fortunes":
                body, kind = PAGE.encode(), "text/html; charset=utf-8"
            elif url.path == "/db":
                body, kind = json.dumps(row()).encode(), "application/json"
            else:
                text = urllib.parse.parse_qs(url.query).get("n", ["x"])[0]
                n = min(max(int(text), 1), 500) if text.lstrip("-").isdigit() else 1
                body, kind = json.dumps([row() for _ in range(n)]).encode(), "application/json"
            if os.environ.get("FAKE_WRONG"):
                body = b"[]"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    host, port = os.environ["BIND_ADDR"].rsplit(":", 1)
    ThreadingHTTPServer((host, int(port)), Handler).serve_forever()
    """
) % PAGE


class AnswersTest(unittest.TestCase):
    def test_the_query_count_follows_techempower(self):
        self.assertEqual([http_postgres.query_count(t) for t in ("20", "0", "-3", "foo", None, "", "501", "500")], [20, 1, 1, 1, 1, 1, 500, 500])

    def test_a_good_row_and_rows_pass(self):
        self.assertEqual(http_postgres.answer_problems("db", 200, "application/json", b'{"id":3,"randomNumber":10000}'), [])
        rows = json.dumps([{"id": n, "randomNumber": n} for n in range(1, 21)]).encode()
        self.assertEqual(http_postgres.answer_problems("queries?n=20", 200, "application/json", rows), [])

    def test_wrong_rows_are_named(self):
        self.assertTrue(http_postgres.answer_problems("db", 200, "application/json", b'{"id":0,"randomNumber":1}'))
        self.assertTrue(http_postgres.answer_problems("db", 200, "application/json", b'{"id":1,"randomNumber":1,"x":1}'))
        self.assertTrue(http_postgres.answer_problems("db", 200, "text/plain", b'{"id":1,"randomNumber":1}'))
        self.assertTrue(http_postgres.answer_problems("db", 500, "application/json", b'{"id":1,"randomNumber":1}'))
        one = json.dumps([{"id": 1, "randomNumber": 1}]).encode()
        self.assertEqual(http_postgres.answer_problems("queries?n=foo", 200, "application/json", one), [])
        self.assertIn("1 rows instead of 20", http_postgres.answer_problems("queries?n=20", 200, "application/json", one))
        self.assertTrue(http_postgres.answer_problems("queries?n=501", 200, "application/json", one))

    def test_good_fortunes_pass_whatever_the_escaping_style_and_whitespace(self):
        self.assertEqual(http_postgres.answer_problems("fortunes", 200, "text/html; charset=utf-8", PAGE.encode()), [])
        numeric = PAGE.replace("&lt;", "&#60;").replace("&gt;", "&#62;").replace("&quot;", "&#34;").replace("<tr>", "\n<tr>")
        self.assertEqual(http_postgres.fortunes_problems(numeric.encode()), [])

    def test_unescaped_unsorted_or_incomplete_fortunes_fail(self):
        raw = PAGE.replace("&lt;", "<").replace("&gt;", ">")
        self.assertIn("the <script> fortune is not escaped", http_postgres.fortunes_problems(raw.encode()))
        extra = f"<tr><td>0</td><td>{postgres.EXTRA_FORTUNE}</td></tr>"
        self.assertTrue(http_postgres.fortunes_problems(PAGE.replace(extra, "").encode()))
        rows = GOOD_FORTUNES.split("</tr>")
        unsorted = PAGE.replace(GOOD_FORTUNES, "</tr>".join([rows[1], rows[0], *rows[2:]]))
        self.assertTrue(http_postgres.fortunes_problems(unsorted.encode()))

    def test_the_fortunes_are_techempowers_twelve_and_sort_by_code_point(self):
        fortunes = http_postgres.expected_fortunes()
        self.assertEqual(len(fortunes), 13)
        self.assertEqual(fortunes[0][0], 11, "the <script> fortune sorts first")
        self.assertEqual(fortunes[-1][1], "フレームワークのベンチマーク")


class LoadScriptTest(unittest.TestCase):
    def test_quotes_are_doubled_and_every_fortune_is_loaded(self):
        script = postgres.load_script()
        self.assertIn("'A computer scientist is someone who fixes things that aren''t broken.'", script)
        self.assertEqual(script.count("\n("), len(postgres.FORTUNES))
        self.assertIn("generate_series(1, 10000)", script)


class CpuTest(unittest.TestCase):
    STAT = "1234 (postgres: bench x) S 1 2 3 4 5 6 7 8 9 10 100 20 30 40 20 0 1 0 5 6"

    def test_a_stat_line_gives_its_ticks_with_or_without_children(self):
        self.assertEqual(postgres.process_cpu_seconds(self.STAT), 120)
        self.assertEqual(postgres.process_cpu_seconds(self.STAT, with_children=True), 190)
        self.assertEqual(postgres.parent_pid(self.STAT), 1)

    def test_a_threads_time_on_a_cpu_is_read_from_its_sched_file(self):
        self.assertEqual(postgres.sched_runtime_ms("x (1, #threads: 1)\n---\nse.exec_start : 5.0\nse.sum_exec_runtime   :   12.345678\n"), 12.345678)
        self.assertIsNone(postgres.sched_runtime_ms("no such line\n"))
        self.assertGreater(postgres.cpu_seconds_of(os.getpid()), 0)

    def test_the_core_time_is_split_between_server_and_database(self):
        run = {"server_cpu_seconds": 9.0, "server_cpu": 0.9, "client_cpu": 0.3}
        split = http_postgres.split_cpu(run, 3.0, 10.0)
        self.assertEqual(split["core_cpu"], 0.9)
        self.assertEqual((split["server_cpu_seconds"], split["server_cpu"]), (6.0, 0.6))
        self.assertEqual((split["database_cpu_seconds"], split["database_cpu"]), (3.0, 0.3))
        self.assertAlmostEqual(split["database_share"], 1 / 3, places=4)

    def test_requests_per_cpu_second_count_the_server_alone(self):
        target = mock.Mock()
        target.cluster.cpu_seconds.side_effect = [10.0, 12.0]
        run = {"server_cpu_seconds": 4.0, "server_cpu": 0.2, "requests": 1000}
        with mock.patch.object(http_postgres, "run_oha", return_value=run):
            result = http_postgres.measured_oha("oha", target, 20, 64, 50, Path("."))
        self.assertEqual(result["requests_per_cpu_second"], 500.0)
        self.assertEqual(result["database_us_per_request"], 2000.0)


class FindingTest(unittest.TestCase):
    def test_the_first_folder_with_every_program_wins(self):
        with tempfile.TemporaryDirectory() as folder:
            partial, full = Path(folder, "a"), Path(folder, "b")
            for where, programs in ((partial, ("initdb", "pg_ctl")), (full, tools.POSTGRES_PROGRAMS)):
                where.mkdir()
                for program in programs:
                    (where / program).touch()
            self.assertEqual(tools.postgres_bindir([partial, full]), full)
            with self.assertRaisesRegex(tools.Missing, "apt-get install postgresql"):
                tools.postgres_bindir([partial])


class GoModTest(unittest.TestCase):
    def test_direct_requirements_only(self):
        text = "module m\n\ngo 1.27\n\nrequire github.com/jackc/pgx/v5 v5.9.2\n\nrequire (\n\tgolang.org/x/text v0.29.0 // indirect\n\texample.com/a v1.0.0\n)\n"
        self.assertEqual(languages.go_mod_requires(text), {"github.com/jackc/pgx/v5": "v5.9.2", "example.com/a": "v1.0.0"})
        self.assertEqual(languages.go_mod_requires("module m\n\ngo 1.27\n"), {})

    def test_the_committed_go_sum_names_every_required_module(self):
        source = BENCH / "http-postgres" / "go"
        summed = {line.split()[0] for line in (source / "go.sum").read_text().splitlines()}
        required = set(languages.go_mod_requires((source / "go.mod").read_text()))
        self.assertLessEqual(required, summed)

    def test_a_module_without_go_sum_builds_with_no_workspace_and_one_with_go_sum_with_the_callers(self):
        go = languages.Go.__new__(languages.Go)
        with mock.patch.dict(os.environ, {"GOWORK": "/elsewhere/go.work", "GOFLAGS": "-mod=vendor"}):
            plain = go.env(Path("/cache"), BENCH / "http-json" / "go")
            modules = go.env(Path("/cache"), BENCH / "http-postgres" / "go")
        self.assertEqual((plain["GOWORK"], plain["GOFLAGS"], plain["CGO_ENABLED"]), ("off", "", "0"))
        self.assertEqual((modules["GOWORK"], modules["GOFLAGS"]), ("/elsewhere/go.work", ""))


def fake_raw(runs=3):
    def values(base):
        return {"rust": [base] * runs, "go": [base * 0.8] * runs}

    attempt = {"gate": True, "server_cpu": 0.5, "database_cpu": 0.4}
    measured = {"peak-rss": {"rust": [12.0], "go": [15.0]}}
    for endpoint in http_postgres.ENDPOINTS:
        for key in ("throughput", "database-share", "requests-per-cpu-second", "database-cpu-per-request", "open-p50", "open-p99", "open-p999"):
            measured[f"{key}-{endpoint}"] = values(10.0)
    return {
        "smoke": False,
        "params": {
            "endpoints": http_postgres.ENDPOINTS, "pool_size": 16, "connections": 64, "warmup": 5, "duration": 10,
            "runs": runs, "open_seconds": 20, "open_runs": runs, "open_percent": 25, "server_cpu": 0, "database_cpu": 0,
            "client_cpu": 1, "gate": {"server_busy": 0.9, "client_free": 0.9, "attempts": 3, "enforced": True},
            "rates": {"db": 2000, "queries": 300, "fortunes": 1500}, "postgres": "15.18", "database_group_nice": -20,
            "client_bound": {"db": ["rust"], "queries": [], "fortunes": []},
        },
        "runs": measured,
        "details": {
            kind: {endpoint: {"rust": [attempt], "go": [attempt]} for endpoint in http_postgres.ENDPOINTS}
            for kind in ("closed_attempts", "open_attempts")
        },
        "environment": {"names": {"rust": "Rust", "go": "Go"}, "crates": {"go": {"github.com/jackc/pgx/v5": "v5.9.2"}}},
    }  # fmt: skip


class DescribeTest(unittest.TestCase):
    def test_every_metric_is_described_and_the_placement_and_pool_are_stated(self):
        with mock.patch.object(http_postgres, "environment_text", lambda raw, method: method):
            fields = http_postgres._describe(fake_raw())
        ids = {metric["id"] for metric in fields["metrics"]}
        self.assertEqual(ids, set(fake_raw()["runs"]))
        self.assertIn(fields["headline"], ids)
        self.assertIn("server and database share one core", fields["environment"])
        self.assertIn("a pool of 16 database connections", fields["environment"])
        self.assertIn("scheduling group was given the runner's niceness (-20)", fields["environment"])
        self.assertIn("pgx v5.9.2", fields["setup"]["go"])
        self.assertIn("16 connections", fields["setup"]["go"])
        self.assertIn("a pool of 16 connections", fields["setup"]["rust"])
        self.assertIn("Rust on `/db`", fields["limits"])
        bound = next(m for m in fields["metrics"] if m["id"] == "throughput-db")
        self.assertIn("lower bound", bound["descriptive"])
        self.assertTrue(all("descriptive" in m for m in fields["metrics"] if m["id"].startswith("database-share-")))


class FakeLanguage:
    def __init__(self, language_id, name, binary):
        self.id, self.name, self.binary = language_id, name, binary

    def build(self, program):
        return self.binary


class FakeCluster:
    """Stands for `postgres.Cluster`: records that it was entered and left."""

    instances = []

    def __init__(self, bindir, cpu):
        self.entered = self.left = False
        FakeCluster.instances.append(self)

    url, folder, group_nice = "host=/nowhere", Path("/nowhere"), None

    def __enter__(self):
        self.entered = True
        return self

    def __exit__(self, *_):
        self.left = True

    def query(self, sql):
        return "15"

    def cpu_seconds(self):
        return 0.0


class FailedRunTest(unittest.TestCase):
    """A run that fails, at the check or under load, leaves no server running or listening and
    its cluster stopped."""

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.script = Path(self.folder.name) / "server"
        self.script.write_text(FAKE_SERVER)
        self.script.chmod(self.script.stat().st_mode | stat.S_IXUSR)
        FakeCluster.instances = []

    def measure(self):
        started = []
        real = http_postgres.DatabaseServer

        def keep(*args, **kwargs):
            started.append(real(*args, **kwargs))
            return started[-1]

        langs = [FakeLanguage("rust", "Rust", self.script), FakeLanguage("go", "Go", self.script)]
        context = Context(langs, {"wrk": "wrk", "oha": "oha", "postgres": "/nowhere"}, True, Path(self.folder.name))
        with mock.patch.object(http_postgres, "DatabaseServer", keep), mock.patch.object(http_postgres, "Cluster", FakeCluster):
            try:
                http_postgres._measure(context)
            finally:
                self.started = started

    def assert_nothing_left(self):
        self.assertTrue(self.started, "a server was started")
        for server in self.started:
            self.assertIsNotNone(server.process.poll(), "the server process has exited")
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        (cluster,) = FakeCluster.instances
        self.assertTrue(cluster.entered and cluster.left, "the cluster was started and stopped")

    def test_a_server_that_answers_wrongly_fails_the_run_and_everything_stops(self):
        with mock.patch.dict(os.environ, {"FAKE_WRONG": "1"}), self.assertRaisesRegex(RuntimeError, "answers wrongly"):
            self.measure()
        self.assertEqual(len(self.started), 1)
        self.assert_nothing_left()

    def test_a_load_generator_that_fails_stops_both_servers_and_the_cluster(self):
        with mock.patch.object(http_postgres, "run_wrk", side_effect=Failed("wrk failed")), self.assertRaisesRegex(Failed, "wrk failed"):
            self.measure()
        self.assertEqual(len(self.started), 2, "both servers passed the check")
        self.assert_nothing_left()


def asked():
    return os.environ.get("MDBOOK_COMPARE_BENCH_SMOKE") == "1"


def bindir_or_skip(test):
    try:
        return tools.postgres_bindir()
    except tools.Missing as missing:
        test.skipTest(str(missing))


def left_over(folder):
    """Processes still running from a cluster folder (zombies waiting for their reaper aside)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if str(folder) in (entry / "cmdline").read_bytes().decode(errors="replace") and not postgres._zombie(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@unittest.skipUnless(asked(), "needs PostgreSQL and seconds: set MDBOOK_COMPARE_BENCH_SMOKE=1 to run it")
class ClusterLifecycleTest(unittest.TestCase):
    def test_a_cluster_starts_loads_stops_and_is_removed(self):
        with postgres.Cluster(bindir_or_skip(self), 0) as cluster:
            folder, pid = cluster.folder, cluster.postmaster_pid()
            self.assertIsNotNone(pid)
            self.assertEqual(cluster.query("SELECT count(*), min(randomnumber) >= 1, max(randomnumber) <= 10000 FROM world"), "10000|t|t")
            self.assertEqual(cluster.query("SELECT count(*) FROM fortune"), str(len(postgres.FORTUNES)))
            self.assertIn("<script>", cluster.query("SELECT message FROM fortune WHERE id = 11"))
            self.assertEqual(cluster.query("SHOW listen_addresses"), "")
            self.assertGreater(cluster.cpu_seconds(), 0)
            if Path("/proc/self/autogroup").exists():
                self.assertEqual(Path(f"/proc/{pid}/autogroup").read_text().split()[-1], Path("/proc/self/autogroup").read_text().split()[-1])
        self.assertFalse(folder.exists(), "the folder is removed")
        self.assertEqual(left_over(folder), [])

    def test_a_run_that_fails_inside_stops_and_removes_the_cluster(self):
        with self.assertRaisesRegex(Failed, "inside"), postgres.Cluster(bindir_or_skip(self), 0) as cluster:
            folder = cluster.folder
            raise Failed("a failure inside")
        self.assertFalse(folder.exists())
        self.assertEqual(left_over(folder), [])

    def test_a_load_that_fails_stops_and_removes_the_cluster(self):
        created = []
        real = tempfile.mkdtemp

        def remember(**kwargs):
            created.append(Path(real(**kwargs)))
            return str(created[-1])

        with mock.patch.object(postgres, "load_script", lambda: "SELECT * FROM no_such_table;"), mock.patch.object(postgres.tempfile, "mkdtemp", remember):
            with self.assertRaisesRegex(Failed, "no_such_table"):
                postgres.Cluster(bindir_or_skip(self), 0).__enter__()
        (folder,) = created
        self.assertFalse(folder.exists())
        self.assertEqual(left_over(folder), [])

    def test_the_smoke_run_passes_and_leaves_no_cluster(self):
        bindir_or_skip(self)
        before = set(Path(tempfile.gettempdir()).glob("bench-pg-*"))
        with tempfile.TemporaryDirectory() as book:
            run = subprocess.run(
                [sys.executable, BENCH / "run", "http-postgres", "--smoke", "--book", book], capture_output=True, text=True
            )
            if run.returncode == tools.EXIT_MISSING_PREREQUISITES:
                self.skipTest(run.stderr.strip())
            self.assertEqual(run.returncode, 0, run.stderr[-4000:])
            written = Path(book, "data", "benchmarks", "http-postgres.toml").read_text()
            self.assertIn('reproduce = "bench/run http-postgres --smoke"', written)
        self.assertEqual(set(Path(tempfile.gettempdir()).glob("bench-pg-*")) - before, set(), "no cluster folder is left")
        self.assertEqual(left_over("bench-pg-"), [])

    def test_a_run_ended_by_sigterm_stops_the_servers_and_removes_the_cluster(self):
        bindir_or_skip(self)
        with tempfile.TemporaryDirectory() as book:
            run = subprocess.Popen(
                [sys.executable, BENCH / "run", "http-postgres", "--smoke", "--book", book],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            lines = []
            try:
                for line in run.stderr:
                    lines.append(line)
                    if "warm-up db: " in line:
                        break
                folder = next((Path(l.split("ready in ")[1].split(":")[0]) for l in lines if "cluster ready in " in l), None)
                if folder is None:
                    run.wait(timeout=60)
                    if run.returncode == tools.EXIT_MISSING_PREREQUISITES:
                        self.skipTest("".join(lines).strip())
                    self.fail("".join(lines)[-4000:])
                run.terminate()
                run.stderr.read()
                self.assertEqual(run.wait(timeout=60), 128 + 15)
            finally:
                if run.poll() is None:
                    run.kill()
                    run.wait()
                run.stderr.close()
        self.assertFalse(folder.exists(), "the cluster folder is removed")
        self.assertEqual(left_over(folder), [])
        self.assertEqual(left_over(BENCH / ".build" / "http-postgres"), [], "no server is left running")


if __name__ == "__main__":
    unittest.main()
