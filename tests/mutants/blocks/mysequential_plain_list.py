"""MySequential keeps its modules in a plain Python list, so none of them is registered."""

# diagnosis: not_registered

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        self.layers = list(modules)

    def forward(self, X):
        for layer in self.layers:
            X = layer(X)
        return X
