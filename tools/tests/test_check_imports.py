"""`tools/check-imports` on small made-up crates: each kind of problem found where it is written,
and what is not an import (comments, strings, test code) left alone."""

import importlib.machinery
import importlib.util
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "check-imports"
_loader = importlib.machinery.SourceFileLoader("check_imports", str(SCRIPT))
_spec = importlib.util.spec_from_loader("check_imports", _loader)
check_imports = importlib.util.module_from_spec(_spec)
sys.modules["check_imports"] = check_imports
_loader.exec_module(check_imports)

ARCHITECTURE = """# Made up

## The layer rule

1. **model** — `model.rs`, `low/` and `low/base.rs`.
2. **middle** — `mid.rs`.
3. **top** — `lib.rs` and `top.rs`.

## Next
"""

FILES = {
    "lib.rs": "mod low;\nmod mid;\nmod model;\nmod top;\npub use top::run;\n",
    "model.rs": "pub(crate) struct Item;\n",
    "low/mod.rs": "mod base;\nmod other;\n",
    "low/base.rs": "use crate::model::Item;\n",
    "low/other.rs": "use super::base;\n",
    "mid.rs": "use crate::model::Item;\n",
    "top.rs": "use crate::{mid, model::Item};\npub fn run() {}\n",
}


def problems(changes: dict[str, str]) -> dict[str, list]:
    """The problems the check finds in the made-up crate with `changes` appended to its files
    (or written as new files)."""
    with tempfile.TemporaryDirectory() as repo:
        root = Path(repo)
        (root / "ARCHITECTURE.md").write_text(ARCHITECTURE)
        for name in FILES.keys() | changes.keys():
            file = root / "preprocessor" / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(FILES.get(name, "") + textwrap.dedent(changes.get(name, "")))
        return check_imports.find_problems(root)


class CheckImports(unittest.TestCase):
    def test_a_clean_crate_has_no_problem(self):
        self.assertEqual(problems({}), {})

    def test_an_upward_use_is_found_with_its_line(self):
        found = problems({"model.rs": "use crate::mid::Thing as Renamed;\n"})
        refs = found["upward model (layer 1) -> mid (layer 2)"]
        self.assertEqual([(r.file, r.line) for r in refs], [("preprocessor/model.rs", 2)])
        self.assertIn("cycle mid <-> model", found)  # `mid` uses `model`

    def test_an_upward_path_in_code_and_in_a_use_group_are_found(self):
        found = problems({"mid.rs": "fn f() { crate::top::run(); }\n", "low/base.rs": "use crate::{model, top::run};\n"})
        self.assertIn("upward mid (layer 2) -> top (layer 3)", found)
        self.assertIn("upward low::base (layer 1) -> top (layer 3)", found)

    def test_super_goes_up_from_the_file_module(self):
        found = problems({"low/base.rs": "use super::super::mid;\n"})
        self.assertIn("upward low::base (layer 1) -> mid (layer 2)", found)

    def test_a_cycle_between_top_level_modules_is_found(self):
        found = problems({"mid.rs": "use crate::top::run;\n"})
        self.assertIn("cycle mid <-> top", found)

    def test_a_cycle_between_submodules_is_found(self):
        found = problems({"low/base.rs": "use super::other as sibling;\n"})
        self.assertEqual(list(found), ["cycle low::base <-> low::other"])

    def test_comments_strings_and_test_code_are_not_imports(self):
        found = problems(
            {
                "model.rs": """
                // use crate::top::run;
                /* crate::mid::x */
                const S: &str = "crate::top::run";
                const R: &str = r#"use crate::mid;"#;
                #[cfg(test)]
                mod tests {
                    use crate::top::run;
                }
                #[cfg(test)]
                fn helper() { crate::mid::x(); }
                """
            }
        )
        self.assertEqual(found, {})

    def test_a_module_without_a_layer_is_a_problem(self):
        found = problems({"lib.rs": "mod extra;\n", "extra.rs": "use crate::model::Item;\n"})
        self.assertEqual(list(found), ["no layer for extra in ARCHITECTURE.md"])

    def test_the_repository_as_it_is_has_only_the_listed_exceptions(self):
        repo = SCRIPT.parent.parent
        self.assertEqual(set(check_imports.find_problems(repo)), set(check_imports.ALLOWED))


if __name__ == "__main__":
    unittest.main()
