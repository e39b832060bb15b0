"""init_xavier draws from U(-a, a) with a = sqrt(6 / fan_in), leaving fan_out out of Glorot's formula."""

# diagnosis: xavier_fan_in_only

import math

from torch import nn


def init_xavier(m):
    if isinstance(m, nn.Linear):
        a = math.sqrt(6 / m.in_features)
        nn.init.uniform_(m.weight, -a, a)
