"""try_all_gpus lists device names as strings."""

# diagnosis: strings_not_devices

import torch


def try_all_gpus():
    gpus = [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    return gpus if gpus else ["cpu"]
