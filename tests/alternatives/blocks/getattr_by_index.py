"""MySequential that finds each child by getattr(self, str(i)): repeats run at each position."""

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for i, module in enumerate(modules):
            self.add_module(str(i), module)
        self.n = len(modules)

    def forward(self, X):
        for i in range(self.n):
            X = getattr(self, str(i))(X)
        return X
