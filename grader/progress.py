"""Learner progress, like rustlings: which exercises are done, points, and what to do next.

Pure functions over per-test outcomes, so the pytest plugin, the watch mode and the
grader's table can share them. A learner's progress is also kept between runs, in
``.kit-state/progress.json`` at the root of their kit (git-ignored), so that "all done"
means every exercise and ``python -m grader progress`` shows all of them at any time.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import kitstate
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
    """Items named in the test's source or in the probes it calls (grader/probing.py):
    the verdict calls ``mlp_output(X)``, the probe names ``layers.MyLinear``."""
    from .probing import Probe

    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return ()
    inner = getattr(getattr(function, "hypothesis", None), "inner_test", None)  # @given
    names = getattr(inner or function, "__globals__", {})
    for name in set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", source)):
        found = names.get(name)
        if isinstance(found, Probe):
            try:
                source += "\n" + inspect.getsource(found.fn)
            except (OSError, TypeError):
                pass
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


STATE_FILE = "progress.json"  # in the kit's state folder (grader/kitstate.py)


def load(root: Path) -> dict[str, ExerciseProgress]:
    """The progress kept in ``root``'s state file, by exercise (missing or damaged: none)."""
    data = kitstate.read(root, STATE_FILE)
    kept = {}
    for ex in EXERCISES:
        entry = data.get(ex.name) if isinstance(data, dict) else None
        if not isinstance(entry, dict):
            continue
        try:
            kept[ex.name] = ExerciseProgress(
                ex,
                earned=float(entry["earned"]),
                total=float(entry["total"]),
                passed=int(entry["passed"]),
                ran=int(entry["ran"]),
                failing_items={str(i) for i in entry.get("failing_items", [])},
            )
        except (KeyError, TypeError, ValueError):
            continue
    return kept


def save(root: Path, rows: list[ExerciseProgress]) -> dict[str, ExerciseProgress]:
    """Keep this run's rows, over what earlier runs kept; the merged progress (a
    read-only kit keeps nothing: this run's table is still shown)."""
    merged = load(root)
    merged.update({row.exercise.name: row for row in rows if row.ran})
    data = {
        name: {
            "earned": row.earned,
            "total": row.total,
            "passed": row.passed,
            "ran": row.ran,
            "failing_items": sorted(row.failing_items),
        }
        for name, row in merged.items()
    }
    kitstate.write(root, STATE_FILE, data)
    return merged


def every_exercise(kept: dict[str, ExerciseProgress]) -> list[ExerciseProgress]:
    """One row per exercise, in teaching order; one never run has ``ran == 0``."""
    return [kept.get(ex.name) or ExerciseProgress(ex) for ex in EXERCISES]


def _first_todo(ex: Exercise, row: ExerciseProgress | None) -> str:
    """The first item (teaching order) a failing test of ``row`` uses; else the first."""
    todo = [item for item in ex.items if row is not None and item in row.failing_items]
    return todo[0] if todo else ex.items[0]


def start_here(kept: dict[str, ExerciseProgress], lang: str = "en") -> str | None:
    """The first line of a learner's run: the first item not yet known to pass, in
    teaching order (from the progress kept by earlier runs); None once all are done."""
    for ex in EXERCISES:
        row = kept.get(ex.name)
        if row is not None and row.ran and row.state == "done":
            continue
        item = _first_todo(ex, row)
        return t("start_here", lang, item=item, folder=ex.folder, file=ex.filename)
    return None


def next_step(
    rows: list[ExerciseProgress],
    lang: str = "en",
    kept: dict[str, ExerciseProgress] | None = None,
) -> str:
    """What to write next: the first failing item of this run's exercises; once they
    all pass, of the exercises earlier runs left unfinished (``kept``)."""
    candidates = list(rows)
    if kept is not None:
        here = {row.exercise.name for row in rows}
        candidates += [r for r in every_exercise(kept) if r.exercise.name not in here]
    for row in candidates:
        if row.state == "done" or not row.ran:
            continue
        ex = row.exercise
        item = _first_todo(ex, row)
        return t("next", lang, item=item, folder=ex.folder, file=ex.filename)
    ran = {row.exercise.name for row in candidates if row.ran}
    rest = [ex.folder for ex in EXERCISES if ex.name not in ran]
    if rest:  # only some exercises ran: the others may well be unwritten
        return t("ran_done", lang, n=len(rest))
    return t("all_done", lang)


def render(
    rows: list[ExerciseProgress],
    lang: str = "en",
    markup=None,
    kept: dict[str, ExerciseProgress] | None = None,
) -> list[str]:
    """Lines of the progress table; ``markup(text, state)`` may colour a state cell;
    ``kept``: the progress of every exercise so far, which the next step is taken from."""
    states = {"done": "state_done", "progress": "state_progress", "new": "state_new"}
    names = [
        f"{r.exercise.folder}  {r.exercise.title_zh if lang == 'zh' else r.exercise.title}"
        for r in rows
    ]
    width = max([len(t("col_exercise", lang))] + [_width(n) for n in names])
    lines = []
    for row, name in zip(rows, names, strict=True):
        if not row.ran:  # python -m grader progress: an exercise never run here
            lines.append(f"{name}{' ' * (width - _width(name))}  {t('state_unknown', lang)}")
            continue
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
    lines.append(next_step(rows, lang, kept))
    return lines


def _num(x: float) -> str:
    return f"{x:g}"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def main(argv: list[str]) -> int:
    """``python -m grader progress``: every exercise's progress, as kept by earlier runs."""
    import argparse

    from .hints import find_root
    from .i18n import current_lang

    parser = argparse.ArgumentParser(
        prog="python -m grader progress",
        description="Your progress on every exercise, as your last test runs left it.",
    )
    parser.add_argument("--lang", choices=("en", "zh"), help="language of the table")
    parser.add_argument("--root", type=Path, help="the kit's folder (default: found from here)")
    args = parser.parse_args(argv)
    lang = current_lang(args.lang)
    root = (args.root or find_root(Path.cwd())).resolve()
    kept = load(root)
    for line in render(every_exercise(kept), lang, kept=kept):
        print(line)
    return 0
