"""load_params omits map_location, so a checkpoint saved on a GPU fails on a CPU-only machine."""

# diagnosis: no_map_location

import torch


def load_params(model, path):
    model.load_state_dict(torch.load(path, weights_only=True))
    return model
