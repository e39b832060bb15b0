"""Changing the parameters themselves under torch.no_grad() (copy_, mul_, torch.where), and other counting and naming idioms."""

from collections import OrderedDict

import torch
from torch import nn


def count_parameters(net, trainable_only=False):
    unique = {id(p): p for _, p in net.named_parameters()}
    return sum(p.numel() for p in unique.values() if p.requires_grad or not trainable_only)


def block2(num_blocks=4):
    return nn.Sequential(OrderedDict((f"block{i}", block1()) for i in range(num_blocks)))  # noqa: F821


def rgnet():
    net = nn.Sequential()
    net.add_module("0", block2())  # noqa: F821
    net.add_module("1", nn.Linear(4, 1))
    return net


def init_normal(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.copy_(torch.randn_like(m.weight) * 0.01)
            m.bias.zero_()


def init_constant(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.fill_(1.0)
            m.bias.fill_(0.0)


def init_42(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.fill_(42)


def my_init(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.uniform_(-10, 10)
            m.weight.copy_(torch.where(m.weight.abs() >= 5, m.weight, torch.zeros_like(m.weight)))
