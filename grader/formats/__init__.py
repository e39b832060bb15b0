"""The grader's output formats: pure functions from the JSON report to text.

``render(fmt, report)`` turns the grader's fixed JSON report into one of ``FORMATS``:

* ``table``: the terminal table (``render_table(report, color=True)`` adds colour);
* ``json``: the report itself, indented, keys in a stable order;
* ``gradescope``: Gradescope's ``results.json``;
* ``classroom``: the base64 result GitHub Classroom's grading reporter reads;
* ``exercism``: Exercism's test runner ``results.json`` (interface version 3);
* ``junit``: JUnit XML, one test suite per module;
* ``csv``: a gradebook, one row per submission, one column per module.

``PER_SUBMISSION`` formats hold one submission per file: ``render`` raises
``ValueError`` for a report with any other number of submissions (the CLI writes one
file per submission). ``EXTENSION`` gives each format's file extension. The
Gradescope autograder bundle is built by :mod:`grader.formats.bundle`. How to use
each platform: docs/platforms.md.
"""

from __future__ import annotations

from collections.abc import Callable

from . import classroom, exercism, gradebook, gradescope, junit, report_json, table
from ._common import fix_surrogates, one_submission
from .table import render_table

FORMATS: tuple[str, ...] = ("table", "json", "gradescope", "classroom", "exercism", "junit", "csv")
PER_SUBMISSION: frozenset[str] = frozenset({"gradescope", "classroom", "exercism"})
EXTENSION: dict[str, str] = {
    "table": "txt",
    "json": "json",
    "gradescope": "json",
    "classroom": "txt",
    "exercism": "json",
    "junit": "xml",
    "csv": "csv",
}

_RENDERERS: dict[str, Callable[[dict], str]] = {
    "table": table.render,
    "json": report_json.render,
    "gradescope": gradescope.render,
    "classroom": classroom.render,
    "exercism": exercism.render,
    "junit": junit.render,
    "csv": gradebook.render,
}


def render(fmt: str, report: dict) -> str:
    """``report`` (the grader's JSON report) written in format ``fmt``.

    Raises ``ValueError`` for an unknown format, a report not of the fixed shape, or
    a one-submission format given a report with other than exactly one submission.
    """
    try:
        renderer = _RENDERERS[fmt]
    except (KeyError, TypeError):
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None
    if fmt in PER_SUBMISSION:
        one_submission(report, fmt)
    if fmt == "json":
        return renderer(report)  # the report itself, lossless
    return renderer(fix_surrogates(report))


__all__ = [
    "EXTENSION",
    "FORMATS",
    "PER_SUBMISSION",
    "render",
    "render_table",
]
