"""MySequential just subclasses nn.Sequential instead of being written on nn.Module."""

# diagnosis: subclasses_container

from torch import nn


class MySequential(nn.Sequential):
    pass
