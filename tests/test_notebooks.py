"""Notebooks: module files from cells (never run), notebook submissions, check() in a kernel."""

from __future__ import annotations

import html
import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import notebook_source
from grader.catalog import BY_NAME, EXERCISES, MODULE_NAMES
from grader.diagnoses import diagnosis
from grader.grading.submission import open_submission
from grader.notebook import CheckResult, find_exercises, resolve
from grader.notebook_source import Cell, build_modules, extract

ROOT = Path(__file__).resolve().parent.parent


def solution(module: str) -> str:
    return (ROOT / "solutions" / BY_NAME[module].folder / BY_NAME[module].filename).read_text()


def notebook_bytes(*sources: str, markdown: str = "# My work") -> bytes:
    cells = [new_markdown_cell(markdown)] + [new_code_cell(s) for s in sources]
    return nbformat.writes(new_notebook(cells=cells)).encode()


def solutions_notebook() -> bytes:
    """Every reference solution pasted into one notebook, one cell per module."""
    return notebook_bytes(*(solution(m) for m in MODULE_NAMES))


WRONG_MYLINEAR = solution("layers").split("class MyLinear")[0].split("class CenteredLayer")[0] + (
    "class MyLinear(nn.Module):\n"
    "    def __init__(self, in_units, units):\n"
    "        super().__init__()\n"
    "        self.weight = nn.Parameter(torch.randn(in_units, units))\n"
    "        self.bias = nn.Parameter(torch.randn(units))\n"
    "\n"
    "    def forward(self, X):\n"
    "        return torch.relu(X @ self.weight + self.bias)\n"
)


# ====================================================================== extraction


def test_only_imports_definitions_and_constants_are_kept():
    cells = [
        Cell("cell 1", "%matplotlib inline\n!pip install d2l\nimport torch\nfrom torch import nn"),
        Cell(
            "cell 2",
            "N = 3\nM = N * 2\nDTYPE = torch.float32\nW = torch.tensor([1.0, 2.0])\n"
            "torch.manual_seed(0)\nprint(N)\nnet = nn.Linear(2, 2)\nx = print(1)",
        ),
        Cell(
            "cell 3",
            "class CenteredLayer(nn.Module):\n    def forward(self, X):\n"
            "        return X - X.mean() + 0 * (N + M + W.sum())\n"
            "layer = CenteredLayer()\nfor i in range(3):\n    layer(torch.ones(2))",
        ),
    ]
    text = build_modules(cells, ["layers"])["layers"].text
    tree = ast_names(text)
    assert {"torch", "nn", "N", "M", "W", "CenteredLayer"} <= tree
    assert not {"net", "x", "layer", "i"} & tree
    for dropped in ("manual_seed", "print", "pip", "matplotlib", "for i"):
        assert dropped not in text, dropped
    assert "DTYPE" not in text  # a constant no kept definition uses


def ast_names(text: str) -> set[str]:
    import ast

    names = set()
    for node in ast.parse(text).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def test_a_later_definition_replaces_an_earlier_one():
    good, wrong = solution("layers"), WRONG_MYLINEAR
    text = build_modules([Cell("In [1]", good), Cell("In [2]", wrong)], ["layers"])["layers"].text
    assert text.count("class MyLinear") == 1 and "torch.relu" in text
    text = build_modules([Cell("In [1]", wrong), Cell("In [2]", good)], ["layers"])["layers"].text
    assert text.count("class MyLinear") == 1 and "torch.relu" not in text


def test_an_earlier_definition_used_in_between_is_kept():
    cells = [
        Cell("In [1]", "class Base:\n    x = 1"),
        Cell("In [2]", "class MLP(Base):\n    pass"),
        Cell("In [3]", "class Base:\n    x = 2"),
    ]
    text = build_modules(cells, ["blocks"])["blocks"].text
    namespace: dict = {}
    exec(compile(text, "blocks.py", "exec"), namespace)  # the generated file, not a cell
    assert namespace["MLP"].x == 1 and namespace["Base"].x == 2


def test_each_module_gets_what_its_items_need_and_nothing_else():
    cells = [
        Cell("cell 1", "import torch\nfrom torch import nn\nfrom d2l import torch as d2l"),
        Cell("cell 2", "SCALE = 2.0\ndef helper(X):\n    return X * SCALE"),
        Cell("cell 3", solution("layers").replace("return X - X.mean()", "return helper(X)")),
        Cell("cell 4", "d2l.plot(1)\nclass MLP(nn.Module):\n    pass"),
    ]
    built = build_modules(cells, ["layers", "blocks", "sharing"])
    layers, blocks = built["layers"].text, built["blocks"].text
    assert "def helper" in layers and "SCALE = 2.0" in layers
    assert "d2l" not in layers and "d2l" not in blocks  # no kept definition uses it
    assert "helper" not in blocks and "class MLP" in blocks and "import torch" not in blocks
    assert built["layers"].defined == ("CenteredLayer", "MyLinear")
    assert built["sharing"].defined == ()


def test_broken_and_magic_cells_are_left_out_with_a_note():
    cells = [
        Cell("In [1]", "from torch import nn"),
        Cell("In [2]", "class MyLinear(nn.Module)\n    pass"),  # no colon
        Cell("In [3]", "%%time\nclass CenteredLayer(nn.Module):\n    pass"),
        Cell("In [4]", "MyLinear?\n!ls\nclass Other(nn.Module):\n    pass"),
    ]
    built = build_modules(cells, ["layers"])["layers"]
    assert built.defined == ()
    assert any(n.startswith("In [2] was left out: it is not valid Python") for n in built.notes)
    assert any(
        n.startswith("In [3] was left out: it starts with the cell magic %%time")
        for n in built.notes
    )
    compile(built.text, "layers.py", "exec")
    # A syntax error fixed in a later cell is old news: no note.
    fixed = [*cells, Cell("In [5]", "class MyLinear(nn.Module):\n    pass")]
    notes = build_modules(fixed, ["layers"])["layers"].notes
    assert not any("In [2]" in n for n in notes)


def test_lines_map_back_to_the_learners_cell():
    cells = [
        Cell("In [1]", "import torch\nfrom torch import nn"),
        Cell("In [7]", "\n\n" + WRONG_MYLINEAR),
    ]
    built = build_modules(cells, ["layers"])["layers"]
    lines = built.text.splitlines()
    lineno = next(i for i, line in enumerate(lines, 1) if "torch.relu" in line)
    label, line = built.where(lineno)
    assert label == "In [7]"
    assert cells[1].source.splitlines()[line - 1].strip() == lines[lineno - 1].strip()
    assert built.where(1) is None  # the file's own header


def test_extraction_never_runs_the_cells(tmp_path):
    marker = tmp_path / "ran"
    cells = [Cell("In [1]", f"open({str(marker)!r}, 'w').close()\nclass MLP:\n    pass")]
    extract(cells)
    build_modules(cells)
    assert not marker.exists()


# ====================================================================== submissions


def statuses(sub) -> dict[str, str]:
    return {m: f.status for m, f in sub.modules.items()}


def test_a_notebook_alone_in_a_folder_or_in_archives_is_a_submission(tmp_path):
    data = notebook_bytes(solution("layers"), solution("sharing"))
    alone = tmp_path / "alice.ipynb"
    alone.write_bytes(data)
    folder = tmp_path / "bob" / "work"
    folder.mkdir(parents=True)
    (folder / "mine.ipynb").write_bytes(data)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "mine-checkpoint.ipynb").write_bytes(data)  # skipped
    zipped = tmp_path / "carol.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("work/mine.ipynb", data)
    tarred = tmp_path / "dave.tar.gz"
    with tarfile.open(tarred, "w:gz") as tf:
        info = tarfile.TarInfo("work/mine.ipynb")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    for path in (alone, tmp_path / "bob", zipped, tarred):
        sub = open_submission(path, ["layers", "sharing", "blocks"])
        assert statuses(sub) == {"layers": "found", "sharing": "found", "blocks": "missing"}, path
        assert sub.modules["layers"].origin.endswith(
            "mine.ipynb" if path != alone else "alice.ipynb"
        )
        assert "class MyLinear" in sub.modules["layers"].source.decode()
        assert "no notebook in it defines MLP" in sub.modules["blocks"].message
    assert open_submission(alone, ["layers"]).name == "alice"


def test_a_module_file_wins_over_a_notebook_unless_it_is_the_kits_stub(tmp_path):
    data = notebook_bytes(solution("layers"))
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "work.ipynb").write_bytes(data)
    (folder / "layers.py").write_text(solution("layers") + "\n# my own file\n")
    found = open_submission(folder, ["layers"]).modules["layers"]
    assert found.origin == "layers.py"
    stub = (ROOT / "exercises" / "05_layers" / "layers.py").read_text()
    (folder / "layers.py").write_text(stub)
    found = open_submission(folder, ["layers"]).modules["layers"]
    assert found.origin == "work.ipynb" and "X @ self.weight" in found.source.decode()


def test_in_a_kit_copy_a_worked_notebook_wins_over_the_untouched_stub(tmp_path):
    stub = (ROOT / "exercises" / "05_layers" / "layers.py").read_text()
    folder = tmp_path / "kit" / "exercises" / "05_layers"
    folder.mkdir(parents=True)
    (folder / "layers.py").write_text(stub)
    (folder / "05_layers.ipynb").write_bytes(notebook_bytes("from grader import notebook", stub))
    found = open_submission(tmp_path / "kit", ["layers"]).modules["layers"]
    assert found.origin == "exercises/05_layers/layers.py"  # both hold the stub
    (folder / "05_layers.ipynb").write_bytes(notebook_bytes(stub, solution("layers")))
    found = open_submission(tmp_path / "kit", ["layers"]).modules["layers"]
    assert found.origin == "exercises/05_layers/05_layers.ipynb"


def test_two_notebooks_defining_one_module_reject_it(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "a.ipynb").write_bytes(notebook_bytes(solution("layers")))
    (folder / "b.ipynb").write_bytes(notebook_bytes(solution("layers"), solution("blocks")))
    sub = open_submission(folder, ["layers", "blocks"])
    assert statuses(sub) == {"layers": "rejected", "blocks": "found"}
    assert "2 notebooks define layers" in sub.modules["layers"].message


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"{not json", "not a Jupyter notebook (not JSON)"),
        (b'{"hello": 1}', "not a Jupyter notebook"),
        (b"\xff\xfe\x00binary", "not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "not a Jupyter notebook"),
    ],
    ids=["bad-json", "not-a-notebook", "binary", "nesting"],
)
def test_a_broken_notebook_is_rejected_with_a_sentence(tmp_path, content, reason):
    path = tmp_path / "broken.ipynb"
    path.write_bytes(content)
    sub = open_submission(path, ["layers", "blocks"])
    for found in sub.modules.values():
        assert found.status == "rejected"
        assert (
            found.message.startswith("broken.ipynb could not be read: ") and reason in found.message
        )


def test_a_huge_notebook_is_rejected_unread(tmp_path):
    path = tmp_path / "huge.ipynb"
    with open(path, "wb") as f:
        f.truncate(notebook_source.MAX_NOTEBOOK_BYTES + 1)
    (found,) = open_submission(path, ["layers"]).modules.values()
    assert found.status == "rejected" and "larger than 16 MiB" in found.message


def test_a_broken_notebook_beside_module_files_rejects_only_what_they_miss(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "layers.py").write_text(solution("layers"))
    (folder / "rest.ipynb").write_text("{")
    sub = open_submission(folder, ["layers", "blocks"])
    assert statuses(sub) == {"layers": "found", "blocks": "rejected"}
    assert "rest.ipynb could not be read" in sub.modules["blocks"].message


def grade(*paths: Path, modules: str) -> dict:
    command = [sys.executable, "-m", "grader", "grade", *map(str, paths), "--modules", modules]
    command += ["--format", "json", "--seed", "1", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_solutions_in_one_notebook_grade_full_marks(tmp_path):
    path = tmp_path / "solutions.ipynb"
    path.write_bytes(solutions_notebook())
    (sub,) = grade(path, modules=",".join(MODULE_NAMES))["submissions"]
    assert [e["module"] for e in sub["exercises"]] == list(MODULE_NAMES)
    for ex in sub["exercises"]:
        assert ex["status"] == "passed" and ex["score"] == ex["max_score"] > 0, ex
    assert sub["score"] == sub["max_score"]


def test_training_cells_and_shell_lines_change_nothing(tmp_path):
    plain = tmp_path / "plain.ipynb"
    plain.write_bytes(notebook_bytes(solution("layers"), solution("training")))
    busy = tmp_path / "busy.ipynb"
    busy.write_bytes(
        notebook_bytes(
            "!pip install d2l==1.0.3\n%matplotlib inline\nimport torch",
            solution("layers"),
            "net = MyLinear(2, 1)\nfor epoch in range(3):\n    print(net(torch.ones(2)))",
            solution("training"),
            "features, labels = synthetic_data(torch.tensor([2.0]), 1.0, 100)\n"
            "train(nn.Linear(1, 1), features, labels)\ndisplay(features)",
        )
    )
    report = grade(plain, busy, modules="layers,training")
    verdicts = [
        [(e["module"], e["score"], [t["status"] for t in e["tests"]]) for e in sub["exercises"]]
        for sub in report["submissions"]
    ]
    assert verdicts[0] == verdicts[1]
    assert all(sub["score"] == sub["max_score"] for sub in report["submissions"])


def test_pytest_takes_a_notebook_as_impl(tmp_path):
    path = tmp_path / "solutions.ipynb"
    path.write_bytes(solutions_notebook())
    command = [sys.executable, "-m", "pytest", "exercises/05_layers", "--impl", str(path), "-q"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "14 passed" in done.stdout
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{")
    command[command.index(str(path))] = str(broken)
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode != 0 and "not a Jupyter notebook" in done.stderr


# ====================================================================== check()


def test_targets_name_an_exercise_or_an_item():
    assert resolve("layers") == ("layers", None)
    assert resolve("05_layers") == ("layers", None)
    assert resolve("MyLinear") == ("layers", "MyLinear")
    with pytest.raises(ValueError, match="neither an exercise"):
        resolve("MyLiner")
    assert find_exercises() == ROOT / "exercises"  # this checkout (an editable install)


def test_the_kit_root_can_be_given(tmp_path, monkeypatch):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "conftest.py").write_text("")
    monkeypatch.setenv("KIT_ROOT", str(tmp_path))
    assert find_exercises() == tmp_path / "exercises"


def test_the_result_escapes_what_it_shows():
    from grader.notebook import Check

    result = CheckResult("layers", "layers", 0, 3, [], ["test_x"])
    result.checks = [Check("test_x", 3, "MyLinear", False, message="<script>alert(1)</script>")]
    assert "<script>" not in result.html() and "&lt;script&gt;" in result.html()
    assert "<script>" not in result._repr_html_()
    assert "FAIL test_x (3)" in result.text()


def run_notebook(*sources: str, timeout: int = 300) -> list:
    """Execute the cells in a real Jupyter kernel; the executed cells."""
    nbclient = pytest.importorskip("nbclient")
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    client = nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=timeout, resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    return nb.cells


def outputs(cell) -> str:
    text = []
    for out in cell.get("outputs", []):
        text.append(out.get("text", ""))
        for value in out.get("data", {}).values():
            text.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(text)


def test_check_in_a_kernel_sees_the_current_definitions():
    layers = solution("layers")
    cells = run_notebook(
        "from grader.notebook import check\nimport json",
        layers,
        "first = check('layers')",
        "class MyLinear" + WRONG_MYLINEAR.split("class MyLinear")[1],
        "second = check('layers')",
        "%load_ext grader\nthird = %kit MyLinear",
        "rows = [[r.score, r.max_score, r.failed, r.status] for r in (first, second, third)]\n"
        "print(json.dumps(rows))",
    )
    first, second, third = json.loads(outputs(cells[-1]))
    assert first[0] == first[1] > 0 and first[2] == [] and first[3] == "passed"
    assert second[0] < second[1] == first[1] and "test_mylinear_has_no_activation" in second[2]
    assert not any(name.startswith("test_centered") for name in second[2])
    assert third[2] == second[2] and third[1] < first[1]  # only MyLinear's checks
    shown = outputs(cells[4])
    assert "text/html" in json.dumps(cells[4]["outputs"])
    assert html.escape(diagnosis("layers", "relu_inside")) in shown
    # The test's own assertion failed, not a line of the learner's: the item's cell is shown.
    assert "MyLinear is defined in In [4], line 1: class MyLinear(nn.Module):" in html.unescape(
        shown
    )


def test_a_check_that_never_ends_is_stopped_and_the_kernel_lives():
    endless = (
        "import torch\nfrom torch import nn\n\n"
        "class MyLinear(nn.Module):\n"
        "    def __init__(self, in_units, units):\n"
        "        super().__init__()\n"
        "        self.weight = nn.Parameter(torch.randn(in_units, units))\n"
        "        self.bias = nn.Parameter(torch.randn(units))\n\n"
        "    def forward(self, X):\n"
        "        while True:\n"
        "            pass\n"
    )
    cells = run_notebook(
        "from grader.notebook import check",
        endless,
        "r = check('MyLinear', timeout=20)",
        "print('alive', r.status, r.timed_out, r.score)",
    )
    assert outputs(cells[-1]).startswith("alive timeout True")
    assert "the checks were stopped after" in outputs(cells[2])


def test_every_exercise_can_be_checked_by_name():
    assert {resolve(ex.name)[0] for ex in EXERCISES} == set(MODULE_NAMES)
    assert all(resolve(item)[1] == item for ex in EXERCISES for item in ex.items)
