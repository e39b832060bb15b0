"""lazy_mlp leaves out the ReLU, so the two layers collapse into one affine map."""

# diagnosis: relu_missing

from torch import nn


def lazy_mlp(num_hiddens=256, num_outputs=10):
    return nn.Sequential(nn.LazyLinear(num_hiddens), nn.LazyLinear(num_outputs))
