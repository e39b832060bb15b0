"""Reference solution: lazy initialisation (d2l 5.3 / 延后初始化)."""

import torch
from torch import nn


def lazy_mlp(num_hiddens=256, num_outputs=10):
    # LazyLinear learns its input size from the first batch it sees.
    return nn.Sequential(nn.LazyLinear(num_hiddens), nn.ReLU(), nn.LazyLinear(num_outputs))


def materialize(net, num_inputs):
    first = next(net.parameters(), None)
    kwargs = {} if first is None else {"dtype": first.dtype, "device": first.device}
    with torch.no_grad():  # a shape probe, not training: record no graph
        net(torch.zeros(1, num_inputs, **kwargs))
    return net
