"""The book's try_gpu / try_all_gpus, and a to_device written with match statements."""

import torch
from torch import nn


def try_gpu(i=0):
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def try_all_gpus():
    devices = [torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())]
    return devices if devices else [torch.device("cpu")]


def to_device(obj, device):
    match obj:
        case torch.Tensor() | nn.Module():
            return obj.to(device)
        case dict():
            out = type(obj)()
            for k, v in obj.items():
                out[k] = to_device(v, device)
            return out
        case tuple() if hasattr(obj, "_fields"):
            return obj._make(to_device(v, device) for v in obj)
        case list() | tuple():
            return type(obj)(map(lambda v: to_device(v, device), obj))
        case _:
            return obj
