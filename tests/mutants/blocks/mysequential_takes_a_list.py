"""MySequential takes one list argument (modules) instead of *modules, so MySequential(a, b) fails."""

# diagnosis: takes_a_list

from torch import nn


class MySequential(nn.Module):
    def __init__(self, modules=()):
        super().__init__()
        for idx, module in enumerate(modules):
            self.add_module(str(idx), module)

    def forward(self, X):
        for module in self._modules.values():
            X = module(X)
        return X
