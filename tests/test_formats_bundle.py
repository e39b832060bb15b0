"""The Gradescope autograder bundle (``python -m grader gradescope-bundle OUT.zip``).

The bundle is built, unpacked into a Gradescope-like layout under a temporary root
(``<tmp>/autograder/source``, ``submission``, ``results``) and its ``run_autograder``
is run with ``AUTOGRADER_ROOT`` pointing there and ``AUTOGRADER_PYTHON`` set to this
interpreter, without ``setup.sh`` (the kit is installed here already). One test runs
the real grader on a submission; the others stand in a fake interpreter to check how
the script calls it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from test_formats import assert_valid

from grader.catalog import BY_NAME, MODULE_NAMES
from grader.formats import bundle

KIT = Path(__file__).resolve().parents[1]


def build(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "autograder.zip"
    assert bundle.main([str(out), *args]) == 0
    return out


def unpack(zip_path: Path, root: Path) -> Path:
    """Unpack as Gradescope does (into ROOT/source, keeping the executable bits)."""
    source = root / "source"
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            target = source / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                target.chmod(mode)
    (root / "submission").mkdir(parents=True, exist_ok=True)
    return source


def run_autograder(
    root: Path, python: str, timeout: float = 60, **extra_env: str
) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": python, **extra_env}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(root / "source" / "run_autograder")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_bundle_contents(tmp_path):
    instructor = tmp_path / "private"
    (instructor / "sub").mkdir(parents=True)
    (instructor / "test_secret.py").write_text("def test_x():\n    pass\n")
    (instructor / "sub" / "data.txt").write_text("x")
    (instructor / "__pycache__").mkdir()
    (instructor / "__pycache__" / "junk.pyc").write_bytes(b"\0")
    out = build(tmp_path, "--tests", str(instructor), "--timeout", "90")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        infos = {i.filename: i for i in zf.infolist()}
        run = zf.read("run_autograder").decode()
        setup = zf.read("setup.sh").decode()
        manifest = json.loads(zf.read("bundle.json"))
    for script in ("setup.sh", "run_autograder"):
        assert script in names  # at the root of the archive, as Gradescope wants
        assert (infos[script].external_attr >> 16) & stat.S_IXUSR
    kit = {"pyproject.toml", "setup.py", "README.md", "grader/__init__.py"}
    assert kit | {"grader/formats/bundle.py"} <= set(names)
    for ex in BY_NAME.values():
        for name in (ex.test_filename, "exercise.toml", "feedback.toml"):  # the catalogue too
            assert f"exercises/{ex.folder}/{name}" in names
    assert "instructor_tests/test_secret.py" in names
    assert "instructor_tests/sub/data.txt" in names
    assert not [n for n in names if n.startswith(("solutions/", "tests/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert '--tests "$SOURCE/instructor_tests"' in run and "--timeout 90" in run
    assert "--format gradescope" in run and '--output "$WORK/out/results.json"' in run
    assert 'cp "$WORK/out/results.json" "$RESULTS/results.json"' in run
    assert manifest["instructor_tests"] == 2
    # setup.sh installs the torch range pyproject.toml allows, CPU wheels, then the kit
    torch = bundle.torch_requirement(KIT)
    assert torch.startswith("torch") and torch in setup
    assert "download.pytorch.org/whl/cpu" in setup and 'pip install -e "$SOURCE"' in setup
    for script in (run, setup):
        subprocess.run(["bash", "-n"], input=script, text=True, check=True)


def test_bundle_is_reproducible(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = build(tmp_path / "a").read_bytes()
    assert build(tmp_path / "b").read_bytes() == first


def test_bundle_usage_errors(tmp_path, capsys):
    out = str(tmp_path / "x.zip")
    assert bundle.main([out, "--tests", str(tmp_path / "nowhere")]) == 2
    assert bundle.main([out, "--kit", str(tmp_path)]) == 2
    assert bundle.main([out, "--timeout", "-3"]) == 2
    assert bundle.main([]) == 2
    assert bundle.main(["--help"]) == 0
    assert not (tmp_path / "x.zip").exists()
    assert "no such folder" in capsys.readouterr().err


FAKE_PYTHON = """\
#!{python}
# Stands in for the interpreter: records how run_autograder called it, writes results.
import json, os, sys
root = os.environ["AUTOGRADER_ROOT"]
listing = sorted(os.listdir(sys.argv[4])) if os.path.isdir(sys.argv[4]) else None
with open(os.path.join(root, "call.json"), "w") as f:
    json.dump({{"argv": sys.argv[1:], "cwd": os.getcwd(), "listing": listing}}, f)
if os.environ.get("FAKE_FAIL"):
    sys.exit(3)
out = sys.argv[sys.argv.index("--output") + 1]
with open(out, "w") as f:
    json.dump({{"score": 1, "tests": []}}, f)
"""


@pytest.fixture
def fake_layout(tmp_path):
    root = tmp_path / "autograder"
    unpack(build(tmp_path, "--timeout", "30", "--grade-arg=--seed=7"), root)
    fake = tmp_path / "fake-python"
    fake.write_text(FAKE_PYTHON.format(python=sys.executable))
    fake.chmod(0o755)
    return root, str(fake)


def test_run_autograder_calls_the_grader(fake_layout):
    root, fake = fake_layout
    # a learner who zipped the folder, not its contents
    nested = root / "submission" / "my-kit"
    nested.mkdir()
    (nested / "blocks.py").write_text("")
    (nested / "layers.py").write_text("")
    done = run_autograder(root, fake)
    assert done.returncode == 0, done.stderr
    call = json.loads((root / "call.json").read_text())
    argv = call["argv"]
    # the grader works on a copy of the folder, in a fresh folder of its own
    assert argv[:3] == ["-m", "grader", "grade"]
    assert call["listing"] == ["blocks.py", "layers.py"]
    assert Path(argv[3]).parent == Path(call["cwd"]) and not Path(call["cwd"]).exists()
    assert argv[argv.index("--kit") + 1] == str(root / "source")
    assert argv[argv.index("--format") + 1] == "gradescope"
    assert argv[argv.index("--submission-timeout") + 1] == "480"
    assert argv[argv.index("--timeout") + 1] == "30" and "--seed=7" in argv
    assert json.loads((root / "results" / "results.json").read_text())["score"] == 1


def test_run_autograder_grades_a_flat_submission_where_it_is(fake_layout):
    root, fake = fake_layout
    (root / "submission" / "blocks.py").write_text("")
    (root / "submission" / "__MACOSX").mkdir()
    assert run_autograder(root, fake).returncode == 0
    call = json.loads((root / "call.json").read_text())
    assert call["listing"] == ["__MACOSX", "blocks.py"]  # the submission folder itself


def test_run_autograder_says_why_when_the_grader_writes_no_results(fake_layout):
    root, fake = fake_layout
    done = run_autograder(root, fake, FAKE_FAIL="1")
    assert "exit status 3 before writing results" in done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "could not grade" in results["output"]
    assert_valid(results, "gradescope-results.schema.json")


def _engine_missing() -> str | None:
    for name in ("grader.cli", "grader.grading.engine", "grader.__main__"):
        if importlib.util.find_spec(name) is None:
            return f"the grading engine ({name}) is not there yet"
    return None


@pytest.mark.skipif(_engine_missing() is not None, reason=str(_engine_missing()))
def test_bundle_grades_a_submission_like_gradescope(tmp_path):
    root = tmp_path / "autograder"
    unpack(build(tmp_path, "--timeout", "120"), root)
    module = "layers" if "layers" in BY_NAME else MODULE_NAMES[0]
    solution = KIT / "solutions" / BY_NAME[module].folder / BY_NAME[module].filename
    shutil.copy(solution, root / "submission" / solution.name)
    done = run_autograder(root, sys.executable, timeout=540)
    assert done.returncode == 0, textwrap.shorten(done.stdout + done.stderr, 3000)
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert_valid(results, "gradescope-results.schema.json")
    cases = results["tests"]
    graded = [c for c in cases if c["tags"] == [module] and not c["number"].endswith(".0")]
    assert graded and all(c["status"] == "passed" for c in graded)
    assert results["score"] == sum(c["max_score"] for c in graded) > 0
    # every other module the kit has tests for is graded as missing, and says so
    others = {c["tags"][0] for c in cases} - {module}
    for other in others:
        assert any(c["name"] == f"{other}: missing" for c in cases), other
        assert f"{other}: missing" in results["output"]
