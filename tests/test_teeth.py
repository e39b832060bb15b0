"""Proof that the exercise tests have teeth.

* the reference solutions pass every exercise test;
* the pristine stubs fail every exercise test (one that passes is vacuous);
* every wrong implementation in ``tests/mutants`` is caught by its own module, and
  its failures show the diagnosis it names and no other;
* no test of one module depends on another module at all, so no mutant can be
  caught (or a learner be marked down) by the tests of a module it does not touch;
* every valid alternative in ``tests/alternatives`` passes.
"""

from __future__ import annotations

from collections import Counter

import pytest
import torch
from harness import (
    ALTERNATIVES_DIR,
    EXERCISES_DIR,
    MUTANTS_DIR,
    SOLUTIONS_DIR,
    all_test_files,
    build_impl,
    docline,
    kit_tests_of,
    named_diagnosis,
    patch_files,
    patched_source,
    run_tests,
)

from grader.catalog import EXERCISES, MODULE_NAMES

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def solutions_run(tmp_path_factory):
    return run_tests(SOLUTIONS_DIR, all_test_files(), tmp_path_factory.mktemp("solutions"))


@pytest.fixture(scope="module")
def stubs_run(tmp_path_factory):
    return run_tests(EXERCISES_DIR, all_test_files(), tmp_path_factory.mktemp("stubs"))


def needs_cuda(test_id: str) -> bool:
    """Tests of real CUDA round-trips are named ``test_cuda_*``; they skip without a GPU."""
    return test_id.rsplit("::", 1)[-1].startswith("test_cuda_")


def test_solutions_pass_every_exercise_test(solutions_run):
    assert solutions_run.returncode == 0, solutions_run.output[-4000:]
    assert solutions_run.outcomes, "no exercise test ran"
    bad = {
        t: o
        for t, o in solutions_run.outcomes.items()
        if o != "passed" and not (needs_cuda(t) and o == "skipped")
    }
    assert not bad, f"{bad}\n{solutions_run.output[-4000:]}"


def test_every_module_has_tests(solutions_run):
    per_module = Counter(t.split("::")[0].rsplit(".", 1)[-1] for t in solutions_run.outcomes)
    for name in MODULE_NAMES:
        assert per_module[f"test_{name}"] >= 5, f"{name}: only {per_module[f'test_{name}']} tests"


def test_stubs_fail_every_exercise_test(stubs_run, solutions_run):
    assert set(stubs_run.outcomes) == set(solutions_run.outcomes)
    vacuous = [
        t
        for t, o in sorted(stubs_run.outcomes.items())
        if o == "passed" or (o == "skipped" and not needs_cuda(t))
    ]
    assert not vacuous, "these tests do not fail on the pristine stubs (vacuous):\n" + "\n".join(
        vacuous
    )


MUTANTS = patch_files(MUTANTS_DIR)


def test_mutant_corpus_is_large_and_spread():
    per_module = Counter(module for module, _ in MUTANTS)
    assert len(MUTANTS) >= 50, len(MUTANTS)
    assert set(per_module) == set(MODULE_NAMES), per_module
    for _, path in MUTANTS:
        assert docline(path), f"{path.name}: say in its docstring what the mistake is"
        assert named_diagnosis(path), f"{path.name}: name its diagnosis (# diagnosis: NAME)"


@pytest.mark.parametrize(("module", "path"), MUTANTS, ids=[f"{m}/{p.stem}" for m, p in MUTANTS])
def test_mutant_is_caught_by_its_module_with_its_diagnosis(module, path, tmp_path):
    impl = build_impl(tmp_path / "impl", {module: patched_source(module, path)})
    run = run_tests(impl, [kit_tests_of(module)], tmp_path)
    assert run.failed(), f"{module}/{path.name} ({docline(path)}) survived:\n{run.output[-3000:]}"
    # The failures name the mistake the data show: the mutant's own diagnosis, and no
    # other one (a failure whose data show no known mistake names none).
    want = named_diagnosis(path)
    shown = {test.rsplit("::", 1)[-1]: names for test, names in run.diagnoses.items()}
    assert want in run.diagnosed(), (
        f"{module}/{path.name}: {want} not shown; shown: {shown}\n{run.output[-3000:]}"
    )
    assert run.diagnosed() == {want}, f"{module}/{path.name}: other diagnoses shown: {shown}"


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_other_modules_do_not_depend_on(module, tmp_path):
    """Replace the module by one that cannot even be imported: all other tests still pass."""
    poison = "raise ImportError('poisoned for the isolation check')\n"
    impl = build_impl(tmp_path / "impl", {module: poison})
    others = [kit_tests_of(ex.name) for ex in EXERCISES if ex.name != module]
    run = run_tests(impl, others, tmp_path)
    assert run.returncode == 0 and not run.failed(), run.output[-3000:]


ALTERNATIVES = patch_files(ALTERNATIVES_DIR)


@pytest.mark.parametrize(
    ("module", "path"), ALTERNATIVES, ids=[f"{m}/{p.stem}" for m, p in ALTERNATIVES]
)
def test_valid_alternative_passes(module, path, tmp_path):
    impl = build_impl(tmp_path / "impl", {module: patched_source(module, path)})
    run = run_tests(impl, [kit_tests_of(module)], tmp_path)
    assert run.returncode == 0 and not run.failed(), run.output[-3000:]


# Mistakes that only a real GPU shows (a tensor left on the CPU beside a module on the
# GPU): caught by the module's CUDA checks, so proven only where CUDA is present.
CUDA_MUTANTS = patch_files(MUTANTS_DIR.parent / "mutants_cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device; none is present")
@pytest.mark.parametrize(
    ("module", "path"), CUDA_MUTANTS, ids=[f"{m}/{p.stem}" for m, p in CUDA_MUTANTS]
)
def test_cuda_mutant_is_caught_on_the_gpu(module, path, tmp_path):
    impl = build_impl(tmp_path / "impl", {module: patched_source(module, path)})
    run = run_tests(impl, [kit_tests_of(module)], tmp_path, "-k", "cuda")
    assert run.failed(), f"{module}/{path.name} ({docline(path)}) survived:\n{run.output[-3000:]}"


def test_cuda_mutants_pass_every_cpu_check(tmp_path):
    """Each GPU-only mistake is invisible on the CPU (else it belongs in tests/mutants)."""
    assert CUDA_MUTANTS, "no mutant in tests/mutants_cuda"
    for module, path in CUDA_MUTANTS:
        impl = build_impl(tmp_path / path.stem / "impl", {module: patched_source(module, path)})
        run = run_tests(impl, [kit_tests_of(module)], tmp_path / path.stem, "-k", "not cuda")
        assert run.returncode == 0 and not run.failed(), run.output[-3000:]
