"""What the renderers share: reading the report, cleaning hostile text, scoring entries.

The report is the grader's fixed JSON report (see ``grader/formats/__init__.py``). Every
renderer is a pure function of it; this module holds the pieces that more than one
format needs:

* :func:`submissions` / :func:`one_submission`: the submissions, checked for shape.
* :func:`clean` / :func:`clip`: text that is safe to show (no ANSI escapes, no control
  characters, no lone surrogates) and of bounded length.
* :func:`entries`: one learner-facing entry per test, plus one per module where the
  module as a whole needs saying (missing, crashed, timed out, points not covered by
  its tests), with scores allocated so that the entries of a module add up exactly to
  the module's score.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .. import protocol
from ..catalog import BY_NAME, MODULE_NAMES
from ..protocol import ExerciseStatus, TestStatus

# The report's statuses: grader/protocol.py (ExerciseStatus, TestStatus).
VISIBILITIES = ("visible", "hidden", "after_due_date")

# A learner-facing format shows neither the message nor the name of these tests.
HIDDEN = frozenset({"hidden", "after_due_date"})

HIDDEN_MESSAGE = "hidden test"

_EPS = 1e-9

# Lone surrogates: JSON encoders refuse them (fix_surrogates).
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: Any, limit: int | None = None) -> str:
    """Text safe for a learner's screen, a JSON file or XML, cut to ``limit`` characters
    when one is given: :func:`grader.protocol.clean` in its display style."""
    return protocol.clean(text, limit, display=True)


def clip(text: Any, width: int) -> str:
    """One line of at most ``width`` characters (first line of ``text``, cleaned)."""
    line = clean(text, limit=width * 4).strip().split("\n", 1)[0]
    if len(line) > width:
        line = line[: max(width - 3, 0)] + "..."
    return line


def fix_surrogates(value: Any) -> Any:
    """``value`` with lone surrogates in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _has_surrogate(value) else value
    if isinstance(value, Mapping):
        return {fix_surrogates(k): fix_surrogates(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [fix_surrogates(v) for v in value]
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def num(value: Any) -> float | int:
    """A finite JSON number: ints stay ints, integral floats become ints, junk becomes 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        x = float(value)
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(x):
        return 0
    if x.is_integer() and abs(x) < 2**53:
        return int(x)
    return round(x, 6)


def fmt(value: Any) -> str:
    """A score for people: ``20``, ``2.5``, ``0.33``."""
    x = num(value)
    if isinstance(x, int):
        return str(x)
    return f"{x:.2f}".rstrip("0").rstrip(".")


# --- the report -------------------------------------------------------------------------


def submissions(report: Any) -> list[dict]:
    """The report's submissions; ``ValueError`` when the report is not of the fixed shape."""
    if not isinstance(report, Mapping):
        raise ValueError("a grader report is a JSON object with a 'submissions' list")
    subs = report.get("submissions")
    if not isinstance(subs, list):
        raise ValueError("a grader report needs a 'submissions' list")
    for i, sub in enumerate(subs):
        if not isinstance(sub, Mapping):
            raise ValueError(f"submission {i} of the report is not an object")
        exercises = sub.get("exercises", [])
        if not isinstance(exercises, list) or not all(isinstance(e, Mapping) for e in exercises):
            raise ValueError(f"submission {i}: 'exercises' must be a list of objects")
        for ex in exercises:
            tests = ex.get("tests", [])
            if not isinstance(tests, list) or not all(isinstance(t, Mapping) for t in tests):
                raise ValueError(f"submission {i}: 'tests' of {ex.get('module')!r} must be a list")
    return list(subs)


def one_submission(report: Any, fmt_name: str) -> dict:
    """The single submission of a report for a one-submission format, else ``ValueError``."""
    subs = submissions(report)
    if len(subs) != 1:
        raise ValueError(
            f"the {fmt_name} format holds exactly one submission; this report has {len(subs)} "
            "(write one file per submission)"
        )
    return subs[0]


def exercises_of(sub: Mapping) -> list[dict]:
    return list(sub.get("exercises") or [])


def tests_of(ex: Mapping) -> list[dict]:
    return list(ex.get("tests") or [])


def module_order(names: list[str]) -> list[str]:
    """``names`` (deduplicated): the catalogue's modules in teaching order, then the others
    in the order they first appear."""
    seen = set(names)
    known = [m for m in MODULE_NAMES if m in seen]
    extra: list[str] = []
    for n in names:
        if n not in BY_NAME and n not in extra:
            extra.append(n)
    return known + extra


def module_number(module: str, position: int) -> int:
    """1-based number of a module: its place in the catalogue, else after the catalogue."""
    if module in BY_NAME:
        return MODULE_NAMES.index(module) + 1
    return len(MODULE_NAMES) + position + 1


def visibility(test: Mapping) -> str:
    v = test.get("visibility", "visible")
    return v if v in VISIBILITIES else "visible"


def is_hidden(test: Mapping) -> bool:
    return visibility(test) in HIDDEN


def hidden_count(sub: Mapping) -> int:
    return sum(is_hidden(t) for ex in exercises_of(sub) for t in tests_of(ex))


# --- learner-facing entries --------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a learner-facing result: a test, or a module as a whole."""

    module: str
    number: str  # "3.2": module 3, its 2nd test; "3.0": the module itself
    name: str  # the test's name (empty for a module entry)
    kind: str  # "test" or "module"
    status: str  # a test status of the report, or the module's status for a module entry
    score: float | int
    max_score: float | int
    message: str  # raw (uncleaned)
    visibility: str
    index: int  # 1-based place of a test in its module (0 for a module entry)
    test: Mapping | None = None

    @property
    def hidden(self) -> bool:
        return self.visibility in HIDDEN

    @property
    def passed(self) -> bool:
        """Counts as passed for a pass/fail platform."""
        if self.kind == "module":
            return self.status == ExerciseStatus.PASSED and self.score >= self.max_score - _EPS
        if self.status == TestStatus.PASSED:
            return True
        # A skipped test with no points at stake (e.g. needs CUDA) does not fail anyone.
        return self.status == TestStatus.SKIPPED and num(self.max_score) == 0

    @property
    def errored(self) -> bool:
        """An error rather than a failure (the code could not run to an answer)."""
        if self.kind == "module":
            return self.status in _MODULE_ERRORS
        return self.status in (TestStatus.ERROR, TestStatus.TIMEOUT)

    @property
    def unscored_skip(self) -> bool:
        return (
            self.kind == "test" and self.status == TestStatus.SKIPPED and num(self.max_score) == 0
        )


_MODULE_ERRORS = (ExerciseStatus.ERROR, ExerciseStatus.TIMEOUT, ExerciseStatus.CRASHED)

MODULE_EXPLANATIONS = {
    ExerciseStatus.PASSED: "every test passed",
    ExerciseStatus.FAILED: "some tests failed",
    ExerciseStatus.ERROR: "the tests of this module could not run",
    ExerciseStatus.TIMEOUT: "the module ran out of time",
    ExerciseStatus.CRASHED: "the test process crashed",
    ExerciseStatus.MISSING: "the module file was not found in the submission",
    ExerciseStatus.REJECTED: "the module file was rejected",
}


def module_message(ex: Mapping) -> str:
    msg = str(ex.get("message") or "").strip()
    return msg or MODULE_EXPLANATIONS.get(str(ex.get("status")), str(ex.get("status", "")))


def entries(sub: Mapping) -> Iterator[Entry]:
    """Learner-facing entries of a submission, in module then test order.

    Points are allocated so that a module's entries add up to exactly the module's
    score: each test keeps its own score while the module's score lasts; a module
    entry carries what the tests do not cover (points of tests never reached, a
    module that is missing or crashed) and says why.
    """
    for position, ex in enumerate(exercises_of(sub)):
        yield from exercise_entries(ex, position)


def exercise_entries(ex: Mapping, position: int) -> Iterator[Entry]:
    """The entries of one exercise (``position``: its place in the submission, from 0)."""
    module = str(ex.get("module", f"module{position + 1}"))
    number = module_number(module, position)
    status = str(ex.get("status", ExerciseStatus.ERROR))
    tests = tests_of(ex)
    remaining = max(float(num(ex.get("score", 0))), 0.0)
    test_max = 0.0
    for i, t in enumerate(tests, start=1):
        score = min(max(float(num(t.get("score", 0))), 0.0), remaining)
        remaining -= score
        t_max = max(float(num(t.get("max_score", 0))), 0.0)
        test_max += t_max
        yield Entry(
            module=module,
            number=f"{number}.{i}",
            name=str(t.get("name", f"test {i}")),
            kind="test",
            status=str(t.get("status", TestStatus.ERROR)),
            score=num(score),
            max_score=num(t_max),
            message=str(t.get("message") or ""),
            visibility=visibility(t),
            index=i,
            test=t,
        )
    rest_max = max(float(num(ex.get("max_score", 0))) - test_max, 0.0)
    ran = (ExerciseStatus.PASSED, ExerciseStatus.FAILED)
    if not tests or status not in ran or remaining > _EPS or rest_max > _EPS:
        yield Entry(
            module=module,
            number=f"{number}.0",
            name="",
            kind="module",
            status=status,
            score=num(remaining),
            max_score=num(rest_max),
            message=module_message(ex),
            visibility="visible",
            index=0,
        )


def entry_title(e: Entry, learner: bool = True) -> str:
    """``blocks: test_mlp_shapes``; ``blocks: hidden test 3``; ``blocks: missing``."""
    if e.kind == "module":
        return f"{e.module}: {e.status}"
    if learner and e.hidden:
        return f"{e.module}: {HIDDEN_MESSAGE} {e.index}"
    return f"{e.module}: {e.name}"


def kit_test_file(module: str) -> str:
    """Where a kit test of ``module`` lives (``exercises/05_layers/test_layers.py``)."""
    ex = BY_NAME.get(module)
    return f"exercises/{ex.folder}/{ex.test_filename}" if ex else ""
