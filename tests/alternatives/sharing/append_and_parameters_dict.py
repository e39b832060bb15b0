"""shared_mlp built with add_module in a loop, and tie_weights through the _parameters dicts."""

from torch import nn


def shared_mlp(num_inputs=4, num_hiddens=8):
    shared = nn.Linear(num_hiddens, num_hiddens)
    layers = [nn.Linear(num_inputs, num_hiddens), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU()]
    net = nn.Sequential()
    for i, layer in enumerate([*layers, nn.Linear(num_hiddens, 1)]):
        net.add_module(str(i), layer)
    return net


def tie_weights(src, dst):
    common = [n for n, p in src._parameters.items() if p is not None and dst._parameters.get(n) is not None]
    if not common:
        raise ValueError("nothing to tie")
    for n in common:
        if src._parameters[n].shape != dst._parameters[n].shape:
            raise ValueError(f"parameter {n}: {src._parameters[n].shape} != {dst._parameters[n].shape}")
    for n in common:
        dst._parameters[n] = src._parameters[n]
