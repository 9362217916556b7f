"""The HTTP JSON servers of `bench/http-json/`: started pinned to the server CPU, checked, read
(CPU time, memory) and stopped. Used by the http-json and startup workloads."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from .machine import SERVER_CPU, pinned

PROGRAM = "http-json"
BODY = b'{"message":"Hello, World!"}'

# Each server is given one thread running its code, matching the one core it may use: actix-web
# reads WORKERS (see its main.rs), Go's runtime reads GOMAXPROCS.
ONE_THREAD = {"rust": {"WORKERS": "1"}, "go": {"GOMAXPROCS": "1"}}
ONE_THREAD_TEXT = {"rust": "one actix worker (`WORKERS=1`)", "go": "`GOMAXPROCS=1`"}


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A running server: its process and port."""

    def __init__(self, language, binary, env=None, ready_seconds=15):
        """Starts the server with `env` added to its environment, and waits up to `ready_seconds`
        for it to accept connections."""
        self.language = language
        self.port = free_port()
        env = dict(os.environ, BIND_ADDR=f"127.0.0.1:{self.port}", **ONE_THREAD.get(language.id, {}), **(env or {}))
        self.process = subprocess.Popen(pinned(SERVER_CPU, [binary]), env=env, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + ready_seconds
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{binary} exited with status {self.process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"{binary} did not accept connections on port {self.port} within {ready_seconds} s")
                time.sleep(0.05)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/json"

    def check(self):
        """Fails unless the server answers as TechEmpower's JSON test requires."""
        with urllib.request.urlopen(self.url, timeout=5) as response:
            body, headers, status = response.read(), response.headers, response.status
        problems = []
        if status != 200:
            problems.append(f"status {status}")
        if not headers.get("Content-Type", "").startswith("application/json"):
            problems.append(f"Content-Type {headers.get('Content-Type')!r}")
        problems += [f"no {name} header" for name in ("Server", "Date", "Content-Length") if name not in headers]
        if body != BODY:
            problems.append(f"body {body!r}")
        if problems:
            raise RuntimeError(f"the {self.language.name} server answers wrongly: {', '.join(problems)}")

    def cpu_seconds(self):
        """User and system CPU time the server has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mib(self, field):
        """A memory figure of `/proc/PID/status` (VmHWM: peak RSS, VmRSS: RSS now), in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(rf"^{field}:\s+(\d+) kB$", status, re.MULTILINE)[1]) / 1024

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
