"""Readings of `suite.host` and `suite.quiet`, from fake /proc files and fake readers."""

import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from bench.suite import host, quiet

LSCPU = """Architecture:                            x86_64
Vendor ID:                               AuthenticAMD
Model name:                              AMD EPYC
CPU family:                              25
Model:                                   17
Stepping:                                1
Hypervisor vendor:                       KVM
L1d cache:                               64 KiB (2 instances)
L1i cache:                               64 KiB (2 instances)
L2 cache:                                2 MiB (2 instances)
L3 cache:                                32 MiB (1 instance)
NUMA node0 CPU(s):                       0,1
"""


class FakeFiles(unittest.TestCase):
    def file(self, text):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / "file"
        path.write_text(text)
        return path


class HostTest(FakeFiles):
    def test_lscpu_gives_family_model_stepping_and_caches(self):
        cpu = host.parse_lscpu(LSCPU)
        self.assertEqual((cpu.family, cpu.model, cpu.stepping), ("25", "17", "1"))
        self.assertEqual(
            cpu.text(),
            "AMD EPYC (family 25, model 17, stepping 1; L1d 64 KiB (2 instances), L1i 64 KiB (2 instances), "
            "L2 2 MiB (2 instances), L3 32 MiB (1 instance); a KVM virtual machine)",
        )

    def test_cpu_pressure_is_some_avg10(self):
        text = "some avg10=89.86 avg60=74.18 avg300=37.08 total=158469682\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        self.assertEqual(host.cpu_pressure(self.file(text)), 89.86)
        self.assertIsNone(host.cpu_pressure(Path("/nonexistent/pressure/cpu")))

    def test_steal_is_its_share_of_all_cpu_time_between_readings(self):
        before = host.cpu_times(self.file("cpu  100 0 100 700 0 0 0 100 0 0\ncpu0 1 2 3\n"))
        after = host.cpu_times(self.file("cpu  200 0 200 1400 0 0 0 200 0 0\ncpu0 1 2 3\n"))
        self.assertEqual(host.steal_percent(before, after), 10.0)

    def test_others_are_the_process_time_the_runner_and_its_children_did_not_use(self):
        # 100 ticks a second, 2 CPUs, 10 s: 2,000 ticks of capacity. Processes ran 1,000 ticks
        # (user 600, nice 100, system 300; the interrupts are nobody's), the runner's tree 8 s.
        before = host.cpu_times(self.file("cpu  0 0 0 0 0 0 0 0 0 0\n"))
        after = host.cpu_times(self.file("cpu  600 100 300 900 0 50 50 0 0 0\n"))
        self.assertEqual(host.others_percent(before, after, 8.0, 10.0, ticks=100, cpus=2), 10.0)
        self.assertEqual(host.others_percent(before, after, 10.0, 10.0, ticks=100, cpus=2), 0.0)
        self.assertEqual(host.others_percent(before, after, 12.0, 10.0, ticks=100, cpus=2), 0.0, "never below 0")

    def test_transparent_hugepages_is_the_bracketed_mode(self):
        self.assertEqual(host.transparent_hugepages(self.file("always [madvise] never\n")), "madvise")
        self.assertIsNone(host.transparent_hugepages(Path("/nonexistent")))

    def test_memory_in_gib(self):
        self.assertEqual(host.memory_gib(self.file("MemTotal:       24683772 kB\nMemFree: 1 kB\n")), 23.5)


class GateTest(unittest.TestCase):
    THRESHOLDS = quiet.Thresholds(load=1.0, cpu_pressure=5.0)

    def test_other_processes_may_use_at_most_their_share_while_a_workload_runs(self):
        self.assertEqual(self.THRESHOLDS.others_problems(5.0), [])
        self.assertEqual(self.THRESHOLDS.others_problems(None), [])
        [problem] = self.THRESHOLDS.others_problems(12.5)
        self.assertIn("other processes used 12.5% of the CPUs", problem)

    def test_both_readings_must_be_below_their_thresholds(self):
        self.assertEqual(self.THRESHOLDS.problems(quiet.Reading(0.5, 1.0)), [])
        self.assertEqual(self.THRESHOLDS.problems(quiet.Reading(0.5, None)), [])
        self.assertEqual(len(self.THRESHOLDS.problems(quiet.Reading(1.0, 5.0))), 2)
        [problem] = self.THRESHOLDS.problems(quiet.Reading(0.2, 40.0))
        self.assertIn("CPU pressure", problem)

    def test_waiting_ends_when_quiet_or_at_the_timeout(self):
        readings = iter([quiet.Reading(3.0, 50.0), quiet.Reading(0.4, 2.0)])
        now = iter([0, 0, 5, 5])
        wait = quiet.wait_for_quiet(self.THRESHOLDS, 60, lambda: next(readings), sleep=lambda _: None, clock=lambda: next(now))
        self.assertTrue(wait.quiet)
        self.assertEqual(wait.reading, quiet.Reading(0.4, 2.0))
        busy = quiet.wait_for_quiet(self.THRESHOLDS, 0, lambda: quiet.Reading(3.0, 50.0), sleep=lambda _: None)
        self.assertFalse(busy.quiet)
        self.assertEqual(len(busy.problems), 2)

    def test_a_simulated_reading_can_only_make_the_machine_busier(self):
        with mock.patch.dict(os.environ, {"BENCH_SIMULATE_LOAD": "0", "BENCH_SIMULATE_CPU_PRESSURE": "0"}):
            real = quiet.read()
            self.assertGreaterEqual(real.load, 0)
        with mock.patch.dict(os.environ, {"BENCH_SIMULATE_LOAD": "1000", "BENCH_SIMULATE_CPU_PRESSURE": "1000"}):
            busy = quiet.read()
        self.assertEqual((busy.load, busy.cpu_pressure), (1000.0, 1000.0))


if __name__ == "__main__":
    unittest.main()
