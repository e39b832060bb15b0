"""MySequential removes duplicate modules before running them (dict.fromkeys), so a shared layer runs once."""

# diagnosis: repeats_run_once

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for idx, module in enumerate(modules):
            self.add_module(str(idx), module)

    def forward(self, X):
        for module in dict.fromkeys(self._modules.values()):
            X = module(X)
        return X
