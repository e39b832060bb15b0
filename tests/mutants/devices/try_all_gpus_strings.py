"""try_all_gpus lists device names as strings."""

import torch


def try_all_gpus():
    gpus = [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    return gpus if gpus else ["cpu"]
