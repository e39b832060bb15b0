"""FixedHiddenMLP halves with `if` instead of `while`, so the result can stay above 1."""

# diagnosis: halves_once

import torch
from torch import nn
from torch.nn import functional as F


class FixedHiddenMLP(nn.Module):
    def __init__(self, num_features=20):
        super().__init__()
        self.register_buffer("rand_weight", torch.rand(num_features, num_features))
        self.linear = nn.Linear(num_features, num_features)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(X @ self.rand_weight + 1)
        X = self.linear(X)
        if X.abs().sum() > 1:
            X = X / 2
        return X.sum()
