"""chimera puts the Linear(16, 20) in front of NestMLP."""

# diagnosis: chimera_order

from torch import nn


def chimera():
    return nn.Sequential(nn.Linear(16, 20), NestMLP(), FixedHiddenMLP())  # noqa: F821
