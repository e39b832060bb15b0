"""An nn.ReLU() child in MLP and nn.Buffer for rand_weight (torch >= 2.5) meet the contract too."""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, num_inputs=20, num_hiddens=256, num_outputs=10):
        super().__init__()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.relu = nn.ReLU()  # no parameters: parameters() and state_dict() stay the same
        self.out = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        return self.out(self.relu(self.hidden(X)))


class FixedHiddenMLP(nn.Module):
    def __init__(self, num_features=20):
        super().__init__()
        self.rand_weight = nn.Buffer(torch.rand(num_features, num_features))  # persistent
        self.linear = nn.Linear(num_features, num_features)

    def forward(self, X):
        X = self.linear(X)
        X = torch.relu(X @ self.rand_weight + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X = X / 2
        return X.sum()
