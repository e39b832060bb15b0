"""setattr(self, str(i), m) registers children too; torch.matmul and in-place halving work."""

import torch
from torch import nn
from torch.nn import functional as F


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for i, m in enumerate(modules):
            setattr(self, str(i), m)

    def forward(self, X):
        for m in self._modules.values():
            X = m(X)
        return X


class FixedHiddenMLP(nn.Module):
    def __init__(self, num_features=20):
        super().__init__()
        self.linear = nn.Linear(num_features, num_features)
        self.register_buffer("rand_weight", torch.rand((num_features, num_features)))

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(torch.matmul(X, self.rand_weight) + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X /= 2
        return X.sum()
