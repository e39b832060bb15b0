"""try_gpu checks device_count() > i + 1, so the last GPU is never used."""

# diagnosis: never_the_last_gpu

import torch


def try_gpu(i=0):
    if torch.cuda.device_count() > i + 1:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")
