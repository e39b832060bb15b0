"""``python -m grader hint NAME``: progressive hints, one more each time it is asked.

Like rustlings' ``hint``: the first hint points at the concept and where to read, each
later one is more concrete, and none shows the solution. How many hints of each item
a learner has seen is kept in ``.kit-state/hints.json`` at the root of their kit (the
folder that holds ``exercises/``), so the count survives between calls and never
travels with the exercises.
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from . import catalog, kitstate
from .catalog import BY_NAME, EXERCISES, Exercise
from .i18n import current_lang, t


def hints_for(exercise: Exercise) -> dict[str, dict[str, list[str]]]:
    """The ``[hints]`` of the exercise's ``exercise.toml``."""
    return catalog.hints(exercise.name)


def resolve(name: str) -> tuple[Exercise, str] | None:
    """The exercise and contract name for ``MyLinear``, ``mylinear`` or ``layers.MyLinear``;
    for an exercise's own name (``layers``) the name is empty: the caller picks the item."""
    if name.lower() in BY_NAME:
        return BY_NAME[name.lower()], ""
    module, _, item = name.rpartition(".")
    candidates = [BY_NAME[module]] if module in BY_NAME else ([] if module else list(EXERCISES))
    for exact in (True, False):
        for ex in candidates:
            for known in ex.items:
                if known == item or (not exact and known.lower() == item.lower()):
                    return ex, known
    return None


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``exercises/``; else ``start``."""
    for folder in (start, *start.parents):
        if (folder / "exercises").is_dir():
            return folder
    return start


class HintState:
    """How many hints of each item were shown: ``.kit-state/hints.json`` (grader/kitstate.py)."""

    FILE = "hints.json"

    def __init__(self, root: Path) -> None:
        self.root = root
        data = kitstate.read(root, self.FILE)  # missing or damaged: start afresh
        data = data if isinstance(data, dict) else {}
        self.seen = {k: int(v) for k, v in data.items() if isinstance(v, int)}

    def save(self) -> None:
        # A read-only kit: the hint is still shown, the count not kept.
        kitstate.write(self.root, self.FILE, self.seen)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader hint",
        description="Progressive hints for the exercises: one more each time you ask.",
    )
    p.add_argument("name", nargs="?", help="a class or function the exercises ask for")
    p.add_argument("--all", action="store_true", help="show every hint for NAME at once")
    p.add_argument("--reset", action="store_true", help="start NAME's hints (or all) again")
    p.add_argument("--lang", default=None, help="en or zh (default: $KIT_LANG, else en)")
    p.add_argument("--root", type=Path, default=None, help="the kit's folder (default: found)")
    return p


def _listing(lang: str) -> str:
    lines = [t("hint_list", lang)]
    for ex in EXERCISES:
        lines.append(f"  {ex.folder:<15} {', '.join(ex.items)}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    lang = current_lang(args.lang)
    root = args.root or find_root(Path.cwd())
    state = HintState(root)
    if args.name is None:
        if args.reset:
            state.seen.clear()
            state.save()
            print(t("hint_reset", lang, what=t("hint_everything", lang)))
            return 0
        print(_listing(lang))
        return 0
    found = resolve(args.name)
    if found is None:
        every = [item for ex in EXERCISES for item in ex.items]
        near = difflib.get_close_matches(args.name, every, n=3, cutoff=0.5)
        close = t("hint_close", lang, names=", ".join(near)) if near else ""
        print(t("hint_unknown", lang, name=args.name, close=close))
        return 2
    ex, item = found
    if item == "":  # an exercise's name: its first item whose hints are not all seen yet
        table = hints_for(ex)
        item = next(
            (i for i in ex.items if state.seen.get(f"{ex.name}.{i}", 0) < len(table[i]["en"])),
            ex.items[-1],
        )
    key = f"{ex.name}.{item}"
    if args.reset:
        state.seen.pop(key, None)
        state.save()
        print(t("hint_reset", lang, what=item))
        return 0
    texts = hints_for(ex).get(item, {})
    hints = texts.get(lang) or texts.get("en") or []
    if not hints:
        print(t("hint_unknown", lang, name=args.name, close=""))
        return 2
    shown = len(hints) if args.all else min(state.seen.get(key, 0) + 1, len(hints))
    if not args.all:
        state.seen[key] = shown
        state.save()
    url = ex.read_zh if lang == "zh" else ex.read_en
    path = f"exercises/{ex.folder}/{ex.filename}"
    print(t("hint_header", lang, shown=shown, total=len(hints), name=item, path=path, url=url))
    for number, hint in enumerate(hints[:shown], 1):
        print(f"  {number}. {hint}")
    if shown < len(hints):
        print(t("hint_more", lang, left=len(hints) - shown))
    else:
        lesson = f"exercises/{ex.folder}/README{'.zh' if lang == 'zh' else ''}.md"
        print(t("hint_last", lang, lesson=lesson))
    return 0
