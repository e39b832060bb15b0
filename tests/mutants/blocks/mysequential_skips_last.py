"""MySequential.forward stops one module short (an off-by-one range), skipping the last module."""

# diagnosis: last_module_skipped

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for idx, module in enumerate(modules):
            self.add_module(str(idx), module)

    def forward(self, X):
        for idx in range(len(self._modules) - 1):
            X = self._modules[str(idx)](X)
        return X
