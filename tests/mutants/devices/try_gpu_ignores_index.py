"""try_gpu only asks whether CUDA is available, so try_gpu(5) claims a GPU that does not exist."""

# diagnosis: ignores_the_index

import torch


def try_gpu(i=0):
    if torch.cuda.is_available():
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")
