"""block1 leaves out the final ReLU."""

# diagnosis: block1_no_final_relu

from torch import nn


def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4))
