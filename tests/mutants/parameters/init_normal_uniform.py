"""init_normal draws the weight from a uniform distribution with standard deviation 0.01 instead of a normal."""

# diagnosis: uniform_not_normal

import math

from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        a = 0.01 * math.sqrt(3)
        nn.init.uniform_(m.weight, -a, a)
        nn.init.zeros_(m.bias)
