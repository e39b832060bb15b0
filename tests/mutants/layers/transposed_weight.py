"""MyLinear stores weight as (units, in_units), nn.Linear's layout, and multiplies by weight.T."""

# diagnosis: weight_transposed

import torch
from torch import nn


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(units, in_units))
        self.bias = nn.Parameter(torch.randn(units))

    def forward(self, X):
        return X @ self.weight.T + self.bias
