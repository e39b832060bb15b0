"""NestMLP leaves the ReLUs out of net: Linear(20, 64), Linear(64, 32) collapse into one affine map."""

# diagnosis: nest_relus_missing

from torch import nn


class NestMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 64), nn.Linear(64, 32))
        self.linear = nn.Linear(32, 16)

    def forward(self, X):
        return self.linear(self.net(X))
