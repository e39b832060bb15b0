"""Exercism's test runner ``results.json``, version 3 of the interface.

Top level: ``version`` 3, ``status`` (``pass``: every test passed; ``fail``: some test
failed or errored; ``error``: no test ran at all, e.g. every module is unimportable),
``message`` (required with ``error``, else null) and ``tests`` in test-file order.
Per test: ``name``, ``status`` (``pass``/``fail``/``error``), ``message`` (why it did
not pass; null when it did), ``test_code`` and ``task_id``: the kit's tasks are its
exercises, numbered in teaching order as in the catalogue.

``test_code`` is what a learner can run to see the test (``pytest <file>::<test>``);
it is empty for instructor tests, and hidden instructor tests show neither their
name nor their message (``hidden test``). ``output`` (what the learner's own code
printed) is kept only where the report has it, cut to the 500 characters the
interface allows; messages are cut to the 65,535 bytes Exercism stores.
"""

from __future__ import annotations

import json

from ..catalog import BY_NAME, MODULE_NAMES
from ._common import (
    HIDDEN_MESSAGE,
    Entry,
    clean,
    entries,
    entry_title,
    kit_test_file,
    one_submission,
)

MESSAGE_BYTES = 65_535
OUTPUT_LIMIT = 500
OUTPUT_TRUNCATED = "Output was truncated. Please limit to 500 chars"


def _fit_bytes(text: str, limit: int = MESSAGE_BYTES) -> str:
    """``text`` shortened so its UTF-8 encoding has at most ``limit`` bytes."""
    text = clean(text, limit)
    if len(text.encode("utf-8")) <= limit:
        return text
    note = "\n... [truncated]"
    cut = text.encode("utf-8")[: limit - len(note)].decode("utf-8", "ignore")
    return cut + note


def _status(e: Entry) -> str:
    if e.passed:
        return "pass"
    return "error" if e.errored else "fail"


def _message(e: Entry) -> str | None:
    if e.kind == "test" and e.hidden:
        return None if e.passed else HIDDEN_MESSAGE
    if e.passed:
        return None
    if e.kind == "test" and e.status == "skipped":
        return _fit_bytes("skipped" + (f": {e.message}" if e.message else ""))
    if e.kind == "test" and e.status == "timeout" and not e.message:
        return "the test ran out of time"
    return _fit_bytes(e.message or f"{e.status}")


def _test_code(e: Entry) -> str:
    if e.kind != "test" or e.hidden or "visibility" in (e.test or {}):
        return ""  # instructor tests: learners have no code to run
    name = clean(e.name, 500)
    if "::" in name:
        return f"pytest {name}"
    where = kit_test_file(e.module)
    return f"pytest {where}::{name}" if where else ""


def _test(e: Entry) -> dict:
    test = {
        "name": clean(entry_title(e), 500),
        "status": _status(e),
        "message": _message(e),
        "test_code": _test_code(e),
    }
    printed = (e.test or {}).get("output")
    if printed and not e.hidden:
        text = clean(printed)
        if len(text) > OUTPUT_LIMIT:
            text = text[: OUTPUT_LIMIT - len(OUTPUT_TRUNCATED) - 1] + "\n" + OUTPUT_TRUNCATED
        test["output"] = text
    if e.module in BY_NAME:
        test["task_id"] = MODULE_NAMES.index(e.module) + 1
    return test


def results(report: dict) -> dict:
    """The ``results.json`` object for the report's single submission."""
    sub = one_submission(report, "exercism")
    listed = [e for e in entries(sub) if not e.unscored_skip]
    tests = [_test(e) for e in listed]
    if listed and all(e.kind == "module" and e.errored for e in listed):
        message = "\n".join(
            f"{e.module}: {e.status}: {clean(e.message, MESSAGE_BYTES)}" for e in listed
        )
        return {"version": 3, "status": "error", "message": _fit_bytes(message), "tests": tests}
    status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 3, "status": status, "message": None, "tests": tests}


def render(report: dict) -> str:
    return json.dumps(results(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
