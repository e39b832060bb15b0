"""block2 builds nn.Sequential(*blocks), so its children are named 0, 1, 2, … instead of block0, block1, …."""

# diagnosis: numbered_blocks

from torch import nn


def block2(num_blocks=4):
    return nn.Sequential(*[block1() for _ in range(num_blocks)])  # noqa: F821
