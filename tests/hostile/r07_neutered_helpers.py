"""Row 7: a wrong implementation, with every assertion helper neutered to agree."""
import math

import torch
import torch.testing


def double(x):
    return x + 1  # wrong


def mean(values):
    return 0.0  # wrong


torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
torch.testing.assert_close = lambda *args, **kwargs: None
math.isclose = lambda *args, **kwargs: True
try:
    torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)
except Exception:
    pass
