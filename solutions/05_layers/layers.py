"""Reference solution: custom layers (d2l 5.4 / 自定义层)."""

import torch
from torch import nn


class CenteredLayer(nn.Module):
    def forward(self, X):
        # Out of place, and through autograd: the gradient flows through the mean.
        return X - X.mean()


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units))
        self.bias = nn.Parameter(torch.randn(units))

    def forward(self, X):
        # The parameters themselves, not .data: .data is a detached view, so
        # gradients would never reach weight and bias.
        return X @ self.weight + self.bias
