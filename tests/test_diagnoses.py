"""Diagnoses come from evidence: the catalogue matches the checks, and a signature
names a failure only when it holds.

That each mutant gets exactly the diagnosis it names is checked where the corpus runs
(tests/test_teeth.py, tests/test_teeth_graded.py).
"""

import ast

import pytest
import torch
from harness import MUTANTS_DIR, kit_tests_of, named_diagnosis, patch_files

from grader.catalog import MODULE_NAMES
from grader.diagnoses import catalogued, check, close, diagnose, diagnosis, named, raised
from grader.i18n import MESSAGES

CAUSES = {key for key in MESSAGES if key.startswith("cause_")}


def _tree(module: str) -> ast.Module:
    return ast.parse(kit_tests_of(module).read_text())


def defined_tests(module: str) -> set[str]:
    return {
        node.name
        for node in _tree(module).body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("test_")
        and not node.name.startswith("test_cuda_")  # skipped without a GPU, 0 points
    }


def signatures_used(module: str) -> set[str]:
    """The signature names of every ``diagnose(...)`` in the module's checks."""
    return {
        keyword.arg
        for node in ast.walk(_tree(module))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "diagnose"
        for keyword in node.keywords
        if keyword.arg
    }


def named_by_mutants(module: str) -> set[str]:
    return {named_diagnosis(path) for m, path in patch_files(MUTANTS_DIR) if m == module}


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_check_says_what_it_checks_in_both_languages(module):
    tests = defined_tests(module)
    missing = sorted(t for t in tests if not check(module, t, "en"))
    assert not missing, f"{module}: no CHECKS sentence for {missing}"
    for test in tests:
        en, zh = check(module, test, "en"), check(module, test, "zh")
        assert zh and zh != en and _chinese(zh), f"{module}.{test}: no Chinese sentence"
    stale = sorted(catalogued(module, "CHECKS") - tests)
    assert not stale, f"{module}: CHECKS sentences for tests that no longer exist: {stale}"


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_signature_has_a_diagnosis_and_every_diagnosis_a_signature(module):
    used, written = signatures_used(module), catalogued(module, "DIAGNOSES")
    assert used, f"{module}: no check names a signature"
    assert not used - written, f"{module}: signatures without a diagnosis: {used - written}"
    assert not written - used, f"{module}: diagnoses no signature can show: {written - used}"
    for name in written:
        en, zh = diagnosis(module, name, "en"), diagnosis(module, name, "zh")
        assert en and zh and zh != en and _chinese(zh), f"{module}.{name}: no Chinese text"


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_diagnosis_has_a_mutant_and_every_mutant_a_diagnosis(module):
    wanted = named_by_mutants(module)
    known = catalogued(module, "DIAGNOSES") | CAUSES
    assert not wanted - known, f"{module}: mutants name unknown diagnoses: {wanted - known}"
    unproven = catalogued(module, "DIAGNOSES") - wanted
    assert not unproven, f"{module}: no mutant proves these diagnoses: {unproven}"


# ---------------------------------------------------------------- the mechanism


def _failure(**signatures):
    with pytest.raises(AssertionError) as caught, diagnose(**signatures):
        raise AssertionError("the property failed")
    return caught.value


def test_the_first_signature_that_holds_names_the_failure():
    failure = _failure(no=lambda: False, yes=lambda: True, also=lambda: True)
    assert named(failure) == ["yes"]


def test_no_signature_holds_no_diagnosis():
    assert named(_failure(no=lambda: False, empty=lambda: [])) == []


def test_a_signature_that_cannot_be_evaluated_does_not_hold():
    assert named(_failure(broken=lambda: 1 / 0, yes=lambda: True)) == ["yes"]


def test_a_passing_block_names_nothing_and_evaluates_nothing():
    evaluated = []
    with diagnose(seen=lambda: evaluated.append(1) or True):
        pass
    assert evaluated == []


def test_an_inner_diagnosis_is_kept():
    with pytest.raises(AssertionError) as caught, diagnose(outer=lambda: True):
        with diagnose(inner=lambda: True):
            raise AssertionError
    assert named(caught.value) == ["inner"]


def test_raised_matches_the_exception_by_name_and_message():
    class RuntimeError_(RuntimeError):  # as a learner's error sent back by the probe worker
        pass

    with pytest.raises(RuntimeError) as caught, diagnose(mm=raised(RuntimeError, "matrix")):
        raise RuntimeError_("self must be a matrix")
    assert named(caught.value) == ["mm"]
    assert not raised(RuntimeError, "matrix")(ValueError("a matrix"))
    assert not raised(RuntimeError, "vector")(RuntimeError("a matrix"))


def test_grouped_failures_carry_each_diagnosis_once():
    first, second, third = (_failure(a=lambda: True), _failure(b=lambda: True), _failure())
    group = Exception("a group, as Hypothesis raises for several distinct failures")
    group.exceptions = (first, second, third, _failure(a=lambda: True))
    assert named(group) == ["a", "b"]
    assert named(None) == []


def test_close_is_false_for_other_shapes_and_non_tensors():
    assert close(torch.ones(2), torch.ones(2, dtype=torch.float64))
    assert not close(torch.ones(2), torch.ones(1, 2))
    assert not close([1.0], torch.ones(1))
