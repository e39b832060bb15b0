"""rgnet leaves out the final nn.Linear(4, 1) and returns block2() alone."""

# diagnosis: rgnet_no_final_linear

from torch import nn


def rgnet():
    return nn.Sequential(block2())  # noqa: F821
