"""The grader's JSON report itself, indented, its keys in a stable order.

Known keys come in the order the report's specification lists them; any other key
(``visibility`` of a test, ``seed`` or ``hidden_tests`` of the grader section, ...)
follows, sorted. Non-ASCII text (Chinese messages) is written as is; only a report
holding lone surrogates, which UTF-8 cannot encode, is written with ASCII escapes so
that nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._common import submissions

ORDER = {
    "report": ("format_version", "submissions", "grader"),
    "submission": ("submission", "score", "max_score", "duration_s", "graded_with", "exercises"),
    "exercise": ("module", "score", "max_score", "status", "message", "tests"),
    "test": ("name", "status", "score", "max_score", "message", "visibility", "task"),
    "grader": ("version", "torch", "hypothesis_profile", "seed", "hidden_tests"),
}

_CHILDREN = {
    ("report", "submissions"): "submission",
    ("report", "grader"): "grader",
    ("submission", "exercises"): "exercise",
    ("exercise", "tests"): "test",
}


def _ordered(value: Any, kind: str) -> Any:
    if not isinstance(value, Mapping):
        return value
    known = ORDER[kind]
    keys = [k for k in known if k in value]
    keys += sorted((k for k in value if k not in known), key=str)
    out = {}
    for k in keys:
        child = _CHILDREN.get((kind, k))
        v = value[k]
        if child and isinstance(v, list):
            out[k] = [_ordered(item, child) for item in v]
        elif child:
            out[k] = _ordered(v, child)
        else:
            out[k] = v
    return out


def canonical(report: dict) -> dict:
    """The report with its keys in the stable order (values untouched)."""
    submissions(report)  # shape check
    return _ordered(report, "report")


def render(report: dict) -> str:
    data = canonical(report)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, indent=2, ensure_ascii=True)
    return text + "\n"
