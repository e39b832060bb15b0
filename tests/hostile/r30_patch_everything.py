"""Row 30: every trick of this folder at once (torch, pytest, Hypothesis, the worker's
own code, frames, objects that agree), with wrong implementations of everything."""

import math
import sys

import torch


def double(x):
    return torch.zeros_like(x)  # wrong


def mean(values):
    return -1.0  # wrong


class Anything:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def count():
    return Anything()  # wrong


def _everything():
    torch.allclose = lambda *args, **kwargs: True
    torch.equal = lambda *args, **kwargs: True
    torch.testing.assert_close = lambda *args, **kwargs: None
    math.isclose = lambda *args, **kwargs: True
    try:
        torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)
    except Exception:
        pass
    for name in ("_pytest.runner", "_pytest.reports", "hypothesis", "hypothesis.core"):
        module = sys.modules.get(name)
        for attr in ("call_and_report", "given", "StateForActualGivenExecution"):
            if module is not None and hasattr(module, attr):
                try:
                    setattr(module, attr, lambda *args, **kwargs: None)
                except Exception:
                    pass
    for name in ("grader.probing", "grader.codec", "grader.grading.probe_worker", "grader.isolation.sandbox"):
        module = sys.modules.get(name)
        if module is None:
            continue
        for attr, value in list(vars(module).items()):
            if callable(value) and attr in ("value_of", "learner_error", "exception_data"):
                try:
                    setattr(module, attr, lambda *args, **kwargs: None)
                except Exception:
                    pass


_everything()


def act():
    _everything()
