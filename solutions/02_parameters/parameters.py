"""Reference solution: parameter access and initialisation (d2l 5.2 / 参数管理)."""

import torch
from torch import nn


def count_parameters(net, trainable_only=False):
    # parameters() yields a shared Parameter once, and never yields buffers.
    return sum(p.numel() for p in net.parameters() if p.requires_grad or not trainable_only)


def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())


def block2(num_blocks=4):
    net = nn.Sequential()
    for i in range(num_blocks):
        net.add_module(f"block{i}", block1())  # the name becomes part of every key
    return net


def rgnet():
    return nn.Sequential(block2(), nn.Linear(4, 1))


# The nn.init functions change values in place under no_grad: the same Parameter
# objects stay registered (an optimiser holding them keeps working) and stay leaves.


def init_normal(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0.0, std=0.01)  # std, not variance
        if m.bias is not None:
            nn.init.zeros_(m.bias)


def init_constant(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 1.0)
        if m.bias is not None:
            nn.init.zeros_(m.bias)


def init_xavier(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)


def init_42(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 42.0)


def my_init(m):
    if isinstance(m, nn.Linear):
        nn.init.uniform_(m.weight, -10, 10)
        with torch.no_grad():  # an in-place change of a leaf must not be recorded
            m.weight *= m.weight.abs() >= 5
