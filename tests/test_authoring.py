"""An exercise is its folder: ``python -m grader new`` scaffolds one that works end to
end, touching nothing else, and ``python -m grader check-exercise`` says what one lacks."""

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from harness import ROOT

from grader import authoring, catalog
from grader.catalog import BY_NAME, MODULE_NAMES, CatalogError


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_exercise_has_its_files_and_defines_its_items(module):
    places = authoring.Places(ROOT, BY_NAME[module])
    found = authoring.lacks_files(places) + authoring.lacks_items(places)
    assert found + authoring.lacks_titles(places) == []


def test_the_catalogue_is_the_exercise_folders_in_order():
    folders = sorted(p.parent.name for p in (ROOT / "exercises").glob("*/exercise.toml"))
    assert [ex.folder for ex in catalog.EXERCISES] == folders
    assert [ex.number for ex in catalog.EXERCISES] == list(range(1, len(folders) + 1))


# ---------------------------------------------------------------- the self-test's teeth


@pytest.fixture
def scaffolded(tmp_path):
    """A kit with one exercise, fresh from the scaffold (its notebook aside)."""
    (tmp_path / "exercises").mkdir()
    authoring.scaffold(
        tmp_path,
        "demo",
        "Demo",
        "演示",
        ["Double", "halve"],
        "5.9",
        "https://d2l.ai/x",
        "https://zh.d2l.ai/x",
    )
    places = authoring.Places.of(tmp_path, "demo")
    nb = places.folder / f"{places.ex.folder}.ipynb"
    nb.write_text("{}")
    return places


def _edit_toml(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_fresh_scaffold_lacks_nothing(scaffolded):
    assert authoring.static_findings(scaffolded) == []
    assert scaffolded.ex.folder == "01_demo" and scaffolded.ex.items == ("Double", "halve")


def test_the_self_test_names_a_missing_hint(scaffolded):
    manifest = scaffolded.folder / "exercise.toml"
    _edit_toml(manifest, '    "TODO: the PyTorch API halve needs.",\n', "")
    assert authoring.lacks_hints(scaffolded) == [
        "halve: 2 hints; give at least 3, each more concrete",
        "halve: the Chinese hints are not one for each English hint",
    ]


def test_the_self_test_names_a_hint_that_quotes_the_solution(scaffolded):
    solution = scaffolded.solution
    solution.write_text(solution.read_text().replace("return X", "return X.clone().detach()"))
    manifest = scaffolded.folder / "exercise.toml"
    _edit_toml(manifest, "TODO: the PyTorch API halve needs.", "Write return X.clone().detach()")
    assert authoring.lacks_hints(scaffolded) == [
        "halve: a hint quotes the solution: return X.clone().detach()"
    ]


def test_the_self_test_names_a_test_without_a_sentence_and_a_stale_sentence(scaffolded):
    feedback = scaffolded.folder / "feedback.toml"
    _edit_toml(feedback, "[checks.test_halve_returns_its_input]", "[checks.test_gone]")
    assert authoring.lacks_checks(scaffolded) == [
        "test_halve_returns_its_input: no [checks] sentence saying what it checks",
        "a [checks] sentence for test_gone, which is not a test",
    ]


def test_the_self_test_names_a_signature_without_text_and_a_text_without_mutant(scaffolded):
    feedback = scaffolded.folder / "feedback.toml"
    _edit_toml(feedback, "[diagnoses.halve_returns_nothing]", "[diagnoses.halve_other]")
    assert authoring.lacks_diagnoses(scaffolded) == [
        "signature halve_returns_nothing: no [diagnoses] text",
        "[diagnoses] halve_other: no check names this signature",
    ]
    assert authoring.lacks_mutants(scaffolded) == [
        "mutant halve_returns_nothing.py names halve_returns_nothing, which is no diagnosis",
        "diagnosis halve_other: no mutant proves it",
    ]


def test_the_self_test_names_a_lesson_whose_title_is_not_the_manifests(scaffolded):
    _edit_toml(scaffolded.folder / "exercise.toml", 'en = "Demo"', 'en = "Demo two"')
    places = authoring.Places.of(scaffolded.root, "demo")
    assert authoring.lacks_titles(places) == [
        "README.md begins '# 01 · Demo'; the manifest's title gives '# 01 · Demo two'"
    ]


def test_the_self_test_names_a_missing_item_and_file(scaffolded):
    stub = scaffolded.stub
    stub.write_text(stub.read_text().replace("def halve(", "def halved("))
    (scaffolded.folder / "README.zh.md").unlink()
    assert authoring.lacks_items(scaffolded) == ["exercises/01_demo/demo.py defines no halve"]
    assert authoring.lacks_files(scaffolded) == ["no exercises/01_demo/README.zh.md"]


def test_a_manifest_that_cannot_be_read_is_one_sentence_naming_it(tmp_path):
    folder = tmp_path / "exercises" / "01_demo"
    folder.mkdir(parents=True)
    (folder / "exercise.toml").write_text('name = "demo"\nitems = [\n')
    with pytest.raises(CatalogError, match=r"cannot read .*01_demo/exercise.toml"):
        catalog.load(tmp_path)
    (folder / "exercise.toml").write_text('name = "demo"\nitems = ["x"]\ntitle = "Demo"\n')
    with pytest.raises(CatalogError, match="`title` needs an `en` and a `zh` text"):
        catalog.load(tmp_path)


def test_new_refuses_a_name_taken_or_malformed(scaffolded):
    from grader.errors import GraderError

    with pytest.raises(GraderError, match="already has an exercise named 'demo'"):
        authoring.scaffold(scaffolded.root, "demo", "D", "D", ["x"], "", "", "")
    with pytest.raises(GraderError, match="lower case"):
        authoring.scaffold(scaffolded.root, "Demo-2", "D", "D", ["x"], "", "", "")


# ---------------------------------------------------------------- end to end


def _kit_copy(tmp_path: Path) -> Path:
    """A copy of the kit (what git tracks of it, as a fresh clone has it), in git."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    kit = tmp_path / "kit"
    for name in listed:
        if name.startswith(("tests/", "benchmarks/")) or not (ROOT / name).is_file():
            continue
        (kit / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, kit / name)
    git = ["git", "-c", "user.name=k", "-c", "user.email=k@k"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run([*git, *step], cwd=kit, check=True)
    return kit


def _python_of(kit: Path, tmp_path: Path) -> str:
    """An interpreter whose ``grader`` is the copy's, workers included (they run ``-I``)."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = str(env_dir / "bin" / "python")
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "0_kit_copy.pth").write_text(f"import sys; sys.path.insert(0, {str(kit)!r})\n")
    return python


@pytest.mark.slow
def test_a_scaffolded_exercise_works_end_to_end_and_touches_only_its_places(tmp_path):
    kit = _kit_copy(tmp_path)
    python = _python_of(kit, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != catalog.KIT_ROOT_ENV}

    def grader(*args):
        return subprocess.run(
            [python, "-m", "grader", *args], cwd=kit, env=env, capture_output=True, text=True
        )

    made = grader("new", "demo", "--items", "Double,halve", "--title-zh", "演示")
    assert made.returncode == 0, made.stderr
    changed = subprocess.run(
        ["git", "status", "--porcelain", "-uall"], cwd=kit, capture_output=True, text=True
    ).stdout.split("\n")
    paths = sorted(line[3:] for line in changed if line)
    own = [p for p in paths if p.startswith(("exercises/10_demo/", "solutions/10_demo/"))]
    own += [p for p in paths if p.startswith("tests/mutants/demo/")]
    tables = ["README.md", "exercises/README.md", "exercises/README.zh.md"]
    assert sorted(set(paths) - set(own)) == tables  # rewritten by `grader notebooks`
    assert len(own) == 10, own
    assert "10_demo" in (kit / "README.md").read_text()

    checked = grader("check-exercise", "demo")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "10_demo: complete" in checked.stdout
    assert grader("notebooks", "--check").returncode == 0

    submission = tmp_path / "sub"
    submission.mkdir()
    shutil.copy(kit / "solutions" / "10_demo" / "demo.py", submission / "demo.py")
    graded = grader("grade", str(submission), "--modules", "demo", "--format", "json")
    assert graded.returncode == 0, graded.stderr
    (exercise,) = json.loads(graded.stdout)["submissions"][0]["exercises"]
    assert (exercise["score"], exercise["max_score"]) == (2, 2)

    mutant = (kit / "tests" / "mutants" / "demo" / "halve_returns_nothing.py").read_text()
    (submission / "demo.py").write_text((submission / "demo.py").read_text() + "\n" + mutant)
    graded = grader("grade", str(submission), "--modules", "demo", "--format", "json")
    (exercise,) = json.loads(graded.stdout)["submissions"][0]["exercises"]
    failed = [t for t in exercise["tests"] if t["status"] != "passed"]
    assert [t["name"] for t in failed] == ["test_halve_returns_its_input"]
    assert "halve returned no tensor: end it with `return`" in failed[0]["message"]


def test_the_learners_copy_carries_the_manifests(tmp_path):
    out = tmp_path / "copy"
    done = subprocess.run(
        [sys.executable, "-m", "grader", "release", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for ex in catalog.EXERCISES:
        for name in ("exercise.toml", "feedback.toml"):
            assert (out / "exercises" / ex.folder / name).is_file()
    assert not (out / "grader" / "authoring.py").exists()


def test_the_command_line_says_which_manifest_it_cannot_read(tmp_path):
    folder = tmp_path / "exercises" / "01_demo"
    folder.mkdir(parents=True)
    (folder / "exercise.toml").write_text('name = "demo"\nitems = [\n')
    done = subprocess.run(
        [sys.executable, "-m", "grader", "progress"],
        cwd=tmp_path,
        env={**os.environ, catalog.KIT_ROOT_ENV: str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("grader: cannot read ") and "01_demo/exercise.toml" in done.stderr
    assert "Traceback" not in done.stderr
