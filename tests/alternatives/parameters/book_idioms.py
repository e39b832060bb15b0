"""The book's own code (d2l 5.2): type(m) == nn.Linear, nn.init.* with zeros_ on the bias, .data in my_init."""

from torch import nn


def init_normal(m):
    if type(m) == nn.Linear:  # noqa: E721
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)


def init_constant(m):
    if type(m) == nn.Linear:  # noqa: E721
        nn.init.constant_(m.weight, 1)
        nn.init.zeros_(m.bias)


def init_xavier(m):
    if type(m) == nn.Linear:  # noqa: E721
        nn.init.xavier_uniform_(m.weight)


def init_42(m):
    if type(m) == nn.Linear:  # noqa: E721
        nn.init.constant_(m.weight, 42)


def my_init(m):
    if type(m) == nn.Linear:  # noqa: E721
        print("Init", *[(name, param.shape) for name, param in m.named_parameters()][0])
        nn.init.uniform_(m.weight, -10, 10)
        m.weight.data *= m.weight.data.abs() >= 5


def block2(num_blocks=4):
    net = nn.Sequential()
    for i in range(num_blocks):
        net.add_module(f"block{i}", block1())  # noqa: F821
    return net


def count_parameters(net, trainable_only=False):
    if trainable_only:
        return sum(p.numel() for p in net.parameters() if p.requires_grad)
    return sum(p.numel() for p in net.parameters())
