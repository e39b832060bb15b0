"""try_all_gpus returns an empty list on a machine without GPUs instead of [cpu]."""

# diagnosis: no_cpu_fallback

import torch


def try_all_gpus():
    return [torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())]
