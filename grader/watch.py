"""``python -m grader watch``: re-run the current exercise whenever a file is saved.

Like rustlings' watch mode. It polls the modification times under ``exercises/`` (no
dependency, works on every file system), and when a ``.py`` file changes it runs that
file's exercise with pytest in a new process and shows only the first failure
and the progress line. When the exercise passes, it moves on to the next unfinished one.
That process is forked from watch mode's own, which loads torch, pytest and Hypothesis
once at start (grader/warm.py): a run after a save costs the tests, not the imports.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from .catalog import EXERCISES, Exercise
from .hints import find_root
from .i18n import MESSAGES, current_lang, t
from .warm import Warm

_RULE = re.compile(r"^=+ (.*?) =+$")
_TEST_HEAD = re.compile(r"^_{3,} .* _{3,}$")  # one failure's heading in pytest's report


def snapshot(folder: Path) -> dict[Path, int]:
    """Modification times (ns) of every ``.py`` file under ``folder``."""
    found = {}
    for path in folder.rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        try:
            found[path] = path.stat().st_mtime_ns
        except OSError:  # removed between listing and stat
            continue
    return found


def changed(before: dict[Path, int], after: dict[Path, int]) -> list[Path]:
    return sorted(p for p, mtime in after.items() if before.get(p) != mtime)


def exercise_of_path(path: Path, exercises_dir: Path) -> Exercise | None:
    try:
        folder = path.resolve().relative_to(exercises_dir.resolve()).parts[0]
    except (ValueError, IndexError):
        return None
    return next((ex for ex in EXERCISES if ex.folder == folder), None)


def most_recent(files: dict[Path, int], exercises_dir: Path) -> Exercise:
    """The exercise the learner touched last: where watch mode starts."""
    for path in sorted(files, key=files.get, reverse=True):
        ex = exercise_of_path(path, exercises_dir)
        if ex is not None and path.name == ex.filename:
            return ex
    return EXERCISES[0]


def sections(output: str) -> dict[str, list[str]]:
    """pytest's terminal output cut at its ``==== title ====`` rules."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        rule = _RULE.match(line)
        if rule:
            current = found.setdefault(rule.group(1).strip(), [])
            continue
        if current is not None:
            current.append(line)
    return found


def condense(output: str, lang: str) -> str:
    """The first failure and the progress lines of one pytest run."""
    parts = sections(output)
    failure = parts.get("FAILURES") or parts.get("ERRORS") or []
    titles = MESSAGES["progress_title"].values()  # the section's title in either language
    progress = next((parts[title] for title in titles if parts.get(title)), [])
    heads = [i for i, line in enumerate(failure) if _TEST_HEAD.match(line)]
    first = failure[: heads[1]] if len(heads) > 1 else failure
    if not first and not progress:  # pytest stopped before reporting (a usage error...)
        return "\n".join(output.strip().splitlines()[-15:])
    return "\n".join([*first, "", *progress]).strip()


def pytest_args(ex: Exercise) -> list[str]:
    return [
        f"exercises/{ex.folder}",  # all of it (not -x), so that its points are all counted
        "--no-header",
        "-rN",
        "--tb=short",
        "--color=no",
        "-p",
        "no:cacheprovider",
    ]


def run_exercise(
    root: Path, ex: Exercise, lang: str, runner: Warm | None = None
) -> tuple[bool, str]:
    """Run one exercise's tests in a new process: (all passed?, condensed output).

    With a :class:`~grader.warm.Warm` runner the process is forked from this one, which
    has torch and the test libraries loaded already; otherwise it is a new Python.
    """
    runner = runner or Warm(fork=False)
    env = {"KIT_LANG": lang, "PYTHONDONTWRITEBYTECODE": "1"}
    code, output = runner.run(pytest_args(ex), root, env)
    return code == 0, condense(output, lang)


def show(root: Path, start: Exercise, lang: str, clear: bool, runner: Warm) -> None:
    """Run ``start``; while it passes, go on to the next exercise."""
    order = list(EXERCISES)
    index = order.index(start)
    if clear:
        print("\x1b[2J\x1b[H", end="")
    while index < len(order):
        ex = order[index]
        print(t("watch_running", lang, folder=ex.folder), flush=True)
        ok, text = run_exercise(root, ex, lang, runner)
        if not ok:
            print(text)
            print(t("watch_hint", lang))
            return
        print(t("watch_passed", lang, folder=ex.folder))
        index += 1
    print(t("watch_all_done", lang))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader watch",
        description="Re-run the current exercise whenever a file in exercises/ is saved.",
    )
    p.add_argument("--lang", default=None, help="en or zh (default: $KIT_LANG, else en)")
    p.add_argument("--root", type=Path, default=None, help="the kit's folder (default: found)")
    p.add_argument("--interval", type=float, default=0.5, help="seconds between checks")
    p.add_argument("--once", action="store_true", help="run the current exercise once, then exit")
    p.add_argument(
        "--no-fork",
        action="store_true",
        help="start a new Python for every run instead of forking one that has torch "
        "loaded (slower; for when forking misbehaves)",
    )
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    lang = current_lang(args.lang)
    root = (args.root or find_root(Path.cwd())).resolve()
    exercises_dir = root / "exercises"
    if not exercises_dir.is_dir():
        print(t("watch_no_kit", lang, here=root), file=sys.stderr)
        return 2
    files = snapshot(exercises_dir)
    current = most_recent(files, exercises_dir)
    clear = sys.stdout.isatty()
    runner = Warm(fork=not args.no_fork)
    show(root, current, lang, clear, runner)
    if args.once:
        return 0
    print(t("watch_watching", lang, folder=exercises_dir))
    try:
        while True:
            time.sleep(args.interval)
            files, current = poll(
                files, exercises_dir, current, lambda ex: show(root, ex, lang, clear, runner)
            )
    except KeyboardInterrupt:
        return 0


def poll(files: dict[Path, int], exercises_dir: Path, current: Exercise, run):
    """One look for saved files: ``run`` the exercise saved last, if any.

    The snapshot is taken before the run, so a file saved while the run is going on
    (tests take a moment) is seen at the next look, not lost.
    """
    now = snapshot(exercises_dir)
    saved = changed(files, now)
    if saved:
        touched = [ex for p in saved if (ex := exercise_of_path(p, exercises_dir))]
        current = touched[-1] if touched else current
        run(current)
    return now, current
