"""to_device turns every tuple into a list (a list comprehension for all sequences)."""

# diagnosis: tuples_became_lists

import torch
from torch import nn


def to_device(obj, device):
    if isinstance(obj, (torch.Tensor, nn.Module)):
        return obj.to(device)
    if isinstance(obj, dict):
        return type(obj)((k, to_device(v, device)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return [to_device(v, device) for v in obj]
    return obj
