"""The book's MySequential: self._modules[str(idx)] = module registers each child."""

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *args):
        super().__init__()
        for idx, module in enumerate(args):
            # the book's idiom: _modules is an OrderedDict of registered children
            self._modules[str(idx)] = module

    def forward(self, X):
        for block in self._modules.values():
            X = block(X)
        return X
