"""init_42 sets the weight of every module that has one (Conv2d, BatchNorm, LayerNorm, custom), not only nn.Linear."""

# diagnosis: not_only_linear

from torch import nn


def init_42(m):
    if getattr(m, "weight", None) is not None:
        nn.init.constant_(m.weight, 42.0)
