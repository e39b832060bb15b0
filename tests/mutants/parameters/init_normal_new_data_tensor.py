"""init_normal assigns .data a new float32 tensor instead of writing into the existing one (dtype and storage lost)."""

# diagnosis: new_data_tensor

import torch
from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        m.weight.data = torch.randn(m.weight.shape) * 0.01
        m.bias.data = torch.zeros(m.bias.shape)
