"""``python -m grader release OUT``: the learners' copy works on its own and holds no solution.

The copy is installed in a fresh virtual environment that sees this machine's
site-packages (torch, pytest and Hypothesis come from there, nothing is downloaded),
where
``pytest exercises/`` fails every test as the pristine stubs do and prints the progress
table. Every file of the copy is searched for the reference solutions' code.
"""

from __future__ import annotations

import ast
import os
import site
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from grader.release import LEARNER_MODULES, PLACEHOLDER_REPO, WORKFLOW

pytestmark = pytest.mark.timeout(300)

ROOT = Path(__file__).resolve().parent.parent
MEANINGFUL = 25  # non-space characters that make a line of code worth looking for


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "learners"
    proc = cli("release", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return out


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_the_copy_holds_what_learners_need_and_nothing_else(copy):
    names = {p.relative_to(copy).as_posix() for p in files(copy)}
    for ex in sorted((ROOT / "exercises").iterdir()):
        if ex.is_dir() and not ex.name.startswith(("_", ".")):
            for f in ex.iterdir():
                if f.is_file() and f.suffix in (".py", ".md"):
                    assert f"exercises/{ex.name}/{f.name}" in names
    for must in ("exercises/conftest.py", "README.md", "pyproject.toml", ".gitignore"):
        assert must in names
    assert WORKFLOW.as_posix() in names
    assert {f"grader/{m}" for m in LEARNER_MODULES} <= names
    parts = {part for name in names for part in Path(name).parts}
    for banned in ("solutions", "tests", "mutants", "alternatives", "benchmarks", ".git"):
        assert banned not in parts, banned
    for engine in ("grading", "isolation", "formats", "release.py"):
        assert engine not in {Path(n).parts[1] for n in names if n.startswith("grader/")}
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_the_readme_speaks_to_learners(copy):
    text = (copy / "README.md").read_text(encoding="utf-8")
    for said in ("pytest exercises/", "grader hint", "grader watch", "progress"):
        assert said in text
    for unsaid in ("solutions", "--impl", "grader grade", "instructor", "$"):
        assert unsaid not in text, unsaid
    assert "exercises/05_layers" in text and "exercises/09_training" in text


def test_the_pyproject_has_the_kits_dependencies(copy):
    tomllib = pytest.importorskip("tomllib")
    kit = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    ours = tomllib.loads((copy / "pyproject.toml").read_text(encoding="utf-8"))
    assert ours["project"]["dependencies"] == kit["dependencies"]
    assert any(d.replace(" ", "").endswith("<2.14") for d in ours["project"]["dependencies"])
    assert ours["tool"]["setuptools"]["packages"]["find"]["include"] == ["grader*"]
    assert ours["project"]["name"] != kit["name"]  # never replaces an instructor's install


def test_the_workflow_is_the_classroom_workflow(copy):
    shipped = (copy / WORKFLOW).read_text(encoding="utf-8")
    assert shipped == (ROOT / "docs" / "classroom-workflow.yml").read_text(encoding="utf-8")


def test_kit_repo_and_ref_name_the_instructors_kit(tmp_path):
    out = tmp_path / "named"
    proc = cli("release", str(out), "--kit-repo", "course/kit-2026", "--kit-ref", "v2")
    assert proc.returncode == 0, proc.stderr
    flow = (out / WORKFLOW).read_text(encoding="utf-8")
    assert PLACEHOLDER_REPO not in flow
    assert "repository: course/kit-2026" in flow
    assert any(line.strip() == "ref: v2" for line in flow.splitlines())


@pytest.mark.parametrize("kind", ["not empty", "a file"])
def test_an_out_that_is_not_new_or_empty_is_refused(tmp_path, kind):
    out = tmp_path / "out"
    if kind == "a file":
        out.write_text("x")
    else:
        out.mkdir()
        (out / "keep.txt").write_text("mine")
    proc = cli("release", str(out))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("grader: ")
    assert "Traceback" not in proc.stderr
    assert (out / "keep.txt").read_text() == "mine" if kind == "not empty" else out.is_file()


def test_an_out_inside_what_is_copied_is_refused():
    proc = cli("release", str(ROOT / "exercises" / "learners"))
    assert proc.returncode == 2 and "lies inside" in proc.stderr
    assert not (ROOT / "exercises" / "learners").exists()


def test_an_empty_out_is_fine(tmp_path):
    proc = cli("release", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "exercises" / "conftest.py").is_file()


# ---------------------------------------------------------------- no solution text


def _body_lines(source: str) -> set[str]:
    """Code lines of every function body (docstrings and comments left out)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]
        if not body:
            continue
        docstrings = {
            n.lineno
            for n in ast.walk(node)
            if isinstance(n, ast.Expr) and isinstance(getattr(n, "value", None), ast.Constant)
        }
        for i in range(body[0].lineno, node.end_lineno + 1):
            line = lines[i - 1].strip()
            if i in docstrings or line.startswith("#"):
                continue
            found.add(line)
    return found


def _text(paths) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in paths if p.suffix in (".py", ".md"))


def solution_lines() -> set[str]:
    """Meaningful lines of the solutions that the exercises (stubs, tests, lessons) lack."""
    corpus = _text(p for p in (ROOT / "exercises").rglob("*") if p.is_file())
    lines = set()
    for path in (ROOT / "solutions").glob("*/*.py"):
        for line in _body_lines(path.read_text(encoding="utf-8")):
            if len("".join(line.split())) >= MEANINGFUL and line not in corpus:
                lines.add(line)
    return lines


def test_no_solution_text_in_the_copy(copy):
    lines = solution_lines()
    assert len(lines) > 50  # the check looks for something
    leaks = []
    for path in files(copy):
        text = path.read_text(encoding="utf-8", errors="replace")
        leaks += [f"{path.relative_to(copy)}: {line}" for line in lines if line in text]
    assert not leaks, "solution code in the learners' copy:\n" + "\n".join(leaks[:20])
    assert not any(p.name == "solutions" for p in copy.rglob("*"))


# ---------------------------------------------------------------- installed and run


def test_installed_in_a_fresh_venv_every_exercise_test_fails_as_on_the_stubs(copy, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # This machine's site-packages on the venv's path, as --system-site-packages would
    # put them, but as plain folders: torch, pytest, Hypothesis, pip and setuptools come
    # from there (nothing is downloaded), while their .pth files stay unread, among them
    # the kit's own editable install, whose finder would hand the copy's `grader` every
    # module the copy lacks.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    machine = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "machine_site_packages.pth").write_text("\n".join(machine) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KIT_LANG")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "-e", str(copy)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    where = subprocess.run(
        [str(python), "-c", "import grader; print(grader.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert Path(where.stdout.strip()).resolve().is_relative_to(copy.resolve()), where

    junit = tmp_path / "junit.xml"
    run = subprocess.run(
        [str(python), "-m", "pytest", "exercises/", f"--junitxml={junit}"],
        cwd=copy,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert "= progress =" in run.stdout
    assert "next: " in run.stdout and "not started" in run.stdout

    outcomes = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        path = case.get("classname").replace(".", "/") + ".py"
        kinds = {child.tag for child in case} & {"failure", "error", "skipped"}
        outcomes[f"{path}::{case.get('name')}"] = kinds.pop() if kinds else "passed"
    kit = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "exercises/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    expected = {line for line in kit.stdout.splitlines() if "::" in line}
    assert set(outcomes) == expected
    passed = [k for k, v in outcomes.items() if v == "passed"]
    assert not passed, f"tests pass on the stubs of the learners' copy: {passed[:5]}"
    skipped = [k for k, v in outcomes.items() if v == "skipped"]
    assert all("cuda" in k for k in skipped), skipped  # only GPU tests, on a machine without

    hint = subprocess.run(
        [str(python), "-m", "grader", "hint", "MyLinear"],
        cwd=copy,
        capture_output=True,
        text=True,
        env=env,
    )
    assert hint.returncode == 0 and "MyLinear" in hint.stdout, hint.stderr
    grade = subprocess.run(
        [str(python), "-m", "grader", "grade", "exercises"],
        cwd=copy,
        capture_output=True,
        text=True,
        env=env,
    )
    assert grade.returncode == 2
    assert "not part of this copy" in grade.stderr and "Traceback" not in grade.stderr
