"""to_device moves only the tensors at the top level of a container, not nested ones."""

# diagnosis: not_recursive

import torch
from torch import nn


def to_device(obj, device):
    def move(x):
        return x.to(device) if isinstance(x, (torch.Tensor, nn.Module)) else x

    if isinstance(obj, dict):
        return type(obj)((k, move(v)) for k, v in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(move(v) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(move(v) for v in obj)
    return move(obj)
