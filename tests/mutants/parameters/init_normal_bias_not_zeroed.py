"""init_normal draws the weight but forgets to zero the bias."""

# diagnosis: bias_not_zeroed

from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0.0, std=0.01)
