"""block2 calls block1() once and adds that same block under every name, so all blocks share parameters."""

# diagnosis: one_shared_block

from torch import nn


def block2(num_blocks=4):
    block = block1()  # noqa: F821
    net = nn.Sequential()
    for i in range(num_blocks):
        net.add_module(f"block{i}", block)
    return net
