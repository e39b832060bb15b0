"""CenteredLayer changes its input in place (X -= X.mean())."""

# diagnosis: in_place

from torch import nn


class CenteredLayer(nn.Module):
    def forward(self, X):
        with_grad = X.requires_grad
        if with_grad:
            X = X.clone()
        X -= X.mean()
        return X
