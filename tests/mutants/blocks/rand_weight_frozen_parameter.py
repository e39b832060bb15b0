"""FixedHiddenMLP makes rand_weight an nn.Parameter with requires_grad=False (still a parameter)."""

# diagnosis: rand_weight_a_parameter

import torch
from torch import nn
from torch.nn import functional as F


class FixedHiddenMLP(nn.Module):
    def __init__(self, num_features=20):
        super().__init__()
        self.rand_weight = nn.Parameter(torch.rand(num_features, num_features), requires_grad=False)
        self.linear = nn.Linear(num_features, num_features)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(X @ self.rand_weight + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X = X / 2
        return X.sum()
