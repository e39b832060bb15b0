"""MySequential.forward has `return X` indented inside the loop, so only the first module runs."""

# diagnosis: returns_inside_loop

from torch import nn


class MySequential(nn.Module):
    def __init__(self, *modules):
        super().__init__()
        for idx, module in enumerate(modules):
            self.add_module(str(idx), module)

    def forward(self, X):
        for module in self._modules.values():
            X = module(X)
            return X
        return X
