"""MyLinear scales its initial weight by 0.01 (a habit from other layers), so it is not N(0, 1)."""

# diagnosis: scaled_init

import torch
from torch import nn


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units) * 0.01)
        self.bias = nn.Parameter(torch.randn(units))

    def forward(self, X):
        return X @ self.weight + self.bias
