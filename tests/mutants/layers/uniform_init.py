"""MyLinear draws its parameters with torch.rand (U[0, 1)) instead of torch.randn (N(0, 1))."""

# diagnosis: uniform_init

import torch
from torch import nn


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(in_units, units))
        self.bias = nn.Parameter(torch.rand(units))

    def forward(self, X):
        return X @ self.weight + self.bias
