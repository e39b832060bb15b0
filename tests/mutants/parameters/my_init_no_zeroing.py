"""my_init draws from U(-10, 10) but forgets to zero the entries with |w| < 5."""

# diagnosis: my_init_no_zeroing

from torch import nn


def my_init(m):
    if isinstance(m, nn.Linear):
        nn.init.uniform_(m.weight, -10, 10)
