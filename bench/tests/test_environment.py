"""The environment a raw file records and the text a benchmark file shows from it."""

import json
import unittest
from pathlib import Path

from bench.suite import environment, host, languages, quiet
from bench.suite.workloads import BY_ID

# The start-up raw record of 2026-12-01 (busy machine, before the quiet gate), kept as a fixture.
RESULTS = Path(__file__).resolve().parent / "fixtures"


class OldRust:
    id, name, version = "rust", "Rust", "rustc 1.95.0"
    NEWEST_STABLE = languages.Release("1.100", "2026-11-12")

    def source(self, program):
        return Path("/nonexistent") / program / self.id

    def compiler(self, folder):
        return "1.95.0", "rustc 1.95.0 (59807616e 2026-04-14; LLVM 22.1.2; x86_64-unknown-linux-gnu)"

    def crates(self, program):
        return {}


class EnvironmentTest(unittest.TestCase):
    def record(self):
        gate = environment.Gate(quiet.Thresholds(1.0, 5.0), 60, quiet.Reading(0.3, 0.5), quiet.Reading(0.4, 1.5), 0, ())
        return environment.record(BY_ID["n-body"], [OldRust()], {}, "nice -20", gate, 0.25, host.Commit("abc123def456", ()))

    def test_a_new_record_names_the_compiler_its_folder_the_gate_and_an_older_toolchain(self):
        env = self.record()
        self.assertTrue(env["clean"])
        self.assertEqual(env["newest"], {"rust": {"version": "1.100", "date": "2026-11-12"}})
        self.assertEqual(env["toolchains"], {"rust": "rustc 1.95.0"})
        text = environment.text({"environment": env, "smoke": False}, "Method.")
        self.assertIn("rustc 1.95.0 (59807616e 2026-04-14; LLVM 22.1.2; x86_64-unknown-linux-gnu) for `n-body/rust`", text)
        self.assertIn("rustc 1.95.0 is not the newest stable release of Rust: 1.100 shipped 2026-11-12", text)
        self.assertIn("1-minute load average 0.3 and CPU pressure 0.5% (some avg10) when measuring began", text)
        self.assertIn("within the quiet gate: load below 1, CPU pressure below 5%", text)
        self.assertIn("Steal time over the workload: 0.25% of the CPU time.", text)
        self.assertIn("Repository commit abc123def456, measured", text)
        json.dumps(env)  # a raw file stores it

    def test_an_older_raw_file_gives_the_text_it_always_gave(self):
        raw = json.loads((RESULTS / "startup-2026-12-01.json").read_text())
        text = environment.text(raw, "Method.")
        self.assertIn("1-minute load average 3.47 when measuring began (not below the quiet threshold of 1.0", text)
        self.assertNotIn("Steal", text)


if __name__ == "__main__":
    unittest.main()
