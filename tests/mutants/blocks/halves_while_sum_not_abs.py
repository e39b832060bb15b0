"""FixedHiddenMLP loops `while X.sum() > 1`, forgetting .abs(): a large negative sum is never halved."""

# diagnosis: sum_without_abs

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
        while X.sum() > 1:
            X = X / 2
        return X.sum()
