"""block2 copies the book's f'block {i}' (with a space) instead of the contract's f'block{i}'."""

# diagnosis: space_in_block_names

from torch import nn


def block2(num_blocks=4):
    net = nn.Sequential()
    for i in range(num_blocks):
        net.add_module(f"block {i}", block1())  # noqa: F821
    return net
