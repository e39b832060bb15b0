"""FixedHiddenMLP keeps rand_weight as a plain tensor attribute: not saved, does not move with .to()."""

# diagnosis: plain_tensor_attribute

import torch
from torch import nn
from torch.nn import functional as F


class FixedHiddenMLP(nn.Module):
    def __init__(self, num_features=20):
        super().__init__()
        self.rand_weight = torch.rand(num_features, num_features)
        self.linear = nn.Linear(num_features, num_features)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(X @ self.rand_weight + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X = X / 2
        return X.sum()
