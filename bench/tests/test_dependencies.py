"""The `dependencies` workload: the tools' listings parsed and counted, the advisory databases
read at their pinned commit, and the benchmark file it writes."""

import subprocess
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from bench.suite import advisories, languages
from bench.suite.advisories import Advisory, Database, Package
from bench.suite.workloads import dependencies

CARGO_TREE = """server v0.1.0 (/somewhere/server)
actix-web v4.18.1
actix-macros v0.2.5 (proc-macro)
bytes v1.10.0
bytes v1.10.0 (*)
smallvec v1.15.0
smallvec v0.6.14
tokio v1.47.0
bytes v1.10.0 (*)

"""

GO_LIST = "errors\ttrue\t\nnet/http\ttrue\t\nvendor/golang.org/x/net/http2/hpack\ttrue\t\ngithub.com/a/b/c\tfalse\tgithub.com/a/b\nexample/server\tfalse\texample/server\n"

RUSTSEC = """```toml
[advisory]
id = "RUSTSEC-2023-0034"
package = "h2"
date = "2023-04-14"
[versions]
patched = [">= 0.3.17"]
```

# A title, and a body with a ```toml fence that is not the front matter
"""


def osv(advisory_id, affected, withdrawn=None):
    import json

    entry = {"id": advisory_id, "affected": affected}
    if withdrawn:
        entry["withdrawn"] = withdrawn
    return json.dumps(entry)


class ListingTest(unittest.TestCase):
    def test_cargo_tree_counts_each_crate_and_version_once_and_adds_std(self):
        packages = languages.cargo_tree_packages(CARGO_TREE)
        own = [(p.name, p.version) for p in packages if not p.standard]
        self.assertEqual(
            own,
            [("server", "0.1.0"), ("actix-web", "4.18.1"), ("actix-macros", "0.2.5"), ("bytes", "1.10.0"), ("smallvec", "1.15.0"), ("smallvec", "0.6.14"), ("tokio", "1.47.0")],
        )
        self.assertEqual([p for p in packages if p.standard], [Package("std", "std", True)])

    def test_go_list_marks_the_standard_library_as_the_stdlib_module(self):
        packages = languages.go_list_packages(GO_LIST)
        self.assertEqual(
            [(p.name, p.module, p.standard) for p in packages],
            [
                ("errors", "stdlib", True),
                ("net/http", "stdlib", True),
                ("vendor/golang.org/x/net/http2/hpack", "stdlib", True),
                ("github.com/a/b/c", "github.com/a/b", False),
                ("example/server", "example/server", False),
            ],
        )

    def test_go_list_modules_keeps_the_paths(self):
        self.assertEqual(languages.go_list_modules("example/server\ngithub.com/a/b v1.2.3\n\n"), ["example/server", "github.com/a/b"])


class FormatTest(unittest.TestCase):
    def test_a_rustsec_vulnerability_is_read_from_its_front_matter(self):
        self.assertEqual(advisories.rustsec_advisories(RUSTSEC), [Advisory("RUSTSEC-2023-0034", "h2")])

    def test_informational_and_withdrawn_rustsec_advisories_are_left_out(self):
        for extra in ('informational = "unmaintained"', 'withdrawn = "2024-01-01"'):
            text = RUSTSEC.replace('date = "2023-04-14"', f'date = "2023-04-14"\n{extra}')
            self.assertEqual(advisories.rustsec_advisories(text), [], extra)

    def test_a_rustsec_file_without_front_matter_is_an_error(self):
        with self.assertRaisesRegex(RuntimeError, "front matter"):
            advisories.rustsec_advisories("# no front matter\n")

    def test_osv_gives_one_advisory_per_module_with_its_packages_and_skips_the_toolchain(self):
        text = osv(
            "GO-2024-2687",
            [
                {"package": {"name": "stdlib", "ecosystem": "Go"}, "ecosystem_specific": {"imports": [{"path": "net/http"}, {"path": "net/textproto"}]}},
                {"package": {"name": "toolchain", "ecosystem": "Go"}, "ecosystem_specific": {"imports": [{"path": "cmd/go"}]}},
                {"package": {"name": "golang.org/x/net", "ecosystem": "Go"}},
            ],
        )
        self.assertEqual(
            advisories.osv_advisories(text),
            [Advisory("GO-2024-2687", "stdlib", ("net/http", "net/textproto")), Advisory("GO-2024-2687", "golang.org/x/net", ())],
        )
        self.assertEqual(advisories.osv_advisories(osv("GO-1", [{"package": {"name": "stdlib"}}], withdrawn="2024-01-01")), [])

    def test_an_advisory_names_a_package_of_its_module_and_of_its_listed_paths_only(self):
        found = [Advisory("A", "stdlib", ("net/http",)), Advisory("B", "stdlib", ("net/http",)), Advisory("C", "github.com/a/b"), Advisory("D", "h2")]
        packages = languages.go_list_packages(GO_LIST)
        self.assertEqual(advisories.advised(found, packages), {"net/http": ["A", "B"], "github.com/a/b/c": ["C"]})


def git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


class SnapshotTest(unittest.TestCase):
    def make_database(self, root):
        """A git repository of two commits: the first holds RUSTSEC, the second removes it."""
        source = root / "owner" / "db"
        (source / "crates" / "h2").mkdir(parents=True)
        git(source, "init", "-q")
        (source / "crates" / "h2" / "RUSTSEC-2023-0034.md").write_text(RUSTSEC)
        (source / "README.md").write_text("not an advisory\n")
        git(source, "add", ".")
        git(source, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
        pinned = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
        git(source, "rm", "-q", "crates/h2/RUSTSEC-2023-0034.md")
        git(source, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "two")
        # GitHub serves any commit by its id; a local repository must be told to.
        git(source, "config", "uploadpack.allowAnySHA1InWant", "true")
        return Database("Test database", str(source), pinned, "2026-01-01", advisories.RUSTSEC, ("crates",))

    def test_the_database_is_cloned_and_read_at_its_pinned_commit_not_its_newest(self):
        with tempfile.TemporaryDirectory() as folder, mock.patch.object(advisories, "FOLDER", Path(folder) / "clones"):
            database = self.make_database(Path(folder))
            database = Database(database.name, f"file://{database.url}", database.commit, database.date, database.format, database.folders)
            self.assertEqual(advisories.read(database), [Advisory("RUSTSEC-2023-0034", "h2")])
            self.assertTrue((Path(folder) / "clones" / "owner-db").is_dir())
            # Read again from the clone, offline.
            self.assertEqual(advisories.read(database), [Advisory("RUSTSEC-2023-0034", "h2")])

    def test_a_database_that_cannot_be_had_says_why(self):
        with tempfile.TemporaryDirectory() as folder, mock.patch.object(advisories, "FOLDER", Path(folder)):
            missing = Database("Test database", str(Path(folder) / "nowhere" / "db"), "0" * 40, "2026-01-01", advisories.OSV, ("data/osv",))
            with self.assertRaisesRegex(advisories.Unavailable, "no copy of the Test database at commit 0{40} on this machine, and `git fetch --depth 1 .* 0{40}` failed"):
                advisories.read(missing)

    def test_a_commit_the_database_lacks_says_so(self):
        with tempfile.TemporaryDirectory() as folder, mock.patch.object(advisories, "FOLDER", Path(folder) / "clones"):
            database = self.make_database(Path(folder))
            unknown = Database(database.name, f"file://{database.url}", "1" * 40, database.date, database.format, database.folders)
            with self.assertRaisesRegex(advisories.Unavailable, "at commit 1{40} on this machine, and `git fetch"):
                advisories.read(unknown)


class FakeLanguage:
    def __init__(self, language_id, name, packages, modules, unavailable=False):
        self.id, self.name = language_id, name
        self.packages, self.modules = packages, modules
        self.DEPENDENCIES = f"`{language_id} list`"
        self.PACKAGE_UNIT, self.MODULE_UNIT = f"{language_id} packages", f"{language_id} modules"
        self.ADVISORIES = Database(f"{name} db", f"https://example.org/{language_id}/db", "a" * 40, "2026-08-21", advisories.OSV, ("data",))
        self.unavailable = unavailable

    def dependencies(self, program):
        return self.packages, self.modules


class WorkloadTest(unittest.TestCase):
    def measure(self, unavailable=(), go_found=None):
        rust = FakeLanguage("rust", "Rust", languages.cargo_tree_packages(CARGO_TREE), ["server 0.1.0", "bytes 1.10.0"])
        go = FakeLanguage("go", "Go", languages.go_list_packages("net/http\ttrue\t\nexample/server\tfalse\texample/server\n"), ["example/server"])
        found = {
            "Rust db": [Advisory("RUSTSEC-1", "smallvec"), Advisory("RUSTSEC-2", "smallvec"), Advisory("CVE-1", "std")],
            "Go db": [Advisory("GO-1", "stdlib", ("net/http",)), Advisory("GO-2", "stdlib", ("crypto/tls",))] if go_found is None else go_found,
        }

        def read(database):
            if database.name in unavailable:
                raise advisories.Unavailable(f"no copy of the {database.name}")
            return found[database.name]

        context = mock.Mock(languages=[rust, go])
        with mock.patch.object(advisories, "read", read):
            raw = dependencies._measure(context)
        raw["environment"] = {"names": {"rust": "Rust", "go": "Go"}}
        with mock.patch.object(dependencies, "environment_text", lambda raw, method: method):
            return raw, dependencies._describe(raw)

    def test_counts_own_packages_modules_and_advised_packages(self):
        raw, fields = self.measure()
        self.assertEqual(raw["runs"]["packages"], {"rust": [7], "go": [1]})
        self.assertEqual(raw["runs"]["modules"], {"rust": [2], "go": [1]})
        # Both versions of smallvec, and std; two advisories on smallvec count once per package.
        self.assertEqual(raw["runs"]["advised-packages"], {"rust": [3], "go": [1]})
        self.assertEqual(raw["runs"]["advisories"], {"rust": [3], "go": [1]})
        advised = {"smallvec 1.15.0": ["RUSTSEC-1", "RUSTSEC-2"], "smallvec 0.6.14": ["RUSTSEC-1", "RUSTSEC-2"], "std": ["CVE-1"]}
        self.assertEqual(raw["details"]["rust"]["advised"], advised)
        # Go has no advised package outside its standard library: a zero, said in words and never a value.
        self.assertNotIn("advised-dependencies", raw["runs"])
        self.assertEqual(raw["details"]["go"]["counts"]["advised-dependencies"], 0)
        metrics = {metric["id"]: metric for metric in fields["metrics"]}
        self.assertIn("Rust: 2 outside the standard library; Go: 0 outside the standard library", metrics["advised-packages"]["note"])
        self.assertIn("Rust counts rust packages; Go counts go packages", metrics["packages"]["note"])
        for metric in metrics.values():
            self.assertEqual(metric["band"]["width"], 0.0)
            self.assertEqual(metric["intervals"][0]["method"], "exact")
        self.assertIn("descriptive", metrics["advisories"])
        self.assertNotIn("descriptive", metrics["packages"])
        self.assertIn("at commit aaaaaaaaaaaa of 2026-08-21", fields["description"])

    def test_a_zero_count_is_said_in_words_never_a_value_or_not_measured(self):
        raw, fields = self.measure(go_found=[Advisory("GO-2", "stdlib", ("crypto/tls",))])
        self.assertEqual(raw["details"]["go"]["counts"]["advised-packages"], 0)
        metrics = {metric["id"]: metric for metric in fields["metrics"]}
        for key in ("advised-packages", "advisories"):
            self.assertEqual(set(metrics[key]["values"]), {"rust"})
            self.assertIn("Go: 0, which the table cannot show", metrics[key]["note"])

    def test_an_unreadable_database_leaves_that_language_out_and_says_why(self):
        raw, fields = self.measure(unavailable=("Go db",))
        self.assertEqual(raw["runs"]["advised-packages"], {"rust": [3]})
        self.assertIn("No advisory figures for Go: no copy of the Go db.", fields["limits"])
        self.assertEqual(fields["setup"]["go"], "`go list`; advisories: not read (see the limits).")
        self.assertIn("packages", raw["runs"])

    def test_no_database_at_all_leaves_the_advisory_metrics_out(self):
        raw, fields = self.measure(unavailable=("Go db", "Rust db"))
        self.assertEqual([metric["id"] for metric in fields["metrics"]], ["packages", "modules"])
        self.assertIn("No advisory figures for Rust", fields["limits"])

    def test_the_suite_names_its_pinned_databases(self):
        for language in languages.ALL:
            self.assertRegex(language.ADVISORIES.commit, r"^[0-9a-f]{40}$")
            self.assertTrue(language.ADVISORIES.url.startswith("https://github.com/"))


if __name__ == "__main__":
    unittest.main()
