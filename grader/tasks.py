"""Which task of its exercise a test checks: one contract item, or none.

An exercise's tasks are the items the contract asks for, in the catalogue's order
(``grader.catalog``): the blocks exercise has five (``MLP``, ``MySequential``, ...).
A test belongs to a task when it can be tied to exactly one item:

1. its name names one item (``test_mysequential_is_written_on_nn_module`` and
   ``test_empty_mysequential_returns_its_input`` check ``MySequential``;
   ``test_fixed_hidden_mlp_...`` checks ``FixedHiddenMLP``);
2. else its body, or a probe it calls, uses exactly one item
   (``blocks.FixedHiddenMLP(...)``, read from the test file's source, never imported).

A test that names or uses several items (a round trip through ``save_params`` and
``load_params``), or none, belongs to no single task.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

from .catalog import BY_NAME


def _tokens(text: str) -> list[str]:
    """``MySequential`` -> ["mysequential"]; ``init_42`` -> ["init", "42"]."""
    return [t for t in re.split(r"[^0-9a-z]+", text.lower()) if t]


def _named(items: tuple[str, ...], test_name: str) -> list[str]:
    """The items a test's name spells out, as whole words joined by underscores.

    ``fixed_hidden_mlp`` is FixedHiddenMLP (and not also MLP: an item spelled inside a
    longer one's words does not count); ``mysequential`` is MySequential.
    """
    words = _tokens(test_name)
    if words[:1] == ["test"]:
        words = words[1:]
    spans: dict[str, tuple[int, int]] = {}
    for item in items:
        joined = "".join(_tokens(item))
        for start in range(len(words)):
            text = ""
            for end in range(start, len(words)):
                text += words[end]
                if text == joined:
                    spans.setdefault(item, (start, end + 1))
                    break
                if not joined.startswith(text):
                    break
            if item in spans:
                break
    return [
        item
        for item, (a, b) in spans.items()
        if not any((c, d) != (a, b) and c <= a and b <= d for c, d in spans.values())
    ]


@functools.cache
def _mentions(path: str, mtime_ns: int) -> dict[str, frozenset[str]]:
    """Per test function of a file: the attribute names its body reads (``x.Item``)."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return {}

    def reads(function) -> tuple[set[str], set[str]]:
        """The attribute names a function reads, and the plain names it calls (one walk)."""
        attrs: set[str] = set()
        calls: set[str] = set()
        for n in ast.walk(function):
            if isinstance(n, ast.Attribute):
                attrs.add(n.attr)
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
                calls.add(n.func.id)
        calls.discard(function.name)
        return attrs, calls

    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    # What each top-level function reads: a test's probes (grader/probing.py) name the
    # items, the test calls the probes.
    top = {node.name: reads(node) for node in tree.body if isinstance(node, functions)}
    found: dict[str, frozenset[str]] = {}

    def visit(body, prefix: str) -> None:
        for node in body:
            if isinstance(node, functions):
                attrs, calls = top[node.name] if not prefix else reads(node)
                attrs = set(attrs)
                for name in calls:
                    attrs |= top.get(name, (set(), set()))[0]
                found[prefix + node.name] = frozenset(attrs)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}::")

    visit(tree.body, "")
    return found


def mentioned(path: str | Path, test_name: str) -> frozenset[str]:
    """The attribute names the test function ``test_name`` (``[params]`` allowed) reads."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return frozenset()
    function = test_name.split("[", 1)[0]
    return _mentions(str(path), mtime).get(function, frozenset())


def task_of(module: str, test_name: str, path: str | Path | None = None) -> str | None:
    """The one contract item of ``module`` that the test checks, else None.

    ``test_name`` is the name reports show (``test_x[param]``, ``Class::test_x``,
    ``file.py::test_x`` for an instructor test); ``path`` is the test's file, read
    (not imported) when the name alone does not tell.
    """
    exercise = BY_NAME.get(module)
    if exercise is None:
        return None
    function = test_name.rsplit("::", 1)[-1].split("[", 1)[0]
    named = _named(exercise.items, function)
    if len(named) == 1:
        return named[0]
    if named:
        return None
    if path is None:
        return None
    local = test_name.split("[", 1)[0]
    if "::" in local and not local.split("::", 1)[0].endswith(".py"):
        key = local  # Class::test_x
    else:
        key = function
    used = [item for item in exercise.items if item in mentioned(path, key)]
    return used[0] if len(used) == 1 else None


def task_number(module: str, item: str | None) -> int | None:
    """1-based place of ``item`` among ``module``'s contract items (None if not one)."""
    exercise = BY_NAME.get(module)
    if exercise is None or item not in exercise.items:
        return None
    return exercise.items.index(item) + 1
