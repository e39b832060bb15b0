"""load_tensors passes weights_only=False, so a malicious file runs its code on load."""

# diagnosis: weights_only_false

import torch


def load_tensors(path):
    return torch.load(path, weights_only=False)
