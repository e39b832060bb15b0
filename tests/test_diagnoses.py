"""Diagnoses come from evidence: the catalogue matches the checks, and a signature
names a failure only when it holds.

That each mutant gets exactly the diagnosis it names is checked where the corpus runs
(tests/test_teeth.py, tests/test_teeth_graded.py).
"""

import pytest
import torch
from harness import ROOT

from grader import authoring
from grader.catalog import BY_NAME, MODULE_NAMES
from grader.diagnoses import catalogued, check, close, diagnose, diagnosis, named, raised
from grader.i18n import MESSAGES

CAUSES = {key for key in MESSAGES if key.startswith("cause_")}


def _places(module: str) -> authoring.Places:
    return authoring.Places(ROOT, BY_NAME[module])


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_check_says_what_it_checks_in_both_languages(module):
    assert authoring.lacks_checks(_places(module)) == []


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_signature_has_a_diagnosis_and_every_diagnosis_a_signature(module):
    assert authoring.lacks_diagnoses(_places(module)) == []


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_diagnosis_has_a_mutant_and_every_mutant_a_diagnosis(module):
    assert authoring.lacks_mutants(_places(module)) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_runtime_reads_the_feedback_the_self_test_reads(lang):
    for module in MODULE_NAMES:
        places = _places(module)
        for test, texts in places.feedback("checks").items():
            assert check(module, test, lang) == texts[lang]
        for name, texts in places.feedback("diagnoses").items():
            assert diagnosis(module, name, lang) == texts[lang]
        assert catalogued(module, "diagnoses") == set(places.feedback("diagnoses"))
    assert check("layers", "test_no_such_test") is None


def test_the_evident_causes_a_mutant_may_name_are_the_messages_causes():
    assert CAUSES and all(name.startswith(authoring.CAUSE_PREFIX) for name in CAUSES)


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
