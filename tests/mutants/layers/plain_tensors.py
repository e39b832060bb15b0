"""MyLinear keeps weight and bias as plain tensors (requires_grad=True), not nn.Parameter."""

# diagnosis: not_parameters

import torch
from torch import nn


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = torch.randn(in_units, units, requires_grad=True)
        self.bias = torch.randn(units, requires_grad=True)

    def forward(self, X):
        return X @ self.weight + self.bias
