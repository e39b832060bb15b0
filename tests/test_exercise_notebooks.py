"""The exercise notebooks (``exercises/NN_topic/NN_topic.ipynb``): exactly what
``python -m grader notebooks`` generates, valid, one code cell and one check cell per
item, an install cell that does nothing outside Colab, and no line of the solution."""

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
import types

import nbformat
import pytest
from harness import ROOT
from test_hints import _solution_lines

from grader import notebooks_gen as gen
from grader.catalog import BY_NAME, EXERCISES, MODULE_NAMES
from grader.cli import main as cli

FIX = "run `python -m grader notebooks` to regenerate them"
CHECK_RE = re.compile(r'^check\("(\w+)"\)$')


def _notebook(module: str):
    return nbformat.read(gen.notebook_path(BY_NAME[module], ROOT), as_version=4)


def _code(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _defined(source: str) -> set[str]:
    """The names a cell defines at its top level (classes and functions)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    defs = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {node.name for node in tree.body if isinstance(node, defs)}


def test_the_notebooks_and_their_links_are_in_sync():
    stale = gen.out_of_date(gen.expected(ROOT))
    shown = [str(path.relative_to(ROOT)) for path in stale]
    assert not stale, f"out of date with the exercises' lessons and stubs: {shown}; {FIX}"


def test_generating_twice_gives_the_same_bytes():
    ex = BY_NAME["layers"]
    assert gen.render(ex, ROOT) == gen.render(ex, ROOT)


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_each_notebook_is_valid_and_holds_no_outputs(module):
    nb = _notebook(module)
    nbformat.validate(nb)
    ids = [cell.id for cell in nb.cells]
    assert len(set(ids)) == len(ids), f"{module}: two cells share an id"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{module}: outputs"


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_item_has_a_code_cell_then_its_check_cell(module):
    ex = BY_NAME[module]
    code = _code(_notebook(module))
    for item in ex.items:
        where = [i for i, source in enumerate(code) if item in _defined(source)]
        assert len(where) == 1, f"{module}: {item} is defined in {len(where)} code cells, not 1"
        after = code[where[0] + 1] if where[0] + 1 < len(code) else ""
        assert after == f'check("{item}")', f"{module}: the cell after {item} is {after!r}"
    assert code[-1] == f'check("{module}")', f"{module}: the last code cell checks the exercise"


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_the_code_cells_run_in_order_define_every_item_before_its_check(module):
    ex = BY_NAME[module]
    code = _code(_notebook(module))
    checked = []
    namespace: dict = {"__name__": "__main__"}

    def check(name):  # stands in for grader.notebook.check: is what it checks defined?
        needed = ex.items if name == module else (name,)
        missing = [item for item in needed if item not in namespace]
        assert not missing, f"{module}: check({name!r}) runs before {missing} are defined"
        checked.append(name)

    namespace["check"] = check
    install, import_check, *rest = code
    assert import_check == "from grader.notebook import check"
    for source in rest:
        exec(compile(source, f"<{module} notebook>", "exec"), namespace)
    assert checked == [*ex.items, module], f"{module}: checks {checked}"


def _run_install_cell(module, monkeypatch, colab: bool, kit_importable: bool):
    """Run the install cell in a fresh namespace; return the commands it ran."""
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: ran.append(list(args)))
    monkeypatch.setattr(sys, "path", list(sys.path))
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    if not kit_importable:
        real = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util, "find_spec", lambda name, *a: None if name == "grader" else real(name)
        )
    path_before = list(sys.path)
    exec(compile(_code(_notebook(module))[0], "<install cell>", "exec"), {})
    return ran, sys.path != path_before


@pytest.mark.parametrize("colab, kit_importable", [(False, True), (False, False), (True, True)])
def test_the_install_cell_does_nothing_outside_colab_or_where_the_kit_is(
    monkeypatch, colab, kit_importable
):
    ran, path_changed = _run_install_cell("layers", monkeypatch, colab, kit_importable)
    where = f"colab={colab}, kit importable={kit_importable}"
    assert ran == [] and not path_changed, f"the install cell acted ({where}): {ran}"


def test_in_colab_the_install_cell_installs_the_kit_and_never_touches_torch(monkeypatch):
    ran, path_changed = _run_install_cell("layers", monkeypatch, colab=True, kit_importable=False)
    clone, kit, dependencies = ran
    assert clone[:2] == ["git", "clone"] and f"https://github.com/{gen.current_repo(ROOT)}" in clone
    assert "--no-deps" in kit and "--editable" in kit
    names = [re.split(r"[<>=!~]", arg)[0] for arg in dependencies if not arg.startswith("-")]
    assert "torch" not in names, "the install cell must keep Colab's own torch"
    assert {"hypothesis", "pytest-timeout"} <= set(names), f"installs {names}"
    assert path_changed


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_no_code_cell_shows_a_line_of_the_solution(module):
    solution = _solution_lines(module)
    given = re.compile(r"^(def |class )|^self\.(\w+) = \2$")  # signatures, stored arguments
    for source in _code(_notebook(module)):
        for line in source.splitlines():
            line = line.split("  #")[0].strip()
            assert given.match(line) or line not in solution, f"{module}: a cell shows {line!r}"


def test_every_lesson_and_the_readme_link_each_notebook_in_colab():
    repo = gen.current_repo(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for ex in EXERCISES:
        url = gen.colab_url(ex, repo)
        assert gen.notebook_path(ex, ROOT).is_file()
        assert readme.count(url) == 1, f"README.md: no Colab link to {ex.folder}"
        for name in ("README.md", "README.zh.md"):
            lesson = (ROOT / "exercises" / ex.folder / name).read_text(encoding="utf-8")
            head = "\n".join(lesson.splitlines()[:8])
            assert url in head, f"{ex.folder}/{name}: no Colab link near the top"
            assert len(gen.COLAB_RE.findall(lesson)) == 1, f"{ex.folder}/{name}: one Colab link"
    for path in gen.readme_paths(ROOT):
        repos = set(gen.COLAB_RE.findall(path.read_text(encoding="utf-8")))
        assert repos <= {repo}, f"{path.name}: Colab links to {repos}, the lessons to {repo}"


def _kit_copy(tmp_path):
    """The files the command reads and writes, in a folder of their own."""
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "exercises").mkdir()
    for name in ("README.md", "README.zh.md"):
        shutil.copy(ROOT / "exercises" / name, tmp_path / "exercises" / name)
    for ex in EXERCISES:
        folder = tmp_path / "exercises" / ex.folder
        folder.mkdir()
        for name in ("README.md", "README.zh.md", ex.filename, f"{ex.folder}.ipynb"):
            shutil.copy(ROOT / "exercises" / ex.folder / name, folder / name)
    return tmp_path


def test_repo_rewrites_every_link_and_the_check_keeps_it(tmp_path, capsys):
    kit = _kit_copy(tmp_path)
    assert cli(["notebooks", "--root", str(kit), "--check"]) == 0
    assert cli(["notebooks", "--root", str(kit), "--repo", "alice/builders"]) == 0
    files = [*kit.rglob("*.md"), *kit.rglob("*.ipynb")]
    links = (f"/github/{gen.PLACEHOLDER_REPO}/", f"github.com/{gen.PLACEHOLDER_REPO}")
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not any(link in text for link in links), f"{path.name} still links the placeholder"
    notebook = (kit / "exercises" / "05_layers" / "05_layers.ipynb").read_text(encoding="utf-8")
    assert "https://github.com/alice/builders" in notebook
    assert gen.current_repo(kit) == "alice/builders"
    assert cli(["notebooks", "--root", str(kit), "--check"]) == 0  # keeps alice/builders
    stub = kit / "exercises" / "05_layers" / "layers.py"
    stub.write_text(stub.read_text(encoding="utf-8") + "\n\ndef extra():\n    pass\n")
    capsys.readouterr()
    assert cli(["notebooks", "--root", str(kit), "--check"]) == 1
    out, err = capsys.readouterr()
    assert "05_layers.ipynb" in out and "python -m grader notebooks" in err
    assert cli(["notebooks", "--root", str(kit), "--repo", "not a repo"]) == 2
