"""to_device recurses into every collections.abc.Sequence, strings included, so a string never comes back intact."""

# diagnosis: strings_recursed

from collections.abc import Mapping, Sequence

import torch
from torch import nn


def to_device(obj, device):
    if isinstance(obj, (torch.Tensor, nn.Module)):
        return obj.to(device)
    if isinstance(obj, Mapping):
        return type(obj)((k, to_device(v, device)) for k, v in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(to_device(v, device) for v in obj))
    if isinstance(obj, Sequence):
        return type(obj)(to_device(v, device) for v in obj)
    return obj
