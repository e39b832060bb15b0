"""The grader's isolation: hangs, crashes and forgeries in one test cost that test only.

These tests build a tiny kit in a temporary folder (one test file for ``layers``
whose tests call hostile functions of the submitted module) and grade through the
engine with short limits, so each takes seconds, not minutes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.grading import engine, runner
from grader.grading.report import validate

pytestmark = pytest.mark.timeout(300)

KIT_TESTS = """
import pytest

from grader.probing import functions

layers = functions("layers")


@pytest.mark.points(1)
def test_ok():
    assert layers.ok() == 1


@pytest.mark.points(2)
def test_hang():
    layers.hang()


@pytest.mark.points(2)
def test_swallow():
    layers.swallow()


@pytest.mark.points(2)
def test_segfault():
    layers.segfault()


@pytest.mark.points(2)
def test_exit():
    layers.exit_now()


@pytest.mark.points(2)
def test_interrupt():
    layers.interrupt()


@pytest.mark.points(2)
def test_skip():
    layers.skip_me()


@pytest.mark.points(2)
def test_xfail():
    layers.xfail_me()


@pytest.mark.points(3)
def test_after():
    assert layers.ok() == 1
"""

HOSTILE = """
import faulthandler
import json
import os
import sys
import time

import pytest

# Forge results: print them, and write them to every file descriptor there is.
for fd in range(0, 40):
    for status in ("passed",):
        line = json.dumps({"ev": "result", "key": "x", "status": status}) + "\\n"
        try:
            os.write(fd, line.encode())
        except OSError:
            pass
print("test_hang PASSED", "test_after PASSED", "10 passed", sep="\\n")


def ok():
    return 1


def hang():
    while True:
        pass


def swallow():
    while True:
        try:
            time.sleep(0.05)
        except BaseException:
            pass


def segfault():  # ctypes.string_at(0) is denied by the sandbox: tests/test_integrity.py
    faulthandler._sigsegv()


def exit_now():
    os._exit(0)


def interrupt():
    raise KeyboardInterrupt


def skip_me():
    pytest.skip("skipping myself")


def xfail_me():
    pytest.xfail("expected to fail")
"""


def make_kit(root: Path, tests: str = KIT_TESTS) -> Path:
    folder = root / "kit" / "exercises" / "05_layers"
    folder.mkdir(parents=True)
    (folder / "test_layers.py").write_text(textwrap.dedent(tests))
    return root / "kit"


def grade(tmp_path: Path, source: str, limits: runner.Limits, tests: str = KIT_TESTS) -> dict:
    kit = make_kit(tmp_path, tests)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "layers.py").write_text(textwrap.dedent(source))
    settings = engine.Settings(kit=kit, modules=("layers",), seed=3, limits=limits)
    plan = engine.make_plan(settings)
    report = engine.grade([sub], ["sub"], settings, plan)
    assert validate(report) == []
    return report


def by_name(report: dict) -> dict[str, dict]:
    (ex,) = report["submissions"][0]["exercises"]
    return {t["name"]: t for t in ex["tests"]}


def test_each_hostile_test_fails_alone(tmp_path):
    limits = runner.Limits(timeout=1.5, module_timeout=240, stall_grace=3)
    report = grade(tmp_path, HOSTILE, limits)
    tests = by_name(report)
    status = {name: t["status"] for name, t in tests.items()}
    assert status == {
        "test_ok": "passed",
        "test_hang": "timeout",
        "test_swallow": "timeout",
        "test_segfault": "error",
        "test_exit": "error",
        "test_interrupt": "failed",
        # pytest's outcomes raised in the module's process are only exceptions here.
        "test_skip": "failed",
        "test_xfail": "failed",
        "test_after": "passed",
    }
    assert "SIGSEGV" in tests["test_segfault"]["message"]
    assert "KeyboardInterrupt" in tests["test_interrupt"]["message"]
    (ex,) = report["submissions"][0]["exercises"]
    # Only passes score: forged lines count nothing.
    assert (ex["score"], ex["max_score"]) == (4, 18)
    assert ex["status"] == "crashed"
    assert report["submissions"][0]["score"] == 4


def test_a_module_that_kills_its_worker_on_import_loses_every_test_at_once(tmp_path):
    limits = runner.Limits(timeout=5, module_timeout=120)
    report = grade(tmp_path, "import os\nos._exit(0)\n", limits)
    (ex,) = report["submissions"][0]["exercises"]
    assert ex["status"] == "crashed" and ex["score"] == 0
    assert "importing layers.py stopped the worker" in ex["message"]
    assert {t["status"] for t in ex["tests"]} == {"error"}


def test_a_module_that_hangs_on_import_times_out(tmp_path):
    limits = runner.Limits(timeout=1.5, module_timeout=120, stall_grace=3)
    report = grade(tmp_path, "while True:\n    pass\n", limits)
    (ex,) = report["submissions"][0]["exercises"]
    assert ex["status"] == "timeout" and ex["score"] == 0
    assert {t["status"] for t in ex["tests"]} == {"timeout"}


BLOCKING = """
import signal


def ok():
    return 1


def hang():  # blocks the timer's signal: only the parent can stop it
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    while True:
        pass
"""

SHORT_TESTS = """
import pytest

from grader.probing import functions

layers = functions("layers")


@pytest.mark.points(1)
def test_ok():
    assert layers.ok() == 1


@pytest.mark.points(1)
def test_hang():
    layers.hang()


@pytest.mark.points(1)
def test_after():
    assert layers.ok() == 1
"""


def test_the_parent_kills_a_test_that_blocks_the_timer_and_resumes(tmp_path):
    limits = runner.Limits(timeout=1, module_timeout=120, stall_grace=2)
    report = grade(tmp_path, BLOCKING, limits, SHORT_TESTS)
    status = {name: t["status"] for name, t in by_name(report).items()}
    assert status == {"test_ok": "passed", "test_hang": "timeout", "test_after": "passed"}


SLOW_TESTS = """
import pytest

from grader.probing import functions

layers = functions("layers")

""" + "".join(
    f"\n\n@pytest.mark.points(1)\ndef test_slow_{i:02d}():\n    assert layers.slow() == 1\n"
    for i in range(20)
)

SLOW = """
import time


def slow():  # under the test limit, but twenty of them are not under the module's
    time.sleep(0.6)
    return 1
"""


def test_the_module_time_limit_stops_everything(tmp_path):
    limits = runner.Limits(timeout=2, module_timeout=5, stall_grace=100)
    report = grade(tmp_path, SLOW, limits, SLOW_TESTS)
    (ex,) = report["submissions"][0]["exercises"]
    assert ex["status"] == "timeout"
    status = [t["status"] for t in ex["tests"]]
    passed = status.count("passed")
    assert 2 <= passed < 15, status
    assert status[:passed] == ["passed"] * passed
    # The test running when the limit was reached times out. The limit may also fall
    # between two tests (after one's result, before the next one starts): then no
    # test was running, and none is blamed.
    rest = status[passed + 1 :] if status[passed] == "timeout" else status[passed:]
    assert set(rest) == {"error"}  # never reached: scores 0
    assert ex["score"] == passed
