"""GitHub Classroom: the base64 result that ``autograding-grading-reporter`` reads.

GitHub Classroom's grader actions (``autograding-command-grader``, ``-io-grader``,
``-python-grader``) each set a step output named ``result``: base64 of a JSON object
``{"version": 1, "status": "pass|fail|error", "max_score": N, "tests": [...]}``. The
reporter step gets it in an environment variable ``<STEP-ID>_RESULTS``, decodes it,
prints every test (``pass`` gets a tick, anything else a cross and its ``message``),
and reports to Classroom the sum of the tests' ``score`` out of ``max_score``. So:

* the tests' scores add up exactly to the submission's score (see ``entries``);
* ``tests`` is always an array (a submission with no module file still has entries);
* hidden and after-the-due-date instructor tests are shown by number only, with the
  message ``hidden test``;
* the encoded result stays well under the 128 KiB a single environment variable may
  hold on Linux: messages are shortened until it fits.

``render`` returns the base64 text (no newline); a workflow step writes it as
``result=<text>`` to ``$GITHUB_OUTPUT`` (see docs/classroom-workflow.yml).
"""

from __future__ import annotations

import base64
import json

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


def _status(e: Entry) -> str:
    if e.passed:
        return "pass"
    return "error" if e.errored else "fail"


def _message(e: Entry, limit: int) -> str:
    if e.kind == "test" and e.hidden:
        return HIDDEN_MESSAGE
    if e.kind == "test" and e.status == "skipped":
        return clean("skipped" + (f": {e.message}" if e.message else ""), limit)
    if e.passed and e.kind == "test":
        return ""
    return clean(e.message, limit)


def _test(e: Entry, limit: int) -> dict:
    visible_kit_test = e.kind == "test" and not e.hidden and "visibility" not in (e.test or {})
    return {
        "name": clean(entry_title(e), 300),
        "status": _status(e),
        "score": num(e.score),
        "max_score": num(e.max_score),
        "message": _message(e, limit),
        "test_code": "",
        "filename": kit_test_file(e.module) if visible_kit_test else "",
        "line_no": 0,
        "execution_time": 0,
    }


def result(report: dict, message_limit: int = MESSAGE_LIMITS[0]) -> dict:
    """The result object (before base64) for the report's single submission."""
    sub = one_submission(report, "classroom")
    listed = [e for e in entries(sub) if not e.unscored_skip]
    tests = [_test(e, message_limit) for e in listed]
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
        t["message"] = ""
        t["name"] = t["name"][:80]
    return _encode(obj)
