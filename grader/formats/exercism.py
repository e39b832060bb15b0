"""Exercism's test runner ``results.json``, version 3 of the interface.

Top level: ``version`` 3, ``status`` (``pass``: every test passed; ``fail``: some test
failed or errored; ``error``: no test could run, e.g. the module does not import, has
a syntax error, is missing or was rejected), ``message`` (required with ``error``,
else null) and ``tests`` in test-file order. Per test: ``name``, ``status``
(``pass``/``fail``/``error``), ``message`` (why it did not pass; null when it did),
``test_code`` and ``task_id``.

Tasks: an exercise's tasks are the items its contract asks for, in the catalogue's
order (the layers exercise: 1 ``CenteredLayer``, 2 ``MyLinear``). A test links to a
task only when it checks exactly one item (the report's ``task``, see
grader/tasks.py); the interface asks for no link rather than a doubtful one. When a
report holds several exercises, their tasks are numbered on (the second exercise's
first task follows the first exercise's last).

``test_code`` is what a learner can run to see the test (``pytest <file>::<test>``);
it is empty for instructor tests, and hidden instructor tests show neither their
name nor their message (``hidden test``). ``output`` (what the learner's own code
printed) is kept only where the report has it, cut to the 500 characters the
interface allows; messages are cut to the 65,535 bytes Exercism stores.

:func:`error_results` is the file for a run that could not grade at all (bad
arguments, no kit): the interface wants ``results.json`` written whatever happens.
"""

from __future__ import annotations

import json

from ..catalog import BY_NAME
from ..protocol import ExerciseStatus, TestStatus
from ..tasks import task_number, task_of
from ._common import (
    HIDDEN_MESSAGE,
    Entry,
    clean,
    entry_title,
    exercise_entries,
    exercises_of,
    kit_test_file,
    module_message,
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
    if e.kind == "test" and e.status == TestStatus.SKIPPED:
        return _fit_bytes("skipped" + (f": {e.message}" if e.message else ""))
    if e.kind == "test" and e.status == TestStatus.TIMEOUT and not e.message:
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


def _task(e: Entry) -> str | None:
    """The contract item a test checks: the report says, else its name may tell."""
    if e.kind != "test":
        return None
    given = (e.test or {}).get("task")
    if isinstance(given, str):
        return given
    if "task" in (e.test or {}) or e.hidden:
        return None
    return task_of(e.module, e.name)


def _test(e: Entry, offset: int) -> dict:
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
    number = task_number(e.module, _task(e))
    if number is not None:
        test["task_id"] = offset + number
    return test


def _not_run(ex) -> bool:
    """The module's tests could not run: it does not import (a syntax error), broke the
    grader's rules, is missing or rejected; or it crashed or ran out of time before any
    test passed or failed."""
    status = str(ex.get("status"))
    if status in (ExerciseStatus.ERROR, ExerciseStatus.MISSING, ExerciseStatus.REJECTED):
        return True
    ran = any(
        t.get("status") in (TestStatus.PASSED, TestStatus.FAILED) for t in ex.get("tests") or []
    )
    return status in (ExerciseStatus.CRASHED, ExerciseStatus.TIMEOUT) and not ran


def results(report: dict) -> dict:
    """The ``results.json`` object for the report's single submission."""
    sub = one_submission(report, "exercism")
    exercises = exercises_of(sub)
    tests, offset = [], 0
    for position, ex in enumerate(exercises):
        module = str(ex.get("module", ""))
        listed = [e for e in exercise_entries(ex, position) if not e.unscored_skip]
        tests += [_test(e, offset) for e in listed]
        offset += len(BY_NAME[module].items) if module in BY_NAME else 0
    if not exercises:
        return error_results("nothing was graded: the submission was given no exercise")
    if all(_not_run(ex) for ex in exercises):
        message = "\n".join(
            f"{ex.get('module')}: {clean(module_message(ex), MESSAGE_BYTES)}" for ex in exercises
        )
        return {"version": 3, "status": "error", "message": _fit_bytes(message), "tests": tests}
    status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 3, "status": status, "message": None, "tests": tests}


def error_results(message: str) -> dict:
    """``results.json`` for a run that graded nothing: status ``error`` and why."""
    text = _fit_bytes(message.strip() or "the grader could not run")
    return {"version": 3, "status": "error", "message": text, "tests": []}


def render(report: dict) -> str:
    return json.dumps(results(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_error(message: str) -> str:
    return json.dumps(error_results(message), indent=2, ensure_ascii=False) + "\n"
