"""CenteredLayer adds a learnable offset parameter it was not asked for."""

# diagnosis: registers_a_tensor

import torch
from torch import nn


class CenteredLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.offset = nn.Parameter(torch.zeros(()))

    def forward(self, X):
        return X - X.mean() + self.offset
