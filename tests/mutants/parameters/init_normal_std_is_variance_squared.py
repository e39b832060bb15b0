"""init_normal squares the standard deviation (std=0.0001) instead of using std 0.01."""

# diagnosis: std_vs_variance

from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0.0, std=0.01**2)
        nn.init.zeros_(m.bias)
