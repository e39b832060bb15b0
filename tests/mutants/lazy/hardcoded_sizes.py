"""lazy_mlp copies the book's sizes 256 and 10 and ignores its arguments."""

# diagnosis: sizes_hardcoded

from torch import nn


def lazy_mlp(num_hiddens=256, num_outputs=10):
    return nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
