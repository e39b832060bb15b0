"""Row 10: a Hypothesis profile with max_examples=1, loaded at import, and a wrong
implementation that only the first example gets right."""
import torch
from hypothesis import settings

settings.register_profile("lenient", max_examples=1, database=None)
settings.load_profile("lenient")


def double(x):
    return torch.zeros_like(x) if not bool((x == 0).all()) else x
