"""Module files from a notebook's code cells, read and never run.

A learner who works in a notebook defines ``MyLinear`` in one cell, tries it in the
next, trains in a third. The checks need only the definitions, so the code cells are
parsed (``ast``, nothing is executed here) and each module file is built from the
top-level statements that define something:

* imports (``import torch``, ``from torch import nn``);
* ``def`` and ``class`` statements, with their decorators;
* constants: ``NAME = value`` (also ``A = B = value``, ``a, b = value`` and
  ``NAME: type = value``) where the value is made only of literals, names already
  defined by a statement kept before it, builtins, attributes and subscripts of those,
  containers, operators, conditional expressions, lambdas, and calls of a few pure
  constructors (:data:`CONSTRUCTORS`) with such arguments.

Everything else is left out: calls (``torch.manual_seed(0)``, ``print``, ``display``,
training loops, downloads), ``for``/``if``/``with``/``try`` blocks, assignments of
anything else (``net = MLP()``). Lines starting with ``%`` or ``!`` (magics, shell
commands) and ``name?`` help lines are dropped; a cell that starts with a cell magic
(``%%time``, ``%%writefile``...) and a cell that is not valid Python are left out
whole, with a note.

A later definition of a name replaces an earlier one (the learner fixed ``MyLinear``
in a later cell): the earlier one is left out, unless a statement between them (or
the new definition's own header) used the name, in which case both stay, in the
order the notebook ran them.

Each module file gets what its exercise's contract items (``grader.catalog``) need:
the statements that define those names, then, transitively, those defining every
name they use (helpers, constants, imports). So one notebook may hold every
exercise, and an import another exercise needs (``from d2l import torch as d2l``)
never breaks this one. ``from __future__`` and ``*`` imports are always kept.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import BY_NAME, MODULE_NAMES

MAX_NOTEBOOK_BYTES = 16 * 1024 * 1024

# Calls that are constants when their arguments are: pure constructors of values.
CONSTRUCTORS = frozenset(
    {
        "torch.tensor",
        "torch.device",
        "torch.Size",
        "bool",
        "complex",
        "dict",
        "float",
        "frozenset",
        "int",
        "list",
        "range",
        "set",
        "slice",
        "str",
        "tuple",
    }
)


class NotebookError(ValueError):
    """A notebook that cannot be read; the message is a sentence for the learner."""


@dataclass(frozen=True)
class Cell:
    label: str  # how the learner finds it: "cell 3" in a file, "In [5]" in a kernel
    source: str


@dataclass
class ModuleSource:
    """One generated module file and where each of its lines came from."""

    module: str
    text: str
    lines: list[tuple[str, int] | None]  # per line of text: (cell label, line in the cell)
    defined: tuple[str, ...]  # the module's contract items the notebook defines
    notes: list[str] = field(default_factory=list)
    # Each defined name's last definition: (cell label, line in the cell, first line).
    definitions: dict[str, tuple[str, int, str]] = field(default_factory=dict)

    def where(self, lineno: int) -> tuple[str, int] | None:
        """The cell and line (1-based) that line ``lineno`` of the file came from."""
        if 1 <= lineno <= len(self.lines):
            return self.lines[lineno - 1]
        return None


# ---------------------------------------------------------------- reading notebooks


def read_notebook(data: bytes) -> list[Cell]:
    """The code cells of a notebook file's bytes, labelled ``cell N`` (N counts every
    cell from 1, as the notebook shows them top to bottom)."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"it is larger than {MAX_NOTEBOOK_BYTES // 1024**2} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotebookError("it is not UTF-8 text, so not a Jupyter notebook") from None
    import nbformat  # only where notebooks are read: the checks from a kernel never need it

    try:
        nb = nbformat.reads(text, as_version=4, capture_validation_error={})
    except nbformat.reader.NotJSONError:
        raise NotebookError("it is not a Jupyter notebook (not JSON)") from None
    except Exception as exc:  # a JSON that is no notebook, a nesting bomb, a future format
        raise NotebookError(f"it is not a Jupyter notebook ({_detail(exc)})") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("it is not a Jupyter notebook (it has no list of cells)")
    found = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if isinstance(source, str):
            found.append(Cell(f"cell {number}", source))
    return found


def read_notebook_file(path: Path) -> list[Cell]:
    with open(path, "rb") as f:
        data = f.read(MAX_NOTEBOOK_BYTES + 1)
    return read_notebook(data)


def _detail(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    first = lines[0].strip()[:160] if lines else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


# ---------------------------------------------------------------- parsing cells

_FLAGS = ast.PyCF_ONLY_AST | getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0)
_IPYTHON_LINE = re.compile(r"^(\s*)(?:[%!].*|[A-Za-z_][\w.]*\?{1,2}\s*)$")
_DEFINES = re.compile(r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


@dataclass
class _Stmt:
    order: int
    cell: Cell
    position: int  # the cell's place among the cells
    lines: list[str]  # the statement's source lines
    first: int  # its first line's number in the cell
    names: frozenset[str]  # the names it defines
    uses: frozenset[str]  # every name it mentions
    header_uses: frozenset[str]  # names read when it runs (not in function bodies)
    kind: str  # "future", "star", "import", "def" or "constant"


@dataclass
class _Dropped:
    cell: Cell
    position: int
    why: str
    defines: frozenset[str]


def _strip_ipython(source: str) -> str:
    """Magic, shell and help lines become ``pass`` (same indentation, same line count)."""
    out = []
    for line in source.split("\n"):
        match = _IPYTHON_LINE.match(line)
        out.append(f"{match.group(1)}pass" if match else line)
    return "\n".join(out)


def _parse(cell: Cell) -> tuple[ast.Module, str] | str:
    """The cell's syntax tree and the text it was parsed from, or why it is left out."""
    source = cell.source.replace("\r\n", "\n")
    first = next((line.strip() for line in source.split("\n") if line.strip()), "")
    if first.startswith("%%"):
        return f"it starts with the cell magic {first.split()[0]}"
    error = None
    for text in (source, _strip_ipython(source)):
        try:
            return compile(text, cell.label, "exec", _FLAGS), text
        except SyntaxError as exc:
            error = error or exc
        except (ValueError, RecursionError, MemoryError) as exc:
            return f"it could not be parsed ({type(exc).__name__})"
    line = f" on its line {error.lineno}" if error and error.lineno else ""
    return f"it is not valid Python: a syntax error{line} ({error.msg if error else ''})"


def _names_in(nodes: Iterable[ast.AST]) -> frozenset[str]:
    found = set()
    for node in nodes:
        if node is None:
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                found.add(sub.id)
    return frozenset(found)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _constant(node: ast.AST | None, known: set[str]) -> bool:
    """Whether ``node`` is a constant expression (see the module docstring)."""
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in known or hasattr(builtins, node.id)
    if isinstance(node, ast.Attribute):
        return _constant(node.value, known)
    if isinstance(node, ast.Subscript):
        return _constant(node.value, known) and _constant(node.slice, known)
    if isinstance(node, ast.Slice):
        return all(_constant(n, known) for n in (node.lower, node.upper, node.step))
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_constant(e, known) for e in node.elts)
    if isinstance(node, ast.Starred):
        return _constant(node.value, known)
    if isinstance(node, ast.Dict):
        return all(_constant(n, known) for n in (*node.keys, *node.values))
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand, known)
    if isinstance(node, ast.BinOp):
        return _constant(node.left, known) and _constant(node.right, known)
    if isinstance(node, ast.BoolOp):
        return all(_constant(v, known) for v in node.values)
    if isinstance(node, ast.Compare):
        return all(_constant(n, known) for n in (node.left, *node.comparators))
    if isinstance(node, ast.IfExp):
        return all(_constant(n, known) for n in (node.test, node.body, node.orelse))
    if isinstance(node, ast.JoinedStr):
        return all(_constant(v, known) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return _constant(node.value, known) and _constant(node.format_spec, known)
    if isinstance(node, ast.Lambda):
        args = node.args
        return all(_constant(d, known) for d in (*args.defaults, *args.kw_defaults))
    if isinstance(node, ast.Call):
        name = _dotted(node.func)
        if name not in CONSTRUCTORS:
            return False
        root = name.split(".")[0]
        if "." in name and root not in known:
            return False
        if "." not in name and root in known:  # the notebook redefined the builtin
            return False
        return all(_constant(a, known) for a in node.args) and all(
            _constant(k.value, known) for k in node.keywords
        )
    return False


def _target_names(target: ast.AST) -> list[str] | None:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        names = []
        for elt in target.elts:
            inner = _target_names(elt)
            if inner is None:
                return None
            names.extend(inner)
        return names
    return None


def _classify(node: ast.stmt, known: set[str]) -> tuple[str, frozenset[str]] | None:
    """``(kind, names defined)`` for a statement that is kept, else None."""
    if isinstance(node, ast.Import):
        return "import", frozenset(a.asname or a.name.split(".")[0] for a in node.names)
    if isinstance(node, ast.ImportFrom):
        if node.level:  # a relative import has no package to come from
            return None
        if node.module == "__future__":
            return "future", frozenset()
        if any(a.name == "*" for a in node.names):
            return "star", frozenset()
        return "import", frozenset(a.asname or a.name for a in node.names)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return "def", frozenset({node.name})
    if isinstance(node, ast.Assign):
        names = []
        for target in node.targets:
            found = _target_names(target)
            if found is None:
                return None
            names.extend(found)
        if names and _constant(node.value, known):
            return "constant", frozenset(names)
        return None
    if isinstance(node, ast.AnnAssign):
        if isinstance(node.target, ast.Name) and node.value is not None:
            if _constant(node.value, known):
                return "constant", frozenset({node.target.id})
        return None
    return None


def _header_nodes(node: ast.stmt) -> list[ast.AST]:
    """The parts of a kept statement that run when it runs (not a function's body)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = node.args
        return [*node.decorator_list, *args.defaults, *args.kw_defaults]
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        return [node.value]
    return []


def _source_lines(text: str, node: ast.stmt) -> tuple[int, list[str]]:
    lines = text.split("\n")
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    end = node.end_lineno or node.lineno
    chunk = lines[start - 1 : end]
    if end == start and node.end_col_offset is not None:
        chunk[0] = chunk[0][: node.end_col_offset]
    elif node.end_col_offset is not None:
        chunk[-1] = chunk[-1][: node.end_col_offset]
    col = node.col_offset if start == node.lineno else 0
    chunk[0] = chunk[0][col:]
    return start, chunk


@dataclass
class Extraction:
    """Every kept statement of a run of cells, with the cells left out."""

    statements: list[_Stmt]
    dropped: list[_Dropped]

    @property
    def defined(self) -> frozenset[str]:
        return frozenset().union(*(s.names for s in self.statements))


def extract(cells: Sequence[Cell]) -> Extraction:
    """Parse ``cells`` in order; keep the definitions; drop what later ones replace."""
    kept: list[_Stmt] = []
    dropped: list[_Dropped] = []
    known: set[str] = set()
    for position, cell in enumerate(cells):
        parsed = _parse(cell)
        if isinstance(parsed, str):
            defines = frozenset(_DEFINES.findall(cell.source))
            dropped.append(_Dropped(cell, position, parsed, defines))
            continue
        tree, text = parsed
        for node in tree.body:
            found = _classify(node, known)
            if found is None:
                continue
            kind, names = found
            first, lines = _source_lines(text, node)
            header = _names_in(_header_nodes(node))
            uses = _names_in([node]) - (names if kind == "import" else frozenset())
            kept.append(_Stmt(len(kept), cell, position, lines, first, names, uses, header, kind))
            known |= names
    return Extraction(_drop_replaced(kept), dropped)


def _drop_replaced(statements: list[_Stmt]) -> list[_Stmt]:
    """Leave out a definition that a later one replaces and nothing in between used."""
    result = []
    for i, stmt in enumerate(statements):
        if stmt.kind in ("future", "star") or not stmt.names:
            result.append(stmt)
            continue
        needed = False
        for name in stmt.names:
            later = next(
                (j for j in range(i + 1, len(statements)) if name in statements[j].names), None
            )
            if later is None:
                needed = True
                break
            between = statements[i + 1 : later]
            if any(name in s.uses for s in between) or name in statements[later].header_uses:
                needed = True
                break
        if needed:
            result.append(stmt)
    return result


# ---------------------------------------------------------------- module files


def build_module(extraction: Extraction, module: str, origin: str = "the notebook") -> ModuleSource:
    """Module ``module``'s file: the statements its contract items need, in notebook order."""
    ex = BY_NAME[module]
    statements = extraction.statements
    binders: dict[str, list[_Stmt]] = {}
    for stmt in statements:
        for name in stmt.names:
            binders.setdefault(name, []).append(stmt)
    roots = [item for item in ex.items if item in binders]
    chosen: set[int] = {s.order for s in statements if s.kind in ("future", "star")}
    todo = list(roots)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for stmt in binders.get(name, ()):
            if stmt.order not in chosen:
                chosen.add(stmt.order)
            todo.extend(stmt.uses - seen)
    picked = [s for s in statements if s.order in chosen]

    # A left-out cell is worth a note when it defined a name this module needs that no
    # later cell defines again (a fixed copy further down makes it old news).
    notes = []
    last = {name: stmts[-1].position for name, stmts in binders.items()}
    for drop in extraction.dropped:
        relevant = drop.defines & (seen | set(ex.items))
        if any(last.get(name, -1) < drop.position for name in relevant):
            notes.append(f"{drop.cell.label} was left out: {drop.why}")

    header = [
        f'"""{ex.filename}, taken from {_one_line(origin)} by the kit: definitions only."""',
    ]
    header += [f"# {note}" for note in notes]
    text_lines: list[str] = list(header)
    where: list[tuple[str, int] | None] = [None] * len(header)
    futures = [s for s in picked if s.kind == "future"]
    previous: _Stmt | None = None
    for stmt in futures + [s for s in picked if s.kind != "future"]:
        if stmt.kind != "future":
            if previous is None or previous.cell is not stmt.cell:
                text_lines += ["", f"# {stmt.cell.label}"]
                where += [None, None]
            elif "def" in (stmt.kind, previous.kind):
                text_lines.append("")
                where.append(None)
            previous = stmt
        for offset, line in enumerate(stmt.lines):
            text_lines.append(line)
            where.append((stmt.cell.label, stmt.first + offset))
    text = "\n".join(text_lines) + "\n"
    definitions = {
        name: (s.cell.label, s.first, s.lines[0].strip()) for s in picked for name in s.names
    }
    return ModuleSource(module, text, where, tuple(roots), notes, definitions)


def _one_line(text: str) -> str:
    return " ".join(str(text).split()).replace('"""', "'''")[:200]


def build_modules(
    cells: Sequence[Cell], modules: Iterable[str] = MODULE_NAMES, origin: str = "the notebook"
) -> dict[str, ModuleSource]:
    extraction = extract(cells)
    return {m: build_module(extraction, m, origin) for m in modules}


def write_modules(
    cells: Sequence[Cell],
    directory: Path,
    modules: Iterable[str] = MODULE_NAMES,
    origin: str = "the notebook",
) -> dict[str, ModuleSource]:
    """Write ``<module>.py`` for each of ``modules`` into ``directory`` (flat layout)."""
    built = build_modules(cells, modules, origin)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for module, source in built.items():
        (directory / BY_NAME[module].filename).write_text(source.text, encoding="utf-8")
    return built


def _shape(node: ast.AST) -> str:
    """A statement's syntax tree without docstrings (they say nothing about the code)."""
    node = ast.parse(ast.unparse(node)).body[0]
    for sub in ast.walk(node):
        body = getattr(sub, "body", None)
        if (
            isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            sub.body = body[1:] or [ast.Pass()]
    return ast.dump(node)


def same_items(extraction: Extraction, stub: str, items: Iterable[str]) -> bool:
    """Whether every item ``extraction`` defines is written as in ``stub`` (the kit's
    unchanged exercise file): a notebook that holds only the stubs."""
    theirs = extract([Cell("stub", stub)])
    for item in items:
        mine = [s for s in extraction.statements if item in s.names]
        if not mine:
            continue
        original = [s for s in theirs.statements if item in s.names]
        if not original:
            return False
        try:
            if _shape(_reparse(mine[-1])) != _shape(_reparse(original[-1])):
                return False
        except (SyntaxError, ValueError, RecursionError):
            return False
    return True


def _reparse(stmt: _Stmt) -> ast.stmt:
    return ast.parse("\n".join(stmt.lines)).body[0]
