"""shared_mlp uses two layers that share the weight Parameter but each keep their own bias."""

# diagnosis: layer_shares_only_weight

from torch import nn


def shared_mlp(num_inputs=4, num_hiddens=8):
    first = nn.Linear(num_hiddens, num_hiddens)
    second = nn.Linear(num_hiddens, num_hiddens)
    second.weight = first.weight
    return nn.Sequential(
        nn.Linear(num_inputs, num_hiddens),
        nn.ReLU(),
        first,
        nn.ReLU(),
        second,
        nn.ReLU(),
        nn.Linear(num_hiddens, 1),
    )
