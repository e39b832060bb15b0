"""my_init draws from U(0, 10) (torch.rand * 10) instead of U(-10, 10)."""

# diagnosis: my_init_positive_only

import torch
from torch import nn


def my_init(m):
    if isinstance(m, nn.Linear):
        nn.init.uniform_(m.weight, 0, 10)
        with torch.no_grad():
            m.weight *= m.weight.abs() >= 5
