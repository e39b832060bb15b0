"""MySequential subclasses nn.ModuleList (same state_dict keys) instead of being written on nn.Module."""

# diagnosis: subclasses_container

from torch import nn


class MySequential(nn.ModuleList):
    def __init__(self, *modules):
        super().__init__(modules)

    def forward(self, X):
        for module in self:
            X = module(X)
        return X
