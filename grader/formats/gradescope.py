"""Gradescope's ``results.json`` (autograder specification, "Output format").

One test case per test of the report, named ``module: test``, numbered ``M.T`` (module
``M`` of the catalogue, its ``T``-th test), with ``score``, ``max_score``, ``status``
(``passed``/``failed``), ``output`` and ``visibility``; one more case per module whose
state needs saying as a whole (missing, crashed, timed out, points its tests do not
cover), numbered ``M.0``. The top-level ``score`` is the submission's score, which
overrides the sum of the cases; ``execution_time`` is in seconds.

Instructor tests keep their visibility (``hidden``: never shown to learners,
``after_due_date``); their output is there for instructors, as Gradescope always
shows every case to them. All text is plain (``output_format``/``*_format``: ``text``)
so HTML in a learner's message is shown, never rendered.
"""

from __future__ import annotations

import json

from ..protocol import TestStatus
from ._common import Entry, clean, entries, entry_title, exercises_of, num, one_submission, tests_of

# Gradescope places outputs in a collapsed <pre>; keep the file small enough to upload.
OUTPUT_LIMIT = 20_000
SUMMARY_LIMIT = 20_000
NAME_LIMIT = 500


def _output(e: Entry) -> str:
    if e.kind == "module":
        return clean(e.message, OUTPUT_LIMIT)
    if e.status == TestStatus.SKIPPED:
        text = "skipped" + (f": {e.message}" if e.message else "")
    elif e.status == TestStatus.TIMEOUT:
        text = "timed out" + (f": {e.message}" if e.message else "")
    else:
        text = e.message
    return clean(text, OUTPUT_LIMIT)


def _case(e: Entry) -> dict:
    case = {
        "name": clean(entry_title(e, learner=False), NAME_LIMIT),
        "number": e.number,
        "score": num(e.score),
        "max_score": num(e.max_score),
        "status": "passed" if e.passed else "failed",
        "output": _output(e),
        "tags": [e.module],
        "visibility": e.visibility,
    }
    return case


def _summary(sub: dict, cases: list[Entry]) -> str:
    lines = []
    for e in cases:
        if e.kind == "module" and not e.passed:
            lines.append(f"{e.module}: {e.status}: {clean(e.message, 2_000)}")
    counts = {"hidden": 0, "after_due_date": 0}
    for ex in exercises_of(sub):
        for t in tests_of(ex):
            if t.get("visibility") in counts:
                counts[t["visibility"]] += 1
    if counts["hidden"]:
        n = counts["hidden"]
        lines.append(f"{n} hidden test{'s' if n != 1 else ''} ran; their results are not shown.")
    if counts["after_due_date"]:
        n = counts["after_due_date"]
        lines.append(
            f"{n} more test{'s' if n != 1 else ''} ran; their results appear after the due date."
        )
    return clean("\n".join(lines), SUMMARY_LIMIT)


def results(report: dict) -> dict:
    """The ``results.json`` object for the report's single submission."""
    sub = one_submission(report, "gradescope")
    cases = list(entries(sub))
    out = {
        "score": num(sub.get("score", 0)),
        "execution_time": num(sub.get("duration_s", 0)),
        "output": _summary(sub, cases),
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "tests": [_case(e) for e in cases],
    }
    grader = report.get("grader")
    extra = {"submission": clean(sub.get("submission", ""), 1_000)}
    if isinstance(grader, dict):
        extra["grader"] = {
            clean(k, 100): clean(v, 1_000) if isinstance(v, str) else num(v)
            for k, v in grader.items()
            if isinstance(v, (str, int, float))
        }
    out["extra_data"] = extra
    return out


def render(report: dict) -> str:
    return json.dumps(results(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
