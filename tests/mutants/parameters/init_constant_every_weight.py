"""init_constant acts on every module that has a weight (convolutions, norms, custom layers), not only nn.Linear."""

# diagnosis: not_only_linear

from torch import nn


def init_constant(m):
    if hasattr(m, "weight") and isinstance(m.weight, nn.Parameter):
        nn.init.constant_(m.weight, 1.0)
        if getattr(m, "bias", None) is not None:
            nn.init.zeros_(m.bias)
