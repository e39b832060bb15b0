"""init_42 also sets the bias to 42, which should stay unchanged."""

# diagnosis: bias_overwritten

from torch import nn


def init_42(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 42.0)
        nn.init.constant_(m.bias, 42.0)
