"""The teeth of the checks, through the grading path.

``tests/test_teeth.py`` proves on the learner's path (one process) that the solutions
pass, the mutants are caught and the alternatives pass. Here the same corpus goes
through the grader: every probe runs in a sandboxed probe worker, every verdict in a
test runner that never imports the module. A check whose probe leans on something
the worker lacks, or whose verdict reads differently from data that crossed a process
boundary, fails here.

One grading run holds every case: each submission is one module file (a solution, a
solution with a mutant appended, or with an alternative appended); the other modules
of a submission are simply missing.
"""

from __future__ import annotations

import pytest
from harness import (
    ALTERNATIVES_DIR,
    MUTANTS_DIR,
    diagnoses_in,
    docline,
    named_diagnosis,
    patch_files,
    patched_source,
    solution_source,
)

from grader.catalog import BY_NAME, MODULE_NAMES
from grader.grading import engine, runner

pytestmark = [pytest.mark.timeout(1800), pytest.mark.slow]

KIT = MUTANTS_DIR.parent.parent
MUTANTS = patch_files(MUTANTS_DIR)
ALTERNATIVES = patch_files(ALTERNATIVES_DIR)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("graded-teeth")
    cases: dict[str, tuple[str, str]] = {}  # submission -> (module, kind)
    paths, names = [], []

    def add(name: str, module: str, kind: str, source: str) -> None:
        folder = root / name
        folder.mkdir()
        (folder / BY_NAME[module].filename).write_text(source)
        paths.append(folder)
        names.append(name)
        cases[name] = (module, kind)

    for module in MODULE_NAMES:
        add(f"solution-{module}", module, "solution", solution_source(module))
    for module, path in MUTANTS:
        add(f"mutant-{module}-{path.stem}", module, "mutant", patched_source(module, path))
    for module, path in ALTERNATIVES:
        source = patched_source(module, path)
        add(f"alternative-{module}-{path.stem}", module, "alternative", source)
    settings = engine.Settings(kit=KIT, modules=MODULE_NAMES, seed=11, jobs=2)
    try:
        plan = engine.make_plan(settings)
        report = engine.grade(paths, names, settings, plan)
    finally:
        runner.shutdown()
    found = {}
    for sub in report["submissions"]:
        module, kind = cases[sub["submission"]]
        (ex,) = [e for e in sub["exercises"] if e["module"] == module]
        found[sub["submission"]] = ex
    return found


def _full(ex: dict) -> bool:
    """Every test passed (a CUDA check skipped without a GPU, and worth 0 here, aside)."""
    return ex["score"] == ex["max_score"] and all(
        t["status"] == "passed" or (t["status"] == "skipped" and t["name"].startswith("test_cuda_"))
        for t in ex["tests"]
    )


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_the_solution_earns_every_point_when_graded(graded, module):
    ex = graded[f"solution-{module}"]
    assert _full(ex), [(t["name"], t["status"], t["message"][:300]) for t in ex["tests"]]


@pytest.mark.parametrize(("module", "path"), MUTANTS, ids=[f"{m}/{p.stem}" for m, p in MUTANTS])
def test_the_mutant_is_caught_when_graded(graded, module, path):
    ex = graded[f"mutant-{module}-{path.stem}"]
    failed = [t for t in ex["tests"] if t["status"] in ("failed", "error", "timeout")]
    assert failed and ex["score"] < ex["max_score"], f"{path.name} ({docline(path)}) survived"
    # The failures name the mistake the data show, as on the learner's path: the
    # mutant's own diagnosis, decided in the test runner, and no other.
    shown = {t["name"]: diagnoses_in(module, t["message"]) for t in failed}
    assert set().union(*shown.values()) == {named_diagnosis(path)}, shown


@pytest.mark.parametrize(
    ("module", "path"), ALTERNATIVES, ids=[f"{m}/{p.stem}" for m, p in ALTERNATIVES]
)
def test_the_alternative_passes_when_graded(graded, module, path):
    ex = graded[f"alternative-{module}-{path.stem}"]
    assert _full(ex), [(t["name"], t["status"], t["message"][:300]) for t in ex["tests"]]
