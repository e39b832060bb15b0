"""An instructor's private tests: written as probes and verdicts, and only their probes
enter the sandboxed worker.

The private file below keeps an expected value in its verdict. The learner's module
looks for it everywhere it can: the file itself (its path is planted in the module, as
a learner who guessed it would), its own memory, every loaded module. A test that
passes only if the module found it must fail; the honest module passes the same file's
other check.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.diagnoses import diagnosis
from grader.grading import engine, runner
from grader.grading.report import validate

pytestmark = pytest.mark.timeout(300)

SECRET = "hidden-answer-5d1c"
CODE = "hidden-code-7e2a"  # appears only in a hidden test's code

KIT_TESTS = """
import pytest

from grader.probing import functions

layers = functions("layers")


@pytest.mark.points(1)
def test_answer():
    assert layers.answer() == 42
"""

PRIVATE_TESTS = f"""
import pytest
import torch

from grader.diagnoses import diagnose
from grader.probing import probes

probe = probes("layers")
pytestmark = pytest.mark.visibility("hidden")
EXPECTED = "{SECRET}"


@probe
def leaked(layers):
    return str(layers.leak())


@probe
def doubled(layers, X):
    return layers.double(X)


@pytest.mark.points(1)
def test_the_module_cannot_read_the_expected_value():
    assert leaked() == EXPECTED


@pytest.mark.points(1)
def test_double():
    X = torch.arange(5.0)
    assert torch.equal(doubled(X), 2 * X)


@pytest.mark.points(1)
def test_triple():
    X = torch.arange(5.0)
    with diagnose(relu_inside=lambda: True):
        assert torch.equal(doubled(X), 3 * X + 0 * len("{CODE}"))
"""

LEARNER = """
import gc
import re
import sys

PATTERN = re.compile(r"hidden-answer-[0-9a-f]+")


def answer():
    return 42


def double(X):
    return 2 * X


def leak():
    try:
        with open(__PRIVATE__) as f:
            found = PATTERN.search(f.read())
            if found:
                return found.group()
    except OSError:
        pass
    for obj in gc.get_objects():
        try:
            text = obj if isinstance(obj, str) else getattr(obj, "__doc__", None)
            found = PATTERN.search(text) if isinstance(text, str) else None
        except Exception:
            found = None
        if found:
            return found.group()
    for module in list(sys.modules.values()):
        for value in list(vars(module).values()) if hasattr(module, "__dict__") else []:
            if isinstance(value, str) and PATTERN.search(value):
                return PATTERN.search(value).group()
    return "nothing"
"""


def test_only_the_probes_of_private_tests_reach_the_worker(tmp_path: Path):
    kit = tmp_path / "kit"
    (kit / "exercises" / "05_layers").mkdir(parents=True)
    (kit / "exercises" / "05_layers" / "test_layers.py").write_text(textwrap.dedent(KIT_TESTS))
    private = tmp_path / "private"
    private.mkdir()
    hidden = private / "test_layers_hidden.py"
    hidden.write_text(textwrap.dedent(PRIVATE_TESTS))
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "layers.py").write_text(LEARNER.replace("__PRIVATE__", repr(str(hidden))))
    settings = engine.Settings(kit=kit, modules=("layers",), seed=9, tests_dir=private)
    try:
        plan = engine.make_plan(settings)
        report = engine.grade([sub], ["sub"], settings, plan)
    finally:
        runner.shutdown()
    assert validate(report) == []
    (ex,) = report["submissions"][0]["exercises"]
    status = {t["name"].rsplit("::", 1)[-1]: t["status"] for t in ex["tests"]}
    assert status == {
        "test_answer": "passed",
        "test_the_module_cannot_read_the_expected_value": "failed",
        "test_double": "passed",
        "test_triple": "failed",
    }, ex
    assert SECRET not in str(report)  # a hidden test's message keeps no expected value
    # A hidden test's diagnosis is shown; its code (which a traceback quotes) is not.
    (triple,) = [t for t in ex["tests"] if t["name"].endswith("test_triple")]
    assert triple["message"].startswith(f"diagnosis: {diagnosis('layers', 'relu_inside')}")
    assert CODE not in str(report)
