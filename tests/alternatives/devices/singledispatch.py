"""try_gpu and try_all_gpus built on num_gpus; to_device with functools.singledispatch and namedtuple._make."""

import functools

import torch
from torch import nn


def try_gpu(i=0):
    return torch.device(f"cuda:{i}") if i < num_gpus() else torch.device("cpu")  # noqa: F821


def try_all_gpus():
    return [try_gpu(i) for i in range(num_gpus())] or [torch.device("cpu")]  # noqa: F821


@functools.singledispatch
def to_device(obj, device):
    return obj


@to_device.register(torch.Tensor)
@to_device.register(nn.Module)
def _(obj, device):
    return obj.to(device)


@to_device.register(list)
@to_device.register(tuple)
def _(obj, device):
    moved = [to_device(v, device) for v in obj]
    return obj._make(moved) if hasattr(obj, "_fields") else type(obj)(moved)


@to_device.register(dict)
def _(obj, device):
    return type(obj)((k, to_device(v, device)) for k, v in obj.items())
