"""MySequential applies its modules in reverse order."""

# diagnosis: reversed_order

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for idx, module in enumerate(modules):
            self.add_module(str(idx), module)

    def forward(self, X):
        for module in reversed(list(self._modules.values())):
            X = module(X)
        return X
