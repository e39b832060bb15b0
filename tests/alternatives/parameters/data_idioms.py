"""Writing into .data with the tensor's own in-place methods (normal_, fill_, zero_, masked assignment)."""

import math

from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        m.weight.data.normal_(0, 0.01)
        m.bias.data.zero_()


def init_constant(m):
    if isinstance(m, nn.Linear):
        m.weight.data.fill_(1)
        m.bias.data.fill_(0)


def init_xavier(m):
    if isinstance(m, nn.Linear):
        a = math.sqrt(6 / (m.in_features + m.out_features))
        m.weight.data.uniform_(-a, a)


def init_42(m):
    if isinstance(m, nn.Linear):
        m.weight.data.fill_(42)


def my_init(m):
    if isinstance(m, nn.Linear):
        m.weight.data.uniform_(-10, 10)
        m.weight.data[m.weight.data.abs() < 5] = 0
