"""The grader's modules import one another without a cycle.

The graph is read from the source (``ast``), not from a run: an edge A -> B for every
``import`` statement in A that names B, wherever it stands. Imports at module level
and imports inside functions both count: a function-level import only defers the
cycle to the first call, and the two modules still cannot be understood, tested or
shipped (grader/release.py copies some modules without others) apart. Not counted:
modules named by a string (``importlib.import_module``: the fork server runs the
worker module a job names) and the packages above an imported submodule (Python runs
their ``__init__`` first, but a package that imports its own submodules is the
usual shape, not a cycle).
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

from harness import ROOT

PACKAGE = ROOT / "grader"


def module_names(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted name -> file of every module in the package (``grader.formats.html``)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` (at ``path``) imports, anywhere in it."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                # ``import grader.formats.html``: the deepest module named
                parts = alias.name.split(".")
                while parts and ".".join(parts) not in modules:
                    parts.pop()
                if parts:
                    found.add(".".join(parts))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"  # ``from . import testing``
                if submodule in modules:
                    found.add(submodule)
                elif source in modules:
                    found.add(source)
    found.discard(name)
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = module_names(package)
    return {name: imported(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle through each strongly connected set of modules (Tarjan's
    algorithm, iterative), as ``[a, b, ..., a]``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return [_shortest_cycle(graph, component) for component in components]


def _shortest_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    start = min(component)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node] & component):
            if nxt == start:  # back to the start: the path that got here, closed
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def test_the_graph_sees_both_kinds_of_import():
    graph = import_graph()
    assert "grader.failures" in graph["grader.plugin"]  # module level: from . import ...
    assert "grader.failures" in graph["grader.grading.report_plugin"]  # from .failures import ...
    assert "grader.causes" in graph["grader.failures"]
    assert "grader.grading.worker" in graph["grader.forkserver"]  # inside a function
    assert "grader.formats._common" in graph["grader.grading.cohort"]  # a submodule, from ..


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_grader():
    found = cycles(import_graph())
    assert not found, "import cycles in grader/ (module or function level):\n" + "\n".join(
        "  " + " -> ".join(cycle) for cycle in found
    )
