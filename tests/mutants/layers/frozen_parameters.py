"""MyLinear creates its parameters with requires_grad=False: they can never be trained."""

# diagnosis: frozen_parameters

import torch
from torch import nn


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units), requires_grad=False)
        self.bias = nn.Parameter(torch.randn(units), requires_grad=False)

    def forward(self, X):
        return X @ self.weight + self.bias
