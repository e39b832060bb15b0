"""load_params loads into a deep copy and returns that, leaving the given model untouched."""

# diagnosis: returns_a_copy

import copy

import torch


def load_params(model, path):
    clone = copy.deepcopy(model)
    clone.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return clone
