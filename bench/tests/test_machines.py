"""Results from several machines: a machine's identity, `--machine NAME --publish` writing only
its own files and entry, `--from-raw` rebuilding every machine, and the fleet's merge step. The
raw records are the hand-made fixtures of tests/fixtures/machines/ (not measurements)."""

import contextlib
import dataclasses
import io
import json
import re
import shutil
import tempfile
import tomllib
import unittest
from pathlib import Path

from bench.suite import cli, fleet, host, machines
from bench.suite.workloads import BY_ID

from .test_cli import QUIET, FakeLanguage, fake_measure

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "machines"
ALICE = "alice-x86-64-2c-e762bc"
BOB = "bob-x86-64-2c-e762bc"
ARM = "fixture-arm-arm64-16c-14688f"


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


class IdentityTest(unittest.TestCase):
    def test_the_identity_is_the_name_with_the_hardware(self):
        one = machines.identity("Ada's laptop", "Apple M2", 8, 16.0, "arm64")
        self.assertRegex(one, r"^ada-s-laptop-arm64-8c-[0-9a-f]{6}$")
        self.assertEqual(one, machines.identity("Ada's laptop", "Apple M2", 8, 16.0, "arm64"))
        for other in (
            machines.identity("Bob", "Apple M2", 8, 16.0, "arm64"),
            machines.identity("Ada's laptop", "Apple M3", 8, 16.0, "arm64"),
            machines.identity("Ada's laptop", "Apple M2", 8, 24.0, "arm64"),
            machines.identity("Ada's laptop", "Apple M2", 10, 16.0, "arm64"),
            machines.identity("Ada's laptop", "Apple M2", 8, 16.0, "x86-64"),
        ):
            self.assertNotEqual(one, other)

    def test_architectures_are_spelled_one_way(self):
        self.assertEqual(machines.architecture("x86_64"), "x86-64")
        self.assertEqual(machines.architecture("aarch64"), "arm64")
        self.assertEqual(machines.architecture("riscv64"), "riscv64")

    def test_a_name_without_letters_or_digits_is_refused(self):
        with self.assertRaises(ValueError):
            machines.slug("../..")


def book_with_n_body(root):
    """A book with the committed n-body file and its reference raw record."""
    (root / "data" / "benchmarks").mkdir(parents=True)
    shutil.copyfile(REPO / "data" / "benchmarks" / "n-body.toml", root / "data" / "benchmarks" / "n-body.toml")
    (root / "bench" / "results").mkdir(parents=True)
    shutil.copyfile(REPO / "bench" / "results" / "n-body.json", root / "bench" / "results" / "n-body.json")


def quietly(function, *args, **kwargs):
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        status = function(*args, **kwargs)
    return status, errors.getvalue()


class FromRawTest(unittest.TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.root = Path(folder.name)
        self.book = self.root / "book"
        book_with_n_body(self.book)

    def test_two_named_runs_make_one_benchmark_with_two_machines(self):
        raw = self.root / "raw"
        for machine_id, name in ((ALICE, "alice-n-body.json"), (BOB, "bob-n-body.json")):
            (raw / "machines" / machine_id).mkdir(parents=True)
            shutil.copyfile(FIXTURES / name, raw / "machines" / machine_id / "n-body.json")
        status, errors = quietly(cli.main, ["n-body", "--from-raw", str(raw), "--book", str(self.book)])
        self.assertEqual(status, 0, errors)
        written = tomllib.loads((self.book / "data" / "benchmarks" / "n-body.toml").read_text())
        self.assertEqual(written["machine"], ALICE)
        self.assertEqual([m["name"] for m in written["machines"]], [ALICE, BOB])
        self.assertNotIn("metrics", written["machines"][0], "the reference's figures are the benchmark's own")
        self.assertEqual(written["raw"], f"bench/results/machines/{ALICE}/n-body.json")
        bob = written["machines"][1]
        self.assertEqual(bob["raw"], f"bench/results/machines/{BOB}/n-body.json")
        self.assertEqual({m["id"] for m in bob["metrics"]}, {"time", "time-tuned", "peak-rss"})
        self.assertTrue((self.book / bob["raw"]).is_file())

    def test_from_raw_rebuilds_every_machine_beside_the_reference(self):
        raw = self.root / "raw"
        raw.mkdir()
        shutil.copyfile(REPO / "bench" / "results" / "n-body.json", raw / "n-body.json")
        for machine_id, name in ((ALICE, "alice-n-body.json"), (ARM, "arm64-16-cores-n-body.json")):
            (raw / "machines" / machine_id).mkdir(parents=True)
            shutil.copyfile(FIXTURES / name, raw / "machines" / machine_id / "n-body.json")
        status, errors = quietly(cli.main, ["n-body", "--from-raw", str(raw), "--book", str(self.book)])
        self.assertEqual(status, 0, errors)
        written = tomllib.loads((self.book / "data" / "benchmarks" / "n-body.toml").read_text())
        names = [m["name"] for m in written["machines"]]
        self.assertEqual(names[1:], [ALICE, ARM])
        self.assertTrue(names[0].startswith("reference-x86-64-2c-"))
        arm = written["machines"][2]
        self.assertEqual((arm["cores"], arm["architecture"]), (16, "arm64"))
        time = next(m for m in arm["metrics"] if m["id"] == "time")
        self.assertEqual(time["values"]["rust"]["runs"], 5)
        self.assertEqual(time["intervals"][0]["of"], "go")


class PublishMachineTest(unittest.TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.root = Path(folder.name)
        self.repo = self.root / "repo"
        book_with_n_body(self.repo)
        # Bob's machine is already in the book.
        raw = self.root / "raw"
        (raw / "machines" / BOB).mkdir(parents=True)
        shutil.copyfile(REPO / "bench" / "results" / "n-body.json", raw / "n-body.json")
        shutil.copyfile(FIXTURES / "bob-n-body.json", raw / "machines" / BOB / "n-body.json")
        status, errors = quietly(cli.main, ["n-body", "--from-raw", str(raw), "--book", str(self.repo)])
        self.assertEqual(status, 0, errors)

    def setup(self):
        @contextlib.contextmanager
        def priority():
            yield "nice 0"

        return cli.Setup(
            workloads=[dataclasses.replace(BY_ID["n-body"], measure=fake_measure)],
            prepare=lambda names: {},
            load_languages=lambda found: [FakeLanguage("rust", "Rust"), FakeLanguage("go", "Go")],
            tool_versions=lambda found: {},
            reader=lambda: QUIET,
            commit=lambda allowed: host.Commit("abc123", ()),
            repo=self.repo,
            scratch=self.root / "scratch",
            smoke_book=self.root / "smoke",
            priority=priority,
            hardware=lambda: ("Neoverse-V2", 4, 16.0, "arm64"),
        )

    def test_a_named_machine_publishes_its_own_files_and_entry_only(self):
        book_file = self.repo / "data" / "benchmarks" / "n-body.toml"
        before = tomllib.loads(book_file.read_text())
        bob_raw = self.repo / machines.raw_path(BOB, "n-body")
        bob_bytes = bob_raw.read_bytes()
        reference_bytes = (self.repo / "bench" / "results" / "n-body.json").read_bytes()
        status, errors = quietly(cli.main, ["n-body", "--machine", "carol", "--publish", "--quiet-timeout", "0"], self.setup())
        self.assertEqual(status, 0, errors)
        carol = machines.identity("carol", "Neoverse-V2", 4, 16.0, "arm64")
        self.assertTrue((self.repo / machines.raw_path(carol, "n-body")).is_file())
        self.assertEqual(bob_raw.read_bytes(), bob_bytes, "another machine's raw record is untouched")
        self.assertEqual((self.repo / "bench" / "results" / "n-body.json").read_bytes(), reference_bytes)
        after = tomllib.loads(book_file.read_text())
        self.assertEqual(after["metrics"], before["metrics"], "the reference's figures are kept")
        self.assertEqual(after["machine"], before["machine"])
        by_name = {m["name"]: m for m in after["machines"]}
        self.assertEqual(by_name[BOB], {m["name"]: m for m in before["machines"]}[BOB])
        self.assertEqual(by_name[carol]["raw"], machines.raw_path(carol, "n-body"))
        self.assertEqual(len(after["machines"]), 3)
        # A second run replaces carol's entry rather than adding another.
        status, errors = quietly(cli.main, ["n-body", "--machine", "carol", "--publish", "--quiet-timeout", "0"], self.setup())
        self.assertEqual(status, 0, errors)
        self.assertEqual(len(tomllib.loads(book_file.read_text())["machines"]), 3)

    def test_machine_and_from_raw_do_not_go_together(self):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            cli.parse_args(["--machine", "carol", "--from-raw", "x"], self.setup())


class FleetMergeTest(unittest.TestCase):
    """The merge step of .github/workflows/fleet.yml, on two raw results from two differently
    named runs, laid out as `actions/download-artifact` lays out two artifacts."""

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.root = Path(folder.name)
        self.book = self.root / "book"
        book_with_n_body(self.book)
        self.artifacts = self.root / "artifacts"
        for artifact, machine_id, name in (
            ("raw-ubuntu-24.04", ALICE, "alice-n-body.json"),
            ("raw-ubuntu-24.04-arm", ARM, "arm64-16-cores-n-body.json"),
        ):
            folder = self.artifacts / artifact / "machines" / machine_id
            folder.mkdir(parents=True)
            shutil.copyfile(FIXTURES / name, folder / "n-body.json")

    def test_the_workflow_measures_both_architectures_and_merges_with_this_step(self):
        workflow = (REPO / ".github" / "workflows" / "fleet.yml").read_text()
        runners = re.search(r"^\s*runner: \[(.*)\]$", workflow, re.MULTILINE)
        self.assertIsNotNone(runners, "the matrix names its runner types on one line")
        self.assertEqual([r.strip() for r in runners.group(1).split(",")], ["ubuntu-24.04", "ubuntu-24.04-arm"])
        for expected in ("--machine", "bench/merge-fleet fleet", "cargo check-book", "gh pr create", "workflow_dispatch"):
            self.assertIn(expected, workflow)

    def test_two_runs_merge_into_one_benchmark_file(self):
        status, errors = quietly(fleet.main, [str(self.artifacts), "--book", str(self.book)])
        self.assertEqual(status, 0, errors)
        written = tomllib.loads((self.book / "data" / "benchmarks" / "n-body.toml").read_text())
        self.assertEqual([m["name"] for m in written["machines"]][1:], [ALICE, ARM])
        for machine_id in (ALICE, ARM):
            self.assertTrue((self.book / machines.raw_path(machine_id, "n-body")).is_file())

    def test_a_record_under_another_machines_folder_is_refused(self):
        shutil.move(self.artifacts / "raw-ubuntu-24.04" / "machines" / ALICE, self.artifacts / "raw-ubuntu-24.04" / "machines" / BOB)
        status, errors = quietly(fleet.main, [str(self.artifacts), "--book", str(self.book)])
        self.assertEqual(status, cli.EXIT_FAILED)
        self.assertIn("not its folder", errors)
        self.assertFalse((self.book / "bench" / "results" / "machines").exists())

    def test_two_records_of_one_machine_are_refused(self):
        twin = self.artifacts / "again" / "machines" / ALICE
        twin.mkdir(parents=True)
        shutil.copyfile(FIXTURES / "alice-n-body.json", twin / "n-body.json")
        status, errors = quietly(fleet.main, [str(self.artifacts), "--book", str(self.book)])
        self.assertEqual(status, cli.EXIT_FAILED)
        self.assertIn("two records of n-body", errors)


if __name__ == "__main__":
    unittest.main()
