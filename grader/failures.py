"""What a failing test is, the same for a learner's run and a grading run.

Two pytest plugins say why a test failed: :mod:`grader.plugin` (every run: the
learner's sentences) and :mod:`grader.grading.report_plugin` (a grading worker's test runner
only: each test's outcome to the parent). What they share lives here:

* the per-test timer: :class:`KitTimeout` and :func:`set_timer` / :func:`cancel_timer`,
  installed through pytest-timeout's ``pytest_timeout_set_timer`` hook by whichever
  plugin owns the run (:func:`grading`), so that pytest-timeout's settings and markers
  apply;
* :func:`timeout_message`: the sentence a test that ran out of time gets;
* :func:`points_of`: what a test is worth (its ``points`` marker);
* :func:`learner_frame`: the innermost frame of a failure in the code under test;
* :func:`grading` / :func:`mark_grading`: whether this run is a grading worker's.

The learners' copy of the kit has this module (grader/release.py): nothing here may
import the grading engine.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from . import causes
from .i18n import t

# ---------------------------------------------------------------- the per-test timer


class KitTimeout(BaseException):
    """A test ran past its limit. A BaseException: Hypothesis lets it through instead of
    re-running the endless example while shrinking (as it does with the ``pytest.fail``
    that pytest-timeout's own timer raises, with no timer left)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"ran past {seconds:g} s")
        self.seconds = seconds


def start_timer(
    seconds: float,
    expired: Callable[[], None] | None = None,
    grace: float = 0.0,
    stuck: Callable[[], None] | None = None,
) -> Callable[[], None]:
    """Raise :class:`KitTimeout` in the main thread after ``seconds`` (a ``SIGALRM``
    timer; 0: none); the function that cancels it.

    When the time is up, ``expired()`` runs first (to note it), then the exception is
    raised. With ``stuck``, a test that swallows the exception gets ``grace`` more
    seconds to unwind, then ``stuck()`` runs (it is to end the process).
    """

    def give_up(signum, frame):
        stuck()

    def expire(signum, frame):
        if expired is not None:
            expired()
        if stuck is not None:
            signal.signal(signal.SIGALRM, give_up)
            signal.setitimer(signal.ITIMER_REAL, grace)
        raise KitTimeout(seconds)

    def cancel() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return cancel


_CANCEL_TIMER = pytest.StashKey[Callable[[], None]]()


def set_timer(item: pytest.Item, seconds: float, **when) -> None:
    """:func:`start_timer` for ``item`` (``when``: its ``expired``, ``grace``, ``stuck``),
    cancelled by :func:`cancel_timer`."""
    item.stash[_CANCEL_TIMER] = start_timer(seconds, **when)


def cancel_timer(item: pytest.Item) -> bool:
    """Cancel ``item``'s timer; whether :func:`set_timer` had set one."""
    cancel = item.stash.get(_CANCEL_TIMER, None)
    if cancel is None:
        return False
    del item.stash[_CANCEL_TIMER]
    cancel()
    return True


def timeout_message(seconds: float, lang: str = "en", where: str = "") -> str:
    """What a test that ran past ``seconds`` is told, with the frame it was in
    (:func:`learner_frame`) when one is known."""
    return t("timeout", lang, seconds=seconds) + (f"\n  {where}" if where else "")


# ---------------------------------------------------------------- a test and its failure


def points_of(item: pytest.Item) -> float:
    """The points a test is worth when graded (its ``points`` marker; 0 without one)."""
    marker = item.get_closest_marker("points")
    return float(marker.args[0]) if marker and marker.args else 0.0


def learner_frame(excinfo, root: Path | None = None, sources: Mapping | None = None) -> str:
    """``file:line: code`` of the innermost frame of a failure in the code under test;
    empty when it went through none.

    ``root``: the folder of the code under test (a learner's run, where the module is
    imported in this process); None in a grading run, where only the frames the probe
    worker carried back count (:func:`grader.causes.learner_frames`). ``sources``: the
    modules built from a notebook (module name -> ``grader.notebook_source.ModuleSource``),
    whose frames read ``cell N, line M: code``.
    """
    frames = causes.learner_frames(excinfo, root) if excinfo is not None else []
    if not frames:
        return ""
    name, lineno, line = frames[-1]
    source = (sources or {}).get(Path(name).stem)
    cell = source.where(lineno) if source is not None else None
    if cell is not None:
        return f"{cell[0]}, line {cell[1]}: {line.strip()}"
    return f"{name}:{lineno}: {line.strip()}"


# ---------------------------------------------------------------- whose run this is

_GRADING = pytest.StashKey[bool]()


def mark_grading(config: pytest.Config) -> None:
    """Make this run a grading worker's (grader/grading/report_plugin.py, once registered)."""
    config.stash[_GRADING] = True


def grading(config: pytest.Config) -> bool:
    """Whether this run is a grading worker's (collecting or running the tests for the
    grader), not a learner's: the grader's plugin then reports each test and owns the
    timer."""
    return config.stash.get(_GRADING, False)
