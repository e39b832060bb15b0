"""MySequential.forward iterates self.children(), which yields a repeated module only once."""

# diagnosis: repeats_run_once

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for idx, module in enumerate(modules):
            self.add_module(str(idx), module)

    def forward(self, X):
        for module in self.children():
            X = module(X)
        return X
