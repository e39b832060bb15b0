"""FixedHiddenMLP registers rand_weight with persistent=False, so state_dict() does not save it."""

# diagnosis: not_persistent

import torch
from torch import nn
from torch.nn import functional as F


class FixedHiddenMLP(nn.Module):
    def __init__(self, num_features=20):
        super().__init__()
        self.register_buffer("rand_weight", torch.rand(num_features, num_features), persistent=False)
        self.linear = nn.Linear(num_features, num_features)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(X @ self.rand_weight + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X = X / 2
        return X.sum()
