"""init_constant assigns new nn.Parameter objects, so an optimiser made before keeps training the old ones."""

# diagnosis: replaced_parameter

import torch
from torch import nn


def init_constant(m):
    if isinstance(m, nn.Linear):
        m.weight = nn.Parameter(torch.ones_like(m.weight))
        m.bias = nn.Parameter(torch.zeros_like(m.bias))
