"""Verdicts, the report's shape, merging and the command line's errors (fast: no grading)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.catalog import module_of_test_file as module_of_private
from grader.grading import report as report_module
from grader.grading.collect import ExpectedTest
from grader.grading.report import MergeError, cohort, exercise_entry, format_cohort, merge, validate
from grader.grading.runner import ModuleRun
from grader.grading.submission import ModuleFile

ROOT = Path(__file__).resolve().parent.parent


def expected(*points: float, visibility: str = "visible") -> list[ExpectedTest]:
    return [
        ExpectedTest(f"/k/test_layers.py::test_{i}", "layers", f"test_{i}", p, visibility)
        for i, p in enumerate(points)
    ]


FOUND = ModuleFile("layers", "found", source=b"")


def entry(tests, results, **run_fields):
    run = ModuleRun(results=results, **run_fields)
    return exercise_entry("layers", tests, FOUND, run, module_timeout=60)


def test_only_reported_passes_score():
    tests = expected(1, 2, 3, 4, 0)
    ex = entry(
        tests,
        {
            tests[0].key: ("passed", ""),
            tests[1].key: ("skipped", "skipped: by the code under test"),
            tests[2].key: ("failed", "AssertionError"),
            # tests[3]: missing from the worker's output
            tests[4].key: ("skipped", "needs a CUDA device"),
        },
    )
    assert [t["score"] for t in ex["tests"]] == [1, 0, 0, 0, 0]
    assert [t["status"] for t in ex["tests"]] == ["passed", "skipped", "failed", "error", "skipped"]
    assert (ex["score"], ex["max_score"], ex["status"]) == (1, 10, "failed")
    assert ex["message"].startswith("1 of 4 tests passed; 1 skipped")
    assert "never reached" in ex["tests"][3]["message"]


def test_a_free_skip_still_lets_a_module_pass():
    tests = expected(2, 0)
    ex = entry(tests, {tests[0].key: ("passed", ""), tests[1].key: ("skipped", "no CUDA")})
    assert (ex["status"], ex["score"], ex["max_score"]) == ("passed", 2, 2)


def test_module_statuses_in_order_of_precedence():
    tests = expected(1, 1)
    ok = {tests[0].key: ("passed", "")}
    assert entry(tests, ok, timed_out=True)["status"] == "timeout"
    assert entry(tests, ok, crashes=["boom"])["status"] == "crashed"
    assert entry(tests, ok, import_error="layers.py could not be imported")["status"] == "error"
    # A module that could not be imported: every test is an error saying so, not a failure.
    failed = {t.key: ("failed", "diagnosis: ...") for t in tests}
    broken = entry(tests, failed, import_error="layers.py could not be imported (line 3)")
    assert broken["status"] == "error" and broken["score"] == 0
    assert all(
        t["status"] == "error" and "could not be imported (line 3)" in t["message"]
        for t in broken["tests"]
    )
    slow = {**ok, tests[1].key: ("timeout", "ran past 1 s")}
    assert entry(tests, slow)["status"] == "timeout"
    missing = ModuleFile("layers", "missing", "no layers.py in the submission")
    ex = exercise_entry("layers", tests, missing, None)
    assert (ex["status"], ex["score"], ex["max_score"]) == ("missing", 0, 2)
    assert all(t["status"] == "error" and "no layers.py" in t["message"] for t in ex["tests"])


def test_messages_are_escaped_and_truncated():
    tests = expected(1)
    ex = entry(tests, {tests[0].key: ("failed", "\x1b[31mred\x1b[0m " + "x" * 10_000)})
    message = ex["tests"][0]["message"]
    assert "\x1b" not in message and "\\x1b[31mred" in message
    assert len(message) <= 2000 and message.endswith("(truncated)")


def test_hidden_tests_carry_their_visibility():
    tests = expected(1, visibility="hidden")
    ex = entry(tests, {tests[0].key: ("passed", "")})
    assert ex["tests"][0]["visibility"] == "hidden"
    assert "1 of them hidden" in ex["message"]
    (kit_test,) = entry(expected(1), {})["tests"]
    assert "visibility" not in kit_test


def report_of(*subs: tuple[str, float], seed: int = 1) -> dict:
    tests = expected(1, 1)
    out = []
    for name, score in subs:
        results = {t.key: ("passed", "") for t in tests[: int(score)]}
        ex = entry(tests, results)
        out.append(
            {
                "submission": name,
                "score": ex["score"],
                "max_score": ex["max_score"],
                "duration_s": 1.0,
                "exercises": [ex],
            }
        )
    grader = {"version": "0", "torch": "2", "hypothesis_profile": "grader", "seed": seed}
    return {"submissions": out, "grader": grader}


def test_validate_finds_every_departure():
    report = report_of(("a", 1))
    assert validate(report) == []
    report["submissions"][0]["exercises"][0]["status"] = "great"
    report["submissions"][0]["score"] = "1"
    del report["grader"]["torch"]
    problems = validate(report)
    assert len(problems) == 3, problems


def broken_reports() -> list[dict]:
    """One departure each from the report's schema (and one from what it cannot say)."""
    cases = []

    def case(change):
        report = report_of(("a", 1), ("b", 2))
        change(report)
        cases.append(report)

    sub = lambda r: r["submissions"][0]  # noqa: E731
    ex = lambda r: sub(r)["exercises"][0]  # noqa: E731
    test = lambda r: ex(r)["tests"][0]  # noqa: E731
    case(lambda r: r.update(submissions={}))
    case(lambda r: r.update(extra=1))
    case(lambda r: r.pop("grader"))
    case(lambda r: r["grader"].update(version=1))
    case(lambda r: r["grader"].update(mixed_settings=[1]))
    case(lambda r: sub(r).update(score=True))
    case(lambda r: sub(r).update(duration_s=-1))
    case(lambda r: sub(r).update(graded_with={}))
    case(lambda r: sub(r).pop("exercises"))
    case(lambda r: sub(r).update(exercises=[3]))
    case(lambda r: ex(r).update(module=""))
    case(lambda r: ex(r).update(status="skipped"))  # a test's status, not a module's
    case(lambda r: ex(r).update(tests=None))
    case(lambda r: ex(r).update(origin="zip"))
    case(lambda r: test(r).update(status="crashed"))  # a module's status, not a test's
    case(lambda r: test(r).update(message=None))
    case(lambda r: test(r).update(visibility="secret"))
    case(lambda r: test(r).update(task=""))
    case(lambda r: test(r).update(max_score="2"))
    return cases


@pytest.mark.parametrize("index", range(len(broken_reports())))
def test_validate_reads_the_packaged_schema(index):
    """Each departure from grader/data/report.schema.json is found, with where it is."""
    report = broken_reports()[index]
    problems = validate(report)
    assert len(problems) == 1, problems
    assert problems[0].split(":", 1)[0], problems


def test_validate_keeps_what_the_schema_cannot_say_apart():
    report = {"format_version": 1, **report_of(("a", 1))}
    report["submissions"][0]["score"] = 0.5  # a number, as the schema wants: not the sum
    assert report_module.schema_problems(report) == []
    assert validate(report) == ["submissions[0].score is not the sum of its exercises' scores"]
    assert report_module.semantic_problems(report) == validate(report)
    # The format version: absent is version 1 (an older grader), newer is said to be.
    report = report_of(("a", 1))
    assert "format_version" not in report and validate(report) == []
    for version, says in ((2, "newer"), (0, "whole number"), (True, "whole number")):
        problems = validate({**report, "format_version": version})
        assert len(problems) == 1 and says in problems[0], problems
    assert validate([]) == ["the report is not a JSON object"]


def test_a_problem_is_one_bounded_printable_line():
    report = report_of(("a", 1))
    report["submissions"][0]["exercises"][0]["status"] = "\x1b[31m" + "x" * 100_000
    (problem,) = validate(report)
    assert problem.startswith("submissions[0].exercises[0].status: ")
    assert len(problem) <= 300 and "\x1b" not in problem


def test_merge_sorts_and_refuses_duplicates():
    merged = merge([("s1.json", report_of(("carol", 2))), ("s2.json", report_of(("alice", 1)))])
    assert [s["submission"] for s in merged["submissions"]] == ["alice", "carol"]
    assert merged["grader"]["merged_from"] == 2 and merged["grader"]["seed"] == 1
    shards = [("a", report_of(("x", 1), seed=1)), ("b", report_of(("y", 1), seed=2))]
    with pytest.raises(MergeError, match="different settings"):
        merge(shards)
    mixed = merge(shards, allow_mixed=True)
    assert mixed["grader"]["seed"] is None
    with pytest.raises(MergeError, match="in both"):
        merge([("a", report_of(("x", 1))), ("b", report_of(("x", 2)))])
    with pytest.raises(MergeError, match="not a grader report"):
        merge([("a", {"submissions": "none"})])


def test_cohort_summary():
    summary = cohort(report_of(("a", 2), ("b", 1), ("c", 0)))
    assert summary["mean"] == 1 and summary["submissions"] == 3
    (module,) = summary["modules"]
    assert (module["mean"], module["passed"]) == (1, 1)
    rates = {t["name"]: t["rate"] for t in summary["tests"]}
    assert rates == {"test_0": round(2 / 3, 4), "test_1": round(1 / 3, 4)}
    text = format_cohort(summary)
    assert "mean score 1 of 2" in text and "66.7%" in text


def test_private_test_files_find_their_module():
    assert module_of_private(Path("test_layers.py")) == "layers"
    assert module_of_private(Path("test_layers_extra.py")) == "layers"
    assert module_of_private(Path("layers/test_anything.py")) == "layers"
    assert module_of_private(Path("06_file_io/test_more.py")) == "file_io"
    assert module_of_private(Path("test_file_io_round_trip.py")) == "file_io"
    assert module_of_private(Path("test_misc.py")) is None


# ---------------------------------------------------------------- the command line


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["grade", "no/such/folder"], "no such file or folder"),
        (["grade", "solutions", "--shard", "0/3"], "numbered 1 to N"),
        (["grade", "solutions", "--shard", "two"], "is not I/N"),
        (["grade", "solutions", "--jobs", "0"], "not above 0"),
        (["grade", "solutions", "--jobs", "all"], "neither a number nor auto"),
        (["grade", "solutions", "--modules", "layers,nope"], "unknown module nope"),
        (["grade", "solutions", "--format", "pdf"], "invalid choice"),
        (["grade", "solutions", "exercises", "--format", "gradescope"], "give --output DIR"),
        (["grade", "solutions", "--kit", "/"], "no exercises/ folder"),
        (["grade", "solutions", "--tests", "no/such/dir"], "no such folder"),
        (["merge", "no/such/report.json"], "cannot be read"),
        (["frobnicate"], "unknown command"),
    ],
)
def test_bad_arguments_get_one_sentence_and_status_2(args, says):
    proc = cli(*args)
    assert proc.returncode == 2, proc.stderr
    assert says in proc.stderr
    assert "Traceback" not in proc.stderr


def test_merge_rejects_what_is_not_a_report(tmp_path):
    (tmp_path / "a.json").write_text("{not json")
    (tmp_path / "b.json").write_text(json.dumps({"submissions": []}))
    for name, says in (("a.json", "not JSON"), ("b.json", "not a grader report")):
        proc = cli("merge", str(tmp_path / name))
        assert proc.returncode == 2 and says in proc.stderr and "Traceback" not in proc.stderr


def test_learner_commands_answer_their_help():
    for command in ("hint", "watch"):
        proc = cli(command, "--help")
        assert proc.returncode == 0 and f"python -m grader {command}" in proc.stdout


def test_usage():
    assert cli().returncode == 2
    proc = cli("--help")
    assert proc.returncode == 0 and "grade SUBMISSION" in proc.stdout


def test_auto_jobs_is_one_worker_per_usable_core_as_memory_allows(monkeypatch, tmp_path):
    from grader.grading import engine

    no_cgroup = tmp_path / "no-cgroup"  # what the machine's own cgroup allows is not asked

    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(engine, "_available_memory", lambda *_: 64 << 30)
    assert engine.auto_jobs(no_cgroup) == 4
    monkeypatch.setattr(engine, "_available_memory", lambda *_: 3 << 30)  # a small runner
    assert engine.auto_jobs(no_cgroup) == 3
    monkeypatch.setattr(engine, "_available_memory", lambda *_: 100 << 20)
    assert engine.auto_jobs(no_cgroup) == 1  # never none
    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda pid: {5})
    monkeypatch.setattr(engine, "_available_memory", lambda *_: 64 << 30)
    assert engine.auto_jobs(no_cgroup) == 1


def test_jobs_defaults_to_auto():
    from grader import cli as grader_cli

    args = grader_cli.grade_parser().parse_args(["solutions"])
    assert args.jobs == "auto"
    assert grader_cli.grade_parser().parse_args(["solutions", "--jobs", "3"]).jobs == 3
