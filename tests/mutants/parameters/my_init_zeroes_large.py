"""my_init zeroes the entries with |w| >= 5 (keeps the small ones) instead of those below 5."""

# diagnosis: my_init_zeroes_large

import torch
from torch import nn


def my_init(m):
    if isinstance(m, nn.Linear):
        nn.init.uniform_(m.weight, -10, 10)
        with torch.no_grad():
            m.weight *= m.weight.abs() < 5
