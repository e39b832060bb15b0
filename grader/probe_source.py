"""The part of a test file that a probe worker runs: its probes, nothing else.

Kept apart from grader/probing.py, which needs torch: the grading process reads every
test file's probe source before it starts a worker, and never imports torch itself.
"""

from __future__ import annotations

import ast

# Libraries a test file may import for its probes; other imports stay on the verdict
# side (pytest, Hypothesis, the kit's strategies).
PROBE_IMPORTS = frozenset(
    {
        "copy",
        "collections",
        "functools",
        "io",
        "itertools",
        "math",
        "operator",
        "os",
        "tempfile",
        "torch",
        "torch.nn",
        "torch.nn.functional",
        "torch.nn.init",
        "contextlib",
        "inspect",
        "pathlib",
        "types",
        "unittest",
        "unittest.mock",
        "warnings",
        "grader.plain",
    }
)


def _is_probe_decorator(node: ast.expr) -> bool:
    """``@probe``, ``@probe.helper`` (any name bound by ``probes(...)``)."""
    if isinstance(node, ast.Name):
        return True
    return isinstance(node, ast.Attribute) and node.attr == "helper"


def probe_source(source: str, filename: str = "<tests>") -> str:
    """The part of a test file the worker runs: its allowed imports, its ``probes(...)``
    assignments, and the functions and classes decorated with one of those.

    Everything else (the verdicts, expected values, other imports) is left out.
    """
    tree = ast.parse(source, filename)
    owners: set[str] = set()
    keep: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [a for a in node.names if a.name in PROBE_IMPORTS]
            if names:
                keep.append(ast.Import(names=names))
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module in PROBE_IMPORTS:
                keep.append(node)
            elif node.module == "torch":
                keep.append(node)
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "probes"
            and all(isinstance(t, ast.Name) for t in node.targets)
        ):
            owners.update(t.id for t in node.targets)
            keep.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            for deco in node.decorator_list:
                base = deco.value if isinstance(deco, ast.Attribute) else deco
                if isinstance(base, ast.Name) and base.id in owners and _is_probe_decorator(deco):
                    keep.append(node)
                    break
    module = ast.Module(body=keep, type_ignores=[])
    return "from grader.probing import probes\n" + ast.unparse(module) + "\n"
