"""The mutation run (tests/mutation/run.py): its list of equivalent mutants is sound, and
every mutant mutmut makes of a reference solution is killed by its own exercise's tests
or listed there as equivalent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from harness import ROOT, solution_source

sys.path.insert(0, str(Path(__file__).resolve().parent / "mutation"))
import run as mutation  # noqa: E402


def test_function_names_read_like_the_source():
    assert mutation.function_of("layers.xǁMyLinearǁforward__mutmut_3") == "MyLinear.forward"
    assert mutation.function_of("layers.xǁMyLinearǁ__init____mutmut_12") == "MyLinear.__init__"
    assert mutation.function_of("training.x_train__mutmut_1") == "train"


def test_changed_lines_leave_out_markers_indentation_and_comments():
    diff = (
        "--- lazy.py\n+++ lazy.py\n@@ -1,2 +1,2 @@\n def f():\n"
        "-    x = g(1)  # a comment\n+    x = g(2)  # a comment\n"
    )
    assert mutation.changed_lines(diff) == ("x = g(1)", "x = g(2)")


def test_every_equivalent_entry_names_a_line_of_its_solution():
    entries = mutation.load_equivalents()
    assert entries, "the list of equivalent mutants is empty"
    for entry in entries:
        code = {
            line.split("  # ", 1)[0].strip()
            for line in solution_source(entry["module"]).splitlines()
        }
        assert entry["before"] in code, f"{entry}: no such line in the solution"
        assert entry["before"] != entry["after"]
        assert len(entry["reason"]) > 20, f"{entry}: say why the mutant is equivalent"


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_every_mutant_is_killed_or_listed_as_equivalent():
    if subprocess.run([sys.executable, "-c", "import mutmut"], capture_output=True).returncode:
        pytest.fail("mutmut is not installed: pip install -e '.[dev]'")
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "mutation" / "run.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1100,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert "100.0%" in run.stdout.splitlines()[-1], run.stdout[-3000:]
