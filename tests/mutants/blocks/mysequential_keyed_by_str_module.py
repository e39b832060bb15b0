"""MySequential keys each child by str(module) instead of str(index)."""

# diagnosis: keyed_by_module

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for module in modules:
            self._modules[str(module)] = module

    def forward(self, X):
        for module in self._modules.values():
            X = module(X)
        return X
