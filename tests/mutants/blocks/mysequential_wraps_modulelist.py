"""MySequential delegates to an nn.ModuleList, so its keys read layers.0.weight, not 0.weight."""

# diagnosis: wrapped_container

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        self.layers = nn.ModuleList(modules)

    def forward(self, X):
        for layer in self.layers:
            X = layer(X)
        return X
