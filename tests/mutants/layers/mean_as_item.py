"""CenteredLayer turns the mean into a Python number with .item(): the gradient through it is lost."""

# diagnosis: mean_cut_from_autograd

from torch import nn


class CenteredLayer(nn.Module):
    def forward(self, X):
        return X - X.mean().item()
