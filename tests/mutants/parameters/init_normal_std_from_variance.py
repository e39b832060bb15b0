"""init_normal reads 0.01 as the variance and passes std=sqrt(0.01)=0.1."""

# diagnosis: std_vs_variance

from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0.0, std=0.1)
        nn.init.zeros_(m.bias)
