"""my_init switches requires_grad off to change the weight in place, and never switches it back on."""

# diagnosis: requires_grad_off

from torch import nn


def my_init(m):
    if isinstance(m, nn.Linear):
        m.weight.requires_grad_(False)
        nn.init.uniform_(m.weight, -10, 10)
        m.weight *= m.weight.abs() >= 5
