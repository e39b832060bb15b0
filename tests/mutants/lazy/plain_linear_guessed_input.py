"""lazy_mlp uses plain nn.Linear layers with a guessed input size of 20, so nothing is lazy."""

# diagnosis: plain_linear

from torch import nn


def lazy_mlp(num_hiddens=256, num_outputs=10):
    return nn.Sequential(
        nn.Linear(20, num_hiddens), nn.ReLU(), nn.Linear(num_hiddens, num_outputs)
    )
