"""GitHub Classroom's result, read the way ``autograding-grading-reporter`` reads it.

:func:`reporter` re-implements what the reporter action (v1) does with the runners'
results, rule for rule:

* ``src/main.js``: for each runner in ``runners``, read ``<RUNNER>_RESULTS`` from the
  environment, base64-decode it, parse it as JSON; fail the step when a result's
  status is ``fail`` (then ``error``).
* ``src/console-results.js`` (``ConsoleResults``): one log line per test: ``✅ name``
  for ``pass``; ``Error: message`` (or ``Failed to run test 'name'`` when the message
  is empty) for ``error``; ``❌ name`` otherwise; `` - line N`` after the name unless
  ``line_no`` is 0; ``Test code:`` and the text when ``test_code`` is set. Then
  ``Total points for RUNNER: X.XX/M`` when ``max_score`` is not 0.
* ``src/helpers/test-helpers.js`` (``getTestScore``): that X is tests passed / tests ×
  ``max_score``; ``src/aggregate-results.js`` prints the same number in its table.
* ``src/notify-classroom.js`` (``NotifyClassroom``): Classroom gets ``Points S/M``, S the
  sum of the tests' ``score``, M ``max_score``; nothing is posted when M is 0.

The kit's result must show each failure's reason in that log, with its test's name,
and both totals must be the kit's score. The workflow's Grade step must hand the
reporter a result even when the grader cannot run.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.catalog import MODULE_NAMES
from grader.formats import render

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_formats import (  # noqa: E402  (the hand-made reports)
    SECRET,
    _exercise,
    _report,
    _submission,
    _test,
    full_marks,
    hidden,
    hostile,
    mixed,
    zero,
)

WORKFLOW = Path(__file__).resolve().parents[1] / "docs" / "classroom-workflow.yml"


def reporter(env: dict, runners: str) -> dict:
    """What the reporter prints and posts for ``runners`` reading ``env``."""
    results = []
    for runner in runners.split(","):  # main.js
        encoded = env[f"{runner.strip().upper()}_RESULTS"]
        results.append((runner, json.loads(base64.b64decode(encoded).decode("utf-8"))))
    log: list[str] = []
    log_totals = []
    for runner, result in results:  # console-results.js
        max_score = result.get("max_score") or 0
        tests = result["tests"]
        passed = sum(t["status"] == "pass" for t in tests)
        score = passed / len(tests) * max_score  # test-helpers.js getTestScore
        log_totals.append(score)
        log.append(f"🔄 Processing: {runner}")
        for t in tests:
            line = "" if t.get("line_no") == 0 else f" - line {t.get('line_no')}"
            if t["status"] == "pass":
                log.append(f"✅ {t['name']}{line}")
            elif t["status"] == "error":
                fallback = f"Failed to run test '{t['name']}'"
                log.append(f"Error: {t.get('message') or fallback}")
            else:
                log.append(f"❌ {t['name']}{line}")
            if t.get("test_code"):
                log.append(f"Test code:\n{t['test_code']}")
        if max_score != 0:
            log.append(f"Total points for {runner}: {score:.2f}/{max_score}")
    total = maximum = 0.0  # notify-classroom.js
    for _, result in results:
        if not result.get("max_score"):
            continue
        maximum += result["max_score"]
        total += sum(t["score"] for t in result["tests"])
    statuses = [r["status"] for _, r in results]
    failed = "fail" in statuses or "error" in statuses
    return {
        "log": "\n".join(log),
        "log_total": sum(log_totals),
        "points": (total, maximum) if maximum else None,
        "step_failed": failed,
    }


def read(report: dict) -> dict:
    return reporter({"KIT_RESULTS": render("classroom", report)}, "kit")


REPORTS = {"full": full_marks, "zero": zero, "mixed": mixed, "hidden": hidden, "hostile": hostile}


@pytest.mark.parametrize("name", REPORTS)
def test_both_totals_are_the_kits_score(name):
    report = REPORTS[name]()
    sub = report["submissions"][0]
    seen = read(report)
    assert seen["points"] == (pytest.approx(sub["score"]), sub["max_score"])
    assert seen["log_total"] == pytest.approx(sub["score"])
    assert f"Total points for kit: {sub['score']:.2f}/{sub['max_score']}" in seen["log"]
    assert seen["step_failed"] == (sub["score"] < sub["max_score"])


def test_totals_agree_with_half_points_and_partial_modules():
    tests = [
        _test("test_half", points=0.5),
        _test("test_three", "failed", 3, "wrong"),
        _test("test_one_and_half", points=1.5),
    ]
    exercises = [
        _exercise(MODULE_NAMES[0], "failed", tests),
        # a module that scored part of what its tests do not cover
        _exercise(MODULE_NAMES[1], "crashed", [_test("test_ok")], "crashed", 6, score=3),
    ]
    report = _report(_submission("halves", exercises))
    sub = report["submissions"][0]
    seen = read(report)
    assert seen["points"] == (pytest.approx(sub["score"]), sub["max_score"])
    assert seen["log_total"] == pytest.approx(sub["score"])


def test_each_failure_shows_its_reason_under_its_name():
    report = mixed()
    log = read(report)["log"]
    for i, module in enumerate(MODULE_NAMES):
        ex = report["submissions"][0]["exercises"][i]
        if ex["status"] == "failed":
            # a failure: "❌ name", its reason on the next line, how to run it locally
            wrong = f"test_{module}_wrong"
            assert re.search(rf"❌ {module}: {wrong} \(part 1 of 3\)\n +assert 1 == 2\n", log)
            assert "Test code:\npytest exercises/" in log and f"::{wrong}" in log
            # an error prints its message only: the message starts with the name
            assert re.search(rf"Error: {module}: test_{module}_raises\n +RuntimeError: boom", log)
        elif ex["status"] in ("crashed", "error", "timeout"):
            said = re.escape(ex["message"])
            assert re.search(rf"Error: {module}: {ex['status']}.*\n +{said}", log)
        elif ex["status"] in ("missing", "rejected"):
            said = re.escape(ex["message"])
            assert re.search(rf"❌ {module}: {ex['status']}.*\n +{said}", log)
    assert "Failed to run test" not in log  # every error names its test


def test_a_module_note_worth_nothing_is_shown_under_its_rows():
    """A real report lists every test of a timed-out module; the module's own note
    is worth no points of its own and must still reach the log."""
    tests = [_test("test_quick"), _test("test_slow", "timeout", 3, "")]
    exercise = _exercise(MODULE_NAMES[0], "timeout", tests, "ran out of time after 60 s")
    report = _report(_submission("t", [exercise]))
    seen = read(report)
    assert "ran out of time after 60 s" in seen["log"]
    assert "the test ran past its time limit" in seen["log"]  # an empty message says so
    assert seen["log_total"] == pytest.approx(2) and seen["points"] == (2, 5)


def test_hidden_tests_show_no_secret_in_the_log():
    log = read(hidden())["log"]
    assert SECRET not in log
    assert re.search(r"❌ \w+: hidden test 2.*\n +hidden test", log)


def test_hostile_text_reaches_the_log_clean():
    log = read(hostile())["log"]
    assert "\x1b" not in log and "\x00" not in log
    assert "还没有实现" in log


# --- the workflow's Grade step ---------------------------------------------------------


def _grade_step() -> dict:
    import yaml  # pyyaml, a dev dependency

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    return next(s for s in steps if s.get("id") == "kit")


def _run_grade_step(tmp_path: Path, fake_python: str) -> tuple[subprocess.CompletedProcess, dict]:
    """Run the Grade step's script as Actions does (``bash -e``), with ``python`` faked."""
    if shutil.which("bash") is None or shutil.which("base64") is None:
        pytest.skip("bash and base64 are needed to run the workflow's shell step")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text("#!/bin/sh\n" + fake_python)
    python.chmod(0o755)
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env["GITHUB_OUTPUT"] = str(outputs)
    script = _grade_step()["run"]
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return done, values


def test_the_grade_step_hands_over_the_graders_result(tmp_path):
    encoded = render("classroom", mixed())
    (tmp_path / "made.txt").write_text(encoded)
    done, outputs = _run_grade_step(tmp_path, f'cp "{tmp_path / "made.txt"}" result.txt\n')
    assert done.returncode == 0, done.stderr
    assert outputs["result"] == encoded


@pytest.mark.parametrize(
    "fake", ["echo 'Traceback: ImportError' >&2; exit 1\n", "exit 2\n", "exit 0\n"]
)
def test_the_grade_step_posts_points_when_the_grader_cannot_run(tmp_path, fake):
    done, outputs = _run_grade_step(tmp_path, fake)
    assert done.returncode == 0, "a failed step would skip the reporter: no points posted"
    seen = reporter({"KIT_RESULTS": outputs["result"]}, "kit")
    assert seen["points"] == (0, 1)
    assert "Error: grader: the grader could not run (exit status" in seen["log"]
    assert seen["step_failed"]


def test_the_reporter_step_reads_the_grade_steps_output():
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    reporter_step = next(s for s in steps if "autograding-grading-reporter" in s.get("uses", ""))
    assert reporter_step["with"]["runners"] == "kit"
    assert reporter_step["env"]["KIT_RESULTS"] == "${{ steps.kit.outputs.result }}"
    assert not any(s.get("continue-on-error") for s in steps[: steps.index(reporter_step)])
