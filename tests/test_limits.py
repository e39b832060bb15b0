"""Limits for small graders: cgroup-aware ``--jobs auto``, ``--submission-timeout``, and
a module whose every test hangs costing about one test limit.

``auto_jobs`` is fed fake cgroup (v2) files under a temporary root. The time limits
are checked by grading a tiny kit whose tests all call a function that loops forever.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grader.grading import engine, runner
from grader.grading.report import validate

pytestmark = pytest.mark.timeout(300)

GIB = 1 << 30


# ---------------------------------------------------------------- --jobs auto


def fake_cgroup(
    tmp_path: Path,
    own: str = "/",
    files: dict[str, str] | None = None,
    available: int = 64 * GIB,
) -> dict:
    """A cgroup root with ``files`` (``"a/b/cpu.max": "50000 100000"``), a
    /proc/self/cgroup naming ``own``, a /proc/meminfo with ``available`` bytes."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    root = tmp_path / "cgroup"
    root.mkdir()
    for rel, text in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
    (root / own.strip("/")).mkdir(parents=True, exist_ok=True)
    self_cgroup = tmp_path / "self-cgroup"
    self_cgroup.write_text(f"0::{own}\n")
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(f"MemTotal: 99999999 kB\nMemAvailable: {available // 1024} kB\n")
    return {"cgroup_root": root, "self_cgroup": self_cgroup, "meminfo": meminfo}


@pytest.fixture
def eight_cores(monkeypatch):
    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda pid: set(range(8)))


def test_auto_jobs_without_limits_is_one_per_core(tmp_path, eight_cores):
    assert engine.auto_jobs(**fake_cgroup(tmp_path)) == 8
    files = {"cpu.max": "max 100000", "memory.max": "max"}
    assert engine.auto_jobs(**fake_cgroup(tmp_path / "b", files=files)) == 8


def test_auto_jobs_on_gradescope_defaults_is_one(tmp_path, eight_cores):
    """Half a CPU and 768 MB (Gradescope's default container): one worker."""
    files = {"cpu.max": "50000 100000", "memory.max": str(768 * 10**6), "memory.current": "0"}
    assert engine.auto_jobs(**fake_cgroup(tmp_path, files=files)) == 1


def test_auto_jobs_follows_the_cpu_quota(tmp_path, eight_cores):
    files = {"cpu.max": "250000 100000"}  # 2.5 CPUs: two workers keep them busy
    assert engine.auto_jobs(**fake_cgroup(tmp_path, files=files)) == 2


def test_auto_jobs_follows_the_memory_left_in_the_cgroup(tmp_path, eight_cores):
    files = {"memory.max": str(5 * GIB), "memory.current": str(2 * GIB)}
    assert engine.auto_jobs(**fake_cgroup(tmp_path, files=files)) == 3


def test_auto_jobs_takes_the_tightest_cgroup_on_the_way_up(tmp_path, eight_cores):
    files = {
        "a/b/cpu.max": "max 100000",
        "a/cpu.max": "300000 100000",
        "cpu.max": "600000 100000",
        "a/b/memory.max": "max",
        "memory.max": str(100 * GIB),
    }
    assert engine.auto_jobs(**fake_cgroup(tmp_path, own="/a/b", files=files)) == 3


def test_auto_jobs_follows_meminfo_when_it_is_tighter(tmp_path, eight_cores):
    files = {"memory.max": str(100 * GIB)}
    assert engine.auto_jobs(**fake_cgroup(tmp_path, files=files, available=2 * GIB)) == 2


def test_auto_jobs_ignores_unreadable_files(tmp_path, eight_cores):
    files = {"cpu.max": "garbage", "memory.max": "", "memory.current": "x"}
    assert engine.auto_jobs(**fake_cgroup(tmp_path, files=files)) == 8


# ---------------------------------------------------------------- time limits

LOOPS = "def act():\n    while True:\n        pass\n"
HONEST_LAYERS = "def answer():\n    return 42\n"


def make_kit(root: Path, hanging, tests: int) -> Path:
    """A kit of two modules: every test of the ``hanging`` module (or modules) calls
    ``act``; the other module has one quick test."""
    hanging = (hanging,) if isinstance(hanging, str) else tuple(hanging)
    kit = root / "kit"
    for folder, name in (("03_sharing", "sharing"), ("05_layers", "layers")):
        if name in hanging:
            body = "\n".join(
                f"@pytest.mark.points(1)\ndef test_hang_{i}():\n    m.act()\n" for i in range(tests)
            )
        else:
            body = "@pytest.mark.points(1)\ndef test_answer():\n    assert m.answer() == 42\n"
        text = "import pytest\n\nfrom grader.probing import functions\n\n"
        text += f"m = functions({name!r})\n\n\n"
        (kit / "exercises" / folder).mkdir(parents=True)
        (kit / "exercises" / folder / f"test_{name}.py").write_text(text + body)
    return kit


def grade(tmp_path: Path, hanging, tests: int, limits, submission_timeout=None):
    kit = make_kit(tmp_path, hanging, tests)
    hanging = (hanging,) if isinstance(hanging, str) else tuple(hanging)
    sub = tmp_path / "sub"
    sub.mkdir()
    for name in ("sharing", "layers"):
        (sub / f"{name}.py").write_text(LOOPS if name in hanging else HONEST_LAYERS)
    settings = engine.Settings(
        kit=kit,
        modules=("sharing", "layers"),
        seed=1,
        limits=limits,
        jobs=1,
        submission_timeout=submission_timeout,
    )
    try:
        plan = engine.make_plan(settings)
        started = time.monotonic()
        report = engine.grade([sub], ["sub"], settings, plan)
        elapsed = time.monotonic() - started
    finally:
        runner.shutdown()
    assert validate(report) == []
    exercises = {ex["module"]: ex for ex in report["submissions"][0]["exercises"]}
    return exercises, elapsed


def test_a_module_whose_every_test_hangs_costs_about_one_test_limit(tmp_path):
    limits = runner.Limits(timeout=3, module_timeout=200, stall_grace=2)
    exercises, elapsed = grade(tmp_path, "layers", 12, limits)
    ex = exercises["layers"]
    # twelve hanging tests of 3 s: 36 s one by one; the first, then the 10 s share
    assert ex["duration_s"] < 3 + runner.HANG_MIN_S + 8, ex
    assert ex["status"] == "timeout" and ex["score"] == 0
    assert "share" in ex["message"]
    first, *rest = ex["tests"]
    assert first["status"] == "timeout" and "ran past 3 s" in first["message"]
    assert all(t["status"] in ("timeout", "error") for t in rest)
    assert any("left to the module's tests" in t["message"] for t in rest)
    assert exercises["sharing"]["status"] == "passed"  # the other module is untouched


def test_the_submission_timeout_caps_the_whole_submission(tmp_path):
    # Both modules hang, and one worker runs at a time: whichever gets the slot first
    # (the order is the workers', not the catalogue's) is cut while it runs, and the
    # other never starts.
    limits = runner.Limits(timeout=60, module_timeout=200, stall_grace=2)
    hanging = ("sharing", "layers")
    exercises, elapsed = grade(tmp_path, hanging, 3, limits, submission_timeout=6)
    assert elapsed < 6 + 10
    running, waiting = sorted(
        exercises.values(),
        key=lambda ex: not ex["tests"][0]["message"].startswith("still running"),
    )
    assert running["status"] == "timeout"
    assert "submission ran out of its time limit (6 s)" in running["message"]
    assert running["tests"][0]["message"].startswith("still running when the submission's")
    # the module that had not started when the time ran out: timed out, and says why
    assert waiting["status"] == "timeout" and waiting["score"] == 0
    assert waiting["tests"][0]["message"] == (
        "not run: the submission ran out of its time limit (6 s)"
    )


def test_no_submission_timeout_by_default():
    from grader import cli

    args = cli.grade_parser().parse_args(["x"])
    assert args.submission_timeout is None
    args = cli.grade_parser().parse_args(["x", "--submission-timeout", "480"])
    assert args.submission_timeout == 480


def test_test_durations_are_in_the_report(tmp_path):
    limits = runner.Limits(timeout=3, module_timeout=200, stall_grace=2)
    exercises, _ = grade(tmp_path, "layers", 1, limits)
    answer = exercises["sharing"]["tests"][0]
    assert answer["status"] == "passed" and 0 <= answer["duration_s"] < 3
    hang = exercises["layers"]["tests"][0]
    assert 3 <= hang["duration_s"] < 3 + 8
    assert exercises["layers"]["duration_s"] >= hang["duration_s"]
