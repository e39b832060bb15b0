"""MyLinear's bias has shape (1, units), which broadcasts but is not the (units,) the contract asks for."""

# diagnosis: bias_a_row

import torch
from torch import nn


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units))
        self.bias = nn.Parameter(torch.randn(1, units))

    def forward(self, X):
        return X @ self.weight + self.bias
