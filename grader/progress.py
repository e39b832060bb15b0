"""Learner progress, like rustlings: which exercises are done, points, and what to do next.

Pure functions over per-test outcomes, so the pytest plugin, the watch mode and the
grader's table can share them.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .catalog import EXERCISES, Exercise
from .i18n import t


@dataclass
class TestOutcome:
    exercise: str
    passed: bool
    points: float
    items: tuple[str, ...] = ()  # contract items the test touches


@dataclass
class ExerciseProgress:
    exercise: Exercise
    earned: float = 0.0
    total: float = 0.0
    passed: int = 0
    ran: int = 0
    failing_items: set[str] = field(default_factory=set)

    @property
    def state(self) -> str:
        if self.ran and self.passed == self.ran:
            return "done"
        return "progress" if self.passed else "new"


def items_used(exercise: Exercise, function) -> tuple[str, ...]:
    """The contract items a test function mentions (``layers.MyLinear`` -> MyLinear)."""
    try:
        return _items_used(exercise.items, function)
    except TypeError:  # an unhashable test object
        return _items_in(exercise.items, function)


# Remembered per function object: the grader's fork server collects the tests once and
# its workers, forked from it, find the answers here (a new function, from an edited
# file, is looked at anew).
@functools.cache
def _items_used(items: tuple[str, ...], function) -> tuple[str, ...]:
    return _items_in(items, function)


def _items_in(items: tuple[str, ...], function) -> tuple[str, ...]:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return ()
    return tuple(item for item in items if re.search(rf"\.{re.escape(item)}\b", source))


def summarize(outcomes: Iterable[TestOutcome]) -> list[ExerciseProgress]:
    table = {ex.name: ExerciseProgress(ex) for ex in EXERCISES}
    for o in outcomes:
        row = table.get(o.exercise)
        if row is None:
            continue
        row.ran += 1
        row.total += o.points
        if o.passed:
            row.passed += 1
            row.earned += o.points
        else:
            row.failing_items.update(o.items)
    return [row for row in table.values() if row.ran]


def next_step(rows: list[ExerciseProgress], lang: str = "en") -> str:
    for row in rows:
        if row.state == "done":
            continue
        ex = row.exercise
        todo = [item for item in ex.items if item in row.failing_items]
        item = todo[0] if todo else ex.items[0]
        return t("next", lang, item=item, folder=ex.folder, file=ex.filename)
    ran = {row.exercise.name for row in rows}
    rest = [ex.folder for ex in EXERCISES if ex.name not in ran]
    if rest:  # only some exercises ran: the others may well be unwritten
        return t("ran_done", lang, n=len(rest))
    return t("all_done", lang)


def render(rows: list[ExerciseProgress], lang: str = "en", markup=None) -> list[str]:
    """Lines of the progress table; ``markup(text, state)`` may colour a state cell."""
    states = {"done": "state_done", "progress": "state_progress", "new": "state_new"}
    names = [
        f"{r.exercise.folder}  {r.exercise.title_zh if lang == 'zh' else r.exercise.title}"
        for r in rows
    ]
    width = max([len(t("col_exercise", lang))] + [_width(n) for n in names])
    lines = []
    for row, name in zip(rows, names, strict=True):
        state = t(states[row.state], lang)
        cell = markup(state, row.state) if markup else state
        pad = " " * (12 - _width(state))
        lines.append(
            f"{name}{' ' * (width - _width(name))}  {cell}{pad}"
            f"{_num(row.earned):>4} / {_num(row.total)}"
        )
    earned = sum(r.earned for r in rows)
    total = sum(r.total for r in rows)
    lines.append(
        f"{t('total', lang)}{' ' * (width - _width(t('total', lang)))}  "
        f"{' ' * 12}{_num(earned):>4} / {_num(total)}"
    )
    lines.append(next_step(rows, lang))
    return lines


def _num(x: float) -> str:
    return f"{x:g}"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)
