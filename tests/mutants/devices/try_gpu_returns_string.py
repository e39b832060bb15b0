"""try_gpu returns the device name as a string ('cuda:0'), not a torch.device."""

# diagnosis: strings_not_devices

import torch


def try_gpu(i=0):
    if torch.cuda.device_count() >= i + 1:
        return f"cuda:{i}"
    return "cpu"
