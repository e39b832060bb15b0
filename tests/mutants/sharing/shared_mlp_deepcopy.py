"""shared_mlp puts copy.deepcopy(shared) at position 4: equal values at first, but two layers."""

# diagnosis: copied_layer

import copy

from torch import nn


def shared_mlp(num_inputs=4, num_hiddens=8):
    shared = nn.Linear(num_hiddens, num_hiddens)
    return nn.Sequential(
        nn.Linear(num_inputs, num_hiddens),
        nn.ReLU(),
        shared,
        nn.ReLU(),
        copy.deepcopy(shared),
        nn.ReLU(),
        nn.Linear(num_hiddens, 1),
    )
