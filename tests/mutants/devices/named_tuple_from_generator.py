"""to_device rebuilds every tuple with type(obj)(generator), which breaks named tuples (they take fields as arguments)."""

# diagnosis: named_tuple_from_one_iterable

import torch
from torch import nn


def to_device(obj, device):
    if isinstance(obj, (torch.Tensor, nn.Module)):
        return obj.to(device)
    if isinstance(obj, dict):
        return type(obj)((k, to_device(v, device)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_device(v, device) for v in obj)
    return obj
