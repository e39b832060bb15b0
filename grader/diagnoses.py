"""Diagnoses: when an exercise test fails, name the mistake behind it and the fix.

Each exercise test checks one property, and the mistakes that break a property are
few and well known (the corpus in ``tests/mutants`` collects them). The catalogue in
:mod:`grader.diagnoses_data` maps a test to a sentence, in English and Chinese, that
names those mistakes in the learner's terms and says what to write instead. The
plugin puts it at the top of the failure report.
"""

from __future__ import annotations

from functools import cache


@cache
def _catalogue() -> dict[str, dict[str, dict[str, str]]]:
    try:
        from .diagnoses_data import DIAGNOSES
    except ImportError:  # the catalogue is optional: tests still report their own messages
        return {}
    return DIAGNOSES


def diagnosis(module: str, test: str, lang: str = "en") -> str | None:
    """The diagnosis for ``test`` (a test function's name) of ``module``, if there is one."""
    entry = _catalogue().get(module, {}).get(test)
    if entry is None:
        return None
    return entry.get(lang) or entry.get("en")


def catalogued_tests(module: str) -> set[str]:
    return set(_catalogue().get(module, {}))
