"""Failures whose cause the exception itself shows, said in one sentence.

A test's stock diagnosis names the mistakes that usually break its property. Some
failures are no such mistake: the learner's file cannot be imported, a name is not
defined, an attribute was never created, an in-place operation broke autograd. Their
exception says so plainly, and a stock diagnosis on top would blame something else.
For those, :func:`evident_cause` gives the cause's name (``cause_*``, a message of
:mod:`grader.i18n`) and the sentence to show instead.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

from .i18n import t

_NO_ATTRIBUTE = re.compile(r"^'(?P<cls>\w+)' object has no attribute '(?P<attr>\w+)'")
_IN_PLACE = ("in-place operation", "modified by an inplace operation")


def learner_frames(excinfo, root: Path | None) -> list[tuple[str, int, str]]:
    """(file name, line, source line) of the traceback's frames in the code under test.

    An exception the sandboxed worker reported (grader/probing.py) carries them as data.
    Otherwise they are the frames in files under ``root``; none when ``root`` is None
    (a grading run: the code under test runs in the probe worker only).
    """
    carried = getattr(excinfo.value, "frames", None)
    if isinstance(carried, list):
        return [f for f in carried if isinstance(f, tuple) and len(f) == 3]
    if root is None:
        return []
    found = []
    for entry in excinfo.traceback:
        try:
            if Path(str(entry.path)).resolve().is_relative_to(root):
                line = entry.statement.lines[0].strip() if entry.statement.lines else ""
                found.append((Path(str(entry.path)).name, entry.lineno + 1, line))
        except (OSError, ValueError, IndexError):
            continue
    return found


def unwritten_init(cls: type) -> bool:
    """Whether ``cls`` defines an ``__init__`` that does nothing yet: a docstring,
    ``super().__init__()`` and ``pass`` at most (a stub whose TODO is still to do)."""
    init = cls.__dict__.get("__init__")
    if init is None:
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(init)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    for node in body:
        if isinstance(node, ast.Pass):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Expr) and ast.unparse(node.value) == "super().__init__()":
            continue
        return False
    return True


def evident_cause(
    excinfo, root: Path, module_classes: set[str], lang: str = "en"
) -> tuple[str, str] | None:
    """(name, sentence) for a failure whose cause its exception shows, else None.

    ``root`` is the folder of the code under test, ``module_classes`` the names of the
    classes the learner's module defines (an attribute missing on one of them is the
    learner's to create).
    """
    exc = excinfo.value
    if isinstance(exc, ImportError) and getattr(exc, "name", "") == "d2l":
        return "cause_d2l", t("cause_d2l", lang)
    mine = learner_frames(excinfo, root)
    where = f"{mine[-1][0]}:{mine[-1][1]}" if mine else ""
    if isinstance(exc, NameError) and mine:
        name = getattr(exc, "name", None) or str(exc)
        return "cause_name", t("cause_name", lang, where=where, name=name)
    if isinstance(exc, AttributeError):
        found = _NO_ATTRIBUTE.match(str(exc))
        if found and found["cls"] in module_classes:
            sentence = t("cause_attribute", lang, cls=found["cls"], attr=found["attr"])
            return "cause_attribute", sentence
    if isinstance(exc, RuntimeError) and mine and any(s in str(exc) for s in _IN_PLACE):
        return "cause_in_place", t("cause_in_place", lang, where=where)
    return None


def module_facts(module) -> dict:
    """What the verdict side may know of a learner's module: the names of the classes
    it defines, and those whose ``__init__`` is still the stub's."""
    classes, unwritten = [], []
    for name, value in list(vars(module).items())[:500]:
        if isinstance(value, type) and getattr(value, "__module__", None) == module.__name__:
            classes.append(str(name))
            try:
                if unwritten_init(value):
                    unwritten.append(str(name))
            except Exception:  # noqa: BLE001
                pass
    return {"classes": classes, "unwritten_init": unwritten}
