"""Reference solution: layers and blocks (d2l 5.1 / 层和块)."""

import torch
from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    def __init__(self, num_inputs=20, num_hiddens=256, num_outputs=10):
        super().__init__()
        # Assigning a Module to an attribute registers it: its parameters become ours.
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.out = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        return self.out(F.relu(self.hidden(X)))


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for idx, module in enumerate(modules):
            # A plain list would hide the modules from parameters(), state_dict()
            # and .to(); add_module registers each under the key nn.Sequential uses.
            self.add_module(str(idx), module)

    def forward(self, X):
        # _modules keeps repeats (a shared layer at two positions runs twice);
        # children() would skip the second occurrence.
        for module in self._modules.values():
            X = module(X)
        return X


class FixedHiddenMLP(nn.Module):
    def __init__(self, num_features=20):
        super().__init__()
        # A buffer, not a tensor attribute: it is no parameter (no gradient, not
        # trained), yet it follows .to(device) and is saved in state_dict().
        self.register_buffer("rand_weight", torch.rand(num_features, num_features))
        self.linear = nn.Linear(num_features, num_features)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(X @ self.rand_weight + 1)
        X = self.linear(X)  # the same layer again: its parameters are shared
        while X.abs().sum() > 1:  # ordinary Python control flow inside forward
            X = X / 2
        return X.sum()


class NestMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
        self.linear = nn.Linear(32, 16)

    def forward(self, X):
        return self.linear(self.net(X))


def chimera():
    return nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP())
