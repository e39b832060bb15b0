"""JUnit XML, as CI servers read it (Jenkins, GitLab, GitHub test reporters, Azure).

One ``<testsuites>`` root; in it one ``<testsuite>`` per module of each submission,
named after the module (``submission/module`` when the report holds several
submissions). Points are properties: ``score``, ``max_score`` and ``status`` on every
suite, ``score``, ``max_score`` (and ``visibility`` for instructor tests) on every
test case. A failed test has a ``<failure>``, an errored or timed-out one an
``<error>``, a skipped one ``<skipped>``; a module that is missing, rejected, crashed
or timed out as a whole gets one more test case saying so.

Text is cleaned for XML 1.0 (no ANSI escapes, no control characters, which XML cannot
hold even as character references) and cut to ``MESSAGE_LIMIT`` characters; the XML
library escapes ``<``, ``&``, quotes and ``]]>``. This is an instructor's format:
hidden tests appear with their messages.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ._common import Entry, clean, clip, exercise_entries, exercises_of, fmt, num, submissions

MESSAGE_LIMIT = 64_000
ATTRIBUTE_LIMIT = 1_000
ROOT_NAME = "d2l-builders-kit grader"

_FAILURE = {"failed": "failure", "missing": "failure", "rejected": "failure"}
_ERROR = {"error", "timeout", "crashed"}


def _properties(parent: ET.Element, pairs: list[tuple[str, object]]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in pairs:
        text = fmt(value) if isinstance(value, (int, float)) else clean(value, ATTRIBUTE_LIMIT)
        ET.SubElement(props, "property", {"name": name, "value": text})


def _outcome(case: ET.Element, status: str, message: str, counts: dict) -> None:
    if status == "passed":
        return
    if status == "skipped":
        tag = "skipped"
    elif status in _ERROR:
        tag = "error"
    else:
        tag = _FAILURE.get(status, "failure")
    counts[tag] += 1
    attrs = {"message": clip(message, ATTRIBUTE_LIMIT) or status}
    if tag != "skipped":
        attrs["type"] = status
    node = ET.SubElement(case, tag, attrs)
    text = clean(message, MESSAGE_LIMIT)
    if text:
        node.text = text


def _case(suite: ET.Element, classname: str, e: Entry, counts: dict) -> None:
    counts["tests"] += 1
    if e.kind == "module":
        name = f"{e.module}: {e.status}"
        status = "passed" if e.passed else e.status
        points = [("score", e.score), ("max_score", e.max_score), ("status", e.status)]
    else:
        t = e.test or {}
        name = e.name
        status = e.status
        points = [("score", num(t.get("score", 0))), ("max_score", num(t.get("max_score", 0)))]
        if "visibility" in t:
            points.append(("visibility", e.visibility))
    case = ET.SubElement(
        suite, "testcase", {"name": clean(name, ATTRIBUTE_LIMIT), "classname": classname}
    )
    if "duration_s" in (e.test or {}):
        case.set("time", fmt(e.test["duration_s"]))
    _properties(case, points)
    _outcome(case, status, e.message, counts)


def render(report: dict) -> str:
    subs = submissions(report)
    grader = report.get("grader") if isinstance(report.get("grader"), dict) else {}
    root = ET.Element("testsuites", {"name": ROOT_NAME})
    totals = {"tests": 0, "failure": 0, "error": 0, "skipped": 0}
    time = 0.0
    for sub in subs:
        name = clean(sub.get("submission", ""), ATTRIBUTE_LIMIT)
        time += float(num(sub.get("duration_s", 0)))
        for position, ex in enumerate(exercises_of(sub)):
            module = str(ex.get("module", ""))
            suite_name = f"{name}/{module}" if len(subs) > 1 else module
            suite = ET.SubElement(root, "testsuite", {"name": clean(suite_name, ATTRIBUTE_LIMIT)})
            pairs = [
                ("score", num(ex.get("score", 0))),
                ("max_score", num(ex.get("max_score", 0))),
                ("status", str(ex.get("status", ""))),
                ("submission", name),
            ]
            pairs += [(f"grader.{k}", v) for k, v in grader.items() if isinstance(v, (str, int))]
            _properties(suite, pairs)
            counts = {"tests": 0, "failure": 0, "error": 0, "skipped": 0}
            said = False
            for e in exercise_entries(ex, position):
                _case(suite, clean(suite_name, ATTRIBUTE_LIMIT), e, counts)
                said = said or e.kind == "module"
            message = clean(ex.get("message") or "", MESSAGE_LIMIT)
            if message and not said:
                ET.SubElement(suite, "system-out").text = message
            suite.set("tests", str(counts["tests"]))
            suite.set("failures", str(counts["failure"]))
            suite.set("errors", str(counts["error"]))
            suite.set("skipped", str(counts["skipped"]))
            suite.set("time", fmt(ex.get("duration_s", 0)))
            for k in totals:
                totals[k] += counts[k]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failure"]))
    root.set("errors", str(totals["error"]))
    root.set("skipped", str(totals["skipped"]))
    root.set("time", fmt(time))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
