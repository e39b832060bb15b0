"""try_gpu checks device_count() >= i, so it offers cuda:i on a machine with only i GPUs."""

# diagnosis: claims_one_too_many

import torch


def try_gpu(i=0):
    if torch.cuda.device_count() >= i:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")
