"""shared_mlp builds two separate nn.Linear(h, h) layers, so nothing is shared."""

# diagnosis: second_linear

from torch import nn


def shared_mlp(num_inputs=4, num_hiddens=8):
    return nn.Sequential(
        nn.Linear(num_inputs, num_hiddens),
        nn.ReLU(),
        nn.Linear(num_hiddens, num_hiddens),
        nn.ReLU(),
        nn.Linear(num_hiddens, num_hiddens),
        nn.ReLU(),
        nn.Linear(num_hiddens, 1),
    )
