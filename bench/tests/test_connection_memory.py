"""connection-memory: its arithmetic, its reading of HTTP answers, the open-files limit, and that a
run leaves nothing running or listening when it fails. The server is a small real one (a Python
script answering TechEmpower's JSON test), started and stopped as the workload does."""

import os
import resource
import socket
import stat
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from bench.suite.machine import Failed
from bench.suite.servers import BODY
from bench.suite.workloads import connection_memory
from bench.suite.workloads.base import Context

FAKE_SERVER = """#!/usr/bin/env python3
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = os.environ.get("FAKE_BODY", %r).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


host, port = os.environ["BIND_ADDR"].rsplit(":", 1)
ThreadingHTTPServer((host, int(port)), Handler).serve_forever()
""" % BODY.decode()


class FakeLanguage:
    id, name = "fake", "Fake"


class ChunkedSocket:
    """A socket whose answers arrive in the given pieces."""

    def __init__(self, *pieces):
        self.pieces = list(pieces)

    def recv(self, _size):
        return self.pieces.pop(0) if self.pieces else b""


def answer(body=BODY, status=b"200 OK"):
    return b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body


class Limits:
    """`resource`'s open-files calls, faked."""

    RLIMIT_NOFILE, RLIM_INFINITY = 7, -1

    def __init__(self, soft, hard):
        self.limit, self.set = (soft, hard), []

    def getrlimit(self, _which):
        return self.limit

    def setrlimit(self, _which, limit):
        self.set.append(limit)
        self.limit = limit


class ArithmeticTest(unittest.TestCase):
    def test_bytes_per_connection_is_the_growth_over_the_count(self):
        self.assertEqual(connection_memory.per_connection(1_000, 2_000, 100), 10_240.0)
        self.assertEqual(connection_memory.per_connection(3_388, 104_640, 10_000), 10_368.2048)

    def test_memory_that_did_not_grow_gives_no_figure(self):
        with self.assertRaisesRegex(Failed, "did not grow"):
            connection_memory.per_connection(2_000, 2_000, 100)


class ResponseTest(unittest.TestCase):
    def test_an_answer_split_anywhere_is_read_whole(self):
        whole = answer()
        for cut in (1, 20, whole.index(b"\r\n\r\n") + 2, len(whole) - 3):
            connection_memory.read_response(ChunkedSocket(whole[:cut], whole[cut:]))

    def test_a_wrong_or_missing_answer_fails(self):
        with self.assertRaisesRegex(Failed, "answered b'nope'"):
            connection_memory.read_response(ChunkedSocket(answer(b"nope")))
        with self.assertRaisesRegex(Failed, "HTTP/1.1 408"):
            connection_memory.read_response(ChunkedSocket(answer(status=b"408 Request Timeout")))
        with self.assertRaisesRegex(Failed, "closed a connection before answering"):
            connection_memory.read_response(ChunkedSocket(b"HTTP/1.1 200 OK\r\n"))


class OpenFilesTest(unittest.TestCase):
    def test_the_soft_limit_is_raised_to_the_hard_one(self):
        limits = Limits(1024, 20_000)
        self.assertEqual(connection_memory.raise_open_files(10_256, limits), 1024)
        self.assertEqual(limits.set, [(20_000, 20_000)])

    def test_a_hard_limit_too_low_is_named_with_how_to_raise_it(self):
        limits = Limits(1024, 4096)
        with self.assertRaises(Failed) as failed:
            connection_memory.raise_open_files(10_256, limits)
        self.assertIn("hard limit of open files (RLIMIT_NOFILE) is 4,096", str(failed.exception))
        self.assertIn("ulimit -Hn 10256", str(failed.exception))
        self.assertEqual(limits.set, [])


class MeasureTest(unittest.TestCase):
    def test_a_failed_run_gives_back_the_open_files_limit_it_raised(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        self.addCleanup(resource.setrlimit, resource.RLIMIT_NOFILE, (soft, hard))
        lowered = min(soft, hard - 1)
        resource.setrlimit(resource.RLIMIT_NOFILE, (lowered, hard))
        seen = []

        def failing_run(language, binary, count, sweeps):
            seen.append(resource.getrlimit(resource.RLIMIT_NOFILE)[0])
            raise Failed("the server crashed")

        class Language(FakeLanguage):
            def build(self, program):
                return Path("/bin") / program

        ctx = Context([Language()], {}, True, Path(tempfile.gettempdir()))
        with mock.patch.object(connection_memory, "one_run", failing_run), self.assertRaisesRegex(Failed, "crashed"):
            connection_memory._measure(ctx)
        self.assertEqual(seen, [hard], "the run had the hard limit")
        self.assertEqual(resource.getrlimit(resource.RLIMIT_NOFILE)[0], lowered)


class CleanupTest(unittest.TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.binary = Path(folder.name) / "server"
        self.binary.write_text(FAKE_SERVER)
        self.binary.chmod(self.binary.stat().st_mode | stat.S_IXUSR)
        self.started = []
        real = connection_memory.Server

        def recording(language, binary):
            server = real(language, binary)
            self.started.append(server)
            self.addCleanup(self.kill_if_running, server)
            return server

        patcher = mock.patch.object(connection_memory, "Server", side_effect=recording)
        patcher.start()
        self.addCleanup(patcher.stop)

    @staticmethod
    def kill_if_running(server):
        """Stops a server the test found still running, so a failing test leaves none behind."""
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()

    def open_files(self):
        return len(os.listdir("/proc/self/fd"))

    def assert_nothing_left(self, files_before):
        self.assertEqual(len(self.started), 1)
        server = self.started[0]
        self.assertIsNotNone(server.process.poll(), "the server process still runs")
        with self.assertRaises(ConnectionRefusedError, msg="something still listens on the server's port"):
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
        self.assertEqual(self.open_files(), files_before, "a client socket was left open")

    def test_a_run_that_fails_with_its_connections_open_closes_them_and_stops_the_server(self):
        before = self.open_files()
        opened = []

        def failing_sweep(clients, seconds):
            opened.append(len(clients))
            raise Failed("a request failed")

        with mock.patch.object(connection_memory, "_sweep", failing_sweep), self.assertRaisesRegex(Failed, "a request failed"):
            connection_memory.one_run(FakeLanguage(), self.binary, 20, sweeps=1, settle=0)
        self.assertEqual(opened, [20], "the failure came with every connection open")
        self.assert_nothing_left(before)

    def test_a_server_that_answers_wrongly_is_stopped(self):
        before = self.open_files()
        with mock.patch.dict(os.environ, {"FAKE_BODY": "wrong"}), self.assertRaisesRegex(RuntimeError, "answers wrongly"):
            connection_memory.one_run(FakeLanguage(), self.binary, 20, sweeps=1, settle=0)
        self.assert_nothing_left(before)

    def test_a_server_that_closes_connections_fails_the_run_and_is_stopped(self):
        before = self.open_files()

        def closing_open(port, count, clients):
            for _ in range(count):
                clients.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            clients[0].sendall(b"GET /json HTTP/1.0\r\n\r\n")  # HTTP/1.0: the server closes after answering
            clients[0].settimeout(5)
            connection_memory.read_response(clients[0])
            self.assertEqual(clients[0].recv(1), b"", "the server closed the connection")

        with mock.patch.object(connection_memory, "_open", closing_open), mock.patch.object(connection_memory, "_rss_kib", side_effect=[1000, 2000]):
            with self.assertRaisesRegex(Failed, "closed 1 of 5 connections while they were idle"):
                connection_memory.one_run(FakeLanguage(), self.binary, 5, sweeps=1, settle=0)
        self.assert_nothing_left(before)


if __name__ == "__main__":
    unittest.main()
