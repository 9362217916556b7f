"""`machine.run_measured` and `machine.timed`: a `Run` record per child process."""

import sys
import unittest

from bench.suite import machine

BUSY = "import sys\nx = 0\nfor i in range(300000): x += i\nprint('done', x)"


class RunTest(unittest.TestCase):
    def test_run_measured_records_time_cpu_memory_and_output(self):
        run = machine.run_measured([sys.executable, "-c", BUSY])
        self.assertEqual(run.stdout, f"done {sum(range(300000))}\n")
        self.assertGreater(run.seconds, 0)
        self.assertGreater(run.cpu_seconds, 0)
        self.assertEqual(run.cpu_seconds, run.user_seconds + run.system_seconds)
        self.assertGreaterEqual(run.involuntary_switches, 0)
        self.assertGreater(run.peak_rss_mib, 1)

    def test_timed_records_the_same_without_output(self):
        run = machine.timed([sys.executable, "-c", BUSY])
        self.assertEqual(run.stdout, "")
        self.assertGreater(run.cpu_seconds, 0)

    def test_a_failing_command_raises_with_its_error_output(self):
        with self.assertRaises(machine.Failed) as failure:
            machine.timed([sys.executable, "-c", "import sys; sys.exit('broken on purpose')"])
        self.assertIn("broken on purpose", str(failure.exception))
        with self.assertRaises(machine.Failed):
            machine.run_measured([sys.executable, "-c", "raise SystemExit(3)"])

    def test_a_raw_file_keeps_every_runs_figures(self):
        run = machine.Run(1.2345678, 1.0, 0.25, 7, 3.14159, "out")
        self.assertEqual(
            machine.process_figures({"rust": [run]}),
            {"rust": [{"seconds": 1.234568, "user_seconds": 1.0, "system_seconds": 0.25, "involuntary_switches": 7, "peak_rss_mib": 3.142}]},
        )


if __name__ == "__main__":
    unittest.main()
