"""my_init multiplies the weight in place outside torch.no_grad(), which autograd refuses for a leaf that requires grad."""

# diagnosis: cause_in_place

from torch import nn


def my_init(m):
    if isinstance(m, nn.Linear):
        nn.init.uniform_(m.weight, -10, 10)
        m.weight.mul_(m.weight.abs() >= 5)
