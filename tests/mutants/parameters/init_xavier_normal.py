"""init_xavier uses nn.init.xavier_normal_ instead of xavier_uniform_."""

# diagnosis: xavier_normal

from torch import nn


def init_xavier(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_normal_(m.weight)
