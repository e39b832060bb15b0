"""Diagnoses: name the mistake a failed check's data show, and only then.

A check's verdict holds the data the learner's code gave back. A *signature* is a
predicate on those data that one known mistake produces: the output equals
``relu(X @ W + b)``, no gradient reached the weight, a repeated module ran once.
The verdict lists its signatures around the assertion they explain::

    with diagnose(relu_inside=lambda: close(Y, torch.relu(expected))):
        torch.testing.assert_close(Y, expected)

When the block raises, the signatures are tried in their order and the first that
holds names the diagnosis; it travels on the exception (the grader's test runner
decides it, where the learner's code never ran). The kit's plugin shows its sentence
from the catalogue. When none holds, no diagnosis is shown: the failure says which
property failed (the check's sentence) and what the data were.

Each exercise's ``feedback.toml`` (:func:`grader.catalog.feedback`) holds, in English
and Chinese, ``[checks]`` (test name -> the property it checks, in plain words) and
``[diagnoses]`` (signature name -> the mistake and its fix). Every mutant in
``tests/mutants`` names the diagnosis it must get (``# diagnosis: NAME``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from . import catalog
from .errors import GraderError

ATTRIBUTE = "kit_diagnosis"
"""The attribute of a failure's exception that holds its diagnosis' name."""


class raised:  # noqa: N801 - reads as a predicate in a verdict: raised(RuntimeError, "2D")
    """A signature that holds when the failure is an exception of ``kind`` (by name, so
    that an error the probe worker sent back matches too) whose message contains every
    one of ``fragments``."""

    def __init__(self, kind: type[BaseException], *fragments: str) -> None:
        self.kind, self.fragments = kind, fragments

    def __call__(self, failure: BaseException) -> bool:
        names = {k.__name__ for k in type(failure).__mro__}
        return self.kind.__name__ in names and all(f in str(failure) for f in self.fragments)


Signature = Callable[[], object] | raised


def holds(signature: Signature, failure: BaseException) -> bool:
    """Whether ``signature`` holds for ``failure``; one that cannot even be evaluated
    on these data (a shape that does not fit, say) does not."""
    try:
        return bool(signature(failure) if isinstance(signature, raised) else signature())
    except Exception:
        return False


@contextlib.contextmanager
def diagnose(**signatures: Signature) -> Iterator[None]:
    """Name the diagnosis of a failure inside the block: the first of ``signatures``
    (name=predicate, tried in order) that holds. A failure that already carries one (an
    inner block named it) keeps it."""
    try:
        yield
    except Exception as failure:
        if getattr(failure, ATTRIBUTE, None) is None:
            for name, signature in signatures.items():
                if holds(signature, failure):
                    with contextlib.suppress(AttributeError, TypeError):
                        setattr(failure, ATTRIBUTE, name)
                    break
        raise


def close(actual, expected, **tolerance) -> bool:
    """Whether two tensors have the same shape and close values (for a signature)."""
    import torch

    if not isinstance(actual, torch.Tensor) or not isinstance(expected, torch.Tensor):
        return False
    if actual.shape != expected.shape:
        return False
    return bool(torch.allclose(actual.double(), expected.double(), equal_nan=True, **tolerance))


def named(failure: BaseException | None) -> list[str]:
    """The diagnoses a failure carries: its own, or those of the failures Hypothesis
    grouped into one (each once, in order)."""
    if failure is None:
        return []
    found = getattr(failure, ATTRIBUTE, None)
    if isinstance(found, str):
        return [found]
    names: list[str] = []
    inner = getattr(failure, "exceptions", ())  # an exception group (built in from 3.11)
    for one in inner if isinstance(inner, tuple) else ():
        if isinstance(one, BaseException):
            names += [n for n in named(one) if n not in names]
    return names


def _catalogue(module: str) -> dict[str, dict[str, dict[str, str]]]:
    try:
        return catalog.feedback(module)
    except (KeyError, GraderError):  # feedback is optional: tests still give their own messages
        return {}


def _text(module: str, part: str, key: str, lang: str) -> str | None:
    entry = _catalogue(module).get(part, {}).get(key)
    if entry is None:
        return None
    return entry.get(lang) or entry.get("en")


def diagnosis(module: str, name: str, lang: str = "en") -> str | None:
    """The sentence of diagnosis ``name`` of ``module``: the mistake and its fix."""
    return _text(module, "diagnoses", name, lang)


def check(module: str, test: str, lang: str = "en") -> str | None:
    """What ``test`` (a test function's name) of ``module`` checks, in plain words."""
    return _text(module, "checks", test, lang)


def catalogued(module: str, part: str) -> set[str]:
    """The names ``part`` ("checks" or "diagnoses") of ``module``'s feedback holds."""
    return set(_catalogue(module).get(part, {}))
