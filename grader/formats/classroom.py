"""GitHub Classroom: the base64 result that ``autograding-grading-reporter`` reads.

GitHub Classroom's grader actions (``autograding-command-grader``, ``-io-grader``,
``-python-grader``) each set a step output named ``result``: base64 of a JSON object
``{"version": 1, "status": "pass|fail|error", "max_score": N, "tests": [...]}``. The
reporter step gets it in an environment variable ``<STEP-ID>_RESULTS`` and decodes it.
What it does with it decides this layout:

* It prints one log line per test. A ``pass`` prints ``✅ name``; an ``error`` prints
  ``Error: message`` (not the name); anything else prints ``❌ name`` (not the
  message). Any test with a ``test_code`` also prints ``Test code:`` and that text.
  So a row that did not pass carries its reason in the printed field: in ``name``
  (``❌``) or in ``message``, which then starts with the test's name (``Error:``).
  Reasons go on indented lines under the name. A failed kit test's ``test_code`` is
  the command that runs it locally.
* It reports ``Points S/M`` to Classroom, with S the sum of the tests' ``score`` and
  M the result's ``max_score``. But its log's own total is
  ``tests passed / tests × max_score``. Both agree only if every row is worth the
  same. So a test worth 3 points is listed as 3 rows of 1 point
  (``name (part 1 of 3)``...). The unit is the largest that divides every score,
  usually 1 point. A module's note worth no points of its own (e.g. "the module ran
  out of time") goes under its first row that did not pass. Tests worth no points are
  not listed. Only when that would take over ``ROW_LIMIT`` rows does each test get
  one row; the two totals may then differ, and Classroom's points are the kit's.
* Hidden and after-the-due-date instructor tests are shown by number only, with the
  reason ``hidden test``.
* ``tests`` is always an array (a submission with no module file still has rows).
* The encoded result stays well under the 128 KiB a single environment variable may
  hold on Linux: reasons are shortened until it fits.

``render`` returns the base64 text (no newline); a workflow step writes it as
``result=<text>`` to ``$GITHUB_OUTPUT`` (see docs/classroom-workflow.yml).
"""

from __future__ import annotations

import base64
import json
import math
from fractions import Fraction

from ..protocol import TestStatus
from ._common import (
    HIDDEN_MESSAGE,
    Entry,
    clean,
    entries,
    entry_title,
    kit_test_file,
    num,
    one_submission,
)

# Linux refuses an environment string over 128 KiB (MAX_ARG_STRLEN); the reporter reads
# the result from one. Leave room for the variable's name.
ENCODED_LIMIT = 120_000
MESSAGE_LIMITS = (4_000, 1_000, 200, 40)
# More rows than this (a unit of a thousandth of a point, say) and each test gets one row.
ROW_LIMIT = 2_000
INDENT = "   "
# A reason for a test whose message is empty.
_SAID = {
    TestStatus.FAILED: "the test failed",
    TestStatus.ERROR: "the test raised an error",
    TestStatus.TIMEOUT: "the test ran past its time limit",
}


def _status(e: Entry) -> str:
    if e.passed:
        return "pass"
    return "error" if e.errored else "fail"


def _reason(e: Entry, limit: int) -> str:
    """Why ``e`` did not pass (empty for a pass), cleaned and cut to ``limit``."""
    if e.kind == "test" and e.hidden:
        return HIDDEN_MESSAGE
    if e.kind == "test" and e.status == TestStatus.SKIPPED:
        return clean("skipped" + (f": {e.message}" if e.message else ""), limit)
    if e.passed and e.kind == "test":
        return ""
    return clean(e.message, limit).strip() or _SAID.get(e.status, e.status)


def _indented(text: str) -> str:
    return "\n".join(INDENT + line for line in text.split("\n"))


def _visible_kit_test(e: Entry) -> bool:
    return e.kind == "test" and not e.hidden and "visibility" not in (e.test or {})


def _row(
    title: str, status: str, score, max_score, notes: list[str], e: Entry, first: bool
) -> dict:
    """One row as the reporter prints it (see the module's docstring)."""
    text = title + "".join("\n" + _indented(n) for n in notes if n)
    code = ""
    if first and status != "pass" and _visible_kit_test(e) and kit_test_file(e.module):
        code = f"pytest {kit_test_file(e.module)}::{clean(e.name, 300)}"
    duration = (e.test or {}).get("duration_s", 0) if first else 0
    return {
        "name": text,
        "status": status,
        "score": num(score),
        "max_score": num(max_score),
        "message": "" if status == "pass" else text,
        "test_code": code,
        "filename": kit_test_file(e.module) if _visible_kit_test(e) else "",
        "line_no": 0,  # the reporter appends " - line N" to the name unless it is 0
        "execution_time": num(duration),
    }


def _fraction(value) -> Fraction:
    return Fraction(str(num(value)))


def _unit(listed: list[Entry]) -> Fraction | None:
    """The largest amount that divides every score and maximum (None: no points at all)."""
    values = [_fraction(v) for e in listed for v in (e.score, e.max_score)]
    values = [v for v in values if v > 0]
    if not values:
        return None
    denominator = math.lcm(*(v.denominator for v in values))
    return Fraction(math.gcd(*(int(v * denominator) for v in values)), denominator)


def _one_row_each(listed: list[Entry], limit: int) -> list[dict]:
    rows = []
    for e in listed:
        title = clean(entry_title(e), 300)
        status = _status(e)
        notes = [] if status == "pass" else [_reason(e, limit)]
        rows.append(_row(title, status, e.score, e.max_score, notes, e, first=True))
    return rows


def _unit_rows(listed: list[Entry], unit: Fraction, limit: int) -> list[dict]:
    """Rows worth ``unit`` each; notes worth nothing go under their module's rows."""
    rows: list[dict] = []
    by_module: dict[str, list[int]] = {}  # module -> indices of its rows
    orphans: list[tuple[str, str]] = []  # (module, note) of entries worth nothing
    for e in listed:
        title = clean(entry_title(e), 300)
        status = _status(e)
        count = int(_fraction(e.max_score) / unit)
        if count == 0:
            if status != "pass":
                reason = _reason(e, limit)
                orphans.append((e.module, title + (f": {reason}" if reason else "")))
            continue
        passed = int(_fraction(e.score) / unit)
        for i in range(count):
            part = f"{title} (part {i + 1} of {count})" if count > 1 else title
            if i < passed:
                row_status = "pass"
            else:
                row_status = "fail" if status == "pass" else status
            notes = [_reason(e, limit)] if row_status != "pass" and i == passed else []
            score = unit if row_status == "pass" else 0
            rows.append(_row(part, row_status, score, unit, notes, e, first=i == 0))
            by_module.setdefault(e.module, []).append(len(rows) - 1)
    for module, note in orphans:
        mine = by_module.get(module) or list(range(len(rows)))
        target = next((i for i in mine if rows[i]["status"] != "pass"), mine[0])
        row = rows[target]
        row["name"] += "\n" + _indented(note)
        if row["status"] != "pass":
            row["message"] = row["name"]
    return rows


def result(report: dict, message_limit: int = MESSAGE_LIMITS[0]) -> dict:
    """The result object (before base64) for the report's single submission."""
    sub = one_submission(report, "classroom")
    listed = [e for e in entries(sub) if not e.unscored_skip]
    unit = _unit(listed)
    total = sum(_fraction(e.max_score) for e in listed)
    if unit is not None and 0 < total and total / unit <= ROW_LIMIT:
        tests = _unit_rows(listed, unit, message_limit)
    else:
        tests = _one_row_each(listed, message_limit)
    if all(t["status"] == "pass" for t in tests):
        status = "pass"
    elif all(e.kind == "module" and e.errored for e in listed):
        status = "error"  # nothing ran at all
    else:
        status = "fail"
    return {
        "version": 1,
        "status": status,
        "max_score": num(sub.get("max_score", 0)),
        "tests": tests,
    }


def _encode(obj: dict) -> str:
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def render(report: dict) -> str:
    encoded = ""
    for limit in MESSAGE_LIMITS:
        encoded = _encode(result(report, limit))
        if len(encoded) <= ENCODED_LIMIT:
            return encoded
    # Still too long (thousands of tests): keep names, scores and statuses only.
    obj = result(report, 0)
    for t in obj["tests"]:
        t["name"] = t["name"].split("\n", 1)[0][:80]
        t["message"] = t["name"] if t["status"] != "pass" else ""
        t["test_code"] = ""
        t["filename"] = ""
    return _encode(obj)
