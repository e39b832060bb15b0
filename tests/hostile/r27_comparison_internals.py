"""Row 27: patch the comparison internals no snapshot covers (torch.testing's pair
classes, Hypothesis's executor, pytest.raises' context manager), with a wrong
implementation."""

import torch


def double(x):
    return torch.zeros_like(x)  # wrong


def _patch():
    try:
        import torch.testing._comparison as comparison

        for cls in (comparison.TensorLikePair, comparison.NumberPair, comparison.BooleanPair):
            cls.compare = lambda self: None
    except Exception:
        pass
    try:
        import hypothesis.core

        executor = hypothesis.core.StateForActualGivenExecution
        executor.execute_once = lambda self, *args, **kwargs: None
    except Exception:
        pass
    try:
        import _pytest.raises as raises_module

        for name in dir(raises_module):
            cls = getattr(raises_module, name)
            if isinstance(cls, type) and hasattr(cls, "__exit__"):
                cls.__exit__ = lambda self, *args: True
    except Exception:
        pass


_patch()


def act():
    _patch()
