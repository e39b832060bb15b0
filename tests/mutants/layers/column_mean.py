"""CenteredLayer subtracts the mean over the batch dimension (dim=0)."""

from torch import nn


class CenteredLayer(nn.Module):
    def forward(self, X):
        return X - X.mean(dim=0)
