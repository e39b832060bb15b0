"""FixedHiddenMLP's rand_weight buffer is drawn with requires_grad=True, so it receives a gradient."""

# diagnosis: rand_weight_requires_grad

import torch
from torch import nn
from torch.nn import functional as F


class FixedHiddenMLP(nn.Module):
    def __init__(self, num_features=20):
        super().__init__()
        self.register_buffer(
            "rand_weight", torch.rand(num_features, num_features, requires_grad=True)
        )
        self.linear = nn.Linear(num_features, num_features)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(X @ self.rand_weight + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X = X / 2
        return X.sum()
