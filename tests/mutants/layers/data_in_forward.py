"""MyLinear.forward uses .data, so no gradient ever reaches weight or bias."""

# diagnosis: parameters_bypassed

from torch import nn


class MyLinear(MyLinear):  # noqa: F821
    def forward(self, X):
        return X @ self.weight.data + self.bias.data
