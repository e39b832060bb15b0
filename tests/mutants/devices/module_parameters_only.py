"""to_device moves a module's parameters one by one (p.data = p.data.to(...)), leaving its buffers behind."""

# diagnosis: parameters_one_by_one

import torch
from torch import nn


def to_device(obj, device):
    if isinstance(obj, nn.Module):
        for p in obj.parameters():
            p.data = p.data.to(device)
        return obj
    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, dict):
        return type(obj)((k, to_device(v, device)) for k, v in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(to_device(v, device) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_device(v, device) for v in obj)
    return obj
