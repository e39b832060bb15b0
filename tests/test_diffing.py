"""``python -m grader diff OLD.json NEW.json``: what a regrade changed.

Hand-made reports (as in tests/test_formats.py): fast, no grading.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from harness import report_exercise as _exercise
from harness import report_submission as _submission

from grader.grading.diffing import diff, format_diff

ROOT = Path(__file__).resolve().parent.parent


def _test(name, status="passed", points=2, message=""):
    return {
        "name": name,
        "status": status,
        "score": points if status == "passed" else 0,
        "max_score": points,
        "message": message,
    }


def _report(*subs, seed=1):
    return {
        "format_version": 1,
        "submissions": list(subs),
        "grader": {
            "version": "0.1.0",
            "torch": "2.13.0",
            "hypothesis_profile": "grading",
            "seed": seed,
        },
    }


def layers(affine="passed", grads="passed"):
    return _exercise(
        "layers",
        [
            _test("test_mylinear_is_affine", affine, 3, "" if affine == "passed" else "wrong"),
            _test("test_mylinear_gradients", grads, 2, "" if grads == "passed" else "no grad"),
        ],
    )


def old_report():
    return _report(
        _submission("alice", [layers()]),
        _submission("bob", [layers(affine="failed")]),
        _submission("carol", [layers(grads="failed")]),
        _submission("dave", [_exercise("layers", [], status="missing", max_score=5)]),
    )


def new_report():
    return _report(
        _submission("alice", [layers()]),  # unchanged
        _submission("bob", [layers()]),  # fixed test: +3
        _submission("carol", [layers(affine="failed", grads="failed")]),  # -3
        _submission("erin", [layers()]),  # added (dave removed)
        seed=2,
    )


def test_changes_per_learner_and_per_test():
    d = diff(old_report(), new_report())
    assert d["added"] == ["erin"] and d["removed"] == ["dave"]
    assert d["unchanged"] == 1
    assert d["settings"] == [{"setting": "seed", "old": 1, "new": 2}]
    changed = {c["submission"]: c for c in d["changed"]}
    assert set(changed) == {"bob", "carol"}
    assert (changed["bob"]["old_score"], changed["bob"]["new_score"]) == (2, 5)
    assert changed["bob"]["delta"] == 3 and changed["carol"]["delta"] == -3
    [flip] = changed["bob"]["tests"]
    assert flip | {"message": ""} == {
        "module": "layers",
        "test": "test_mylinear_is_affine",
        "old": "failed",
        "new": "passed",
        "old_score": 0,
        "new_score": 3,
        "message": "",
    }
    [broke] = changed["carol"]["tests"]
    assert (broke["old"], broke["new"], broke["message"]) == ("passed", "failed", "wrong")
    assert changed["bob"]["modules"] == [
        {"module": "layers", "old": "failed", "new": "passed", "old_score": 2, "new_score": 5}
    ]
    [across] = d["tests"]
    assert across == {
        "module": "layers",
        "test": "test_mylinear_is_affine",
        "now_pass": 1,
        "now_fail": 1,
        "other": 0,
    }
    assert d["old"] == {"submissions": 4, "mean": 2.5, "seed": 1}  # (5 + 2 + 3 + 0) / 4
    assert d["new"] == {"submissions": 4, "mean": 3.75, "seed": 2}  # (5 + 5 + 0 + 5) / 4


def test_a_test_only_one_report_has_is_absent_in_the_other():
    old = _report(_submission("alice", [layers()]))
    new = copy.deepcopy(old)
    ex = new["submissions"][0]["exercises"][0]
    ex["tests"].append(_test("test_new_property", "failed", 1, "new check"))
    ex["max_score"] += 1
    ex["status"] = "failed"
    new["submissions"][0]["max_score"] += 1
    d = diff(old, new)
    [c] = d["changed"]
    assert c["delta"] == 0 and (c["old_max_score"], c["new_max_score"]) == (5, 6)
    [t] = c["tests"]
    assert (t["test"], t["old"], t["new"]) == ("test_new_property", "absent", "failed")
    text = format_diff(d)
    assert "alice: 5 -> 5 (0) (of 5 -> 6)" in text
    assert "layers::test_new_property absent -> failed: new check" in text


def test_identical_reports_change_nothing():
    d = diff(old_report(), old_report())
    assert d["changed"] == [] and d["added"] == [] and d["removed"] == []
    assert d["unchanged"] == 4 and d["settings"] == [] and d["tests"] == []
    assert "no submission's results changed" in format_diff(d)


def test_text_names_every_change():
    text = format_diff(diff(old_report(), new_report()))
    assert text.startswith("regrade: 4 submissions before, 4 after; mean score 2.5 -> 3.75")
    for line in (
        "  seed: 1 -> 2",
        "added (1): erin",
        "removed (1): dave",
        "  bob: 2 -> 5 (+3) (of 5)",
        "    layers: failed -> passed (2 -> 5)",
        "    layers::test_mylinear_is_affine failed -> passed (0 -> 3)",
        "  carol: 3 -> 0 (-3) (of 5)",
        "    layers::test_mylinear_is_affine passed -> failed (3 -> 0): wrong",
        "unchanged: 1 submission",
        "  layers::test_mylinear_is_affine: 1 now pass, 1 now fail",
    ):
        assert line in text.splitlines(), (line, text)


def test_hostile_names_are_cleaned_in_text():
    old = _report(_submission("\x1b]0;pwn\x07eve\x1b[2J", [layers()]))
    new = _report(_submission("\x1b]0;pwn\x07eve\x1b[2J", [layers(affine="failed")]))
    text = format_diff(diff(old, new))
    assert "\x1b" not in text and "\x07" not in text and "eve" in text


# ---------------------------------------------------------------- the command


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", "diff", *args], cwd=ROOT, capture_output=True, text=True
    )


@pytest.fixture
def saved(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(old_report()), encoding="utf-8")
    new.write_text(json.dumps(new_report()), encoding="utf-8")
    return old, new


def test_command_prints_text_and_json(saved):
    old, new = saved
    proc = cli(str(old), str(new))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == format_diff(diff(old_report(), new_report()))
    proc = cli(str(old), str(new), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == diff(old_report(), new_report())


@pytest.mark.parametrize(
    "content, says",
    [
        (None, "cannot be read"),
        ("[1, 2", "not JSON"),
        ('{"format_version": 1, "submissions": []}', "not a grader report"),
        (json.dumps(_report(_submission("x", []), _submission("x", []))), "two submissions"),
    ],
)
def test_command_refuses_what_is_not_a_report(saved, content, says):
    old, new = saved
    if content is None:
        new.unlink()
    else:
        new.write_text(content, encoding="utf-8")
    proc = cli(str(old), str(new))
    assert proc.returncode == 2
    assert says in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert str(new) in proc.stderr and "Traceback" not in proc.stderr
