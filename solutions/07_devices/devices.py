"""Reference solution: devices (d2l 5.6 / GPU)."""

import torch
from torch import nn


def num_gpus():
    return torch.cuda.device_count()


def try_gpu(i=0):
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def try_all_gpus():
    gpus = [torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())]
    return gpus if gpus else [torch.device("cpu")]


def to_device(obj, device):
    if isinstance(obj, (torch.Tensor, nn.Module)):
        return obj.to(device)  # a Module moves its parameters and buffers in place
    if isinstance(obj, dict):
        return type(obj)((k, to_device(v, device)) for k, v in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a named tuple
        return type(obj)(*(to_device(v, device) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_device(v, device) for v in obj)
    return obj
