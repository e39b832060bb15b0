"""load_tensors relies on torch.load's default, which TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 turns unsafe."""

# diagnosis: relies_on_default

import torch


def load_tensors(path):
    return torch.load(path)
