"""init_xavier also zeroes the bias, which should stay unchanged."""

# diagnosis: bias_overwritten

from torch import nn


def init_xavier(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)
