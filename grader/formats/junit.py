"""JUnit XML, as CI servers read it (Jenkins, GitLab, GitHub test reporters, Azure).

One ``<testsuites>`` root; in it one ``<testsuite>`` per module of each submission,
named after the module (``submission/module`` when the report holds several
submissions). A failed test has a ``<failure>``, an errored or timed-out one an
``<error>``, a skipped one ``<skipped>``; a module that is missing, rejected, crashed
or timed out as a whole gets one more test case saying so.

The document is valid under Jenkins xUnit's ``junit-10.xsd``, and each ``<testsuite>``
under Maven Surefire's ``surefire-test-report.xsd`` (a Surefire file holds one suite).
So: no ``skipped`` on ``<testsuites>``; ``time`` on every suite and test case, with
at most three decimals; ``<properties>`` only on suites, before the test cases;
``<system-out>`` only inside test cases. Points go where both allow them: the suite's
properties hold ``score``, ``max_score``, ``status`` and ``message``; each test case's
``<system-out>`` holds its ``score``, ``max_score`` (and ``visibility`` for
instructor tests), one ``name: value`` a line.

Times are the report's: a test's ``duration_s`` and its module's. A report without
per-test times (from an older grader) shares the module's time evenly among its test
cases.

Text is cleaned for XML 1.0 (no ANSI escapes, no control characters, which XML cannot
hold even as character references) and cut to ``MESSAGE_LIMIT`` characters; the XML
library escapes ``<``, ``&``, quotes and ``]]>``. This is an instructor's format:
hidden tests appear with their messages.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..protocol import ExerciseStatus, TestStatus
from ._common import Entry, clean, clip, exercise_entries, exercises_of, fmt, num, submissions

MESSAGE_LIMIT = 64_000
ATTRIBUTE_LIMIT = 1_000
ROOT_NAME = "d2l-builders-kit grader"

# The statuses (a test's or a module's, grader/protocol.py) that are JUnit errors; the
# others but passed and skipped (failed, missing, rejected) are failures.
_ERROR = {TestStatus.ERROR, TestStatus.TIMEOUT, ExerciseStatus.CRASHED}


def _properties(parent: ET.Element, pairs: list[tuple[str, object]]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in pairs:
        text = fmt(value) if isinstance(value, (int, float)) else clean(value, ATTRIBUTE_LIMIT)
        ET.SubElement(props, "property", {"name": name, "value": text})


def seconds(value) -> str:
    """A time both schemas accept: digits, then at most three decimals."""
    x = float(num(value))
    return f"{max(x, 0.0):.3f}"


def _outcome(case: ET.Element, status: str, message: str, counts: dict) -> None:
    if status == TestStatus.PASSED:
        return
    if status == TestStatus.SKIPPED:
        tag = "skipped"
    elif status in _ERROR:
        tag = "error"
    else:
        tag = "failure"
    counts[tag] += 1
    attrs = {"message": clip(message, ATTRIBUTE_LIMIT) or status}
    if tag != "skipped":
        attrs["type"] = status
    node = ET.SubElement(case, tag, attrs)
    text = clean(message, MESSAGE_LIMIT)
    if text:
        node.text = text


def _case(suite: ET.Element, classname: str, e: Entry, time: float, counts: dict) -> None:
    counts["tests"] += 1
    if e.kind == "module":
        name = f"{e.module}: {e.status}"
        status = TestStatus.PASSED if e.passed else e.status
        points = [("score", e.score), ("max_score", e.max_score), ("status", e.status)]
    else:
        t = e.test or {}
        name = e.name
        status = e.status
        points = [("score", num(t.get("score", 0))), ("max_score", num(t.get("max_score", 0)))]
        if "visibility" in t:
            points.append(("visibility", e.visibility))
    case = ET.SubElement(
        suite,
        "testcase",
        {"name": clean(name, ATTRIBUTE_LIMIT), "classname": classname, "time": seconds(time)},
    )
    _outcome(case, status, e.message, counts)
    out = ET.SubElement(case, "system-out")
    out.text = "\n".join(
        f"{k}: {fmt(v) if isinstance(v, (int, float)) else clean(v, ATTRIBUTE_LIMIT)}"
        for k, v in points
    )


def _times(ex: dict, cases: list[Entry]) -> tuple[float, list[float]]:
    """The module's time and each case's: the report's, else the module's shared evenly."""
    total = max(float(num(ex.get("duration_s", 0))), 0.0)
    own = [(e.test or {}).get("duration_s") for e in cases]
    if any(d is not None for d in own):
        times = [max(float(num(d)), 0.0) if d is not None else 0.0 for d in own]
        return max(total, sum(times)), times
    return total, [total / len(cases)] * len(cases) if cases else []


def render(report: dict) -> str:
    subs = submissions(report)
    grader = report.get("grader") if isinstance(report.get("grader"), dict) else {}
    root = ET.Element("testsuites", {"name": ROOT_NAME})
    totals = {"tests": 0, "failure": 0, "error": 0, "skipped": 0}
    time = 0.0
    for sub in subs:
        name = clean(sub.get("submission", ""), ATTRIBUTE_LIMIT)
        time += max(float(num(sub.get("duration_s", 0))), 0.0)
        for position, ex in enumerate(exercises_of(sub)):
            module = str(ex.get("module", ""))
            suite_name = clean(f"{name}/{module}" if len(subs) > 1 else module, ATTRIBUTE_LIMIT)
            suite = ET.SubElement(root, "testsuite", {"name": suite_name})
            cases = list(exercise_entries(ex, position))
            suite_time, case_times = _times(ex, cases)
            pairs = [
                ("score", num(ex.get("score", 0))),
                ("max_score", num(ex.get("max_score", 0))),
                ("status", str(ex.get("status", ""))),
                ("message", clip(ex.get("message") or "", ATTRIBUTE_LIMIT)),
                ("submission", name),
            ]
            pairs += [(f"grader.{k}", v) for k, v in grader.items() if isinstance(v, (str, int))]
            _properties(suite, pairs)
            counts = {"tests": 0, "failure": 0, "error": 0, "skipped": 0}
            for e, case_time in zip(cases, case_times, strict=True):
                _case(suite, suite_name, e, case_time, counts)
            suite.set("tests", str(counts["tests"]))
            suite.set("failures", str(counts["failure"]))
            suite.set("errors", str(counts["error"]))
            suite.set("skipped", str(counts["skipped"]))
            suite.set("time", seconds(suite_time))
            for k in totals:
                totals[k] += counts[k]
    # junit-10.xsd allows no "skipped" on <testsuites>: the suites carry it.
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failure"]))
    root.set("errors", str(totals["error"]))
    root.set("time", seconds(time))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
