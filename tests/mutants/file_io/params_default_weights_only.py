"""load_params relies on torch.load's default weights_only, which an environment variable can turn off."""

# diagnosis: relies_on_default

import torch


def load_params(model, path):
    model.load_state_dict(torch.load(path, map_location="cpu"))
    return model
