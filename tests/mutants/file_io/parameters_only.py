"""save_params saves dict(model.named_parameters()), losing buffers such as BatchNorm's running statistics."""

# diagnosis: parameters_only

import torch


def save_params(model, path):
    torch.save(dict(model.named_parameters()), path)
