"""MySequential keys each child by its class name, so two Linear layers collide on one key."""

# diagnosis: keyed_by_module

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for module in modules:
            self.add_module(type(module).__name__, module)

    def forward(self, X):
        for module in self._modules.values():
            X = module(X)
        return X
