"""MySequential.forward loops over set(self._modules.values()): repeats vanish and order is lost."""

# diagnosis: repeats_run_once

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for idx, module in enumerate(modules):
            self.add_module(str(idx), module)

    def forward(self, X):
        for module in set(self._modules.values()):
            X = module(X)
        return X
