"""The `wasm-size` workload: sizes raw and compressed, modules checked before they are measured,
and a language that cannot build WebAssembly here said in the limits, never dropped silently."""

import gzip
import subprocess
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from bench.suite import languages
from bench.suite.languages import CannotBuild
from bench.suite.machine import Failed
from bench.suite.workloads import wasm_size
from bench.suite.workloads.base import Context


class FakeLanguage:
    def __init__(self, language_id, name, folder, cannot=None):
        self.id, self.name = language_id, name
        self.folder, self.cannot = folder, cannot
        self.WASM_TARGET = f"{language_id}-wasm"
        self.built = []

    def wasm_ready(self, folder):
        if self.cannot:
            raise CannotBuild(self.cannot)

    def describe_wasm(self, variant):
        return f"{self.id} build {variant}"

    def build_wasm(self, folder, program, variant, kind):
        self.built.append((program, variant, kind))
        module = self.folder / f"{self.id}-{program}-{variant}.wasm"
        # Same bytes in every build, more of them for the Go-like fake.
        module.write_bytes(bytes(range(256)) * (4 if self.id == "go" else 2))
        return module


class WasmSizeTest(unittest.TestCase):
    def measure(self, cannot=None, node=None, said=None):
        with tempfile.TemporaryDirectory() as folder:
            rust = FakeLanguage("rust", "Rust", Path(folder), cannot)
            go = FakeLanguage("go", "Go", Path(folder))
            ctx = Context([rust, go], {}, True, Path(folder))

            def run(arguments):
                return said(arguments) if said else (wasm_size.HELLO if arguments[2] == "command" else wasm_size.WORDS_EXPECTED)

            with mock.patch.object(wasm_size.shutil, "which", lambda name: node), mock.patch.object(wasm_size, "output", run):
                raw = wasm_size._measure(ctx)
        raw["environment"] = {"names": {"rust": "Rust", "go": "Go"}}
        with mock.patch.object(wasm_size, "environment_text", lambda raw, method: method):
            return raw, wasm_size._describe(raw), go

    def test_gzip_size_depends_on_the_data_alone(self):
        data = b"(module)" * 100
        self.assertEqual(wasm_size.gzipped_size(data), wasm_size.gzipped_size(data))
        self.assertEqual(wasm_size.gzipped_size(data), len(gzip.compress(data, compresslevel=9, mtime=0)))
        self.assertLess(wasm_size.gzipped_size(data), len(data))

    def test_every_program_variant_and_compression_is_an_exact_size(self):
        raw, fields, go = self.measure(node="/usr/bin/node")
        self.assertEqual(sorted(go.built), sorted((p, v, k) for p, k in wasm_size.PROGRAMS.items() for v in wasm_size.VARIANTS))
        self.assertEqual(raw["runs"]["hello-release-raw"], {"rust": [0.5], "go": [1.0]})
        self.assertLess(raw["runs"]["hello-release-gzip"]["go"][0], 1.0)
        self.assertEqual(len(fields["metrics"]), 8)
        for metric in fields["metrics"]:
            self.assertEqual(metric["band"]["width"], 0.0)
            self.assertEqual(metric["unit"], "KiB")
            self.assertIn("ran under Node's WASI", metric["note"])
        self.assertIn("Rust: `rust-wasm`; Go: `go-wasm`", fields["description"])

    def test_a_module_that_does_not_do_its_job_fails_the_run(self):
        with self.assertRaisesRegex(Failed, "said '3', not '4'"):
            self.measure(node="/usr/bin/node", said=lambda arguments: wasm_size.HELLO if arguments[2] == "command" else "3")

    def test_a_module_that_traps_fails_the_run(self):
        def trap(arguments):
            raise subprocess.CalledProcessError(1, arguments, "", "RuntimeError: unreachable")

        with self.assertRaisesRegex(Failed, "failed under Node's WASI.*unreachable"):
            self.measure(node="/usr/bin/node", said=trap)

    def test_without_node_the_note_says_the_modules_were_not_run(self):
        _, fields, _ = self.measure(node=None)
        self.assertIn("not run: no `node` on this machine", fields["metrics"][0]["note"])

    def test_a_language_that_cannot_build_is_said_in_the_limits(self):
        raw, fields, _ = self.measure(cannot="no `wasm32-wasip1` target and `rustup target add` failed", node="/usr/bin/node")
        self.assertEqual(raw["runs"]["words-small-gzip"].keys(), {"go"})
        self.assertIn("What this machine cannot build: Rust: no `wasm32-wasip1` target", fields["limits"])
        self.assertNotIn("rust", fields["setup"])


class RustTargetTest(unittest.TestCase):
    def rust(self):
        rust = languages.Rust.__new__(languages.Rust)
        return rust

    def test_an_installed_target_is_used_as_it_is(self):
        with mock.patch.object(languages, "output", lambda command, cwd=None: "wasm32-wasip1\nx86_64-unknown-linux-gnu"), mock.patch.object(languages.subprocess, "run") as run:
            self.rust().wasm_ready(Path("."))
        run.assert_not_called()

    def test_a_missing_target_is_added_or_said_why_not(self):
        failed = subprocess.CompletedProcess([], 1, "", "error: toolchain '1.95.0' does not support target\n")
        with mock.patch.object(languages, "output", lambda command, cwd=None: "x86_64-unknown-linux-gnu"), mock.patch.object(languages.subprocess, "run", return_value=failed) as run:
            with self.assertRaisesRegex(CannotBuild, "`rustup target add wasm32-wasip1` failed \\(error: toolchain '1.95.0' does not support target\\)"):
                self.rust().wasm_ready(Path("."))
        self.assertEqual(run.call_args.args[0], ["rustup", "target", "add", "wasm32-wasip1"])

    def test_no_rustup_is_said(self):
        def missing(command, cwd=None):
            raise FileNotFoundError("rustup")

        with mock.patch.object(languages, "output", missing), self.assertRaisesRegex(CannotBuild, "no `rustup`"):
            self.rust().wasm_ready(Path("."))


if __name__ == "__main__":
    unittest.main()
