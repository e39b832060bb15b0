"""CenteredLayer subtracts the mean of each row (dim=1) instead of the mean of all entries."""

# diagnosis: mean_along_one_axis

from torch import nn


class CenteredLayer(nn.Module):
    def forward(self, X):
        return X - X.mean(dim=-1, keepdim=True)
