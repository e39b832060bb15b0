"""Plain data from torch objects: helpers that probes import (grader/probing.py).

A probe returns only plain data (grader/codec.py). These turn what the learner's code
gives back into such data in the ways several exercises need.
"""

from __future__ import annotations

import torch


def key_data(key):
    """A dict key as data: a string or an int as it is, anything else described."""
    if type(key) in (str, int):
        return key
    return f"<{type(key).__name__} {key!r:.100}>"


def tensor_or_kind(value):
    """A copy of ``value`` when it is a tensor, else the name of its type."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    return type(value).__name__
