"""shared_mlp swaps its arguments: the first layer is Linear(num_hiddens, num_inputs)."""

# diagnosis: sizes_swapped

from torch import nn


def shared_mlp(num_inputs=4, num_hiddens=8):
    shared = nn.Linear(num_inputs, num_inputs)
    return nn.Sequential(
        nn.Linear(num_hiddens, num_inputs),
        nn.ReLU(),
        shared,
        nn.ReLU(),
        shared,
        nn.ReLU(),
        nn.Linear(num_inputs, 1),
    )
