"""MySequential wraps an nn.Sequential in self.net, so its keys read net.0.weight, not 0.weight."""

# diagnosis: wrapped_container

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        self.net = nn.Sequential(*modules)

    def forward(self, X):
        return self.net(X)
