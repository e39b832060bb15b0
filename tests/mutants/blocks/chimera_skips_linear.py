"""chimera drops the nn.Linear(16, 20) and feeds NestMLP straight into FixedHiddenMLP(16)."""

# diagnosis: chimera_no_linear

from torch import nn


def chimera():
    return nn.Sequential(NestMLP(), FixedHiddenMLP(16))  # noqa: F821
