"""Every exercise test has a diagnosis, in English and Chinese, and none is stale.

That a diagnosis is shown for every wrong implementation of the corpus is checked
where the corpus runs (tests/test_teeth.py).
"""

import ast

import pytest
from harness import kit_tests_of

from grader.catalog import MODULE_NAMES
from grader.diagnoses import catalogued_tests, diagnosis


def defined_tests(module: str) -> set[str]:
    tree = ast.parse(kit_tests_of(module).read_text())
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("test_")
        and not node.name.startswith("test_cuda_")  # skipped without a GPU, 0 points
    }


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_every_test_has_a_diagnosis_in_both_languages(module):
    tests = defined_tests(module)
    missing = sorted(t for t in tests if not diagnosis(module, t, "en"))
    assert not missing, f"{module}: no diagnosis for {missing}"
    for test in tests:
        en, zh = diagnosis(module, test, "en"), diagnosis(module, test, "zh")
        assert zh and zh != en, f"{module}.{test}: no Chinese diagnosis"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{module}.{test}: zh is not Chinese"


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_no_diagnosis_for_a_test_that_does_not_exist(module):
    stale = sorted(catalogued_tests(module) - defined_tests(module))
    assert not stale, f"{module}: diagnoses for tests that no longer exist: {stale}"
