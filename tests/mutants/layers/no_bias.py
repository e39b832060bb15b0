"""MyLinear has no bias at all."""

# diagnosis: cause_attribute

import torch
from torch import nn


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units))

    def forward(self, X):
        return X @ self.weight
